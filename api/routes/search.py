"""Search (检索): enterprises by USCC, name or any part of it, persons by name (roles that
see persons), addresses by any part; exact first, then prefix, then substring."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query

from riskgraph.analytics import search as service
from riskgraph.api.auth import Permission, Principal
from riskgraph.api.deps import AuditDep, EnterpriseReader, StoreDep
from riskgraph.api.schemas import NO_CONTROL, ErrorBody, SearchHit, SearchPage
from riskgraph.errors import Forbidden

router = APIRouter(prefix="/search", tags=["search"])


class SearchKind(StrEnum):
    enterprise = "enterprise"
    person = "person"
    address = "address"


class PersonSearchForbidden(Forbidden):
    """The role sees persons masked, so it may not look them up by name."""


@router.get(
    "",
    response_model=SearchPage,
    response_model_by_alias=True,
    summary="Search enterprises, persons and addresses by any part of a name, USCC or address",
    responses={403: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)
def search(
    holder: StoreDep,
    principal: EnterpriseReader,
    audit: AuditDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=service.MAX_TEXT,
            pattern=NO_CONTROL,
            description="a USCC, a name or any part of one (德城澜), or part of an address",
            examples=["德城澜"],
        ),
    ],
    kind: Annotated[
        SearchKind | None,
        Query(description="only this kind; persons need the `persons:unmasked` permission"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_LIMIT)] = 20,
) -> SearchPage:
    """Exact key or name first, then names that start with ``q``, then names (and
    addresses) that contain it; within a tier enterprises, persons, addresses, shorter
    names first. Substring matches need two adjacent letters, digits or Han
    characters. Roles that see persons masked get no person results (asking for
    ``kind=person`` is 403)."""
    kinds = _kinds(kind, principal)
    text = q
    hits = holder.call(lambda store: service.search(store, text, kinds=kinds, limit=limit))
    items = [_item(hit) for hit in hits]
    audit(
        "search",
        params={"q": q, "kind": kind and kind.value, "limit": limit},
        rows=len(items),
    )
    return SearchPage(q=q.strip(), kinds=list(kinds), limit=limit, items=items)


def _kinds(kind: SearchKind | None, principal: Principal) -> list[service.Kind]:
    persons = principal.can(Permission.persons_unmasked)
    if kind is SearchKind.person and not persons:
        raise PersonSearchForbidden("this role sees persons masked and may not search them")
    if kind is not None:
        return [kind.value]
    return [k for k in service.KINDS if persons or k != "person"]


def _item(hit: service.Hit) -> SearchHit:
    return SearchHit.model_validate(
        {
            "kind": hit.kind,
            "key": hit.key,
            "name": hit.name,
            "match": hit.match,
            "class": hit.risk_class,
            "score": hit.score,
            "region": hit.region,
            "status": hit.status,
            "firms": hit.firms,
        }
    )
