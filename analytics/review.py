"""Regional and industry review (区域、行业风险研判): class shares per region or industry
section over the stored months, their trend, and the fastest-rising ones flagged.

It reads only the monthly ``ClassShare`` aggregates that re-classification stores
(:mod:`riskgraph.analytics.reclassify`), never firms.

The rule for flags: a row *rises* when its high-risk share (C + D over all its
firms) rose by more than ``threshold`` between the first and the last month of the
window, it had at least ``min_firms`` firms in the last month and it was present in
the first; of the rising rows, the ``top`` with the largest rise are *flagged*
(ties broken by the larger last-month share, then the value).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from riskgraph.analytics.class_changes import stored_months
from riskgraph.analytics.reclass_tables import ALL_KINDS, REGION_LEVELS
from riskgraph.errors import Invalid
from riskgraph.graph.store import GraphStore, Row
from riskgraph.reference import ENTITY_KINDS, full_name, province_of, section_name

Dimension = Literal["region", "industry"]
Level = Literal["province", "city", "district"]
MAX_MONTHS = 36
HIGH_RISK = ("C", "D")


@dataclass(frozen=True)
class ReviewRule:
    """Which rows are flagged as rising fastest (see the module)."""

    min_firms: int = 30
    top: int = 5
    threshold: float = 0.0

    def __post_init__(self) -> None:
        if self.min_firms < 0 or self.top < 0 or not 0.0 <= self.threshold <= 1.0:
            raise Invalid("min_firms and top must be ≥ 0 and threshold between 0 and 1")


def review(
    store: GraphStore,
    *,
    dimension: Dimension = "region",
    level: Level = "city",
    months: int = 6,
    kind: str | None = None,
    rule: ReviewRule | None = None,
) -> dict[str, Any]:
    """The review of the latest ``months`` stored months (see :func:`build_review`)."""
    if not 1 <= months <= MAX_MONTHS:
        raise Invalid(f"months must be between 1 and {MAX_MONTHS}")
    if kind is not None and kind not in ENTITY_KINDS:
        raise Invalid(f"kind must be one of {', '.join(ENTITY_KINDS)}")
    window = stored_months(store)[-months:]
    stored = _stored_dimension(dimension, level)
    rows = store.read(
        store.query_text("review_shares"),
        months=window,
        dimension=stored,
        kind=kind or ALL_KINDS,
    )
    return build_review(
        rows, window, dimension=dimension, level=level, kind=kind, rule=rule or ReviewRule()
    )


def _stored_dimension(dimension: str, level: str) -> str:
    if dimension == "industry":
        return "industry"
    if dimension != "region" or level not in REGION_LEVELS:
        raise Invalid("dimension must be region or industry, level province, city or district")
    return level


def build_review(
    shares: Sequence[Row],
    months: Sequence[str],
    *,
    dimension: Dimension,
    level: Level,
    kind: str | None,
    rule: ReviewRule,
) -> dict[str, Any]:
    """Rows per value: counts and shares of the last month, the monthly series of the
    high-risk share, its change over the last month and over the window, and flags.

    ``shares`` are stored ``ClassShare`` rows (``month``, ``value``, ``A``…``D``,
    ``total``) of ``months`` (oldest first)."""
    by_value: dict[str, dict[str, Row]] = {}
    for row in shares:
        by_value.setdefault(str(row["value"]), {})[str(row["month"])] = row
    rows = [_row(value, per_month, months, dimension) for value, per_month in by_value.items()]
    _flag(rows, rule)
    rows.sort(key=lambda r: (not r["flagged"], -(r["rise"] or 0.0), -r["high_share"], r["value"]))
    return {
        "dimension": dimension,
        "level": level if dimension == "region" else None,
        "kind": kind,
        "months": list(months),
        "rule": asdict(rule),
        "rows": rows,
    }


def _row(value: str, per_month: dict[str, Row], months: Sequence[str], dimension: str) -> Row:
    series: list[dict[str, Any]] = []
    shares: list[float | None] = []
    for month in months:
        stored = per_month.get(month) or {}
        counts = {c: int(stored.get(c) or 0) for c in ("A", "B", "C", "D")}
        total = int(stored.get("total") or 0)
        shares.append(_high_share(counts, total))
        series.append({"month": month, "total": total, **counts, "high_share": shares[-1]})
    last: dict[str, Any] = series[-1] if series else {"total": 0}
    total = int(last["total"])
    counts = {c: int(last.get(c, 0)) for c in ("A", "B", "C", "D")}
    last_share = shares[-1] if shares else None
    return {
        "value": value,
        "name": display_name(dimension, value),
        "counts": counts,
        "total": total,
        "shares": {c: round(n / total, 4) if total else 0.0 for c, n in counts.items()},
        "high_share": last_share if last_share is not None else 0.0,
        "series": series,
        "change_month": _difference(last_share, shares[-2] if len(shares) > 1 else None),
        "rise": _difference(last_share, shares[0] if shares else None),
        "rising": False,
        "flagged": False,
    }


def _high_share(counts: dict[str, int], total: int) -> float | None:
    return round(sum(counts[c] for c in HIGH_RISK) / total, 4) if total else None


def _difference(later: float | None, earlier: float | None) -> float | None:
    return round(later - earlier, 4) if later is not None and earlier is not None else None


def _flag(rows: list[Row], rule: ReviewRule) -> None:
    rising = [
        row
        for row in rows
        if row["rise"] is not None
        and row["rise"] > rule.threshold
        and row["total"] >= rule.min_firms
    ]
    for row in rising:
        row["rising"] = True
    rising.sort(key=lambda r: (-r["rise"], -r["high_share"], r["value"]))
    for row in rising[: rule.top]:
        row["flagged"] = True


def display_name(dimension: str, value: str) -> str | None:
    """The region's full name (a 2- or 4-digit prefix names its province or city) or
    the industry section's name; None when the reference tables do not know it."""
    if dimension == "industry":
        return section_name(value)
    code = value.ljust(6, "0")
    try:
        return full_name(code)
    except KeyError:
        return province_of(code) if len(value) == 2 else None
