"""Alert cases (预警处置): read an alert with its history, page through alerts, move a
case along its statuses.

Alerts come from rule runs (:mod:`riskgraph.analytics.rules`): one per rule and
subject. Each is a case whose status moves open → in_progress → confirmed |
dismissed (and back to open or in_progress to reopen); every change is kept as an
``AlertEvent``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from riskgraph.analytics.clock import timestamp
from riskgraph.analytics.pages import Page, page_of
from riskgraph.errors import Conflict, Invalid, NotFound
from riskgraph.graph.store import GraphStore

OPEN, IN_PROGRESS, CONFIRMED, DISMISSED = "open", "in_progress", "confirmed", "dismissed"
ALERT_SORTS = ("recent", "severity")
"""``recent``: most recently seen first; ``severity``: high first, then the firm's risk
score, then time."""
ALERT_STATUSES = (OPEN, IN_PROGRESS, CONFIRMED, DISMISSED)
ACTIVE_STATUSES = (OPEN, IN_PROGRESS)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    OPEN: (IN_PROGRESS, CONFIRMED, DISMISSED),
    IN_PROGRESS: (OPEN, CONFIRMED, DISMISSED),
    CONFIRMED: (OPEN, IN_PROGRESS),
    DISMISSED: (OPEN, IN_PROGRESS),
}
"""Allowed status changes; a closed case (confirmed, dismissed) can only be reopened."""
NOTE_REQUIRED = (CONFIRMED, DISMISSED)


class AlertNotFound(NotFound):
    """No alert has the given key."""


class InvalidTransition(Conflict):
    """The requested status change is not allowed from the alert's current status."""


@dataclass(frozen=True)
class AlertFilter:
    """Which alerts to list; ``None`` means any."""

    rule: str | None = None
    status: str | None = None
    severity: str | None = None
    subject: str | None = None

    def params(self) -> dict[str, Any]:
        """The filter as query parameters (the subject trimmed and upper-cased)."""
        subject = self.subject.strip().upper() if self.subject else None
        return {
            "rule": self.rule,
            "status": self.status,
            "severity": self.severity,
            "subject": subject,
        }


@dataclass(frozen=True)
class StatusChange:
    """A case moved from ``from_status``; ``alert`` as stored afterwards."""

    from_status: str
    alert: dict[str, Any]


def alert_key(rule_id: str, subject: str) -> str:
    """The alert's key: one alert per rule and subject."""
    return f"{rule_id}|{subject}"


def list_alerts(
    store: GraphStore,
    filters: AlertFilter | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
    sort: str = "recent",
) -> Page:
    """Alerts matching ``filters`` in ``sort`` order (ALERT_SORTS), each with its firm's
    name, class and score; ``next_offset`` is None on the last page."""
    if sort not in ALERT_SORTS:
        raise Invalid(f"unknown sort {sort!r}; use {', '.join(ALERT_SORTS)}")
    rows = store.read(
        store.query_text("alert_page" if sort == "recent" else "alert_page_ranked"),
        skip=offset,
        limit=limit + 1,
        **(filters or AlertFilter()).params(),
    )
    items = [
        {
            **row["alert"],
            "subject_name": row["subject_name"],
            "subject_class": row["subject_class"],
            "subject_score": row["subject_score"],
        }
        for row in rows
    ]
    return page_of(items, limit=limit, offset=offset)


def get_alert(store: GraphStore, key: str) -> dict[str, Any]:
    """The alert's properties; raises AlertNotFound."""
    rows = store.read(store.query_text("alert_get"), key=key)
    if not rows:
        raise AlertNotFound(f"no alert {key!r}")
    alert: dict[str, Any] = rows[0]["alert"]
    return alert


def alert_history(store: GraphStore, key: str) -> list[dict[str, Any]]:
    """The alert's status changes, oldest first; raises AlertNotFound."""
    get_alert(store, key)
    return store.read(store.query_text("alert_history"), key=key)


def checked_note(status: str, note: str | None) -> str | None:
    """The trimmed note; Invalid for an unknown status or a missing required note."""
    if status not in ALERT_STATUSES:
        raise Invalid(f"unknown status {status!r}; use {', '.join(ALERT_STATUSES)}")
    note = (note or "").strip() or None
    if status in NOTE_REQUIRED and note is None:
        raise Invalid(f"a note is required to mark an alert {status}")
    return note


def check_transition(key: str, current: str, status: str) -> None:
    """InvalidTransition unless TRANSITIONS lets alert ``key`` go from ``current`` to
    ``status``."""
    allowed = TRANSITIONS[current]
    if status not in allowed:
        raise InvalidTransition(
            f"alert {key!r} is {current}; it cannot become {status} "
            f"(allowed from {current}: {', '.join(allowed) or 'none'})"
        )


def change_status(
    store: GraphStore,
    key: str,
    status: str,
    *,
    note: str | None = None,
    actor: str | None = None,
    now: datetime | None = None,
) -> StatusChange:
    """Move an alert's case to ``status`` and append the change to its history.

    Confirming or dismissing needs a ``note`` (Invalid); a change the current
    status does not allow, or one that raced another session, raises
    InvalidTransition; an unknown key AlertNotFound.
    """
    note = checked_note(status, note)
    current = get_alert(store, key)["status"]
    check_transition(key, current, status)
    rows = store.write(
        store.query_text("alert_set_status"),
        key=key,
        from_status=current,
        to_status=status,
        note=note,
        actor=actor,
        now=timestamp(now),
    )
    if not rows:  # another session changed it between our read and write
        raise InvalidTransition(f"alert {key!r} changed meanwhile; read it again")
    return StatusChange(from_status=current, alert=get_alert(store, key))
