"""Train every candidate on one split, select on validation, write a model version.

``train(store, out_dir, ...)`` exports the graph, fits the feature pipeline,
trains the scorecard, two LightGBM baselines and the heterogeneous GNN on the
same train rows, early-stops and tunes on the validation rows, ships the model
best on validation (ROC-AUC, ties broken by macro-F1) and writes
``out_dir/<version>/`` with ``metrics.json`` (test-split figures per model,
validation figures alongside) and ``report.md``.

The split is the graph's ``Enterprise.split`` (``train``/``valid``/``test``)
where the labelled enterprises carry one, else a seeded stratified split. On
large graphs the scorecard and the trees fit on a stratified sample of the
train rows (``TrainConfig.max_fit_rows``) and the figures come from samples of
the validation and test rows (``max_eval_rows``); the GNN trains on all train
rows, in mini-batches (:mod:`riskgraph.gnn.trainer`).
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from riskgraph.errors import RiskgraphError
from riskgraph.gnn import bundle as bundle_mod
from riskgraph.gnn.baselines import LgbmConfig, LgbmModel, Scorecard
from riskgraph.gnn.bundle import (
    ALL_MODELS,
    ENSEMBLE,
    ENSEMBLE_MEMBERS,
    PIPELINE,
    Inputs,
    prepare,
)
from riskgraph.gnn.export import TARGET, GraphExport, export_graph
from riskgraph.gnn.features import FeatureConfig, FeaturePipeline
from riskgraph.gnn.hetero_sage import HeteroSAGE, HeteroSAGEConfig
from riskgraph.gnn.metrics import best_threshold, evaluate, recall_threshold
from riskgraph.gnn.progress import Progress, quiet
from riskgraph.gnn.trainer import FitConfig, fit, pick_device, seed_everything
from riskgraph.gnn.versions import MANIFEST
from riskgraph.graph.store import GraphStore

BINARY_CLASSES: tuple[str, str] = ("0", "1")
SPLITS: tuple[str, ...] = ("train", "valid", "test")


class TrainError(RiskgraphError):
    """Training cannot run: no labels, an empty split, a bad label file."""


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
    inputs: Inputs | None = field(default=None, repr=False)
    """The features the models were trained from, kept when asked (``keep_inputs``):
    scoring them (:func:`riskgraph.gnn.score.score` with ``inputs=``) needs no new export."""


@dataclass
class Labels:
    """Class indices (``-1`` unlabelled) and the split of the labelled rows."""

    y: np.ndarray
    train: np.ndarray
    valid: np.ndarray
    test: np.ndarray
    source: str
    sampled_from: dict[str, int] = field(default_factory=dict)
    """Split sizes before :func:`cap_labels` sampled them (empty when nothing was sampled)."""


def train(
    store: GraphStore,
    out_dir: Path,
    *,
    label_source: Literal["graph"] | Path | str = "graph",
    classes: Sequence[str] = ("A", "B", "C", "D"),
    binary: bool = False,
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
    graph = export_graph(store, page_size=config.page_size)
    say(
        f"exported {graph.num_nodes(TARGET):,} enterprises, "
        f"{sum(graph.num_nodes(t) for t in graph.keys):,} nodes, "
        f"{sum(graph.edge_counts().values()):,} links"
    )
    return train_on_export(
        graph, out_dir, label_source=label_source, classes=classes, binary=binary, seed=seed,
        config=config, progress=progress, keep_inputs=keep_inputs,
    )  # fmt: skip


def train_on_export(
    graph: GraphExport,
    out_dir: Path,
    *,
    label_source: Literal["graph"] | Path | str = "graph",
    classes: Sequence[str] = ("A", "B", "C", "D"),
    binary: bool = False,
    seed: int = 0,
    config: TrainConfig | None = None,
    progress: Progress | None = None,
    keep_inputs: bool = False,
) -> TrainResult:
    """:func:`train` on an already exported graph."""
    started = time.monotonic()
    config = config or TrainConfig()
    say = progress or quiet
    unknown = set(config.models) - set(ALL_MODELS)
    if unknown or not config.models:
        raise TrainError(f"unknown models {sorted(unknown)}; choose from {', '.join(ALL_MODELS)}")
    class_names = BINARY_CLASSES if binary else tuple(str(c) for c in classes)
    if len(class_names) < 2:
        raise TrainError("at least two classes are needed")
    if graph.num_nodes(TARGET) == 0:
        raise TrainError("the graph holds no enterprises")
    labels = load_labels(graph, label_source, class_names, binary=binary, seed=seed, config=config)
    as_of = config.as_of or date.today()

    labels = cap_labels(labels, config.max_eval_rows, seed)
    fit_rows = stratified_sample(labels.train, labels.y, config.max_fit_rows, seed)
    eval_rows = np.union1d(labels.valid, labels.test)

    seed_everything(seed)
    pipeline = FeaturePipeline(config.features)
    encoded = pipeline.fit_transform(graph, as_of=as_of)
    inputs = prepare(graph, pipeline, as_of=as_of, encoded=encoded,
                     min_aggregate_edges=config.min_aggregate_edges)  # fmt: skip
    say(
        f"features: {len(inputs.own.columns)} own, {len(inputs.aggregate_columns)} neighbour "
        f"aggregates; trees fit on {len(fit_rows):,} of {len(labels.train):,} training rows"
    )
    candidates: dict[str, Any] = {}
    probas: dict[str, np.ndarray] = {}
    details: dict[str, dict[str, Any]] = {}
    tree_models = [m for m in config.models if m not in (ENSEMBLE, *bundle_mod.GNN_MODELS)]
    if tree_models:
        tables = _Tables(inputs, np.union1d(fit_rows, eval_rows))
        say(f"feature tables for {len(tables.rows):,} rows")
        for name in tree_models:
            model, detail = _fit_tree_model(name, tables, labels, fit_rows, class_names, seed,
                                            config)  # fmt: skip
            started = time.monotonic()
            probas[name] = np.asarray(model.predict_proba(tables.frame(name, eval_rows)))
            detail["predict_seconds"] = round(time.monotonic() - started, 2)
            candidates[name], details[name] = model, detail
            say(f"{name}: fit {detail['seconds']:.0f} s, predict {detail['predict_seconds']:.0f} s")
        del tables  # the wide tables are not needed any more: free them before the GNN
    for name in (m for m in config.models if m in bundle_mod.GNN_MODELS):
        started = time.monotonic()
        model, detail = _fit_gnn(inputs, labels, class_names, seed, config)
        detail["seconds"] = round(time.monotonic() - started, 2)
        started = time.monotonic()
        probas[name] = bundle_mod.predict_with(name, model, inputs, eval_rows)
        detail["predict_seconds"] = round(time.monotonic() - started, 2)
        candidates[name], details[name] = model, detail
        say(f"{name}: fit {detail['seconds']:.0f} s, predict {detail['predict_seconds']:.0f} s")
    if ENSEMBLE in config.models and all(m in candidates for m in ENSEMBLE_MEMBERS):
        candidates[ENSEMBLE] = {m: candidates[m] for m in ENSEMBLE_MEMBERS}
        probas[ENSEMBLE] = np.mean([probas[m] for m in ENSEMBLE_MEMBERS], axis=0)
        details[ENSEMBLE] = {"members": list(ENSEMBLE_MEMBERS), "weights": "equal"}

    at_valid = np.searchsorted(eval_rows, labels.valid)
    at_test = np.searchsorted(eval_rows, labels.test)
    thresholds: dict[str, float | None] = {}
    validation: dict[str, dict[str, Any]] = {}
    test: dict[str, dict[str, Any]] = {}
    for name, proba in probas.items():
        threshold = None
        y_valid, p_valid = labels.y[labels.valid], proba[at_valid]
        if config.tune_threshold and len(labels.valid):
            if binary:
                threshold = best_threshold(y_valid, p_valid[:, 1])
            elif config.high_risk_recall is not None:
                threshold = recall_threshold(y_valid, p_valid, config.high_risk_recall)
        thresholds[name] = threshold
        validation[name] = evaluate(y_valid, p_valid, class_names, threshold=threshold)
        test[name] = evaluate(
            labels.y[labels.test], proba[at_test], class_names, threshold=threshold
        )
        test[name]["training"] = details[name]
    selected = max(probas, key=lambda name: _selection_key(validation[name]))

    version = _new_version(Path(out_dir), seed)
    folder = Path(out_dir) / version
    folder.mkdir(parents=True, exist_ok=False)
    pipeline.save(folder / PIPELINE)
    files = {name: bundle_mod.save_model(folder, name, model) for name, model in candidates.items()}
    split = {
        "source": labels.source,
        "train": len(labels.train),
        "valid": len(labels.valid),
        "test": len(labels.test),
        "labelled": int((labels.y >= 0).sum()),
        "enterprises": graph.num_nodes(TARGET),
        "fit_rows": len(fit_rows),
        "sampled_from": labels.sampled_from,
        "class_counts": {
            part: {c: int((labels.y[rows] == i).sum()) for i, c in enumerate(class_names)}
            for part, rows in (
                ("train", labels.train),
                ("valid", labels.valid),
                ("test", labels.test),
            )
        },
    }
    metrics = {
        "models": test,
        "selected": selected,
        "selection": "validation ROC-AUC (ties: macro-F1)",
        "split": split,
        "validation": validation,
        "version": version,
    }
    manifest = {
        "version": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "selected": selected,
        "binary": binary,
        "classes": list(class_names),
        "thresholds": thresholds,
        "seed": seed,
        "as_of": as_of.isoformat(),
        "label_source": str(label_source),
        "aggregate_columns": inputs.aggregate_columns,
        "models": files,
        "features": config.features.to_dict(),
        "graph": {
            "nodes": {t: graph.num_nodes(t) for t in graph.keys},
            "edges": graph.edge_counts(),
        },
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    (folder / "metrics.json").write_text(
        json.dumps(metrics, ensure_ascii=False, indent=1, sort_keys=True), "utf-8"
    )
    report = folder / "report.md"
    report.write_text(render_report(metrics, manifest), "utf-8")
    return TrainResult(
        version=version,
        model_dir=folder,
        selected=selected,
        metrics=metrics,
        validation=validation,
        report=report,
        seconds=time.monotonic() - started,
        inputs=inputs if keep_inputs else None,
    )


# -- labels and split --------------------------------------------------------


def load_labels(
    graph: GraphExport,
    label_source: str | Path,
    classes: Sequence[str],
    *,
    binary: bool,
    seed: int,
    config: TrainConfig,
) -> Labels:
    """Labels from the graph (``label``/``label_class``) or a CSV file, and the split."""
    n = graph.num_nodes(TARGET)
    index = {c: i for i, c in enumerate(classes)}
    y = np.full(n, -1, dtype=np.int64)
    split = np.array([_split_name(s) for s in graph.enterprises["split"]], dtype=object)
    if str(label_source) == "graph":
        column = "label" if binary else "label_class"
        for row, value in enumerate(graph.enterprises[column]):
            y[row] = index.get(_class_text(value), -1)
        source = f"graph:{column}"
    else:
        path = Path(label_source)
        rows = graph.index(TARGET)
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                for record in csv.DictReader(handle):
                    key = record.get("key") or record.get("uscc") or ""
                    value = record.get("label") if binary else record.get("class")
                    if value is None:
                        value = record.get("class") or record.get("label")
                    if key in rows:
                        y[rows[key]] = index.get(_class_text(value), -1)
                        if record.get("split"):
                            split[rows[key]] = _split_name(record["split"])
        except OSError as exc:
            raise TrainError(f"cannot read labels from {path}: {exc}") from exc
        source = f"file:{path.name}"
    labelled = np.flatnonzero(y >= 0)
    if len(labelled) == 0:
        raise TrainError(f"no enterprise has a label ({source}, classes {list(classes)})")
    given = split[labelled]
    train_rows = labelled[given == "train"]
    valid_rows = labelled[given == "valid"]
    if len(train_rows) and len(valid_rows):
        test_rows = labelled[given == "test"]
        return Labels(y, train_rows, valid_rows, test_rows, f"{source}; split property")
    train_rows, valid_rows, test_rows = _stratified(
        labelled, y[labelled], seed, config.split_fractions
    )
    return Labels(y, train_rows, valid_rows, test_rows, f"{source}; stratified seed {seed}")


def _split_name(value: Any) -> str | None:
    text = str(value).strip().lower() if value is not None else ""
    return {"train": "train", "valid": "valid", "validation": "valid", "val": "valid",
            "test": "test"}.get(text)  # fmt: skip


def _class_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return "" if np.isnan(value) else (str(int(value)) if value.is_integer() else str(value))
    return str(value).strip()


def _stratified(
    rows: np.ndarray, y: np.ndarray, seed: int, fractions: tuple[float, float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    _, valid_f, test_f = fractions
    if len(rows) < 6:
        raise TrainError(f"only {len(rows)} labelled enterprises; need at least 6 to split")
    counts = np.bincount(y)
    stratify = y if counts[counts > 0].min() >= 3 else None
    rest_f = valid_f + test_f
    train_rows, rest, _, y_rest = train_test_split(
        rows, y, test_size=rest_f, random_state=seed, stratify=stratify
    )
    counts = np.bincount(y_rest)
    stratify_rest = y_rest if stratify is not None and counts[counts > 0].min() >= 2 else None
    valid_rows, test_rows = train_test_split(
        rest, test_size=test_f / rest_f, random_state=seed, stratify=stratify_rest
    )
    return np.sort(train_rows), np.sort(valid_rows), np.sort(test_rows)


def stratified_sample(rows: np.ndarray, y: np.ndarray, limit: int | None, seed: int) -> np.ndarray:
    """About ``limit`` of ``rows`` (all if fewer), drawn per class in proportion and at
    least one of each class; sorted."""
    if limit is None or len(rows) <= limit:
        return rows
    rng = np.random.default_rng(seed)
    classes = y[rows]
    picked = []
    for value in np.unique(classes):
        members = rows[classes == value]
        share = max(1, round(limit * len(members) / len(rows)))
        picked.append(rng.choice(members, size=min(share, len(members)), replace=False))
    return np.sort(np.concatenate(picked))


def cap_labels(labels: Labels, limit: int | None, seed: int) -> Labels:
    """Validation and test rows sampled down to ``limit`` each (stratified, seeded)."""
    if limit is None or (len(labels.valid) <= limit and len(labels.test) <= limit):
        return labels
    return Labels(
        y=labels.y,
        train=labels.train,
        valid=stratified_sample(labels.valid, labels.y, limit, seed),
        test=stratified_sample(labels.test, labels.y, limit, seed + 1),
        source=f"{labels.source}; valid/test sampled to ≤ {limit}",
        sampled_from={"valid": len(labels.valid), "test": len(labels.test)},
    )


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


# -- candidates ----------------------------------------------------------------


def _fit_tree_model(
    name: str,
    tables: _Tables,
    labels: Labels,
    fit_rows: np.ndarray,
    classes: tuple[str, ...],
    seed: int,
    config: TrainConfig,
) -> tuple[Any, dict[str, Any]]:
    """Fit the scorecard or a LightGBM model on the sampled training rows."""
    started = time.monotonic()
    detail: dict[str, Any] = {}
    model: Any
    y = labels.y[tables.rows]
    frame = tables.frame(name)
    if name == "scorecard":
        card = Scorecard()
        if config.scorecard_weights is not None:
            card.weights = {**card.weights, **dict(config.scorecard_weights)}
        model = card.fit(frame, y, tables.at(fit_rows), classes)
        detail["indicators"] = {c: [col for col, _ in items] for c, items in model.used.items()}
        detail["weights"] = model.weights
    elif name in ("lgbm_own", "lgbm_graph"):
        model = LgbmModel(list(frame.columns), len(classes)).fit(
            frame, y, tables.at(fit_rows), tables.at(labels.valid), seed=seed, config=config.lgbm
        )
        detail["features"] = len(frame.columns)
        detail["trees"] = int(model.booster.num_trees()) if model.booster is not None else 0
        detail["rows"] = len(fit_rows)
    else:  # pragma: no cover - checked in train()
        raise TrainError(f"unknown model {name!r}")
    detail["seconds"] = round(time.monotonic() - started, 2)
    return model, detail


def _fit_gnn(
    inputs: Inputs, labels: Labels, classes: tuple[str, ...], seed: int, config: TrainConfig
) -> tuple[HeteroSAGE, dict[str, Any]]:
    device = pick_device(config.device)
    data = inputs.data.to(device)
    in_channels = {t: int(data[t].x.shape[1]) for t in data.node_types}
    best: tuple[float, HeteroSAGE, dict[str, Any]] | None = None
    tried = []
    for gnn_config in config.gnn:
        seed_everything(seed)
        model = HeteroSAGE(data.metadata(), in_channels, len(classes), gnn_config).to(device)
        outcome = fit(model, data, labels.y, labels.train, labels.valid, classes, config.fit)
        tried.append({"config": gnn_config.to_dict(), "valid": round(outcome.best_score, 4),
                      "best_epoch": outcome.best_epoch})  # fmt: skip
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


def _selection_key(figures: Mapping[str, Any]) -> tuple[float, float]:
    roc = figures.get("roc_auc")
    return (float(roc) if roc is not None else -1.0, float(figures.get("macro_f1") or 0.0))


def _new_version(out_dir: Path, seed: int) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    version = f"v{stamp}-s{seed}"
    n = 1
    while (out_dir / version).exists():
        n += 1
        version = f"v{stamp}-s{seed}-{n}"
    return version


# -- report --------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def render_report(metrics: Mapping[str, Any], manifest: Mapping[str, Any]) -> str:
    """A readable markdown report of one training run."""
    classes = manifest["classes"]
    split = metrics["split"]
    lines = [
        f"# Risk model {manifest['version']}",
        "",
        f"- selected: **{metrics['selected']}** ({metrics['selection']})",
        f"- classes: {', '.join(classes)}{' (binary)' if manifest['binary'] else ''}",
        f"- labels: {split['source']}",
        f"- split: train {split['train']}, valid {split['valid']}, test {split['test']} "
        f"(of {split['enterprises']} enterprises, {split['labelled']} labelled)",
        f"- timing features: {'on' if manifest['features']['timing'] else 'off'}; "
        f"as of {manifest['as_of']}; seed {manifest['seed']}",
        "",
    ]
    for part, table in (("Validation", metrics["validation"]), ("Test", metrics["models"])):
        lines += [
            f"## {part}",
            "",
            "| model | n | ROC-AUC | PR-AUC | macro-F1 | high-risk recall | ECE |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, figures in table.items():
            mark = " ✓" if name == metrics["selected"] else ""
            if not figures.get("available"):
                lines.append(f"| {name}{mark} | 0 | – | – | – | – | – |")
                continue
            lines.append(
                f"| {name}{mark} | {figures['n']} | {_fmt(figures['roc_auc'])} | "
                f"{_fmt(figures['pr_auc'])} | {_fmt(figures['macro_f1'])} | "
                f"{_fmt(figures['high_risk_recall'])} | {_fmt(figures['ece'])} |"
            )
        lines.append("")
    chosen = metrics["validation"].get(metrics["selected"], {})
    if chosen.get("available"):
        lines += [
            "## Selected model on validation: per class and confusion matrix",
            "",
            "| class | precision | recall | F1 | support |",
            "|---|---|---|---|---|",
        ]
        for name, row in chosen["per_class"].items():
            lines.append(
                f"| {name} | {_fmt(row['precision'])} | {_fmt(row['recall'])} | "
                f"{_fmt(row['f1'])} | {int(row['support'])} |"
            )
        lines += ["", "| true \\ predicted | " + " | ".join(classes) + " |",
                  "|---|" + "---|" * len(classes)]  # fmt: skip
        for name, row in zip(classes, chosen["confusion_matrix"], strict=True):
            lines.append(f"| {name} | " + " | ".join(str(v) for v in row) + " |")
        lines.append("")
    lines += [
        "## Notes",
        "",
        "- Validation rows serve for early stopping (GNN, LightGBM), the decision threshold "
        "(binary: best macro-F1; A–D: the highest-risk class is predicted wherever its "
        "probability reaches the threshold that recalls the configured share of it) and "
        "model selection, so validation figures are optimistic; the test rows are used for "
        "nothing but the figures above.",
        "- Test figures are blank when the test split carries no labels (withheld).",
        "",
    ]
    return "\n".join(lines)
