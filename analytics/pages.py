"""Offset pages: read one row more than asked to know whether another page follows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    """One page of rows; ``next_offset`` is None on the last page."""

    items: list[dict[str, Any]]
    offset: int
    next_offset: int | None


def page_of(rows: list[dict[str, Any]], *, limit: int, offset: int) -> Page:
    """The page from rows read with ``LIMIT limit + 1``."""
    return Page(
        items=rows[:limit],
        offset=offset,
        next_offset=offset + limit if len(rows) > limit else None,
    )
