"""Dispatch (派发批次): turn a rule run's alerts into a batch of tasks, one per firm.

A batch draws on the active alerts that match its *source* (a rule run, rules, a
least severity, a region prefix) and keeps those its *thresholds* select: an alert of
severity at least ``severity_at_least``, or one of a rule that produced at least
``min_alerts_in_region`` such alerts in the firm's region (its 6-digit code). Each
selected firm becomes one ``DispatchTask`` assigned to its region's office, with the
rules and alerts it came from; a firm that already has an unfinished task is left out
unless ``skip_pending`` is off. Tasks move 待签收 → 处理中 → 已办结 (or 退回);
``TASK_TRANSITIONS`` is the one place that says which moves are allowed. Every change
is kept as a ``TaskEvent``.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from riskgraph.analytics.alerts import ACTIVE_STATUSES
from riskgraph.analytics.clock import timestamp
from riskgraph.analytics.pages import Page, page_of
from riskgraph.analytics.rules import SEVERITIES
from riskgraph.errors import Conflict, Invalid, NotFound
from riskgraph.graph.schema import apply_ddl
from riskgraph.graph.store import GraphStore
from riskgraph.reference.regions import full_name, is_known_region

PENDING, IN_PROGRESS, DONE, RETURNED = "待签收", "处理中", "已办结", "退回"
TASK_STATUSES = (PENDING, IN_PROGRESS, DONE, RETURNED)
UNFINISHED = (PENDING, IN_PROGRESS)
TASK_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PENDING: (IN_PROGRESS, RETURNED),
    IN_PROGRESS: (DONE, RETURNED),
    RETURNED: (PENDING,),
    DONE: (IN_PROGRESS,),
}
"""Allowed task moves: sign for (签收) or return a pending task; finish or return one in
progress; re-dispatch a returned one; reopen a finished one."""
NOTE_REQUIRED = (DONE, RETURNED)
"""Finishing (the result) and returning (the reason) need a note."""

MAX_TASKS = 5000
"""The most tasks one batch may hold; a larger selection is refused (narrow the source)."""
MAX_ALERTS = 50_000
"""The most alerts a batch reads to select from."""
_CHUNK = 500


class BatchNotFound(NotFound):
    """No dispatch batch has the given id."""


class TaskNotFound(NotFound):
    """The batch has no task with the given id."""


class BatchTooLarge(Invalid):
    """The source selects more alerts or tasks than one batch may hold."""


class InvalidTaskTransition(Conflict):
    """The task's current status does not allow the requested one."""


@dataclass(frozen=True)
class DispatchSource:
    """Which alerts a batch draws on; ``None`` means any."""

    run_id: str | None = None
    rules: tuple[str, ...] | None = None
    min_severity: str = "low"
    region: str | None = None

    def check(self) -> None:
        """Raise Invalid for an unknown severity or a region prefix that is not digits."""
        if self.min_severity not in SEVERITIES:
            raise Invalid(f"min_severity must be one of {', '.join(SEVERITIES)}")
        if self.region is not None and not (self.region.isdigit() and len(self.region) <= 6):
            raise Invalid("region must be a prefix of a 6-digit region code (digits only)")


@dataclass(frozen=True)
class DispatchThresholds:
    """When alerts become tasks (the one place these thresholds are set).

    An alert is dispatched when its severity is at least ``severity_at_least``, or when its
    rule produced at least ``min_alerts_in_region`` selected alerts in the firm's region.
    ``due_days`` sets the batch's due date; ``skip_pending`` leaves out firms that already
    have an unfinished task (待签收, 处理中)."""

    severity_at_least: str = "high"
    min_alerts_in_region: int = 5
    due_days: int = 30
    skip_pending: bool = True

    def check(self) -> None:
        """Raise Invalid for values out of range."""
        if self.severity_at_least not in SEVERITIES:
            raise Invalid(f"severity_at_least must be one of {', '.join(SEVERITIES)}")
        if not 1 <= self.min_alerts_in_region <= 100_000:
            raise Invalid("min_alerts_in_region must be between 1 and 100000")
        if not 1 <= self.due_days <= 366:
            raise Invalid("due_days must be between 1 and 366")


@dataclass
class DispatchResult:
    """A created batch: its properties, and how many firms were left out and why."""

    batch: dict[str, Any]
    counts: dict[str, int]
    skipped_pending: int = 0
    alerts_considered: int = 0
    alerts_dispatched: int = 0
    tasks: int = 0


def ensure_dispatch_schema(store: GraphStore) -> None:
    """Indexes for batches and tasks (idempotent)."""
    apply_ddl(store, "dispatch_schema")


def _severities_from(least: str) -> list[str]:
    """The severities at least ``least`` (SEVERITIES runs from high to low)."""
    return list(SEVERITIES[: SEVERITIES.index(least) + 1])


