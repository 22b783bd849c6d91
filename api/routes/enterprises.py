"""Enterprises: search by USCC or name, and the detail page of one enterprise."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from riskgraph.analytics import enterprises
from riskgraph.api.auth import Permission
from riskgraph.api.deps import AuditDep, EnterpriseReader, StoreDep
from riskgraph.api.privacy import person_view
from riskgraph.api.schemas import (
    EXAMPLE_USCC,
    NO_CONTROL,
    EnterpriseDetail,
    EnterpriseList,
    EnterpriseSummary,
    ErrorBody,
    Investor,
    PersonRef,
    Position,
    RiskFields,
    ViolationOut,
)
from riskgraph.errors import Invalid
from riskgraph.reference import EntityKind, entity_kind, section_letter_pattern

router = APIRouter(prefix="/enterprises", tags=["enterprises"])

LIST_LIMIT = 500
SUMMARY_FIELDS = tuple(EnterpriseSummary.model_fields)
RISK_FIELDS = tuple(RiskFields.model_fields)
DETAIL_FIELDS = ("registered_capital", "paid_in_capital", "phone", "email")
LEGAL_REP_TITLE: dict[EntityKind, str] = {"individual": "经营者"}
"""The legal representative's title where a kind names it otherwise (法定代表人)."""

UsccPath = Annotated[
    str, Path(min_length=1, max_length=64, pattern=NO_CONTROL, examples=[EXAMPLE_USCC])
]


class NameMatch(StrEnum):
    exact = "exact"
    prefix = "prefix"


