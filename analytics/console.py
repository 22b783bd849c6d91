"""The analyst console's schema (控制台): labels, relationship types and property keys
with counts, for the Cypher editor's sidebar and its completion.

Counts of labels and types are exact (one pass each, as ``riskgraph db stats``
counts); the property keys of each label and type come from a sample of its
first ``sample`` nodes or relationships. The answer is kept for ``ttl_s`` per
store, so opening the console again does not scan the graph again.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from riskgraph.graph.store import INTERNAL_PROPERTIES, GraphStore

SAMPLE = 500
"""Nodes (relationships) per label (type) whose property keys are read."""
TTL_S = 300.0
_cache: dict[int, tuple[float, dict[str, Any]]] = {}
_lock = threading.Lock()


def schema(
    store: GraphStore, *, sample: int = SAMPLE, ttl_s: float = TTL_S, fresh: bool = False
) -> dict[str, Any]:
    """``{"labels": [{"name", "count", "sampled", "properties": [{"key", "count"}]}],
    "relationship_types": [...same...], "property_keys": [{"key", "count"}], "sample"}``,
    names sorted; a property key's count is how many sampled nodes and relationships hold
    it. Cached per store for ``ttl_s`` seconds unless ``fresh``."""
    now = time.monotonic()
    with _lock:
        cached = _cache.get(id(store))
    if cached is not None and not fresh and now - cached[0] < ttl_s:
        return cached[1]
    answer = _read(store, sample)
    with _lock:
        _cache[id(store)] = (time.monotonic(), answer)
    return answer


def _read(store: GraphStore, sample: int) -> dict[str, Any]:
    labels = _counted(store, "node_counts", "label")
    types = _counted(store, "relationship_counts", "type")
    label_items = [_item(store, "console_label_keys", "label", n, c, sample) for n, c in labels]
    type_items = [_item(store, "console_type_keys", "type", n, c, sample) for n, c in types]
    totals: dict[str, int] = {}
    for item in (*label_items, *type_items):
        for prop in item["properties"]:
            totals[prop["key"]] = totals.get(prop["key"], 0) + prop["count"]
    return {
        "labels": label_items,
        "relationship_types": type_items,
        "property_keys": [{"key": k, "count": totals[k]} for k in sorted(totals)],
        "sample": sample,
    }


def _counted(store: GraphStore, query: str, field: str) -> list[tuple[str, int]]:
    rows = store.read_values(store.query_text(query))
    return sorted((str(row[field]), int(row["count"])) for row in rows)


def _item(
    store: GraphStore, query: str, param: str, name: str, count: int, sample: int
) -> dict[str, Any]:
    params: dict[str, Any] = {param: name, "sample": sample}
    rows = store.read_values(store.query_text(query), **params)
    found = sorted(
        (-int(r["count"]), str(r["key"])) for r in rows if r["key"] not in INTERNAL_PROPERTIES
    )
    sampled = int(rows[0]["sampled"]) if rows else min(count, sample)
    properties = [{"key": key, "count": -negative} for negative, key in found]
    return {"name": name, "count": count, "sampled": sampled, "properties": properties}
