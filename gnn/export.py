"""The risk model's graph as arrays: enterprises, violations, typed edges, stable ids.

:func:`export_graph` asks the store for every enterprise with its links, roles
and violations (:meth:`GraphStore.read_export
<riskgraph.graph.store.GraphStore.read_export>`: plain arrays and rows, read the
way the engine reads fastest) and turns them into a :class:`GraphExport`.

Node types are ``enterprise``, ``person`` and ``address``; violations are not
nodes of the exported graph but records folded into enterprise features
(:mod:`riskgraph.gnn.features`). Every node type's keys are sorted, and a node's
index is its position in that order, so two exports of the same graph give the
same ids. Edge types are ``(source type, relationship type, target type)``;
:func:`~riskgraph.gnn.heterodata.to_heterodata` adds the reverse of each as
``rev_<TYPE>``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from riskgraph.graph.risk_export import (
    NODE_TYPES,
    TARGET,
    VIOLATION_FIELDS,
    EdgeType,
    ExportError,
    RawExport,
    key_order,
)
from riskgraph.graph.store import GraphStore
from riskgraph.memory import gc_paused

# the node types, the target, edge types and the error are the graph's: named here too
__all__ = [
    "NODE_TYPES",
    "TARGET",
    "EdgeType",
    "ExportError",
    "GraphExport",
    "build_export",
    "export_graph",
    "reverse_type",
    "unique_pairs",
]


@dataclass
class GraphExport:
    """The exported graph: node keys, enterprise records, violations and typed edges.

    ``keys[t][i]`` is the key of node ``i`` of type ``t``. ``enterprises`` has
    one row per enterprise in key order; ``violations`` one row per violation
    with ``enterprise`` the index of its enterprise. ``edges[(s, rel, t)]`` is
    an ``int64`` array of shape ``[2, E]`` (source row, target row), without
    duplicates and sorted. ``roles`` counts ``HOLDS_POSITION`` roles as rows of
    ``(enterprise index, role)``. ``node_ids``, where the store's export reads
    them, are the enterprises' internal ids in the same order, used to write
    scores back without a key lookup.
    """

    keys: dict[str, list[str]]
    enterprises: pd.DataFrame
    violations: pd.DataFrame
    edges: dict[EdgeType, np.ndarray]
    roles: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["enterprise", "role"])
    )
    node_ids: np.ndarray | None = None
    link_totals: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    """Only in a neighbourhood export (:mod:`riskgraph.gnn.khop`), whose persons and
    addresses may have links outside it: ``(node type, measure)`` → each row's count
    in the whole graph (``-1``: count the export's links). Measures: ``firms`` (a
    person's distinct enterprises), ``LEGAL_REP_OF`` (a person's represented
    enterprises), ``REGISTERED_AT`` (an address's enterprises)."""

    def num_nodes(self, node_type: str) -> int:
        return len(self.keys.get(node_type, []))

    def index(self, node_type: str) -> dict[str, int]:
        """Key → row of ``node_type``."""
        return {key: i for i, key in enumerate(self.keys.get(node_type, []))}

    def edge_counts(self) -> dict[str, int]:
        """Edges per type as ``"source|REL|target"`` → count (for reports)."""
        return {"|".join(et): int(ei.shape[1]) for et, ei in sorted(self.edges.items())}


def export_graph(store: GraphStore, *, page_size: int = 5000) -> GraphExport:
    """Read every enterprise with its links and violations, about ``page_size`` at a time."""
    with gc_paused():
        return build_export(store.read_export(page_size=page_size))


def build_export(raw: RawExport) -> GraphExport:
    """Turn the provisional ids of ``raw`` into the final key-ordered ids.

    Enterprises only seen at the end of a link are not part of the export, nor
    are nodes of the other types that no kept edge touches; ``raw.node_ids``
    follow the records into key order. ``raw.edges`` is consumed here.
    """
    sorted_keys, order = _key_order_of_records(raw.columns["key"])
    frame = pd.DataFrame(dict(raw.columns)).iloc[order].reset_index(drop=True)
    rank = {TARGET: np.full(raw.enterprise_ids, -1, dtype=np.int64)}
    rank[TARGET][raw.record_ids[order]] = np.arange(len(order))
    keys: dict[str, list[str]] = {TARGET: frame["key"].tolist()}
    pairs, used = _kept_pairs(raw.edges, rank[TARGET], raw.found)
    for node_type, node_keys in raw.found.items():
        ranked = (raw.found_order or {}).get(node_type)
        keys[node_type], rank[node_type] = _kept_keys(node_keys, used[node_type], ranked)
    edges: dict[EdgeType, np.ndarray] = {}
    for edge_type, (src, dst) in pairs.items():
        src_type, _, dst_type = edge_type
        if src_type != TARGET:
            src = rank[src_type][src]
        if dst_type != TARGET:
            dst = rank[dst_type][dst]
        edges[edge_type] = unique_pairs(np.stack([src, dst]), len(keys[dst_type]))
    return GraphExport(
        keys=keys,
        enterprises=frame,
        violations=_violations(raw.violations, sorted_keys),
        edges=edges,
        roles=_roles(raw.role_ids, raw.role_names, rank[TARGET]),
        node_ids=None if raw.node_ids is None else np.asarray(raw.node_ids, np.int64)[order],
    )


def _key_order_of_records(record_keys: Sequence[Any]) -> tuple[pa.Array, np.ndarray]:
    """The records' keys sorted, and the order that sorts them; repeated keys are refused."""
    keys = pa.array(record_keys, type=pa.string())
    order = key_order(keys)
    sorted_keys = keys.take(order)
    if keys.null_count > 1 or (
        len(sorted_keys) > 1 and pc.any(pc.equal(sorted_keys[1:], sorted_keys[:-1])).as_py()
    ):
        raise ExportError("enterprise keys repeat in the export")
    return sorted_keys, order


def _kept_pairs(
    edges: dict[EdgeType, list[np.ndarray]],
    enterprise_rank: np.ndarray,
    found: Mapping[str, Sequence[str]],
) -> tuple[dict[EdgeType, tuple[np.ndarray, np.ndarray]], dict[str, np.ndarray]]:
    """Per edge type, the (source, target) pairs whose enterprises are exported
    (enterprise ends already final, others provisional), and which provisional
    nodes of the other types they touch. Consumes ``edges``."""
    pairs: dict[EdgeType, tuple[np.ndarray, np.ndarray]] = {}
    used = {t: np.zeros(len(found[t]), dtype=bool) for t in found}
    for edge_type in sorted(edges):
        src_type, _, dst_type = edge_type
        joined = np.concatenate(edges.pop(edge_type), axis=1)
        src, dst = joined[0], joined[1]
        if src_type == TARGET:
            src = enterprise_rank[src]
        if dst_type == TARGET:
            dst = enterprise_rank[dst]
        kept = (src >= 0) & (dst >= 0)
        src, dst = src[kept], dst[kept]
        for node_type, ends in ((src_type, src), (dst_type, dst)):
            if node_type != TARGET:
                used[node_type][ends] = True
        pairs[edge_type] = (src, dst)
    return pairs, used


def _kept_keys(
    node_keys: Sequence[str], used: np.ndarray, ranked: np.ndarray | None
) -> tuple[list[str], np.ndarray]:
    """The used nodes' keys in key order, and each provisional id's final row
    (``-1``: left out). ``ranked``, where given, is :func:`key_order` of ``node_keys``."""
    all_keys = np.asarray(node_keys, dtype=object)
    if ranked is not None:
        kept_sorted = ranked[used[ranked]]
    else:
        kept_ids = np.flatnonzero(used)
        kept_sorted = kept_ids[key_order(all_keys[kept_ids])]
    rank = np.full(len(node_keys), -1, dtype=np.int64)
    rank[kept_sorted] = np.arange(len(kept_sorted))
    return all_keys[kept_sorted].tolist(), rank


def _violations(blocks: Sequence[Mapping[str, list[Any]]], sorted_keys: pa.Array) -> pd.DataFrame:
    """One row per violation of an exported enterprise (``enterprise``: its row),
    repeated records dropped, by enterprise and ``vid``."""
    names = ["key", *VIOLATION_FIELDS]
    viol = (
        pd.concat([pd.DataFrame(block, columns=names) for block in blocks], ignore_index=True)
        if blocks
        else pd.DataFrame(columns=names)
    )
    viol = viol.drop_duplicates(subset=["key", "vid"]) if len(viol) else viol
    viol["enterprise"] = pc.index_in(
        pa.array(viol["key"].tolist(), type=pa.string()), value_set=sorted_keys
    ).to_numpy(zero_copy_only=False)  # float with NaN where the key is not exported
    viol = viol.dropna(subset=["enterprise"]).astype({"enterprise": np.int64})
    return viol.sort_values(["enterprise", "vid"], kind="stable").reset_index(drop=True)


def _roles(role_ids: np.ndarray, role_names: Sequence[str], rank: np.ndarray) -> pd.DataFrame:
    """``(enterprise row, role)`` of the roles held at exported enterprises."""
    role_rows = rank[role_ids] if len(role_ids) else np.zeros(0, dtype=np.int64)
    kept = role_rows >= 0
    return pd.DataFrame(
        {"enterprise": role_rows[kept], "role": np.asarray(role_names, dtype=object)[kept]}
    )


def unique_pairs(pairs: np.ndarray, width: int) -> np.ndarray:
    """Distinct columns of a ``[2, E]`` array whose second row is below ``width``,
    sorted (``np.unique(pairs, axis=1)`` as one ``int64`` sort; numpy's row-wise
    and hash-based paths were several times slower on millions of edges)."""
    width = max(width, 1)
    code = np.sort(pairs[0].astype(np.int64) * width + pairs[1])
    code = code[np.r_[True, code[1:] != code[:-1]]] if len(code) else code
    return np.stack([code // width, code % width]).astype(np.int64)


def reverse_type(edge_type: EdgeType) -> EdgeType:
    """``(s, REL, t)`` → ``(t, rev_REL, s)``."""
    src, rel, dst = edge_type
    return (dst, f"rev_{rel}", src)
