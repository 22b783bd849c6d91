"""The risk model's export of a few enterprises' neighbourhood, read hop by hop.

Explaining or re-scoring one firm needs only the part of the graph its features
and the model read: every node within ``depth`` hops of the seeds with every link
of those nodes (so their features and the model's neighbour averages and sums
are the whole graph's), the records and violations of the enterprises among
them, and for the persons and addresses just past them, their link totals in the
whole graph (a firm's "other firms of its persons" and "firms at its address"
count them). :func:`read_neighbourhood` reads that with bounded queries
(``khop_*``: keys as parameters, one query per node type and hop) and returns
it in the plain form of the whole-graph export (:class:`RawExport`), so
``riskgraph.gnn.export.build_export`` builds the same structures from it.

Hubs: a node's links are read up to ``cap`` per relationship type, lowest keys
first (a deterministic sample). A node whose links were cut is listed in
:attr:`Neighbourhood.capped`; answers that depend on it are then approximate
(see docs/explanations.md). Link totals of persons and addresses are counted
in the database and never capped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from riskgraph.graph.risk_export import (
    IN_TYPES,
    NODE_TYPES,
    OUT_TYPES,
    TARGET,
    KeyCollector,
    RawExport,
    node_type,
)
from riskgraph.graph.store import GraphStore

DEFAULT_CAP = 5000
"""Links read per node and relationship type before a hub is sampled."""
_CHUNK = 2000
"""Keys per query."""

Node = tuple[str, str]


@dataclass(frozen=True)
class Capped:
    """A node whose links of one type were read only in part."""

    type: str
    key: str
    relation: str
    total: int
    read: int


@dataclass
class Neighbourhood:
    """The raw export of the seeds' neighbourhood, with what the export leaves out.

    ``distance[(type, key)]`` is each node's hop distance from the nearest seed
    (nodes at ``depth + 1`` are in the export only as the ends of links, the
    enterprises among them without a record); ``totals[(type, measure)]`` maps keys
    of persons (``firms``, ``LEGAL_REP_OF``) and addresses (``REGISTERED_AT``) to
    their whole-graph link counts.
    """

    raw: RawExport
    depth: int
    distance: dict[Node, int]
    totals: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    capped: list[Capped] = field(default_factory=list)


def read_neighbourhood(
    store: GraphStore,
    seeds: Sequence[str],
    *,
    depth: int,
    person_types: Sequence[str] = IN_TYPES,
    cap: int = DEFAULT_CAP,
) -> Neighbourhood:
    """Every node within ``depth`` hops of the enterprises ``seeds`` with all its links.

    ``person_types`` are the relationship types from persons to enterprises that
    count a person's firms (the model's own person edge types).
    """
    reader = _Reader(store, cap)
    distance: dict[Node, int] = {(TARGET, key): 0 for key in dict.fromkeys(seeds)}
    frontier = list(distance)
    for hop in range(depth + 1):
        reached = reader.links(frontier)
        frontier = []
        for node in reached:
            if node not in distance:
                distance[node] = hop + 1
                frontier.append(node)
    inside = [key for (kind, key), d in distance.items() if kind == TARGET and d <= depth]
    outside = [key for (kind, key), d in distance.items() if kind == TARGET and d > depth]
    reader.records(inside, outside)
    totals = reader.totals(
        [key for (kind, key) in distance if kind == "person"],
        [key for (kind, key) in distance if kind == "address"],
        person_types,
    )
    return Neighbourhood(reader.collector.finish(), depth, distance, totals, reader.capped)


class _Reader:
    """Runs the ``khop_*`` queries and folds their rows into one :class:`KeyCollector`."""

    def __init__(self, store: GraphStore, cap: int) -> None:
        self.store = store
        self.cap = max(1, int(cap))
        self.collector = KeyCollector()
        self.capped: list[Capped] = []

    def _rows(self, name: str, keys: Sequence[str], **params: Any) -> Iterable[dict[str, Any]]:
        query = self.store.query_text(name)
        for start in range(0, len(keys), _CHUNK):
            yield from self.store.read(query, keys=list(keys[start : start + _CHUNK]), **params)

    def _note(self, node_type: str, key: str, relation: str, total: int, read: int) -> None:
        if total > read:
            self.capped.append(Capped(node_type, key, relation, total, read))

    def links(self, nodes: Sequence[Node]) -> list[Node]:
        """Read every link of ``nodes``; the nodes at their other ends."""
        by_type: dict[str, list[str]] = {t: [] for t in NODE_TYPES}
        for kind, key in nodes:
            by_type[kind].append(key)
        edges: list[tuple[str, str, str, str, str]] = []
        roles: list[tuple[str, str]] = []
        if by_type[TARGET]:
            self._enterprise_links(by_type[TARGET], edges, roles)
        for row in self._rows(
            "khop_person_links", by_type["person"], types=list(IN_TYPES), cap=self.cap
        ):
            self._note("person", row["src"], row["type"], int(row["total"]), len(row["dsts"]))
            edges += [("person", row["src"], row["type"], TARGET, str(d)) for d in row["dsts"]]
        for row in self._rows(
            "khop_address_links", by_type["address"], types=list(OUT_TYPES), cap=self.cap
        ):
            self._note("address", row["dst"], row["type"], int(row["total"]), len(row["srcs"]))
            edges += [(TARGET, str(s), row["type"], "address", row["dst"]) for s in row["srcs"]]
        self.collector.add_edges(edges)
        self.collector.add_roles(roles)
        return [(src_type, src) for src_type, src, _, _, _ in edges] + [
            (dst_type, dst) for _, _, _, dst_type, dst in edges
        ]

    def _enterprise_links(
        self,
        keys: list[str],
        edges: list[tuple[str, str, str, str, str]],
        roles: list[tuple[str, str]],
    ) -> None:
        """Links ending at and starting from the enterprises ``keys``; their roles."""
        for row in self._rows("khop_in_links", keys, types=list(IN_TYPES), cap=self.cap):
            src_type = node_type(row.get("src_labels"))
            if src_type is None:
                continue
            dst, rel = str(row["dst"]), row["type"]
            self._note(TARGET, dst, rel, int(row["total"]), len(row["srcs"]))
            edges += [(src_type, str(src), rel, TARGET, dst) for src in row["srcs"]]
            roles += [(dst, str(role)) for role in row["roles"] or () if role]
        for row in self._rows(
            "khop_out_links",
            keys,
            firm_types=list(IN_TYPES),
            other_types=list(OUT_TYPES),
            cap=self.cap,
        ):
            dst_type = node_type(row.get("dst_labels"))
            if dst_type is None:
                continue
            src, rel = str(row["src"]), row["type"]
            self._note(TARGET, src, rel, int(row["total"]), len(row["dsts"]))
            edges += [(TARGET, src, rel, dst_type, str(dst)) for dst in row["dsts"]]

    def records(self, inside: Sequence[str], outside: Sequence[str]) -> None:
        """Records and violations of the enterprises ``inside``; bare records (the key
        only) for those ``outside``, which the export holds as the ends of links."""
        self.collector.add_records(self._rows("khop_enterprise_records", inside))
        self.collector.add_records({"key": key} for key in outside)
        self.collector.add_violations(list(self._rows("gnn_violations", inside)))

    def totals(
        self, persons: Sequence[str], addresses: Sequence[str], person_types: Sequence[str]
    ) -> dict[tuple[str, str], dict[str, int]]:
        """Whole-graph link counts of ``persons`` and ``addresses``."""
        firms: dict[str, int] = {}
        legal_rep: dict[str, int] = {}
        types = list(person_types)
        for row in self._rows("khop_person_totals", persons, types=types) if types else ():
            firms[row["key"]] = int(row["firms"])
            legal_rep[row["key"]] = int(row["legal_rep"])
        registered = {
            row["key"]: int(row["firms"]) for row in self._rows("khop_address_totals", addresses)
        }
        return {
            ("person", "firms"): firms,
            ("person", "LEGAL_REP_OF"): legal_rep,
            ("address", "REGISTERED_AT"): registered,
        }
