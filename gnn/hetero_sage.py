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

import numpy as np
import torch
from torch import Tensor, nn
from torch.nn import functional
from torch_geometric.nn import HeteroConv, SAGEConv
from torch_geometric.nn.aggr import MeanAggregation, SumAggregation

from riskgraph.gnn.export import EdgeType
from riskgraph.gnn.sampling import DestinationIndex, destination_index

Metadata = tuple[list[str], list[EdgeType]]

INFERENCE_CHUNK_SIZE = 65_536
"""Destination rows per chunk of :meth:`HeteroSAGE.inference`."""


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

    def forward(
        self,
        x_dict: dict[str, Tensor],
        edge_index_dict: dict[Any, Tensor],
        *,
        depth_dict: dict[str, Tensor] | None = None,
    ) -> Tensor:
        """Logits for every target node, or with ``depth_dict`` for the seeds only.

        Without ``depth_dict``: logits ``[N_target, C]`` for every node of the
        target type, every layer computed for every node.

        With ``depth_dict`` (a sampled subgraph's
        :attr:`~riskgraph.gnn.sampling.Subgraph.depth`): logits ``[S, C]`` for
        the ``S`` target rows of depth ``0`` (the seeds, the first rows), and
        layer ``l`` of ``L`` computes new states only for the nodes of depth at
        most ``L - l``, the only ones a later layer or the head reads; in eval
        mode the seeds get the same logits as without ``depth_dict``.

        Args:
            x_dict: ``x_dict[t]``: ``[N_t, F_t]``.
            edge_index_dict: ``edge_index_dict[et]``: ``[2, E_et]`` (local rows).
            depth_dict: ``depth_dict[t]``: ``[N_t]``, non-decreasing, each node's
                hop distance from the seeds; every edge must end at a node of
                depth ``d`` and start at one of depth at most ``d + 1`` (as
                :class:`~riskgraph.gnn.sampling.NeighbourSampler` gives).
        """
        if depth_dict is not None:
            return self._forward_trimmed(x_dict, edge_index_dict, depth_dict)
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

    def _forward_trimmed(
        self,
        x_dict: dict[str, Tensor],
        edge_index_dict: dict[Any, Tensor],
        depth_dict: dict[str, Tensor],
    ) -> Tensor:
        """:meth:`forward` for the seeds only, each layer on the rows still needed.

        Before layer ``l`` (1-based) the state ``h[t]`` holds the rows of depth at
        most ``L - l + 1`` (every source an active destination reads); layer ``l``
        keeps the rows of depth at most ``L - l`` and computes their new states
        from the edges that end there, with the bipartite form
        ``conv((h_src, h_dst_active), edge_index, size=(N_src, N_active))``.
        """
        num_layers = len(self.convs)
        # rows_within[t][d]: rows of type t of depth <= d, a prefix as depths are sorted
        rows_within = {t: _rows_within_depth(depth_dict[t], num_layers, t) for t in x_dict}
        h = {
            t: self.dropout(torch.relu(self.inputs[t](x[: rows_within[t][num_layers]])))
            for t, x in x_dict.items()
        }
        num_seeds = rows_within[self.target][0]
        states = [h[self.target][:num_seeds]]
        present = {tuple(et): ei for et, ei in edge_index_dict.items()}
        for layer, (conv, layer_norms) in enumerate(zip(self.convs, self.norms, strict=True)):
            norms = cast(nn.ModuleDict, layer_norms)
            budget = num_layers - layer - 1  # the depth up to which this layer's states are read
            relation_outputs: dict[str, list[Tensor]] = {}
            relation_convs = cast(HeteroConv, conv).convs
            # keys(), not iteration: PyG's ModuleDict iterates over its internal string keys
            for edge_type in relation_convs.keys():  # noqa: SIM118
                if edge_type not in present:
                    continue
                src_type, _, dst_type = edge_type
                num_active = rows_within[dst_type][budget]
                edge_index = present[edge_type]
                if num_active < h[dst_type].shape[0]:
                    edge_index = edge_index[:, edge_index[1] < num_active]
                src_state = h[src_type]
                relation_outputs.setdefault(dst_type, []).append(
                    relation_convs[edge_type](
                        (src_state, h[dst_type][:num_active]),
                        edge_index,
                        size=(src_state.shape[0], num_active),
                    )
                )
            updated: dict[str, Tensor] = {}
            for node_type, state in h.items():
                active_state = state[: rows_within[node_type][budget]]
                outputs = relation_outputs.get(node_type)
                if outputs is None:  # no relation ends here: as forward, unchanged
                    updated[node_type] = active_state
                    continue
                # HeteroConv(aggr="sum") groups relation outputs exactly so
                out = outputs[0] if len(outputs) == 1 else torch.stack(outputs, dim=0).sum(dim=0)
                updated[node_type] = self.dropout(torch.relu(norms[node_type](out + active_state)))
            h = updated
            states.append(h[self.target][:num_seeds])
        logits: Tensor = self.head(torch.cat(states, dim=-1))
        return logits

    @torch.no_grad()
    def inference(
        self,
        x_dict: dict[str, Tensor],
        edge_index_dict: dict[Any, Tensor],
        *,
        chunk_size: int = INFERENCE_CHUNK_SIZE,
        indexes: dict[EdgeType, DestinationIndex] | None = None,
    ) -> Tensor:
        r"""Exact eval-mode logits of every target node, layer by layer in chunks.

        The same function as :meth:`forward` in eval mode, computed without
        holding every edge's messages at once: each layer's states are computed
        for all nodes before the next layer, ``chunk_size`` destination rows at
        a time, each chunk reading its incoming edges from a CSR index by
        destination. Peak memory is about two ``[N_t, hidden]`` state copies
        per node type, one ``[N_target, hidden]`` head buffer and one chunk's
        messages. The last layer is only computed for the target type, the
        only one the head reads.

        Args:
            x_dict: ``x_dict[t]``: ``[N_t, F_t]``.
            edge_index_dict: ``edge_index_dict[et]``: ``[2, E_et]``.
            chunk_size: destination rows per chunk.
            indexes: prebuilt :func:`~riskgraph.gnn.sampling.destination_index`
                per edge type (built from ``edge_index_dict`` when absent).

        Returns:
            logits ``[N_target, C]``.
        """
        if chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        was_training = self.training
        self.eval()
        try:
            known = indexes if indexes is not None else {}
            return self._inference(x_dict, edge_index_dict, chunk_size, known)
        finally:
            self.train(was_training)

    def _inference(
        self,
        x_dict: dict[str, Tensor],
        edge_index_dict: dict[Any, Tensor],
        chunk_size: int,
        indexes: dict[EdgeType, DestinationIndex],
    ) -> Tensor:
        device = next(self.parameters()).device
        hidden = self.config.hidden_channels
        h = self._projected(x_dict, chunk_size, device)
        present = {tuple(et): ei for et, ei in edge_index_dict.items()}
        # the head's first Linear reads [state_0 | state_1 | ...]: accumulate it block by block
        first = cast(nn.Linear, self.head[0])
        head_input = torch.empty(h[self.target].shape[0], hidden, device=device)
        for start in range(0, head_input.shape[0], chunk_size):
            rows = slice(start, start + chunk_size)
            head_input[rows] = functional.linear(
                h[self.target][rows], first.weight[:, :hidden], first.bias
            )
        for layer, (conv, layer_norms) in enumerate(zip(self.convs, self.norms, strict=True)):
            norms = cast(nn.ModuleDict, layer_norms)
            incoming: dict[str, list[EdgeType]] = {}
            # keys(), not iteration: PyG's ModuleDict iterates over its internal string keys
            for edge_type in cast(HeteroConv, conv).convs.keys():  # noqa: SIM118
                if edge_type in present:
                    incoming.setdefault(edge_type[2], []).append(edge_type)
            last = layer == len(self.convs) - 1
            updated: dict[str, Tensor] = {}
            for node_type, state in h.items():
                if node_type not in incoming:
                    updated[node_type] = state  # no relation ends here: as forward, unchanged
                    continue
                if last and node_type != self.target:
                    continue
                for edge_type in incoming[node_type]:
                    if edge_type not in indexes:
                        src = edge_type[0]
                        indexes[edge_type] = destination_index(
                            present[edge_type], h[src].shape[0], state.shape[0]
                        )
                updated[node_type] = self._layer_states(
                    cast(HeteroConv, conv),
                    cast(nn.LayerNorm, norms[node_type]),
                    h,
                    node_type,
                    [(et, indexes[et]) for et in incoming[node_type]],
                    chunk_size,
                )
            h = updated
            block = first.weight[:, (layer + 1) * hidden : (layer + 2) * hidden]
            for start in range(0, head_input.shape[0], chunk_size):
                rows = slice(start, start + chunk_size)
                head_input[rows] += functional.linear(h[self.target][rows], block)
        rest = self.head[1:]
        logits = [
            rest(head_input[start : start + chunk_size])
            for start in range(0, head_input.shape[0], chunk_size)
        ]
        return torch.cat(logits) if logits else rest(head_input)

    def _projected(
        self, x_dict: dict[str, Tensor], chunk_size: int, device: torch.device
    ) -> dict[str, Tensor]:
        """Every node type's input projection ``[N_t, hidden]``, chunk by chunk."""
        h: dict[str, Tensor] = {}
        for node_type, x in x_dict.items():
            projection = self.inputs[node_type]
            h[node_type] = torch.empty(x.shape[0], self.config.hidden_channels, device=device)
            for start in range(0, x.shape[0], chunk_size):
                rows = slice(start, start + chunk_size)
                h[node_type][rows] = torch.relu(projection(x[rows].to(device)))
        return h

    def _layer_states(
        self,
        conv: HeteroConv,
        norm: nn.LayerNorm,
        h: dict[str, Tensor],
        node_type: str,
        incoming: list[tuple[EdgeType, DestinationIndex]],
        chunk_size: int,
    ) -> Tensor:
        """One layer's new states ``[N_t, hidden]`` of ``node_type``, chunk by chunk."""
        convs = [cast(SAGEConv, conv.convs[et]) for et, _ in incoming]
        fused = _FusedSAGE.of(convs)
        state = h[node_type]
        out_state = torch.empty_like(state)
        for start in range(0, state.shape[0], chunk_size):
            stop = min(start + chunk_size, state.shape[0])
            dst_state = state[start:stop]
            if fused is not None:
                out = fused(
                    h, dst_state, [(et, index.block(start, stop)) for et, index in incoming]
                )
            else:
                outputs = []
                for (edge_type, index), sage in zip(incoming, convs, strict=True):
                    sources, local = index.block(start, stop)
                    edge_index = torch.from_numpy(np.stack([sources, local])).to(state.device)
                    src_state = h[edge_type[0]]
                    outputs.append(
                        sage(
                            (src_state, dst_state),
                            edge_index,
                            size=(src_state.shape[0], stop - start),
                        )
                    )
                # HeteroConv(aggr="sum") groups relation outputs exactly so
                out = outputs[0] if len(outputs) == 1 else torch.stack(outputs, dim=0).sum(dim=0)
            out_state[start:stop] = torch.relu(norm(out + dst_state))
        return out_state


