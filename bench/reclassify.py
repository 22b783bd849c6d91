"""Monthly re-classification on a generated registry: the whole run's time by stage.

    python bench/reclassify.py --enterprises 20000

Generates a registry, loads it into a fresh embedded FalkorDB, trains a quick
tree model, then runs two months (``riskgraph reclassify``'s service): the first
(no previous month: every firm new, so its feed holds every firm: the feed's worst
case) and the second after new serious violations for ``--changed-share`` of the
firms (previous classes read back, transition matrix and change feed written; at
20,000 firms the quick model moved none of them to another class). Prints one JSON
line: each month's stages (score = export + features + prediction, previous, write_classes,
aggregates, feed), its total and firms per second. Target (issue 18): ≤ 5 min for
the whole run, feed included, on 1.57M firms. With ``--rerun`` a third run
repeats the second month (deleting and rewriting its results).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from _common import emit, fresh_database, peak_rss_mb, registry_loader

from riskgraph.analytics.reclassify import ReclassifySummary, reclassify
from riskgraph.gnn.baselines import LgbmConfig
from riskgraph.gnn.score import ScoreConfig
from riskgraph.gnn.train import TrainConfig, train
from riskgraph.graph.falkordb_store import FalkorDBStore
from riskgraph.ingest.generate import REFERENCE_DATE, generate_registry


def figures(summary: ReclassifySummary) -> dict[str, Any]:
    seconds = sum(summary.stages.values())
    return {
        "stages_s": {k: round(v, 2) for k, v in summary.stages.items()},
        "total_s": round(seconds, 2),
        "firms_per_s": round(summary.scored / seconds) if seconds else None,
        "changed": summary.changed,
        "feed": summary.feed,
        "class_counts": summary.class_counts,
    }


def new_violations(store: FalkorDBStore, seed: int, share: float) -> None:
    """Two serious violations (严重违法失信) for a random ``share`` of the firms: the
    month's new records, so that some classes change."""
    keys = [row["k"] for row in store.read_values("MATCH (e:Enterprise) RETURN e.uscc AS k")]
    chosen = random.Random(seed).sample(keys, int(len(keys) * share))
    day = (REFERENCE_DATE - timedelta(days=20)).isoformat()
    rows = [
        {"vid": f"bench-{k}-{n}", "uscc": k, "props": {"kind": "严重违法失信", "status": "有效"},
         "date": day, "removed_on": None}
        for k in chosen
        for n in range(2)
    ]  # fmt: skip
    store.write_batches(store.query_text("ingest_violations"), rows, 5000, run_id="bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=20_000)
    parser.add_argument("--rerun", action="store_true")
    parser.add_argument(
        "--changed-share", type=float, default=0.03, help="firms given new violations"
    )
    args = parser.parse_args()
    result: dict[str, Any] = {"benchmark": "reclassify", "enterprises": args.enterprises}
    config = ScoreConfig(device="cpu", batch_size=args.batch_size)
    with tempfile.TemporaryDirectory() as tmp, fresh_database(Path(tmp)) as database:
        root = Path(tmp)
        started = time.monotonic()
        generate_registry(args.enterprises, args.seed, root / "in")
        store = FalkorDBStore(
            database.uri(), "reclassify", password=database.password, query_timeout_s=600
        )
        registry_loader(store, root / "runs", 5000).run(root / "in")
        result["load_s"] = round(time.monotonic() - started, 1)
        started = time.monotonic()
        model = train(
            store,
            root / "models",
            seed=args.seed,
            config=TrainConfig(
                models=("lgbm_graph",),
                lgbm=LgbmConfig(n_estimators=100, early_stopping_rounds=20),
                as_of=REFERENCE_DATE,
                device="cpu",
            ),
        )
        result["train_s"] = round(time.monotonic() - started, 1)
        months = ["2026-10", "2026-11"] + (["2026-11"] if args.rerun else [])
        for index, month in enumerate(months):
            summary = reclassify(store, model.model_dir, month, config=config, as_of=REFERENCE_DATE)
            result[["first_month", "second_month", "rerun"][index]] = figures(summary)
        store.close()
    result["peak_rss_mb"] = round(peak_rss_mb())
    result["target_s"] = 300
    emit(result)


if __name__ == "__main__":
    main()
