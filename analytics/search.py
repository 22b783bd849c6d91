"""Search: enterprises by USCC, name or any part of the name, persons by name, and
addresses by any part, ranked exact key or name first, then prefix, then substring.

Each tier has its own bounded query (USCC and name equality and ``STARTS WITH`` on range
indexes, substrings through the full-text indexes of ``graph/search_index.py``), so an
exact match is never crowded out by thousands of firms that merely contain the text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from riskgraph.errors import Invalid
from riskgraph.graph import search_index
from riskgraph.graph.store import GraphStore, Row

Kind = Literal["enterprise", "person", "address"]
Match = Literal["exact", "prefix", "substring"]
KINDS: tuple[Kind, ...] = ("enterprise", "person", "address")
MAX_TEXT = 100
MAX_LIMIT = 50
SCAN_FACTOR = 4
"""Full-text candidates read per wanted hit (exact and prefix hits are among them)."""
_TIERS: dict[Match, int] = {"exact": 0, "prefix": 1, "substring": 2}
_USCC = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")


class InvalidSearch(Invalid):
    """The search text, kind or limit is not one search accepts."""


@dataclass(frozen=True)
class Hit:
    """One search result. ``key`` is the USCC, the person's pid (the API masks it) or
    the address id; ``firms`` counts a person's or an address's enterprises."""

    kind: Kind
    key: str
    name: str
    match: Match
    risk_class: str | None = None
    score: float | None = None
    region: str | None = None
    status: str | None = None
    firms: int | None = None

    def order(self) -> tuple[int, int, int, str, str]:
        """Tier first, then kind, then shorter (closer) names."""
        return (_TIERS[self.match], KINDS.index(self.kind), len(self.name), self.name, self.key)


def search(
    store: GraphStore, text: str, *, kinds: Collection[Kind] = KINDS, limit: int = 20
) -> list[Hit]:
    """The best ``limit`` hits for ``text`` among ``kinds``; raises InvalidSearch."""
    wanted = _check(text, kinds, limit)
    hits: dict[tuple[str, str], Hit] = {}
    if "enterprise" in kinds and _USCC.fullmatch(wanted.upper()):
        rows = store.read(store.query_text("search_enterprise_key"), key=wanted.upper())
        if rows:  # a USCC names one firm: no need to look further
            return _enterprise_hits(rows, wanted.upper(), wanted)
    if "enterprise" in kinds:
        _add(hits, _enterprises(store, wanted, limit))
    if "person" in kinds:
        _add(hits, _persons(store, wanted, limit))
    if "address" in kinds:
        _add(hits, _addresses(store, wanted, limit))
    return sorted(hits.values(), key=Hit.order)[:limit]


def _check(text: str, kinds: Collection[Kind], limit: int) -> str:
    wanted = text.strip()
    if not wanted:
        raise InvalidSearch("the search text is empty")
    if len(wanted) > MAX_TEXT:
        raise InvalidSearch(f"the search text is longer than {MAX_TEXT} characters")
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown or not kinds:
        raise InvalidSearch(f"unknown kind {', '.join(unknown)}; kinds: {', '.join(KINDS)}")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidSearch(f"limit must be between 1 and {MAX_LIMIT}")
    return wanted


def _add(hits: dict[tuple[str, str], Hit], found: Iterable[Hit]) -> None:
    for hit in found:
        known = hits.get((hit.kind, hit.key))
        if known is None or _TIERS[hit.match] < _TIERS[known.match]:
            hits[(hit.kind, hit.key)] = hit


def _match(name: str, text: str) -> Match:
    folded, wanted = name.lower(), text.lower()
    if folded == wanted:
        return "exact"
    return "prefix" if folded.startswith(wanted) else "substring"


def _substring_rows(store: GraphStore, name: str, text: str, limit: int) -> list[Row]:
    query = search_index.text_query(store.dialect, text)
    if query is None:
        return []
    return store.read(
        store.query_text(name),
        query=query,
        lowered=text.lower(),
        scan=limit * SCAN_FACTOR,
        limit=limit * 2,
    )


def _enterprises(store: GraphStore, text: str, limit: int) -> list[Hit]:
    rows: list[Row] = []
    key = text.upper()
    if _USCC.fullmatch(key):
        rows += store.read(store.query_text("search_enterprise_key"), key=key)
    rows += store.read(store.query_text("search_enterprises_exact"), text=text, limit=limit)
    rows += search_index.prefix_rows(store, "search_enterprises_prefix", text, limit)
    rows += _substring_rows(store, "search_enterprises_text", text, limit)
    return _enterprise_hits(rows, key, text)


def _enterprise_hits(rows: list[Row], key: str, text: str) -> list[Hit]:
    return [
        Hit(
            kind="enterprise",
            key=str(row["key"]),
            name=str(row["name"] or ""),
            match="exact" if row["key"] == key else _match(str(row["name"] or ""), text),
            risk_class=row.get("class"),
            score=_number(row.get("score")),
            region=row.get("region"),
            status=row.get("status"),
        )
        for row in rows
        if row.get("key") is not None
    ]


def _persons(store: GraphStore, text: str, limit: int) -> list[Hit]:
    rows: list[Row] = []
    rows += store.read(store.query_text("search_persons_exact"), text=text, limit=limit)
    rows += search_index.prefix_rows(store, "search_persons_prefix", text, limit)
    rows += _substring_rows(store, "search_persons_text", text, limit)
    return [
        Hit(
            kind="person",
            key=str(row["key"]),
            name=str(row["name"] or ""),
            match=_match(str(row["name"] or ""), text),
            firms=int(row["firms"]),
        )
        for row in rows
        if row.get("key") is not None
    ]


def _addresses(store: GraphStore, text: str, limit: int) -> list[Hit]:
    rows = _substring_rows(store, "search_addresses_text", text, limit)
    return [
        Hit(
            kind="address",
            key=str(row["key"]),
            name=str(row["name"] or ""),
            match=_match(str(row["name"] or ""), text),
            region=row.get("region"),
            firms=int(row["firms"]),
        )
        for row in rows
        if row.get("key") is not None
    ]


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def person_firm_counts(store: GraphStore, pids: Iterable[str]) -> dict[str, int]:
    """How many firms each person is linked to (legal representative, officer or
    investor), by pid; persons not in the graph are left out."""
    keys = sorted({pid for pid in pids if pid})
    if not keys:
        return {}
    rows = store.read(store.query_text("person_firm_counts"), pids=keys)
    return {str(row["pid"]): int(row["firms"]) for row in rows}
