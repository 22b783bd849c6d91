"""Pure functions: metrics, neighbour aggregates, scorecard, risk score."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import torch
from gnn_helpers import assemble

from riskgraph.gnn.baselines import LgbmConfig, LgbmModel, Scorecard, neighbour_aggregates
from riskgraph.gnn.bundle import risk_score
from riskgraph.gnn.labels import stratified_sample
from riskgraph.gnn.metrics import (
    best_threshold,
    evaluate,
    expected_calibration_error,
    predict_classes,
    recall_threshold,
)
from riskgraph.gnn.threads import SMALL_GRAPH, few_threads


def test_evaluate_binary_figures() -> None:
    y = np.array([0, 0, 1, 1])
    proba = np.array([[0.9, 0.1], [0.4, 0.6], [0.3, 0.7], [0.2, 0.8]])
    figures = evaluate(y, proba, ("0", "1"))
    assert figures["roc_auc"] == 1.0
    assert figures["pr_auc"] == 1.0
    assert figures["confusion_matrix"] == [[1, 1], [0, 2]]
    assert figures["high_risk_recall"] == 1.0
    assert figures["per_class"]["0"]["precision"] == 1.0
    assert figures["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2)
    assert evaluate(y, proba, ("0", "1"), threshold=0.65)["macro_f1"] == 1.0
    assert best_threshold(y, proba[:, 1]) > 0.6


def test_evaluate_multiclass_and_missing_classes() -> None:
    classes = ("A", "B", "C", "D")
    y = np.array([0, 1, 3, 3])
    proba = np.eye(4)[[0, 1, 3, 2]] * 0.7 + 0.075
    figures = evaluate(y, proba, classes)
    assert figures["high_risk_class"] == "D" and figures["high_risk_recall"] == 0.5
    assert figures["d_recall"] == figures["high_risk_recall"]
    assert figures["per_class"]["C"]["recall"] is None  # no true C
    assert figures["roc_auc"] is not None
    assert evaluate(np.array([], dtype=int), np.zeros((0, 4)), classes)["available"] is False


def test_a_high_risk_threshold_recalls_the_target_share_of_d_and_no_more() -> None:
    # five true D firms: two caught by the argmax, three with p(D) 0.40, 0.30, 0.10
    y = np.array([3, 3, 3, 3, 3, 0, 1, 2])
    p_d = np.array([0.7, 0.6, 0.40, 0.30, 0.10, 0.35, 0.05, 0.2])
    rest = (1 - p_d)[:, None] * np.array([[0.8, 0.1, 0.1]])
    proba = np.hstack([rest, p_d[:, None]])
    assert list(predict_classes(proba)) == [3, 3, 0, 0, 0, 0, 0, 0]

    t = recall_threshold(y, proba, 0.8)  # 4 of 5 D: the two caught, then p(D) 0.40 and 0.30
    assert t == pytest.approx(0.30)
    pred = predict_classes(proba, t)
    assert (pred[y == 3] == 3).sum() == 4
    assert pred[5] == 3  # a B-looking firm with p(D) 0.35 is flagged as the price
    assert recall_threshold(y, proba, 0.4) is None  # the argmax already recalls 2 of 5
    assert recall_threshold(y, proba, 1.0) == pytest.approx(0.10)
    assert recall_threshold(np.array([0, 1]), proba[:2], 0.9) is None  # no true D
    figures = evaluate(y, proba, ("A", "B", "C", "D"), threshold=t)
    assert figures["d_recall"] == pytest.approx(0.8)


def test_calibration_error() -> None:
    y = np.array([1, 1, 0, 0])
    assert expected_calibration_error(y, np.array([[0.0, 1.0]] * 2 + [[1.0, 0.0]] * 2)) == 0.0
    assert expected_calibration_error(y, np.array([[0.2, 0.8]] * 4)) == pytest.approx(0.3)


def test_risk_score_sums_the_upper_classes() -> None:
    proba = np.array([[0.1, 0.2, 0.3, 0.4]])
    assert risk_score(proba, ("A", "B", "C", "D"), binary=False)[0] == pytest.approx(0.7)
    assert risk_score(np.array([[0.25, 0.75]]), ("0", "1"), binary=True)[0] == 0.75


def test_two_hop_aggregates_match_brute_force() -> None:
    rng = np.random.default_rng(0)
    firms, people = 12, 5
    pairs = {(int(rng.integers(people)), int(rng.integers(firms))) for _ in range(25)}
    graph = assemble(
        [{"key": f"E{i:02d}"} for i in range(firms)],
        [],
        [("person", f"p{p}", "HOLDS_POSITION", "enterprise", f"E{f:02d}") for p, f in pairs],
    )
    values = rng.integers(0, 5, size=firms).astype(float)
    raw = pd.DataFrame({"v": values})
    frame = neighbour_aggregates(graph, raw, sorted(graph.edges), min_edges=0)
    edges = graph.edges[("person", "HOLDS_POSITION", "enterprise")]
    for firm in range(firms):
        hubs = sorted({int(h) for h in edges[0][edges[1] == firm]})
        groups = [[int(f) for f in edges[1][edges[0] == h] if f != firm] for h in hubs]
        groups = [g for g in groups if g]
        mean = np.mean([values[g].mean() for g in groups]) if groups else 0.0
        most = max(values[f] for g in groups for f in g) if groups else 0.0
        assert frame["nbr[HOLDS_POSITION~person]:mean:v"][firm] == pytest.approx(mean)
        assert frame["nbr[HOLDS_POSITION~person]:max:v"][firm] == most


def test_scorecard_ranks_by_expert_direction_and_weights() -> None:
    frame = pd.DataFrame(
        {
            "viol[kind=行政处罚]": [0.0, 1.0, 2.0, 3.0, 0.0, 1.0],
            "log_registered_capital": [5.0, 4.0, 3.0, 2.0, 5.0, 5.0],
        }
    )
    y = np.array([0, 0, 1, 1, 0, 1])
    card = Scorecard().fit(frame, y, np.arange(6), ("0", "1"))
    assert set(card.used) == {"基础属性", "监管信息"}
    total = card.total(frame)
    assert total[3] > total[2] > total[1] > total[0]  # more penalties, less capital
    proba = card.predict_proba(frame)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert proba[3, 1] > proba[0, 1]
    heavy = Scorecard(weights={"基础属性": 1.0, "监管信息": 0.0}).fit(
        frame, y, np.arange(6), ("0", "1")
    )
    assert set(heavy.used) == {"基础属性"}
    restored = Scorecard.from_dict(card.to_dict())
    assert np.allclose(restored.predict_proba(frame), proba)


def test_boosting_stops_after_the_round_that_passes_its_time_budget() -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
    y = (frame["a"] + rng.normal(scale=0.5, size=400) > 0).astype(np.int64).to_numpy()
    rows = np.arange(400)
    config = LgbmConfig(n_estimators=300, early_stopping_rounds=300, min_child_samples=5)
    free = LgbmModel(["a", "b"], 2).fit(frame, y, rows[:300], rows[300:], seed=0, config=config)
    budget = replace(config, max_seconds=0.0)
    cut = LgbmModel(["a", "b"], 2).fit(frame, y, rows[:300], rows[300:], seed=0, config=budget)
    assert free.booster is not None and free.booster.num_trees() > 10
    assert cut.booster is not None and cut.booster.num_trees() == 1
    assert cut.predict_proba(frame).shape == (400, 2)


def test_aggregates_for_a_subset_of_rows_equal_those_of_the_whole_graph() -> None:
    rng = np.random.default_rng(1)
    firms, people, places = 40, 15, 6

    def firm() -> str:
        return f"E{rng.integers(firms):02d}"

    edges = [
        ("person", f"p{rng.integers(people)}", rel, "enterprise", firm())
        for rel in ("HOLDS_POSITION", "LEGAL_REP_OF")
        for _ in range(40)
    ]
    edges += [
        ("enterprise", f"E{f:02d}", "REGISTERED_AT", "address", f"a{rng.integers(places)}")
        for f in range(firms)
    ]
    edges += [("enterprise", firm(), "INVESTS_IN", "enterprise", firm()) for _ in range(30)]
    graph = assemble([{"key": f"E{i:02d}"} for i in range(firms)], [], edges)
    raw = pd.DataFrame({"v": rng.normal(size=firms), "w": rng.integers(0, 9, size=firms)})
    whole = neighbour_aggregates(graph, raw, sorted(graph.edges), min_edges=0)
    rows = np.array([3, 4, 17, 30, 39])
    part = neighbour_aggregates(graph, raw, sorted(graph.edges), min_edges=0, rows=rows)
    assert list(part.index) == rows.tolist() and list(part.columns) == list(whole.columns)
    assert np.allclose(part.to_numpy(), whole.loc[rows].to_numpy(), atol=1e-6)
    assert (whole.filter(like=":count").to_numpy() > 0).any()


def test_a_stratified_sample_keeps_every_class_in_proportion() -> None:
    y = np.array([0] * 900 + [1] * 90 + [2] * 10)
    rows = np.arange(1000)
    picked = stratified_sample(rows, y, 100, seed=0)
    assert len(picked) == 100 and np.all(np.diff(picked) > 0)
    assert np.bincount(y[picked]).tolist() == [90, 9, 1]
    assert stratified_sample(rows, y, None, seed=0) is rows
    assert np.array_equal(stratified_sample(rows, y, 100, seed=0), picked)
    assert not np.array_equal(stratified_sample(rows, y, 100, seed=1), picked)


def test_scorecard_scores_the_same_from_float32_and_float64_tables() -> None:
    counts = np.log1p(np.array([0, 1, 1, 2, 3, 1, 0, 5], dtype=np.float64))
    wide = pd.DataFrame({"viol_active": counts})
    y = np.array([0, 1, 1, 1, 1, 0, 0, 1])
    card = Scorecard().fit(wide.astype(np.float32), y, np.arange(8), ("0", "1"))
    assert np.array_equal(card.total(wide), card.total(wide.astype(np.float32)))
    ties = card.indicator_scores(wide)["viol_active"]
    assert ties[1] == ties[2] == ties[5]  # three firms with one violation share a percentile


def test_overlapping_small_graphs_restore_the_thread_pool_after_the_last() -> None:
    """Two requests' explanations overlap: the first to finish must not restore the
    pool under the second, nor the second leave the process on one thread."""
    original = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        first, second = few_threads(10), few_threads(10)
        first.__enter__()
        second.__enter__()
        assert torch.get_num_threads() == 1
        first.__exit__(None, None, None)
        assert torch.get_num_threads() == 1  # the second still runs on one thread
        second.__exit__(None, None, None)
        assert torch.get_num_threads() == 2
        with few_threads(SMALL_GRAPH + 1):
            assert torch.get_num_threads() == 2  # a large graph keeps the pool
    finally:
        torch.set_num_threads(original)
