"""Kinds of market entity in the risk model: kind columns, masking of the indicators
that do not apply, old pipelines, and validation figures per kind."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import AS_OF, quick_config
from engines import Graphs
from gnn_helpers import Toy, planted
from sklearn.metrics import balanced_accuracy_score, f1_score

from riskgraph.gnn.baselines import Scorecard, neighbour_aggregates
from riskgraph.gnn.bundle import load_bundle
from riskgraph.gnn.export import export_graph
from riskgraph.gnn.features import FeatureConfig, FeatureError, FeaturePipeline
from riskgraph.gnn.inputs import prepare
from riskgraph.gnn.labels import load_labels
from riskgraph.gnn.metrics import figures_by_kind, predict_classes
from riskgraph.gnn.report import REPORT
from riskgraph.gnn.train import TrainResult, train
from riskgraph.graph.store import GraphStore

ENTERPRISE_ONLY = ("log_paid_in_capital", "paid_in_ratio", "officers")


def mixed() -> Toy:
    """Two companies, two individual businesses and a cooperative, each with capital,
    paid-in capital, an officer and an investor in the source rows."""
    toy = Toy()
    kinds = {
        "E1": "有限责任公司",
        "E2": "股份有限公司",
        "I1": "个体工商户",
        "I2": "个体工商户",
        "C1": "农民专业合作社",
    }
    for i, (key, org_type) in enumerate(kinds.items()):
        toy.enterprise(
            key,
            org_type=org_type,
            registered_capital=100.0 * (i + 1),
            paid_in_capital=30.0 * (i + 1),
        )
        person = f"p{key}"
        toy.persons += [person, f"s{key}"]
        toy.legal_reps.append((person, key))
        toy.positions.append((f"s{key}", key, "监事"))
        toy.person_investments.append((f"s{key}", key))
    toy.branches.append(("E2", "E1"))
    return toy


def test_enterprise_only_indicators_are_masked_not_zero(store: GraphStore) -> None:
    mixed().load(store)
    graph = export_graph(store)
    pipeline = FeaturePipeline(FeatureConfig(min_category_count=1))
    inputs = prepare(graph, pipeline, as_of=AS_OF)
    raw, keys = inputs.own, graph.keys["enterprise"]
    row = {key: i for i, key in enumerate(keys)}
    kind_of = {"E1": "enterprise", "E2": "enterprise", "I1": "individual", "I2": "individual"}
    kind_of["C1"] = "cooperative"
    for key, kind in kind_of.items():
        for k in ("enterprise", "individual", "cooperative"):
            assert raw[f"entity_kind={k}"].iloc[row[key]] == float(k == kind)

    structural = [
        c for c in raw.columns if c.startswith(("in[INVESTS_IN<-", "in[HOLDS_POSITION<-"))
    ]
    structural += [c for c in raw.columns if c.startswith(("officers[role=", "in[BRANCH_OF<-"))]
    assert structural and "officers" in raw.columns
    for key in ("I1", "I2"):
        for column in (*ENTERPRISE_ONLY, *structural):
            assert np.isnan(raw[column].iloc[row[key]]), (key, column)
        # what applies to an individual business stays a value
        assert raw["log_registered_capital"].iloc[row[key]] == pytest.approx(
            np.log1p(100.0 * (list(kind_of).index(key) + 1))
        )
        assert raw["in[LEGAL_REP_OF<-person]"].iloc[row[key]] == pytest.approx(np.log1p(1))
    coop = row["C1"]
    assert np.isnan(raw["log_paid_in_capital"].iloc[coop])
    assert np.isnan(raw["paid_in_ratio"].iloc[coop])
    assert raw["in[INVESTS_IN<-person]"].iloc[coop] == pytest.approx(np.log1p(1))  # members
    for key in ("E1", "E2"):
        assert not raw.iloc[row[key]].isna().any()

    # standardised: the fitted mean is that of the firms a column applies to, and a
    # masked cell is that mean (0), not a standardised zero
    x = inputs.encoded.x["enterprise"]
    columns = pipeline.columns["enterprise"]
    at = columns.index("log_paid_in_capital")
    applies = [row["E1"], row["E2"]]
    expected = float(np.mean(raw["log_paid_in_capital"].iloc[applies]))
    assert pipeline.mean["enterprise"][at] == pytest.approx(expected)
    for key in ("I1", "I2", "C1"):
        assert x[row[key], at] == 0.0
    zero_paid = (0.0 - expected) / pipeline.std["enterprise"][at]
    assert zero_paid != pytest.approx(0.0)  # a real zero would look different
    assert np.isfinite(x).all()

    # neighbour aggregates read a masked neighbour as the fitted mean, never NaN
    aggregates = neighbour_aggregates(
        graph, raw, pipeline.edge_types, min_edges=0, fill=pipeline.neutral()
    )
    assert np.isfinite(aggregates.to_numpy()).all()


def test_the_scorecard_scores_a_kind_on_the_indicators_that_apply(store: GraphStore) -> None:
    mixed().load(store)
    graph = export_graph(store)
    inputs = prepare(graph, FeaturePipeline(FeatureConfig(min_category_count=1)), as_of=AS_OF)
    frame = inputs.own
    y = np.array([0, 1, 0, 1, 1])
    card = Scorecard().fit(frame, y, np.arange(len(frame)), ("0", "1"))
    scores = card.indicator_scores(frame)
    individual = graph.keys["enterprise"].index("I1")
    assert np.isnan(scores["log_paid_in_capital"][individual])
    basic = [c for c, _ in card.used["基础属性"]]
    applying = [scores[c][individual] for c in basic if not np.isnan(scores[c][individual])]
    assert len(applying) < len(basic)
    assert card.category_scores(frame)["基础属性"][individual] == pytest.approx(
        float(np.mean(applying))
    )
    assert np.isfinite(card.predict_proba(frame)).all()


def test_old_pipelines_load_unchanged_and_unknown_formats_fail_clearly(
    store: GraphStore, tmp_path: Path
) -> None:
    mixed().load(store)
    graph = export_graph(store)
    pipeline = FeaturePipeline(FeatureConfig(min_category_count=1, entity_kinds=False))
    prepare(graph, pipeline, as_of=AS_OF)
    saved = pipeline.to_dict()
    saved["format"] = 1  # as written before kinds: no entity_kinds in the config
    del saved["config"]["entity_kinds"]
    old = FeaturePipeline.from_dict(json.loads(json.dumps(saved)))
    assert old.config.entity_kinds is False
    encoded = prepare(graph, old, as_of=AS_OF).own
    assert not any(c.startswith("entity_kind=") for c in encoded.columns)
    assert not encoded.isna().to_numpy().any()  # format 1 features: nothing masked

    saved["format"] = 99
    path = tmp_path / "pipeline.json"
    path.write_text(json.dumps(saved), "utf-8")
    with pytest.raises(FeatureError, match="retrain"):
        FeaturePipeline.load(path)


def test_figures_by_kind_match_an_independent_computation() -> None:
    rng = np.random.default_rng(3)
    n = 400
    y = rng.integers(0, 4, n)
    proba = rng.dirichlet(np.ones(4), n)
    proba[np.arange(n), y] += 0.3 * rng.random(n)  # some signal
    proba /= proba.sum(axis=1, keepdims=True)
    kinds = rng.choice(
        np.array(["enterprise", "individual", "cooperative"]), n, p=[0.7, 0.25, 0.05]
    )
    figures = figures_by_kind(y, proba, ("A", "B", "C", "D"), kinds, threshold=0.4)
    pred = predict_classes(proba, 0.4)
    for kind in ("enterprise", "individual", "cooperative"):
        rows = kinds == kind
        got = figures[kind]
        assert got["n"] == int(rows.sum())
        assert got["support"] == {c: int((y[rows] == i).sum()) for i, c in enumerate("ABCD")}
        seen = np.union1d(y[rows], pred[rows])
        assert got["macro_f1"] == pytest.approx(
            f1_score(y[rows], pred[rows], labels=seen, average="macro")
        )
        assert got["balanced_accuracy"] == pytest.approx(
            balanced_accuracy_score(y[rows], pred[rows])
        )
        assert got["accuracy"] == pytest.approx(float((pred[rows] == y[rows]).mean()))
    empty = figures_by_kind(y[:0], proba[:0], ("A", "B", "C", "D"), kinds[:0])
    assert all(f["available"] is False and f["n"] == 0 for f in empty.values())


@pytest.fixture(scope="module")
def kinds_model(graphs: Graphs, tmp_path_factory: pytest.TempPathFactory) -> TrainResult:
    """The scorecard and LightGBM on the planted A–D graph, a third of its targets
    individual businesses and a tenth cooperatives."""
    toy = planted(240, seed=1, classes=("A", "B", "C", "D"))
    for i, record in enumerate(r for r in toy.enterprises if r["uscc"].startswith("T")):
        record["props"]["org_type"] = (
            "个体工商户" if i % 3 == 0 else "农民专业合作社" if i % 10 == 1 else "有限责任公司"
        )
    store = graphs.acquire()
    try:
        toy.load(store)
        out = tmp_path_factory.mktemp("kinds-models")
        config = quick_config(("scorecard", "lgbm_own", "lgbm_graph"))
        return train(store, out, seed=0, config=config, keep_inputs=True)
    finally:
        graphs.release(store)


def test_validation_figures_per_kind_for_every_model(kinds_model: TrainResult) -> None:
    inputs = kinds_model.inputs
    assert inputs is not None
    graph = inputs.graph
    classes = ("A", "B", "C", "D")
    labels = load_labels(graph, "graph", classes, binary=False, seed=0, fractions=(0.7, 0.15, 0.15))
    org = graph.enterprises["org_type"].to_numpy(dtype=object)
    kinds = np.where(org == "个体工商户", "individual", "enterprise")
    kinds = np.where(org == "农民专业合作社", "cooperative", kinds)[labels.valid]
    y = labels.y[labels.valid]
    bundle = load_bundle(kinds_model.model_dir, models=["scorecard", "lgbm_own", "lgbm_graph"])
    assert set(kinds) == {"enterprise", "individual", "cooperative"}
    for name in ("scorecard", "lgbm_own", "lgbm_graph"):
        by_kind = kinds_model.validation[name]["by_kind"]
        pred = predict_classes(
            bundle.predict_proba(inputs, name)[labels.valid], bundle.threshold(name)
        )
        for kind in ("enterprise", "individual", "cooperative"):
            rows = kinds == kind
            assert by_kind[kind]["n"] == int(rows.sum())
            seen = np.union1d(y[rows], pred[rows])
            assert by_kind[kind]["macro_f1"] == pytest.approx(
                f1_score(y[rows], pred[rows], labels=seen, average="macro"), abs=1e-9
            )
            assert by_kind[kind]["balanced_accuracy"] == pytest.approx(
                balanced_accuracy_score(y[rows], pred[rows]), abs=1e-9
            )
        assert "by_kind" in kinds_model.metrics["models"][name]  # test split too
    # selection stays on the whole validation split
    best = max(kinds_model.validation[m]["roc_auc"] or -1.0 for m in kinds_model.validation)
    assert kinds_model.validation[kinds_model.selected]["roc_auc"] == best
    report = (kinds_model.model_dir / REPORT).read_text("utf-8")
    assert "## Validation per kind of market entity" in report and "个体工商户" in report


def test_the_gnn_reports_figures_per_kind(planted_model: TrainResult) -> None:
    figures = planted_model.validation["hetero_sage"]
    assert figures["by_kind"]["enterprise"]["n"] == figures["n"]  # no org types: all firms
    assert figures["by_kind"]["individual"] == {
        "n": 0,
        "support": {"0": 0, "1": 0},
        "available": False,
        "balanced_accuracy": None,
    }
