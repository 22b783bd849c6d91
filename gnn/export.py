"""Export the graph into arrays: enterprises, violations, typed edges, stable id maps.

The portable export reads the graph in pages of enterprises (by key on Neo4j,
by internal-id window on FalkorDB, see :mod:`riskgraph.graph.paging`), and for
each page the relationships ending at its enterprises, their outgoing links to
addresses, and their violations, with the page's keys as a parameter. On
FalkorDB the default is :mod:`riskgraph.gnn.falkordb_export`, which gives the
same result from id windows and packed replies. No query touches more than one
page of enterprises, so memory on the database side stays bounded.

Node types are ``enterprise``, ``person`` and ``address``; violations are not
nodes of the exported graph but records folded into enterprise features
(:mod:`riskgraph.gnn.features`). Every node type's keys are sorted, and a node's
index is its position in that order, so two exports of the same graph give the
same ids. Edge types are ``(source type, relationship type, target type)``;
:func:`to_heterodata` adds the reverse of each as ``rev_<TYPE>``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from riskgraph import cypher
from riskgraph.errors import RiskgraphError
from riskgraph.graph.paging import enterprise_pages
from riskgraph.graph.store import GraphStore, Row
from riskgraph.memory import gc_paused

NODE_TYPES: tuple[str, ...] = ("enterprise", "person", "address")
TARGET = "enterprise"
EdgeType = tuple[str, str, str]

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
class GraphExport:
    """The exported graph: node keys, enterprise records, violations and typed edges.

    ``keys[t][i]`` is the key of node ``i`` of type ``t``. ``enterprises`` has
    one row per enterprise in key order; ``violations`` one row per violation
    with ``enterprise`` the index of its enterprise. ``edges[(s, rel, t)]`` is
    an ``int64`` array of shape ``[2, E]`` (source row, target row), without
    duplicates and sorted. ``roles`` counts ``HOLDS_POSITION`` roles as rows of
    ``(enterprise index, role)``. ``node_ids``, where the engine has them
    (FalkorDB), are the enterprises' internal ids in the same order, used to
    write scores back without a key lookup.
    """

    keys: dict[str, list[str]]
    enterprises: pd.DataFrame
    violations: pd.DataFrame
    edges: dict[EdgeType, np.ndarray]
    roles: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["enterprise", "role"])
    )
    node_ids: np.ndarray | None = None

    def num_nodes(self, node_type: str) -> int:
        return len(self.keys.get(node_type, []))

    def index(self, node_type: str) -> dict[str, int]:
        """Key → row of ``node_type``."""
        return {key: i for i, key in enumerate(self.keys.get(node_type, []))}

    def edge_counts(self) -> dict[str, int]:
        """Edges per type as ``"source|REL|target"`` → count (for reports)."""
        return {"|".join(et): int(ei.shape[1]) for et, ei in sorted(self.edges.items())}


def export_graph(
    store: GraphStore,
    *,
    page_size: int = 5000,
    in_types: Sequence[str] = IN_TYPES,
    out_types: Sequence[str] = OUT_TYPES,
    portable: bool = False,
) -> GraphExport:
    """Read every enterprise with its links and violations, page by page.

    Where the store reads id windows (FalkorDB) the export reads internal-id
    windows with packed replies (:mod:`riskgraph.gnn.falkordb_export`, which
    needs FalkorDB's ``string.join``) unless ``portable`` asks for the key-paged
    queries every engine runs, or the types asked for go beyond :data:`IN_TYPES`
    and :data:`OUT_TYPES`: pages of enterprises are read one after the other,
    and, where the store takes parallel reads (Neo4j), each page's links and
    violations on a second thread meanwhile.
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    with gc_paused():
        # the FalkorDB window queries name the default types in their patterns
        known = set(in_types) <= set(IN_TYPES) and set(out_types) <= set(OUT_TYPES)
        if store.reads_id_windows and not portable and known:
            from riskgraph.gnn.falkordb_export import export_by_id_windows

            return export_by_id_windows(
                store, page_size=page_size, in_types=in_types, out_types=out_types
            )
        return _export(store, page_size, list(in_types), list(out_types))


def _export(
    store: GraphStore, page_size: int, in_types: list[str], out_types: list[str]
) -> GraphExport:
    links = _PageLinks(store, in_types, out_types)
    collector = _Collector()
    pending: deque[Future[_Links]] = deque()
    workers = min(2, store.parallel_reads)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="export") as pool:
        for page in enterprise_pages(store, "gnn_enterprises_page", page_size=page_size):
            collector.add_records(page)
            if workers == 1:
                collector.add_links(links.read([str(row["key"]) for row in page]))
                continue
            pending.append(pool.submit(links.read, [str(row["key"]) for row in page]))
            # Fold finished pages in as they come, in submission order, so keys get
            # their provisional ids in an order that does not depend on thread timing.
            while pending and pending[0].done():
                collector.add_links(pending.popleft().result())
        while pending:
            collector.add_links(pending.popleft().result())
    return collector.finish()