class _FusedSAGE:
    """The sum over edge types of :class:`SAGEConv` outputs, with fewer, larger products.

    For mean/sum aggregators (concatenated) and a root weight, each relation's
    output is ``W_l [agg_1 | agg_2 | …] + b_l + W_r x``. Every aggregator here
    is the neighbour sum scaled per row (``mean = sum / max(count, 1)``), so a
    relation needs its neighbour sums once and one product per ``W_l`` block,
    accumulated in place, and the root terms of all relations are one product
    with the summed ``W_r``. Equal to calling the convolutions (up to float
    rounding).
    """

    def __init__(self, convs: list[SAGEConv], names: list[list[str]]) -> None:
        # per relation: [(aggregator, its W_l block transposed [in, out])]
        self.blocks: list[list[tuple[str, Tensor]]] = []
        for sage, aggrs in zip(convs, names, strict=True):
            out_channels, width = sage.lin_l.weight.shape
            hidden = width // len(aggrs)
            blocks = sage.lin_l.weight.view(out_channels, len(aggrs), hidden)
            self.blocks.append(
                [(name, blocks[:, i, :].t().contiguous()) for i, name in enumerate(aggrs)]
            )
        self.root = torch.stack([sage.lin_r.weight for sage in convs]).sum(dim=0).t().contiguous()
        # every relation's W_l and W_r biases, summed once
        biases = [sage.lin_r.bias for sage in convs if sage.lin_r.bias is not None]
        biases += [sage.lin_l.bias for sage in convs if sage.lin_l.bias is not None]
        self.bias = torch.stack(biases).sum(dim=0) if biases else None

    @classmethod
    def of(cls, convs: list[SAGEConv]) -> _FusedSAGE | None:
        """The fused form, or None where a convolution is of another kind."""
        names = []
        for sage in convs:
            aggrs = _sum_based_aggregators(sage)
            if aggrs is None or sage.project or sage.normalize or not sage.root_weight:
                return None
            names.append(aggrs)
        return cls(convs, names) if convs else None

    def __call__(
        self,
        h: dict[str, Tensor],
        dst_state: Tensor,
        blocks: list[tuple[EdgeType, tuple[np.ndarray, np.ndarray]]],
    ) -> Tensor:
        rows = dst_state.shape[0]
        out = dst_state @ self.root
        if self.bias is not None:
            out += self.bias
        for (edge_type, (sources, local)), weights in zip(blocks, self.blocks, strict=True):
            src_state = h[edge_type[0]]
            index = torch.from_numpy(local).to(dst_state.device)
            total = torch.zeros(rows, src_state.shape[1], device=dst_state.device)
            total.index_add_(
                0, index, src_state.index_select(0, torch.from_numpy(sources).to(dst_state.device))
            )
            for name, weight in weights:
                if name == "sum":
                    out.addmm_(total, weight)
                else:  # mean: the sum over max(count, 1)
                    counts = torch.bincount(index, minlength=rows).clamp_(min=1)
                    out.addmm_(total / counts.to(total.dtype).unsqueeze(1), weight)
        return out


