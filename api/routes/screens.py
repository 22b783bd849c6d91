"""The screening tool (筛查): fields, running a screen, saved screens, export, and a
screen's matches as an inspection plan's population.

Screens are JSON trees (``all``, ``any``, ``not`` over ``{"field", "op", "value"}``
conditions); :mod:`riskgraph.analytics.screening` validates them (422 naming the bad
node's path) and compiles them to parameterised Cypher.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from riskgraph.analytics import inspections as plans
from riskgraph.analytics import saved_screens as saved
from riskgraph.analytics.screen_fields import LAYERS, field_catalogue
from riskgraph.analytics.screen_plans import plan_from_screen
from riskgraph.analytics.screening import (
    MAX_LIMIT,
    MAX_OFFSET,
    ScreenError,
    export_csv,
    run_screen,
)
from riskgraph.api.auth import Principal, Role
from riskgraph.api.deps import AuditDep, EnterpriseReader, InspectionPlanner, StateDep, StoreDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.routes.inspections import _plan_out
from riskgraph.api.schemas import ErrorBody, PlanOut, PlanRequest
from riskgraph.errors import RiskgraphError

router = APIRouter(prefix="/screens", tags=["screens"])

EXAMPLE_SCREEN: dict[str, Any] = {
    "all": [
        {"field": "region_code", "op": "prefix", "value": "5101"},
        {"field": "org_type", "op": "in", "value": ["有限责任公司"]},
        {"field": "penalties", "op": "gte", "value": 1, "months": 12},
    ]
}
ScreenId = Annotated[str, Path(pattern=r"^S-[0-9a-f]{12}$", examples=["S-0a1b2c3d4e5f"])]


class ScreenRun(BaseModel):
    """A screen to run and the page wanted."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"screen": EXAMPLE_SCREEN, "limit": 50}]}
    )

    screen: dict[str, Any] = Field(description="all / any / not groups over conditions")
    limit: int = Field(default=50, ge=0, le=MAX_LIMIT)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)
    as_of: date | None = Field(
        default=None, description="the day windows count back from (default today)"
    )


class ScreenExport(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"screen": EXAMPLE_SCREEN}]})

    screen: dict[str, Any]
    as_of: date | None = None


class ScreenResults(BaseModel):
    total: int = Field(description="every enterprise that matches")
    results: list[dict[str, Any]]
    limit: int
    offset: int
    next_offset: int | None


class ScreenSave(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "成都有限公司有处罚", "screen": EXAMPLE_SCREEN}]}
    )

    name: str = Field(min_length=1, max_length=saved.MAX_NAME)
    screen: dict[str, Any]


class SavedScreen(BaseModel):
    sid: str
    name: str
    definition: dict[str, Any]
    owner: str
    created_by: str
    created_at: str


class SavedScreenList(BaseModel):
    items: list[SavedScreen]
    limit: int
    offset: int
    next_offset: int | None


class ScreenPlanRequest(PlanRequest):
    """An inspection plan drawn from a screen's matches: give ``screen`` or ``screen_id``."""

    screen: dict[str, Any] | None = None
    screen_id: str | None = Field(default=None, pattern=r"^S-[0-9a-f]{12}$")


def _owner(principal: Principal) -> saved.Owner:
    return saved.Owner(
        key=principal.key_id,
        actor=f"{principal.role.value}:{principal.key_id}",
        sees_all=principal.role is Role.admin,
    )


@router.get("/fields", summary="The fields a screen can use, by layer")
def fields(_: EnterpriseReader) -> dict[str, Any]:
    """Six layers (登记信息 … 信用积分); each field with its labels, type, ops and meaning."""
    layers = [{"id": key, "zh": zh, "en": en} for key, (zh, en) in LAYERS.items()]
    return {"layers": layers, "fields": field_catalogue()}


@router.post(
    ":run",
    response_model=ScreenResults,
    summary="Run a screen: how many enterprises match and one page of them",
    responses={422: {"model": ErrorBody, "description": "the screen is malformed (path named)"}},
)
def run(body: ScreenRun, holder: StoreDep, _: EnterpriseReader, audit: AuditDep) -> ScreenResults:
    """Counts every enterprise in the graph that matches, whatever its status unless a
    condition says otherwise; results riskiest first (risk score, then key)."""
    params = {"screen": body.screen, "limit": body.limit, "offset": body.offset}
    try:
        result = holder.call(
            lambda store: run_screen(
                store, body.screen, limit=body.limit, offset=body.offset, today=body.as_of
            )
        )
    except RiskgraphError as exc:
        audit("screens.run", params=params, outcome="refused", error=str(exc))
        raise
    audit("screens.run", params=params, rows=len(result.results), total=result.total)
    return ScreenResults(
        total=result.total,
        results=[jsonable(row) for row in result.results],
        limit=result.limit,
        offset=result.offset,
        next_offset=result.next_offset,
    )


