"""Alert cases (预警案件): the inbox, one case with its alerts, firms and evidence,
assignment and bulk status changes.

Cases are built by :mod:`riskgraph.analytics.cases` after every rule run; a case's status
change moves each of its alerts through the alert status model and is audited.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Body, Path, Query

from riskgraph.analytics import cases
from riskgraph.analytics.case_evidence import evidence_entities
from riskgraph.analytics.cases import CaseFilter
from riskgraph.api.auth import Permission, Principal
from riskgraph.api.case_schemas import (
    CASE_ID_PATTERN,
    EXAMPLE_CASE,
    BulkAnswer,
    BulkResult,
    BulkStatus,
    CaseAssign,
    CaseDetail,
    CasePage,
)
from riskgraph.api.deps import AlertManager, AlertReader, AuditDep, StoreDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.errors import HTTP_ERRORS
from riskgraph.api.privacy import mask_evidence, mask_name, pseudonym
from riskgraph.api.schemas import NO_CONTROL, AlertStatus, ErrorBody

router = APIRouter(tags=["cases"])

CaseId = Annotated[
    str, Path(pattern=CASE_ID_PATTERN, description="the case id", examples=[EXAMPLE_CASE])
]
_API = "/api/v1"


def _visible(case: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """The case as the role may see it (person keys as pseudonyms)."""
    case = jsonable(case)
    if not principal.can(Permission.persons_unmasked):
        case["keys"] = [
            f"person:{pseudonym(key[7:])}" if key.startswith("person:") else key
            for key in case.get("keys") or []
        ]
        for alert in case.get("alerts") or []:
            alert["evidence"] = mask_evidence([str(e) for e in alert.get("evidence") or []])
        for entity in case.get("entities") or []:
            if entity["kind"] == "person":
                entity["key"] = pseudonym(entity["key"])
                entity["name"] = mask_name(entity["name"])
    for entity in case.get("entities") or []:
        entity["href"] = _href(entity["kind"], entity["key"])
    return case


def _href(kind: str, key: str) -> str | None:
    if kind == "firm":
        return f"{_API}/enterprises/{quote(key, safe='')}"
    if kind == "cluster":
        return f"{_API}/clusters/{quote(key, safe='')}"
    if kind in ("person", "address"):
        label = "Person" if kind == "person" else "Address"
        return f"{_API}/graph/neighbours?label={label}&key={quote(key, safe='')}"
    return None


@router.get(
    "/cases",
    response_model=CasePage,
    summary="The case inbox: high severity first, then risk, then time; counts per status",
    responses={422: {"model": ErrorBody}},
)
def list_cases(
    holder: StoreDep,
    principal: AlertReader,
    audit: AuditDep,
    status: Annotated[AlertStatus | None, Query()] = None,
    severity: Annotated[str | None, Query(pattern=r"^(high|medium|low)$")] = None,
    assignee: Annotated[str | None, Query(min_length=1, max_length=64, pattern=NO_CONTROL)] = None,
    unassigned: Annotated[bool, Query(description="only cases nobody holds")] = False,
    rule: Annotated[str | None, Query(pattern=r"^R\d{2,3}$", examples=["R02"])] = None,
    region: Annotated[
        str | None,
        Query(pattern=r"^\d{2,12}$", description="region code prefix", examples=["5101"]),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> CasePage:
    """Page with ``offset``; ``counts`` holds the cases per status under the other filters."""
    filters = CaseFilter(status, severity, assignee, unassigned, rule, region)
    page, counts = holder.call(
        lambda store: cases.list_cases(store, filters, limit=limit, offset=offset)
    )
    items = [_visible(item, principal) for item in page.items]
    audit(
        "cases.list", params={**filters.params(), "limit": limit, "offset": offset}, rows=len(items)
    )
    return CasePage.model_validate(
        {"items": items, "counts": counts, "limit": limit, "offset": offset,
         "next_offset": page.next_offset}
    )  # fmt: skip


def _detail(store: Any, case_id: str) -> dict[str, Any]:
    detail = cases.case_detail(store, case_id)
    clusters = [k[8:] for k in detail.get("keys") or [] if k.startswith("cluster:")]
    detail["entities"] = evidence_entities(store, detail["alerts"], clusters)
    return detail


@router.get(
    "/cases/{case_id}",
    response_model=CaseDetail,
    summary="One case with its alerts, firms (names, classes, scores), evidence and history",
    responses={404: {"model": ErrorBody}},
)
def get_case(
    case_id: CaseId, holder: StoreDep, principal: AlertReader, audit: AuditDep
) -> CaseDetail:
    detail = holder.call(lambda store: _detail(store, case_id))
    audit("cases.read", params={"id": case_id}, rows=1, status=detail["status"])
    return CaseDetail.model_validate(_visible(detail, principal))


@router.post(
    "/cases/{case_id}:assign",
    response_model=CaseDetail,
    summary="Assign a case (null: unassign); kept in its history and the audit log",
    responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)
def assign_case(
    case_id: CaseId,
    holder: StoreDep,
    principal: AlertManager,
    audit: AuditDep,
    body: Annotated[CaseAssign, Body()],
) -> CaseDetail:
    params = {"id": case_id, "assignee": body.assignee, "note": body.note}
    audit.refusals(
        "cases.assign",
        params,
        lambda: holder.call(
            lambda store: cases.assign_case(
                store, case_id, body.assignee, note=body.note, actor=principal.actor
            )
        ),
    )
    detail = holder.call(lambda store: _detail(store, case_id))
    audit("cases.assign", params=params, rows=1)
    return CaseDetail.model_validate(_visible(detail, principal))


def _error_code(exc: Exception) -> str:
    return next(code for kind, _, code, _ in HTTP_ERRORS if isinstance(exc, kind))


@router.post(
    "/cases:bulk-status",
    response_model=BulkAnswer,
    summary="Change the status of up to 100 cases; each alert follows the alert status model",
    responses={422: {"model": ErrorBody, "description": "too many ids, bad status, no note"}},
)
def bulk_status(
    holder: StoreDep,
    principal: AlertManager,
    audit: AuditDep,
    body: Annotated[BulkStatus, Body()],
) -> BulkAnswer:
    """Each case on its own: one that is not found, or whose alerts may not take the
    status (a confirmed alert cannot be dismissed: reopen it first), is reported in its
    result and the others still change. Confirming or dismissing needs a ``note``."""
    params = {"ids": body.ids, "status": body.status, "note": body.note}
    outcomes = audit.refusals(
        "cases.bulk_status",
        params,
        lambda: holder.call(
            lambda store: cases.bulk_status(
                store, body.ids, body.status, note=body.note, actor=principal.actor
            )
        ),
    )
    results = [
        BulkResult(
            id=o.case_id,
            ok=o.change is not None,
            from_status=o.change.from_status if o.change else None,
            status=str(o.change.case["status"]) if o.change else None,
            alerts_changed=o.change.changed if o.change else 0,
            error=_error_code(o.error) if o.error else None,
            message=str(o.error) if o.error else None,
        )
        for o in outcomes
    ]
    changed = sum(1 for r in results if r.ok)
    audit(
        "cases.bulk_status",
        params=params,
        rows=changed,
        outcome="ok" if changed == len(results) else "partial",
        results=[
            {"id": r.id, "from": r.from_status, "to": r.status, "error": r.error} for r in results
        ],
    )
    return BulkAnswer(
        status=body.status, changed=changed, refused=len(results) - changed, results=results
    )
