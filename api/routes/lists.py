"""Managed lists (名单管理): the whitelist (白名单) and the sandbox (沙盒) that inspection
plans read.

``riskgraph.analytics.lists`` keeps each entry with its reason, who, when and expiry;
exits (by hand, or by the sweep's rules: missed annual report, serious violation, class
C or D, expiry) close an entry and never delete it. Every change is audited; the
actor recorded is ``<role>:<key id>`` (``system`` for the sweep's exits).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, Field

from riskgraph.analytics import lists
from riskgraph.api.deps import AuditDep, ListManager, ListReader, StoreDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.schemas import EXAMPLE_USCC, NO_CONTROL, ErrorBody, Key

router = APIRouter(tags=["lists"])

ListName = Annotated[
    Literal["whitelist", "sandbox"],
    Path(description="whitelist (白名单) or sandbox (沙盒)"),
]
FirmKey = Annotated[
    str, Path(min_length=1, max_length=64, pattern=NO_CONTROL, examples=[EXAMPLE_USCC])
]
Reason = Annotated[str, Field(min_length=1, max_length=lists.MAX_REASON, pattern=NO_CONTROL)]


class ListEntry(BaseModel):
    """One entry on a managed list (active, or exited with the rule and reason)."""

    eid: str
    list_name: str = Field(alias="list", examples=["whitelist"])
    uscc: str = Field(examples=[EXAMPLE_USCC])
    status: str = Field(examples=["active"], description="active or exited")
    reason: str = Field(examples=["广告信用联盟成员"])
    entered_by: str
    entered_at: str
    entered_on: str = Field(examples=["2026-07-01"])
    expires_on: str | None = Field(default=None, description="包容期 end for the sandbox")
    exit_rule: str | None = Field(
        default=None,
        description="manual, serious_violation, annual_report_missed, class_c_or_d or expired",
    )
    exit_reason: str | None = None
    exit_evidence: list[str] | None = None
    exited_by: str | None = Field(default=None, description="`system` for the sweep")
    exited_at: str | None = None
    exited_on: str | None = None
    name: str | None = None
    risk_class: str | None = None
    label_class: str | None = None


class ListPage(BaseModel):
    items: list[ListEntry]
    limit: int
    offset: int
    next_offset: int | None


class ListAdd(BaseModel):
    """Put a firm on the list."""

    uscc: Key
    reason: Reason
    expires_on: dt.date | None = Field(
        default=None,
        description="default: a year after today for the sandbox, none for the whitelist",
    )


class ListExit(BaseModel):
    reason: Reason


class FirmHistory(BaseModel):
    uscc: str
    entries: list[ListEntry]


class SweepRequest(BaseModel):
    list_name: Literal["whitelist", "sandbox"] | None = Field(
        default=None, alias="list", description="null: both"
    )


class SweepExit(BaseModel):
    list_name: str = Field(alias="list")
    uscc: str
    rule: str
    reason: str
    evidence: list[str]


class SweepOut(BaseModel):
    checked: int
    exited: int
    exits: list[SweepExit]


@router.get(
    "/lists/history/{key}",
    response_model=FirmHistory,
    summary="Every entry and exit of one firm on the managed lists, oldest first",
)
def firm_history(key: FirmKey, holder: StoreDep, _: ListReader, audit: AuditDep) -> FirmHistory:
    entries = holder.call(lambda store: lists.history(store, key))
    audit("lists.history", params={"key": key}, rows=len(entries))
    return FirmHistory(
        uscc=key.strip().upper(), entries=[ListEntry.model_validate(jsonable(e)) for e in entries]
    )


@router.get(
    "/lists/{name}",
    response_model=ListPage,
    summary="Entries of a managed list with the firms' names and classes, newest first",
)
def list_entries(
    name: ListName,
    holder: StoreDep,
    _: ListReader,
    audit: AuditDep,
    status: Annotated[Literal["active", "exited"], Query()] = "active",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> ListPage:
    page = holder.call(
        lambda store: lists.list_entries(store, name, status=status, limit=limit, offset=offset)
    )
    items = [ListEntry.model_validate(jsonable(e)) for e in page.items]
    audit("lists.read", params={"list": name, "status": status, "offset": offset}, rows=len(items))
    return ListPage(items=items, limit=limit, offset=offset, next_offset=page.next_offset)


@router.post(
    "/lists/{name}",
    response_model=ListEntry,
    status_code=201,
    summary="Put a firm on a managed list (with reason and expiry)",
    responses={
        404: {"model": ErrorBody, "description": "no such firm"},
        409: {"model": ErrorBody, "description": "on the list already, or class C or D"},
    },
)
def add_entry(
    name: ListName,
    holder: StoreDep,
    principal: ListManager,
    audit: AuditDep,
    body: Annotated[ListAdd, Body()],
) -> ListEntry:
    params = {"list": name, **body.model_dump(mode="json")}
    entry = audit.refusals(
        "lists.add",
        params,
        lambda: holder.call(
            lambda store: lists.add_entry(
                store,
                name,
                body.uscc,
                body.reason,
                actor=principal.actor,
                expires_on=body.expires_on,
            )
        ),
    )
    audit("lists.add", params=params, rows=1, eid=entry["eid"])
    return ListEntry.model_validate(jsonable(entry))


@router.post(
    "/lists/{name}/{key}:exit",
    response_model=ListEntry,
    summary="Take a firm off a managed list with a reason (the entry is kept, closed)",
    responses={404: {"model": ErrorBody, "description": "the firm is not on the list"}},
)
def exit_entry(
    name: ListName,
    key: FirmKey,
    holder: StoreDep,
    principal: ListManager,
    audit: AuditDep,
    body: Annotated[ListExit, Body()],
) -> ListEntry:
    params = {"list": name, "key": key, "reason": body.reason}
    entry = audit.refusals(
        "lists.exit",
        params,
        lambda: holder.call(
            lambda store: lists.exit_entry(store, name, key, body.reason, actor=principal.actor)
        ),
    )
    audit("lists.exit", params=params, rows=1, eid=entry["eid"])
    return ListEntry.model_validate(jsonable(entry))


@router.post(
    "/lists:sweep",
    response_model=SweepOut,
    summary="Apply the automatic exit rules now; returns who left and why",
)
def sweep(
    holder: StoreDep,
    _: ListManager,
    audit: AuditDep,
    body: Annotated[SweepRequest | None, Body()] = None,
) -> SweepOut:
    """Rules, first match wins: serious_violation (严重违法失信, or 行政处罚 of
    ≥ 10,000 元), annual_report_missed (经营异常名录), both dated on or after the entry
    day; class_c_or_d (current class); expired (expiry before today)."""
    only = body.list_name if body else None
    report = audit.refusals(
        "lists.sweep",
        {"list": only},
        lambda: holder.call(lambda store: lists.sweep(store, name=only)),
    )
    audit("lists.sweep", params={"list": only}, rows=len(report.exits), exits=report.exits)
    return SweepOut.model_validate(report.to_dict())
