"""The analyst console's schema: what the Cypher editor offers beside ad-hoc queries."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from riskgraph.analytics import console
from riskgraph.api.auth import Permission
from riskgraph.api.deps import AuditDep, CypherRunner, PrincipalDep, StateDep, StoreDep

router = APIRouter(tags=["cypher"])


@router.get(
    "/cypher/schema",
    summary="Labels, relationship types and property keys with counts, for the console",
)
def cypher_schema(
    state: StateDep,
    holder: StoreDep,
    _: CypherRunner,
    audit: AuditDep,
    fresh: Annotated[bool, Query(description="read the graph again, not the cache")] = False,
) -> dict[str, Any]:
    """Labels and relationship types with exact counts, the property keys of a sample of
    each (``sample`` nodes or relationships), the allowed procedures and the limits
    ad-hoc queries run under. Kept five minutes per server unless ``fresh``."""
    answer = holder.call(lambda store: console.schema(store, fresh=fresh))
    api = state.api
    audit("cypher.schema", rows=len(answer["labels"]) + len(answer["relationship_types"]))
    return {
        **answer,
        "procedures": sorted(state.policy.procedures),
        "limits": {
            "max_rows": api.cypher_max_rows,
            "timeout_s": api.cypher_timeout_s,
            "max_hops": api.cypher_max_hops,
        },
    }


@router.get("/cypher/access", summary="Whether the caller's key may run ad-hoc Cypher")
def cypher_access(principal: PrincipalDep) -> dict[str, Any]:
    """``{"allowed", "role"}`` for any valid key: the web app shows the console only to
    roles that may use it, without a refused request."""
    return {"allowed": principal.can(Permission.cypher_run), "role": principal.role.value}
