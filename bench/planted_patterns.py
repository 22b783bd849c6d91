"""Do the rule pool and the risk clusters recover the generator's planted patterns?

    python bench/planted_patterns.py --enterprises 20000 --seed 7

Generates a registry, loads it into a fresh embedded database, runs every rule (time
reference: the generator's reference date) and builds the clusters, then scores them
against ``truth/patterns.csv`` with ``planted.planted_recovery`` (bench/planted.py): a planted
shell ring or shareholding loop is recovered when the alerts of the rule targeting it
(R02, R09) cover at least 80 % of its members and one cluster does too; ``recall`` is
the share of rings and loops recovered, ``precision`` the share of R02/R09 alert
subjects that are members of a planted ring/loop. Every other rule that targets a
planted pattern (R01, R15-R22) is scored per firm with ``planted.rule_recovery``
(``rules``: planted members, alerts, recall, precision). The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from _common import emit, fresh_database, peak_rss_mb
from planted import planted_recovery, rule_recovery

from riskgraph.analytics.clusters import ClusterParams, build
from riskgraph.analytics.rules import run_rules
from riskgraph.graph.falkordb_store import FalkorDBStore
from riskgraph.graph.schema import init_schema
from riskgraph.ingest.generate import REFERENCE_DATE, generate_registry
from riskgraph.ingest.loader import Loader
from riskgraph.ingest.registry_format import RegistryFormat

SECRET = b"benchmark-secret-not-for-real-data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--coverage", type=float, default=0.8)
    args = parser.parse_args()

    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.monotonic()
        generate_registry(args.enterprises, args.seed, root / "in")
        timings["generate_seconds"] = time.monotonic() - started
        with fresh_database(root) as database:
            store = FalkorDBStore(
                database.uri(), "planted", password=database.password, query_timeout_s=600
            )
            init_schema(store)
            loader = Loader(
                store,
                RegistryFormat(SECRET, today=max(date.today(), REFERENCE_DATE)),
                runs_dir=root / "runs",
                batch_size=5000,
            )
            started = time.monotonic()
            loader.run(root / "in")
            timings["load_seconds"] = time.monotonic() - started

            started = time.monotonic()
            summary = run_rules(store, today=REFERENCE_DATE)
            timings["rules_seconds"] = time.monotonic() - started

            started = time.monotonic()
            report = build(store, ClusterParams(today=REFERENCE_DATE))
            timings["clusters_seconds"] = time.monotonic() - started

            scores = planted_recovery(
                store, root / "in" / "truth" / "patterns.csv", coverage=args.coverage
            )
            per_rule = rule_recovery(store, root / "in" / "truth" / "patterns.csv")
            store.close()

    emit(
        {
            "benchmark": "planted_patterns",
            "enterprises": args.enterprises,
            "seed": args.seed,
            **scores,
            "rules": per_rule,
            "alerts_per_rule": {r.rule: r.matched for r in summary.results},
            "failed_rules": {r.rule: r.error for r in summary.failed},
            "rule_seconds": {r.rule: r.seconds for r in summary.results},
            "clusters": report.clusters,
            "largest_cluster": report.largest,
            **{name: round(seconds, 1) for name, seconds in timings.items()},
            "peak_rss_mb": round(peak_rss_mb()),
        }
    )


if __name__ == "__main__":
    main()