@router.post(
    ":export",
    summary="Every match of a screen as CSV, in key order",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}, 422: {"model": ErrorBody}},
)
def export(
    body: ScreenExport, holder: StoreDep, _: EnterpriseReader, audit: AuditDep
) -> StreamingResponse:
    """Refused (422) when the screen matches more than the export limit."""
    chunks = holder.call(lambda store: export_csv(store, body.screen, today=body.as_of))

    def stream() -> Iterator[str]:
        outcome = "aborted"
        try:
            yield "\ufeff"  # spreadsheets read the UTF-8 Chinese names with the mark
            yield from chunks
            outcome = "ok"
        finally:
            audit("screens.export", params={"screen": body.screen}, outcome=outcome)

    headers = {"Content-Disposition": 'attachment; filename="screen.csv"'}
    return StreamingResponse(stream(), media_type="text/csv; charset=utf-8", headers=headers)


@router.post(
    ":plan",
    response_model=PlanOut,
    status_code=201,
    summary="Draw an inspection plan whose population is a screen's matches",
    responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)
def send_to_plan(
    body: ScreenPlanRequest,
    state: StateDep,
    holder: StoreDep,
    principal: InspectionPlanner,
    audit: AuditDep,
) -> PlanOut:
    """The plan is drawn per class as ``POST /inspections/plans`` draws, from the
    screen's inspectable matches on ``as_of``; its inputs record the screen."""
    if (body.screen is None) == (body.screen_id is None):
        raise ScreenError("screen", "give exactly one of screen and screen_id")
    ratios = dict(plans.DEFAULT_RATIOS)
    ratios.update({str(cls): ratio for cls, ratio in (body.ratios or {}).items()})
    config = plans.PlanConfig(
        seed=body.seed,
        ratios=ratios,
        whitelist_factor=body.whitelist_factor,
        unclassified_as=body.unclassified_as,
        allow_outside_bands=body.allow_outside_bands,
    )
    params = {
        "seed": body.seed,
        "ratios": ratios,
        "screen": body.screen,
        "screen_id": body.screen_id,
    }

    given = body.whitelist is not None or body.sandbox is not None
    whitelist = sorted({k.strip().upper() for k in body.whitelist or ()}) if given else None
    sandbox = sorted({k.strip().upper() for k in body.sandbox or ()}) if given else None

    def draw(store: Any) -> dict[str, Any]:
        definition = body.screen
        if body.screen_id is not None:
            definition = saved.get_screen(store, body.screen_id, _owner(principal))["definition"]
        return plan_from_screen(
            store,
            definition,
            config,
            state.settings.inspections_dir,
            whitelist=whitelist,
            sandbox=sandbox,
            as_of=body.as_of,
        )

    try:
        document = holder.call(draw)
    except RiskgraphError as exc:
        audit("screens.plan", params=params, outcome="refused", error=str(exc))
        raise
    result = _plan_out(document)
    audit("screens.plan", params=params, rows=result.selected_count, plan_id=result.plan_id)
    return result


@router.get("", response_model=SavedScreenList, summary="Saved screens (your own; admins see all)")
def list_saved(
    holder: StoreDep,
    principal: EnterpriseReader,
    audit: AuditDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> SavedScreenList:
    page = holder.call(
        lambda store: saved.list_screens(store, _owner(principal), limit=limit, offset=offset)
    )
    audit("screens.list", params={"limit": limit, "offset": offset}, rows=len(page.items))
    items = [SavedScreen.model_validate(item) for item in page.items]
    return SavedScreenList(items=items, limit=limit, offset=offset, next_offset=page.next_offset)


@router.post(
    "",
    response_model=SavedScreen,
    status_code=201,
    summary="Save a screen under a name",
    responses={422: {"model": ErrorBody}},
)
def save(
    body: ScreenSave, holder: StoreDep, principal: EnterpriseReader, audit: AuditDep
) -> SavedScreen:
    row = holder.call(
        lambda store: saved.save_screen(store, body.name, body.screen, _owner(principal))
    )
    audit("screens.save", params={"name": body.name}, sid=row["sid"])
    return SavedScreen.model_validate(row)


@router.get(
    "/{sid}",
    response_model=SavedScreen,
    summary="One saved screen",
    responses={404: {"model": ErrorBody}},
)
def get_saved(
    sid: ScreenId, holder: StoreDep, principal: EnterpriseReader, audit: AuditDep
) -> SavedScreen:
    row = holder.call(lambda store: saved.get_screen(store, sid, _owner(principal)))
    audit("screens.read", params={"sid": sid}, rows=1)
    return SavedScreen.model_validate(row)


@router.delete(
    "/{sid}",
    status_code=204,
    response_class=Response,
    summary="Delete a saved screen",
    responses={404: {"model": ErrorBody}},
)
def delete_saved(
    sid: ScreenId, holder: StoreDep, principal: EnterpriseReader, audit: AuditDep
) -> Response:
    """A bare 204: no body and no content type."""
    holder.call(lambda store: saved.delete_screen(store, sid, _owner(principal)))
    audit("screens.delete", params={"sid": sid})
    return Response(status_code=204)
