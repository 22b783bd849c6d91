"""Alert cases (预警案件): alerts that share evidence, handled as one case.

A rebuild (after every rule run, and ``riskgraph cases rebuild``) groups all alerts
(:mod:`riskgraph.analytics.case_groups`) and stores each group as a ``(:Case)`` node; every
alert names its case in ``case_id``. A case's status is derived from its alerts (open if
any is open, else in progress if any is, else confirmed if any is, else dismissed), so
it follows the alert status model of :mod:`riskgraph.analytics.alerts`: changing a
case's status changes each of its alerts through ``alerts.change_status`` (same
transitions, same notes, same history) and is logged as a ``CaseEvent``, as are
assignments, merges and splits.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from riskgraph.analytics import alerts
from riskgraph.analytics.alerts import ALERT_STATUSES, CONFIRMED, IN_PROGRESS, OPEN
from riskgraph.analytics.case_groups import (
    SEVERITY_RANK,
    Identity,
    anchor,
    group_alerts,
    identities,
    linking_keys,
)
from riskgraph.analytics.clock import timestamp
from riskgraph.analytics.pages import Page, page_of
from riskgraph.errors import Invalid, NotFound
from riskgraph.graph.job_lock import job_lock
from riskgraph.graph.schema import apply_ddl
from riskgraph.graph.store import GraphStore, Row

BULK_MAX = 100
"""Most cases one bulk status change may name."""
CASE_ALERTS_MAX = 500
"""Most alerts (and so firms) one case detail lists."""
LEAD_FIRMS = 5
"""Firms shown with each case in a listing (the riskiest)."""
_SCAN_PAGE = 5000
_LOOKUP_BATCH = 2000
_WRITE_BATCH = 500


class CaseNotFound(NotFound):
    """No case has the given id."""


@dataclass(frozen=True)
class CaseFilter:
    """Which cases to list; ``None`` means any."""

    status: str | None = None
    severity: str | None = None
    assignee: str | None = None
    unassigned: bool = False
    rule: str | None = None
    region: str | None = None
    """A region code prefix (510107, 5101): any member firm registered there."""

    def params(self, *, with_status: bool = True) -> dict[str, Any]:
        params: dict[str, Any] = {
            "severity": self.severity,
            "assignee": self.assignee,
            "unassigned": self.unassigned,
            "rule": self.rule,
            "region": self.region,
        }
        if with_status:
            params["status"] = self.status
        return params


@dataclass
class RebuildReport:
    """What a rebuild found and wrote."""

    build: str
    alerts: int
    cases: int
    open_cases: int
    open_alerts: int
    largest: int
    kept: int
    new: int
    merged: int
    split: int
    deleted: int
    seconds: float
    sizes: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


CASE_PRECEDENCE = (OPEN, IN_PROGRESS, CONFIRMED)
"""A case takes the first of these its alerts have, else dismissed."""


def case_status(statuses: Sequence[str]) -> str:
    """A case's status from its alerts' (:data:`CASE_PRECEDENCE`)."""
    for status in CASE_PRECEDENCE:
        if status in statuses:
            return status
    return alerts.DISMISSED


def ensure_case_schema(store: GraphStore) -> None:
    """Indexes for cases and for each alert's case (idempotent)."""
    apply_ddl(store, "alert_schema")
    apply_ddl(store, "case_schema")


# --------------------------------------------------------------------------- rebuild


def _scan_alerts(store: GraphStore) -> list[Row]:
    query = store.query_text("case_alerts_scan")
    rows: list[Row] = []
    after = ""
    while True:
        page = store.read(query, after=after, limit=_SCAN_PAGE)
        rows.extend(page)
        if len(page) < _SCAN_PAGE:
            return rows
        after = str(page[-1]["key"])


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def firm_facts(store: GraphStore, usccs: Sequence[str]) -> dict[str, Row]:
    """Name, class, score, region and risk clusters of each firm found."""
    query = store.query_text("case_firms")
    found: dict[str, Row] = {}
    for batch in _batches(sorted(set(usccs)), _LOOKUP_BATCH):
        for row in store.read(query, keys=list(batch)):
            found[str(row["uscc"])] = row
    return found


