"""Risk clusters (关联风险群): the ranking, and one cluster as a graph of its members.

Clusters are built by ``riskgraph clusters build`` (``riskgraph.graph.clusters``);
these routes only read them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from riskgraph import cypher
from riskgraph.api.auth import Permission
from riskgraph.api.deps import AuditDep, ClusterReader, StoreDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.errors import NotFound
from riskgraph.api.privacy import mask_persons
from riskgraph.api.schemas import (
    EXAMPLE_CLUSTER,
    ClusterDetail,
    ClusterList,
    ClusterMember,
    ClusterSummary,
    ErrorBody,
)
from riskgraph.api.store import StoreHolder
from riskgraph.graph import clusters as registry
from riskgraph.graph.store import Row

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
    found = holder.read(_q(holder, "api_cluster_get"), cid=cid)
    if not found:
        raise NotFound(f"no risk cluster {cid!r}")
    try:
        members = holder.call(lambda store: registry.cluster_members(store, cid))
    except registry.ClusterError as exc:
        raise NotFound(str(exc)) from exc
    keys = [row["uscc"] for row in members][:MAX_MEMBERS]
    rows = holder.read(_q(holder, "api_cluster_links"), keys=keys, today=date.today().isoformat())
    view = graph_view(rows)
    unmasked = principal.can(Permission.persons_unmasked)
    if not unmasked:
        view = mask_persons(view)
    result = ClusterDetail(
        **jsonable(found[0]),
        members=[ClusterMember.model_validate(jsonable(row)) for row in rows],
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


def graph_view(rows: list[Row]) -> dict[str, Any]:
    """Nodes and edges among the members: persons and addresses count only when they
    link two or more members (the links that bind the cluster)."""
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    persons: dict[str, dict[str, Any]] = {}
    person_edges: dict[str, list[dict[str, Any]]] = {}
    addresses: dict[str, dict[str, Any]] = {}
    address_edges: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: str(r["uscc"])):
        key = row["uscc"]
        nodes.append(
            {"id": key, "kind": "Enterprise", "label": row.get("name"), "member": True,
             "risk_class": row.get("risk_class"), "risk_score": row.get("risk_score")}
        )  # fmt: skip
        for rel, people in (
            ("LEGAL_REP_OF", row["legal_reps"]),
            ("HOLDS_POSITION", row["officers"]),
        ):
            for person in people:
                pid = person.get("pid")
                if not pid:
                    continue
                persons.setdefault(pid, person)
                person_edges.setdefault(pid, []).append(
                    {"source": pid, "target": key, "type": rel, "role": person.get("role")}
                )
        for address in row["addresses"]:
            aid = address.get("aid")
            if not aid:
                continue
            addresses.setdefault(aid, address)
            address_edges.setdefault(aid, []).append(
                {"source": key, "target": aid, "type": "REGISTERED_AT"}
            )
        for investment in row["investments"]:
            edges.append(
                {"source": key, "target": investment["target"], "type": "INVESTS_IN",
                 "ratio": investment.get("ratio")}
            )  # fmt: skip
        edges.extend(
            {"source": key, "target": parent, "type": "BRANCH_OF"} for parent in row["parents"]
        )
    for pid in sorted(persons):
        links = person_edges[pid]
        if len({edge["target"] for edge in links}) < 2:
            continue
        nodes.append(
            {"id": pid, "kind": "Person", "label": persons[pid].get("name"), "member": False}
        )
        edges.extend(links)
    for aid in sorted(addresses):
        links = address_edges[aid]
        if len({edge["source"] for edge in links}) < 2:
            continue
        nodes.append(
            {"id": aid, "kind": "Address", "label": addresses[aid].get("address"), "member": False}
        )
        edges.extend(links)
    return {"nodes": nodes, "edges": jsonable(edges)}


def _q(holder: StoreHolder, name: str) -> str:
    return cypher.text(name, holder.dialect)
