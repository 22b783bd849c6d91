"""Baselines the GNN has to beat, on the same features and split.

- :class:`Scorecard`: an SAMR-style indicator scorecard (企业信用风险分类指标体系).
  Indicators fall into five categories, 基础属性 (basic attributes), 动态信息
  (dynamic information), 监管信息 (supervision records), 关联关系 (associations)
  and 社会评价 (social evaluation). Each indicator has a fixed expert direction
  (more violations → riskier, older → safer); its score is the percentile of
  the enterprise's value among the training enterprises. A category scores the
  mean of its indicators, the total is the weighted mean of the categories
  (weights configurable, renormalised over the categories that have
  indicators), and a logistic regression on the total turns it into class
  probabilities. No weight is learnt from the labels except that calibration.
- :class:`LgbmModel` on the enterprise's own features (``lgbm_own``) and on own
  features plus neighbour aggregates per relationship type (``lgbm_graph``,
  in the style of GADBench's "XGB-Graph"): :func:`neighbour_aggregates` adds,
  for each relationship type, the mean and max of the neighbours' numeric
  features, one hop for enterprise–enterprise types (each direction) and two
  hops through the shared person or address for the others.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
import torch
from sklearn.linear_model import LogisticRegression

from riskgraph.errors import RiskgraphError
from riskgraph.gnn.export import TARGET, EdgeType, GraphExport


class BaselineError(RiskgraphError):
    """A baseline cannot be fitted or loaded."""


# -- neighbour aggregates ------------------------------------------------------


def aggregate_columns(columns: Sequence[str]) -> list[str]:
    """The numeric (non one-hot) columns worth aggregating over neighbours."""
    return [c for c in columns if "=" not in c.split("[", 1)[0] and not c.endswith("_missing")]


def neighbour_aggregates(
    graph: GraphExport,
    raw: pd.DataFrame,
    edge_types: Sequence[EdgeType],
    *,
    columns: Sequence[str] | None = None,
    min_edges: int = 20,
    rows: np.ndarray | None = None,
    fill: Mapping[str, float] | None = None,
    values: torch.Tensor | None = None,
) -> pd.DataFrame:
    """Mean and max of neighbours' features per relationship type (``[len(rows), K]``).

    Column names read ``nbr[REL->]:mean:col`` (targets of outgoing links),
    ``nbr[REL<-]:max:col`` (sources of incoming links) and
    ``nbr[REL~person]:mean:col`` (firms sharing a person linked by REL);
    ``…:count`` is the number of neighbours. Types with fewer than
    ``min_edges`` edges in ``graph`` are skipped; with a fitted column list
    (scoring), pass the training columns to ``reindex`` afterwards.

    ``rows`` (enterprise rows, default all) limits the work to those firms and
    the links around them, so large graphs can be aggregated in chunks; the
    frame's index is ``rows``. Values are ``float32``. A missing (masked, not
    applicable) neighbour value counts as ``fill[column]`` (default 0). ``values``:
    :func:`neighbour_values` of ``raw`` already made (chunks share it).
    """
    n = graph.num_nodes(TARGET)
    wanted = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
    position = np.full(n, -1, dtype=np.int64)
    position[wanted] = np.arange(len(wanted))
    use = list(columns) if columns is not None else aggregate_columns(list(raw.columns))
    x = neighbour_values(raw, use, fill) if values is None else values
    names: list[str] = []
    blocks: list[torch.Tensor] = []
    empty = np.zeros((2, 0), dtype=np.int64)
    for edge_type in edge_types:
        src, rel, dst = edge_type
        if min_edges > 0 and _edge_count(graph, rel) < min_edges:
            continue
        edge_index = graph.edges.get(edge_type, empty)
        if src == TARGET and dst == TARGET:
            for tag, (a, b) in ((f"{rel}->", (0, 1)), (f"{rel}<-", (1, 0))):
                stats = _one_hop(x, edge_index[a], edge_index[b], position, len(wanted))
                _put(names, blocks, tag, use, *stats)
        elif dst == TARGET or src == TARGET:
            hub_type = src if dst == TARGET else dst
            if dst == TARGET:  # person/enterprise -> firm
                hubs, firms = edge_index[0], edge_index[1]
            else:  # firm -> address
                firms, hubs = edge_index[0], edge_index[1]
            stats = _two_hop(x, hubs, firms, position, len(wanted), graph.num_nodes(hub_type))
            _put(names, blocks, f"{rel}~{hub_type}", use, *stats)
    matrix = torch.cat(blocks, dim=1).numpy() if blocks else np.zeros((len(wanted), 0), np.float32)
    return pd.DataFrame(matrix, index=pd.Index(wanted), columns=names, copy=False)


def neighbour_values(
    raw: pd.DataFrame, columns: Sequence[str], fill: Mapping[str, float] | None = None
) -> torch.Tensor:
    """``[N, len(columns)]`` ``float32``: what neighbours contribute to the aggregates,
    a missing value as ``fill[column]`` (default 0)."""
    x = torch.from_numpy(np.ascontiguousarray(raw[list(columns)].to_numpy(dtype=np.float32)))
    missing = torch.isnan(x)
    if bool(missing.any()):
        neutral = torch.tensor([float((fill or {}).get(c, 0.0)) for c in columns], dtype=x.dtype)
        x = torch.where(missing, neutral[None, :], x)
    return x


def _edge_count(graph: GraphExport, rel: str) -> int:
    return sum(int(ei.shape[1]) for (_, r, _), ei in graph.edges.items() if r == rel)


def _put(
    names: list[str],
    blocks: list[torch.Tensor],
    tag: str,
    columns: Sequence[str],
    mean: torch.Tensor,
    most: torch.Tensor,
    count: torch.Tensor,
) -> None:
    names.append(f"nbr[{tag}]:count")
    for column in columns:
        names += [f"nbr[{tag}]:mean:{column}", f"nbr[{tag}]:max:{column}"]
    # interleave mean and max per column: [count, mean_0, max_0, mean_1, max_1, ...]
    pairs = torch.stack([mean, most], dim=2).reshape(mean.shape[0], 2 * len(columns))
    blocks.append(torch.cat([torch.log1p(count)[:, None], pairs], dim=1))


def _scatter_max(index: torch.Tensor, values: torch.Tensor, size: int) -> torch.Tensor:
    """Row-wise max of ``values`` grouped by ``index`` (``-inf`` where a group is empty)."""
    out = torch.full((size, values.shape[1]), -torch.inf, dtype=values.dtype)
    expanded = index[:, None].expand(-1, values.shape[1])
    return out.scatter_reduce_(0, expanded, values, reduce="amax", include_self=True)


def _scatter_sum(index: torch.Tensor, values: torch.Tensor, size: int) -> torch.Tensor:
    return torch.zeros((size, values.shape[1]), dtype=values.dtype).index_add_(0, index, values)


def _one_hop(
    x: torch.Tensor, centre: np.ndarray, other: np.ndarray, position: np.ndarray, m: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Mean/max of ``x[other]`` grouped by ``centre`` (zeros where no neighbour).

    Only centres with a ``position`` (≥ 0) count; outputs have ``m`` rows.
    """
    at = position[centre]
    kept = at >= 0
    index = torch.from_numpy(at[kept])
    values = x[torch.from_numpy(other[kept])]
    count = torch.bincount(index, minlength=m).to(x.dtype)
    mean = _scatter_sum(index, values, m) / count.clamp(min=1.0)[:, None]
    most = _scatter_max(index, values, m)
    most[count == 0] = 0.0
    return mean, most, count


