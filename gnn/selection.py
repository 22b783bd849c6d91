"""Which candidate a version ships: thresholds and figures on validation, the winner.

Every candidate gets a decision threshold tuned on the validation rows (binary:
the one maximising macro-F1; multi-class: the one on the highest-risk class
that reaches the configured recall of it), its figures on the validation and
test rows at that threshold, and the candidate best on validation (ROC-AUC,
ties broken by macro-F1) is selected. The test rows choose nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from riskgraph.gnn.labels import Labels
from riskgraph.gnn.metrics import best_threshold, evaluate, figures_by_kind, recall_threshold

SELECTION = "validation ROC-AUC (ties: macro-F1)"


@dataclass(frozen=True)
class ThresholdRule:
    """How a candidate's decision threshold is tuned on the validation rows."""

    binary: bool
    tune: bool = True
    high_risk_recall: float | None = 0.9
    """Multi-class: the validation recall of the highest-risk class to reach."""

    def threshold(self, y_valid: np.ndarray, p_valid: np.ndarray) -> float | None:
        """The threshold for validation labels ``y_valid`` and probabilities ``p_valid``;
        ``None``: predict the most probable class."""
        if not self.tune or not len(y_valid):
            return None
        if self.binary:
            return best_threshold(y_valid, p_valid[:, 1])
        if self.high_risk_recall is not None:
            return recall_threshold(y_valid, p_valid, self.high_risk_recall)
        return None


@dataclass
class Selection:
    """Every candidate's threshold and figures, and the one selected."""

    selected: str
    thresholds: dict[str, float | None]
    validation: dict[str, dict[str, Any]]
    test: dict[str, dict[str, Any]]


def select(
    probas: Mapping[str, np.ndarray],
    labels: Labels,
    eval_rows: np.ndarray,
    classes: Sequence[str],
    rule: ThresholdRule,
    kinds: np.ndarray | None = None,
) -> Selection:
    """Figures of every candidate and the one best on validation.

    ``probas[name]`` holds candidate ``name``'s probabilities for ``eval_rows``
    (sorted, covering the validation and test rows). With ``kinds`` (the kind of
    market entity of every enterprise row) each candidate's figures also hold
    ``by_kind``: the same figures on each kind's rows, at the same threshold. They
    are reported, not used: selection stays on the whole validation split.
    """
    at_valid = np.searchsorted(eval_rows, labels.valid)
    at_test = np.searchsorted(eval_rows, labels.test)
    y_valid, y_test = labels.y[labels.valid], labels.y[labels.test]
    thresholds: dict[str, float | None] = {}
    validation: dict[str, dict[str, Any]] = {}
    test: dict[str, dict[str, Any]] = {}
    for name, proba in probas.items():
        threshold = rule.threshold(y_valid, proba[at_valid])
        thresholds[name] = threshold
        validation[name] = evaluate(y_valid, proba[at_valid], classes, threshold=threshold)
        test[name] = evaluate(y_test, proba[at_test], classes, threshold=threshold)
        if kinds is not None:
            validation[name]["by_kind"] = figures_by_kind(
                y_valid, proba[at_valid], classes, kinds[labels.valid], threshold=threshold
            )
            test[name]["by_kind"] = figures_by_kind(
                y_test, proba[at_test], classes, kinds[labels.test], threshold=threshold
            )
    selected = max(probas, key=lambda name: _selection_key(validation[name]))
    return Selection(selected, thresholds, validation, test)


def _selection_key(figures: Mapping[str, Any]) -> tuple[float, float]:
    roc = figures.get("roc_auc")
    return (float(roc) if roc is not None else -1.0, float(figures.get("macro_f1") or 0.0))
