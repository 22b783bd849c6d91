"""One stored risk cluster as investigators read it: its members with class and score,
and the graph that binds them (shared persons and addresses, investments, branches)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from riskgraph.analytics.clusters import ClusterNotFound
from riskgraph.graph.store import GraphStore, Row


@dataclass(frozen=True)
class ClusterView:
    """A cluster's stored properties, its member rows and a node/edge graph view."""

    cluster: dict[str, Any]
    members: list[Row]
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


def read_cluster(
    store: GraphStore, cid: str, *, max_members: int = 1000, today: date | None = None
) -> ClusterView:
    """The cluster ``cid`` with at most ``max_members`` members; raises ClusterNotFound.

    ``nodes`` and ``edges``: the member enterprises, the persons (legal representative,
    officer) and addresses shared by two or more members, and the investments and
    branch links among members.
    """
    found = store.read(store.query_text("cluster_get"), cid=cid)
    if not found:
        raise ClusterNotFound(f"no risk cluster {cid!r}")
    members = store.read(store.query_text("cluster_members"), cid=cid)
    keys = [row["uscc"] for row in members][:max_members]
    rows = store.read(
        store.query_text("cluster_links"),
        keys=keys,
        today=(today or date.today()).isoformat(),
    )
    nodes, edges = graph_view(rows)
    return ClusterView(cluster=found[0], members=rows, nodes=nodes, edges=edges)


def graph_view(rows: list[Row]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
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
    return nodes, edges
