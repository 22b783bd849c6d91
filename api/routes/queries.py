"""Named relationship queries (关联关系查询) and the graph routes built on them.

Every route goes through ``riskgraph.graph.queries.run_named``, which validates
the parameters (hop and size limits included) before any Cypher runs.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query

from riskgraph.analytics import search
from riskgraph.api.auth import Permission, Principal
from riskgraph.api.deps import AuditDep, GraphReader, StoreDep
from riskgraph.api.privacy import is_pseudonym, mask_persons, person_pids, resolve_pseudonym
from riskgraph.api.schemas import EXAMPLE_USCC, NO_CONTROL, ErrorBody
from riskgraph.api.store import StoreHolder
from riskgraph.errors import Invalid, NotFound
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
    """Run a named query, mask persons for roles that may not see them, audit it.

    Node references (``key``, ``from``, ``to``) may be person pseudonyms: they are
    opened here, and the pid never leaves in an answer or an error message to a role
    that sees persons masked. The audit log records the parameters as given."""
    resolved, aliases = _resolve_pseudonyms(name, params)
    try:
        answer = holder.call(lambda store: registry.run_named(store, name, resolved))
    except (NotFound, Invalid) as exc:
        if not aliases:
            raise
        # The same error, with the pids it names replaced by the pseudonyms given.
        raise type(exc)(_hide(str(exc), aliases)) from exc
    unmasked = principal.can(Permission.persons_unmasked)
    if not unmasked:
        pids = person_pids(answer) | set(aliases)
        firms = holder.call(lambda store: search.person_firm_counts(store, pids))
        answer = mask_persons(answer, pids=aliases, firms=firms)
    audit(f"queries.{name}", params=params, rows=_size(answer), persons_unmasked=unmasked)
    return answer


_NODE_REFERENCES = ("key", "from", "to")


def _resolve_pseudonyms(name: str, params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """``params`` with person pseudonyms in node references replaced by their pid, and
    the pids so found (pid → pseudonym). A pseudonym this server did not issue (altered,
    forged, or sealed under another key) is 404, as an unknown key would be."""
    resolved = dict(params)
    aliases: dict[str, str] = {}
    for field in _NODE_REFERENCES:
        value = params.get(field)
        if not is_pseudonym(value):
            continue
        pid = resolve_pseudonym(value)
        if pid is None:
            raise NotFound(f"no person with the pseudonym {value[:80]!r}")
        resolved[field] = pid
        aliases[pid] = value
        if name == "neighbours" and field == "key":
            resolved["label"] = "Person"  # a pseudonym only ever names a person
    return resolved, aliases


def _hide(message: str, aliases: dict[str, str]) -> str:
    """An error message with opened pseudonyms' pids put back as the pseudonyms."""
    for pid, alias in aliases.items():
        message = message.replace(pid, alias)
    return message


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
    risk_class: Annotated[str | None, Query(pattern="^(A|B|C|D|none)$")] = None,
    by_class: Annotated[bool, Query(description="count each group per kind and class")] = False,
) -> Answer:
    """Neighbours per relationship type and direction, riskiest first. ``by_class``
    adds each group's counts per kind and risk class; ``risk_class`` (with ``type``)
    pages within one class. Relationship dates (``since``, ``until``) come in
    ``items[].relationship``, a violation's ``date`` on the item."""
    params = {
        "key": key,
        "label": label,
        "limit": limit,
        "offset": offset,
        "type": rel_type,
        "direction": direction,
        "risk_class": risk_class,
        "by_class": int(by_class),
    }
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
