"""Validation figures per kind of market entity, with and without the kind features.

    RISKGRAPH_DATA_DIR=/tmp/demo python bench/kinds_figures.py --out /tmp/kinds-models

Exports the graph the settings name once (``make demo``'s 20k registry, say) and
trains every candidate twice on it with the same seed and split: with the entity
kind columns and the per-kind masking of the indicators that do not apply
(``FeatureConfig(entity_kinds=True)``, the default) and without
(``entity_kinds=False``, the features before kinds). Prints one JSON line: per
run the selected model and, per candidate, the validation figures per kind
(n, macro-F1, balanced accuracy, ROC-AUC, high-risk recall) and overall.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from _common import emit

from riskgraph.cli_support import connected
from riskgraph.gnn.export import export_graph
from riskgraph.gnn.features import FeatureConfig
from riskgraph.gnn.train import TrainConfig, train_on_export
from riskgraph.settings import get_settings

KEPT = ("n", "macro_f1", "balanced_accuracy", "roc_auc", "high_risk_recall")


def _rounded(figures: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items() if k in KEPT}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/kinds-models"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with connected(get_settings()) as store:
        graph = export_graph(store)
    result: dict[str, Any] = {"enterprises": graph.num_nodes("enterprise"), "seed": args.seed}
    for kinds in (True, False):
        config = TrainConfig(features=FeatureConfig(entity_kinds=kinds))
        trained = train_on_export(graph, args.out, seed=args.seed, config=config)
        result[f"entity_kinds={kinds}"] = {
            "selected": trained.selected,
            "version": trained.version,
            "validation": {
                name: {
                    "all": _rounded(figures),
                    **{k: _rounded(v) for k, v in figures.get("by_kind", {}).items()},
                }
                for name, figures in trained.validation.items()
            },
        }
    emit(result)


if __name__ == "__main__":
    main()