@dataclass
class _Links:
    """One page's relationships (src type, src, rel, dst type, dst), roles and violations."""

    edges: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    roles: list[tuple[str, str]] = field(default_factory=list)
    violations: list[Row] = field(default_factory=list)


class _PageLinks:
    """Reads the links and violations of one page of enterprises."""

    def __init__(self, store: GraphStore, in_types: list[str], out_types: list[str]) -> None:
        self.store = store
        self.in_types = in_types
        self.out_types = out_types
        self.q_in = cypher.text("gnn_in_edges", store.dialect)
        self.q_out = cypher.text("gnn_out_edges", store.dialect)
        self.q_viol = cypher.text("gnn_violations", store.dialect)

    def read(self, keys: list[str]) -> _Links:
        found = _Links()
        if self.in_types:
            for row in self.store.read(self.q_in, keys=keys, types=self.in_types):
                src_type = _node_type(row.get("src_labels"))
                if src_type is None:
                    continue
                dst, rel = str(row["dst"]), row["type"]
                found.edges += [(src_type, str(src), rel, TARGET, dst) for src in row["srcs"]]
                found.roles += [(dst, str(role)) for role in row["roles"] or () if role]
        if self.out_types:
            for row in self.store.read(self.q_out, keys=keys, types=self.out_types):
                dst_type = _node_type(row.get("dst_labels"))
                if dst_type is None or dst_type == TARGET or row.get("dst") is None:
                    continue
                found.edges.append(
                    (TARGET, str(row["src"]), row["type"], dst_type, str(row["dst"]))
                )
        found.violations = self.store.read(self.q_viol, keys=keys)
        return found


