"""Model monitoring: each month's drift against the training month and calibration.

Reports are made by ``riskgraph model monitor`` (or the monthly re-classification)
and stored in the graph as ``MonitoringReport`` nodes; these routes read them
(:mod:`riskgraph.analytics.monitoring`). See docs/monitoring.md.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from riskgraph.analytics import monitoring
from riskgraph.api.deps import AuditDep, ModelReader, StoreDep
from riskgraph.api.schemas import ErrorBody

router = APIRouter(prefix="/model/monitoring", tags=["model"])


class FeatureDriftOut(BaseModel):
    feature: str = Field(description="the feature code of the model's pipeline")
    name: dict[str, str] | None = Field(description="readable names (zh, en) where known")
    kind: str = Field(description="numeric (decile bins), binary or categorical (one-hot group)")
    psi: float
    level: str = Field(description="stable, watch or drift")


class CalibrationRow(BaseModel):
    risk_class: str = Field(alias="class")
    inspected: int = Field(description="enterprises of the class inspected since")
    with_findings: int = Field(description="of them, with an inspection result 不合格")
    rate: float | None = Field(description="with_findings / inspected (null: none inspected)")

    model_config = {"populate_by_name": True}


class Inversion(BaseModel):
    lower: str
    higher: str
    lower_rate: float
    higher_rate: float


class CalibrationOut(BaseModel):
    previous_month: str = Field(description="the month whose classes are checked")
    until: str = Field(description="inspections dated before this day count")
    min_inspected: int = Field(
        description="classes with fewer inspected take no part in inversions"
    )
    classes: list[CalibrationRow]
    inversions: list[Inversion]


class MonitoringOut(BaseModel):
    month: str
    model_version: str
    model: str
    created_at: str
    level: str = Field(description="stable, watch, drift, or no_reference")
    population: int
    thresholds: dict[str, float]
    class_shares: dict[str, float]
    reference: dict[str, Any] | None = Field(description="the training month; null: none stored")
    reference_class_shares: dict[str, float] | None
    class_share_psi: float | None
    class_share_level: str | None
    worst_features: list[FeatureDriftOut] = Field(description="the features of largest PSI")
    features_measured: int
    feature_levels: dict[str, int] = Field(description="features per level")
    calibration: CalibrationOut
    warnings: list[str]


class MonthOut(BaseModel):
    month: str
    model_version: str | None
    created_at: str | None
    level: str | None


class MonthList(BaseModel):
    items: list[MonthOut]
    limit: int
    offset: int
    next_offset: int | None


MonthQuery = Annotated[
    str | None,
    Query(
        pattern=monitoring.MONTH_PATTERN,
        description="YYYY-MM (default: the latest month with a report)",
        examples=["2026-07"],
    ),
]


@router.get(
    "",
    response_model=MonitoringOut,
    summary="A month's model monitoring report (the latest by default)",
    responses={404: {"model": ErrorBody, "description": "no report for the month"}},
)
def monitoring_report(
    holder: StoreDep,
    _: ModelReader,
    audit: AuditDep,
    month: MonthQuery = None,
    top: Annotated[int, Query(ge=1, le=500, description="how many features to list")] = 10,
) -> MonitoringOut:
    """PSI of the class shares and of every input feature against the training month,
    the warning level, and last month's classes against inspection findings since."""
    report = holder.call(lambda store: monitoring.read_report(store, month))
    data = report.to_dict()
    data["worst_features"] = report.worst_features(top)
    data["features_measured"] = len(report.features)
    out = MonitoringOut.model_validate(data)
    audit(
        "model.monitoring",
        params={"month": month, "top": top},
        rows=1,
        model_version=report.model_version,
    )
    return out


@router.get("/months", response_model=MonthList, summary="Months with a monitoring report")
def monitoring_months(
    holder: StoreDep,
    _: ModelReader,
    audit: AuditDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> MonthList:
    """Newest first, with each month's level and model version."""
    page = holder.call(lambda store: monitoring.list_reports(store, limit=limit, offset=offset))
    items = [MonthOut.model_validate(row) for row in page.items]
    audit("model.monitoring_months", params={"limit": limit, "offset": offset}, rows=len(items))
    return MonthList(items=items, limit=limit, offset=offset, next_offset=page.next_offset)
