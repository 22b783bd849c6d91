"""From an exported graph to what every model reads: the one path of training and scoring.

:func:`prepare` encodes the export with the feature pipeline (fitting it first
when training), builds the GNN's ``HeteroData`` and fixes the neighbour
aggregates the tree models and the scorecard read. Training
(:mod:`riskgraph.gnn.train`), scoring (:mod:`riskgraph.gnn.score`) and
explanations (:mod:`riskgraph.gnn.explain`) all go through it, so a model sees
the same inputs when it is scored as when it was trained.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import torch
from torch_geometric.data import HeteroData

from riskgraph.gnn.baselines import aggregate_columns, neighbour_aggregates, neighbour_values
from riskgraph.gnn.export import EdgeType, GraphExport
from riskgraph.gnn.features import EncodedGraph, FeaturePipeline
from riskgraph.gnn.heterodata import to_heterodata


@dataclass
class Inputs:
    """Everything the candidates predict from, for one exported graph.

    Neighbour aggregates are wide (hundreds of columns), so they are computed
    for the rows asked for (:meth:`extended_rows`), in chunks on large graphs;
    :attr:`extended` holds them for every enterprise, computed once on demand.
    """

    graph: GraphExport
    encoded: EncodedGraph
    data: HeteroData
    own: pd.DataFrame
    """Enterprise features before standardisation, ``[N, F]``."""
    aggregate_columns: list[str]
    """The fitted neighbour-aggregate columns (after ``own`` in the extended frame)."""
    edge_types: list[EdgeType]
    neutral: dict[str, float] = field(default_factory=dict)
    """What a masked (not applicable) own value counts as in neighbour aggregates."""
    _extended: pd.DataFrame | None = field(default=None, repr=False)
    _values: torch.Tensor | None = field(default=None, repr=False)

    @property
    def has_extended(self) -> bool:
        """Whether :attr:`extended` has been computed (and is held)."""
        return self._extended is not None

    @property
    def extended(self) -> pd.DataFrame:
        """``own`` plus neighbour aggregates per relationship type, ``[N, F + K]``."""
        if self._extended is None:
            self._extended = self.extended_rows(None)
        return self._extended

    def extended_rows(self, rows: np.ndarray | None) -> pd.DataFrame:
        """``own`` plus neighbour aggregates for ``rows`` (all when ``None``), one row each."""
        if rows is None and self._extended is not None:
            return self._extended
        if self._values is None:  # made once, shared by the chunks
            columns = aggregate_columns(list(self.own.columns))
            self._values = neighbour_values(self.own, columns, self.neutral)
        aggregates = neighbour_aggregates(
            self.graph,
            self.own,
            self.edge_types,
            min_edges=0,
            rows=rows,
            fill=self.neutral,
            values=self._values,
        ).reindex(columns=self.aggregate_columns, fill_value=0.0)
        own = self.own if rows is None else self.own.iloc[np.asarray(rows)]
        return pd.concat([own.reset_index(drop=True), aggregates.reset_index(drop=True)], axis=1)


def prepare(
    graph: GraphExport,
    pipeline: FeaturePipeline,
    *,
    as_of: date | None,
    aggregate_columns: Sequence[str] | None = None,
    min_aggregate_edges: int = 20,
) -> Inputs:
    """The inputs of ``graph`` for every model.

    Training passes a pipeline not fitted yet: it is fitted on ``graph``.
    Scoring passes the fitted pipeline of a model version and its
    ``aggregate_columns``. Without ``aggregate_columns`` the columns are those
    of the relationship types with at least ``min_aggregate_edges`` edges.
    ``as_of`` is the reference date of the timing features (default: today).
    """
    if pipeline.fitted:
        encoded = pipeline.transform(graph, as_of=as_of)
    else:
        encoded = pipeline.fit_transform(graph, as_of=as_of)
    data = to_heterodata(graph, encoded.x, pipeline.edge_types)
    own = encoded.raw
    if aggregate_columns is None:
        none = np.zeros(0, dtype=np.int64)
        found = neighbour_aggregates(
            graph, own, pipeline.edge_types, min_edges=min_aggregate_edges, rows=none
        )
        aggregate_columns = list(found.columns)
    return Inputs(
        graph=graph,
        encoded=encoded,
        data=data,
        own=own,
        aggregate_columns=list(aggregate_columns),
        edge_types=list(pipeline.edge_types),
        neutral=pipeline.neutral(),
    )
