"""Loader throughput against a bare ``UNWIND … CREATE`` of the same rows, same server, same run.

    python bench/ingest_throughput.py --enterprises 100000 --seed 1

Generates a registry, loads it with the real loader (validation, MERGE, ledger)
into a fresh embedded database, then sends the same input rows (every file,
as raw dicts) with ``UNWIND $rows AS row CREATE (n:Bare) SET n = row`` in
batches of the same size into another graph of the same server. Prints one JSON
line; ``ratio`` = loader rows/s ÷ bare rows/s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _common import emit, fresh_database, peak_rss_mb, registry_loader

from riskgraph.graph.falkordb_store import FalkorDBStore
from riskgraph.ingest.generate import generate_registry
from riskgraph.ingest.sources import find_files, iter_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=5000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.monotonic()
        generate_registry(args.enterprises, args.seed, root / "in")
        generate_s = time.monotonic() - started
        with fresh_database(root) as database:
            store = FalkorDBStore(database.uri(), "loader", password=database.password)
            loader = registry_loader(store, root / "runs", args.batch_size)
            started = time.monotonic()
            report = loader.run(root / "in")
            loader_s = time.monotonic() - started

            bare = FalkorDBStore(database.uri(), "bare", password=database.password)
            rows = 0
            started = time.monotonic()
            for path in find_files(root / "in", loader.format.kinds).values():
                batch: list[dict[str, str | None]] = []
                for _, raw in iter_rows(path):
                    batch.append(raw)
                    if len(batch) == args.batch_size:
                        bare.write("UNWIND $rows AS row CREATE (n:Bare) SET n = row", rows=batch)
                        rows += len(batch)
                        batch = []
                if batch:
                    bare.write("UNWIND $rows AS row CREATE (n:Bare) SET n = row", rows=batch)
                    rows += len(batch)
            bare_s = time.monotonic() - started

    total = report.total
    loader_rate = total.input_rows / loader_s
    bare_rate = rows / bare_s
    emit(
        {
            "benchmark": "ingest_throughput",
            "enterprises": args.enterprises,
            "batch_size": args.batch_size,
            "generate_seconds": round(generate_s, 1),
            "input_rows": total.input_rows,
            "loaded": total.loaded,
            "quarantined": total.quarantined,
            "loader_seconds": round(loader_s, 1),
            "loader_rows_per_s": round(loader_rate),
            "bare_rows": rows,
            "bare_seconds": round(bare_s, 1),
            "bare_rows_per_s": round(bare_rate),
            "ratio": round(loader_rate / bare_rate, 3),
            "peak_rss_mb": round(peak_rss_mb()),
        }
    )


if __name__ == "__main__":
    main()
