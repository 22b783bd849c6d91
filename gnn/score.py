"""Score every enterprise with a trained model and write the results back.

Each enterprise gets ``risk_class``, ``risk_score`` (P(C)+P(D) for A–D, the
positive-class probability for binary), ``p_<class>`` for every class,
``model_version`` and ``scored_at``; a ``RiskAssessment`` node with the same
figures and the scoring date is appended to its history through
``HAS_ASSESSMENT``. Writes go in batches (``gnn_write_scores.cypher``, or
``gnn_write_scores_by_id.cypher`` where the export has node ids; one
transaction per batch; each run appends one record per enterprise under its own
``scored_at``; CREATE rather than MERGE: nothing resends a committed batch, and
MERGE writes more slowly).
With ``export`` a CSV ``key,class,risk_score,p_<class>…`` lists every
enterprise in key order.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from riskgraph.gnn.export import TARGET, export_graph
from riskgraph.gnn.progress import Progress, quiet
from riskgraph.gnn.versions import resolve_version
from riskgraph.graph.store import GraphStore, Row

# The model stack (torch, PyG, LightGBM, scikit-learn) takes seconds to import:
# score() imports it on a worker thread while the graph is read, so this module
# imports it only where it runs.
if TYPE_CHECKING:
    from riskgraph.gnn.bundle import Bundle
    from riskgraph.gnn.inputs import Inputs


@dataclass
class ScoreSummary:
    """What a scoring run did."""

    model_version: str
    model: str
    scored: int
    written: int
    class_counts: dict[str, int]
    scored_at: str
    export: Path | None
    seconds: float
    mean_risk_score: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model_version": self.model_version,
            "model": self.model,
            "scored": self.scored,
            "written": self.written,
            "class_counts": self.class_counts,
            "scored_at": self.scored_at,
            "export": str(self.export) if self.export else None,
            "seconds": round(self.seconds, 3),
            "mean_risk_score": self.mean_risk_score,
        }


@dataclass
class Scores:
    """Per-enterprise results in key order."""

    keys: list[str]
    classes: tuple[str, ...]
    proba: np.ndarray
    predicted: list[str]
    risk: np.ndarray
    node_ids: np.ndarray | None = None

    def rows(self) -> Iterator[Row]:
        """One write-back row per enterprise (with its node id where known), made as sent."""
        names = [f"p_{c}" for c in self.classes]
        risk = self.risk.round(6).tolist()
        proba = self.proba.round(6).tolist()
        ids = self.node_ids.tolist() if self.node_ids is not None else None
        for i, key in enumerate(self.keys):
            row: Row = {
                "key": key,
                "class": self.predicted[i],
                "risk_score": risk[i],
                "probs": dict(zip(names, proba[i], strict=True)),
            }
            if ids is not None:
                row["id"] = ids[i]
            yield row


def predict_inputs(bundle: Bundle, inputs: Inputs, *, progress: Progress | None = None) -> Scores:
    """Predict every enterprise of already prepared ``inputs`` (no export)."""
    from riskgraph.gnn.bundle import risk_score
    from riskgraph.gnn.metrics import predict_classes

    proba = bundle.predict_proba(inputs)
    (progress or quiet)(f"predicted with {bundle.selected}")
    classes = bundle.classes
    chosen = predict_classes(proba, bundle.threshold())
    return Scores(
        keys=list(inputs.graph.keys[TARGET]),
        classes=classes,
        proba=proba,
        predicted=[classes[i] for i in chosen],
        risk=risk_score(proba, classes, bundle.binary),
        node_ids=inputs.graph.node_ids,
    )


def _load_bundle(folder: Path, device: str) -> Bundle:
    from riskgraph.gnn.bundle import load_bundle

    return load_bundle(folder, device=device)


@dataclass(frozen=True)
class ScoreConfig:
    """How to score: write-back batch size, device, export page size."""

    batch_size: int = 20_000
    device: str = "auto"
    page_size: int = 5000


def score(
    store: GraphStore,
    model_dir: Path,
    *,
    export: Path | None = None,
    as_of: date | None = None,
    write: bool = True,
    config: ScoreConfig | None = None,
    progress: Progress | None = None,
    inputs: Inputs | None = None,
) -> ScoreSummary:
    """Score every enterprise; write back (unless ``write=False``) and export a CSV.

    With ``inputs`` (the features a model version was just trained from, see
    ``TrainResult.inputs``) the graph is not exported again.
    """
    started = time.monotonic()
    config = config or ScoreConfig()
    say = progress or quiet
    if inputs is None:
        folder = resolve_version(Path(model_dir))  # a wrong folder fails now, not after the export
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="load-model") as pool:
            loading = pool.submit(_load_bundle, folder, config.device)
            graph = export_graph(store, page_size=config.page_size)
            say(f"exported {graph.num_nodes(TARGET):,} enterprises")
            bundle = loading.result()
        inputs = bundle.prepare(graph, as_of=as_of)
        say("features ready")
    else:
        bundle = _load_bundle(Path(model_dir), config.device)
    scores = predict_inputs(bundle, inputs, progress=progress)
    now = datetime.now(UTC)
    scored_at = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    written = 0
    if write and scores.keys:
        written = write_back(
            store, scores, config.batch_size, bundle.version, scored_at, now.date()
        )
        say(f"wrote {written:,} scores back")
        if written < len(scores.keys):
            say(
                f"{len(scores.keys) - written:,} enterprises were not found when writing back "
                "(deleted or re-created while scoring): run the scoring again"
            )
    if export is not None:
        write_csv(Path(export), scores)
        say(f"exported the scores to {export}")
    counts = Counter(scores.predicted)
    return ScoreSummary(
        model_version=bundle.version,
        model=bundle.selected,
        scored=len(scores.keys),
        written=written,
        class_counts={c: int(counts.get(c, 0)) for c in scores.classes},
        scored_at=scored_at,
        export=Path(export) if export is not None else None,
        seconds=time.monotonic() - started,
        mean_risk_score=float(scores.risk.mean()) if scores.keys else None,
    )


def write_back(
    store: GraphStore,
    scores: Scores,
    batch_size: int,
    model_version: str,
    scored_at: str,
    scored_on: date,
) -> int:
    """Write ``scores`` onto the enterprises; the number of enterprises written.

    With node ids from the export (only the id-window export has them),
    enterprises are found by id (checked against the key) rather than through
    the key index.
    """
    by_id = scores.node_ids is not None
    query = "gnn_write_scores_by_id" if by_id else "gnn_write_scores"
    written = 0

    def count(rows: list[Row]) -> None:
        nonlocal written
        written += sum(int(row["written"]) for row in rows)

    # an automatic AOF rewrite forks the server and serialises the whole graph,
    # taking a core from a large write-back it falls into: it waits until after
    with store.bulk_load(compact=False):
        store.write_batches(
            store.query_text(query),
            scores.rows(),
            batch_size,
            on_result=count,
            model_version=model_version,
            scored_at=scored_at,
            scored_on=scored_on.isoformat(),
        )
    return written


def prune_history(
    store: GraphStore,
    before: date,
    *,
    batch_size: int = 500_000,
    progress: Progress | None = None,
) -> int:
    """Delete every ``RiskAssessment`` dated before ``before``; how many went.

    The enterprises' current scores stay. Deletes go in batches of
    ``batch_size``, one transaction each, so a large history does not make
    one huge transaction; an interrupted run leaves only older records and
    can simply be run again. On FalkorDB a delete query costs about the same
    whatever its size, hence the large default; Neo4j may want smaller ones
    for heap.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    query = store.query_text("gnn_prune_assessments")
    deleted = 0
    while True:
        [row] = store.write(query, before=before.isoformat(), limit=batch_size)
        deleted += int(row["deleted"])
        if int(row["deleted"]) < batch_size:
            break
        (progress or quiet)(f"deleted {deleted:,} assessments")
    return deleted


def write_csv(path: Path, scores: Scores) -> None:
    """``key,class,risk_score,p_<class>…``, one row per enterprise in key order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["key", "class", "risk_score", *(f"p_{c}" for c in scores.classes)])
        for i, key in enumerate(scores.keys):
            probabilities = (f"{scores.proba[i, j]:.6f}" for j in range(len(scores.classes)))
            writer.writerow([key, scores.predicted[i], f"{scores.risk[i]:.6f}", *probabilities])
