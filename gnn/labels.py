"""Training labels and the train/validation/test split.

Labels come from the graph (``Enterprise.label`` for binary models,
``Enterprise.label_class`` otherwise), from a CSV file (``key``/``uscc``,
``label``/``class``, optionally ``split``), or from inspection results
(``InspectionRecord``, recorded by ``riskgraph inspections record``):
``"inspections"`` alone or ``"graph+inspections"`` merged with the registry
labels, by :func:`inspection_class`. The split is the one the labelled
enterprises carry (``train``/``valid``/``test``) where they carry one, else a
seeded stratified split. On large graphs the validation and test rows are
sampled down (:func:`cap_labels`) and the tree models fit on a sample of the
train rows (:func:`stratified_sample`).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split

from riskgraph.errors import RiskgraphError
from riskgraph.gnn.export import TARGET, GraphExport
from riskgraph.graph.store import GraphStore

_SPLIT_NAMES = {
    "train": "train",
    "valid": "valid",
    "validation": "valid",
    "val": "valid",
    "test": "test",
}


INSPECTIONS = "inspections"
GRAPH_AND_INSPECTIONS = "graph+inspections"
INSPECTION_SOURCES = (INSPECTIONS, GRAPH_AND_INSPECTIONS)
FAILED = "不合格"
"""An inspection result with findings (problems found); ``合格`` is a pass."""


class TrainError(RiskgraphError):
    """Training cannot run: no labels, an empty split, a bad label file."""


@dataclass(frozen=True)
class Outcome:
    """An enterprise's latest inspection: its date and whether it found problems."""

    date: str
    failed: bool


def read_outcomes(
    store: GraphStore, since: date | None = None, *, page_size: int = 10_000
) -> dict[str, Outcome]:
    """The latest inspection of every inspected enterprise (dated from ``since``); on
    one day a failure outweighs a pass."""
    query = store.query_text("gnn_inspection_outcomes")
    found: dict[str, Outcome] = {}
    after = ""
    while True:
        rows = store.read(
            query, since=since.isoformat() if since else None, after=after, limit=page_size
        )
        for row in rows:
            outcome = Outcome(str(row["date"])[:10], row["result"] == FAILED)
            held = found.get(row["uscc"])
            if held is None or (outcome.date, outcome.failed) > (held.date, held.failed):
                found[row["uscc"]] = outcome
        if len(rows) < page_size:
            return found
        after = str(rows[-1]["rid"])


def inspection_class(
    outcome: Outcome, registry: str | None, classes: Sequence[str], binary: bool
) -> str | None:
    """The training label of an inspected enterprise (``registry``: its registry label,
    ``None`` when it has none or the source is ``inspections`` alone).

    Binary: findings → ``1``; a pass → ``0`` unless the registry says ``1``.
    A–D: findings → the lowest class of the upper half (C), or the registry label when
    that is higher (D stays D); a pass → the registry label, else the highest class
    of the lower half (B).
    """
    if binary:
        return "1" if outcome.failed else (registry or "0")
    high = len(classes) - len(classes) // 2
    if outcome.failed:
        if registry is not None and registry in classes and list(classes).index(registry) > high:
            return registry
        return classes[high]
    return registry if registry in classes else classes[high - 1]


@dataclass
class Labels:
    """Class indices (``-1`` unlabelled) and the split of the labelled rows."""

    y: np.ndarray
    train: np.ndarray
    valid: np.ndarray
    test: np.ndarray
    source: str
    sampled_from: dict[str, int] = field(default_factory=dict)
    """Split sizes before :func:`cap_labels` sampled them (empty when nothing was sampled)."""


def load_labels(
    graph: GraphExport,
    label_source: str | Path,
    classes: Sequence[str],
    *,
    binary: bool,
    seed: int,
    fractions: tuple[float, float, float],
    outcomes: Mapping[str, Outcome] | None = None,
) -> Labels:
    """Labels from the graph (``label``/``label_class``), a CSV file or inspection
    ``outcomes`` (sources ``inspections``, ``graph+inspections``), and the split (the
    given one, else stratified in ``fractions`` of train, valid and test)."""
    y = np.full(graph.num_nodes(TARGET), -1, dtype=np.int64)
    split = np.array([_split_name(s) for s in graph.enterprises["split"]], dtype=object)
    if str(label_source) == "graph":
        source = _graph_labels(graph, classes, binary, y)
    elif str(label_source) in INSPECTION_SOURCES:
        if str(label_source) == GRAPH_AND_INSPECTIONS:
            _graph_labels(graph, classes, binary, y)
        source = _inspection_labels(graph, outcomes or {}, classes, binary, y)
        source = f"{label_source}:{source}"
    else:
        source = _file_labels(graph, Path(label_source), classes, binary, y, split)
    labelled = np.flatnonzero(y >= 0)
    if len(labelled) == 0:
        raise TrainError(f"no enterprise has a label ({source}, classes {list(classes)})")
    given = split[labelled]
    train_rows = labelled[given == "train"]
    valid_rows = labelled[given == "valid"]
    if len(train_rows) and len(valid_rows):
        test_rows = labelled[given == "test"]
        return Labels(y, train_rows, valid_rows, test_rows, f"{source}; split property")
    train_rows, valid_rows, test_rows = _stratified(labelled, y[labelled], seed, fractions)
    return Labels(y, train_rows, valid_rows, test_rows, f"{source}; stratified seed {seed}")


