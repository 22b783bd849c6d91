"""One stored risk cluster as investigators read it: its members with class and score,
and the graph that binds them (shared persons and addresses, investments, branches)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from riskgraph.analytics.clusters import ClusterNotFound, cluster_members
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
    members = cluster_members(store, cid)
    keys = [row["uscc"] for row in members][:max_members]
    rows = store.read(
        store.query_text("cluster_links"),
        keys=keys,
        today=(today or date.today()).isoformat(),
    )
    nodes, edges = graph_view(rows)
    return ClusterView(cluster=found[0], members=rows, nodes=nodes, edges=edges)


@dataclass
class _Shared:
    """Persons or addresses met on the members' rows, with their links to members."""

    kind: str
    label_field: str
    member_end: str
    """Which end of a link is the member enterprise (``target`` or ``source``)."""
    props: dict[str, Row] = field(default_factory=dict)
    links: dict[str, list[Row]] = field(default_factory=dict)

    def add(self, key: str, props: Row, link: Row) -> None:
        self.props.setdefault(key, props)
        self.links.setdefault(key, []).append(link)

    def binding(self) -> Iterator[tuple[Row, list[Row]]]:
        """The node and links of each one linked to two or more members, by key."""
        for key in sorted(self.props):
            links = self.links[key]
            if len({link[self.member_end] for link in links}) >= 2:
                label = self.props[key].get(self.label_field)
                yield {"id": key, "kind": self.kind, "label": label, "member": False}, links


def graph_view(rows: list[Row]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes and edges among the members: persons and addresses count only when they
    link two or more members (the links that bind the cluster)."""
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    persons = _Shared("Person", "name", "target")
    addresses = _Shared("Address", "address", "source")
    for row in sorted(rows, key=lambda r: str(r["uscc"])):
        key = row["uscc"]
        nodes.append(
            {
                "id": key,
                "kind": "Enterprise",
                "label": row.get("name"),
                "member": True,
                "risk_class": row.get("risk_class"),
                "risk_score": row.get("risk_score"),
            }
        )
        for rel, people in (
            ("LEGAL_REP_OF", row["legal_reps"]),
            ("HOLDS_POSITION", row["officers"]),
        ):
            for person in people:
                if pid := person.get("pid"):
                    link = {"source": pid, "target": key, "type": rel, "role": person.get("role")}
                    persons.add(pid, person, link)
        for address in row["addresses"]:
            if aid := address.get("aid"):
                addresses.add(aid, address, {"source": key, "target": aid, "type": "REGISTERED_AT"})
        edges.extend(
            {"source": key, "target": i["target"], "type": "INVESTS_IN", "ratio": i.get("ratio")}
            for i in row["investments"]
        )
        edges.extend(
            {"source": key, "target": parent, "type": "BRANCH_OF"} for parent in row["parents"]
        )
    for shared in (persons, addresses):
        for node, links in shared.binding():
            nodes.append(node)
            edges.extend(links)
    return nodes, edges
