"""Family tree (族谱): shareholders up to the ultimate controllers, investments down, branches.

Cypher enumerates the simple ``INVESTS_IN`` paths above and below the root and
multiplies each path's ratios (a missing ratio makes the product unknown, not 0);
this module only shapes the paths into a layered tree and sums shares per node.
"""

from __future__ import annotations

from riskgraph.graph.query_common import (
    EntityNotFound,
    node_key,
    query,
    round_share,
    summary,
)
from riskgraph.graph.store import GraphStore, Row

BENEFICIAL_OWNER_SHARE = 0.25
"""受益所有人: a natural person or entity holding at least 25 % ultimately."""

DEFAULT_PATH_LIMIT = 5000


def family_tree(
    store: GraphStore, uscc: str, up: int = 3, down: int = 3, limit: int = DEFAULT_PATH_LIMIT
) -> Row:
    """The tree-shaped family of one enterprise, ready for a hierarchical layout.

    ``nodes[].level`` is negative above the root (shareholders), positive below
    (investees, branches) and 0 for the root; a node reached by several paths
    sits at its longest distance so that every investment edge points down.
    ``nodes[].share`` is the cumulative share an ancestor holds in the root, or
    the root holds in a descendant, summed over distinct paths (None when a
    ratio on some path is unknown). ``controllers`` are the ultimate
    shareholders (no investors of their own) with their share, the share known
    for certain (``known_share``), the 25 % beneficial-owner flag and the actual
    controller (largest known share; ties mark joint control).
    """
    rows = query(store, "q_family_root", uscc=uscc)
    if not rows:
        raise EntityNotFound(f"no Enterprise with key {uscc!r}")
    tree = _Tree(rows[0]["root"])
    ups = query(store, "q_family_up", uscc=uscc, up=up, limit=limit + 1) if up > 0 else []
    downs = query(store, "q_family_down", uscc=uscc, down=down, limit=limit + 1) if down > 0 else []
    for row in ups[:limit]:
        tree.add_path(
            row["nodes"], row["rels"], row["share"], upward=True, ultimate=row["ultimate"]
        )
    for row in downs[:limit]:
        tree.add_path(row["nodes"], row["rels"], row["share"], upward=False, ultimate=False)
    for rel, other in zip(rows[0]["rels"], rows[0]["others"], strict=True):
        tree.add_branch(rel, other)
    result = tree.result()
    result.update(up=up, down=down, truncated=len(ups) > limit or len(downs) > limit)
    return result


class _Tree:
    """Accumulates paths into deduplicated nodes and edges."""

    def __init__(self, root: Row) -> None:
        self.root_id: str = root["id"]
        self.root = summary(root)
        self.keys: dict[str, str] = {self.root_id: self.root["id"]}
        self.nodes: dict[str, Row] = {}
        self.up_side: set[str] = set()
        self.shares: dict[str, list[float | None]] = {}
        self.ultimate: set[str] = set()
        self.edges: dict[tuple[str, str, str], Row] = {}

    def add_path(
        self,
        nodes: list[Row],
        rels: list[Row],
        share: float | None,
        *,
        upward: bool,
        ultimate: bool,
    ) -> None:
        by_id = {node["id"]: node for node in nodes}
        self.keys.update((node_id, node_key(node)) for node_id, node in by_id.items())
        # Follow the relationships rather than trusting nodes(p) order: FalkorDB
        # can list a path's nodes reversed.
        step = (
            {r["end"]: r["start"] for r in rels} if upward else {r["start"]: r["end"] for r in rels}
        )
        chain = [self.root_id]
        while chain[-1] in step and len(chain) <= len(rels):
            chain.append(step[chain[-1]])
        for distance, node_id in enumerate(chain[1:], start=1):
            self._place(by_id[node_id], -distance if upward else distance)
        for rel in rels:
            self._edge(rel)
        top = chain[-1]
        if upward or top not in self.up_side:
            self.shares.setdefault(top, []).append(share)
        if ultimate:
            self.ultimate.add(top)

    def add_branch(self, rel: Row, other: Row) -> None:
        self.keys[other["id"]] = node_key(other)
        # BRANCH_OF points from branch to head office.
        self._place(other, -1 if rel["start"] == self.root_id else 1)
        self._edge(rel)

    def _place(self, node: Row, level: int) -> None:
        node_id = node["id"]
        entry = self.nodes.get(node_id)
        if entry is None:
            self.nodes[node_id] = {**summary(node), "level": level}
            if level < 0:
                self.up_side.add(node_id)
        elif (level < 0) == (entry["level"] < 0) and abs(level) > abs(entry["level"]):
            entry["level"] = level
        # A node both above and below the root (a loop through it) keeps its upper place.

    def _edge(self, rel: Row) -> None:
        source, target = self.keys[rel["start"]], self.keys[rel["end"]]
        self.edges.setdefault(
            (source, target, rel["type"]),
            {
                "source": source,
                "target": target,
                "type": rel["type"],
                "ratio": rel["properties"].get("ratio"),
            },
        )

    def result(self) -> Row:
        nodes = [{**self.root, "level": 0, "share": None}]
        for node_id, entry in self.nodes.items():
            total, _known = _sum_shares(self.shares.get(node_id, []))
            nodes.append({**entry, "share": total})
        nodes.sort(key=lambda n: (n["level"], n["kind"], n["id"]))
        return {
            "root": self.root,
            "nodes": nodes,
            "edges": sorted(
                self.edges.values(), key=lambda e: (e["type"], e["source"], e["target"])
            ),
            "controllers": self._controllers(),
        }

    def _controllers(self) -> list[Row]:
        controllers: list[Row] = []
        for node_id in self.ultimate:
            shares = self.shares.get(node_id, [])
            total, known = _sum_shares(shares)
            entry = self.nodes[node_id]
            controllers.append(
                {
                    "id": entry["id"],
                    "kind": entry["kind"],
                    "label": entry["label"],
                    "level": entry["level"],
                    "share": total,
                    "known_share": known,
                    "paths": len(shares),
                    "beneficial_owner": known >= BENEFICIAL_OWNER_SHARE,
                    "actual_controller": False,
                }
            )
        best = max((c["known_share"] for c in controllers), default=0.0)
        for controller in controllers:
            controller["actual_controller"] = best > 0 and controller["known_share"] == best
        controllers.sort(key=lambda c: (-c["known_share"], c["id"]))
        return controllers


def _sum_shares(shares: list[float | None]) -> tuple[float | None, float]:
    """(sum over paths or None if any path's share is unknown, sum of the known ones)."""
    known = round_share(sum(s for s in shares if s is not None)) or 0.0
    total = known if shares and all(s is not None for s in shares) else None
    return total, known
