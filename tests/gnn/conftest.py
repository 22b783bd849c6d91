"""Fixtures for the risk-model tests: one thread, and a planted graph trained once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import torch
from gnn_helpers import planted

from riskgraph.gnn.baselines import LgbmConfig
from riskgraph.gnn.hetero_sage import HeteroSAGEConfig
from riskgraph.gnn.train import TrainConfig, TrainResult, train
from riskgraph.gnn.trainer import FitConfig
from riskgraph.graph.embedded import EmbeddedDatabase
from riskgraph.graph.falkordb_store import FalkorDBStore

AS_OF = date(2025, 1, 1)


def quick_config(models: tuple[str, ...]) -> TrainConfig:
    """Small, fast settings for toy graphs."""
    return TrainConfig(
        models=models,
        gnn=(HeteroSAGEConfig(hidden_channels=32, dropout=0.1),),
        fit=FitConfig(lr=0.01, max_epochs=150, patience=40),
        lgbm=LgbmConfig(n_estimators=200, early_stopping_rounds=30, min_child_samples=5),
        min_aggregate_edges=1,
        as_of=AS_OF,
        device="cpu",
    )


@pytest.fixture(scope="session", autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def planted_store(embedded_db: EmbeddedDatabase) -> Iterator[FalkorDBStore]:
    """The binary planted graph, loaded once per session."""
    store = FalkorDBStore(embedded_db.uri(), f"test_gnn_{uuid.uuid4().hex[:12]}")
    planted(200).load(store)
    yield store
    store.drop_graph()
    store.close()


@pytest.fixture(scope="session")
def planted_model(
    planted_store: FalkorDBStore, tmp_path_factory: pytest.TempPathFactory
) -> TrainResult:
    """Every candidate but the scorecard, trained on the planted graph."""
    out = tmp_path_factory.mktemp("models")
    config = quick_config(("lgbm_own", "lgbm_graph", "hetero_sage", "ensemble"))
    return train(planted_store, Path(out), binary=True, seed=0, config=config)
