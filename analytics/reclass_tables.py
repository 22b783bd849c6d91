"""The tables of a monthly re-classification, computed in memory from one scoring run:
each firm's class with its region, industry section and entity kind; the class counts
per region, section and kind (``ClassShare``); the transition matrix against the
previous month; and the change feed's records.

Everything here is pandas over the whole population at once: no per-firm query.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd

from riskgraph.reference import entity_kind

#: Region levels and the length of the region-code prefix that names a division of each.
REGION_LEVELS: dict[str, int] = {"province": 2, "city": 4, "district": 6}
#: The dimensions ``ClassShare`` rows are stored for (``all``: the whole population).
DIMENSIONS: tuple[str, ...] = (*REGION_LEVELS, "industry", "all")
#: The ``kind`` of share rows that count every entity kind together.
ALL_KINDS = "all"


def population(
    keys: Sequence[str],
    predicted: Sequence[str],
    risk: np.ndarray,
    enterprises: pd.DataFrame,
) -> pd.DataFrame:
    """One row per firm in key order: ``key``, ``current`` (class), ``score``,
    ``region_code`` (6 digits or None), ``industry_section`` and ``kind``.

    ``enterprises`` is the export's enterprise frame, in the same key order."""
    frame = pd.DataFrame(
        {
            "key": np.asarray(keys, dtype=object),
            "current": np.asarray(predicted, dtype=object),
            "score": np.asarray(risk, dtype=float).round(6),
        }
    )
    size = len(frame)
    frame["region_code"] = _matching(_column(enterprises, "region_code", size), r"\d{6}")
    frame["industry_section"] = _matching(_column(enterprises, "industry_section", size), "[A-Z]")
    org_types = _column(enterprises, "org_type", size).astype(object)
    kinds = {
        value: entity_kind(value if isinstance(value, str) else None) for value in set(org_types)
    }
    frame["kind"] = org_types.map(kinds).astype(object)
    return frame


def _matching(values: pd.Series, pattern: str) -> np.ndarray:
    """The trimmed values as an object array, None where they do not match ``pattern``."""
    text = values.astype("string").str.strip()
    ok = text.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)
    out: np.ndarray = text.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]
    out[~ok] = None
    return out


def _column(frame: pd.DataFrame, name: str, size: int) -> pd.Series:
    if name in frame.columns:
        return frame[name].reset_index(drop=True)
    return pd.Series([None] * size, dtype=object)


def share_rows(frame: pd.DataFrame, classes: Sequence[str]) -> list[dict[str, Any]]:
    """Class counts per (dimension, value, kind): every kind together (``kind = "all"``)
    and each kind on its own. Firms without a region (or section) are left out of the
    region (or industry) rows; the ``all`` dimension counts every firm."""
    work = frame[["current", "kind"]].copy()
    for level, width in REGION_LEVELS.items():
        work[level] = frame["region_code"].str[:width]
    work["industry"] = frame["industry_section"]
    work["all"] = ALL_KINDS
    rows: list[dict[str, Any]] = []
    for dimension in DIMENSIONS:
        known = work[work[dimension].notna()]
        rows.extend(_counts(known, [dimension], dimension, classes, kind=ALL_KINDS))
        rows.extend(_counts(known, ["kind", dimension], dimension, classes, kind=None))
    return rows


def _counts(
    frame: pd.DataFrame,
    by: list[str],
    dimension: str,
    classes: Sequence[str],
    *,
    kind: str | None,
) -> Iterator[dict[str, Any]]:
    if frame.empty:
        return
    table = frame.groupby([*by, "current"]).size().unstack("current", fill_value=0)
    table = table.reindex(columns=list(classes), fill_value=0)
    for index, counts in zip(table.index, table.to_numpy(), strict=True):
        group = index if isinstance(index, tuple) else (index,)
        row: dict[str, Any] = {
            "dimension": dimension,
            "value": str(group[-1]),
            "kind": kind if kind is not None else str(group[0]),
        }
        numbers = [int(n) for n in counts]
        row.update(zip(classes, numbers, strict=True))
        row["total"] = sum(numbers)
        yield row


def with_previous(frame: pd.DataFrame, previous: pd.Series) -> pd.DataFrame:
    """``frame`` with a ``previous`` column: each firm's class of the previous month
    (``previous`` indexed by key), None for firms it did not classify."""
    out = frame.copy()
    mapped = frame["key"].map(previous).to_numpy(dtype=object)
    mapped[pd.isna(mapped)] = None
    out["previous"] = mapped
    return out


def transitions(frame: pd.DataFrame, classes: Sequence[str]) -> dict[str, dict[str, int]]:
    """previous class → current class → firms, over the firms classified in both months."""
    both = frame[frame["previous"].notna()]
    table = pd.crosstab(both["previous"], both["current"])
    counts = table.reindex(index=list(classes), columns=list(classes), fill_value=0).to_numpy()
    return {
        str(p): {str(c): int(counts[i, j]) for j, c in enumerate(classes)}
        for i, p in enumerate(classes)
    }


def feed_records(frame: pd.DataFrame, month: str) -> dict[str, dict[str, Any]]:
    """The change feed's fields by key, for the firms whose class differs from the
    previous month's and the firms new this month (no ``previous``): what their
    assessment of ``month`` carries besides the class (missing values left out)."""
    changed = frame[frame["previous"].isna() | (frame["previous"] != frame["current"])]
    columns = ["key", "previous", "region_code", "industry_section", "kind"]
    records: dict[str, dict[str, Any]] = {}
    for key, previous, region, section, kind in changed[columns].itertuples(index=False, name=None):
        record = {
            "feed_month": month,
            "previous": _text(previous),
            "region_code": _text(region),
            "industry_section": _text(section),
            "kind": _text(kind),
        }
        records[key] = {name: value for name, value in record.items() if value is not None}
    return records


def _text(value: Any) -> str | None:
    """pandas keeps missing text as NaN: back to None for the database."""
    return value if isinstance(value, str) else None
