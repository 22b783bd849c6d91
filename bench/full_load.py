"""Full load of a generated registry into the embedded database (time and loader memory).

    python bench/full_load.py --enterprises 1570000 --seed 1

Targets (issue: ingest): ≤ 15 min for 1.57M enterprises on 2 cores, loader RSS ≤ 4 GB.
The generator runs in a child process so that the RSS figure is the loader's alone.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import emit, fresh_database, peak_rss_mb, registry_loader

from riskgraph.graph.falkordb_store import FalkorDBStore
from riskgraph.graph.schema import graph_stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=1_570_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--folder", type=Path, help="load this folder instead of generating")
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the loaded database (and the input) under this folder for later benchmarks; "
        "the server is stopped at the end and `RISKGRAPH_DATA_DIR=KEEP riskgraph db start` "
        "brings it back",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        folder = args.folder
        if folder is None:
            folder = root / "in"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "riskgraph",
                    "generate",
                    "--enterprises",
                    str(args.enterprises),
                    "--seed",
                    str(args.seed),
                    "--out",
                    str(folder),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        with fresh_database(root) as database:
            store = FalkorDBStore(database.uri(), "riskgraph", password=database.password)
            loader = registry_loader(store, root / "runs", args.batch_size)
            started = time.monotonic()
            report = loader.run(folder)
            seconds = time.monotonic() - started
            stats = graph_stats(store)

    total = report.total
    emit(
        {
            "benchmark": "full_load",
            "enterprises": args.enterprises,
            "input_rows": total.input_rows,
            "loaded": total.loaded,
            "quarantined": total.quarantined,
            "duplicates": total.duplicates,
            "seconds": round(seconds, 1),
            "rows_per_s": round(total.input_rows / seconds),
            "loader_peak_rss_mb": round(peak_rss_mb()),
            "target_seconds": 900,
            "target_rss_mb": 4096,
            "nodes": stats["nodes"],
            "relationships": stats["relationships"],
        }
    )


if __name__ == "__main__":
    main()
