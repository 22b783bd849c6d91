"""Message passing is really wired: a neighbour-only signal is learnt by the graph models."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import quick_config

from riskgraph.gnn import bundle as bundle_module
from riskgraph.gnn.bundle import load_bundle, predict_with
from riskgraph.gnn.export import export_graph
from riskgraph.gnn.train import LabelSpec, TrainError, TrainResult, train
from riskgraph.graph.store import GraphStore


def test_graph_models_learn_a_signal_own_features_cannot_see(planted_model: TrainResult) -> None:
    metrics = planted_model.metrics
    test = metrics["models"]
    assert metrics["split"]["source"].endswith("stratified seed 0")
    assert test["hetero_sage"]["roc_auc"] >= 0.95
    assert test["hetero_sage"]["macro_f1"] >= 0.9  # learnt, not just ranked by chance
    assert test["hetero_sage"]["ece"] <= 0.1
    assert test["lgbm_graph"]["roc_auc"] >= 0.95
    assert test["lgbm_own"]["roc_auc"] <= 0.75
    assert test["lgbm_own"]["macro_f1"] <= 0.75
    assert planted_model.validation["hetero_sage"]["roc_auc"] >= 0.95
    assert metrics["selected"] != "lgbm_own"


def test_the_training_time_counts_the_whole_run(planted_model: TrainResult) -> None:
    """``seconds`` covers every candidate's fit and prediction (it once counted only
    from the start of the last prediction)."""
    parts = [
        figures["training"][part]
        for figures in planted_model.metrics["models"].values()
        for part in ("seconds", "predict_seconds")
        if part in figures["training"]
    ]
    assert len(parts) == 6  # three candidates fitted and predicting; the ensemble fits nothing
    rounding = 0.005 * len(parts)  # each part is rounded to 0.01 s
    assert planted_model.seconds >= sum(parts) - rounding


def test_training_writes_a_complete_version_folder(planted_model: TrainResult) -> None:
    folder = planted_model.model_dir
    for name in (
        "manifest.json",
        "pipeline.json",
        "metrics.json",
        "report.md",
        "hetero_sage.pt",
        "lgbm_graph.lgbm.txt",
    ):
        assert (folder / name).is_file(), name
    metrics = json.loads((folder / "metrics.json").read_text("utf-8"))
    assert set(metrics) >= {"models", "selected", "split"}
    figures = metrics["models"]["hetero_sage"]
    for key in (
        "macro_f1",
        "per_class",
        "high_risk_recall",
        "roc_auc",
        "pr_auc",
        "ece",
        "confusion_matrix",
    ):
        assert key in figures, key
    assert "| hetero_sage" in (folder / "report.md").read_text("utf-8")


def test_same_seed_same_model(planted_store: GraphStore, tmp_path: Path) -> None:
    config = quick_config(("hetero_sage",))
    first = train(planted_store, tmp_path, labels=LabelSpec(binary=True), seed=3, config=config)
    second = train(planted_store, tmp_path, labels=LabelSpec(binary=True), seed=3, config=config)
    assert first.version != second.version
    graph = export_graph(planted_store)
    probas = [
        load_bundle(result.model_dir).predict_proba(load_bundle(result.model_dir).prepare(graph))
        for result in (first, second)
    ]
    assert np.array_equal(probas[0], probas[1])
    assert first.metrics["models"] == second.metrics["models"] or _same_figures(first, second)


def _same_figures(a: TrainResult, b: TrainResult) -> bool:
    strip = lambda m: {k: {x: y for x, y in v.items() if x != "training"} for k, v in m.items()}  # noqa: E731
    return bool(strip(a.metrics["models"]) == strip(b.metrics["models"]))


def test_labels_from_a_file_with_a_seeded_stratified_split(
    planted_store: GraphStore, tmp_path: Path
) -> None:
    rows = planted_store.read(
        "MATCH (e:Enterprise) WHERE e.label IS NOT NULL "
        "RETURN e.uscc AS key, e.label AS label ORDER BY key"
    )
    path = tmp_path / "labels.csv"
    lines = ["key,label", *(f"{r['key']},{r['label']}" for r in rows[:100]), "NOPE,1"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = train(
        planted_store,
        tmp_path / "m",
        labels=LabelSpec(source=path, binary=True),
        seed=1,
        config=quick_config(("lgbm_own",)),
    )
    split = result.metrics["split"]
    assert split["labelled"] == 100
    assert split["train"] + split["valid"] + split["test"] == 100
    assert split["source"] == "file:labels.csv; stratified seed 1"
    positives = sum(int(r["label"]) for r in rows[:100])
    assert sum(split["class_counts"][part]["1"] for part in ("train", "valid", "test")) == positives


def test_no_labels_is_an_error(planted_store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(TrainError, match="no enterprise has a label"):
        train(
            planted_store,
            tmp_path,
            labels=LabelSpec(classes=("A", "B", "C", "D")),
            config=quick_config(("lgbm_own",)),
        )


def test_large_graph_settings_sample_rows_and_chunk_predictions(
    planted_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = replace(quick_config(("scorecard", "lgbm_graph")), max_fit_rows=60, max_eval_rows=20)
    result = train(planted_store, tmp_path, labels=LabelSpec(binary=True), seed=0, config=config)
    split = result.metrics["split"]
    assert split["fit_rows"] == 60 and split["valid"] == 20 and split["test"] == 20
    assert split["sampled_from"]["valid"] > 20 and "sampled to ≤ 20" in split["source"]
    assert result.metrics["models"]["lgbm_graph"]["training"]["rows"] == 60
    assert result.metrics["models"]["lgbm_graph"]["n"] == 20
    # scoring reads the wide aggregates in chunks: the same probabilities as at once
    bundle = load_bundle(result.model_dir)
    inputs = bundle.prepare(export_graph(planted_store))
    whole = bundle.predict_proba(inputs)
    fresh = bundle.prepare(export_graph(planted_store))
    monkeypatch.setattr(bundle_module, "CHUNK_ROWS", 7)
    assert np.allclose(bundle.predict_proba(fresh), whole, atol=1e-6)
    # a few rows read only their own aggregates, never the whole table
    few = bundle.prepare(export_graph(planted_store))
    rows = np.array([0, 5, 9])
    assert np.allclose(
        predict_with(bundle.selected, bundle.models[bundle.selected], few, rows),
        whole[rows],
        atol=1e-6,
    )
    assert not few.has_extended
