"""Full-batch training of a GNN with class weights and early stopping on validation."""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn
from torch_geometric.data import HeteroData

from riskgraph.gnn.export import edge_index_dict
from riskgraph.gnn.metrics import evaluate


@dataclass(frozen=True)
class FitConfig:
    """Optimiser and stopping rule."""

    lr: float = 0.005
    weight_decay: float = 5e-4
    max_epochs: int = 300
    patience: int = 40
    class_weighting: bool = True
    max_seconds: float | None = None
    """Wall-clock budget: stop after the epoch that passes it, keeping the best weights
    so far (large graphs on small machines; the outcome then depends on the machine)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FitOutcome:
    """The best epoch's weights (already loaded into the model) and its validation figure."""

    best_epoch: int
    best_score: float
    epochs_run: int
    history: list[float]
    stopped_by_budget: bool = False


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


def predict_proba(model: nn.Module, data: HeteroData) -> np.ndarray:
    """Class probabilities ``[N_target, C]`` in eval mode."""
    model.eval()
    with torch.no_grad():
        logits = model(data.x_dict, edge_index_dict(data))
    return np.asarray(torch.softmax(logits, dim=-1).cpu().numpy(), dtype=np.float64)


def fit(
    model: nn.Module,
    data: HeteroData,
    y: np.ndarray,
    train_rows: np.ndarray,
    valid_rows: np.ndarray,
    classes: tuple[str, ...],
    config: FitConfig,
    *,
    score: Callable[[dict[str, Any]], float] | None = None,
) -> FitOutcome:
    """Train ``model`` on ``train_rows`` and keep the weights best on ``valid_rows``.

    ``y`` holds class indices for every target node (``-1`` where unlabelled);
    ``score`` turns :func:`evaluate`'s figures into the number to maximise
    (ROC-AUC by default, falling back to macro-F1).
    """
    score = score or _default_score
    device = next(model.parameters()).device
    target = torch.as_tensor(np.array(y, copy=True), dtype=torch.long, device=device)
    train_idx = torch.as_tensor(train_rows, dtype=torch.long, device=device)
    weight = class_weights(y[train_rows], len(classes)) if config.class_weighting else None
    loss_fn = nn.CrossEntropyLoss(weight=weight.to(device) if weight is not None else None)
    optimiser = torch.optim.AdamW(
        model.parameters(), lr=config.lr, weight_decay=config.weight_decay
    )
    best_state = copy.deepcopy(model.state_dict())
    best: tuple[float, float] = (-np.inf, -np.inf)
    best_epoch, history = -1, []
    epoch = 0
    y_valid = y[valid_rows]
    started = time.monotonic()
    over_budget = False
    for epoch in range(config.max_epochs):
        model.train()
        optimiser.zero_grad()
        logits = model(data.x_dict, edge_index_dict(data))
        loss = loss_fn(logits[train_idx], target[train_idx])
        loss.backward()
        optimiser.step()
        proba = predict_proba(model, data)[valid_rows]
        current = (score(evaluate(y_valid, proba, classes)), -_log_loss(y_valid, proba))
        history.append(current[0])
        # better: a higher score, or the same score with a lower validation loss
        if current[0] > best[0] + 1e-6 or (
            current[0] >= best[0] - 1e-6 and current[1] > best[1] + 1e-4
        ):
            best, best_epoch = current, epoch
            best_state = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= config.patience:
            break
        if config.max_seconds is not None and time.monotonic() - started > config.max_seconds:
            over_budget = epoch + 1 < config.max_epochs
            break
    model.load_state_dict(best_state)
    return FitOutcome(
        best_epoch=best_epoch,
        best_score=float(best[0]),
        epochs_run=epoch + 1,
        history=history,
        stopped_by_budget=over_budget,
    )


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