def select_alerts(
    rows: Sequence[dict[str, Any]], thresholds: DispatchThresholds
) -> list[dict[str, Any]]:
    """The alerts the thresholds dispatch: severe enough, or of a rule with enough
    alerts in the firm's region."""
    severe = set(_severities_from(thresholds.severity_at_least))
    per_region = Counter((row["rule"], row["region"]) for row in rows)
    return [
        row
        for row in rows
        if row["severity"] in severe
        or per_region[(row["rule"], row["region"])] >= thresholds.min_alerts_in_region
    ]


def unit_of(region: str | None) -> tuple[str, str]:
    """The assignee unit of a firm: its region's code and that office's name."""
    if not region:
        return "", "未知属地"
    name = full_name(region) if is_known_region(region) else region
    return region, f"{name}市场监督管理局"


def _tasks(bid: str, selected: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    by_firm: dict[str, dict[str, Any]] = {}
    for row in selected:
        task = by_firm.get(row["uscc"])
        if task is None:
            unit, unit_name = unit_of(row["region"])
            task = by_firm[row["uscc"]] = {
                "uscc": row["uscc"],
                "name": row["name"],
                "unit": unit,
                "unit_name": unit_name,
                "rules": [],
                "alerts": [],
            }
        if row["rule"] not in task["rules"]:
            task["rules"].append(row["rule"])
        task["alerts"].append(row["key"])
    tasks = [by_firm[key] for key in sorted(by_firm)]
    for number, task in enumerate(tasks, start=1):
        task["tid"] = f"{bid}-{number:05d}"
    return tasks


def create_batch(
    store: GraphStore,
    source: DispatchSource | None = None,
    thresholds: DispatchThresholds | None = None,
    *,
    created_by: str,
    now: datetime | None = None,
) -> DispatchResult:
    """Create a batch of tasks from the active alerts ``source`` selects and
    ``thresholds`` dispatch. Invalid when nothing is left to dispatch; BatchTooLarge
    above ``MAX_TASKS`` tasks or ``MAX_ALERTS`` alerts."""
    source, thresholds = source or DispatchSource(), thresholds or DispatchThresholds()
    source.check()
    thresholds.check()
    ensure_dispatch_schema(store)
    rows = store.read(
        store.query_text("dispatch_candidates"),
        statuses=list(ACTIVE_STATUSES),
        rules=list(source.rules) if source.rules else None,
        run_id=source.run_id,
        severities=_severities_from(source.min_severity),
        region=source.region,
        limit=MAX_ALERTS + 1,
    )
    if len(rows) > MAX_ALERTS:
        raise BatchTooLarge(f"more than {MAX_ALERTS} alerts match; narrow the source")
    selected = select_alerts(rows, thresholds)
    skipped = 0
    if thresholds.skip_pending and selected:
        keys = sorted({row["uscc"] for row in selected})
        pending = {
            row["uscc"]
            for row in store.read(
                store.query_text("dispatch_pending"), keys=keys, statuses=list(UNFINISHED)
            )
        }
        skipped = len(pending)
        selected = [row for row in selected if row["uscc"] not in pending]
    if not selected:
        raise Invalid("no alerts meet the thresholds (or every firm already has a task)")
    moment = now or datetime.now(UTC)
    bid = f"DB-{moment:%Y%m%d}-{uuid.uuid4().hex[:8]}"
    tasks = _tasks(bid, selected)
    if len(tasks) > MAX_TASKS:
        raise BatchTooLarge(f"{len(tasks)} tasks exceed the limit of {MAX_TASKS} per batch")
    stamp = timestamp(now)
    due = moment.date() + timedelta(days=thresholds.due_days)
    props = {
        "created_by": created_by,
        "created_at": stamp,
        "due": due.isoformat(),
        "source": json.dumps(asdict(source), ensure_ascii=False, sort_keys=True),
        "thresholds": json.dumps(asdict(thresholds), ensure_ascii=False, sort_keys=True),
        "tasks": len(tasks),
        "alerts": len(selected),
    }
    store.write(store.query_text("dispatch_batch_create"), bid=bid, props=props)
    created = _create_tasks(store, bid, tasks, stamp, skip_pending=thresholds.skip_pending)
    if len(created) < len(tasks):  # another batch took some firms first
        if not created:
            store.write(store.query_text("dispatch_batch_delete"), bid=bid)
            raise Invalid("every firm got a task from another batch meanwhile")
        skipped += len(tasks) - len(created)
        store.write(
            store.query_text("dispatch_batch_counted"),
            bid=bid,
            tasks=len(created),
            alerts=sum(len(task["alerts"]) for task in created),
        )
    batch = get_batch(store, bid)
    return DispatchResult(
        batch=batch,
        counts=batch["counts"],
        skipped_pending=skipped,
        alerts_considered=len(rows),
        alerts_dispatched=sum(len(task["alerts"]) for task in created),
        tasks=len(created),
    )


def _create_tasks(
    store: GraphStore, bid: str, tasks: list[dict[str, Any]], stamp: str, *, skip_pending: bool
) -> list[dict[str, Any]]:
    """Write ``tasks`` in chunks; the tasks written (with ``skip_pending``, a firm that has
    an unfinished task by the time its chunk is written gets none)."""
    create = store.query_text("dispatch_tasks_create")
    written: set[str] = set()
    for start in range(0, len(tasks), _CHUNK):
        rows = store.write(
            create,
            bid=bid,
            status=PENDING,
            now=stamp,
            skip_pending=skip_pending,
            unfinished=list(UNFINISHED),
            rows=tasks[start : start + _CHUNK],
        )
        written.update(str(row["tid"]) for row in rows)
    return [task for task in tasks if task["tid"] in written]


def _with_counts(store: GraphStore, batches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts: dict[str, dict[str, int]] = {b["bid"]: dict.fromkeys(TASK_STATUSES, 0) for b in batches}
    if batches:
        for row in store.read(
            store.query_text("dispatch_status_counts"), bids=[b["bid"] for b in batches]
        ):
            counts[row["bid"]][row["status"]] = int(row["count"])
    return [{**batch, "counts": counts[batch["bid"]]} for batch in batches]


def list_batches(store: GraphStore, *, limit: int = 50, offset: int = 0) -> Page:
    """Batches, newest first, each with its task counts per status."""
    ensure_dispatch_schema(store)
    rows = store.read(store.query_text("dispatch_batch_page"), skip=offset, limit=limit + 1)
    page = page_of([row["batch"] for row in rows], limit=limit, offset=offset)
    return Page(_with_counts(store, page.items), page.offset, page.next_offset)


def get_batch(store: GraphStore, bid: str) -> dict[str, Any]:
    """The batch with its task counts per status; raises BatchNotFound."""
    rows = store.read(store.query_text("dispatch_batch_get"), bid=bid)
    if not rows:
        raise BatchNotFound(f"no dispatch batch {bid!r}")
    [batch] = _with_counts(store, [rows[0]["batch"]])
    return batch


def list_tasks(
    store: GraphStore, bid: str, *, status: str | None = None, limit: int = 50, offset: int = 0
) -> Page:
    """A batch's tasks in task order, optionally of one status; raises BatchNotFound."""
    if status is not None and status not in TASK_STATUSES:
        raise Invalid(f"unknown task status {status!r}; use {', '.join(TASK_STATUSES)}")
    get_batch(store, bid)
    rows = store.read(
        store.query_text("dispatch_task_page"), bid=bid, status=status, skip=offset, limit=limit + 1
    )
    return page_of([row["task"] for row in rows], limit=limit, offset=offset)


def get_task(store: GraphStore, bid: str, tid: str) -> dict[str, Any]:
    """One task of the batch; raises TaskNotFound."""
    rows = store.read(store.query_text("dispatch_task_get"), bid=bid, tid=tid)
    if not rows:
        raise TaskNotFound(f"batch {bid!r} has no task {tid!r}")
    task: dict[str, Any] = rows[0]["task"]
    return task


def task_history(store: GraphStore, bid: str, tid: str) -> list[dict[str, Any]]:
    """The task's status changes, oldest first; raises TaskNotFound."""
    get_task(store, bid, tid)
    return store.read(store.query_text("dispatch_task_history"), tid=tid)


def check_transition(current: str, status: str, note: str | None) -> None:
    """Raise Invalid for an unknown status or a missing note, InvalidTaskTransition for a
    move ``TASK_TRANSITIONS`` does not allow."""
    if status not in TASK_STATUSES:
        raise Invalid(f"unknown task status {status!r}; use {', '.join(TASK_STATUSES)}")
    if status in NOTE_REQUIRED and not note:
        raise Invalid(f"a note is required to mark a task {status}")
    allowed = TASK_TRANSITIONS[current]
    if status not in allowed:
        raise InvalidTaskTransition(
            f"the task is {current}; it cannot become {status} "
            f"(allowed from {current}: {', '.join(allowed)})"
        )


def change_task_status(
    store: GraphStore,
    bid: str,
    tid: str,
    status: str,
    *,
    note: str | None = None,
    actor: str | None = None,
    now: datetime | None = None,
) -> tuple[str, dict[str, Any]]:
    """Move a task to ``status`` and log the change; returns the previous status and the
    task as stored afterwards."""
    note = (note or "").strip() or None
    current = get_task(store, bid, tid)["status"]
    check_transition(current, status, note)
    rows = store.write(
        store.query_text("dispatch_task_set_status"),
        tid=tid,
        from_status=current,
        to_status=status,
        note=note,
        actor=actor,
        now=timestamp(now),
    )
    if not rows:  # another session changed it between our read and write
        raise InvalidTaskTransition(f"task {tid!r} changed meanwhile; read it again")
    return current, get_task(store, bid, tid)
