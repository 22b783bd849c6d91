"""Early-warning alerts (预警): list, one alert with its case history, status changes.

Alerts come from ``riskgraph rules run`` (``riskgraph.analytics.rules``); the cases
are :mod:`riskgraph.analytics.alerts`: one per rule and
subject. Each is a case whose status investigators move along
open → in_progress → confirmed | dismissed (and back to open or in_progress to
reopen); every change is kept as an ``AlertEvent`` and written to the audit log.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query

from riskgraph.analytics import alerts
from riskgraph.analytics.alerts import AlertFilter
from riskgraph.api.auth import Permission, Principal
from riskgraph.api.deps import AlertManager, AlertReader, AuditDep, StoreDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.privacy import mask_evidence
from riskgraph.api.schemas import (
    EXAMPLE_ALERT,
    EXAMPLE_USCC,
    NO_CONTROL,
    AlertDetail,
    AlertEvent,
    AlertOut,
    AlertPage,
    AlertStatus,
    AlertStatusChange,
    ErrorBody,
)
from riskgraph.api.store import StoreHolder
from riskgraph.errors import RiskgraphError

router = APIRouter(prefix="/alerts", tags=["alerts"])

AlertKey = Annotated[
    str,
    Path(
        min_length=3,
        max_length=100,
        pattern=r"^R\d{2,3}\|[^\x00-\x1f\x7f/|]{1,80}$",
        description="`<rule>|<subject>` (URL-encode the `|` as `%7C`)",
        examples=[EXAMPLE_ALERT],
    ),
]
Severity = Annotated[str | None, Query(pattern=r"^(high|medium|low)$")]


def _alert(row: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """An alert's properties as the role may see them (person ids in evidence masked)."""
    alert: dict[str, Any] = jsonable(row)
    evidence = [str(item) for item in alert.get("evidence") or []]
    if not principal.can(Permission.persons_unmasked):
        evidence = mask_evidence(evidence)
    alert["evidence"] = evidence
    return alert


@router.get(
    "",
    response_model=AlertPage,
    summary="Alerts filtered by rule, status, severity and subject, latest or riskiest first",
    responses={422: {"model": ErrorBody}},
)
def list_alerts(
    holder: StoreDep,
    principal: AlertReader,
    audit: AuditDep,
    rule: Annotated[str | None, Query(pattern=r"^R\d{2,3}$", examples=["R02"])] = None,
    status: Annotated[AlertStatus | None, Query()] = None,
    severity: Severity = None,
    subject: Annotated[
        str | None, Query(min_length=1, max_length=64, pattern=NO_CONTROL, examples=[EXAMPLE_USCC])
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    sort: Annotated[
        Literal["recent", "severity"],
        Query(description="recent: latest first; severity: high first, then risk, then time"),
    ] = "recent",
) -> AlertPage:
    """Page with ``offset``; ``next_offset`` is null on the last page. Each alert comes
    with its firm's name, class and score."""
    filters = AlertFilter(rule=rule, status=status, severity=severity, subject=subject)
    page = holder.call(
        lambda store: alerts.list_alerts(store, filters, limit=limit, offset=offset, sort=sort)
    )
    items = [AlertOut.model_validate(_alert(row, principal)) for row in page.items]
    audit(
        "alerts.list",
        params={**filters.params(), "limit": limit, "offset": offset, "sort": sort},
        rows=len(items),
    )
    return AlertPage(items=items, limit=limit, offset=offset, next_offset=page.next_offset)


@router.get(
    "/{key}",
    response_model=AlertDetail,
    summary="One alert with its case history",
    responses={404: {"model": ErrorBody}},
)
def get_alert(
    key: AlertKey, holder: StoreDep, principal: AlertReader, audit: AuditDep
) -> AlertDetail:
    alert, history = _read(holder, key)
    result = AlertDetail(
        **_alert(alert, principal), history=[AlertEvent.model_validate(e) for e in history]
    )
    audit("alerts.read", params={"key": key}, rows=1, status=result.status)
    return result


@router.post(
    "/{key}/status",
    response_model=AlertDetail,
    summary="Change an alert's case status (recorded in its history and the audit log)",
    responses={
        404: {"model": ErrorBody, "description": "no such alert"},
        409: {"model": ErrorBody, "description": "not allowed from the current status"},
        422: {"model": ErrorBody, "description": "unknown status, or a note is missing"},
    },
)
def change_status(
    key: AlertKey,
    holder: StoreDep,
    principal: AlertManager,
    audit: AuditDep,
    body: Annotated[AlertStatusChange, Body()],
) -> AlertDetail:
    """Allowed: open → in_progress, confirmed, dismissed; in_progress → open, confirmed,
    dismissed; confirmed or dismissed → open, in_progress (reopen). Confirming or
    dismissing needs a ``note``. The actor recorded is ``<role>:<key id>``."""
    note = (body.note or "").strip() or None
    actor = f"{principal.role.value}:{principal.key_id}"
    params = {"key": key, "status": body.status, "note": note}
    try:
        change = holder.call(
            lambda store: alerts.change_status(store, key, body.status, note=note, actor=actor)
        )
    except RiskgraphError as exc:
        audit("alerts.status", params=params, outcome="refused", error=str(exc))
        raise
    alert, history = _read(holder, key)
    result = AlertDetail(
        **_alert(alert, principal), history=[AlertEvent.model_validate(e) for e in history]
    )
    audit(
        "alerts.status",
        params=params,
        rows=1,
        from_status=change.from_status,
        to_status=result.status,
    )
    return result


def _read(holder: StoreHolder, key: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    alert = holder.call(lambda store: alerts.get_alert(store, key))
    history = holder.call(lambda store: alerts.alert_history(store, key))
    return alert, [jsonable(event) for event in history]
