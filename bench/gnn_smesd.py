"""Risk-model validation figures on SMEsD (binary bankruptcy), printed as JSON.

Load the data first, into a graph of its own::

    export RISKGRAPH_DATA_DIR=/tmp/gnn-data RISKGRAPH_GRAPH_NAME=smesd
    .venv/bin/riskgraph db start
    .venv/bin/riskgraph ingest ../shared/datasets/smesd --format smesd
    .venv/bin/python bench/gnn_smesd.py --seeds 0 1 2 --out /tmp/smesd-models
    .venv/bin/riskgraph db stop

Every candidate is trained on the ``train`` split and evaluated on ``valid``
(the ``test`` labels are withheld, so test figures stay empty). ``--timing``
keeps the timing features, which SMEsD's README shows to leak the label in
older years (off by default here).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch

from riskgraph.gnn.export import export_graph
from riskgraph.gnn.features import FeatureConfig
from riskgraph.gnn.train import LabelSpec, TrainConfig, train_on_export
from riskgraph.graph import open_store
from riskgraph.settings import get_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--timing", action="store_true", help="keep the timing features")
    parser.add_argument("--out", type=Path, default=Path("/tmp/smesd-models"))
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    store = open_store(get_settings())
    started = time.monotonic()
    graph = export_graph(store)
    export_s = time.monotonic() - started
    config = TrainConfig(features=FeatureConfig(timing=args.timing))
    runs = []
    for seed in args.seeds:
        result = train_on_export(
            graph, args.out, labels=LabelSpec(binary=True), seed=seed, config=config
        )
        runs.append(
            {
                "seed": seed,
                "version": result.version,
                "selected": result.selected,
                "seconds": round(result.seconds, 1),
                "valid": {
                    name: {
                        key: round(figures[key], 4)
                        for key in ("roc_auc", "pr_auc", "macro_f1", "high_risk_recall", "ece")
                        if figures.get(key) is not None
                    }
                    for name, figures in result.validation.items()
                },
            }
        )
        print(json.dumps(runs[-1], ensure_ascii=False), file=sys.stderr)
    names = list(runs[0]["valid"])
    summary = {
        name: {
            "roc_auc_mean": round(statistics.mean(r["valid"][name]["roc_auc"] for r in runs), 4),
            "roc_auc_min": min(r["valid"][name]["roc_auc"] for r in runs),
            "roc_auc_max": max(r["valid"][name]["roc_auc"] for r in runs),
        }
        for name in names
    }
    report = {
        "dataset": "smesd",
        "timing_features": args.timing,
        "export_seconds": round(export_s, 2),
        "enterprises": graph.num_nodes("enterprise"),
        "edges": graph.edge_counts(),
        "runs": runs,
        "valid_summary": summary,
    }
    print(json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
