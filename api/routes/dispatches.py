"""Dispatch batches (派发批次): create a batch of tasks from alerts, list batches with their
counts per status, read a batch's tasks, move a task along its statuses.

The thresholds and the task statuses live in :mod:`riskgraph.analytics.dispatch`.
Reading needs ``alerts:read``; creating a batch and changing a task ``alerts:manage``.
Every creation and status change is written to the audit log.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from riskgraph.analytics import dispatch
from riskgraph.analytics.dispatch import DispatchSource, DispatchThresholds
from riskgraph.api.deps import AlertManager, AlertReader, AuditDep, StoreDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.schemas import NO_CONTROL, ErrorBody
from riskgraph.errors import RiskgraphError

router = APIRouter(prefix="/dispatches", tags=["dispatches"])

Severity = Literal["high", "medium", "low"]
TaskStatus = Literal["待签收", "处理中", "已办结", "退回"]
BatchId = Annotated[
    str,
    Path(pattern=r"^DB-\d{8}-[0-9a-f]{8}$", examples=["DB-20260701-0a1b2c3d"]),
]
TaskId = Annotated[
    str,
    Path(pattern=r"^DB-\d{8}-[0-9a-f]{8}-\d{5}$", examples=["DB-20260701-0a1b2c3d-00001"]),
]


class DispatchRequest(BaseModel):
    """Which alerts to draw on (source) and when they become tasks (thresholds)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"rules": ["R02", "R15"], "severity_at_least": "high", "region": "5101"}]
        },
    )

    run_id: str | None = Field(None, max_length=64, pattern=r"^[0-9a-f]{1,64}$")
    rules: list[Annotated[str, Field(pattern=r"^R\d{2,3}$")]] | None = Field(None, max_length=100)
    min_severity: Severity = "low"
    region: str | None = Field(None, pattern=r"^\d{1,6}$")
    severity_at_least: Severity = "high"
    min_alerts_in_region: int = Field(5, ge=1, le=100_000)
    due_days: int = Field(30, ge=1, le=366)
    skip_pending: bool = True


class TaskStatusChange(BaseModel):
    """Move a task: 待签收 → 处理中 | 退回; 处理中 → 已办结 | 退回; 退回 → 待签收;
    已办结 → 处理中 (reopen). 已办结 and 退回 need a note (the result, the reason)."""

    model_config = ConfigDict(extra="forbid")

    status: TaskStatus
    note: str | None = Field(None, max_length=2000, pattern=NO_CONTROL)


class BatchOut(BaseModel):
    """A batch with its task counts per status."""

    model_config = ConfigDict(extra="allow")

    bid: str
    created_by: str | None = None
    created_at: str | None = None
    due: str | None = None
    source: str | None = None
    thresholds: str | None = None
    tasks: int = 0
    alerts: int = 0
    counts: dict[str, int]


class BatchPage(BaseModel):
    items: list[BatchOut]
    limit: int
    offset: int
    next_offset: int | None


class TaskOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    tid: str
    bid: str
    uscc: str
    firm_name: str | None = None
    unit: str | None = None
    unit_name: str | None = None
    rules: list[str] = []
    alerts: list[str] = []
    status: str
    note: str | None = None
    status_changed_at: str | None = None
    status_changed_by: str | None = None


class BatchDetail(BaseModel):
    batch: BatchOut
    tasks: list[TaskOut]
    limit: int
    offset: int
    next_offset: int | None


class CreatedBatch(BaseModel):
    batch: BatchOut
    alerts_considered: int
    alerts_dispatched: int
    skipped_pending: int
    tasks: int


class TaskEvent(BaseModel):
    seq: int
    at: str
    from_status: str
    to_status: str
    note: str | None = None
    actor: str | None = None


class TaskDetail(TaskOut):
    history: list[TaskEvent]


