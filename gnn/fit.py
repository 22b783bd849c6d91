"""The GNN fitting loop: class weights, early stopping on validation, mini-batches.

:func:`fit` trains one GNN on the train rows and keeps its weights best on the
validation rows. It is one step of :mod:`riskgraph.gnn.train`, which trains
every candidate model, selects one and writes a model version.

Small graphs train full batch. Large ones (more than :data:`AUTO_BATCH_NODES`
nodes, or whenever :attr:`FitConfig.batch_size` is set) train in mini-batches
of sampled neighbourhoods (:mod:`riskgraph.gnn.sampling`; each layer computed
only for the nodes the seeds still need, see :meth:`HeteroSAGE.forward`) and
predict with :meth:`HeteroSAGE.inference`, layer by layer in chunks, which
needs memory for a few ``[N, hidden]`` state matrices instead of every edge's
messages.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn
from torch_geometric.data import HeteroData

from riskgraph.gnn.export import TARGET
from riskgraph.gnn.hetero_sage import INFERENCE_CHUNK_SIZE, HeteroSAGE
from riskgraph.gnn.heterodata import edge_index_dict
from riskgraph.gnn.metrics import evaluate
from riskgraph.gnn.progress import Progress, quiet
from riskgraph.gnn.sampling import NeighbourSampler, Subgraph

AUTO_BATCH_NODES = 500_000
"""Graphs with more nodes than this train in mini-batches and predict layer by layer."""
DEFAULT_BATCH_SIZE = 1024
"""Seeds per mini-batch when the batch size is chosen automatically."""


@dataclass(frozen=True)
class FitConfig:
    """Optimiser and stopping rule.

    Full batch (every epoch one step on the whole graph, validated after each)
    unless ``batch_size`` is set or the graph has more than ``auto_batch_nodes``
    nodes: then each epoch is a seeded shuffle of the train rows cut into
    batches of sampled neighbourhoods (``fanouts``), validated every
    ``eval_every`` batches; ``patience`` then counts validation checks.
    """

    lr: float = 0.005
    weight_decay: float = 5e-4
    max_epochs: int = 300
    patience: int = 40
    class_weighting: bool = True
    max_seconds: float | None = None
    """Wall-clock budget: stop after the epoch (or, in mini-batches, the validation check)
    that passes it, keeping the best weights so far (large graphs on small machines; the
    outcome then depends on the machine)."""
    batch_size: int | None = None
    """Seed rows per mini-batch; ``None``: full batch, unless the graph is larger than
    ``auto_batch_nodes`` (then :data:`DEFAULT_BATCH_SIZE`)."""
    fanouts: tuple[int, ...] = (15, 10)
    """Incoming edges sampled per node and edge type at each hop (``-1``: all), one per
    layer; a deeper model repeats the last entry, a shallower one uses the first ones."""
    eval_every: int = 200
    """Mini-batches between validation checks (at least one check per epoch)."""
    report_every_s: float = 10.0
    """Seconds between progress lines (the first check and the stop are always told)."""
    max_valid_rows: int = 20_000
    """Mini-batches: validate on a fixed seeded sample of at most this many validation
    rows, on neighbourhoods drawn with a fixed seed, so that checks are comparable."""
    auto_batch_nodes: int = AUTO_BATCH_NODES
    """Graphs with more nodes in total use mini-batches even when ``batch_size`` is None."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def batch_size_for(self, data: HeteroData) -> int | None:
        """The mini-batch size to train ``data`` with; ``None`` for full batch."""
        if self.batch_size is not None:
            if self.batch_size < 1:
                raise ValueError("batch_size must be at least 1")
            return self.batch_size
        return DEFAULT_BATCH_SIZE if total_nodes(data) > self.auto_batch_nodes else None