def _graph_labels(graph: GraphExport, classes: Sequence[str], binary: bool, y: np.ndarray) -> str:
    """Fill ``y`` from the enterprises' label property; the source's name."""
    index = {c: i for i, c in enumerate(classes)}
    column = "label" if binary else "label_class"
    for row, value in enumerate(graph.enterprises[column]):
        y[row] = index.get(_class_text(value), -1)
    return f"graph:{column}"


def _inspection_labels(
    graph: GraphExport,
    outcomes: Mapping[str, Outcome],
    classes: Sequence[str],
    binary: bool,
    y: np.ndarray,
) -> str:
    """Fill ``y`` of the inspected enterprises by :func:`inspection_class` (over what
    ``y`` already holds); the source's name."""
    rows = graph.index(TARGET)
    used = 0
    for key, outcome in outcomes.items():
        row = rows.get(key)
        if row is None:
            continue
        registry = classes[int(y[row])] if y[row] >= 0 else None
        label = inspection_class(outcome, registry, classes, binary)
        y[row] = list(classes).index(label) if label is not None and label in classes else -1
        used += 1
    return f"{used} inspected enterprises"


def _file_labels(
    graph: GraphExport,
    path: Path,
    classes: Sequence[str],
    binary: bool,
    y: np.ndarray,
    split: np.ndarray,
) -> str:
    """Fill ``y`` and ``split`` (split names) from a CSV file; the source's name."""
    index = {c: i for i, c in enumerate(classes)}
    rows = graph.index(TARGET)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle):
                key = record.get("key") or record.get("uscc") or ""
                value = record.get("label") if binary else record.get("class")
                if value is None:
                    value = record.get("class") or record.get("label")
                if key in rows:
                    y[rows[key]] = index.get(_class_text(value), -1)
                    if record.get("split"):
                        split[rows[key]] = _split_name(record["split"])
    except OSError as exc:
        raise TrainError(f"cannot read labels from {path}: {exc}") from exc
    return f"file:{path.name}"


def _split_name(value: Any) -> str | None:
    text = str(value).strip().lower() if value is not None else ""
    return _SPLIT_NAMES.get(text)


def _class_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return "" if np.isnan(value) else (str(int(value)) if value.is_integer() else str(value))
    return str(value).strip()


def _stratified(
    rows: np.ndarray, y: np.ndarray, seed: int, fractions: tuple[float, float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    _, valid_f, test_f = fractions
    if len(rows) < 6:
        raise TrainError(f"only {len(rows)} labelled enterprises; need at least 6 to split")
    counts = np.bincount(y)
    stratify = y if counts[counts > 0].min() >= 3 else None
    rest_f = valid_f + test_f
    train_rows, rest, _, y_rest = train_test_split(
        rows, y, test_size=rest_f, random_state=seed, stratify=stratify
    )
    counts = np.bincount(y_rest)
    stratify_rest = y_rest if stratify is not None and counts[counts > 0].min() >= 2 else None
    valid_rows, test_rows = train_test_split(
        rest, test_size=test_f / rest_f, random_state=seed, stratify=stratify_rest
    )
    return np.sort(train_rows), np.sort(valid_rows), np.sort(test_rows)


def stratified_sample(rows: np.ndarray, y: np.ndarray, limit: int | None, seed: int) -> np.ndarray:
    """About ``limit`` of ``rows`` (all if fewer), drawn per class in proportion and at
    least one of each class; sorted."""
    if limit is None or len(rows) <= limit:
        return rows
    rng = np.random.default_rng(seed)
    classes = y[rows]
    picked = []
    for value in np.unique(classes):
        members = rows[classes == value]
        share = max(1, round(limit * len(members) / len(rows)))
        picked.append(rng.choice(members, size=min(share, len(members)), replace=False))
    return np.sort(np.concatenate(picked))


def cap_labels(labels: Labels, limit: int | None, seed: int) -> Labels:
    """Validation and test rows sampled down to ``limit`` each (stratified, seeded)."""
    if limit is None or (len(labels.valid) <= limit and len(labels.test) <= limit):
        return labels
    return Labels(
        y=labels.y,
        train=labels.train,
        valid=stratified_sample(labels.valid, labels.y, limit, seed),
        test=stratified_sample(labels.test, labels.y, limit, seed + 1),
        source=f"{labels.source}; valid/test sampled to ≤ {limit}",
        sampled_from={"valid": len(labels.valid), "test": len(labels.test)},
    )
