"""Neighbourhood expansion that stays fast on hubs (an address with 100k firms).

One aggregation counts a node's relationships per type and direction; then one
query per group fetches a single page (``LIMIT``), riskiest neighbours first:
``risk_score`` descending (unscored last), then the class (D > C > B > A, the
model's ``risk_class`` where scored, else ``label_class``), then degree.
"""

from __future__ import annotations

from riskgraph.graph.query_common import EntityNotFound, query, summary
from riskgraph.graph.store import GraphStore, Row

DIRECTIONS = ("out", "in")


def neighbours(
    store: GraphStore,
    key: str,
    label: str = "Enterprise",
    *,
    limit: int = 20,
    offset: int = 0,
    rel_type: str | None = None,
    direction: str | None = None,
) -> Row:
    """Neighbours of one node grouped by relationship type and direction.

    Every group carries its ``total``; ``items`` hold at most ``limit``
    neighbours from ``offset`` (paging is meant within one type: pass
    ``rel_type`` and, optionally, ``direction``).
    """
    counts = query(store, "q_neighbour_counts", label=label, key=key)
    if not counts:
        raise EntityNotFound(f"no {label} with key {key!r}")
    groups: list[Row] = []
    for row in sorted(counts, key=lambda r: (str(r["type"]), r["direction"])):
        if row["type"] is None:  # the node has no relationships at all
            continue
        if rel_type is not None and row["type"] != rel_type:
            continue
        if direction is not None and row["direction"] != direction:
            continue
        page = query(
            store,
            "q_neighbour_page",
            label=label,
            key=key,
            type=row["type"],
            direction=row["direction"],
            offset=offset,
            limit=limit,
        )
        items = [
            {**summary(r["m"]), "degree": r["degree"], "relationship": r["r"]["properties"]}
            for r in page
        ]
        groups.append(
            {
                "type": row["type"],
                "direction": row["direction"],
                "total": row["total"],
                "offset": offset,
                "items": items,
                "has_more": offset + len(items) < row["total"],
            }
        )
    return {"node": summary(counts[0]["node"]), "groups": groups}
