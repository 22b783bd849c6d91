"""Neighbour sampling for mini-batch training on graphs too large for full batches.

PyG's ``NeighborLoader`` needs ``pyg-lib`` or ``torch-sparse``; this module does
the same job with NumPy. Every message-passing edge type gets a
:class:`DestinationIndex` (CSR by destination: for each destination node, the
sources of its incoming edges), built once per graph. A
:class:`NeighbourSampler` then expands a batch of seed rows hop by hop: at hop
``h`` every node first reached at hop ``h - 1`` (the seeds at hop 1) keeps up to
``fanouts[h - 1]`` of its incoming edges per edge type, drawn uniformly without
replacement. Each node is expanded once, at the first hop that reaches it, so no
edge is drawn twice for the same destination, and with fanouts at least the
maximum in-degree the sample is the seeds' whole ``len(fanouts)``-hop
computation graph: a ``len(fanouts)``-layer model then gives the seeds the same
outputs on the sample as on the full graph.

The sampler also records each node's *depth*, the hop that first reached it
(``0`` for the seeds), and orders every type's nodes by depth. An edge drawn at
hop ``h`` ends at a node of depth ``h - 1`` and starts at one of depth at most
``h``, so an ``L``-layer model needs layer ``l``'s states only for the nodes of
depth at most ``L - l``, a prefix of each type's rows: :meth:`HeteroSAGE.forward
<riskgraph.gnn.hetero_sage.HeteroSAGE.forward>` with ``depth_dict`` computes
only those ("trimming" the subgraph layer by layer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor
from torch_geometric.data import HeteroData

from riskgraph.gnn.export import TARGET, EdgeType

_Drawn = tuple[np.ndarray, np.ndarray]
"""Edges drawn at one hop: ``(source rows, destination rows)``."""


@dataclass(frozen=True)
class DestinationIndex:
    """The edges of one edge type in CSR order by destination.

    The sources of destination ``d``'s incoming edges are
    ``sources[indptr[d]:indptr[d + 1]]``, in the edges' original order.

    Shapes:
        - ``indptr``: ``[N_dst + 1]`` (``int64``)
        - ``sources``: ``[E]`` (``int64``, rows of the source type)
    """

    indptr: np.ndarray
    sources: np.ndarray
    num_sources: int

    def block(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """Edges ending at destination rows ``start .. stop - 1``.

        Returns ``(sources, local_destinations)``, both ``[E_block]`` ``int64``;
        a local destination is the row minus ``start``.
        """
        lo, hi = int(self.indptr[start]), int(self.indptr[stop])
        counts = np.diff(self.indptr[start : stop + 1])
        local = np.repeat(np.arange(stop - start, dtype=np.int64), counts)
        return self.sources[lo:hi], local


def destination_index(
    edge_index: Tensor | np.ndarray, num_sources: int, num_destinations: int
) -> DestinationIndex:
    """Sort ``edge_index`` (``[2, E]``: source row, destination row) by destination.

    A stable sort, so each destination's sources keep the edges' order; an
    edge list already sorted by destination (the ``rev_*`` types of an export)
    is taken as it is, in ``O(E)``.
    """
    if isinstance(edge_index, Tensor):
        edge_index = edge_index.detach().cpu().numpy()
    src = np.asarray(edge_index[0], dtype=np.int64)
    dst = np.asarray(edge_index[1], dtype=np.int64)
    counts = np.bincount(dst, minlength=num_destinations)
    if len(counts) > num_destinations:
        raise ValueError(f"a destination row is >= num_destinations ({num_destinations})")
    indptr = np.zeros(num_destinations + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    if len(dst) < 2 or bool(np.all(dst[1:] >= dst[:-1])):
        sources = src.copy()
    else:
        sources = src[np.argsort(dst, kind="stable")]
    return DestinationIndex(indptr=indptr, sources=sources, num_sources=int(num_sources))


def destination_indexes(data: HeteroData) -> dict[EdgeType, DestinationIndex]:
    """A :class:`DestinationIndex` for every edge type of ``data`` (``rev_*`` included)."""
    indexes: dict[EdgeType, DestinationIndex] = {}
    for edge_type in data.edge_types:
        src, rel, dst = edge_type
        indexes[(src, rel, dst)] = destination_index(
            data[edge_type].edge_index, int(data[src].num_nodes), int(data[dst].num_nodes)
        )
    return indexes


def sample_in_edges(
    index: DestinationIndex,
    destinations: np.ndarray,
    fanout: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Up to ``fanout`` incoming edges per destination, uniformly without replacement.

    A destination with at most ``fanout`` edges keeps them all; for the others,
    ``fanout`` distinct edges are drawn with Floyd's algorithm, vectorised over
    the destinations (``fanout`` rounds, no loop over nodes). A negative ``fanout``
    keeps every edge.

    Returns ``(sources, destinations)`` of the drawn edges, both ``[E_drawn]``
    ``int64`` global rows, grouped by destination in the order given.
    """
    destinations = np.asarray(destinations, dtype=np.int64)
    starts = index.indptr[destinations]
    degrees = index.indptr[destinations + 1] - starts
    taken = degrees if fanout < 0 else np.minimum(degrees, fanout)
    block_starts = np.zeros(len(taken), dtype=np.int64)
    np.cumsum(taken[:-1], out=block_starts[1:])
    total = int(taken.sum())
    # the position of each drawn edge within its destination's segment: 0, 1, ... by default
    offsets = np.arange(total, dtype=np.int64) - np.repeat(block_starts, taken)
    capped = np.flatnonzero(degrees > taken)
    if len(capped):
        picks = _floyd(degrees[capped], fanout, rng)
        slots = block_starts[capped][:, None] + np.arange(fanout, dtype=np.int64)
        offsets[slots.ravel()] = picks.ravel()
    positions = np.repeat(starts, taken) + offsets
    return index.sources[positions], np.repeat(destinations, taken)


