"""Risk results as classification services read them: current scores by key, one
firm's assessment history, and the whole population page by page (now or as of a
past moment)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from riskgraph.analytics.enterprises import EnterpriseNotFound
from riskgraph.errors import Invalid
from riskgraph.graph.store import GraphStore, Row


def scores_by_keys(store: GraphStore, keys: list[str]) -> list[Row]:
    """The current risk fields of the enterprises with these keys (missing keys absent)."""
    return store.read(store.query_text("scores_by_keys"), keys=keys)


def score_history(store: GraphStore, uscc: str, *, limit: int = 100) -> list[Row]:
    """The enterprise's risk assessments, newest first (its own row first when it has
    none); raises EnterpriseNotFound."""
    rows = store.read(store.query_text("score_history"), uscc=uscc, limit=limit)
    if not rows:
        raise EnterpriseNotFound(f"no enterprise with USCC {uscc}")
    return rows


def score_page(
    store: GraphStore,
    *,
    after: str,
    limit: int,
    model: str | None = None,
    before: str | None = None,
) -> list[Row]:
    """Up to ``limit`` enterprises after the key ``after``, in key order: their current
    scores, or with ``before`` (see :func:`as_of_bound`) their latest assessment scored
    before it."""
    if before is None:
        return store.read(store.query_text("scores_page"), after=after, limit=limit, model=model)
    return store.read(
        store.query_text("scores_page_as_of"), after=after, limit=limit, model=model, before=before
    )


def as_of_bound(as_of: str) -> str:
    """The exclusive upper bound on ``scored_at`` text for an ``as_of`` date or time."""
    text = as_of.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            # 9999-12-31 has no next day: every score is before it
            return (
                "9999-12-31T23:59:59.999Z"
                if day == date.max
                else (day + timedelta(days=1)).isoformat()
            )
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        # scored_at is written as 2026-01-01T00:00:00.000Z; the bound is one millisecond on.
        return (moment + timedelta(milliseconds=1)).isoformat(timespec="milliseconds") + "Z"
    except (ValueError, OverflowError) as exc:
        raise Invalid("as_of is not an ISO date or datetime") from exc
