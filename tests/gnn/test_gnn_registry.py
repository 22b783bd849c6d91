"""The model end to end on a generated registry (firm → address links, four classes)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from riskgraph.gnn.fit import FitConfig
from riskgraph.gnn.score import score
from riskgraph.gnn.train import TrainConfig, train
from riskgraph.graph.schema import init_schema
from riskgraph.graph.store import GraphStore
from riskgraph.ingest.generate import generate_registry
from riskgraph.ingest.loader import Loader
from riskgraph.ingest.registry_format import RegistryFormat


def test_train_and_score_a_generated_registry(store: GraphStore, tmp_path: Path) -> None:
    generate_registry(1000, 21, tmp_path / "in")
    init_schema(store)
    Loader(
        store,
        RegistryFormat(b"test-secret-0123456789", today=date(2026, 11, 1)),
        runs_dir=tmp_path / "runs",
    ).run(tmp_path / "in")

    config = TrainConfig(fit=FitConfig(max_epochs=40, patience=10))
    result = train(store, tmp_path / "models", seed=1, config=config)
    figures = result.metrics["models"]
    assert set(figures) >= {"scorecard", "lgbm_own", "lgbm_graph", "hetero_sage"}
    assert result.selected in figures
    # Firm -> address links feed the neighbour aggregates (a regression: they once
    # indexed addresses with firm ids).
    assert figures["lgbm_graph"]["roc_auc"] > 0.6

    summary = score(store, result.model_dir, export=tmp_path / "scores.csv")
    [row] = store.read(
        "MATCH (e:Enterprise) RETURN count(e) AS n, count(e.risk_class) AS scored, "
        "min(e.p_A + e.p_B + e.p_C + e.p_D) AS low, max(e.p_A + e.p_B + e.p_C + e.p_D) AS high"
    )
    assert row["n"] == row["scored"] == summary.scored
    assert abs(row["low"] - 1) < 1e-3 and abs(row["high"] - 1) < 1e-3
    header = (tmp_path / "scores.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "key,class,risk_score,p_A,p_B,p_C,p_D"
