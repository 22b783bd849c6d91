"""Read every enterprise page by page, in whatever order each engine seeks best.

Page queries (``gnn_enterprises_page``, ``cluster_enterprises_page``) take
``$after``, ``$until`` and ``$limit`` and return a ``cursor`` column:

- the shared files page by key: the next ``$limit`` enterprises after key
  ``$after`` (``ORDER BY e.uscc``, which Neo4j serves from the key index);
- the FalkorDB overrides read the enterprises whose internal id lies in
  ``($after, $until]``. FalkorDB sorts every remaining node for ``ORDER BY``
  under a ``LIMIT`` (per page, all the enterprises after the cursor: ~0.2 s a
  page at 1.57M, quadratic over an export), while an id range is a seek.
  Windows are sized from the id range so that each holds about ``page_size``
  enterprises, and re-aimed after each from the density it found.

Callers put rows in key order themselves when the order matters.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

Row = dict[str, Any]

#: A window never spans more than this many pages' worth of ids.
MAX_WINDOW_PAGES = 8


class PagedStore(Protocol):
    """What paging asks of a store: a :class:`~riskgraph.graph.store.GraphStore`, typed
    structurally because the store's export reader pages through this module."""

    @property
    def dialect(self) -> str:
        """The store's engine: it decides the page order."""

    def read(self, query: str, /, *, timeout_s: float | None = None, **params: Any) -> list[Row]:
        """Run a read-only query."""

    def query_text(self, name: str) -> str:
        """The library query ``name`` in the store's dialect."""


def enterprise_pages(
    store: PagedStore, query_name: str, *, page_size: int, **params: Any
) -> Iterator[list[Row]]:
    """Non-empty pages of ``query_name``'s rows, covering every enterprise once."""
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    query = store.query_text(query_name)
    if store.dialect == "falkordb":
        yield from _id_windows(store, query, page_size, params)
        return
    after: Any = None
    while True:
        rows = store.read(query, after=after, until=None, limit=page_size, **params)
        if rows:
            yield rows
        if len(rows) < page_size:
            return
        after = rows[-1]["cursor"]


def _id_windows(
    store: PagedStore, query: str, page_size: int, params: dict[str, Any]
) -> Iterator[list[Row]]:
    [bounds] = store.read(store.query_text("enterprise_id_range"))
    if not bounds["enterprises"]:
        return
    low, high = int(bounds["low"]), int(bounds["high"])
    most = page_size * MAX_WINDOW_PAGES
    span = _clamp(page_size * (high - low + 1) // int(bounds["enterprises"]), page_size, most)
    after = low - 1
    while after < high:
        until = min(after + span, high)
        rows = store.read(query, after=after, until=until, limit=page_size, **params)
        if rows:
            yield rows
            span = _clamp(span * page_size // len(rows), page_size, most)
        else:
            span = most
        after = until


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))