def _case_props(members: list[Row], firms: dict[str, Row], keys: list[list[str]]) -> dict[str, Any]:
    """The stored summary of one case."""
    statuses = [str(a["status"]) for a in members]
    ranked = sorted(
        members,
        key=lambda a: (-SEVERITY_RANK.get(str(a["severity"]), 0), str(a["rule"])),
    )
    lead = ranked[0]
    subjects = list(dict.fromkeys(str(a["subject"]) for a in members))
    scores = {s: firms.get(s, {}).get("risk_score") for s in subjects}
    by_risk = sorted(subjects, key=lambda s: (-(scores[s] or -1.0), s))
    shared = Counter(key.removeprefix("~") for alert_keys in keys for key in set(alert_keys))
    known = [float(v) for v in scores.values() if v is not None]
    return {
        "status": case_status(statuses),
        "severity": lead["severity"],
        "severity_rank": SEVERITY_RANK.get(str(lead["severity"]), 0),
        "risk": max(known) if known else None,
        "alert_count": len(members),
        "open_alerts": sum(1 for s in statuses if s in alerts.ACTIVE_STATUSES),
        "firm_count": len(subjects),
        "firms": by_risk,
        "rules": sorted({str(a["rule"]) for a in members}),
        "regions": sorted({str(r) for s in subjects if (r := firms.get(s, {}).get("region_code"))}),
        "keys": sorted((k for k, n in shared.items() if n > 1), key=lambda k: (-shared[k], k))[:20],
        "title": lead["title"],
        "title_zh": lead["title_zh"],
        "first_seen": min(str(a["first_seen"]) for a in members),
        "last_seen": max(str(a["last_seen"]) for a in members),
    }


def rebuild_cases(
    store: GraphStore,
    *,
    max_size: int = 500,
    hub_size: int = 200,
    now: datetime | None = None,
) -> RebuildReport:
    """Regroup every alert into cases and store them, keeping the ids (and so assignee,
    history) of the cases whose alerts stay together. One rebuild at a time (JobRunning):
    each prunes the cases the other wrote."""
    if max_size < 1 or hub_size < 2:
        raise Invalid("max_size must be at least 1 and hub_size at least 2")
    with job_lock(store, "cases_rebuild"):
        return _rebuild(store, max_size=max_size, hub_size=hub_size, now=now)


def _rebuild(
    store: GraphStore, *, max_size: int, hub_size: int, now: datetime | None
) -> RebuildReport:
    started = time.monotonic()
    ensure_case_schema(store)
    stamp, build = timestamp(now), uuid.uuid4().hex[:16]
    rows = _scan_alerts(store)
    firms = firm_facts(store, [str(a["subject"]) for a in rows])
    keys = [
        linking_keys(
            str(a["subject"]),
            [str(item) for item in a["evidence"] or []],
            _cluster_of(firms.get(str(a["subject"]))),
        )
        for a in rows
    ]
    groups = group_alerts(keys, max_size=max_size, hub_size=hub_size)
    ids = identities(
        groups,
        [a["case_id"] for a in rows],
        [anchor(keys, group) for group in groups],
    )
    existing = {str(r["id"]): r for r in store.read(store.query_text("case_existing"))}
    case_rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    moves: list[dict[str, Any]] = []
    for group, identity in zip(groups, ids, strict=True):
        members = [rows[i] for i in group]
        props = _case_props(members, firms, [keys[i] for i in group])
        if not identity.kept and identity.split_from in existing:
            props["assignee"] = existing[identity.split_from]["assignee"]
        case_rows.append({"id": identity.id, "status": props["status"], "props": props})
        links.extend({"key": a["key"], "case_id": identity.id} for a in members)
        events.extend(_rebuild_events(identity, existing))
        moves.extend({"from": old, "to": identity.id} for old in identity.absorbed)
    _write(store, case_rows, links, events, moves, build=build, now=stamp)
    [deleted] = store.write(store.query_text("case_prune"), build=build)
    sizes = Counter(_size_band(len(group)) for group in groups)
    return RebuildReport(
        build=build,
        alerts=len(rows),
        cases=len(groups),
        open_cases=sum(1 for r in case_rows if r["status"] == OPEN),
        open_alerts=sum(1 for a in rows if a["status"] == OPEN),
        largest=max((len(g) for g in groups), default=0),
        kept=sum(1 for i in ids if i.kept),
        new=sum(1 for i in ids if not i.kept),
        merged=sum(len(i.absorbed) for i in ids),
        split=sum(1 for i in ids if i.split_from is not None),
        deleted=int(deleted["deleted"]),
        seconds=round(time.monotonic() - started, 3),
        sizes=dict(sorted(sizes.items())),
    )


