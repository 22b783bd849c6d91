"""Credit repair (信用修复): application → review → decision, with the queue and monthly
counts.

``riskgraph.analytics.repair`` checks the statuses (submitted → reviewed → approved |
rejected) and that the applicant does not decide their own application. An approval
marks the violations 已修复 and re-scores the firm at once with the current model (the
API's models directory), so its history shows the class before and after. Every change
is audited; the actor recorded is ``<role>:<key id>``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, Field

from riskgraph.analytics import repair
from riskgraph.api.deps import (
    AuditDep,
    RepairApplicant,
    RepairDecider,
    RepairReader,
    RepairReviewer,
    StateDep,
    StoreDep,
)
from riskgraph.api.encoding import jsonable
from riskgraph.api.model_files import models_root
from riskgraph.api.schemas import EXAMPLE_USCC, NO_CONTROL, ErrorBody, Key

router = APIRouter(tags=["repairs"])

EXAMPLE_REPAIR = "CR-20260701-3f2a9c1d"
RepairId = Annotated[str, Path(pattern=r"^CR-\d{8}-[0-9a-f]{8}$", examples=[EXAMPLE_REPAIR])]
FirmKey = Annotated[
    str, Path(min_length=1, max_length=64, pattern=NO_CONTROL, examples=[EXAMPLE_USCC])
]
Text = Annotated[str, Field(min_length=1, max_length=repair.MAX_TEXT, pattern=NO_CONTROL)]
Ref = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_CONTROL)]
ClassName = Literal["A", "B", "C", "D"]
_CHANGES = {
    404: {"model": ErrorBody, "description": "no such application"},
    409: {"model": ErrorBody, "description": "not allowed in its status, or by this person"},
}


class RepairViolation(BaseModel):
    vid: str
    case_no: str | None = None
    kind: str | None = None
    date: str | None = None
    status: str | None = None
    removed_on: str | None = None
    repairable: bool | None = Field(
        default=None, description="not repaired and not in a pending application"
    )


class RepairOut(BaseModel):
    """A credit repair application as stored, with the firm's name and current class."""

    rid: str = Field(examples=[EXAMPLE_REPAIR])
    uscc: str = Field(examples=[EXAMPLE_USCC])
    name: str | None = None
    current_class: str | None = Field(default=None, description="the firm's class now")
    status: str = Field(
        examples=["submitted"], description="submitted, reviewed, approved, rejected"
    )
    violations: list[str]
    reason: str
    applicant: str
    applied_at: str
    applied_month: str
    class_at_application: str | None = None
    review_opinion: str | None = None
    reviewer: str | None = None
    reviewed_at: str | None = None
    decision_reasons: str | None = None
    decider: str | None = None
    decided_at: str | None = None
    decided_month: str | None = None
    class_before: str | None = Field(default=None, description="class when decided")
    class_after: str | None = Field(default=None, description="class after the re-score")
    rescore: str | None = Field(default=None, examples=[repair.NO_MODEL])
    model_version: str | None = None
    items: list[RepairViolation] | None = None


class RepairPage(BaseModel):
    items: list[RepairOut]
    limit: int
    offset: int
    next_offset: int | None


class RepairRequest(BaseModel):
    """Apply to repair some of a firm's violations (ids or case numbers)."""

    uscc: Key
    violations: list[Ref] = Field(min_length=1, max_length=repair.MAX_VIOLATIONS)
    reason: Text


class ReviewRequest(BaseModel):
    opinion: Text


class DecideRequest(BaseModel):
    decision: Literal["approve", "reject"]
    reasons: Text


class MonthCount(BaseModel):
    month: str = Field(examples=["2026-07"])
    received: int
    approved: int
    rejected: int
    pending: int = Field(description="received that month and not decided yet")


class FirmViolations(BaseModel):
    uscc: str
    name: str | None = None
    current_class: str | None = None
    violations: list[RepairViolation]


def _out(row: dict[str, Any]) -> RepairOut:
    data = jsonable(row)
    data["current_class"] = data.pop("class", None)
    return RepairOut.model_validate(data)


