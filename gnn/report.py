"""What a training run reports: ``metrics.json`` and a readable ``report.md``.

``metrics.json`` holds every candidate's test figures (with how it was
trained), its validation figures, the split and the selected model;
``report.md`` renders them with the manifest's classes and settings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from riskgraph.gnn.labels import Labels
from riskgraph.gnn.selection import SELECTION, Selection
from riskgraph.reference import ENTITY_KIND_NAMES

METRICS = "metrics.json"
REPORT = "report.md"

NOTES = [
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


def split_summary(
    labels: Labels, fit_rows: np.ndarray, classes: Sequence[str], enterprises: int
) -> dict[str, Any]:
    """Sizes and class counts of the split (``fit_rows``: the rows the trees fit on)."""
    parts = (("train", labels.train), ("valid", labels.valid), ("test", labels.test))
    return {
        "source": labels.source,
        "train": len(labels.train),
        "valid": len(labels.valid),
        "test": len(labels.test),
        "labelled": int((labels.y >= 0).sum()),
        "enterprises": enterprises,
        "fit_rows": len(fit_rows),
        "sampled_from": labels.sampled_from,
        "class_counts": {
            part: {c: int((labels.y[rows] == i).sum()) for i, c in enumerate(classes)}
            for part, rows in parts
        },
    }


def metrics_document(
    selection: Selection, split: Mapping[str, Any], version: str
) -> dict[str, Any]:
    """The content of ``metrics.json``."""
    return {
        "models": selection.test,
        "selected": selection.selected,
        "selection": SELECTION,
        "split": dict(split),
        "validation": selection.validation,
        "version": version,
    }


def write_report(folder: Path, metrics: Mapping[str, Any], manifest: Mapping[str, Any]) -> Path:
    """Write ``metrics.json`` and ``report.md`` into ``folder``; the report's path."""
    (folder / METRICS).write_text(
        json.dumps(metrics, ensure_ascii=False, indent=1, sort_keys=True), "utf-8"
    )
    report = folder / REPORT
    report.write_text(render_report(metrics, manifest), "utf-8")
    return report


def render_report(metrics: Mapping[str, Any], manifest: Mapping[str, Any]) -> str:
    """A readable markdown report of one training run."""
    lines = _summary(metrics, manifest)
    for part, table in (("Validation", metrics["validation"]), ("Test", metrics["models"])):
        lines += _figures_table(part, table, metrics["selected"])
    lines += _by_kind_table(metrics["validation"], metrics["selected"])
    chosen = metrics["validation"].get(metrics["selected"], {})
    if chosen.get("available"):
        lines += _per_class(chosen, manifest["classes"])
    return "\n".join([*lines, *NOTES])


def _summary(metrics: Mapping[str, Any], manifest: Mapping[str, Any]) -> list[str]:
    split = metrics["split"]
    return [
        f"# Risk model {manifest['version']}",
        "",
        f"- selected: **{metrics['selected']}** ({metrics['selection']})",
        f"- classes: {', '.join(manifest['classes'])}{' (binary)' if manifest['binary'] else ''}",
        f"- labels: {split['source']}",
        f"- split: train {split['train']}, valid {split['valid']}, test {split['test']} "
        f"(of {split['enterprises']} enterprises, {split['labelled']} labelled)",
        f"- timing features: {'on' if manifest['features']['timing'] else 'off'}; "
        f"as of {manifest['as_of']}; seed {manifest['seed']}",
        "",
    ]


def _figures_table(part: str, table: Mapping[str, Any], selected: str) -> list[str]:
    lines = [
        f"## {part}",
        "",
        "| model | n | ROC-AUC | PR-AUC | macro-F1 | high-risk recall | ECE |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, figures in table.items():
        mark = " ✓" if name == selected else ""
        if not figures.get("available"):
            lines.append(f"| {name}{mark} | 0 | – | – | – | – | – |")
            continue
        lines.append(
            f"| {name}{mark} | {figures['n']} | {_fmt(figures['roc_auc'])} | "
            f"{_fmt(figures['pr_auc'])} | {_fmt(figures['macro_f1'])} | "
            f"{_fmt(figures['high_risk_recall'])} | {_fmt(figures['ece'])} |"
        )
    lines.append("")
    return lines


def _by_kind_table(table: Mapping[str, Any], selected: str) -> list[str]:
    """Validation figures per kind of market entity (企业, 个体工商户, 农民专业合作社)."""
    if not any("by_kind" in figures for figures in table.values()):
        return []
    lines = [
        "## Validation per kind of market entity",
        "",
        "Same thresholds as above; selection uses the whole validation split.",
        "",
        "| model | kind | n | support | macro-F1 | balanced accuracy | ROC-AUC "
        "| high-risk recall |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, figures in table.items():
        mark = " ✓" if name == selected else ""
        for kind, row in figures.get("by_kind", {}).items():
            support = " ".join(f"{c}:{v}" for c, v in row.get("support", {}).items())
            label = f"{kind} {ENTITY_KIND_NAMES.get(kind, '')}".strip()
            lines.append(
                f"| {name}{mark} | {label} | {row.get('n', 0)} | {support} | "
                f"{_fmt(row.get('macro_f1'))} | {_fmt(row.get('balanced_accuracy'))} | "
                f"{_fmt(row.get('roc_auc'))} | {_fmt(row.get('high_risk_recall'))} |"
            )
    lines.append("")
    return lines


def _per_class(chosen: Mapping[str, Any], classes: Sequence[str]) -> list[str]:
    lines = [
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
    lines += [
        "",
        "| true \\ predicted | " + " | ".join(classes) + " |",
        "|---|" + "---|" * len(classes),
    ]
    for name, row in zip(classes, chosen["confusion_matrix"], strict=True):
        lines.append(f"| {name} | " + " | ".join(str(v) for v in row) + " |")
    lines.append("")
    return lines


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)