def _cluster_of(firm: Row | None) -> str | None:
    clusters = sorted(str(c) for c in (firm or {}).get("clusters") or [])
    return clusters[0] if clusters else None


def _rebuild_events(identity: Identity, existing: dict[str, Row]) -> list[dict[str, Any]]:
    events = [
        {
            "id": identity.id,
            "kind": "merged",
            "actor": None,
            "note": f"assignee {existing[old]['assignee']}" if old in existing else None,
            "other": old,
        }
        for old in identity.absorbed
    ]
    if identity.split_from is not None:
        events.append(
            {"id": identity.id, "kind": "split", "actor": None, "note": None,
             "other": identity.split_from}
        )  # fmt: skip
    return events


def _write(
    store: GraphStore,
    cases: list[dict[str, Any]],
    links: list[dict[str, Any]],
    events: list[dict[str, Any]],
    moves: list[dict[str, Any]],
    *,
    build: str,
    now: str,
) -> None:
    for batch in _batches(cases, _WRITE_BATCH):
        store.write(store.query_text("case_write"), rows=list(batch), build=build, now=now)
    for batch in _batches(links, _LOOKUP_BATCH):
        store.write(store.query_text("case_link_alerts"), rows=list(batch))
    for batch in _batches(moves, _WRITE_BATCH):
        store.write(store.query_text("case_move_events"), rows=list(batch))
    for batch in _batches(events, _WRITE_BATCH):
        store.write(store.query_text("case_event_add"), rows=list(batch), now=now)
    store.write(store.query_text("case_prune_events"), build=build)


def _size_band(size: int) -> str:
    for bound in (1, 2, 5, 10, 50, 100):
        if size <= bound:
            return f"<={bound}"
    return ">100"


# --------------------------------------------------------------------------- reading


def list_cases(
    store: GraphStore, filters: CaseFilter | None = None, *, limit: int = 50, offset: int = 0
) -> tuple[Page, dict[str, int]]:
    """Cases matching ``filters``, high severity first, then risk (the riskiest member's
    score), then the latest alert; each with its riskiest firms (``lead_firms``). Also
    the number of cases per status under the other filters."""
    filters = filters or CaseFilter()
    rows = store.read(
        store.query_text("case_page"), skip=offset, limit=limit + 1, **filters.params()
    )
    page = page_of([row["props"] for row in rows], limit=limit, offset=offset)
    lead = {c["id"]: list(c.get("firms") or [])[:LEAD_FIRMS] for c in page.items}
    facts = firm_facts(store, [key for keys in lead.values() for key in keys])
    for item in page.items:
        item["lead_firms"] = [_firm(facts.get(key), key) for key in lead[item["id"]]]
    counts = dict.fromkeys(ALERT_STATUSES, 0)
    for row in store.read(
        store.query_text("case_status_counts"), **filters.params(with_status=False)
    ):
        counts[str(row["status"])] = int(row["cases"])
    return page, counts


def _firm(row: Row | None, uscc: str) -> dict[str, Any]:
    row = row or {}
    return {
        "uscc": uscc,
        "name": row.get("name"),
        "class": row.get("class"),
        "scored": bool(row.get("scored")),
        "risk_score": row.get("risk_score"),
        "region_code": row.get("region_code"),
    }


def get_case(store: GraphStore, case_id: str) -> dict[str, Any]:
    """The case's stored properties; raises CaseNotFound."""
    rows = store.read(store.query_text("case_get"), id=case_id)
    if not rows:
        raise CaseNotFound(f"no case {case_id!r}")
    props: dict[str, Any] = rows[0]["props"]
    return props


def case_alerts(store: GraphStore, case_id: str) -> list[dict[str, Any]]:
    """The case's alerts (at most CASE_ALERTS_MAX), high severity first."""
    rows = store.read(store.query_text("case_alerts"), id=case_id, limit=CASE_ALERTS_MAX)
    return [row["alert"] for row in rows]


def case_detail(store: GraphStore, case_id: str) -> dict[str, Any]:
    """The case with its alerts, its firms (name, class, score) and history."""
    case = get_case(store, case_id)
    members = case_alerts(store, case_id)
    subjects = list(case.get("firms") or [])[:CASE_ALERTS_MAX]
    facts = firm_facts(store, subjects)
    history = store.read(store.query_text("case_events"), id=case_id)
    return {
        **case,
        "alerts": members,
        "firms": [_firm(facts.get(key), key) for key in subjects],
        "history": history,
    }