@dataclass
class FitOutcome:
    """The best check's weights (already loaded into the model) and its validation figure.

    ``history`` has one validation score per check: per epoch in full batch; in
    mini-batches, every ``eval_every`` batches (at least once per epoch) and after
    the last batch;
    ``best_epoch`` is the index of the best check in ``history`` (the epoch, in
    full batch). ``epochs_run`` counts epochs started (passes over the train
    rows, the last possibly cut short); ``batches_run`` counts optimiser steps.
    """

    best_epoch: int
    best_score: float
    epochs_run: int
    history: list[float]
    stopped_by_budget: bool = False
    batches_run: int = 0
    batch_size: int | None = None
    """``None``: trained full batch."""


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and torch (CPU and CUDA)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def pick_device(device: str = "auto") -> torch.device:
    """``auto``: CUDA when present, else CPU."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


def class_weights(y: np.ndarray, num_classes: int) -> Tensor:
    """Inverse-frequency weights, normalised to mean 1 over the classes present."""
    counts = np.bincount(y, minlength=num_classes).astype(np.float64)
    weights = np.where(counts > 0, counts.sum() / np.maximum(counts, 1) / num_classes, 0.0)
    present = weights > 0
    weights[present] /= weights[present].mean()
    return torch.tensor(weights, dtype=torch.float32)


def total_nodes(data: HeteroData) -> int:
    """Nodes of every type in ``data``."""
    return sum(int(data[t].num_nodes or 0) for t in data.node_types)


def predict_proba(
    model: nn.Module,
    data: HeteroData,
    *,
    chunk_size: int | None = None,
    auto_batch_nodes: int = AUTO_BATCH_NODES,
) -> np.ndarray:
    """Class probabilities ``[N_target, C]`` (``float64``) in eval mode.

    A graph with more than ``auto_batch_nodes`` nodes, or any graph when
    ``chunk_size`` is given, goes through :meth:`HeteroSAGE.inference` (the same
    figures, layer by layer in chunks of ``chunk_size`` rows); else one full
    forward pass.
    """
    model.eval()
    layered = chunk_size is not None or total_nodes(data) > auto_batch_nodes
    with torch.no_grad():
        if layered and isinstance(model, HeteroSAGE):
            logits = model.inference(
                data.x_dict,
                edge_index_dict(data),
                chunk_size=chunk_size or INFERENCE_CHUNK_SIZE,
            )
        else:
            logits = model(data.x_dict, edge_index_dict(data))
    return np.asarray(torch.softmax(logits, dim=-1).cpu().numpy(), dtype=np.float64)


@dataclass(frozen=True)
class FitHooks:
    """What a caller plugs into :func:`fit`: the validation figure to maximise (default
    ROC-AUC, else macro-F1) and where progress lines go (default nowhere)."""

    score: Callable[[dict[str, Any]], float] | None = None
    progress: Progress | None = None


def fit(
    model: nn.Module,
    data: HeteroData,
    y: np.ndarray,
    train_rows: np.ndarray,
    valid_rows: np.ndarray,
    classes: tuple[str, ...],
    config: FitConfig,
    hooks: FitHooks | None = None,
) -> FitOutcome:
    """Train ``model`` on ``train_rows`` and keep the weights best on ``valid_rows``.

    ``y`` holds class indices for every target node (``-1`` where unlabelled);
    ``hooks.score`` turns :func:`evaluate`'s figures into the number to maximise
    (ROC-AUC by default, falling back to macro-F1). Full batch or mini-batches
    as :meth:`FitConfig.batch_size_for` decides; both are reproducible on CPU
    given the torch seed (see :func:`seed_everything`). ``hooks.progress`` is told the epoch,
    the validation figure, the best so far and the time taken, at most every
    ``config.report_every_s`` seconds, and why the fit stopped.
    """
    hooks = hooks or FitHooks()
    task = _Task(
        data,
        y,
        train_rows,
        valid_rows,
        classes,
        config,
        hooks.score or _default_score,
        hooks.progress or quiet,
    )
    batch_size = config.batch_size_for(data)
    if batch_size is None:
        return _fit_full_batch(model, task)
    return _fit_mini_batch(model, task, batch_size)


@dataclass(frozen=True)
class _Task:
    """What one fit learns from: the graph, the labels, the rows and the settings."""

    data: HeteroData
    y: np.ndarray
    train_rows: np.ndarray
    valid_rows: np.ndarray
    classes: tuple[str, ...]
    config: FitConfig
    score: Callable[[dict[str, Any]], float]
    say: Progress


class _BestKeeper:
    """Validation checks so far, the state of the best one, and when to stop.

    Made just before the first step: the time budget counts from then.
    """

    def __init__(self, model: nn.Module, config: FitConfig, say: Progress = quiet) -> None:
        self.model = model
        self.config = config
        self.say = say
        self.reported = -np.inf
        self.state = copy.deepcopy(model.state_dict())
        self.best: tuple[float, float] = (-np.inf, -np.inf)
        self.best_check = -1
        self.history: list[float] = []
        self.over_budget = False
        self.started = time.monotonic()

    def offer(self, y_valid: np.ndarray, proba: np.ndarray, score_of: float) -> bool:
        """Record one check; ``True`` when it is the best so far (its weights are kept)."""
        current = (score_of, -_log_loss(y_valid, proba))
        self.history.append(current[0])
        # better: a higher score, or the same score with a lower validation loss
        if current[0] > self.best[0] + 1e-6 or (
            current[0] >= self.best[0] - 1e-6 and current[1] > self.best[1] + 1e-4
        ):
            self.best, self.best_check = current, len(self.history) - 1
            self.state = copy.deepcopy(self.model.state_dict())
            return True
        return False

    def report(self, epoch: int, *, stopping: bool = False) -> None:
        """A progress line after a check: the first, then every ``report_every_s``, and
        the last (with why training stops)."""
        now = time.monotonic()
        if not stopping and now - self.reported < self.config.report_every_s:
            return
        self.reported = now
        why = ""
        if stopping:
            why = " · stopped: time budget" if self.over_budget else " · stopped"
        self.say(
            f"GNN epoch {epoch}/{self.config.max_epochs} · check {len(self.history)} · "
            f"validation {self.history[-1]:.4f} (best {self.best[0]:.4f} at check "
            f"{self.best_check + 1}) · {now - self.started:.0f} s{why}"
        )

    def checks_since_best(self) -> int:
        return len(self.history) - 1 - self.best_check

    def should_stop(self, improved: bool, *, more_to_come: bool) -> bool:
        """After a check: out of patience, or past the time budget (``over_budget``
        then says whether training was cut short)."""
        if not improved and self.checks_since_best() >= self.config.patience:
            return True
        budget = self.config.max_seconds
        if budget is not None and time.monotonic() - self.started > budget:
            self.over_budget = more_to_come
            return True
        return False

    def outcome(self, epochs: int, batches: int, batch_size: int | None) -> FitOutcome:
        """Load the best check's weights into the model; what the fit did."""
        self.model.load_state_dict(self.state)
        return FitOutcome(
            best_epoch=self.best_check,
            best_score=float(self.best[0]),
            epochs_run=epochs,
            history=self.history,
            stopped_by_budget=self.over_budget,
            batches_run=batches,
            batch_size=batch_size,
        )


