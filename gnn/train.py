"""Train every candidate on one split, select on validation, write a model version.

``train(store, out_dir, ...)`` exports the graph, prepares the model inputs
(:mod:`riskgraph.gnn.inputs`: fits the feature pipeline), trains the
scorecard, two LightGBM baselines and the heterogeneous GNN on the same train
rows (the GNN through :mod:`riskgraph.gnn.fit`, its fitting loop),
early-stops and tunes on the validation rows, ships the model best on
validation (:mod:`riskgraph.gnn.selection`) and writes ``out_dir/<version>/``:
the model files (:mod:`riskgraph.gnn.bundle`), ``metrics.json`` (test-split
figures per model, validation figures alongside) and ``report.md``
(:mod:`riskgraph.gnn.report`).

The labels and the split come from :mod:`riskgraph.gnn.labels`. On large
graphs the scorecard and the trees fit on a stratified sample of the train
rows (``TrainConfig.max_fit_rows``) and the figures come from samples of the
validation and test rows (``max_eval_rows``); the GNN trains on all train
rows, in mini-batches.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from riskgraph.gnn.baselines import LgbmConfig, LgbmModel, Scorecard
from riskgraph.gnn.bundle import (
    ALL_MODELS,
    ENSEMBLE,
    ENSEMBLE_MEMBERS,
    GNN_MODELS,
    PIPELINE,
    predict_with,
    save_model,
)
from riskgraph.gnn.drift import REFERENCE, build_reference, save_reference
from riskgraph.gnn.export import TARGET, GraphExport, export_graph
from riskgraph.gnn.features import FeatureConfig, FeaturePipeline, entity_kinds_of
from riskgraph.gnn.fit import FitConfig, FitHooks, fit, pick_device, seed_everything
from riskgraph.gnn.hetero_sage import HeteroSAGE, HeteroSAGEConfig
from riskgraph.gnn.inputs import Inputs, prepare
from riskgraph.gnn.labels import (
    INSPECTION_SOURCES,
    Labels,
    Outcome,
    TrainError,
    cap_labels,
    load_labels,
    read_outcomes,
    stratified_sample,
)
from riskgraph.gnn.metrics import predict_classes
from riskgraph.gnn.progress import Progress, quiet
from riskgraph.gnn.report import metrics_document, split_summary, write_report
from riskgraph.gnn.selection import Selection, ThresholdRule, select
from riskgraph.gnn.versions import MANIFEST
from riskgraph.graph.store import GraphStore

BINARY_CLASSES: tuple[str, str] = ("0", "1")

__all__ = ["LabelSpec", "TrainConfig", "TrainError", "TrainResult", "train", "train_on_export"]


@dataclass(frozen=True)
class TrainConfig:
    """What to train and how; the defaults suit graphs of up to a few million nodes."""

    models: tuple[str, ...] = ALL_MODELS
    features: FeatureConfig = field(default_factory=FeatureConfig)
    gnn: tuple[HeteroSAGEConfig, ...] = (HeteroSAGEConfig(),)
    """GNN configurations tried; the best on validation is kept."""
    fit: FitConfig = field(default_factory=FitConfig)
    lgbm: LgbmConfig = field(default_factory=LgbmConfig)
    scorecard_weights: Mapping[str, float] | None = None
    split_fractions: tuple[float, float, float] = (0.7, 0.15, 0.15)
    min_aggregate_edges: int = 20
    page_size: int = 5000
    device: str = "auto"
    as_of: date | None = None
    """Reference date of the timing features (default: today)."""
    tune_threshold: bool = True
    """Tune a decision threshold on validation: binary, the one maximising macro-F1;
    multi-class, the one on the highest-risk class that reaches ``high_risk_recall``."""
    high_risk_recall: float | None = 0.9
    """Multi-class: the validation recall of the highest-risk class (D) to reach."""
    max_fit_rows: int | None = 250_000
    """The scorecard and the tree models fit on a seeded stratified sample of about
    this many training rows (the GNN samples neighbourhoods of all of them)."""
    max_eval_rows: int | None = 100_000
    """Validation and test figures come from seeded stratified samples of about this
    many rows each."""
    monitoring_reference: bool = True
    """Store the feature distributions and the selected model's class shares on the
    training population (``reference.json``, :mod:`riskgraph.gnn.drift`): one more
    prediction pass over every enterprise."""


@dataclass(frozen=True)
class LabelSpec:
    """Where the labels come from and what they are: ``source`` is ``"graph"`` (the
    enterprises' label properties), ``"inspections"`` (inspection results),
    ``"graph+inspections"`` (both, see :func:`~riskgraph.gnn.labels.inspection_class`)
    or a CSV of key,class; ``classes`` lowest risk first; ``binary`` for two classes
    (e.g. SMEsD's bankruptcy label); ``since``: only inspections dated from that day."""

    source: Literal["graph", "inspections", "graph+inspections"] | Path | str = "graph"
    classes: Sequence[str] = ("A", "B", "C", "D")
    binary: bool = False
    since: date | None = None


@dataclass
class TrainResult:
    """Where the version went and what won."""

    version: str
    model_dir: Path
    selected: str
    metrics: dict[str, Any]
    validation: dict[str, dict[str, Any]]
    report: Path
    seconds: float
    """The whole run from the exported graph on: labels, features, every candidate,
    selection and writing (the export itself not included)."""
    inputs: Inputs | None = field(default=None, repr=False)
    """The features the models were trained from, kept when asked (``keep_inputs``):
    scoring them (:func:`riskgraph.gnn.score.score` with ``inputs=``) needs no new export."""


@dataclass(frozen=True)
class _Run:
    """One training run's fixed choices."""

    classes: tuple[str, ...]
    binary: bool
    seed: int
    as_of: date
    label_source: str
    config: TrainConfig


def train(
    store: GraphStore,
    out_dir: Path,
    *,
    labels: LabelSpec | None = None,
    seed: int = 0,
    config: TrainConfig | None = None,
    progress: Progress | None = None,
    keep_inputs: bool = False,
) -> TrainResult:
    """Train, select on validation and write ``out_dir/<version>/``.

    ``progress`` is told what each step did as it finishes (the CLI prints it);
    ``keep_inputs`` keeps the exported graph and its features in the result.
    """
    config = config or TrainConfig()
    say = progress or quiet
    outcomes = None
    if labels is not None and str(labels.source) in INSPECTION_SOURCES:
        outcomes = read_outcomes(store, labels.since)
        say(f"{len(outcomes):,} inspected enterprises read as labels")
    graph = export_graph(store, page_size=config.page_size)
    say(
        f"exported {graph.num_nodes(TARGET):,} enterprises, "
        f"{sum(graph.num_nodes(t) for t in graph.keys):,} nodes, "
        f"{sum(graph.edge_counts().values()):,} links"
    )
    return train_on_export(
        graph,
        out_dir,
        labels=labels,
        seed=seed,
        config=config,
        progress=progress,
        keep_inputs=keep_inputs,
        outcomes=outcomes,
    )


def train_on_export(
    graph: GraphExport,
    out_dir: Path,
    *,
    labels: LabelSpec | None = None,
    seed: int = 0,
    config: TrainConfig | None = None,
    progress: Progress | None = None,
    keep_inputs: bool = False,
    outcomes: Mapping[str, Outcome] | None = None,
) -> TrainResult:
    """:func:`train` on an already exported graph (``outcomes``: the inspection results
    an inspection label source reads, see :func:`~riskgraph.gnn.labels.read_outcomes`)."""
    started = time.monotonic()
    config = config or TrainConfig()
    say = progress or quiet
    spec = labels or LabelSpec()
    class_names = _checked(graph, config, spec.classes, spec.binary)
    found = load_labels(
        graph,
        spec.source,
        class_names,
        binary=spec.binary,
        seed=seed,
        fractions=config.split_fractions,
        outcomes=outcomes,
    )
    run = _Run(class_names, spec.binary, seed, _as_of(config, outcomes), str(spec.source), config)
    known = cap_labels(found, config.max_eval_rows, seed)
    fit_rows = stratified_sample(known.train, known.y, config.max_fit_rows, seed)
    eval_rows = np.union1d(known.valid, known.test)

    seed_everything(seed)
    pipeline = FeaturePipeline(config.features)
    inputs = prepare(
        graph, pipeline, as_of=run.as_of, min_aggregate_edges=config.min_aggregate_edges
    )
    say(
        f"features: {len(inputs.own.columns)} own, {len(inputs.aggregate_columns)} neighbour "
        f"aggregates; trees fit on {len(fit_rows):,} of {len(known.train):,} training rows"
    )
    fitted = _fit_candidates(inputs, known, fit_rows, eval_rows, run, say)
    rule = ThresholdRule(spec.binary, config.tune_threshold, config.high_risk_recall)
    chosen = select(fitted.probas, known, eval_rows, class_names, rule, entity_kinds_of(graph))
    for name, figures in chosen.test.items():
        figures["training"] = fitted.details[name]

    version = _new_version(Path(out_dir), seed)
    folder = Path(out_dir) / version
    folder.mkdir(parents=True, exist_ok=False)
    split = split_summary(known, fit_rows, class_names, graph.num_nodes(TARGET))
    metrics = metrics_document(chosen, split, version)
    manifest = _save_models(folder, version, run, pipeline, inputs, fitted.models, chosen)
    if config.monitoring_reference:
        _save_reference(folder, manifest, run, inputs, fitted.models, chosen)
        say("monitoring reference stored")
    return TrainResult(
        version=version,
        model_dir=folder,
        selected=chosen.selected,
        metrics=metrics,
        validation=chosen.validation,
        report=write_report(folder, metrics, manifest),
        seconds=time.monotonic() - started,
        inputs=inputs if keep_inputs else None,
    )


def _as_of(config: TrainConfig, outcomes: Mapping[str, Outcome] | None) -> date:
    """The reference date of the features: the configured one; with inspection labels
    the day before the earliest labelling inspection, so the violation a failed
    inspection records is not among the features that predict it; else today."""
    if config.as_of is not None:
        return config.as_of
    if outcomes:
        return date.fromisoformat(min(o.date for o in outcomes.values())) - timedelta(days=1)
    return date.today()


def _checked(
    graph: GraphExport, config: TrainConfig, classes: Sequence[str], binary: bool
) -> tuple[str, ...]:
    """The class names, once the run is known to make sense."""
    unknown = set(config.models) - set(ALL_MODELS)
    if unknown or not config.models:
        raise TrainError(f"unknown models {sorted(unknown)}; choose from {', '.join(ALL_MODELS)}")
    class_names = BINARY_CLASSES if binary else tuple(str(c) for c in classes)
    if len(class_names) < 2:
        raise TrainError("at least two classes are needed")
    if graph.num_nodes(TARGET) == 0:
        raise TrainError("the graph holds no enterprises")
    return class_names


def _save_models(
    folder: Path,
    version: str,
    run: _Run,
    pipeline: FeaturePipeline,
    inputs: Inputs,
    models: Mapping[str, Any],
    chosen: Selection,
) -> dict[str, Any]:
    """Write the pipeline, every candidate and the manifest; the manifest."""
    pipeline.save(folder / PIPELINE)
    files = {name: save_model(folder, name, model) for name, model in models.items()}
    graph = inputs.graph
    manifest = {
        "version": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "selected": chosen.selected,
        "binary": run.binary,
        "classes": list(run.classes),
        "thresholds": chosen.thresholds,
        "seed": run.seed,
        "as_of": run.as_of.isoformat(),
        "label_source": run.label_source,
        "aggregate_columns": inputs.aggregate_columns,
        "models": files,
        "features": run.config.features.to_dict(),
        "graph": {
            "nodes": {t: graph.num_nodes(t) for t in graph.keys},
            "edges": graph.edge_counts(),
        },
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return manifest


def _save_reference(
    folder: Path,
    manifest: dict[str, Any],
    run: _Run,
    inputs: Inputs,
    models: Mapping[str, Any],
    chosen: Selection,
) -> None:
    """The training population's feature distributions and the selected model's class
    shares on it, beside the manifest (which names the file)."""
    proba = predict_with(chosen.selected, models[chosen.selected], inputs)
    picked = predict_classes(proba, chosen.thresholds.get(chosen.selected))
    reference = build_reference(
        inputs.own,
        [run.classes[i] for i in picked],
        run.classes,
        as_of=run.as_of.isoformat(),
        model=chosen.selected,
    )
    save_reference(folder, reference)
    manifest["reference"] = REFERENCE
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")


def _new_version(out_dir: Path, seed: int) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    version = f"v{stamp}-s{seed}"
    n = 1
    while (out_dir / version).exists():
        n += 1
        version = f"v{stamp}-s{seed}-{n}"
    return version


# -- candidates ----------------------------------------------------------------


@dataclass
class _Candidates:
    """The fitted candidates, their probabilities on the evaluation rows, how each was fitted."""

    models: dict[str, Any] = field(default_factory=dict)
    probas: dict[str, np.ndarray] = field(default_factory=dict)
    details: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, name: str, model: Any, detail: dict[str, Any], proba: np.ndarray) -> str:
        """Keep one candidate; what to tell about it."""
        self.models[name], self.probas[name], self.details[name] = model, proba, detail
        return f"{name}: fit {detail['seconds']:.0f} s, predict {detail['predict_seconds']:.0f} s"


def _fit_candidates(
    inputs: Inputs,
    labels: Labels,
    fit_rows: np.ndarray,
    eval_rows: np.ndarray,
    run: _Run,
    say: Progress,
) -> _Candidates:
    """Fit every candidate asked for; each predicts ``eval_rows``."""
    found = _Candidates()
    models = run.config.models
    trees = [m for m in models if m not in (ENSEMBLE, *GNN_MODELS)]
    if trees:
        tables = _Tables(inputs, np.union1d(fit_rows, eval_rows))
        say(f"feature tables for {len(tables.rows):,} rows")
        for name in trees:
            model, detail = _fit_tree_model(name, tables, labels, fit_rows, run)
            started = time.monotonic()
            proba = np.asarray(model.predict_proba(tables.frame(name, eval_rows)))
            detail["predict_seconds"] = round(time.monotonic() - started, 2)
            say(found.add(name, model, detail, proba))
        del tables  # the wide tables are not needed any more: free them before the GNN
    for name in (m for m in models if m in GNN_MODELS):
        started = time.monotonic()
        model, detail = _fit_gnn(inputs, labels, run, say)
        detail["seconds"] = round(time.monotonic() - started, 2)
        started = time.monotonic()
        proba = predict_with(name, model, inputs, eval_rows)
        detail["predict_seconds"] = round(time.monotonic() - started, 2)
        say(found.add(name, model, detail, proba))
    if ENSEMBLE in models and all(m in found.models for m in ENSEMBLE_MEMBERS):
        found.models[ENSEMBLE] = {m: found.models[m] for m in ENSEMBLE_MEMBERS}
        found.probas[ENSEMBLE] = np.mean([found.probas[m] for m in ENSEMBLE_MEMBERS], axis=0)
        found.details[ENSEMBLE] = {"members": list(ENSEMBLE_MEMBERS), "weights": "equal"}
    return found


class _Tables:
    """Own and extended feature tables for the rows the non-GNN candidates read.

    On large graphs that is a sample of the training rows plus the evaluation
    rows, so the wide neighbour aggregates are computed once, for those only
    (``float32``, one block, so LightGBM reads them without another copy).
    """

    def __init__(self, inputs: Inputs, rows: np.ndarray) -> None:
        self.rows = rows
        self.own = inputs.own.iloc[rows].reset_index(drop=True).astype(np.float32)
        extended = inputs.extended_rows(rows)
        self.extended = pd.DataFrame(
            extended.to_numpy(dtype=np.float32), columns=extended.columns, copy=False
        )

    def at(self, rows: np.ndarray) -> np.ndarray:
        """Positions of enterprise ``rows`` in the tables."""
        return np.searchsorted(self.rows, rows)

    def frame(self, name: str, rows: np.ndarray | None = None) -> pd.DataFrame:
        """The table candidate ``name`` reads, for ``rows`` (default: all rows held)."""
        table = self.own if name == "lgbm_own" else self.extended
        return table if rows is None else table.iloc[self.at(rows)]


def _fit_tree_model(
    name: str, tables: _Tables, labels: Labels, fit_rows: np.ndarray, run: _Run
) -> tuple[Any, dict[str, Any]]:
    """Fit the scorecard or a LightGBM model on the sampled training rows."""
    started = time.monotonic()
    config = run.config
    detail: dict[str, Any] = {}
    model: Any
    y = labels.y[tables.rows]
    frame = tables.frame(name)
    if name == "scorecard":
        card = Scorecard()
        if config.scorecard_weights is not None:
            card.weights = {**card.weights, **dict(config.scorecard_weights)}
        model = card.fit(frame, y, tables.at(fit_rows), run.classes)
        detail["indicators"] = {c: [col for col, _ in items] for c, items in model.used.items()}
        detail["weights"] = model.weights
    elif name in ("lgbm_own", "lgbm_graph"):
        model = LgbmModel(list(frame.columns), len(run.classes)).fit(
            frame,
            y,
            tables.at(fit_rows),
            tables.at(labels.valid),
            seed=run.seed,
            config=config.lgbm,
        )
        detail["features"] = len(frame.columns)
        detail["trees"] = int(model.booster.num_trees()) if model.booster is not None else 0
        detail["rows"] = len(fit_rows)
    else:  # pragma: no cover - checked in train()
        raise TrainError(f"unknown model {name!r}")
    detail["seconds"] = round(time.monotonic() - started, 2)
    return model, detail


def _fit_gnn(
    inputs: Inputs, labels: Labels, run: _Run, say: Progress = quiet
) -> tuple[HeteroSAGE, dict[str, Any]]:
    """Every GNN configuration asked for, each from the seed; the best on validation
    (``say`` hears each configuration start and its epochs as they go)."""
    device = pick_device(run.config.device)
    data = inputs.data.to(device)
    in_channels = {t: int(data[t].x.shape[1]) for t in data.node_types}
    best: tuple[float, HeteroSAGE, dict[str, Any]] | None = None
    tried = []
    for number, gnn_config in enumerate(run.config.gnn, start=1):
        seed_everything(run.seed)
        model = HeteroSAGE(data.metadata(), in_channels, len(run.classes), gnn_config).to(device)
        say(f"training the GNN, configuration {number} of {len(run.config.gnn)} on {device}")
        outcome = fit(
            model,
            data,
            labels.y,
            labels.train,
            labels.valid,
            run.classes,
            run.config.fit,
            FitHooks(progress=say),
        )
        tried.append(
            {
                "config": gnn_config.to_dict(),
                "valid": round(outcome.best_score, 4),
                "best_epoch": outcome.best_epoch,
            }
        )
        if best is None or outcome.best_score > best[0] + 1e-9:
            detail = {
                "config": gnn_config.to_dict(),
                "best_epoch": outcome.best_epoch,
                "epochs_run": outcome.epochs_run,
                "stopped_by_budget": outcome.stopped_by_budget,
                "batch_size": outcome.batch_size,
                "batches_run": outcome.batches_run,
                "device": str(device),
            }
            best = (outcome.best_score, model, detail)
    assert best is not None
    _, model, detail = best
    detail["tried"] = tried
    model.eval()
    return model, detail
