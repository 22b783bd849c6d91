"""The export of the neighbourhood one firm's score depends on, instead of the whole graph.

A model version reads, for one enterprise:

- the heterogeneous GNN of ``L`` layers: the features of every node within ``L``
  hops, and every link of the nodes within ``L - 1`` hops (its neighbour means
  and sums);
- LightGBM on graph features and the scorecard: the own features of the firms
  one hop away through firm–firm links and two hops away through a shared person
  or address (the neighbour aggregates);
- LightGBM on own features: the firm's own features.

A node's features are exact when its record, its violations and all its links
are read, and, for an enterprise, the whole-graph link totals of its persons and
addresses. :func:`export_neighbourhood` therefore reads every node within the
model's depth with all its links (the nodes one hop further come along as the
ends of those links) and the totals of every person and address met
(:func:`riskgraph.graph.risk_neighbourhood.read_neighbourhood`), and builds the
same :class:`~riskgraph.gnn.export.GraphExport` as the whole-graph export does,
so the model's pipeline runs unchanged and the seeds' scores equal the
whole graph's (tests/gnn/test_gnn_khop.py) unless a hub was capped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from riskgraph.gnn.bundle import ENSEMBLE, GNN_MODELS, Bundle
from riskgraph.gnn.export import GraphExport, build_export
from riskgraph.graph.risk_neighbourhood import (
    DEFAULT_CAP,
    Capped,
    Neighbourhood,
    read_neighbourhood,
)
from riskgraph.graph.store import GraphStore
from riskgraph.memory import gc_paused

AGGREGATE_DEPTH = 2
"""Neighbour aggregates reach firms two hops away (through a shared person or address)."""


@dataclass
class NeighbourhoodExport:
    """A neighbourhood's export, its depth and the hubs that were sampled."""

    graph: GraphExport
    depth: int
    capped: list[Capped] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        """Whether every link was read (no hub sampled): scores equal the whole graph's."""
        return not self.capped

    def sampled(self) -> list[dict[str, object]]:
        """The sampled hubs as plain rows (for answers and logs)."""
        return [
            {"type": c.type, "key": c.key, "relation": c.relation, "total": c.total, "read": c.read}
            for c in self.capped
        ]


def model_depth(bundle: Bundle, name: str | None = None) -> int:
    """The hops model ``name`` (default: the selected one) reads around a firm."""
    name = name or bundle.selected
    model = bundle.models.get(name)
    if name in GNN_MODELS:
        return int(model.config.num_layers) if model is not None else AGGREGATE_DEPTH
    if name == ENSEMBLE:
        members = list(model) if isinstance(model, dict) else []
        return max((model_depth(bundle, m) for m in members), default=AGGREGATE_DEPTH)
    if name == "lgbm_own":
        return 0
    return AGGREGATE_DEPTH


def export_neighbourhood(
    store: GraphStore,
    bundle: Bundle,
    keys: Sequence[str],
    *,
    model: str | None = None,
    cap: int = DEFAULT_CAP,
) -> NeighbourhoodExport:
    """The export of what ``model`` (default: the selected one) reads to score ``keys``."""
    depth = model_depth(bundle, model)
    person_types = [
        rel
        for src, rel, dst in bundle.pipeline.edge_types
        if src == "person" and dst == "enterprise"
    ]
    with gc_paused():
        found = read_neighbourhood(store, keys, depth=depth, person_types=person_types, cap=cap)
        graph = to_export(found)
    return NeighbourhoodExport(graph, depth, found.capped)


def to_export(found: Neighbourhood) -> GraphExport:
    """``found`` as a :class:`GraphExport`, with its persons' and addresses' totals."""
    graph = build_export(found.raw)
    for (node_type, measure), counts in found.totals.items():
        rows = np.full(graph.num_nodes(node_type), -1, dtype=np.int64)
        index = graph.index(node_type)
        for key, count in counts.items():
            at = index.get(key)
            if at is not None:
                rows[at] = count
        graph.link_totals[(node_type, measure)] = rows
    return graph