def _loss_function(
    task: _Task, train_rows: np.ndarray, device: torch.device
) -> nn.CrossEntropyLoss:
    """Cross-entropy, class-weighted on the train rows' labels when configured."""
    classes = len(task.classes)
    weight = class_weights(task.y[train_rows], classes) if task.config.class_weighting else None
    return nn.CrossEntropyLoss(weight=weight.to(device) if weight is not None else None)


def _optimiser(model: nn.Module, config: FitConfig) -> torch.optim.Optimizer:
    return torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)


def _fit_full_batch(model: nn.Module, task: _Task) -> FitOutcome:
    """One optimiser step per epoch on the whole graph; validation after each."""
    config, data = task.config, task.data
    device = next(model.parameters()).device
    target = torch.as_tensor(np.array(task.y, copy=True), dtype=torch.long, device=device)
    train_idx = torch.as_tensor(task.train_rows, dtype=torch.long, device=device)
    loss_fn = _loss_function(task, task.train_rows, device)
    optimiser = _optimiser(model, config)
    y_valid = task.y[task.valid_rows]
    keeper = _BestKeeper(model, config, task.say)
    epoch = 0
    for epoch in range(config.max_epochs):
        model.train()
        optimiser.zero_grad()
        logits = model(data.x_dict, edge_index_dict(data))
        loss = loss_fn(logits[train_idx], target[train_idx])
        loss.backward()
        optimiser.step()
        proba = predict_proba(model, data, auto_batch_nodes=config.auto_batch_nodes)
        proba = proba[task.valid_rows]
        improved = keeper.offer(y_valid, proba, task.score(evaluate(y_valid, proba, task.classes)))
        stop = keeper.should_stop(improved, more_to_come=epoch + 1 < config.max_epochs)
        keeper.report(epoch + 1, stopping=stop or epoch + 1 == config.max_epochs)
        if stop:
            break
    return keeper.outcome(epochs=epoch + 1, batches=epoch + 1, batch_size=None)


