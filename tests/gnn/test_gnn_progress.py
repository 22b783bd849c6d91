"""Training tells how it goes: epochs, the validation figure, the best so far and the time,
in full batch and in mini-batches, throttled, and the stop always; ``train`` passes its
progress sink down to the GNN's fit."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
from conftest import quick_config
from test_gnn_sampling import planted_data, planted_model

from riskgraph.gnn.fit import FitConfig, FitHooks, fit
from riskgraph.gnn.train import LabelSpec, train
from riskgraph.graph.store import GraphStore

LINE = re.compile(
    r"GNN epoch (\d+)/(\d+) · check (\d+) · validation (\d\.\d{4}) "
    r"\(best (\d\.\d{4}) at check (\d+)\) · \d+ s"
)


def split() -> tuple[Any, np.ndarray, np.ndarray, np.ndarray]:
    data, y = planted_data()
    labelled = np.flatnonzero(y >= 0)
    order = np.random.default_rng(0).permutation(labelled)
    cut = int(0.7 * len(order))
    return data, y, np.sort(order[:cut]), np.sort(order[cut:])


def test_full_batch_fit_reports_every_check_and_the_stop() -> None:
    data, y, train_rows, valid_rows = split()
    lines: list[str] = []
    config = FitConfig(max_epochs=6, patience=100, report_every_s=0.0)
    outcome = fit(
        planted_model(data), data, y, train_rows, valid_rows, ("0", "1"), config,
        FitHooks(progress=lines.append),
    )  # fmt: skip
    assert len(lines) == outcome.epochs_run == 6
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    epochs = [int(m[1]) for m in parsed if m]
    assert epochs == list(range(1, 7))
    figures = [float(m[4]) for m in parsed if m]
    assert figures == [round(v, 4) for v in outcome.history]
    last = parsed[-1]
    assert last and float(last[5]) == round(outcome.best_score, 4)
    assert int(last[6]) == outcome.best_epoch + 1
    assert lines[-1].endswith("stopped")


def test_reports_are_throttled_but_the_first_and_last_always_come() -> None:
    data, y, train_rows, valid_rows = split()
    lines: list[str] = []
    config = FitConfig(max_epochs=5, patience=100, report_every_s=3600.0)
    fit(
        planted_model(data), data, y, train_rows, valid_rows, ("0", "1"), config,
        FitHooks(progress=lines.append),
    )  # fmt: skip
    assert [line.split(" · ")[0] for line in lines] == ["GNN epoch 1/5", "GNN epoch 5/5"]


def test_mini_batches_report_their_checks_and_a_budget_stop() -> None:
    data, y, train_rows, valid_rows = split()
    lines: list[str] = []
    config = FitConfig(max_epochs=50, batch_size=16, eval_every=4, max_seconds=0.0)
    outcome = fit(
        planted_model(data), data, y, train_rows, valid_rows, ("0", "1"), config,
        FitHooks(progress=lines.append),
    )  # fmt: skip
    assert outcome.stopped_by_budget
    assert len(lines) == 1 and LINE.match(lines[0])
    assert lines[0].endswith("stopped: time budget")


def test_train_passes_its_progress_to_the_gnn(planted_store: GraphStore, tmp_path: Path) -> None:
    lines: list[str] = []
    config = quick_config(("hetero_sage",))
    result = train(
        planted_store, tmp_path, labels=LabelSpec(binary=True), config=config,
        progress=lines.append,
    )  # fmt: skip
    started = [i for i, line in enumerate(lines) if line.startswith("training the GNN")]
    epochs = [i for i, line in enumerate(lines) if LINE.match(line)]
    assert started and epochs and started[0] < epochs[0]
    detail = result.metrics["models"]["hetero_sage"]["training"]
    last = LINE.match(lines[epochs[-1]])
    assert last and int(last[1]) == detail["epochs_run"]
