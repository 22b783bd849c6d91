"""Re-score a few enterprises at once (after a credit repair, for example).

The model's features are computed over the whole exported graph (neighbour
aggregates, standardisation against the training statistics), so there is no
cheaper way to the same answer than a whole-graph export and prediction; only
the asked enterprises are written back, each with a new ``RiskAssessment`` in
its history (``gnn_write_scores.cypher``), exactly as a full scoring run writes
them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from riskgraph.gnn.export import export_graph
from riskgraph.gnn.score import Scores, predict_inputs, write_back
from riskgraph.gnn.versions import resolve_version
from riskgraph.graph.store import GraphStore


@dataclass(frozen=True)
class Rescored:
    """The new figures of the re-scored enterprises (absent keys: not in the graph)."""

    model_version: str
    scored_at: str
    results: dict[str, dict[str, Any]]
    seconds: float


def rescore_keys(
    store: GraphStore,
    model_dir: Path,
    keys: list[str],
    *,
    as_of: date | None = None,
    device: str = "cpu",
) -> Rescored:
    """Score the graph with the newest model under ``model_dir`` and write back only
    ``keys``. Raises ModelError when there is no trained model."""
    from riskgraph.gnn.bundle import load_bundle

    started = time.monotonic()
    folder = resolve_version(Path(model_dir))
    bundle = load_bundle(folder, device=device)
    graph = export_graph(store)
    scores = predict_inputs(bundle, bundle.prepare(graph, as_of=as_of))
    position = {key: i for i, key in enumerate(scores.keys)}
    rows = [position[key] for key in dict.fromkeys(keys) if key in position]
    subset = Scores(
        keys=[scores.keys[i] for i in rows],
        classes=scores.classes,
        proba=scores.proba[rows],
        predicted=[scores.predicted[i] for i in rows],
        risk=scores.risk[rows],
    )
    now = datetime.now(UTC)
    scored_at = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if subset.keys:
        write_back(store, subset, 1000, bundle.version, scored_at, now.date())
    results = {
        row["key"]: {"class": row["class"], "risk_score": row["risk_score"], **row["probs"]}
        for row in subset.rows()
    }
    return Rescored(bundle.version, scored_at, results, time.monotonic() - started)
