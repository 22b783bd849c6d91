"""A heterogeneous GraphSAGE for enterprise risk classification.

Each node type's features are projected to ``hidden_channels``; ``num_layers``
rounds of :class:`torch_geometric.nn.HeteroConv` then pass messages along every
edge type (both directions: the export adds ``rev_<TYPE>``) with one
:class:`torch_geometric.nn.SAGEConv` per edge type. Neighbour messages are
aggregated with several aggregators at once (``mean`` and ``sum`` by default:
the mean says what the neighbours are like, the sum how many there are), and
relation outputs are summed per node type. A jumping-knowledge head reads the
enterprise's own projection and every layer's state, so the model can fall
back on the enterprise's own features where the neighbourhood says nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, cast

import torch
from torch import Tensor, nn
from torch_geometric.nn import HeteroConv, SAGEConv

from riskgraph.gnn.export import EdgeType

Metadata = tuple[list[str], list[EdgeType]]


@dataclass(frozen=True)
class HeteroSAGEConfig:
    """Hyper-parameters of :class:`HeteroSAGE` (saved with the model)."""

    hidden_channels: int = 64
    num_layers: int = 2
    aggr: tuple[str, ...] = ("mean", "sum")
    dropout: float = 0.3

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HeteroSAGEConfig:
        return cls(
            hidden_channels=int(data["hidden_channels"]),
            num_layers=int(data["num_layers"]),
            aggr=tuple(str(a) for a in data["aggr"]),
            dropout=float(data["dropout"]),
        )


class HeteroSAGE(nn.Module):
    r"""Heterogeneous GraphSAGE with multi-aggregation and a jumping-knowledge head.

    Args:
        metadata: ``(node_types, edge_types)``, as ``HeteroData.metadata()`` gives.
        in_channels: input feature size ``F_t`` of each node type.
        out_channels: number of classes ``C``.
        config: hidden size, depth, aggregators and dropout.
        target: the node type that is classified.

    Shapes:
        - **input:** ``x_dict[t]``: ``[N_t, F_t]``; ``edge_index_dict[et]``: ``[2, E_et]``
        - **output:** logits ``[N_target, C]``
    """

    def __init__(
        self,
        metadata: Metadata,
        in_channels: dict[str, int],
        out_channels: int,
        config: HeteroSAGEConfig | None = None,
        *,
        target: str = "enterprise",
    ) -> None:
        super().__init__()
        self.config = config or HeteroSAGEConfig()
        self.target = target
        node_types, edge_types = metadata
        self.node_types = list(node_types)
        self.edge_types = [tuple(et) for et in edge_types]
        hidden = self.config.hidden_channels
        self.inputs = nn.ModuleDict({t: nn.Linear(in_channels[t], hidden) for t in self.node_types})
        self.convs = nn.ModuleList()
        self.norms = nn.ModuleList()
        # without any edge type there is nothing to pass: the head reads the projection only
        for _ in range(self.config.num_layers if self.edge_types else 0):
            convs = {
                et: SAGEConv(hidden, hidden, aggr=list(self.config.aggr)) for et in self.edge_types
            }
            self.convs.append(HeteroConv(convs, aggr="sum"))
            self.norms.append(nn.ModuleDict({t: nn.LayerNorm(hidden) for t in self.node_types}))
        self.dropout = nn.Dropout(self.config.dropout)
        self.head = nn.Sequential(
            nn.Linear(hidden * (len(self.convs) + 1), hidden),
            nn.ReLU(),
            nn.Dropout(self.config.dropout),
            nn.Linear(hidden, out_channels),
        )

    def forward(self, x_dict: dict[str, Tensor], edge_index_dict: dict[Any, Tensor]) -> Tensor:
        """Logits ``[N_target, C]`` for every node of the target type."""
        h = {t: self.dropout(torch.relu(self.inputs[t](x))) for t, x in x_dict.items()}
        states = [h[self.target]]
        edges = {et: ei for et, ei in edge_index_dict.items() if tuple(et) in self.edge_types}
        for conv, layer_norms in zip(self.convs, self.norms, strict=True):
            norms = cast(nn.ModuleDict, layer_norms)
            out = conv(h, edges)
            h = {
                t: self.dropout(torch.relu(norms[t](out[t] + h[t]))) if t in out else h[t]
                for t in h
            }
            states.append(h[self.target])
        logits: Tensor = self.head(torch.cat(states, dim=-1))
        return logits


def build(
    metadata: Metadata,
    in_channels: dict[str, int],
    out_channels: int,
    config: HeteroSAGEConfig,
    *,
    target: str = "enterprise",
) -> HeteroSAGE:
    """A fresh model (the constructor, under the name train and score share)."""
    return HeteroSAGE(metadata, in_channels, out_channels, config, target=target)


def edge_types_of(names: Sequence[Sequence[str]]) -> list[EdgeType]:
    """Edge types from JSON lists."""
    return [(str(a), str(b), str(c)) for a, b, c in names]
