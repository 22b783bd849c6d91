"""Risk clusters (关联风险群): the ranking, and one cluster as a graph of its members.

Clusters are built by ``riskgraph clusters build`` (``riskgraph.analytics.clusters``);
these routes only read them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from riskgraph.analytics import clusters as registry
from riskgraph.analytics.cluster_view import read_cluster
from riskgraph.api.auth import Permission
from riskgraph.api.deps import AuditDep, ClusterReader, StoreDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.privacy import mask_persons
from riskgraph.api.schemas import (
    EXAMPLE_CLUSTER,
    ClusterDetail,
    ClusterList,
    ClusterMember,
    ClusterSummary,
    ErrorBody,
)

router = APIRouter(prefix="/clusters", tags=["clusters"])

MAX_MEMBERS = 1000
"""A cluster is at most ``max_size`` (100) unless it could not be split; the view is capped."""

ClusterPath = Annotated[
    str,
    Path(
        min_length=4, max_length=80, pattern=r"^RC-[^\x00-\x1f\x7f/]+$", examples=[EXAMPLE_CLUSTER]
    ),
]


@router.get(
    "",
    response_model=ClusterList,
    summary="Risk clusters ranked by C/D members, risk mass and size",
    responses={422: {"model": ErrorBody}},
)
def list_clusters(
    holder: StoreDep,
    _: ClusterReader,
    audit: AuditDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    min_size: Annotated[int, Query(ge=2, le=100_000)] = 2,
) -> ClusterList:
    """Clusters as the last ``riskgraph clusters build`` stored them (empty before one)."""
    rows = holder.call(lambda store: registry.list_clusters(store, limit=limit, min_size=min_size))
    items = [ClusterSummary.model_validate(jsonable(row)) for row in rows]
    audit("clusters.list", params={"limit": limit, "min_size": min_size}, rows=len(items))
    return ClusterList(items=items, limit=limit, min_size=min_size)


@router.get(
    "/{cid}",
    response_model=ClusterDetail,
    summary="One cluster: members with their risk class and the links that bind them",
    responses={404: {"model": ErrorBody}},
)
def get_cluster(
    cid: ClusterPath, holder: StoreDep, principal: ClusterReader, audit: AuditDep
) -> ClusterDetail:
    """``nodes`` and ``edges`` form a graph view: the member enterprises, the persons
    (legal representative, officer) and addresses shared by two or more members, and
    the investments and branch links among members. Person names are masked (张**) and
    ids replaced by pseudonyms unless the role may see them."""
    found = holder.call(lambda store: read_cluster(store, cid, max_members=MAX_MEMBERS))
    view = {"nodes": found.nodes, "edges": jsonable(found.edges)}
    unmasked = principal.can(Permission.persons_unmasked)
    if not unmasked:
        view = mask_persons(view)
    result = ClusterDetail(
        **jsonable(found.cluster),
        members=[ClusterMember.model_validate(jsonable(row)) for row in found.members],
        nodes=view["nodes"],
        edges=view["edges"],
        persons_masked=not unmasked,
    )
    audit(
        "clusters.read",
        params={"cid": cid},
        rows=len(result.members),
        persons_unmasked=unmasked,
    )
    return result