class _Collector:
    """Folds pages into compact arrays as they arrive.

    Keys get provisional integer ids in arrival order, edges are kept as
    ``int64`` id arrays per type and enterprise attributes as columns, so the
    memory held grows with the numbers, not with Python objects per link; the
    final ids (key order) are assigned once in :meth:`finish`.
    """

    def __init__(self) -> None:
        self.ids: dict[str, dict[str, int]] = {t: {} for t in NODE_TYPES}
        self.record_ids: list[int] = []
        self.columns: dict[str, list[Any]] = {f: [] for f in ("key", *ENTERPRISE_FIELDS)}
        self.edges: dict[EdgeType, list[np.ndarray]] = {}
        self.role_ids: list[int] = []
        self.role_names: list[str] = []
        self.violations: list[pd.DataFrame] = []

    def _id(self, node_type: str, key: str) -> int:
        index = self.ids[node_type]
        return index.setdefault(key, len(index))

    def add_records(self, rows: Iterable[Row]) -> None:
        for row in rows:
            key = str(row["key"])
            self.record_ids.append(self._id(TARGET, key))
            self.columns["key"].append(key)
            for name in ENTERPRISE_FIELDS:
                self.columns[name].append(row.get(name))

    def add_edges(self, edges: Iterable[tuple[str, str, str, str, str]]) -> None:
        grouped: dict[EdgeType, tuple[list[int], list[int]]] = {}
        for src_type, src, rel, dst_type, dst in edges:
            sources, targets = grouped.setdefault((src_type, rel, dst_type), ([], []))
            sources.append(self._id(src_type, src))
            targets.append(self._id(dst_type, dst))
        for edge_type, (sources, targets) in grouped.items():
            self.edges.setdefault(edge_type, []).append(np.array([sources, targets], np.int64))

    def add_roles(self, roles: Iterable[tuple[str, str]]) -> None:
        for key, role in roles:
            self.role_ids.append(self._id(TARGET, key))
            self.role_names.append(role)

    def add_violations(self, rows: Sequence[Row]) -> None:
        if rows:
            self.violations.append(pd.DataFrame(rows, columns=["key", *VIOLATION_FIELDS]))

    def add_links(self, links: _Links) -> None:
        self.add_edges(links.edges)
        self.add_roles(links.roles)
        self.add_violations(links.violations)

    def finish(self) -> GraphExport:
        """Final ids in key order; edges deduplicated and sorted."""
        found = {t: list(self.ids[t]) for t in NODE_TYPES if t != TARGET}
        enterprise_ids = len(self.ids[TARGET])
        self.ids.clear()
        return build_export(
            self.columns,
            record_ids=np.asarray(self.record_ids, dtype=np.int64),
            enterprise_ids=enterprise_ids,
            found=found,
            edges=self.edges,
            role_ids=np.asarray(self.role_ids, dtype=np.int64),
            role_names=self.role_names,
            violations=self.violations,
        )


def build_export(
    columns: Mapping[str, Sequence[Any]],
    *,
    record_ids: np.ndarray,
    enterprise_ids: int,
    found: Mapping[str, Sequence[str]],
    edges: dict[EdgeType, list[np.ndarray]],
    role_ids: np.ndarray,
    role_names: Sequence[str],
    violations: Sequence[pd.DataFrame],
    node_ids: np.ndarray | None = None,
    found_order: Mapping[str, np.ndarray] | None = None,
) -> GraphExport:
    """Turn provisional ids into the final key-ordered ids.

    ``columns`` holds the enterprise records (``key`` and :data:`ENTERPRISE_FIELDS`),
    ``record_ids[i]`` the provisional enterprise id of record ``i`` among
    ``enterprise_ids`` ids (links may name enterprises that have no record);
    ``found[t]`` the keys of the other node types by provisional id;
    ``edges`` ``[2, E]`` arrays of provisional (source, target) ids per type,
    consumed here. Nodes of the other types that no kept edge touches are left
    out, and ``node_ids`` (the engine's ids of the records) follow the records
    into key order. ``found_order[t]``, where given, is :func:`key_order` of
    ``found[t]`` computed beforehand.
    """
    record_keys = pa.array(columns["key"], type=pa.string())
    order = key_order(record_keys)
    sorted_keys = record_keys.take(order)
    if record_keys.null_count > 1 or (
        len(sorted_keys) > 1 and pc.any(pc.equal(sorted_keys[1:], sorted_keys[:-1])).as_py()
    ):
        raise ExportError("enterprise keys repeat in the export")
    frame = pd.DataFrame(dict(columns)).iloc[order].reset_index(drop=True)
    # enterprises only seen at the end of a link are not part of the export
    rank = {TARGET: np.full(enterprise_ids, -1, dtype=np.int64)}
    rank[TARGET][record_ids[order]] = np.arange(len(order))
    keys: dict[str, list[str]] = {TARGET: frame["key"].tolist()}

    pairs: dict[EdgeType, tuple[np.ndarray, np.ndarray]] = {}
    used = {t: np.zeros(len(found[t]), dtype=bool) for t in found}
    for edge_type in sorted(edges):
        src_type, _, dst_type = edge_type
        joined = np.concatenate(edges.pop(edge_type), axis=1)
        src, dst = joined[0], joined[1]
        if src_type == TARGET:
            src = rank[TARGET][src]
        if dst_type == TARGET:
            dst = rank[TARGET][dst]
        kept = (src >= 0) & (dst >= 0)
        src, dst = src[kept], dst[kept]
        for node_type, ends in ((src_type, src), (dst_type, dst)):
            if node_type != TARGET:
                used[node_type][ends] = True
        pairs[edge_type] = (src, dst)
    for node_type, node_keys in found.items():
        all_keys = np.asarray(node_keys, dtype=object)
        if found_order is not None and node_type in found_order:
            everyone = found_order[node_type]
            kept_sorted = everyone[used[node_type][everyone]]
        else:
            kept_ids = np.flatnonzero(used[node_type])
            kept_sorted = kept_ids[key_order(all_keys[kept_ids])]
        keys[node_type] = all_keys[kept_sorted].tolist()
        rank[node_type] = np.full(len(node_keys), -1, dtype=np.int64)
        rank[node_type][kept_sorted] = np.arange(len(kept_sorted))

    final: dict[EdgeType, np.ndarray] = {}
    for edge_type, (src, dst) in pairs.items():
        src_type, _, dst_type = edge_type
        if src_type != TARGET:
            src = rank[src_type][src]
        if dst_type != TARGET:
            dst = rank[dst_type][dst]
        final[edge_type] = unique_pairs(np.stack([src, dst]), len(keys[dst_type]))

    viol = (
        pd.concat(violations, ignore_index=True)
        if violations
        else pd.DataFrame(columns=["key", *VIOLATION_FIELDS])
    )
    viol = viol.drop_duplicates(subset=["key", "vid"]) if len(viol) else viol
    viol["enterprise"] = pc.index_in(
        pa.array(viol["key"].tolist(), type=pa.string()), value_set=sorted_keys
    ).to_numpy(zero_copy_only=False)  # float with NaN where the key is not exported
    viol = viol.dropna(subset=["enterprise"]).astype({"enterprise": np.int64})
    viol = viol.sort_values(["enterprise", "vid"], kind="stable").reset_index(drop=True)

    role_rows = rank[TARGET][role_ids] if len(role_ids) else np.zeros(0, dtype=np.int64)
    kept_roles = role_rows >= 0
    roles = pd.DataFrame(
        {
            "enterprise": role_rows[kept_roles],
            "role": np.asarray(role_names, dtype=object)[kept_roles],
        }
    )
    return GraphExport(
        keys=keys,
        enterprises=frame,
        violations=viol,
        edges=final,
        roles=roles,
        node_ids=None if node_ids is None else np.asarray(node_ids, dtype=np.int64)[order],
    )


