"""Timestamps as the domain stores them."""

from __future__ import annotations

from datetime import UTC, datetime


def timestamp(now: datetime | None = None) -> str:
    """``now`` (default: the current time) as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC; a naive
    datetime is taken to be UTC already."""
    moment = now or datetime.now(UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
