"""Analytics on a large loaded graph: query latency, the rule pool and cluster building.

    python bench/full_load.py --enterprises 1570000 --seed 1 --keep /tmp/big
    RISKGRAPH_DATA_DIR=/tmp/big python bench/analytics_scale.py --sample 1000

Uses the graph the settings name (the embedded database under
``RISKGRAPH_DATA_DIR`` by default, started if needed). Latency: ``family_tree``
and ``associated_risk`` (2 hops) for ``--sample`` random enterprises, each call
timed end to end (query and shaping), beside a direct key lookup of the same
enterprises in the same run. Then the whole rule pool and a cluster build,
timed. Prints one JSON line. Targets (issue: analytics): p99 ≤ 50 ms for both
queries, rules ≤ 5 min, clusters ≤ 5 min on the 1.57M-enterprise graph.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from _common import emit

from riskgraph.analytics.clusters import build
from riskgraph.analytics.rules import run_rules
from riskgraph.graph import open_store
from riskgraph.graph.queries import run_named
from riskgraph.settings import get_settings


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def timed(calls: list[Callable[[], Any]]) -> list[float]:
    samples = []
    for call in calls:
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-rules", action="store_true")
    parser.add_argument("--skip-clusters", action="store_true")
    args = parser.parse_args()

    store = open_store(get_settings(), start_embedded=True)
    keys = [
        row["k"] for row in store.read("MATCH (e:Enterprise) RETURN e.uscc AS k", timeout_s=600)
    ]
    sample = random.Random(args.seed).sample(keys, min(args.sample, len(keys)))
    figures: dict[str, Any] = {"benchmark": "analytics_scale", "enterprises": len(keys)}

    lookup = "MATCH (e:Enterprise {uscc: $k}) RETURN e.name AS name, e.risk_class AS class"
    figures["direct_lookup"] = percentiles(
        timed([partial(store.read, lookup, k=k) for k in sample])
    )
    for name, params in (("family_tree", {}), ("associated_risk", {"hops": 2})):
        samples = timed([partial(run_named, store, name, {"uscc": k, **params}) for k in sample])
        figures[name] = percentiles(samples)
        figures[name]["ratio_p50_to_lookup"] = round(
            figures[name]["p50_ms"] / max(figures["direct_lookup"]["p50_ms"], 1e-3), 1
        )

    if not args.skip_rules:
        started = time.monotonic()
        summary = run_rules(store, timeout_s=600)
        figures["rules_seconds"] = round(time.monotonic() - started, 1)
        figures["rules_matched"] = {r.rule: r.matched for r in summary.results}
        figures["rules_seconds_each"] = {r.rule: round(r.seconds, 1) for r in summary.results}
    if not args.skip_clusters:
        started = time.monotonic()
        report = build(store)
        figures["clusters_seconds"] = round(time.monotonic() - started, 1)
        figures["clusters"] = report.clusters
    store.close()
    figures["targets"] = {"p99_ms": 50, "rules_seconds": 300, "clusters_seconds": 300}
    emit(figures)


if __name__ == "__main__":
    main()
