"""Reading what monthly re-classification stored: the runs (counts and transition
matrix per month) and the change feed (changed and new firms, page by page or month by
month in key order for the export)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from riskgraph.analytics.months import parse_month
from riskgraph.analytics.pages import Page, page_of
from riskgraph.errors import NotFound
from riskgraph.graph.store import GraphStore, Row

MAX_RUNS = 240
_JSON_FIELDS = {"class_counts": "class_counts", "transitions": "transitions", "new_counts": "new"}


class ReclassificationNotFound(NotFound):
    """No finished re-classification of the month."""


@dataclass(frozen=True)
class ChangeFilter:
    """Which feed records to read: finished months from ``since`` (inclusive) up to
    ``until`` (inclusive, default the latest), optionally only one new class and a
    region-code prefix."""

    since: str
    until: str | None = None
    current: str | None = None
    region: str | None = None

    def months(self, store: GraphStore) -> list[str]:
        """The finished months the filter covers, oldest first."""
        since = parse_month(self.since)
        until = parse_month(self.until) if self.until else None
        return [m for m in stored_months(store) if m >= since and (until is None or m <= until)]


def _run(row: Row) -> dict[str, Any]:
    run = dict(row["run"])
    for stored, name in _JSON_FIELDS.items():
        text = run.pop(stored, None)
        run[name] = json.loads(text) if isinstance(text, str) else {}
    return run


def list_runs(store: GraphStore, *, limit: int = MAX_RUNS) -> list[dict[str, Any]]:
    """Finished runs, newest month first, with class counts and transition matrices."""
    rows = store.read(store.query_text("reclass_runs"), month=None, limit=limit)
    return [_run(row) for row in rows]


def get_run(store: GraphStore, month: str) -> dict[str, Any]:
    """The run of ``month``; ReclassificationNotFound when none finished."""
    month = parse_month(month)
    rows = store.read(store.query_text("reclass_runs"), month=month, limit=1)
    if not rows:
        raise ReclassificationNotFound(f"no finished re-classification of {month}")
    return _run(rows[0])


def stored_months(store: GraphStore, *, limit: int = MAX_RUNS) -> list[str]:
    """Finished months, oldest first (the newest ``limit``)."""
    rows = store.read(store.query_text("reclass_runs"), month=None, limit=limit)
    return sorted(str(row["run"]["month"]) for row in rows)


def change_page(
    store: GraphStore, filters: ChangeFilter, *, limit: int = 50, offset: int = 0
) -> Page:
    """One page of feed records in month then key order."""
    rows = store.read(
        store.query_text("reclass_changes_page"),
        months=filters.months(store),
        current=filters.current,
        region=filters.region,
        skip=offset,
        limit=limit + 1,
    )
    return page_of(rows, limit=limit, offset=offset)


def change_pages(
    store: GraphStore, filters: ChangeFilter, *, page_size: int = 5000
) -> Iterator[list[Row]]:
    """Every feed record of the filter, month by month in key order, a page at a time
    (keyset on the key within a month)."""
    query = store.query_text("reclass_changes_after")
    for month in filters.months(store):
        start = ""
        while True:
            page = store.read(
                query,
                month=month,
                after=start,
                current=filters.current,
                region=filters.region,
                limit=page_size,
            )
            if page:
                yield page
            if len(page) < page_size:
                break
            start = str(page[-1]["key"])
