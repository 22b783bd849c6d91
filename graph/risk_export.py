"""What the risk model's export reads from the graph, in the plain form every engine returns.

:meth:`GraphStore.read_export <riskgraph.graph.store.GraphStore.read_export>`
reads every enterprise with its links, roles and violations and returns a
:class:`RawExport`: enterprise records as columns, every node under a
provisional integer id, links as ``[2, E]`` id arrays per edge type.
``riskgraph.gnn.export`` turns it into the key-ordered export the model reads.

The default reader here, :func:`read_by_key_pages`, runs on every engine: it
reads pages of enterprises (:mod:`riskgraph.graph.paging`) and, for each page,
the relationships ending at its enterprises, their outgoing links to
addresses, and their violations, with the page's keys as a parameter; where the
store takes parallel reads (Neo4j), each page's links are read on a second
thread while the next page is read. No query touches more than one page of
enterprises, so memory on the database side stays bounded. FalkorDB overrides
it with internal-id windows and packed replies
(:mod:`riskgraph.graph.falkordb_export`).

Node types are ``enterprise``, ``person`` and ``address``; edge types are
``(source type, relationship type, target type)``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from riskgraph.errors import RiskgraphError
from riskgraph.graph.paging import PagedStore, enterprise_pages

Row = dict[str, Any]
EdgeType = tuple[str, str, str]
Columns = dict[str, list[Any]]

NODE_TYPES: tuple[str, ...] = ("enterprise", "person", "address")
TARGET = "enterprise"

#: Relationship types that end at an Enterprise (read by ``gnn_in_edges``).
IN_TYPES: tuple[str, ...] = (
    "LEGAL_REP_OF",
    "HOLDS_POSITION",
    "INVESTS_IN",
    "BRANCH_OF",
    "SHAREHOLDER_OF",
    "LOAN",
    "DEAL",
    "RENT",
    "CREDITOR",
)
#: Relationship types from an Enterprise to a non-enterprise node (``gnn_out_edges``).
OUT_TYPES: tuple[str, ...] = ("REGISTERED_AT",)

ENTERPRISE_FIELDS: tuple[str, ...] = (
    "org_type",
    "status",
    "established",
    "registered_capital",
    "paid_in_capital",
    "industry_section",
    "industry_name",
    "region_code",
    "area",
    "setup_months",
    "split",
    "label",
    "label_class",
    # the latest monthly re-classification's month and class (not features: the
    # re-classification reads the previous month's classes from the export)
    "reclass_month",
    "reclass_class",
)
VIOLATION_FIELDS: tuple[str, ...] = (
    "vid",
    "kind",
    "date",
    "status",
    "removed_on",
    "cause_type",
    "court_level",
    "result",
    "months_before_observation",
)
_LABEL_TYPES = {"Enterprise": "enterprise", "Person": "person", "Address": "address"}


class ExportError(RiskgraphError):
    """The graph cannot be exported for the risk model (empty, inconsistent)."""


@dataclass
class RawExport:
    """Every enterprise with its links, roles and violations, nodes under provisional ids.

    ``columns`` holds the enterprise records (``key`` and :data:`ENTERPRISE_FIELDS`),
    ``record_ids[i]`` the provisional enterprise id of record ``i`` among
    ``enterprise_ids`` ids (links may name enterprises that have no record);
    ``found[t]`` the keys of the other node types by provisional id;
    ``edges`` ``[2, E]`` arrays of provisional (source, target) ids per type;
    ``role_ids``/``role_names`` one ``HOLDS_POSITION`` role each; ``violations``
    blocks of columns (``key``, the enterprise's, and :data:`VIOLATION_FIELDS`). ``node_ids``,
    where the engine has them, are the engine's ids of the records;
    ``found_order[t]``, where given, is :func:`key_order` of ``found[t]``.
    """

    columns: Columns
    record_ids: np.ndarray
    enterprise_ids: int
    found: dict[str, list[str]]
    edges: dict[EdgeType, list[np.ndarray]]
    role_ids: np.ndarray
    role_names: list[str]
    violations: list[Columns]
    node_ids: np.ndarray | None = None
    found_order: dict[str, np.ndarray] | None = None


def key_order(keys: np.ndarray | pa.Array) -> np.ndarray:
    """Positions of ``keys`` (strings) in sorted order, stable.

    Arrow sorts UTF-8 by bytes, which is code-point order, as Python sorts
    ``str``; it does so several times faster than numpy's object argsort.
    """
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    strings = keys if isinstance(keys, pa.Array) else pa.array(keys, type=pa.string())
    indices = pc.array_sort_indices(strings)
    return np.asarray(indices.to_numpy(), dtype=np.int64)


class KeyCollector:
    """Folds rows named by keys into a :class:`RawExport` as they arrive.

    Keys get provisional integer ids in arrival order, edges are kept as
    ``int64`` id arrays per type and enterprise attributes as columns, so the
    memory held grows with the numbers, not with Python objects per link.
    """

    def __init__(self) -> None:
        self.ids: dict[str, dict[str, int]] = {t: {} for t in NODE_TYPES}
        self.record_ids: list[int] = []
        self.columns: Columns = {f: [] for f in ("key", *ENTERPRISE_FIELDS)}
        self.edges: dict[EdgeType, list[np.ndarray]] = {}
        self.role_ids: list[int] = []
        self.role_names: list[str] = []
        self.violations: list[Columns] = []

    def _id(self, node_type: str, key: str) -> int:
        index = self.ids[node_type]
        return index.setdefault(key, len(index))

    def add_records(self, rows: Iterable[Row]) -> None:
        """Enterprise records: ``key`` and :data:`ENTERPRISE_FIELDS`."""
        for row in rows:
            key = str(row["key"])
            self.record_ids.append(self._id(TARGET, key))
            self.columns["key"].append(key)
            for name in ENTERPRISE_FIELDS:
                self.columns[name].append(row.get(name))

    def add_edges(self, edges: Iterable[tuple[str, str, str, str, str]]) -> None:
        """Links as ``(source type, source key, relationship, target type, target key)``."""
        grouped: dict[EdgeType, tuple[list[int], list[int]]] = {}
        for src_type, src, rel, dst_type, dst in edges:
            sources, targets = grouped.setdefault((src_type, rel, dst_type), ([], []))
            sources.append(self._id(src_type, src))
            targets.append(self._id(dst_type, dst))
        for edge_type, (sources, targets) in grouped.items():
            self.edges.setdefault(edge_type, []).append(np.array([sources, targets], np.int64))

    def add_roles(self, roles: Iterable[tuple[str, str]]) -> None:
        """``(enterprise key, role)`` pairs."""
        for key, role in roles:
            self.role_ids.append(self._id(TARGET, key))
            self.role_names.append(role)

    def add_violations(self, rows: Sequence[Row]) -> None:
        """Violation rows: ``key`` (the enterprise's) and :data:`VIOLATION_FIELDS`."""
        if rows:
            names = ("key", *VIOLATION_FIELDS)
            self.violations.append({name: [row.get(name) for row in rows] for name in names})

    def finish(self) -> RawExport:
        found = {t: list(self.ids[t]) for t in NODE_TYPES if t != TARGET}
        enterprise_ids = len(self.ids[TARGET])
        self.ids.clear()
        return RawExport(
            columns=self.columns,
            record_ids=np.asarray(self.record_ids, dtype=np.int64),
            enterprise_ids=enterprise_ids,
            found=found,
            edges=self.edges,
            role_ids=np.asarray(self.role_ids, dtype=np.int64),
            role_names=self.role_names,
            violations=self.violations,
        )


# -- the key-paged reader ------------------------------------------------------


class ExportStore(PagedStore, Protocol):
    """What :func:`read_by_key_pages` asks of a store: a :class:`GraphStore`
    (typed structurally because ``graph/store.py`` imports this module)."""

    parallel_reads: int


def read_by_key_pages(store: ExportStore, page_size: int) -> RawExport:
    """Every enterprise with its links, roles and violations, one page of keys at a time.

    Runs on every engine. Pages are read one after the other and, where the
    store takes parallel reads, each page's links and violations on a second
    thread meanwhile; finished pages are folded in in submission order, so keys
    get their provisional ids in an order that does not depend on thread timing.
    """
    links = _PageLinks(store)
    collector = KeyCollector()
    workers = min(2, store.parallel_reads)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="export") as pool:
        pending: deque[Future[_Links]] = deque()
        for page in enterprise_pages(store, "gnn_enterprises_page", page_size=page_size):
            collector.add_records(page)
            keys = [str(row["key"]) for row in page]
            if workers == 1:
                _fold(collector, links.read(keys))
                continue
            pending.append(pool.submit(links.read, keys))
            while pending and pending[0].done():
                _fold(collector, pending.popleft().result())
        while pending:
            _fold(collector, pending.popleft().result())
    return collector.finish()


@dataclass
class _Links:
    """One page's relationships (src type, src, rel, dst type, dst), roles and violations."""

    edges: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    roles: list[tuple[str, str]] = field(default_factory=list)
    violations: list[Row] = field(default_factory=list)


def _fold(collector: KeyCollector, links: _Links) -> None:
    collector.add_edges(links.edges)
    collector.add_roles(links.roles)
    collector.add_violations(links.violations)


class _PageLinks:
    """Reads the links and violations of one page of enterprises."""

    def __init__(self, store: ExportStore) -> None:
        self.store = store
        self.q_in = store.query_text("gnn_in_edges")
        self.q_out = store.query_text("gnn_out_edges")
        self.q_viol = store.query_text("gnn_violations")

    def read(self, keys: list[str]) -> _Links:
        found = _Links()
        for row in self.store.read(self.q_in, keys=keys, types=list(IN_TYPES)):
            src_type = node_type(row.get("src_labels"))
            if src_type is None:
                continue
            dst, rel = str(row["dst"]), row["type"]
            found.edges += [(src_type, str(src), rel, TARGET, dst) for src in row["srcs"]]
            found.roles += [(dst, str(role)) for role in row["roles"] or () if role]
        for row in self.store.read(self.q_out, keys=keys, types=list(OUT_TYPES)):
            dst_type = node_type(row.get("dst_labels"))
            if dst_type is None or dst_type == TARGET or row.get("dst") is None:
                continue
            found.edges.append((TARGET, str(row["src"]), row["type"], dst_type, str(row["dst"])))
        found.violations = self.store.read(self.q_viol, keys=keys)
        return found


def node_type(labels: Any) -> str | None:
    """The export's node type of a node with ``labels`` (None: not exported)."""
    if not isinstance(labels, list | tuple):
        return None
    for label in labels:
        if label in _LABEL_TYPES:
            return _LABEL_TYPES[label]
    return None
