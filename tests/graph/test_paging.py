"""Enterprise paging covers every enterprise exactly once, on every engine."""

from __future__ import annotations

from collections import Counter

import pytest

from riskgraph.graph.paging import MAX_WINDOW_PAGES, enterprise_pages
from riskgraph.graph.store import GraphStore


def _interleaved(store: GraphStore, enterprises: int) -> None:
    """Enterprises created among other nodes, some deleted, so ids have gaps."""
    rows = [{"k": f"E{i:05d}", "other": i % 3 != 0} for i in range(enterprises)]
    store.write(
        "UNWIND $rows AS row CREATE (:Enterprise {uscc: row.k}) "
        "FOREACH (_ IN CASE WHEN row.other THEN [1] ELSE [] END | CREATE (:Person {pid: row.k}))",
        rows=rows,
    )
    store.write("MATCH (e:Enterprise) WHERE e.uscc ENDS WITH '7' DETACH DELETE e")


@pytest.mark.parametrize("page_size", [1, 7, 50, 1000])
def test_pages_hold_every_enterprise_once(store: GraphStore, page_size: int) -> None:
    _interleaved(store, 300)
    expected = {r["k"] for r in store.read("MATCH (e:Enterprise) RETURN e.uscc AS k")}
    pages = list(enterprise_pages(store, "gnn_enterprises_page", page_size=page_size))
    seen = Counter(str(row["key"]) for page in pages for row in page)
    assert set(seen) == expected and len(expected) == 270
    assert max(seen.values()) == 1
    assert all(page for page in pages)
    assert max(len(page) for page in pages) <= page_size * MAX_WINDOW_PAGES


def test_an_empty_graph_has_no_pages(store: GraphStore) -> None:
    assert list(enterprise_pages(store, "gnn_enterprises_page", page_size=10)) == []
    with pytest.raises(ValueError, match="page_size"):
        list(enterprise_pages(store, "gnn_enterprises_page", page_size=0))