def fanouts_for(fanouts: Sequence[int], depth: int) -> tuple[int, ...]:
    """``depth`` fanouts from ``fanouts``: cut, or the last one repeated."""
    if not fanouts:
        raise ValueError("fanouts must not be empty")
    return tuple(int(fanouts[min(hop, len(fanouts) - 1)]) for hop in range(depth))


@dataclass
class _Draws:
    """What a mini-batch fit draws from: the sampler, the shuffled train rows, the
    (sampled) validation rows, and the seed every draw flows from."""

    sampler: NeighbourSampler
    shuffle: np.random.Generator
    train_rows: np.ndarray
    valid_rows: np.ndarray
    seed: int


def _draws(model: nn.Module, task: _Task) -> _Draws:
    """The sampler and rows of a mini-batch fit, seeded from the torch seed (so
    :func:`seed_everything` fixes every random choice)."""
    config = task.config
    target_type = str(getattr(model, "target", TARGET))
    depth = len(model.convs) if isinstance(model, HeteroSAGE) else len(config.fanouts)
    seed = int(torch.randint(0, 2**31 - 1, (1,)).item())
    sampler = NeighbourSampler(
        task.data, fanouts_for(config.fanouts, depth), target=target_type, seed=seed
    )
    shuffle = np.random.default_rng(seed + 1)
    valid_rows = np.asarray(task.valid_rows, dtype=np.int64)
    if len(valid_rows) > config.max_valid_rows:
        picked = np.random.default_rng(seed + 2).choice(
            len(valid_rows), config.max_valid_rows, replace=False
        )
        valid_rows = valid_rows[np.sort(picked)]
    train_rows = np.asarray(task.train_rows, dtype=np.int64)
    if len(train_rows) == 0:
        raise ValueError("mini-batch training needs at least one train row")
    return _Draws(sampler, shuffle, train_rows, valid_rows, seed)


