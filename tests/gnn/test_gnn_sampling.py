"""The scale path: CSR index, neighbour sampling, layer-wise inference, mini-batch training."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import torch
from gnn_helpers import assemble, planted
from torch_geometric.data import HeteroData

from riskgraph.gnn.export import EdgeType, reverse_type
from riskgraph.gnn.features import FeaturePipeline
from riskgraph.gnn.fit import (
    DEFAULT_BATCH_SIZE,
    FitConfig,
    fanouts_for,
    fit,
    predict_proba,
    seed_everything,
)
from riskgraph.gnn.hetero_sage import HeteroSAGE, HeteroSAGEConfig
from riskgraph.gnn.heterodata import edge_index_dict
from riskgraph.gnn.inputs import prepare
from riskgraph.gnn.metrics import evaluate
from riskgraph.gnn.sampling import (
    NeighbourSampler,
    destination_index,
    destination_indexes,
    sample_in_edges,
)

LEGAL_REP: EdgeType = ("person", "LEGAL_REP_OF", "enterprise")
INVESTS: EdgeType = ("enterprise", "INVESTS_IN", "enterprise")
REGISTERED: EdgeType = ("enterprise", "REGISTERED_AT", "address")
WIDTHS = {"enterprise": 5, "person": 3, "address": 2}


def random_graph(
    seed: int,
    sizes: dict[str, int],
    edges: dict[EdgeType, int],
    *,
    reverse: bool = True,
) -> HeteroData:
    """Random features and distinct random edges (a few hubs), with ``rev_*`` types."""
    rng = np.random.default_rng(seed)
    data = HeteroData()
    for node_type, n in sizes.items():
        data[node_type].x = torch.from_numpy(rng.normal(size=(n, WIDTHS[node_type])).astype("f4"))
        data[node_type].num_nodes = n
    for edge_type, count in edges.items():
        src, _, dst = edge_type
        # a skewed source choice, so that some nodes have many more edges than a fanout
        sources = (rng.pareto(1.5, count) * 3).astype(np.int64) % sizes[src]
        pairs = np.unique(np.stack([sources, rng.integers(0, sizes[dst], count)], 1), axis=0)
        forward = torch.from_numpy(np.ascontiguousarray(pairs.T))
        data[edge_type].edge_index = forward
        if reverse:
            data[reverse_type(edge_type)].edge_index = forward.flip(0).contiguous()
    return data


def small_graph(seed: int = 0, *, reverse: bool = True) -> HeteroData:
    sizes = {"enterprise": 60, "person": 40, "address": 12}
    return random_graph(seed, sizes, {LEGAL_REP: 120, INVESTS: 90, REGISTERED: 70}, reverse=reverse)


def model_for(data: HeteroData, *, layers: int = 2, seed: int = 0) -> HeteroSAGE:
    torch.manual_seed(seed)
    in_channels = {t: int(data[t].x.shape[1]) for t in data.node_types}
    config = HeteroSAGEConfig(hidden_channels=16, num_layers=layers, dropout=0.2)
    return HeteroSAGE(data.metadata(), in_channels, 3, config).eval()


def edge_set(edge_index: torch.Tensor) -> set[tuple[int, int]]:
    return {(int(s), int(d)) for s, d in edge_index.t().tolist()}


# -- CSR index -------------------------------------------------------------------


def test_destination_index_lists_each_destinations_sources_in_edge_order() -> None:
    edge_index = torch.tensor([[2, 0, 1, 2, 0], [1, 3, 1, 0, 1]])
    index = destination_index(edge_index, num_sources=3, num_destinations=5)
    assert index.indptr.tolist() == [0, 1, 4, 4, 5, 5]
    assert index.sources.tolist() == [2, 2, 1, 0, 0]  # destination 1: sources 2, 1, 0 as given
    assert np.diff(index.indptr)[[1, 2, 4]].tolist() == [3, 0, 0]  # in-degrees
    sources, local = index.block(1, 4)
    assert sources.tolist() == [2, 1, 0, 0] and local.tolist() == [0, 0, 0, 2]
    # already sorted by destination: taken as it is
    assert destination_index(edge_index[:, [3, 0, 2, 1]], 3, 4).sources.tolist() == [2, 2, 1, 0]
    with pytest.raises(ValueError, match="num_destinations"):
        destination_index(edge_index, 3, 2)


def test_sampled_edges_are_distinct_and_uniform() -> None:
    index = destination_index(torch.tensor([[0, 1, 2, 3, 4], [0, 0, 0, 0, 0]]), 5, 1)
    rng = np.random.default_rng(0)
    draws = 20_000
    sources, dests = sample_in_edges(index, np.zeros(draws, dtype=np.int64), 2, rng)
    assert len(sources) == 2 * draws and (dests == 0).all()
    pairs = sources.reshape(draws, 2)
    assert (pairs[:, 0] != pairs[:, 1]).all()  # without replacement
    frequency = np.bincount(sources, minlength=5) / draws
    assert np.allclose(frequency, 2 / 5, atol=0.02)
    subsets = np.bincount(pairs.min(1) * 5 + pairs.max(1), minlength=25)
    assert np.allclose(subsets[subsets > 0] / draws, 1 / 10, atol=0.01)
    assert (subsets > 0).sum() == 10
    # a fanout at or above the degree keeps every edge, as does -1
    for fanout in (5, 9, -1):
        kept, _ = sample_in_edges(index, np.array([0]), fanout, rng)
        assert sorted(kept.tolist()) == [0, 1, 2, 3, 4]


# -- sampler ---------------------------------------------------------------------


def test_sampler_respects_fanouts_and_samples_real_edges() -> None:
    data = small_graph()
    fanouts = (3, 2)
    sampler = NeighbourSampler(data, fanouts, seed=1)
    seeds = np.array([7, 3, 50, 12, 0, 3])  # a repeated seed is sampled once
    sub, positions = sampler.sample(seeds)
    assert sub.n_id["enterprise"][positions].tolist() == seeds.tolist()
    indexes = destination_indexes(data)
    for node_type, rows in sub.n_id.items():
        depth = sub.depth[node_type]
        assert depth.shape == rows.shape and depth.dtype == torch.int64
        assert len(set(rows.tolist())) == len(rows)  # unique
        # ordered by (depth, global row)
        assert sorted(zip(depth.tolist(), rows.tolist(), strict=True)) == list(
            zip(depth.tolist(), rows.tolist(), strict=True)
        )
        assert torch.equal(sub.x_dict[node_type], data[node_type].x[rows])
    # the seeds first, sorted, at depth 0; nothing else at depth 0
    distinct = np.unique(seeds)
    assert sub.n_id["enterprise"][: len(distinct)].tolist() == distinct.tolist()
    assert sorted(positions.tolist()) == sorted(np.searchsorted(distinct, seeds).tolist())
    assert all(
        int((d == 0).sum()) == (len(distinct) if t == "enterprise" else 0)
        for t, d in sub.depth.items()
    )
    assert set(sub.edge_index_dict) == {tuple(et) for et in data.edge_types}
    reached_from: dict[str, set[int]] = {t: set() for t in sub.n_id}  # rows feeding a shallower one
    for edge_type, local in sub.edge_index_dict.items():
        src, _, dst = edge_type
        assert local.dtype == torch.int64 and local.shape[0] == 2
        glob = torch.stack([sub.n_id[src][local[0]], sub.n_id[dst][local[1]]])
        pairs = glob.t().tolist()
        assert len(pairs) == len(set(map(tuple, pairs)))  # no edge twice
        assert edge_set(glob) <= edge_set(data[edge_type].edge_index)
        src_depth, dst_depth = sub.depth[src][local[0]], sub.depth[dst][local[1]]
        assert bool((src_depth <= dst_depth + 1).all())  # no shortcut past a hop
        reached_from[src] |= set(local[0][src_depth == dst_depth + 1].tolist())
        # a node of depth d < len(fanouts) keeps min(degree, fanouts[d]) edges, deeper: none
        in_degree = np.bincount(local[1].numpy(), minlength=len(sub.n_id[dst]))
        depth = sub.depth[dst].numpy()
        full = np.diff(indexes[edge_type].indptr)[sub.n_id[dst].numpy()]
        expanded = depth < len(fanouts)
        caps = np.asarray(fanouts)[depth[expanded]]
        assert in_degree[expanded].tolist() == np.minimum(full[expanded], caps).tolist()
        assert (in_degree[~expanded] == 0).all()
    # every node past the seeds was found through an edge into a node one hop shallower
    for node_type, depth in sub.depth.items():
        assert set(np.flatnonzero(depth.numpy() > 0).tolist()) == reached_from[node_type]
    assert sum(int(ei.shape[1]) for ei in sub.edge_index_dict.values()) > 0


def test_sampling_is_deterministic_by_seed() -> None:
    data = small_graph()
    seeds = np.arange(0, 60, 6)

    def edges(seed: int) -> dict[EdgeType, list[list[int]]]:
        sub, _ = NeighbourSampler(data, (2, 2), seed=seed).sample(seeds)
        return {et: ei.tolist() for et, ei in sub.edge_index_dict.items()}

    assert edges(4) == edges(4)
    assert edges(4) != edges(5)
    # a given generator replaces the sampler's own
    sampler = NeighbourSampler(data, (2, 2), seed=0)
    first, _ = sampler.sample(seeds, rng=np.random.default_rng(9))
    sampler.sample(seeds)
    again, _ = sampler.sample(seeds, rng=np.random.default_rng(9))
    for edge_type, ei in first.edge_index_dict.items():
        assert torch.equal(ei, again.edge_index_dict[edge_type])


@pytest.mark.parametrize("layers", [1, 2, 3])
def test_full_fanout_sample_gives_the_full_batch_logits(layers: int) -> None:
    data = small_graph(seed=layers)
    model = model_for(data, layers=layers)
    with torch.no_grad():
        full = model(data.x_dict, edge_index_dict(data))
        max_degree = max(
            int(np.diff(i.indptr).max())  # the largest in-degree
            for i in destination_indexes(data).values()
        )
        for fanouts in ([-1] * layers, [max_degree] * layers):
            seeds = np.array([31, 2, 44, 17, 9, 58])
            sub, positions = NeighbourSampler(data, fanouts, seed=3).sample(seeds)
            logits = model(sub.x_dict, sub.edge_index_dict)[positions]
            assert torch.allclose(logits, full[seeds], atol=1e-5)
            assert len(sub.n_id["enterprise"]) < data["enterprise"].num_nodes or layers > 1
        # capped fanouts change the neighbourhood, hence (here) the logits
        sub, positions = NeighbourSampler(data, [1] * layers, seed=3).sample(seeds)
        capped = model(sub.x_dict, sub.edge_index_dict)[positions]
        assert not torch.allclose(capped, full[seeds], atol=1e-5)


def trimmed_layer_rows(model: HeteroSAGE) -> list[dict[EdgeType, int]]:
    """Hooks recording, per layer and relation, the rows its ``lin_l`` transforms."""
    seen: list[dict[EdgeType, int]] = [{} for _ in model.convs]
    for layer, conv in enumerate(model.convs):
        for edge_type in conv.convs.keys():  # noqa: SIM118

            def record(
                _: object,
                args: tuple[torch.Tensor],
                __: object,
                layer: int = layer,
                edge_type: EdgeType = edge_type,
            ) -> None:
                seen[layer][edge_type] = int(args[0].shape[0])

            conv.convs[edge_type].lin_l.register_forward_hook(record)
    return seen


@pytest.mark.parametrize("layers", [1, 2, 3])
def test_trimmed_forward_gives_the_seeds_the_full_subgraph_logits(layers: int) -> None:
    data = small_graph(seed=20 + layers)
    model = model_for(data, layers=layers)
    rows = trimmed_layer_rows(model)
    seeds = np.array([31, 2, 44, 17, 9, 58, 2])
    distinct = len(np.unique(seeds))
    # capped, complete, deeper and shallower samples than the model
    for fanouts in ([2] * layers, [-1] * layers, [3] * (layers + 1), [3] * max(layers - 1, 1)):
        sub, positions = NeighbourSampler(data, fanouts, seed=5).sample(seeds)
        with torch.no_grad():
            untrimmed = model(sub.x_dict, sub.edge_index_dict)[positions]
            trimmed = model(sub.x_dict, sub.edge_index_dict, depth_dict=sub.depth)
        assert trimmed.shape == (distinct, 3)
        assert torch.allclose(trimmed[positions], untrimmed, atol=1e-5)
        # layer l transforms only the destinations of depth <= L - l
        for layer, relations in enumerate(rows):
            for (_, _, dst), count in relations.items():
                assert count == int((sub.depth[dst] <= layers - 1 - layer).sum())
        assert all(count == distinct for count in rows[-1].values() if count)


def test_trimmed_forward_trains_like_the_untrimmed_one() -> None:
    data = small_graph(seed=7)
    torch.manual_seed(0)
    in_channels = {t: int(data[t].x.shape[1]) for t in data.node_types}
    config = HeteroSAGEConfig(hidden_channels=16, num_layers=2, dropout=0.0)
    model = HeteroSAGE(data.metadata(), in_channels, 3, config).train()
    sub, positions = NeighbourSampler(data, (3, 2), seed=2).sample(np.arange(0, 60, 5))
    labels = torch.arange(len(positions)) % 3
    gradients = []
    for depth_dict in (None, sub.depth):
        model.zero_grad()
        logits = model(sub.x_dict, sub.edge_index_dict, depth_dict=depth_dict)[positions]
        torch.nn.functional.cross_entropy(logits, labels).backward()
        gradients.append(
            [p.grad.clone() if p.grad is not None else None for p in model.parameters()]
        )
    for untrimmed, trimmed in zip(*gradients, strict=True):
        if untrimmed is None or trimmed is None:  # a weight neither reaches the seeds through
            assert untrimmed is None or not untrimmed.any()
            assert trimmed is None or not trimmed.any()
        else:
            assert torch.allclose(untrimmed, trimmed, atol=1e-6)


def test_trimmed_forward_needs_rows_ordered_by_depth() -> None:
    data = small_graph()
    model = model_for(data)
    sub, _ = NeighbourSampler(data, (2, 2), seed=0).sample(np.array([1, 2]))
    shuffled = dict(sub.depth, person=sub.depth["person"].flip(0))
    with pytest.raises(ValueError, match="non-decreasing"):
        model(sub.x_dict, sub.edge_index_dict, depth_dict=shuffled)


# -- layer-wise inference ----------------------------------------------------------


@pytest.mark.filterwarnings("ignore:There exist node types")
@pytest.mark.parametrize(("layers", "reverse"), [(2, True), (3, True), (2, False)])
def test_inference_equals_forward(layers: int, reverse: bool) -> None:
    data = small_graph(seed=10 + layers, reverse=reverse)  # no reverse: person gets no message
    model = model_for(data, layers=layers)
    edges = edge_index_dict(data)
    with torch.no_grad():
        full = model(data.x_dict, edges)
    for chunk_size in (7, 1000):
        layered = model.inference(data.x_dict, edges, chunk_size=chunk_size)
        assert layered.shape == full.shape
        assert torch.allclose(layered, full, atol=1e-5)
    assert np.allclose(predict_proba(model, data, chunk_size=5), predict_proba(model, data))
    model.train()
    model.inference(data.x_dict, edges)
    assert model.training  # the mode is restored


@pytest.mark.filterwarnings("ignore:There exist node types")
def test_inference_with_other_aggregators_calls_the_convolutions() -> None:
    """``max`` does not derive from the neighbour sum: the unfused path gives the same logits."""
    data = small_graph(seed=3)
    torch.manual_seed(0)
    in_channels = {t: int(data[t].x.shape[1]) for t in data.node_types}
    config = HeteroSAGEConfig(hidden_channels=16, aggr=("mean", "max"), dropout=0.2)
    model = HeteroSAGE(data.metadata(), in_channels, 3, config).eval()
    edges = edge_index_dict(data)
    with torch.no_grad():
        full = model(data.x_dict, edges)
    assert torch.allclose(model.inference(data.x_dict, edges, chunk_size=9), full, atol=1e-5)


def test_inference_without_edges_reads_the_projection_only() -> None:
    data = small_graph()
    bare = HeteroData()
    for node_type in data.node_types:
        bare[node_type].x = data[node_type].x
    in_channels = {t: int(data[t].x.shape[1]) for t in data.node_types}
    model = HeteroSAGE((list(data.node_types), []), in_channels, 2).eval()
    with torch.no_grad():
        assert torch.allclose(
            model.inference(bare.x_dict, {}, chunk_size=8), model(bare.x_dict, {})
        )


# -- mini-batch training ---------------------------------------------------------------


def planted_data(n: int = 300) -> tuple[HeteroData, np.ndarray]:
    """``gnn_helpers.planted`` through the export path; labels ``-1`` on partner firms."""
    toy = planted(n)
    records = [{"key": e["uscc"], **e["props"]} for e in toy.enterprises]
    violations = [
        {"key": v["uscc"], "vid": v["vid"], "date": v["date"], **v["props"]} for v in toy.violations
    ]
    edges = [("person", p, "LEGAL_REP_OF", "enterprise", e) for p, e in toy.legal_reps]
    graph = assemble(records, violations, edges)
    data = prepare(graph, FeaturePipeline(), as_of=date(2025, 1, 1)).data
    labels = graph.enterprises["label"].to_numpy()
    y = np.where(np.isnan(labels), -1, np.nan_to_num(labels)).astype(np.int64)
    return data, y


@pytest.fixture(scope="module")
def planted_split() -> tuple[HeteroData, np.ndarray, np.ndarray, np.ndarray]:
    data, y = planted_data()
    labelled = np.flatnonzero(y >= 0)
    order = np.random.default_rng(0).permutation(labelled)
    cut = int(0.7 * len(order))
    return data, y, np.sort(order[:cut]), np.sort(order[cut:])


def planted_model(data: HeteroData) -> HeteroSAGE:
    seed_everything(0)
    in_channels = {t: int(data[t].x.shape[1]) for t in data.node_types}
    config = HeteroSAGEConfig(hidden_channels=32, dropout=0.1)
    return HeteroSAGE(data.metadata(), in_channels, 2, config)


MINI = FitConfig(lr=0.01, max_epochs=40, patience=15, batch_size=32, fanouts=(5, 5), eval_every=3)


def test_mini_batches_learn_a_signal_only_neighbours_carry(
    planted_split: tuple[HeteroData, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    data, y, train_rows, valid_rows = planted_split
    model = planted_model(data)
    outcome = fit(model, data, y, train_rows, valid_rows, ("0", "1"), MINI)
    assert outcome.batch_size == 32 and not outcome.stopped_by_budget
    per_epoch = -(-len(train_rows) // 32)
    assert outcome.batches_run <= MINI.max_epochs * per_epoch
    assert outcome.batches_run >= (outcome.epochs_run - 1) * per_epoch
    assert len(outcome.history) >= outcome.batches_run // MINI.eval_every
    assert outcome.best_score >= 0.9
    # exact (layer-wise) prediction with the best weights agrees
    proba = predict_proba(model, data, chunk_size=64)
    figures = evaluate(y[valid_rows], proba[valid_rows], ("0", "1"))
    assert figures["roc_auc"] >= 0.9
    assert figures["macro_f1"] >= 0.8


def test_mini_batch_training_is_reproducible(
    planted_split: tuple[HeteroData, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    data, y, train_rows, valid_rows = planted_split
    config = FitConfig(lr=0.01, max_epochs=2, batch_size=32, fanouts=(3, 3), eval_every=2)
    states = []
    for _ in range(2):
        model = planted_model(data)
        outcome = fit(model, data, y, train_rows, valid_rows, ("0", "1"), config)
        states.append(model.state_dict())
    assert outcome.epochs_run == 2
    assert all(torch.equal(states[0][k], states[1][k]) for k in states[0])


def test_the_time_budget_stops_after_the_first_check(
    planted_split: tuple[HeteroData, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    data, y, train_rows, valid_rows = planted_split
    config = FitConfig(max_epochs=50, batch_size=16, eval_every=4, max_seconds=0.0)
    model = planted_model(data)
    outcome = fit(model, data, y, train_rows, valid_rows, ("0", "1"), config)
    assert outcome.stopped_by_budget
    assert outcome.batches_run == 4 and len(outcome.history) == 1 and outcome.best_epoch == 0
    assert outcome.epochs_run == 1


def test_large_graphs_switch_to_mini_batches_and_layered_prediction(
    planted_split: tuple[HeteroData, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    data, y, train_rows, valid_rows = planted_split
    small = FitConfig()
    assert small.batch_size_for(data) is None
    large = FitConfig(max_epochs=1, auto_batch_nodes=100, max_valid_rows=20)
    assert large.batch_size_for(data) == DEFAULT_BATCH_SIZE
    model = planted_model(data)
    outcome = fit(model, data, y, train_rows, valid_rows, ("0", "1"), large)
    assert outcome.batch_size == DEFAULT_BATCH_SIZE
    assert outcome.batches_run == 1 and len(outcome.history) == 1
    assert np.allclose(
        predict_proba(model, data, auto_batch_nodes=100), predict_proba(model, data), atol=1e-6
    )
    assert large.to_dict()["fanouts"] == (15, 10)
    with pytest.raises(ValueError, match="batch_size"):
        FitConfig(batch_size=0).batch_size_for(data)
    with pytest.raises(ValueError, match="train row"):
        fit(model, data, y, train_rows[:0], valid_rows, ("0", "1"), large)


def test_fanouts_follow_the_depth() -> None:
    assert fanouts_for((15, 10), 2) == (15, 10)
    assert fanouts_for((15, 10), 3) == (15, 10, 10)
    assert fanouts_for((15, 10), 1) == (15,)
    assert fanouts_for((15, 10), 0) == ()