@router.post(
    "",
    response_model=CreatedBatch,
    status_code=201,
    summary="Create a dispatch batch: one task per firm from the alerts the thresholds select",
    responses={422: {"model": ErrorBody, "description": "bad thresholds, or nothing to dispatch"}},
)
def create_batch(
    holder: StoreDep,
    principal: AlertManager,
    audit: AuditDep,
    body: Annotated[DispatchRequest, Body()],
) -> CreatedBatch:
    """Source: active alerts of ``rules`` (default all), last seen by ``run_id`` (default
    any run), of severity ≥ ``min_severity``, of firms whose region code starts with
    ``region``. An alert is dispatched when its severity ≥ ``severity_at_least`` or its
    rule has ≥ ``min_alerts_in_region`` selected alerts in the firm's region."""
    source = DispatchSource(
        run_id=body.run_id,
        rules=tuple(body.rules) if body.rules else None,
        min_severity=body.min_severity,
        region=body.region,
    )
    thresholds = DispatchThresholds(
        severity_at_least=body.severity_at_least,
        min_alerts_in_region=body.min_alerts_in_region,
        due_days=body.due_days,
        skip_pending=body.skip_pending,
    )
    params = body.model_dump()
    try:
        result = holder.call(
            lambda store: dispatch.create_batch(
                store, source, thresholds, created_by=principal.actor
            )
        )
    except RiskgraphError as exc:
        audit("dispatches.create", params=params, outcome="refused", error=str(exc))
        raise
    audit("dispatches.create", params=params, rows=result.tasks, bid=result.batch["bid"])
    return CreatedBatch(
        batch=BatchOut.model_validate(jsonable(result.batch)),
        alerts_considered=result.alerts_considered,
        alerts_dispatched=result.alerts_dispatched,
        skipped_pending=result.skipped_pending,
        tasks=result.tasks,
    )


@router.get("", response_model=BatchPage, summary="Dispatch batches, newest first, with counts")
def list_batches(
    holder: StoreDep,
    principal: AlertReader,
    audit: AuditDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> BatchPage:
    page = holder.call(lambda store: dispatch.list_batches(store, limit=limit, offset=offset))
    items = [BatchOut.model_validate(jsonable(row)) for row in page.items]
    audit("dispatches.list", params={"limit": limit, "offset": offset}, rows=len(items))
    return BatchPage(items=items, limit=limit, offset=offset, next_offset=page.next_offset)


@router.get(
    "/{bid}",
    response_model=BatchDetail,
    summary="One batch with its counts per status and a page of its tasks",
    responses={404: {"model": ErrorBody}},
)
def get_batch(
    bid: BatchId,
    holder: StoreDep,
    principal: AlertReader,
    audit: AuditDep,
    status: Annotated[TaskStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> BatchDetail:
    batch = holder.call(lambda store: dispatch.get_batch(store, bid))
    page = holder.call(
        lambda store: dispatch.list_tasks(store, bid, status=status, limit=limit, offset=offset)
    )
    tasks = [TaskOut.model_validate(jsonable(row)) for row in page.items]
    audit("dispatches.read", params={"bid": bid, "status": status}, rows=len(tasks))
    return BatchDetail(
        batch=BatchOut.model_validate(jsonable(batch)),
        tasks=tasks,
        limit=limit,
        offset=offset,
        next_offset=page.next_offset,
    )


@router.post(
    "/{bid}/tasks/{tid}:status",
    response_model=TaskDetail,
    summary="Change a task's status (recorded in its history and the audit log)",
    responses={
        404: {"model": ErrorBody, "description": "no such batch or task"},
        409: {"model": ErrorBody, "description": "not allowed from the current status"},
        422: {"model": ErrorBody, "description": "unknown status, or a note is missing"},
    },
)
def change_task_status(
    bid: BatchId,
    tid: TaskId,
    holder: StoreDep,
    principal: AlertManager,
    audit: AuditDep,
    body: Annotated[TaskStatusChange, Body()],
) -> TaskDetail:
    params = {"bid": bid, "tid": tid, "status": body.status, "note": body.note}
    try:
        previous, task = holder.call(
            lambda store: dispatch.change_task_status(
                store, bid, tid, body.status, note=body.note, actor=principal.actor
            )
        )
    except RiskgraphError as exc:
        audit("dispatches.task_status", params=params, outcome="refused", error=str(exc))
        raise
    history = holder.call(lambda store: dispatch.task_history(store, bid, tid))
    audit(
        "dispatches.task_status",
        params=params,
        rows=1,
        from_status=previous,
        to_status=task["status"],
    )
    return TaskDetail(
        **jsonable(task), history=[TaskEvent.model_validate(jsonable(e)) for e in history]
    )
