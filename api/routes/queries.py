"""Named relationship queries (关联关系查询) and the graph routes built on them.

Every route goes through ``riskgraph.graph.queries.run_named``, which validates
the parameters (hop and size limits included) before any Cypher runs.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query

from riskgraph.api.auth import Permission, Principal
from riskgraph.api.deps import AuditDep, GraphReader, StoreDep
from riskgraph.api.errors import InvalidInput, NotFound
from riskgraph.api.privacy import mask_persons
from riskgraph.api.schemas import EXAMPLE_USCC, NO_CONTROL, ErrorBody
from riskgraph.api.store import StoreHolder
from riskgraph.graph import queries as registry

router = APIRouter(tags=["graph"])

Answer = dict[str, Any] | list[Any]
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "no such query or entity"},
    422: {"model": ErrorBody, "description": "invalid parameters"},
}
UsccPath = Annotated[
    str, Path(min_length=1, max_length=64, pattern=NO_CONTROL, examples=[EXAMPLE_USCC])
]


def run(
    holder: StoreHolder,
    principal: Principal,
    audit: AuditDep,
    name: str,
    params: dict[str, Any],
) -> Answer:
    """Run a named query, mask persons for roles that may not see them, audit it."""
    try:
        answer = holder.call(lambda store: registry.run_named(store, name, params))
    except registry.UnknownQuery as exc:
        raise NotFound(str(exc)) from exc
    except registry.EntityNotFound as exc:
        raise NotFound(str(exc)) from exc
    except registry.InvalidParameters as exc:
        raise InvalidInput(str(exc)) from exc
    unmasked = principal.can(Permission.persons_unmasked)
    if not unmasked:
        answer = mask_persons(answer)
    audit(f"queries.{name}", params=params, rows=_size(answer), persons_unmasked=unmasked)
    return answer


def _size(answer: Answer) -> int:
    if isinstance(answer, list):
        return len(answer)
    for key in ("nodes", "items", "paths", "groups", "loops", "persons", "enterprises"):
        if isinstance(answer.get(key), list):
            return len(answer[key])
    return 1


@router.get("/queries", summary="The named queries and their parameters")
def list_queries(_: GraphReader) -> list[dict[str, Any]]:
    return registry.describe()


@router.post("/queries/{name}", summary="Run a named query", responses=_ERRORS)
def run_query(
    name: Annotated[str, Path(pattern=r"^[a-z_]{1,64}$", examples=["associated_risk"])],
    holder: StoreDep,
    principal: GraphReader,
    audit: AuditDep,
    params: Annotated[
        dict[str, Any],
        Body(examples=[{"uscc": EXAMPLE_USCC, "hops": 2}], max_length=20),
    ] = {},  # noqa: B006 (FastAPI copies defaults per request)
) -> Answer:
    """Parameters as ``GET /queries`` lists them; persons are masked for investigators."""
    return run(holder, principal, audit, name, params)


@router.get(
    "/enterprises/{uscc}/family-tree",
    summary="Family tree (族谱): shareholders up, investments down, branches",
    responses=_ERRORS,
)
def family_tree(
    uscc: UsccPath,
    holder: StoreDep,
    principal: GraphReader,
    audit: AuditDep,
    up: Annotated[int, Query(ge=0, le=6)] = 3,
    down: Annotated[int, Query(ge=0, le=6)] = 3,
    limit: Annotated[int, Query(ge=1, le=20_000)] = 5000,
) -> Answer:
    params = {"uscc": uscc, "up": up, "down": down, "limit": limit}
    return run(holder, principal, audit, "family_tree", params)


@router.get(
    "/enterprises/{uscc}/associated-risk",
    summary="Associated risk (关联风险): C/D enterprises and open violations nearby",
    responses=_ERRORS,
)
def associated_risk(
    uscc: UsccPath,
    holder: StoreDep,
    principal: GraphReader,
    audit: AuditDep,
    hops: Annotated[int, Query(ge=1, le=3)] = 2,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Answer:
    params = {"uscc": uscc, "hops": hops, "limit": limit}
    return run(holder, principal, audit, "associated_risk", params)


@router.get(
    "/graph/neighbours",
    summary="Neighbours (邻居展开) of a node, grouped by relationship type",
    responses=_ERRORS,
)
def neighbours(
    holder: StoreDep,
    principal: GraphReader,
    audit: AuditDep,
    key: Annotated[str, Query(min_length=1, max_length=200, pattern=NO_CONTROL)],
    label: Annotated[str, Query(max_length=20)] = "Enterprise",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    rel_type: Annotated[str | None, Query(alias="type", max_length=64)] = None,
    direction: Annotated[str | None, Query(pattern="^(in|out)$")] = None,
) -> Answer:
    params = {"key": key, "label": label, "limit": limit, "offset": offset, "type": rel_type,
              "direction": direction}  # fmt: skip
    return run(holder, principal, audit, "neighbours", params)


@router.get(
    "/graph/paths",
    summary="Shortest paths (查关系) between two entities",
    responses=_ERRORS,
)
def paths(
    holder: StoreDep,
    principal: GraphReader,
    audit: AuditDep,
    source: Annotated[str, Query(alias="from", min_length=1, max_length=200)],
    target: Annotated[str, Query(alias="to", min_length=1, max_length=200)],
    max_hops: Annotated[int, Query(ge=1, le=6)] = 4,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Answer:
    params = {"from": source, "to": target, "max_hops": max_hops, "limit": limit}
    return run(holder, principal, audit, "paths", params)