def unique_pairs(pairs: np.ndarray, width: int) -> np.ndarray:
    """Distinct columns of a ``[2, E]`` array whose second row is below ``width``,
    sorted (``np.unique(pairs, axis=1)`` as one ``int64`` sort; numpy's row-wise
    and hash-based paths were several times slower on millions of edges)."""
    width = max(width, 1)
    code = np.sort(pairs[0].astype(np.int64) * width + pairs[1])
    code = code[np.r_[True, code[1:] != code[:-1]]] if len(code) else code
    return np.stack([code // width, code % width]).astype(np.int64)


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


def assemble(
    records: Iterable[Row],
    violations: Iterable[Row],
    raw_edges: Iterable[tuple[str, str, str, str, str]],
    roles: Iterable[tuple[str, str]] = (),
) -> GraphExport:
    """Build a :class:`GraphExport` from plain rows (also used by tests and tools)."""
    collector = _Collector()
    collector.add_records(records)
    collector.add_edges(raw_edges)
    collector.add_roles(roles)
    collector.add_violations(list(violations))
    return collector.finish()


def _node_type(labels: Any) -> str | None:
    if not isinstance(labels, list | tuple):
        return None
    for label in labels:
        if label in _LABEL_TYPES:
            return _LABEL_TYPES[label]
    return None


def reverse_type(edge_type: EdgeType) -> EdgeType:
    """``(s, REL, t)`` → ``(t, rev_REL, s)``."""
    src, rel, dst = edge_type
    return (dst, f"rev_{rel}", src)
