"""Neighbourhood expansion that stays fast on hubs (an address with 100k firms).

One aggregation counts a node's relationships per type and direction; then one
query per group fetches a single page (``LIMIT``), riskiest neighbours first:
``risk_score`` descending (unscored last), then the class (D > C > B > A, the
model's ``risk_class`` where scored, else ``label_class``), then degree.

With ``by_class`` every group also counts its neighbours per kind and risk class
(``classes``: one pass over the group, so only when asked: the web app's group
nodes "C类企业 42"); ``risk_class`` pages within one of those classes (``none``
for neighbours without a class).
"""

from __future__ import annotations

from dataclasses import dataclass

from riskgraph.graph.query_common import EntityNotFound, query, summary
from riskgraph.graph.store import GraphStore, Row

DIRECTIONS = ("out", "in")


@dataclass(frozen=True)
class Only:
    """Which neighbours: one relationship type, one direction, one risk class (``none``
    for neighbours without a class); None for all."""

    rel_type: str | None = None
    direction: str | None = None
    risk_class: str | None = None


def neighbours(
    store: GraphStore,
    key: str,
    label: str = "Enterprise",
    *,
    limit: int = 20,
    offset: int = 0,
    only: Only = Only(),
    by_class: bool = False,
) -> Row:
    """Neighbours of one node grouped by relationship type and direction.

    Every group carries its ``total``; ``items`` hold at most ``limit``
    neighbours from ``offset`` (paging is meant within one type: pass
    ``only.rel_type`` and, optionally, ``only.direction``). With ``only.risk_class`` the items
    (and ``has_more``) are those of that class only; ``total`` stays the group's.
    """
    counts = query(store, "q_neighbour_counts", label=label, key=key)
    if not counts:
        raise EntityNotFound(f"no {label} with key {key!r}")
    groups: list[Row] = []
    for row in sorted(counts, key=lambda r: (str(r["type"]), r["direction"])):
        if row["type"] is None:  # the node has no relationships at all
            continue
        if only.rel_type is not None and row["type"] != only.rel_type:
            continue
        if only.direction is not None and row["direction"] != only.direction:
            continue
        page = query(
            store,
            "q_neighbour_page",
            label=label,
            key=key,
            type=row["type"],
            direction=row["direction"],
            risk_class=only.risk_class,
            offset=offset,
            limit=limit,
        )
        items = [
            {**summary(r["m"]), "degree": r["degree"], "relationship": r["r"]["properties"]}
            for r in page
        ]
        group: Row = {
            "type": row["type"],
            "direction": row["direction"],
            "total": row["total"],
            "offset": offset,
            "items": items,
            "has_more": offset + len(items) < row["total"],
        }
        if by_class or only.risk_class is not None:
            group["classes"] = _classes(store, key, label, row["type"], row["direction"])
        if only.risk_class is not None:
            of_class = sum(c["total"] for c in group["classes"] if c["cls"] == only.risk_class)
            group["risk_class"] = only.risk_class
            group["has_more"] = offset + len(items) < of_class
        groups.append(group)
    return {"node": summary(counts[0]["node"]), "groups": groups}


def _classes(store: GraphStore, key: str, label: str, rel_type: str, direction: str) -> list[Row]:
    """One group's neighbours counted per kind and risk class (``none`` without one)."""
    rows = query(
        store, "q_neighbour_classes", label=label, key=key, type=rel_type, direction=direction
    )
    return [{"kind": r["kind"], "cls": r["cls"], "total": r["total"]} for r in rows]
