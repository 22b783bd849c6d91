"""Benchmark the synthetic registry generator.

``python bench/generate.py --enterprises N --seed S`` generates a registry into a
temporary folder (removed afterwards) and prints one JSON line: enterprises, seconds,
peak_rss_mb (this process's peak resident set size), rows per file, class shares and the
total size written.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from riskgraph.ingest.generate import generate_registry


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="riskgraph-generate-") as tmp:
        start = time.perf_counter()
        summary = generate_registry(args.enterprises, args.seed, Path(tmp))
        seconds = time.perf_counter() - start
        written = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
    result = {
        "enterprises": args.enterprises,
        "seed": args.seed,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "rows": summary["rows"],
        "class_shares": summary["class_shares"],
        "mb_written": round(written / 1e6, 1),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