# --------------------------------------------------------------------------- changes


def assign_case(
    store: GraphStore,
    case_id: str,
    assignee: str | None,
    *,
    note: str | None = None,
    actor: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Assign the case to ``assignee`` (None: unassign); logged in its history."""
    assignee = (assignee or "").strip() or None
    if assignee is not None and (len(assignee) > 64 or not assignee.isprintable()):
        raise Invalid("an assignee is 1 to 64 printable characters")
    rows = store.write(
        store.query_text("case_assign"),
        id=case_id,
        assignee=assignee,
        note=(note or "").strip() or None,
        actor=actor,
        now=timestamp(now),
    )
    if not rows:
        raise CaseNotFound(f"no case {case_id!r}")
    props: dict[str, Any] = rows[0]["props"]
    return props


@dataclass(frozen=True)
class CaseChange:
    """A case moved from ``from_status``; ``changed`` alerts moved with it."""

    case_id: str
    from_status: str
    case: dict[str, Any]
    changed: int


def change_case_status(
    store: GraphStore,
    case_id: str,
    status: str,
    *,
    note: str | None = None,
    actor: str | None = None,
    now: datetime | None = None,
) -> CaseChange:
    """Move every alert of the case that is not yet in ``status`` there, through
    ``alerts.change_status``. Every alert's change is checked first (the transitions and
    the note of the alert status model), so a refused case changes nothing. When another
    session moves one of the alerts meanwhile, the alerts moved so far stay moved, the
    case's status is derived again from them and InvalidTransition is raised."""
    note = alerts.checked_note(status, note)
    case = get_case(store, case_id)
    members = case_alerts(store, case_id)
    pending = [a for a in members if a["status"] != status]
    for alert in pending:
        alerts.check_transition(str(alert["key"]), str(alert["status"]), status)
    moved = 0
    try:
        for alert in pending:
            alerts.change_status(store, str(alert["key"]), status, note=note, actor=actor, now=now)
            moved += 1
    except alerts.InvalidTransition:
        if moved:  # the case follows what its alerts now say
            _record_case_status(store, case, status, moved, note, actor, now)
        raise
    return _record_case_status(store, case, status, moved, note, actor, now)


def _record_case_status(
    store: GraphStore,
    case: dict[str, Any],
    status: str,
    moved: int,
    note: str | None,
    actor: str | None,
    now: datetime | None,
) -> CaseChange:
    case_id = str(case["id"])
    rows = store.write(
        store.query_text("case_status_set"),
        id=case_id,
        precedence=list(CASE_PRECEDENCE),
        otherwise=alerts.DISMISSED,
        active=list(alerts.ACTIVE_STATUSES),
        from_status=case["status"],
        to_status=status,
        alerts=moved,
        note=note,
        actor=actor,
        now=timestamp(now),
    )
    if not rows:  # a rebuild merged the case away meanwhile
        raise CaseNotFound(f"no case {case_id!r}")
    return CaseChange(case_id, str(case["status"]), rows[0]["props"], moved)


@dataclass(frozen=True)
class BulkOutcome:
    """One case of a bulk change: the change, or why it was refused."""

    case_id: str
    change: CaseChange | None = None
    error: Exception | None = None


def bulk_status(
    store: GraphStore,
    case_ids: Sequence[str],
    status: str,
    *,
    note: str | None = None,
    actor: str | None = None,
    now: datetime | None = None,
) -> list[BulkOutcome]:
    """Change up to BULK_MAX cases, each on its own: a refused case (not found, a
    transition not allowed) is reported and the others go on."""
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        raise Invalid("name at least one case")
    if len(ids) > BULK_MAX:
        raise Invalid(f"at most {BULK_MAX} cases per bulk change, got {len(ids)}")
    note = alerts.checked_note(status, note)
    outcomes = []
    for case_id in ids:
        try:
            change = change_case_status(store, case_id, status, note=note, actor=actor, now=now)
        except (NotFound, alerts.InvalidTransition) as exc:
            outcomes.append(BulkOutcome(case_id, error=exc))
            continue
        outcomes.append(BulkOutcome(case_id, change=change))
    return outcomes
