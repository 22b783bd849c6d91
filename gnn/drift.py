"""Population stability: reference distributions kept with a model, and PSI against them.

At training the distribution of every enterprise input feature and the class
shares the selected model gives the training population are stored in the
model version (``reference.json``, see :func:`build_reference`). A later
population is compared with it by the population stability index

    PSI = Σ_i (a_i − e_i) · ln(a_i / e_i)

over bins ``i`` with ``e_i`` the reference share and ``a_i`` the current share;
a share of 0 is replaced by ``EPSILON`` (1e-4) so an empty bin contributes a
large but finite term.

Bins, by kind of feature:

- ``numeric``: the reference deciles (``BINS`` = 10 quantiles, linear
  interpolation); equal edges collapse, so a count that is zero for most firms
  has a bin "≤ 0" and a few above it. Intervals are right-closed,
  ``(e_{i-1}, e_i]``, with open ends below the first and above the last edge.
- ``binary`` (a column holding only 0 and 1 on the reference): the two values.
- ``categorical``: a one-hot group (``org_type=…``, ``industry=…``,
  ``region=…``, ``status=…`` with their ``__other__`` and ``__missing__``
  buckets) is one feature whose bins are its categories; its columns are not
  judged one by one.

Levels: PSI < 0.1 stable, 0.1–0.25 watch, > 0.25 drift (:class:`Thresholds`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from riskgraph.gnn.features import CATEGORICALS

REFERENCE = "reference.json"
REFERENCE_FORMAT = 1
BINS = 10
EPSILON = 1e-4
LEVELS: tuple[str, ...] = ("stable", "watch", "drift")


@dataclass(frozen=True)
class Thresholds:
    """PSI below ``watch`` is stable, from ``watch`` to ``drift`` watch, above ``drift`` drift."""

    watch: float = 0.1
    drift: float = 0.25

    def __post_init__(self) -> None:
        if not 0 < self.watch <= self.drift:
            raise ValueError("thresholds must satisfy 0 < watch <= drift")

    def level(self, psi: float | None) -> str:
        """``stable``, ``watch`` or ``drift`` (``stable`` when nothing was measured)."""
        if psi is None or psi < self.watch:
            return "stable"
        return "drift" if psi > self.drift else "watch"


def worst(levels: Sequence[str]) -> str:
    """The most severe of ``levels`` (``stable`` when empty)."""
    return max(levels, key=LEVELS.index, default="stable")


def psi(expected: Sequence[float] | np.ndarray, actual: Sequence[float] | np.ndarray) -> float:
    """PSI of shares ``actual`` against ``expected`` (same bins; zeros become ``EPSILON``)."""
    e = np.maximum(np.asarray(expected, dtype=np.float64), EPSILON)
    a = np.maximum(np.asarray(actual, dtype=np.float64), EPSILON)
    if e.shape != a.shape:
        raise ValueError(f"bins differ: {e.shape} against {a.shape}")
    return float(np.sum((a - e) * np.log(a / e)))


def shares(counts: np.ndarray) -> list[float]:
    """Counts as shares (all zero when there are none)."""
    total = float(np.sum(counts))
    return [float(c) / total if total else 0.0 for c in counts]


def numeric_edges(values: np.ndarray, bins: int = BINS) -> list[float]:
    """The distinct inner edges of ``bins`` quantile bins of ``values``."""
    if len(values) == 0:
        return []
    inner = np.quantile(values, np.linspace(0, 1, bins + 1)[1:-1])
    return [float(v) for v in np.unique(inner)]


def numeric_counts(values: np.ndarray, edges: Sequence[float]) -> np.ndarray:
    """Counts per right-closed bin ``(e_{i-1}, e_i]`` (``len(edges) + 1`` bins)."""
    index = np.searchsorted(np.asarray(edges, dtype=np.float64), values, side="left")
    return np.bincount(index, minlength=len(edges) + 1)


def _groups(columns: Sequence[str]) -> dict[str, list[str]]:
    """One-hot groups by categorical name: ``org_type`` → its ``org_type=…`` columns."""
    found: dict[str, list[str]] = {}
    for column in columns:
        name, sep, _ = column.partition("=")
        if sep and name in CATEGORICALS:
            found.setdefault(name, []).append(column)
    return found


def feature_distribution(
    frame: pd.DataFrame, spec: Mapping[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    """Per feature of ``frame`` (the enterprise features before standardisation): its
    kind, bins and shares. With ``spec`` (a stored reference's ``features``) the bins are
    those of the reference; without, they are fitted on ``frame``."""
    out: dict[str, dict[str, Any]] = {}
    groups = _groups(list(frame.columns))
    grouped = {c for cols in groups.values() for c in cols}
    for name, cols in groups.items():
        known = list(spec[name]["bins"]) if spec and name in spec else cols
        present = [c for c in known if c in frame.columns]
        counts = frame[present].to_numpy(dtype=np.float64).sum(axis=0) if present else []
        by_column = dict(zip(present, counts, strict=True))
        out[name] = {
            "kind": "categorical",
            "bins": known,
            "shares": shares(np.asarray([by_column.get(c, 0.0) for c in known])),
        }
    for column in frame.columns:
        if column in grouped:
            continue
        values = np.nan_to_num(frame[column].to_numpy(dtype=np.float64))
        stored = spec.get(column) if spec else None
        kind = stored["kind"] if stored else _kind(values)
        if kind == "binary":
            counts = np.asarray([(values <= 0.5).sum(), (values > 0.5).sum()])
            out[column] = {"kind": "binary", "bins": [0, 1], "shares": shares(counts)}
            continue
        edges = list(stored["edges"]) if stored else numeric_edges(values)
        out[column] = {
            "kind": "numeric",
            "edges": edges,
            "shares": shares(numeric_counts(values, edges)),
        }
    return out


def _kind(values: np.ndarray) -> str:
    distinct = np.unique(values)
    return "binary" if len(distinct) <= 2 and set(distinct.tolist()) <= {0.0, 1.0} else "numeric"


def class_shares(predicted: Sequence[str], classes: Sequence[str]) -> dict[str, float]:
    """Share of each class among ``predicted``."""
    counts = np.asarray([sum(1 for p in predicted if p == c) for c in classes])
    return dict(zip(classes, shares(counts), strict=True))


def build_reference(
    frame: pd.DataFrame,
    predicted: Sequence[str],
    classes: Sequence[str],
    *,
    as_of: str,
    model: str,
) -> dict[str, Any]:
    """The reference of a training population: feature distributions and class shares."""
    return {
        "format": REFERENCE_FORMAT,
        "as_of": as_of,
        "month": as_of[:7],
        "model": model,
        "population": len(frame),
        "bins": BINS,
        "epsilon": EPSILON,
        "features": feature_distribution(frame),
        "class_shares": class_shares(predicted, classes),
    }


def save_reference(folder: Path, reference: Mapping[str, Any]) -> None:
    """Write ``reference.json`` into a model version folder."""
    text = json.dumps(reference, ensure_ascii=False, separators=(",", ":"))
    (folder / REFERENCE).write_text(text, "utf-8")


def load_reference(folder: Path) -> dict[str, Any] | None:
    """The stored reference of a version folder; ``None`` for versions trained before it
    existed (or an unreadable file)."""
    path = folder / REFERENCE
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != REFERENCE_FORMAT:
        return None
    return data


@dataclass(frozen=True)
class FeatureDrift:
    """One feature's PSI against the reference."""

    feature: str
    kind: str
    psi: float
    level: str


def feature_drift(
    reference: Mapping[str, Any], frame: pd.DataFrame, thresholds: Thresholds
) -> list[FeatureDrift]:
    """PSI of every reference feature on ``frame``, the largest first."""
    spec: Mapping[str, Any] = reference["features"]
    current = feature_distribution(frame, spec)
    found = []
    for name, ref in spec.items():
        now = current.get(name)
        if now is None:  # a column the reference has but the frame lacks: not measurable
            continue
        value = round(psi(ref["shares"], now["shares"]), 6)
        found.append(FeatureDrift(name, str(ref["kind"]), value, thresholds.level(value)))
    found.sort(key=lambda d: (-d.psi, d.feature))
    return found


def class_share_drift(
    reference: Mapping[str, Any], current: Mapping[str, float], classes: Sequence[str]
) -> float:
    """PSI of the current class shares against the reference's."""
    expected = [float(reference["class_shares"].get(c, 0.0)) for c in classes]
    return round(psi(expected, [float(current.get(c, 0.0)) for c in classes]), 6)
