"""Random inspection plans (双随机、一公开), drawn per risk class.

``riskgraph.analytics.inspections`` draws a plan as a pure function of its inputs
(seed, ratios, whitelist, sandbox and the class snapshot) and stores it twice: as
JSON under ``<data_dir>/inspections/`` (where ``riskgraph inspections show`` finds
it too) and as an ``InspectionPlan`` node linked to the selected enterprises.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from riskgraph.analytics import inspections as plans
from riskgraph.api.deps import AuditDep, InspectionPlanner, InspectionReader, StateDep, StoreDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.schemas import (
    EXAMPLE_PLAN,
    ErrorBody,
    PlanList,
    PlanOut,
    PlanProgress,
    PlanRequest,
    PlanSummary,
)
from riskgraph.errors import RiskgraphError

router = APIRouter(prefix="/inspections", tags=["inspections"])

PlanId = Annotated[
    str,
    Path(pattern=r"^IP-\d{4}-\d{2}-\d{2}-[0-9a-f]{12}$", examples=[EXAMPLE_PLAN]),
]


def _plan_out(document: dict[str, Any], **extra: Any) -> PlanOut:
    inputs = document["inputs"]
    return PlanOut(
        plan_id=document["plan_id"],
        created_at=document["created_at"],
        inputs_sha256=document["inputs_sha256"],
        seed=inputs["seed"],
        as_of=inputs["as_of"],
        ratios=inputs["ratios"],
        whitelist_factor=inputs["whitelist_factor"],
        unclassified_as=inputs["unclassified_as"],
        population=len(inputs["snapshot"]),
        whitelist=len(inputs["whitelist"]),
        sandbox=len(inputs["sandbox"]),
        counts=document["counts"],
        selected_count=len(document["selected"]),
        selected=document["selected"],
        lists_source=(document.get("lists") or {}).get("source"),
        kind_ratios=inputs.get("kind_ratios", {}),
        counts_by_kind=document.get("counts_by_kind"),
        **extra,
    )


@router.post(
    "/plans",
    response_model=PlanOut,
    status_code=201,
    summary="Draw a random inspection plan per risk class and store it",
    responses={422: {"model": ErrorBody, "description": "ratios or lists are invalid"}},
)
def create_plan(
    body: PlanRequest,
    state: StateDep,
    holder: StoreDep,
    _: InspectionPlanner,
    audit: AuditDep,
) -> PlanOut:
    """The class of each inspectable enterprise is its ``risk_class``, else its
    ``label_class``, else ``unclassified_as``. Without ``whitelist`` and ``sandbox`` the
    managed lists are swept and read. The same seed, ratios, lists, date and
    graph give the same ``plan_id`` and selection (``GET`` re-draws and verifies)."""
    ratios = dict(plans.DEFAULT_RATIOS)
    ratios.update({str(cls): ratio for cls, ratio in (body.ratios or {}).items()})
    given = body.whitelist is not None or body.sandbox is not None
    whitelist = sorted({key.strip().upper() for key in body.whitelist or ()}) if given else None
    sandbox = sorted({key.strip().upper() for key in body.sandbox or ()}) if given else None
    as_of = body.as_of or date.today()
    kind_ratios: dict[str, dict[str, float]] = {
        kind: {**ratios, **{str(cls): r for cls, r in table.items()}}
        for kind, table in (body.kind_ratios or {}).items()
    }
    config = plans.PlanConfig(
        seed=body.seed,
        ratios=ratios,
        whitelist_factor=body.whitelist_factor,
        unclassified_as=body.unclassified_as,
        allow_outside_bands=body.allow_outside_bands,
        kind_ratios=kind_ratios,
    )
    params = {
        "seed": body.seed,
        "ratios": ratios,
        "whitelist": whitelist if given else "managed",
        "sandbox": sandbox if given else "managed",
        "whitelist_factor": body.whitelist_factor,
        "as_of": as_of.isoformat(),
        "kind_ratios": kind_ratios,
    }
    try:
        document = holder.call(
            lambda store: plans.create_plan(
                store,
                config,
                state.settings.inspections_dir,
                whitelist=whitelist,
                sandbox=sandbox,
                as_of=as_of,
            )
        )
    except RiskgraphError as exc:
        audit("inspections.plan", params=params, outcome="refused", error=str(exc))
        raise
    result = _plan_out(document)
    audit(
        "inspections.plan",
        params=params,
        rows=result.selected_count,
        plan_id=result.plan_id,
        lists_swept=(document.get("lists") or {}).get("swept", []),
    )
    return result


@router.get(
    "/plans",
    response_model=PlanList,
    summary="Stored inspection plans, newest first",
)
def list_plans(
    holder: StoreDep,
    _: InspectionReader,
    audit: AuditDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> PlanList:
    page = holder.call(lambda store: plans.list_plans(store, limit=limit, offset=offset))
    items = [PlanSummary.model_validate(jsonable(row)) for row in page.items]
    audit("inspections.list", params={"limit": limit, "offset": offset}, rows=len(items))
    return PlanList(items=items, limit=limit, offset=offset, next_offset=page.next_offset)


@router.get(
    "/plans/{plan_id}",
    response_model=PlanOut,
    summary="One inspection plan: counts, selection, verification and progress",
    responses={404: {"model": ErrorBody}},
)
def get_plan(
    plan_id: PlanId,
    state: StateDep,
    holder: StoreDep,
    _: InspectionReader,
    audit: AuditDep,
) -> PlanOut:
    """``verified`` re-draws the selection from the recorded inputs; ``progress`` counts
    the selected enterprises with a recorded result (null if the plan is not in the
    graph)."""
    folder = state.settings.inspections_dir
    view = holder.call(lambda store: plans.read_plan(store, folder, plan_id))
    result = _plan_out(
        view.document,
        verified=view.verified,
        progress=PlanProgress.model_validate(view.progress) if view.progress else None,
    )
    audit("inspections.read", params={"plan_id": plan_id}, rows=result.selected_count)
    return result