@router.get(
    "/repairs",
    response_model=RepairPage,
    summary="The credit repair queue: C and D firms first, then the oldest",
)
def list_repairs(
    holder: StoreDep,
    _: RepairReader,
    audit: AuditDep,
    status: Annotated[
        Literal["submitted", "reviewed", "approved", "rejected"] | None, Query()
    ] = None,
    risk_class: Annotated[ClassName | None, Query(alias="class")] = None,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> RepairPage:
    filters = repair.RepairFilter(status=status, risk_class=risk_class, month=month)
    page = holder.call(
        lambda store: repair.list_repairs(store, filters, limit=limit, offset=offset)
    )
    items = [_out(row) for row in page.items]
    audit("repairs.list", params={**filters.params(), "offset": offset}, rows=len(items))
    return RepairPage(items=items, limit=limit, offset=offset, next_offset=page.next_offset)


@router.get(
    "/repairs/stats",
    response_model=list[MonthCount],
    summary="Credit repairs per month: received, approved, rejected, pending",
)
def stats(holder: StoreDep, _: RepairReader, audit: AuditDep) -> list[MonthCount]:
    rows = holder.call(repair.monthly_counts)
    audit("repairs.stats", rows=len(rows))
    return [MonthCount.model_validate(row) for row in rows]


@router.get(
    "/repairs/violations/{key}",
    response_model=FirmViolations,
    summary="A firm's violations, each marked repairable or not (for the application form)",
    responses={404: {"model": ErrorBody}},
)
def firm_violations(
    key: FirmKey, holder: StoreDep, _: RepairReader, audit: AuditDep
) -> FirmViolations:
    firm = jsonable(holder.call(lambda store: repair.firm_violations(store, key)))
    firm["current_class"] = firm.pop("class", None)
    audit("repairs.violations", params={"key": key}, rows=len(firm["violations"]))
    return FirmViolations.model_validate(firm)


@router.post(
    "/repairs",
    response_model=RepairOut,
    status_code=201,
    summary="Record a credit repair application",
    responses={
        404: {"model": ErrorBody, "description": "no such firm"},
        409: {
            "model": ErrorBody,
            "description": "a violation is another firm's, repaired, or claimed",
        },
    },
)
def apply(
    holder: StoreDep,
    principal: RepairApplicant,
    audit: AuditDep,
    body: Annotated[RepairRequest, Body()],
) -> RepairOut:
    params = body.model_dump(mode="json")
    made = audit.refusals(
        "repairs.apply",
        params,
        lambda: holder.call(
            lambda store: repair.apply(
                store, body.uscc, body.violations, body.reason, applicant=principal.actor
            )
        ),
    )
    audit("repairs.apply", params=params, rows=1, rid=made["rid"])
    return _out(made)


@router.get(
    "/repairs/{rid}",
    response_model=RepairOut,
    summary="One credit repair application with its violations",
    responses={404: {"model": ErrorBody}},
)
def get_repair(rid: RepairId, holder: StoreDep, _: RepairReader, audit: AuditDep) -> RepairOut:
    found = holder.call(lambda store: repair.get_repair(store, rid))
    audit("repairs.read", params={"rid": rid}, rows=1)
    return _out(found)


@router.post(
    "/repairs/{rid}:review",
    response_model=RepairOut,
    summary="Give the review opinion (submitted → reviewed)",
    responses=_CHANGES,  # type: ignore[arg-type]
)
def review(
    rid: RepairId,
    holder: StoreDep,
    principal: RepairReviewer,
    audit: AuditDep,
    body: Annotated[ReviewRequest, Body()],
) -> RepairOut:
    params = {"rid": rid, "opinion": body.opinion}
    done = audit.refusals(
        "repairs.review",
        params,
        lambda: holder.call(
            lambda store: repair.review(store, rid, body.opinion, reviewer=principal.actor)
        ),
    )
    audit("repairs.review", params=params, rows=1, status=done["status"])
    return _out(done)


@router.post(
    "/repairs/{rid}:decide",
    response_model=RepairOut,
    summary="Approve or reject a reviewed application with reasons (not one's own)",
    responses=_CHANGES,  # type: ignore[arg-type]
)
def decide(
    rid: RepairId,
    state: StateDep,
    holder: StoreDep,
    principal: RepairDecider,
    audit: AuditDep,
    body: Annotated[DecideRequest, Body()],
) -> RepairOut:
    """An approval marks the violations 已修复 and re-scores the firm with the newest
    model in the API's models directory (``rescore`` says "not re-scored: no model"
    when there is none); ``class_before`` and ``class_after`` keep both classes."""
    params = {"rid": rid, "decision": body.decision, "reasons": body.reasons}
    models = models_root(state.settings)
    done = audit.refusals(
        "repairs.decide",
        params,
        lambda: holder.call(
            lambda store: repair.decide(
                store,
                rid,
                body.decision == "approve",
                body.reasons,
                decider=principal.actor,
                model_dir=models,
            )
        ),
    )
    audit(
        "repairs.decide",
        params=params,
        rows=1,
        status=done["status"],
        class_before=done.get("class_before"),
        class_after=done.get("class_after"),
        rescore=done.get("rescore"),
    )
    return _out(done)
