"""Re-score a few enterprises at once (after a credit repair, for example).

A firm's score depends only on its neighbourhood (the hops the model reads, see
:mod:`riskgraph.gnn.khop`), so only that neighbourhood is read, not the whole
graph; the scores equal a whole-graph scoring run's (unless a hub had to be
sampled, which the answer says). Only the asked enterprises are written back,
each with a new ``RiskAssessment`` in its history (``gnn_write_scores.cypher``),
exactly as a full scoring run writes them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from riskgraph.gnn.export import TARGET
from riskgraph.gnn.khop import export_neighbourhood
from riskgraph.gnn.score import Scores, write_back
from riskgraph.gnn.versions import resolve_version
from riskgraph.graph.store import GraphStore


@dataclass(frozen=True)
class Rescored:
    """The new figures of the re-scored enterprises (absent keys: not in the graph)."""

    model_version: str
    scored_at: str
    results: dict[str, dict[str, Any]]
    seconds: float
    sampled: list[dict[str, object]] = field(default_factory=list)
    """Hubs whose links were sampled (empty: the scores are the whole graph's)."""


def rescore_keys(
    store: GraphStore,
    model_dir: Path,
    keys: list[str],
    *,
    as_of: date | None = None,
    device: str = "cpu",
) -> Rescored:
    """Score ``keys`` with the newest model under ``model_dir`` from their
    neighbourhood and write them back. Raises ModelError when there is no trained model."""
    from riskgraph.gnn.bundle import load_bundle, predict_with, risk_score
    from riskgraph.gnn.metrics import predict_classes
    from riskgraph.gnn.threads import few_threads

    started = time.monotonic()
    folder = resolve_version(Path(model_dir))
    bundle = load_bundle(folder, device=device)
    wanted = list(dict.fromkeys(keys))
    part = export_neighbourhood(store, bundle, wanted)
    inputs = bundle.prepare(part.graph, as_of=as_of)
    index = part.graph.index(TARGET)
    present = [key for key in wanted if key in index]
    rows = np.array([index[key] for key in present], dtype=np.int64)
    name = bundle.selected
    with few_threads(sum(part.graph.num_nodes(t) for t in part.graph.keys)):
        proba = (
            predict_with(name, bundle.models[name], inputs, rows)
            if len(rows)
            else np.zeros((0, len(bundle.classes)))
        )
    chosen: list[int] = (
        [int(i) for i in predict_classes(proba, bundle.threshold())] if len(rows) else []
    )
    subset = Scores(
        keys=present,
        classes=bundle.classes,
        proba=proba,
        predicted=[bundle.classes[i] for i in chosen],
        risk=risk_score(proba, bundle.classes, bundle.binary),
    )
    now = datetime.now(UTC)
    scored_at = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if subset.keys:
        write_back(store, subset, 1000, bundle.version, scored_at, now.date())
    results = {
        row["key"]: {"class": row["class"], "risk_score": row["risk_score"], **row["probs"]}
        for row in subset.rows()
    }
    return Rescored(bundle.version, scored_at, results, time.monotonic() - started, part.sampled())
