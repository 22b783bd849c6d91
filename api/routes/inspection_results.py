"""Inspection results fed back (抽查检查结果反馈): each outcome of an inspection.

Failures also become 抽查检查不合格 violations, and recorded results are the labels
``riskgraph train --label-source inspections`` learns from (docs/monitoring.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from riskgraph.analytics import inspections as plans
from riskgraph.api.deps import AuditDep, InspectionPlanner, StoreDep
from riskgraph.api.schemas import EXAMPLE_USCC, ErrorBody

router = APIRouter(prefix="/inspections", tags=["inspections"])

Outcome = Literal["合格", "不合格", "pass", "fail"]
Text = Annotated[str, Field(max_length=200)]


class InspectionResult(BaseModel):
    """One inspection's outcome for one enterprise."""

    model_config = ConfigDict(extra="forbid")

    uscc: Annotated[str, Field(max_length=40, examples=[EXAMPLE_USCC])]
    date: dt.date = Field(description="inspected on; not in the future")
    result: Outcome
    plan_id: Text | None = Field(default=None, description="the plan that drew the firm")
    case_no: Text | None = Field(default=None, description="default: plan/uscc/date")
    authority: Text | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None


class ResultsRequest(BaseModel):
    """A batch of inspection outcomes; all are stored or, if any is invalid, none."""

    model_config = ConfigDict(extra="forbid")

    results: list[InspectionResult] = Field(min_length=1, max_length=5000)


class ResultsReport(BaseModel):
    """What was stored: outcomes by result, and keys that name no enterprise."""

    records: int
    passed: int
    failed: int
    unknown_enterprises: list[str]


@router.post(
    "/results",
    response_model=ResultsReport,
    status_code=201,
    summary="Record inspection results (抽查检查结果反馈)",
    responses={422: {"model": ErrorBody, "description": "a result is invalid"}},
)
def record_results(
    body: ResultsRequest,
    holder: StoreDep,
    _: InspectionPlanner,
    audit: AuditDep,
) -> ResultsReport:
    """Recording the same result again changes nothing; a 不合格 result also records an
    抽查检查不合格 violation. Keys that name no enterprise are listed, not stored."""
    rows = plans.check_results([item.model_dump(mode="json") for item in body.results])
    report = holder.call(lambda store: plans.record_results(store, rows))
    audit(
        "inspections.results",
        params={"results": len(rows)},
        rows=report.records,
        failed=report.failed,
    )
    return ResultsReport(
        records=report.records,
        passed=report.passed,
        failed=report.failed,
        unknown_enterprises=report.unknown_enterprises,
    )
