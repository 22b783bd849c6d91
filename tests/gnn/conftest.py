"""Fixtures for the risk-model tests: one thread, and a planted graph trained once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import torch
from engines import Graphs
from gnn_helpers import planted

from riskgraph.gnn.baselines import LgbmConfig
from riskgraph.gnn.fit import FitConfig
from riskgraph.gnn.hetero_sage import HeteroSAGEConfig
from riskgraph.gnn.train import LabelSpec, TrainConfig, TrainResult, train
from riskgraph.graph.store import GraphStore

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
def planted_store(graphs: Graphs) -> Iterator[GraphStore]:
    """The binary planted graph, loaded once per session and engine."""
    store = graphs.acquire()
    planted(200).load(store)
    yield store
    graphs.release(store)


@pytest.fixture(scope="session")
def planted_model(
    planted_store: GraphStore, tmp_path_factory: pytest.TempPathFactory
) -> TrainResult:
    """Every candidate but the scorecard, trained on the planted graph."""
    out = tmp_path_factory.mktemp("models")
    config = quick_config(("lgbm_own", "lgbm_graph", "hetero_sage", "ensemble"))
    return train(planted_store, Path(out), labels=LabelSpec(binary=True), seed=0, config=config)