def _fit_mini_batch(model: nn.Module, task: _Task, batch_size: int) -> FitOutcome:
    """Steps on sampled neighbourhoods of ``batch_size`` train rows; checks every few."""
    config = task.config
    device = next(model.parameters()).device
    draws = _draws(model, task)
    y_valid = task.y[draws.valid_rows]
    labels = torch.as_tensor(np.array(task.y, copy=True), dtype=torch.long)
    loss_fn = _loss_function(task, draws.train_rows, device)
    optimiser = _optimiser(model, config)
    batches_per_epoch = max(1, -(-len(draws.train_rows) // batch_size))
    check_every = max(1, min(config.eval_every, batches_per_epoch))
    valid_batch = max(batch_size, DEFAULT_BATCH_SIZE)  # no gradients: larger batches are fine
    keeper = _BestKeeper(model, config, task.say)
    batches = epochs = 0
    rows = _batches(draws.train_rows, batch_size, config.max_epochs, draws.shuffle)
    for epoch, seeds, last in rows:
        epochs = epoch + 1
        subgraph, positions = draws.sampler.sample(seeds)
        subgraph = subgraph.to(device)
        model.train()
        optimiser.zero_grad()
        logits = _seed_logits(model, subgraph)
        loss = loss_fn(logits[positions.to(device)], labels[seeds].to(device))
        loss.backward()
        optimiser.step()
        batches += 1
        # a check every check_every steps, and one after the very last step
        if batches % check_every and not last:
            continue
        proba = _sampled_proba(
            model, draws.sampler, draws.valid_rows, valid_batch, draws.seed + 3, len(task.classes)
        )
        improved = keeper.offer(y_valid, proba, task.score(evaluate(y_valid, proba, task.classes)))
        stop = keeper.should_stop(improved, more_to_come=not last)
        keeper.report(epochs, stopping=stop or last)
        if stop:
            break
    return keeper.outcome(epochs=epochs, batches=batches, batch_size=batch_size)


def _batches(
    rows: np.ndarray, batch_size: int, epochs: int, shuffle: np.random.Generator
) -> Iterator[tuple[int, np.ndarray, bool]]:
    """``(epoch, seed rows, last of all)`` for ``epochs`` seeded shuffles of ``rows``."""
    for epoch in range(epochs):
        order = shuffle.permutation(rows)
        for start in range(0, len(order), batch_size):
            last = epoch == epochs - 1 and start + batch_size >= len(order)
            yield epoch, order[start : start + batch_size], last


def _seed_logits(model: nn.Module, subgraph: Subgraph) -> Tensor:
    """Logits ``[S, C]`` or ``[N_target, C]`` whose first ``S`` rows are the ``S`` seeds'.

    A :class:`HeteroSAGE` computes each layer only for the nodes still needed
    (``depth_dict``) and returns the seeds' logits only; another model runs on
    the whole subgraph. Either way the sampler's seed positions index the result.
    """
    if isinstance(model, HeteroSAGE):
        trimmed: Tensor = model(
            subgraph.x_dict, subgraph.edge_index_dict, depth_dict=subgraph.depth
        )
        return trimmed
    logits: Tensor = model(subgraph.x_dict, subgraph.edge_index_dict)
    return logits


def _sampled_proba(
    model: nn.Module,
    sampler: NeighbourSampler,
    rows: np.ndarray,
    batch_size: int,
    seed: int,
    num_classes: int,
) -> np.ndarray:
    """Probabilities ``[len(rows), C]`` on neighbourhoods drawn afresh from ``seed``."""
    device = next(model.parameters()).device
    rng = np.random.default_rng(seed)
    parts = [np.zeros((0, num_classes))]
    model.eval()
    with torch.no_grad():
        for start in range(0, len(rows), batch_size):
            subgraph, positions = sampler.sample(rows[start : start + batch_size], rng=rng)
            subgraph = subgraph.to(device)
            logits = _seed_logits(model, subgraph)[positions.to(device)]
            parts.append(torch.softmax(logits, dim=-1).cpu().numpy())
    return np.asarray(np.concatenate(parts), dtype=np.float64)


def _log_loss(y: np.ndarray, proba: np.ndarray) -> float:
    if len(y) == 0:
        return 0.0
    picked = np.clip(proba[np.arange(len(y)), y], 1e-12, 1.0)
    return float(-np.log(picked).mean())


def _default_score(figures: dict[str, Any]) -> float:
    roc = figures.get("roc_auc")
    if roc is not None:
        return float(roc)
    return float(figures.get("macro_f1") or 0.0)