def _two_hop(
    x: torch.Tensor,
    hubs: np.ndarray,
    firms: np.ndarray,
    position: np.ndarray,
    m: int,
    n_hubs: int,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Firms sharing a hub (person, address), excluding the firm itself.

    The mean is a mean over the firm's hubs of the hub's mean over its other
    firms, and the max uses each hub's two largest values, so the cost stays
    linear in the edges even for hubs with thousands of firms. Only the hubs
    of firms with a ``position`` are visited (with all of their firms).
    """
    touched = np.zeros(n_hubs, dtype=bool)
    touched[hubs[position[firms] >= 0]] = True
    kept = touched[hubs]
    hub_ids, local = np.unique(hubs[kept], return_inverse=True)
    hub = torch.from_numpy(local.astype(np.int64))
    firm = firms[kept]
    size = len(hub_ids)
    values = x[torch.from_numpy(firm)]
    degree = torch.bincount(hub, minlength=size).to(x.dtype)
    sums = _scatter_sum(hub, values, size)
    others = degree[hub] - 1.0
    at = torch.from_numpy(position[firm])
    useful = (others > 0) & (at >= 0)
    hub_mean = (sums[hub[useful]] - values[useful]) / others[useful][:, None]
    into = at[useful]
    count = torch.zeros(m, dtype=x.dtype).index_add_(0, into, others[useful])
    hubs_used = torch.bincount(into, minlength=m).to(x.dtype)
    mean = _scatter_sum(into, hub_mean, m) / hubs_used.clamp(min=1.0)[:, None]
    # max excluding self: a hub's largest value, unless the firm holds it, then the second.
    first = _scatter_max(hub, values, size)
    holds = values >= first[hub]
    holders = _scatter_sum(hub, holds.to(x.dtype), size)
    second = _scatter_max(hub, values.masked_fill(holds, -torch.inf), size)
    # ties at the top: another firm also holds the maximum
    second = torch.where(holders >= 2, first, second)
    other_max = torch.where(holds, second[hub], first[hub])
    most = _scatter_max(into, other_max[useful], m)
    most[~torch.isfinite(most)] = 0.0
    return mean, most, count


# -- scorecard ---------------------------------------------------------------

CATEGORIES: tuple[str, ...] = ("基础属性", "动态信息", "监管信息", "关联关系", "社会评价")
DEFAULT_WEIGHTS: dict[str, float] = {
    "基础属性": 0.15,
    "动态信息": 0.20,
    "监管信息": 0.30,
    "关联关系": 0.20,
    "社会评价": 0.15,
}
#: category → (column pattern, direction): +1 means a larger value is riskier.
#: A pattern ending in ``*`` matches every column with that prefix.
DEFAULT_INDICATORS: dict[str, tuple[tuple[str, int], ...]] = {
    "基础属性": (
        ("age_years", -1),
        ("log_registered_capital", -1),
        ("log_paid_in_capital", -1),
        ("paid_in_ratio", -1),
        ("capital_missing", 1),
        ("status=吊销", 1),
        ("status=注销", 1),
        ("status=迁出", 1),
    ),
    "动态信息": (
        ("viol_1y", 1),
        ("viol_3y", 1),
        ("days_since_last_violation", -1),
    ),
    "监管信息": (
        ("viol_active", 1),
        ("viol[kind=行政处罚]", 1),
        ("viol[kind=经营异常名录]", 1),
        ("viol[kind=严重违法失信]", 1),
        ("viol[kind=抽查检查不合格]", 1),
    ),
    "关联关系": (
        ("legal_rep_firms", 1),
        ("co_located_firms", 1),
        ("person_other_firms_sum", 1),
        ("nbr[*]:mean:viol_total", 1),
    ),
    "社会评价": (
        ("viol[kind=投诉举报]", 1),
        ("viol[kind=司法涉诉]", 1),
    ),
}


@dataclass
class Scorecard:
    """An indicator scorecard: percentile scores, weighted categories, calibrated."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    indicators: dict[str, tuple[tuple[str, int], ...]] = field(
        default_factory=lambda: dict(DEFAULT_INDICATORS)
    )
    used: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    reference: dict[str, list[float]] = field(default_factory=dict)
    calibration: dict[str, Any] = field(default_factory=dict)

    def resolve(self, columns: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
        """Indicator patterns → the columns present, per category."""
        found: dict[str, list[tuple[str, int]]] = {}
        for category in CATEGORIES:
            chosen: list[tuple[str, int]] = []
            for pattern, direction in self.indicators.get(category, ()):
                if "*" in pattern:
                    head, tail = pattern.split("*", 1)
                    chosen += [
                        (c, direction) for c in columns if c.startswith(head) and c.endswith(tail)
                    ]
                elif pattern in columns:
                    chosen.append((pattern, direction))
            if chosen and self.weights.get(category, 0.0) > 0:
                found[category] = chosen
        return found

    def fit(
        self, frame: pd.DataFrame, y: np.ndarray, rows: np.ndarray, classes: Sequence[str]
    ) -> Scorecard:
        self.used = self.resolve(list(frame.columns))
        if not self.used:
            raise BaselineError("no scorecard indicator matches the features")
        self.reference = {
            column: sorted(float(v) for v in _indicator(frame, column)[rows] if not np.isnan(v))
            for items in self.used.values()
            for column, _ in items
        }
        total = self.total(frame)
        model = LogisticRegression(max_iter=1000, class_weight="balanced")
        model.fit(total[rows, None], y[rows])
        self.calibration = {
            "classes": [int(c) for c in model.classes_],
            "coef": model.coef_.tolist(),
            "intercept": model.intercept_.tolist(),
            "n_classes": len(classes),
        }
        return self

    def indicator_scores(self, frame: pd.DataFrame) -> dict[str, np.ndarray]:
        """Per indicator column: the direction-adjusted percentile in [0, 1]."""
        scores: dict[str, np.ndarray] = {}
        for items in self.used.values():
            for column, direction in items:
                reference = np.asarray(self.reference[column])
                values = _indicator(frame, column)
                below = np.searchsorted(reference, values, side="left")
                upto = np.searchsorted(reference, values, side="right")
                percentile = (below + upto) / 2.0 / max(len(reference), 1)
                score = percentile if direction > 0 else 1.0 - percentile
                # not applicable to the firm's kind: no score (left out of its category)
                scores[column] = np.where(np.isnan(values), np.nan, score)
        return scores

    def category_scores(self, frame: pd.DataFrame) -> dict[str, np.ndarray]:
        """Per category: the mean of the indicators that apply to each firm (0.5, the
        neutral score, where none does)."""
        scores = self.indicator_scores(frame)
        out: dict[str, np.ndarray] = {}
        for category, items in self.used.items():
            stacked = np.vstack([scores[column] for column, _ in items])
            applies = ~np.isnan(stacked)
            count = applies.sum(axis=0)
            total = np.where(applies, stacked, 0.0).sum(axis=0)
            out[category] = np.where(count > 0, total / np.maximum(count, 1), 0.5)
        return out

    def total(self, frame: pd.DataFrame) -> np.ndarray:
        """The weighted score in [0, 1] (higher = riskier)."""
        categories = self.category_scores(frame)
        weight = sum(self.weights[c] for c in categories)
        return np.asarray(sum(self.weights[c] * s for c, s in categories.items()) / weight)

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        total = self.total(frame)
        cal = self.calibration
        coef = np.asarray(cal["coef"])
        intercept = np.asarray(cal["intercept"])
        k = int(cal["n_classes"])
        out = np.zeros((len(total), k))
        if len(cal["classes"]) == 2:
            p = 1.0 / (1.0 + np.exp(-(total * coef[0, 0] + intercept[0])))
            out[:, cal["classes"][0]] = 1.0 - p
            out[:, cal["classes"][1]] = p
        else:
            logits = total[:, None] * coef[:, 0][None, :] + intercept[None, :]
            logits -= logits.max(axis=1, keepdims=True)
            probs = np.exp(logits)
            probs /= probs.sum(axis=1, keepdims=True)
            for j, c in enumerate(cal["classes"]):
                out[:, c] = probs[:, j]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": self.weights,
            "used": {c: [[col, d] for col, d in items] for c, items in self.used.items()},
            "reference": self.reference,
            "calibration": self.calibration,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scorecard:
        card = cls(weights={k: float(v) for k, v in data["weights"].items()})
        card.used = {
            c: [(str(col), int(d)) for col, d in items] for c, items in data["used"].items()
        }
        card.reference = {k: [float(x) for x in v] for k, v in data["reference"].items()}
        card.calibration = data["calibration"]
        return card


# -- LightGBM ----------------------------------------------------------------


@dataclass(frozen=True)
class LgbmConfig:
    """LightGBM settings; early stopping on the validation rows."""

    n_estimators: int = 2000
    learning_rate: float = 0.03
    num_leaves: int = 15
    min_child_samples: int = 20
    subsample: float = 0.8
    colsample_bytree: float = 0.5
    reg_lambda: float = 1.0
    early_stopping_rounds: int = 100
    n_jobs: int = 1
    max_seconds: float | None = None
    """Wall-clock budget: stop boosting after the round that passes it (large graphs on
    small machines; the model then depends on the machine's speed)."""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class LgbmModel:
    """A LightGBM classifier over named columns (saved as LightGBM's text format)."""

    def __init__(self, columns: Sequence[str], n_classes: int, booster: Any = None) -> None:
        self.columns = list(columns)
        self.n_classes = n_classes
        self.booster = booster

    def fit(
        self,
        frame: pd.DataFrame,
        y: np.ndarray,
        train_rows: np.ndarray,
        valid_rows: np.ndarray,
        *,
        seed: int,
        config: LgbmConfig,
    ) -> LgbmModel:
        x = self._matrix(frame)
        binary = self.n_classes == 2
        params: dict[str, Any] = {
            "objective": "binary" if binary else "multiclass",
            "metric": "binary_logloss" if binary else "multi_logloss",
            "learning_rate": config.learning_rate,
            "num_leaves": config.num_leaves,
            "min_child_samples": config.min_child_samples,
            "bagging_fraction": config.subsample,
            "bagging_freq": 1,
            "feature_fraction": config.colsample_bytree,
            "lambda_l2": config.reg_lambda,
            "seed": seed,
            "num_threads": config.n_jobs,
            "deterministic": True,
            "force_row_wise": True,
            "verbosity": -1,
        }
        if not binary:
            params["num_class"] = self.n_classes
        train_set = lgb.Dataset(
            x[train_rows], y[train_rows], weight=_balanced_weights(y[train_rows], self.n_classes)
        )
        valid_sets: list[lgb.Dataset] = []
        callbacks: list[Callable[..., Any]] = []
        if len(valid_rows):
            valid_sets = [lgb.Dataset(x[valid_rows], y[valid_rows], reference=train_set)]
            callbacks = [lgb.early_stopping(config.early_stopping_rounds, verbose=False)]
        if config.max_seconds is not None:
            callbacks.append(_time_budget(config.max_seconds))
        self.booster = lgb.train(
            params,
            train_set,
            num_boost_round=config.n_estimators,
            valid_sets=valid_sets,
            callbacks=callbacks,
        )
        return self

    def _matrix(self, frame: pd.DataFrame) -> np.ndarray:
        if list(frame.columns) != self.columns:
            frame = frame.reindex(columns=self.columns, fill_value=0.0)
        return frame.to_numpy(dtype=np.float32)

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        if self.booster is None:
            raise BaselineError("the LightGBM model is not fitted")
        # prediction is per row, so every core can share it without changing a figure
        raw = self.booster.predict(self._matrix(frame), num_threads=_threads_for(len(frame)))
        raw = np.asarray(raw, dtype=np.float64)
        if self.n_classes == 2:
            return np.column_stack([1.0 - raw, raw])
        return raw

    def contributions(self, frame: pd.DataFrame, class_index: int) -> np.ndarray:
        """TreeSHAP contributions ``[N, F]`` to the raw score of ``class_index``."""
        if self.booster is None:
            raise BaselineError("the LightGBM model is not fitted")
        contrib = np.asarray(
            self.booster.predict(
                self._matrix(frame), pred_contrib=True, num_threads=_threads_for(len(frame))
            )
        )
        width = len(self.columns) + 1
        if self.n_classes == 2:
            values = contrib[:, : width - 1]
            return values if class_index == 1 else -values
        start = class_index * width
        return np.asarray(contrib[:, start : start + width - 1])

    def save(self, folder: Path, name: str) -> None:
        if self.booster is None:
            raise BaselineError("the LightGBM model is not fitted")
        (folder / f"{name}.lgbm.txt").write_text(self.booster.model_to_string(), "utf-8")
        meta = {"columns": self.columns, "n_classes": self.n_classes}
        (folder / f"{name}.columns.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path, name: str) -> LgbmModel:
        try:
            meta = json.loads((folder / f"{name}.columns.json").read_text("utf-8"))
            booster = lgb.Booster(model_str=(folder / f"{name}.lgbm.txt").read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise BaselineError(f"cannot load LightGBM model {name} from {folder}: {exc}") from exc
        return cls(meta["columns"], int(meta["n_classes"]), booster)


def _indicator(frame: pd.DataFrame, column: str) -> np.ndarray:
    """An indicator's values, rounded to ``float32``: training reads ``float32`` tables
    and scoring ``float64`` ones, and percentiles must see the same ties in both."""
    if column not in frame:
        return np.zeros(len(frame))
    return frame[column].to_numpy(dtype=np.float32).astype(np.float64)


def _time_budget(seconds: float) -> Callable[[Any], None]:
    """A LightGBM callback ending training after the round that passes ``seconds``."""
    started = time.monotonic()

    def stop_when_over(env: Any) -> None:
        if time.monotonic() - started > seconds:
            raise lgb.callback.EarlyStopException(env.iteration, env.evaluation_result_list)

    stop_when_over.order = 40  # type: ignore[attr-defined]  # after early stopping (30)
    return stop_when_over


def _balanced_weights(y: np.ndarray, n_classes: int) -> np.ndarray:
    """Per-row weights ``n / (k · count(class))`` (scikit-learn's "balanced")."""
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    present = int((counts > 0).sum())
    return np.asarray(len(y) / (present * counts[y]))


FEW_ROWS = 1000
"""Up to this many rows a LightGBM prediction runs on one thread: starting the thread
pool costs more than it saves (and waits for busy cores)."""


def _threads_for(rows: int) -> int:
    return 1 if rows <= FEW_ROWS else os.cpu_count() or 1
