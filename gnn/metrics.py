"""Classification metrics for risk classes (multi-class A–D or binary).

``evaluate(y, proba, classes)`` returns a JSON-ready dict: macro-F1, accuracy,
per-class precision/recall/F1/support, the recall of the highest-risk class
(``D`` for A–D, the positive class for binary; ``high_risk_recall``, also
``d_recall``), ROC-AUC (one-vs-rest, macro),
PR-AUC (average precision; macro one-vs-rest for multi-class), expected
calibration error of the top-class probability, and the confusion matrix
(rows = true class, columns = predicted class, in ``classes`` order). Figures
that are undefined on the given labels (a class absent) are ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, confusion_matrix, roc_auc_score

from riskgraph.reference import ENTITY_KINDS


def predict_classes(proba: np.ndarray, threshold: float | None = None) -> np.ndarray:
    """Class indices ``[N]`` from ``proba`` ``[N, C]``: the argmax, with a threshold on
    the highest-risk (last) class when given: for two classes ``p(1) >= threshold``;
    for more, the highest-risk class wherever its probability reaches the threshold,
    else the argmax."""
    if threshold is not None and proba.shape[1] == 2:
        return (proba[:, 1] >= threshold).astype(np.int64)
    pred = np.asarray(proba.argmax(axis=1), dtype=np.int64)
    if threshold is not None:
        pred[proba[:, -1] >= threshold] = proba.shape[1] - 1
    return pred


def recall_threshold(y: np.ndarray, proba: np.ndarray, target: float) -> float | None:
    """The highest threshold on the highest-risk class's probability at which
    :func:`predict_classes` recalls at least ``target`` of that class on ``(y, proba)``;
    ``None`` when the argmax already does (or the class is absent).

    Supervision cares most that high-risk (D) firms are not missed: a higher
    threshold would miss more of them, a lower one would flag more firms that
    are not D than the target needs.
    """
    top = proba.shape[1] - 1
    is_top = np.asarray(y) == top
    total = int(is_top.sum())
    if total == 0:
        return None
    caught = proba[is_top].argmax(axis=1) == top
    needed = int(np.ceil(target * total - 1e-9)) - int(caught.sum())
    if needed <= 0:
        return None
    missed = np.sort(proba[is_top][~caught, top])[::-1]
    return float(missed[min(needed, len(missed)) - 1])


def expected_calibration_error(y: np.ndarray, proba: np.ndarray, bins: int = 15) -> float:
    """ECE of the top-class confidence over ``bins`` equal-width bins."""
    if len(y) == 0:
        return 0.0
    confidence = proba.max(axis=1)
    correct = (proba.argmax(axis=1) == y).astype(float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(total)


def best_threshold(y: np.ndarray, p_positive: np.ndarray) -> float:
    """The threshold on ``p(1)`` that maximises macro-F1 (0.5 if none is better)."""
    best, best_f1 = 0.5, _macro_f1_binary(y, (p_positive >= 0.5).astype(int))
    for threshold in np.unique(np.round(p_positive, 3)):
        f1 = _macro_f1_binary(y, (p_positive >= threshold).astype(int))
        if f1 > best_f1 + 1e-12:
            best, best_f1 = float(threshold), f1
    return best


def _macro_f1_binary(y: np.ndarray, pred: np.ndarray) -> float:
    scores = []
    for c in (0, 1):
        tp = float(((pred == c) & (y == c)).sum())
        fp = float(((pred == c) & (y != c)).sum())
        fn = float(((pred != c) & (y == c)).sum())
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return float(np.mean(scores))


def evaluate(
    y: np.ndarray,
    proba: np.ndarray,
    classes: Sequence[str],
    *,
    threshold: float | None = None,
) -> dict[str, Any]:
    """All figures for true class indices ``y`` ([N]) and probabilities ``proba`` ([N, C])."""
    y = np.asarray(y, dtype=np.int64)
    proba = np.asarray(proba, dtype=np.float64)
    k = len(classes)
    result: dict[str, Any] = {
        "n": len(y),
        "support": {c: int((y == i).sum()) for i, c in enumerate(classes)},
    }
    if len(y) == 0:
        return {**result, "available": False}
    pred = predict_classes(proba, threshold)
    matrix = confusion_matrix(y, pred, labels=list(range(k)))
    per_class: dict[str, dict[str, float | None]] = {}
    f1s: list[float] = []
    for i, name in enumerate(classes):
        tp = float(matrix[i, i])
        predicted = float(matrix[:, i].sum())
        actual = float(matrix[i, :].sum())
        precision = tp / predicted if predicted else None
        recall = tp / actual if actual else None
        f1 = 2 * tp / (predicted + actual) if predicted + actual else 0.0
        f1s.append(f1)
        per_class[name] = {"precision": precision, "recall": recall, "f1": f1, "support": actual}
    present = [i for i in range(k) if (y == i).any()]
    seen = [i for i in range(k) if (y == i).any() or (pred == i).any()]
    roc: float | None = None
    pr: float | None = None
    if len(present) >= 2:
        if k == 2:
            roc = float(roc_auc_score(y, proba[:, 1]))
            pr = float(average_precision_score(y, proba[:, 1]))
        else:
            rocs = [float(roc_auc_score(y == i, proba[:, i])) for i in present]
            prs = [float(average_precision_score(y == i, proba[:, i])) for i in present]
            roc, pr = float(np.mean(rocs)), float(np.mean(prs))
    top = classes[-1]
    return {
        **result,
        "available": True,
        "accuracy": float((pred == y).mean()),
        "macro_f1": float(np.mean([f1s[i] for i in seen])),
        "per_class": per_class,
        "high_risk_class": top,
        "high_risk_recall": per_class[top]["recall"],
        "d_recall": per_class[top]["recall"],  # the name: the top class is D (or "1")
        "roc_auc": roc,
        "pr_auc": pr,
        "ece": expected_calibration_error(y, proba),
        "confusion_matrix": matrix.astype(int).tolist(),
        "threshold": threshold,
    }


KIND_FIGURES: tuple[str, ...] = (
    "n",
    "support",
    "available",
    "accuracy",
    "balanced_accuracy",
    "macro_f1",
    "roc_auc",
    "high_risk_recall",
)
"""What :func:`figures_by_kind` keeps of :func:`evaluate` per kind, plus balanced accuracy."""


def figures_by_kind(
    y: np.ndarray,
    proba: np.ndarray,
    classes: Sequence[str],
    kinds: np.ndarray,
    *,
    threshold: float | None = None,
) -> dict[str, dict[str, Any]]:
    """:func:`evaluate` on the rows of each kind of market entity (``kinds[i]``: the kind
    of row ``i``), at the same threshold, with balanced accuracy (the mean recall of the
    classes present); every kind appears (``available`` false where it has no rows)."""
    out: dict[str, dict[str, Any]] = {}
    for kind in ENTITY_KINDS:
        rows = np.asarray(kinds) == kind
        full = evaluate(np.asarray(y)[rows], np.asarray(proba)[rows], classes, threshold=threshold)
        recalls = [
            row["recall"] for row in full.get("per_class", {}).values() if row["recall"] is not None
        ]
        full["balanced_accuracy"] = float(np.mean(recalls)) if recalls else None
        out[kind] = {key: full[key] for key in KIND_FIGURES if key in full}
    return out
