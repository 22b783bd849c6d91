"""Screening latency: p50/p95 of three-condition screens on a generated registry.

    python bench/screening.py                       # 20,000 firms, fresh embedded FalkorDB
    python bench/screening.py --enterprises 1570000
    python bench/screening.py --enterprises 200000 --keep /tmp/screen200k  # load once, reuse
    RISKGRAPH_DATA_DIR=/tmp/big python bench/screening.py --use-settings   # a loaded graph

Each screen is run ``--repeat`` times as ``POST /screens:run`` runs it
(``analytics.screening.run_screen``: the total over the whole match, then the first
page of 50 riskiest first), after one warm-up run. A generated registry has no model
scores: unless the graph has some, every firm gets a random ``risk_score`` and class
first (the page order needs a score; the random values do not change the counts).
Screens read the per-enterprise counters (``riskgraph.graph.screen_counters``): stale
or missing counters are refreshed first and the refresh timed (``counters_refresh_s``);
``--refresh`` refreshes them anyway; ``--live`` marks them stale instead, to measure the
live counts.
Prints one JSON line: per screen its total and p50/p95, and p50/p95 over all runs.
Target (issue 18): p95 ≤ 2 s for a three-condition screen on 1.57M firms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import emit, fresh_database, registry_loader

from riskgraph.analytics.screening import counter_state, refresh_counters, run_screen
from riskgraph.graph import open_store
from riskgraph.graph.falkordb_store import FalkorDBStore
from riskgraph.graph.schema import init_schema
from riskgraph.graph.screen_counters import mark_stale
from riskgraph.graph.store import GraphStore
from riskgraph.settings import get_settings

SCREENS: dict[str, dict[str, Any]] = {
    "region_type_capital": {
        "all": [
            {"field": "region_code", "op": "prefix", "value": "51"},
            {"field": "org_type", "op": "in", "value": ["有限责任公司"]},
            {"field": "registered_capital", "op": "between", "value": [100, 1000]},
        ]
    },
    "industry_status_penalties": {
        "all": [
            {"field": "industry_code", "op": "prefix", "value": "F"},
            {"field": "status", "op": "in", "value": ["存续", "在业"]},
            {"field": "penalties", "op": "gte", "value": 1, "months": 36},
        ]
    },
    "age_abnormal_class": {
        "all": [
            {"field": "age_years", "op": "lte", "value": 3},
            {"field": "abnormal_listed", "op": "eq", "value": True},
            {"field": "risk_class", "op": "in", "value": ["C", "D"]},
        ]
    },
    "kind_colocated_any": {
        "all": [
            {"field": "entity_kind", "op": "eq", "value": "enterprise"},
            {"field": "colocated_firms", "op": "gte", "value": 5},
            {"any": [{"field": "legal_rep_other_firms", "op": "gte", "value": 3}]},
        ]
    },
}

FAKE_SCORES = """
MATCH (e:Enterprise)
WITH e, rand() AS r
SET e.risk_score = r,
    e.risk_class = CASE WHEN r < 0.5 THEN 'A' WHEN r < 0.8 THEN 'B'
                        WHEN r < 0.95 THEN 'C' ELSE 'D' END
"""


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return {"p50_s": round(statistics.median(ordered), 3), "p95_s": round(p95, 3)}


def prepare_counters(store: GraphStore, live: bool, refresh: bool) -> dict[str, Any]:
    """Counters fresh (refreshed if stale or asked, timed), or marked stale with ``live``."""
    figures: dict[str, Any] = {}
    if live:
        mark_stale(store)
    elif refresh or not counter_state(store).fresh:
        figures["counters_refresh_s"] = refresh_counters(store).seconds
    started = time.perf_counter()
    figures["counters_fresh"] = counter_state(store).fresh
    figures["counters_check_s"] = round(time.perf_counter() - started, 3)
    return figures


def measure(
    store: GraphStore, repeat: int, live: bool = False, refresh: bool = False
) -> dict[str, Any]:
    if not store.read("MATCH (e:Enterprise) WHERE e.risk_score IS NOT NULL RETURN e LIMIT 1"):
        store.write(FAKE_SCORES, timeout_s=600)
    init_schema(store)  # the indexes the screens use (safe to repeat)
    figures: dict[str, Any] = {"screens": {}, **prepare_counters(store, live, refresh)}
    everything: list[float] = []
    for name, screen in SCREENS.items():
        run_screen(store, screen)  # warm-up
        samples = []
        total = 0
        for _ in range(repeat):
            started = time.perf_counter()
            total = run_screen(store, screen, limit=50).total
            samples.append(time.perf_counter() - started)
        everything += samples
        figures["screens"][name] = {"total": total, **percentiles(samples)}
    figures["all"] = percentiles(everything)
    figures["enterprises_in_graph"] = int(
        store.read("MATCH (e:Enterprise) RETURN count(e) AS n")[0]["n"]
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--use-settings",
        action="store_true",
        help="screen the graph riskgraph's settings name (FalkorDB or Neo4j) instead of "
        "generating and loading a fresh registry",
    )
    parser.add_argument(
        "--live",
        action="store_true",
        help="mark the screening counters stale first, so screens count neighbours live",
    )
    parser.add_argument(
        "--refresh", action="store_true", help="refresh the counters first even when fresh"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the generated input and the loaded database under this folder; a later run "
        "with the same folder screens it again without generating or loading",
    )
    args = parser.parse_args()
    figures: dict[str, Any] = {"benchmark": "screening", "repeat": args.repeat}
    if args.use_settings:
        store = open_store(get_settings(), start_embedded=True)
        figures["engine"] = store.dialect
        figures.update(measure(store, args.repeat, args.live, args.refresh))
        store.close()
        emit(figures)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        folder = root / "in"
        loaded = root / "loaded"
        if not loaded.exists():
            subprocess.run(
                [sys.executable, "-m", "riskgraph", "generate", "--enterprises",
                 str(args.enterprises), "--seed", str(args.seed), "--out", str(folder)],
                check=True,
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
        with fresh_database(root) as database:
            store = FalkorDBStore(database.uri(), "riskgraph", password=database.password)
            if not loaded.exists():
                started = time.perf_counter()
                registry_loader(store, root / "runs", 5000).run(folder)
                figures["load_s"] = round(time.perf_counter() - started, 1)
                loaded.write_text("loaded\n", encoding="utf-8")
            figures["engine"] = "falkordb"
            figures.update(measure(store, args.repeat, args.live, args.refresh))
            store.close()
    emit(figures)


if __name__ == "__main__":
    main()