def _floyd(sizes: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` distinct offsets in ``[0, sizes[i])`` per row, uniform over k-subsets.

    ``sizes``: ``[M]`` with every entry ``> k``; returns ``[M, k]`` ``int64``.
    """
    chosen = np.empty((len(sizes), k), dtype=np.int64)
    for step in range(k):
        upper = sizes - k + step  # inclusive bound of this round's draw
        drawn = rng.integers(0, upper + 1)
        seen = (chosen[:, :step] == drawn[:, None]).any(axis=1)
        chosen[:, step] = np.where(seen, upper, drawn)
    return chosen


@dataclass
class Subgraph:
    """A sampled subgraph with local rows, each type's nodes ordered by depth.

    Node ``i`` of type ``t`` is global row ``n_id[t][i]`` (unique), first reached
    at hop ``depth[t][i]`` (``0``: a seed). Rows are sorted by ``(depth, global
    row)``, so the nodes of depth at most ``d`` are a prefix of the rows and the
    seeds (their target-type rows, sorted) come first. Every edge ends at a node
    of depth ``d < len(fanouts)`` and starts at one of depth at most ``d + 1``.

    Shapes:
        - ``n_id[t]``: ``[N_t]`` (``int64``)
        - ``depth[t]``: ``[N_t]`` (``int64``, non-decreasing)
        - ``x_dict[t]``: ``[N_t, F_t]``
        - ``edge_index_dict[et]``: ``[2, E_et]`` (``int64``, local rows)
    """

    n_id: dict[str, Tensor]
    depth: dict[str, Tensor]
    x_dict: dict[str, Tensor]
    edge_index_dict: dict[EdgeType, Tensor]

    def to(self, device: torch.device | str) -> Subgraph:
        """The same subgraph with features and edges on ``device`` (ids and depths stay)."""
        return Subgraph(
            n_id=self.n_id,
            depth=self.depth,
            x_dict={t: x.to(device) for t, x in self.x_dict.items()},
            edge_index_dict={et: ei.to(device) for et, ei in self.edge_index_dict.items()},
        )


class NeighbourSampler:
    r"""Samples the ``len(fanouts)``-hop neighbourhood of a batch of target rows.

    Args:
        data: the graph; ``data[t].x`` is gathered per sampled node (on its device).
        fanouts: incoming edges kept per destination and edge type at each hop
            (``-1``: all); one entry per message-passing layer.
        target: the node type of the seeds.
        seed: seed of the sampler's own random generator.
        indexes: prebuilt :func:`destination_indexes` of ``data`` (built when absent).

    Shapes:
        - **input:** ``seeds``: ``[B]`` distinct rows of ``target``
        - **output:** a :class:`Subgraph` and ``seed_positions`` ``[B]``: the
          local row of each seed, so ``model(sub.x_dict, sub.edge_index_dict)
          [seed_positions]`` are the seeds' logits in the order given. The
          seeds' rows are ``0 .. S - 1`` (``S``: distinct seeds), so the same
          positions index logits computed for the depth-0 rows only.
    """

    def __init__(
        self,
        data: HeteroData,
        fanouts: Sequence[int],
        *,
        target: str = TARGET,
        seed: int = 0,
        indexes: dict[EdgeType, DestinationIndex] | None = None,
    ) -> None:
        self.fanouts = tuple(int(f) for f in fanouts)
        self.target = target
        self.node_types = list(data.node_types)
        self.edge_types: list[EdgeType] = [(s, r, d) for s, r, d in data.edge_types]
        self.x_dict: dict[str, Tensor] = {t: data[t].x for t in self.node_types}
        self.indexes = indexes if indexes is not None else destination_indexes(data)
        self.rng = np.random.default_rng(seed)

    def sample(
        self, seeds: np.ndarray, *, rng: np.random.Generator | None = None
    ) -> tuple[Subgraph, Tensor]:
        """The sampled subgraph of ``seeds`` and their local rows in it.

        ``rng`` replaces the sampler's own generator for this call (a fixed
        validation sample draws from a freshly seeded one each time).
        """
        rng = rng if rng is not None else self.rng
        seeds = np.asarray(seeds, dtype=np.int64)
        distinct_seeds = np.unique(seeds)
        reached, by_depth, drawn = self._expand(distinct_seeds, rng)
        subgraph = self._subgraph(reached, by_depth, drawn)
        # the seeds are the first rows, sorted: their position is their rank among them
        positions = torch.from_numpy(np.searchsorted(distinct_seeds, seeds))
        return subgraph, positions

    def _expand(
        self, distinct_seeds: np.ndarray, rng: np.random.Generator
    ) -> tuple[dict[str, np.ndarray], dict[str, list[np.ndarray]], dict[EdgeType, list[_Drawn]]]:
        """Hop by hop from the seeds: every row reached per type (sorted), the rows
        first reached at each hop, and the edges drawn per edge type and hop."""
        empty = np.zeros(0, dtype=np.int64)
        reached = {t: empty for t in self.node_types}
        reached[self.target] = distinct_seeds
        by_depth: dict[str, list[np.ndarray]] = {t: [] for t in self.node_types}
        by_depth[self.target].append(distinct_seeds)
        frontier = {self.target: distinct_seeds}
        drawn: dict[EdgeType, list[_Drawn]] = {et: [] for et in self.edge_types}
        for hop, fanout in enumerate(self.fanouts, start=1):
            found: dict[str, list[np.ndarray]] = {}
            for edge_type in self.edge_types:
                src_type, _, dst_type = edge_type
                destinations = frontier.get(dst_type)
                if destinations is None:
                    continue
                sources, dests = sample_in_edges(self.indexes[edge_type], destinations, fanout, rng)
                drawn[edge_type].append((sources, dests))
                found.setdefault(src_type, []).append(sources)
            frontier = {}
            for node_type, parts in found.items():
                new = np.setdiff1d(np.concatenate(parts), reached[node_type])
                if len(new):
                    frontier[node_type] = new
                    reached[node_type] = np.union1d(reached[node_type], new)
                    while len(by_depth[node_type]) < hop:  # no new row of this type at a hop
                        by_depth[node_type].append(empty)
                    by_depth[node_type].append(new)
            if not frontier:
                break
        return reached, by_depth, drawn

    def _subgraph(
        self,
        reached: dict[str, np.ndarray],
        by_depth: dict[str, list[np.ndarray]],
        drawn: dict[EdgeType, list[_Drawn]],
    ) -> Subgraph:
        """The subgraph of what :meth:`_expand` found, rows ordered by depth."""
        empty = np.zeros(0, dtype=np.int64)
        n_id = {t: np.concatenate(parts) if parts else empty for t, parts in by_depth.items()}
        depth = {
            t: np.repeat(np.arange(len(parts), dtype=np.int64), [len(p) for p in parts])
            for t, parts in by_depth.items()
        }
        # global row -> local row: local_of[t][searchsorted(reached[t], row)]
        local_of = {t: np.argsort(rows, kind="stable") for t, rows in n_id.items()}

        def local(node_type: str, rows: np.ndarray) -> np.ndarray:
            return np.asarray(local_of[node_type][np.searchsorted(reached[node_type], rows)])

        edge_index_dict: dict[EdgeType, Tensor] = {}
        for edge_type, hops in drawn.items():
            src_type, _, dst_type = edge_type
            if hops:
                sources = np.concatenate([s for s, _ in hops])
                dests = np.concatenate([d for _, d in hops])
                local_edges = np.stack([local(src_type, sources), local(dst_type, dests)])
            else:
                local_edges = np.zeros((2, 0), dtype=np.int64)
            edge_index_dict[edge_type] = torch.from_numpy(local_edges.astype(np.int64, copy=False))
        n_id_tensors = {t: torch.from_numpy(rows) for t, rows in n_id.items()}
        x_dict = {
            t: self.x_dict[t].index_select(0, rows.to(self.x_dict[t].device))
            for t, rows in n_id_tensors.items()
        }
        return Subgraph(
            n_id=n_id_tensors,
            depth={t: torch.from_numpy(d) for t, d in depth.items()},
            x_dict=x_dict,
            edge_index_dict=edge_index_dict,
        )
