"""From an export and its encoded features to PyTorch Geometric's ``HeteroData``.

Kept apart from :mod:`riskgraph.gnn.export` so that reading the graph needs
neither torch nor PyG (scoring imports them while the graph is read).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import torch
from torch_geometric.data import HeteroData

from riskgraph.gnn.export import NODE_TYPES, EdgeType, ExportError, GraphExport, reverse_type


def to_heterodata(
    graph: GraphExport,
    x_dict: Mapping[str, np.ndarray],
    edge_types: Sequence[EdgeType],
) -> HeteroData:
    """A PyG ``HeteroData`` with node features ``x_dict`` and the given edge types.

    Every type in ``edge_types`` is present (empty when the graph lacks it, so a
    model trained on one graph runs on another) together with its reverse;
    edge types of the graph not in ``edge_types`` are left out.
    ``data[t].x`` has shape ``[num_nodes(t), F_t]``; ``data[et].edge_index``
    has shape ``[2, E]``.
    """
    data = HeteroData()
    for node_type in NODE_TYPES:
        features = np.asarray(x_dict[node_type], dtype=np.float32)
        if features.shape[0] != graph.num_nodes(node_type):
            raise ExportError(
                f"{node_type}: {features.shape[0]} feature rows for "
                f"{graph.num_nodes(node_type)} nodes"
            )
        data[node_type].x = torch.from_numpy(np.require(features, requirements=("C", "W")))
        data[node_type].num_nodes = features.shape[0]
    for edge_type in edge_types:
        edge_index = graph.edges.get(edge_type, np.zeros((2, 0), dtype=np.int64))
        forward = torch.from_numpy(edge_index.copy())
        data[edge_type].edge_index = forward
        data[reverse_type(edge_type)].edge_index = forward.flip(0).contiguous()
    return data


def edge_index_dict(data: HeteroData) -> dict[EdgeType, torch.Tensor]:
    """``{edge type: [2, E] edge_index}``; empty (not an error) for a graph without edges."""
    return {tuple(et): data[et].edge_index for et in data.edge_types}
