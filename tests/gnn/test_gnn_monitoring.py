"""Monitoring: PSI, the reference a model version stores, drift warnings, inspection labels."""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import AS_OF, quick_config
from gnn_helpers import planted

from riskgraph.analytics.inspections import record_results
from riskgraph.analytics.monitoring import NO_REFERENCE, monitor_month, month_report
from riskgraph.gnn.bundle import load_bundle
from riskgraph.gnn.drift import (
    EPSILON,
    REFERENCE,
    Thresholds,
    build_reference,
    feature_drift,
    load_reference,
)
from riskgraph.gnn.export import export_graph
from riskgraph.gnn.feature_names import feature_name
from riskgraph.gnn.labels import Outcome, inspection_class, load_labels, read_outcomes
from riskgraph.gnn.score import predict_inputs
from riskgraph.gnn.train import LabelSpec, TrainResult, train
from riskgraph.graph.store import GraphStore


@pytest.fixture(scope="module")
def own_model(planted_store: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> TrainResult:
    """A quick LightGBM version (with its monitoring reference) on the planted graph."""
    out = tmp_path_factory.mktemp("monitor-models")
    config = quick_config(("lgbm_own", "lgbm_graph"))
    return train(planted_store, out, labels=LabelSpec(binary=True), seed=0, config=config)


def _independent_psi(reference: np.ndarray, current: np.ndarray) -> float:
    """PSI on decile bins of ``reference``, written out with pandas, not the module."""
    edges = np.unique(np.quantile(reference, [i / 10 for i in range(1, 10)]))
    bins = [-math.inf, *edges.tolist(), math.inf]
    e = pd.cut(pd.Series(reference), bins, right=True).value_counts(sort=False, normalize=True)
    a = pd.cut(pd.Series(current), bins, right=True).value_counts(sort=False, normalize=True)
    total = 0.0
    for ei, ai in zip(e.to_numpy(), a.to_numpy(), strict=True):
        ei, ai = max(ei, EPSILON), max(ai, EPSILON)
        total += (ai - ei) * math.log(ai / ei)
    return total


def test_psi_matches_an_independent_computation() -> None:
    rng = np.random.default_rng(3)
    n = 5000
    reference = pd.DataFrame(
        {
            "age_years": rng.gamma(2.0, 4.0, n),
            "viol_total": np.log1p(rng.poisson(0.3, n)),  # mostly zero: collapsed edges
            "capital_missing": (rng.random(n) < 0.2).astype(float),
            "org_type=a": np.zeros(n),
            "org_type=b": np.zeros(n),
            "org_type=__other__": np.zeros(n),
        }
    )
    kind = rng.choice(3, size=n, p=[0.6, 0.3, 0.1])
    for i, column in enumerate(("org_type=a", "org_type=b", "org_type=__other__")):
        reference[column] = (kind == i).astype(float)
    current = reference.copy()
    current["age_years"] = rng.gamma(2.0, 5.0, n)
    current["viol_total"] = np.log1p(rng.poisson(0.6, n))
    current["capital_missing"] = (rng.random(n) < 0.35).astype(float)
    kind = rng.choice(3, size=n, p=[0.4, 0.3, 0.3])
    for i, column in enumerate(("org_type=a", "org_type=b", "org_type=__other__")):
        current[column] = (kind == i).astype(float)

    stored = build_reference(reference, ["0"] * n, ("0", "1"), as_of="2025-01-01", model="m")
    found = {d.feature: d for d in feature_drift(stored, current, Thresholds())}

    assert set(found) == {"age_years", "viol_total", "capital_missing", "org_type"}
    for column in ("age_years", "viol_total"):
        expected = _independent_psi(reference[column].to_numpy(), current[column].to_numpy())
        assert found[column].psi == pytest.approx(expected, abs=1e-5)
        assert found[column].kind == "numeric"
    e, a = reference["capital_missing"].mean(), current["capital_missing"].mean()
    binary = (a - e) * math.log(a / e) + ((1 - a) - (1 - e)) * math.log((1 - a) / (1 - e))
    assert found["capital_missing"].psi == pytest.approx(binary, abs=1e-5)
    assert found["capital_missing"].kind == "binary"
    shares_e = reference[["org_type=a", "org_type=b", "org_type=__other__"]].mean().to_numpy()
    shares_a = current[["org_type=a", "org_type=b", "org_type=__other__"]].mean().to_numpy()
    categorical = float(np.sum((shares_a - shares_e) * np.log(shares_a / shares_e)))
    assert found["org_type"].psi == pytest.approx(categorical, abs=1e-5)
    assert found["org_type"].kind == "categorical"
    # the same population is perfectly stable
    same = feature_drift(stored, reference, Thresholds())
    assert all(d.psi == pytest.approx(0.0, abs=1e-12) and d.level == "stable" for d in same)


def test_thresholds_and_readable_feature_names() -> None:
    limits = Thresholds()
    assert [limits.level(v) for v in (0.0, 0.099, 0.1, 0.25, 0.2501)] == [
        "stable",
        "stable",
        "watch",
        "watch",
        "drift",
    ]
    assert Thresholds(watch=0.05, drift=0.5).level(0.3) == "watch"
    with pytest.raises(ValueError):
        Thresholds(watch=0.3, drift=0.2)
    assert feature_name("viol_total") == {"zh": "违法记录数", "en": "violations"}
    assert feature_name("viol[kind=投诉举报]_1y") == {
        "zh": "近1年违法记录数：投诉举报",
        "en": "violations in the last 1 year(s): 投诉举报",
    }
    assert feature_name("in[LEGAL_REP_OF<-person]") == {
        "zh": "关系数：法定代表人",
        "en": "links in: legal representative",
    }
    assert feature_name("nbr[x]:mean:y") is None


def test_training_stores_the_reference(planted_store: GraphStore, own_model: TrainResult) -> None:
    folder = own_model.model_dir
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["reference"] == REFERENCE
    reference = load_reference(folder)
    assert reference is not None
    graph = export_graph(planted_store)
    assert reference["population"] == graph.num_nodes("enterprise")
    assert reference["as_of"] == AS_OF.isoformat() and reference["month"] == AS_OF.isoformat()[:7]
    assert reference["model"] == own_model.selected
    # the class shares are those the selected model gives the training population
    bundle = load_bundle(folder, device="cpu")
    scores = predict_inputs(bundle, bundle.prepare(graph, as_of=AS_OF))
    for cls in bundle.classes:
        share = sum(1 for p in scores.predicted if p == cls) / len(scores.predicted)
        assert reference["class_shares"][cls] == pytest.approx(share)
    assert reference["features"]["log_registered_capital"]["kind"] == "numeric"
    assert sum(reference["features"]["log_registered_capital"]["shares"]) == pytest.approx(1.0)


def test_a_shifted_population_warns_and_the_same_one_does_not(
    planted_store: GraphStore, own_model: TrainResult
) -> None:
    bundle = load_bundle(own_model.model_dir, device="cpu")
    inputs = bundle.prepare(export_graph(planted_store), as_of=AS_OF)
    scores = predict_inputs(bundle, inputs)

    same = month_report(planted_store, bundle, inputs, scores, "2025-02", save=False)
    assert same.level == "stable"
    assert same.class_share_psi == pytest.approx(0.0, abs=1e-9)
    assert same.features and max(f["psi"] for f in same.features) < 0.1
    assert not [w for w in same.warnings if "drift" in w or "class shares" in w]

    shifted_own = inputs.own.copy()
    shifted_own["log_registered_capital"] += 2.0
    shifted = replace(inputs, own=shifted_own)
    risky = replace(scores, predicted=[bundle.classes[-1]] * len(scores.predicted))
    report = month_report(planted_store, bundle, shifted, risky, "2025-03", save=False)
    assert report.level == "drift"
    assert report.class_share_level == "drift"
    assert report.class_shares[bundle.classes[-1]] == 1.0
    top = report.worst_features(3)
    assert top[0]["feature"] == "log_registered_capital" and top[0]["level"] == "drift"
    assert top[0]["name"] == {"zh": "注册资本（对数）", "en": "registered capital (log)"}
    assert any("class shares" in w for w in report.warnings)
    assert any("log_registered_capital" in w for w in report.warnings)

    # monitor_month exports, prepares and predicts itself: the unchanged graph is stable
    own = monitor_month(planted_store, own_model.model_dir, "2025-02", as_of=AS_OF, save=False)
    assert own.level == "stable" and own.population == len(scores.keys)


def test_a_version_without_reference_still_loads_and_says_so(
    planted_store: GraphStore, own_model: TrainResult, tmp_path: Path
) -> None:
    old = tmp_path / own_model.version
    shutil.copytree(own_model.model_dir, old)
    (old / REFERENCE).unlink()
    manifest = json.loads((old / "manifest.json").read_text("utf-8"))
    del manifest["reference"]
    (old / "manifest.json").write_text(json.dumps(manifest), "utf-8")

    bundle = load_bundle(old, device="cpu")
    assert bundle.reference is None
    report = monitor_month(planted_store, bundle, "2025-02", as_of=AS_OF, save=False)
    assert report.level == NO_REFERENCE
    assert report.class_share_psi is None and report.features == []
    assert report.warnings and report.warnings[0].startswith("no reference")
    assert sum(report.class_shares.values()) == pytest.approx(1.0)


def test_inspection_results_become_labels(store: GraphStore, tmp_path: Path) -> None:
    planted(30, seed=1, classes=("A", "B", "C", "D")).load(store)
    rows = [
        _result("T0000", "2025-03-01", "不合格"),
        _result("T0001", "2025-03-02", "合格"),
        # a later pass outweighs an earlier failure; the latest outcome counts
        _result("T0002", "2025-02-01", "不合格"),
        _result("T0002", "2025-04-01", "合格"),
        _result("T0003", "2025-05-01", "不合格"),
    ]
    record_results(store, rows, now=datetime(2025, 6, 1))
    outcomes = read_outcomes(store)
    assert {k: (o.date, o.failed) for k, o in outcomes.items()} == {
        "T0000": ("2025-03-01", True),
        "T0001": ("2025-03-02", False),
        "T0002": ("2025-04-01", False),
        "T0003": ("2025-05-01", True),
    }
    assert set(read_outcomes(store, date(2025, 3, 2))) == {"T0001", "T0002", "T0003"}

    graph = export_graph(store)
    index = graph.index("enterprise")
    registry = dict(zip(graph.keys["enterprise"], graph.enterprises["label_class"], strict=True))
    classes = ("A", "B", "C", "D")
    found = load_labels(
        graph,
        "graph+inspections",
        classes,
        binary=False,
        seed=0,
        fractions=(0.5, 0.25, 0.25),
        outcomes=outcomes,
    )
    merged = {k: (classes[found.y[i]] if found.y[i] >= 0 else None) for k, i in index.items()}
    # findings: at least C (a registry D stays D); passes keep the registry label
    for key in ("T0000", "T0003"):
        assert merged[key] == ("D" if registry[key] == "D" else "C")
    for key in ("T0001", "T0002"):
        assert merged[key] == registry[key]
    assert merged["T0010"] == registry["T0010"]  # not inspected: the registry label
    assert merged["Q0000"] is None
    assert found.source.startswith("graph+inspections:4 inspected")
    # the rule itself, binary and A–D, with and without a registry label
    failed, passed = Outcome("2025-03-01", True), Outcome("2025-03-01", False)
    assert inspection_class(failed, None, ("0", "1"), True) == "1"
    assert inspection_class(passed, None, ("0", "1"), True) == "0"
    assert inspection_class(passed, "1", ("0", "1"), True) == "1"
    assert [inspection_class(failed, r, classes, False) for r in (None, "A", "C", "D")] == [
        "C",
        "C",
        "C",
        "D",
    ]
    assert [inspection_class(passed, r, classes, False) for r in (None, "A", "D")] == [
        "B",
        "A",
        "D",
    ]


def _result(uscc: str, day: str, result: str) -> dict[str, str | None]:
    return {
        "uscc": uscc,
        "date": day,
        "result": result,
        "plan_id": None,
        "case_no": f"case/{uscc}/{day}",
        "authority": "test",
        "note": None,
    }


def test_training_on_inspection_labels(store: GraphStore, tmp_path: Path) -> None:
    planted(40, seed=4).load(store)
    rows = [
        _result(f"T{i:04d}", f"2025-03-{1 + i % 20:02d}", "不合格" if i % 2 else "合格")
        for i in range(40)
    ]
    record_results(store, rows, now=datetime(2025, 6, 1))
    config = replace(quick_config(("lgbm_own",)), as_of=None, monitoring_reference=False)
    result = train(
        store, tmp_path, labels=LabelSpec(source="inspections", binary=True), config=config
    )
    manifest = json.loads((result.model_dir / "manifest.json").read_text("utf-8"))
    assert manifest["label_source"] == "inspections"
    # the features are taken the day before the first labelling inspection, so the
    # violation a failed inspection records does not predict its own label
    assert manifest["as_of"] == "2025-02-28"
    assert result.metrics["split"]["labelled"] == 40
    assert result.metrics["split"]["class_counts"]["train"]["1"] > 0
    assert "reference" not in manifest