def _sum_based_aggregators(sage: SAGEConv) -> list[str] | None:
    """``["mean", "sum", …]`` of a SAGEConv whose aggregators all derive from the sum."""
    module = sage.aggr_module
    parts = getattr(module, "aggrs", None)
    if parts is None:
        parts = [module]
    elif getattr(module, "mode", None) != "cat":
        return None
    known = {MeanAggregation: "mean", SumAggregation: "sum"}
    names = [known.get(type(part)) for part in parts]
    return None if None in names else cast(list[str], names)


def _rows_within_depth(depth: Tensor, max_depth: int, node_type: str) -> list[int]:
    """``[r_0, ..., r_max_depth]``: how many of the rows (sorted by ``depth`` ``[N]``) have
    depth at most ``d``, i.e. the length of the prefix of rows that depth ``d`` keeps."""
    if depth.numel() > 1 and bool((depth[1:] < depth[:-1]).any()):
        raise ValueError(f"depth_dict[{node_type!r}] must be non-decreasing (rows by depth)")
    bounds = torch.arange(max_depth + 1, dtype=depth.dtype, device=depth.device)
    return [int(n) for n in torch.searchsorted(depth, bounds, right=True).tolist()]


def edge_types_of(names: Sequence[Sequence[str]]) -> list[EdgeType]:
    """Edge types from JSON lists."""
    return [(str(a), str(b), str(c)) for a, b, c in names]
