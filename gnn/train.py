"""Train every candidate on one split, select on validation, write a model version.

``train(store, out_dir, ...)`` exports the graph, fits the feature pipeline,
trains the scorecard, two LightGBM baselines and the heterogeneous GNN on the
same train rows, early-stops and tunes on the validation rows, ships the model
best on validation (ROC-AUC, ties broken by macro-F1) and writes
``out_dir/<version>/`` with ``metrics.json`` (test-split figures per model,
validation figures alongside) and ``report.md``.

The split is the graph's ``Enterprise.split`` (``train``/``valid``/``test``)
where the labelled enterprises carry one, else a seeded stratified split.
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
from sklearn.model_selection import train_test_split

from riskgraph.errors import RiskgraphError
from riskgraph.gnn import bundle as bundle_mod
from riskgraph.gnn.baselines import LgbmConfig, LgbmModel, Scorecard
from riskgraph.gnn.bundle import (
    ALL_MODELS,
    ENSEMBLE,
    ENSEMBLE_MEMBERS,
    MANIFEST,
    PIPELINE,
    Inputs,
    prepare,
)
from riskgraph.gnn.export import TARGET, GraphExport, export_graph
from riskgraph.gnn.features import FeatureConfig, FeaturePipeline
from riskgraph.gnn.hetero_sage import HeteroSAGE, HeteroSAGEConfig
from riskgraph.gnn.metrics import best_threshold, evaluate, recall_threshold
from riskgraph.gnn.trainer import FitConfig, fit, pick_device, seed_everything
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


@dataclass
class Labels:
    """Class indices (``-1`` unlabelled) and the split of the labelled rows."""

    y: np.ndarray
    train: np.ndarray
    valid: np.ndarray
    test: np.ndarray
    source: str


def train(
    store: GraphStore,
    out_dir: Path,
    *,
    label_source: Literal["graph"] | Path | str = "graph",
    classes: Sequence[str] = ("A", "B", "C", "D"),
    binary: bool = False,
    seed: int = 0,
    config: TrainConfig | None = None,
) -> TrainResult:
    """Train, select on validation and write ``out_dir/<version>/``."""
    config = config or TrainConfig()
    graph = export_graph(store, page_size=config.page_size)
    return train_on_export(
        graph, out_dir, label_source=label_source, classes=classes, binary=binary, seed=seed,
        config=config,
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
) -> TrainResult:
    """:func:`train` on an already exported graph."""
    started = time.monotonic()
    config = config or TrainConfig()
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

    seed_everything(seed)
    pipeline = FeaturePipeline(config.features).fit(graph, as_of=as_of)
    inputs = prepare(graph, pipeline, as_of=as_of, min_aggregate_edges=config.min_aggregate_edges)
    aggregate_columns = [c for c in inputs.extended.columns if c not in set(inputs.own.columns)]

    candidates: dict[str, Any] = {}
    probas: dict[str, np.ndarray] = {}
    details: dict[str, dict[str, Any]] = {}
    for name in config.models:
        if name == ENSEMBLE:
            continue
        model, proba, detail = _fit_candidate(name, inputs, labels, class_names, seed, config)
        candidates[name], probas[name], details[name] = model, proba, detail
    if ENSEMBLE in config.models and all(m in candidates for m in ENSEMBLE_MEMBERS):
        candidates[ENSEMBLE] = {m: candidates[m] for m in ENSEMBLE_MEMBERS}
        probas[ENSEMBLE] = np.mean([probas[m] for m in ENSEMBLE_MEMBERS], axis=0)
        details[ENSEMBLE] = {"members": list(ENSEMBLE_MEMBERS), "weights": "equal"}

    thresholds: dict[str, float | None] = {}
    validation: dict[str, dict[str, Any]] = {}
    test: dict[str, dict[str, Any]] = {}
    for name, proba in probas.items():
        threshold = None
        if config.tune_threshold and len(labels.valid):
            y_valid, p_valid = labels.y[labels.valid], proba[labels.valid]
            if binary:
                threshold = best_threshold(y_valid, p_valid[:, 1])
            elif config.high_risk_recall is not None:
                threshold = recall_threshold(y_valid, p_valid, config.high_risk_recall)
        thresholds[name] = threshold
        validation[name] = evaluate(
            labels.y[labels.valid], proba[labels.valid], class_names, threshold=threshold
        )
        test[name] = evaluate(
            labels.y[labels.test], proba[labels.test], class_names, threshold=threshold
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
        "aggregate_columns": aggregate_columns,
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


# -- candidates ----------------------------------------------------------------


def _fit_candidate(
    name: str,
    inputs: Inputs,
    labels: Labels,
    classes: tuple[str, ...],
    seed: int,
    config: TrainConfig,
) -> tuple[Any, np.ndarray, dict[str, Any]]:
    started = time.monotonic()
    detail: dict[str, Any] = {}
    model: Any
    if name == "scorecard":
        card = Scorecard()
        if config.scorecard_weights is not None:
            card.weights = {**card.weights, **dict(config.scorecard_weights)}
        model = card.fit(inputs.extended, labels.y, labels.train, classes)
        detail["indicators"] = {c: [col for col, _ in items] for c, items in model.used.items()}
        detail["weights"] = model.weights
    elif name in ("lgbm_own", "lgbm_graph"):
        frame = inputs.own if name == "lgbm_own" else inputs.extended
        model = LgbmModel(list(frame.columns), len(classes)).fit(
            frame, labels.y, labels.train, labels.valid, seed=seed, config=config.lgbm
        )
        detail["features"] = len(frame.columns)
        detail["trees"] = int(model.booster.num_trees()) if model.booster is not None else 0
    elif name == "hetero_sage":
        model, detail = _fit_gnn(inputs, labels, classes, seed, config)
    else:  # pragma: no cover - checked in train()
        raise TrainError(f"unknown model {name!r}")
    proba = bundle_mod.predict_with(name, model, inputs)
    detail["seconds"] = round(time.monotonic() - started, 2)
    return model, proba, detail


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
