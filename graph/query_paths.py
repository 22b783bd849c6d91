"""Paths between entities (查关系) and associated risk around an enterprise (关联风险).

Both walk the same relations in either direction: persons (法定代表人, 任职),
investments (投资, shareholders), shared addresses and branches.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from riskgraph.graph.query_common import (
    EntityNotFound,
    InvalidParameters,
    find_entities,
    node_key,
    node_kind,
    query,
    require_entity,
    summary,
)
from riskgraph.graph.store import GraphStore, Row

PATH_ENDPOINTS = ("Enterprise", "Person", "Address")


def paths(store: GraphStore, source: str, target: str, max_hops: int = 4, limit: int = 20) -> Row:
    """All shortest paths (at most ``limit``) of at most ``max_hops`` between two entities.

    Paths are in the uniform form of :mod:`riskgraph.graph.store` and sorted by
    the keys, then the relationship types, along them; ``length`` is None when no
    path is that short.
    """
    if source == target:
        raise InvalidParameters("'from' and 'to' must be different entities")
    found = find_entities(store, [source, target])
    for key in (source, target):
        node = found.get(key)
        if node is None or node_kind(node) not in PATH_ENDPOINTS:
            raise EntityNotFound(f"no Enterprise, Person or Address with key {key!r}")
    rows = query(store, "q_paths", source=source, target=target, max_hops=max_hops, limit=limit)
    found_paths = sorted((row["path"] for row in rows), key=_path_keys)
    return {
        "from": summary(found[source]),
        "to": summary(found[target]),
        "length": len(found_paths[0]["relationships"]) if found_paths else None,
        "paths": found_paths,
    }


def associated_risk(store: GraphStore, uscc: str, hops: int = 2, limit: int = 100) -> Row:
    """C/D enterprises and open violations (有效) within ``hops`` of an enterprise.

    An enterprise's class is its model ``risk_class`` where scored, else its
    ``label_class``. Violations count when the enterprise holding them lies
    within ``hops`` (the root's own violations are not associated risk). Each
    item carries one shortest linking path and ``via``: the relation types that
    start its shortest paths. ``by_relation`` counts every item found (not only
    the first ``limit``) under each of its ``via`` types.
    """
    root = require_entity(store, uscc, ("Enterprise",))
    result: Row = {"root": summary(root), "hops": hops}
    rollup: dict[str, dict[str, int]] = {}
    suffix = "_3hops" if hops > 2 else ""
    kinds = ("enterprises", "violations")
    # The two traversals are independent: run them side by side (the engines
    # answer reads on several threads), so the caller waits for the slower one.
    with ThreadPoolExecutor(max_workers=len(kinds)) as pool:
        rows = pool.map(
            lambda kind: query(
                store, f"q_associated_{kind}{suffix}", uscc=uscc, hops=hops, limit=limit
            )[0],
            kinds,
        )
    for kind, row in zip(kinds, rows, strict=True):
        result[kind] = [
            {
                **summary(item["node"]),
                "hops": item["hops"],
                "via": sorted(set(item["via"])),
                "path": _linking_path(item),
            }
            for item in row["items"]
        ]
        result[f"{kind}_total"] = row["total"]
        for rel_type, count in row["by_relation"].items():
            if count:
                rollup.setdefault(rel_type, {"enterprises": 0, "violations": 0})[kind] = count
    result["by_relation"] = dict(sorted(rollup.items()))
    return result


def _linking_path(item: Row) -> Row:
    """The item's path; a violation's ends with its enterprise's HAS_VIOLATION link."""
    path: Row = item["path"]
    link = item.get("link")
    if link is None:
        return path
    return {
        "nodes": [*path["nodes"], item["node"]],
        "relationships": [*path["relationships"], link],
    }


def _path_keys(path: Row) -> tuple[list[str], list[str]]:
    """The keys along a path, then its relationship types: paths through the same
    nodes by different links (a legal representative who also invests) order alike
    on both engines."""
    return [node_key(node) for node in path["nodes"]], [
        rel["type"] for rel in path["relationships"]
    ]