class ClassFilter(StrEnum):
    """A risk class as the risk map counts it: the model's ``risk_class`` where scored,
    else the supervisor's ``label_class``; ``unclassified`` where neither is A-D."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    unclassified = "unclassified"


@router.get(
    "",
    response_model=EnterpriseList,
    summary="Search enterprises by USCC or name, or list them by region, industry and class",
    responses={422: {"model": ErrorBody}},
)
def search(
    holder: StoreDep,
    _: EnterpriseReader,
    audit: AuditDep,
    uscc: Annotated[
        str | None, Query(max_length=64, pattern=NO_CONTROL, examples=[EXAMPLE_USCC])
    ] = None,
    name: Annotated[str | None, Query(min_length=1, max_length=200, pattern=NO_CONTROL)] = None,
    match: Annotated[NameMatch, Query(description="how `name` matches")] = NameMatch.prefix,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    region: Annotated[
        str | None,
        Query(
            pattern=r"^\d{1,6}$", description="region code prefix (行政区划代码)", examples=["5101"]
        ),
    ] = None,
    section: Annotated[
        str | None,
        Query(
            pattern=rf"^({section_letter_pattern()}|none)$",
            description="industry section (GB/T 4754 门类); `none`: enterprises without one",
            examples=["I"],
        ),
    ] = None,
    risk_class: Annotated[
        ClassFilter | None,
        Query(description="class as the risk map counts it (risk_class, else label_class)"),
    ] = None,
    kind: Annotated[
        EntityKind | None,
        Query(description="kind of market entity: 企业, 个体工商户, 农民专业合作社 (by org type)"),
    ] = None,
) -> EnterpriseList:
    """Exactly one of ``uscc`` (exact), ``name`` (exact, or a prefix of ≥ 2 characters)
    or filters: ``region``, ``section``, ``risk_class`` and ``kind`` in any combination
    (the enterprises behind a risk-map cell, of one kind of market entity), riskiest
    first. ``has_more`` tells whether another page follows."""
    filtered = any(f is not None for f in (region, section, risk_class, kind))
    if (uscc is not None) + (name is not None) + filtered != 1:
        raise Invalid(
            "give exactly one of uscc, name, or filters (region, section, risk_class, kind)"
        )
    if uscc is not None:
        nodes = holder.call(lambda store: enterprises.by_key(store, uscc))
        nodes = nodes[offset : offset + limit + 1]
    elif name is not None:
        name = name.strip()
        prefix, wanted = match is NameMatch.prefix, name
        nodes = holder.call(
            lambda store: enterprises.by_name(
                store, wanted, prefix=prefix, limit=limit + 1, offset=offset
            )
        )
    else:
        filters = enterprises.EnterpriseFilter(
            region=region,
            section=section,
            risk_class=risk_class.value if risk_class is not None else None,
            kind=kind,
        )
        nodes = holder.call(
            lambda store: enterprises.by_filter(store, filters, limit=limit + 1, offset=offset)
        )
    items = [
        EnterpriseSummary.model_validate(_pick(n["properties"], SUMMARY_FIELDS))
        for n in nodes[:limit]
    ]
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if filtered:
        params.update(region=region, section=section, risk_class=risk_class and risk_class.value)
        if kind is not None:
            params["kind"] = kind
    else:
        params.update(uscc=uscc, name=name, match=match.value)
    audit("enterprises.search", params=params, rows=len(items))
    return EnterpriseList(items=items, limit=limit, offset=offset, has_more=len(nodes) > limit)


@router.get(
    "/{uscc}",
    response_model=EnterpriseDetail,
    summary="One enterprise: profile, officers, investors, violations, current risk",
    responses={404: {"model": ErrorBody}},
)
def detail(
    uscc: UsccPath, holder: StoreDep, principal: EnterpriseReader, audit: AuditDep
) -> EnterpriseDetail:
    """Person names are masked (张**) and ``pid`` withheld unless the role may see them.
    Risk fields are null until the risk model has scored the enterprise."""
    key = uscc.strip().upper()
    found = holder.call(lambda store: enterprises.profile(store, key, list_limit=LIST_LIMIT))
    props = found.properties
    unmasked = principal.can(Permission.persons_unmasked)
    kind = entity_kind(props.get("org_type"))
    result = EnterpriseDetail(
        **_pick(props, SUMMARY_FIELDS + DETAIL_FIELDS),
        address=found.address,
        risk=risk_fields(props),
        positions=[_position(row, unmasked, kind, found.person_firms) for row in found.positions],
        investors=[_investor(row, unmasked, found.person_firms) for row in found.investors],
        violations=[
            ViolationOut.model_validate(_pick(v, ViolationOut.model_fields))
            for v in found.violations
        ],
        truncated=found.truncated,
    )
    audit(
        "enterprises.read",
        params={"uscc": key},
        rows=1,
        risk_class=result.risk.risk_class,
        persons_unmasked=unmasked,
    )
    return result


def risk_fields(values: dict[str, Any]) -> RiskFields:
    """The risk part of an enterprise's or an assessment's properties."""
    picked = _pick(values, RISK_FIELDS)
    if picked.get("scored_at") is not None:
        picked["scored_at"] = str(picked["scored_at"])
    return RiskFields.model_validate(picked)


def _person(row: dict[str, Any], unmasked: bool, firms: dict[str, int]) -> PersonRef:
    pid = row["pid"]
    return PersonRef(**person_view(pid, row["name"], unmasked=unmasked, firms=firms.get(pid)))


def _position(
    row: dict[str, Any], unmasked: bool, kind: EntityKind, firms: dict[str, int]
) -> Position:
    """One officer; the legal representative of an individual business (个体工商户) is
    its operator (经营者)."""
    legal = row["type"] == "LEGAL_REP_OF"
    return Position(
        person=_person(row, unmasked, firms),
        role=row.get("role") or (LEGAL_REP_TITLE.get(kind, "法定代表人") if legal else None),
        legal_representative=legal,
        since=row.get("since"),
        until=row.get("until"),
    )


def _investor(row: dict[str, Any], unmasked: bool, firms: dict[str, int]) -> Investor:
    labels = row.get("labels") or []
    common = {"ratio": row.get("ratio"), "amount": row.get("amount"), "since": row.get("since")}
    if "Person" in labels:
        person = _person(row, unmasked, firms)
        return Investor(kind="person", person=person, name=person.name, **common)
    kind: Literal["enterprise", "other"] = "enterprise" if "Enterprise" in labels else "other"
    return Investor(kind=kind, uscc=row.get("uscc"), name=row.get("name"), **common)


def _pick(values: dict[str, Any], fields: Any) -> dict[str, Any]:
    return {name: values.get(name) for name in fields}
