"""FalkorDB and Neo4j side by side on one generated registry.

    python bench/engines_side_by_side.py --enterprises 200000 --seed 1

Generates one registry (or uses ``--registry``), then for each engine in turn
(FalkorDB, then Neo4j; one server alive at a time, each in a child process of
its own so that the loader's peak RSS is that engine's alone) starts a fresh
server under one folder and measures, in this order:

- the full load with the real loader (``registry_loader``): seconds, rows/s, the
  loader's peak RSS and the server's (``VmHWM`` of the redis-server or the JVM)
  and the store's size on disk;
- ``family_tree`` and ``associated_risk`` (2 hops) p50/p99 over ``--sample``
  enterprises through the named-query runner the API uses (the same keys on
  both engines: a seeded sample of the sorted key list);
- the whole rule pool and a cluster build (seconds);
- the GNN export (``export_graph``) and the write-back of a score for every
  enterprise (``write_back`` of a :class:`Scores` built from the export, as the
  tests do, with seeded random probabilities: no training);
- ``GET /scores/{uscc}`` at ``--rate`` req/s for ``--duration`` s against
  ``riskgraph serve`` on loopback (``bench/api_load.py``'s server and open-loop
  client), after a short sequential warm-up.

With ``--importer``, Neo4j's own bulk importer (``neo4j-admin database import
full``, in Neo4j's jars already) loads the same rows into an empty store from
CSV files made with the loader's own validation (:class:`CaptureStore`,
:class:`ImportFiles`), then the schema is applied: a reference figure for a
first load, checked to give the loader's node and relationship counts.

A stage that fails is named in the engine's ``errors`` and the run goes on.
Prints one JSON line: ``{"enterprises", "seed", "falkordb": {...}, "neo4j":
{...}, "ratios": {figure: neo4j / falkordb}}``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from _common import emit, fresh_database, peak_rss_mb, registry_loader

from riskgraph import cypher
from riskgraph.graph.store import GraphStore, Row

ENGINES = ("falkordb", "neo4j")
GRAPH_URIS = {"falkordb": "embedded", "neo4j": "local-neo4j"}
CLASSES = ("A", "B", "C", "D")
QUERY_TIMEOUT_S = 600.0
WARM_UP = 50
"""Keys (not in the sample) each query runs on, untimed, before the timed ones."""
LOOKUP = "MATCH (e:Enterprise {uscc: $k}) RETURN e.name AS name, e.risk_class AS class"
RATIO_FIGURES = (
    "load_seconds",
    "load_rows_per_s",
    "loader_peak_rss_mb",
    "server_peak_rss_mb_load",
    "server_peak_rss_mb",
    "store_mb_after_load",
    "direct_lookup_p50_ms",
    "direct_lookup_p99_ms",
    "family_tree_p50_ms",
    "family_tree_p99_ms",
    "associated_risk_p50_ms",
    "associated_risk_p99_ms",
    "rules_seconds",
    "clusters_seconds",
    "export_seconds",
    "write_back_seconds",
    "api_single_p50_ms",
    "api_single_p99_ms",
    "api_single_corrected_p99_ms",
)


def neo4j_memory_for(enterprises: int) -> dict[str, int]:
    """Heap, page cache and transaction cap (MB) for a 24 GB machine.

    The page cache holds the store files: 0.57 GB at 200k enterprises after the
    whole run (scores, alerts and clusters included; the transaction logs, 1.1 GB
    more, stay out of it), so about 4.5 GB at 1.57M. The heap holds the query
    working sets: with 2 GB at 200k the rules saw G1 pauses of up to 1.8 s.
    """
    if enterprises >= 1_000_000:
        return {"heap_mb": 4096, "page_cache_mb": 6144, "transaction_mb": 2048}
    if enterprises >= 300_000:
        return {"heap_mb": 3072, "page_cache_mb": 3072, "transaction_mb": 2048}
    return {"heap_mb": 2048, "page_cache_mb": 2048, "transaction_mb": 2048}


# --------------------------------------------------------------------------- helpers


def server_memory_mb(pid: int | None) -> dict[str, float | None]:
    """Peak (VmHWM) and current (VmRSS) resident memory of a process, in MB."""
    figures: dict[str, float | None] = {"peak": None, "now": None}
    if pid is None:
        return figures
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmHWM", "VmRSS"):
                figures["peak" if name == "VmHWM" else "now"] = round(int(value.split()[0]) / 1024)
    return figures


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds a process has used so far (0 when it is gone)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def folder_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


class Stages:
    """Runs the stages of one engine, keeping going past a failed one."""

    def __init__(self) -> None:
        self.figures: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        # the machine is shared: the 1-minute load average as each stage ends
        self.load_average: dict[str, float] = {"start": round(os.getloadavg()[0], 2)}
        self.figures["load_average_1m"] = self.load_average

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        print(f"[{datetime.now(UTC):%H:%M:%S}] {name} ...", file=sys.stderr, flush=True)
        try:
            yield
        except Exception as exc:  # one failed stage must not lose the others
            self.errors[name] = f"{type(exc).__name__}: {str(exc)[:800]}"
            traceback.print_exc(file=sys.stderr)
        self.load_average[name] = round(os.getloadavg()[0], 2)
        print(
            f"[{datetime.now(UTC):%H:%M:%S}] {name} done in {time.monotonic() - started:.1f} s",
            file=sys.stderr,
            flush=True,
        )


def timed_seconds(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.monotonic()
    result = fn()
    return round(time.monotonic() - started, 2), result


def random_scores(graph: Any, seed: int) -> Any:
    """A score for every exported enterprise, without a model (as tests/gnn do)."""
    from riskgraph.gnn.score import Scores

    n = graph.num_nodes("enterprise")
    rng = np.random.default_rng(seed)
    proba = rng.dirichlet(np.ones(len(CLASSES)), size=n)
    return Scores(
        keys=list(graph.keys["enterprise"]),
        classes=CLASSES,
        proba=proba,
        predicted=[CLASSES[i] for i in proba.argmax(axis=1)],
        risk=proba @ np.linspace(0.0, 1.0, len(CLASSES)),
        node_ids=graph.node_ids,
    )


# --------------------------------------------------------------------------- one engine


@contextlib.contextmanager
def running_engine(engine: str, root: Path, memory: dict[str, int]) -> Iterator[tuple[Any, Any]]:
    """A fresh server of ``engine`` under ``root`` (``root/graph`` or ``root/neo4j``,
    where ``RISKGRAPH_DATA_DIR=root`` finds it) and a store on it."""
    if engine == "falkordb":
        from riskgraph.graph.falkordb_store import FalkorDBStore

        with fresh_database(root) as database:
            store = FalkorDBStore(
                database.uri(),
                "riskgraph",
                password=database.password,
                query_timeout_s=QUERY_TIMEOUT_S,
                write_timeout_s=QUERY_TIMEOUT_S,
            )
            try:
                yield database, store
            finally:
                store.close()
        return
    from riskgraph.graph.local_neo4j import LocalNeo4j, Neo4jMemory

    server = LocalNeo4j(
        root / "neo4j",
        memory=Neo4jMemory(**memory),
        start_timeout_s=600,
        transaction_timeout_s=QUERY_TIMEOUT_S,
    )
    server.start()
    try:
        store = neo4j_store(server)
        try:
            yield server, store
        finally:
            store.close()
    finally:
        server.stop(timeout_s=600)


def neo4j_store(server: Any) -> Any:
    """A store on a running :class:`LocalNeo4j`, with the benchmark's timeouts."""
    from riskgraph.graph.neo4j_store import Neo4jStore

    return Neo4jStore(
        server.uri(),
        user=server.user,
        password=server.password,
        query_timeout_s=QUERY_TIMEOUT_S,
        write_timeout_s=QUERY_TIMEOUT_S,
    )


def measure_engine(args: argparse.Namespace) -> dict[str, Any]:
    """Every stage on one engine; the figures (flat, plus ``errors``)."""
    engine, root = args.engine, args.work
    memory = json.loads(args.neo4j_memory)
    # `riskgraph serve` and the CLI children find the server through these.
    os.environ["RISKGRAPH_DATA_DIR"] = str(root)
    os.environ["RISKGRAPH_GRAPH_URI"] = GRAPH_URIS[engine]
    store_dir = root / ("graph" if engine == "falkordb" else "neo4j")
    run = Stages()
    figures = run.figures
    if engine == "neo4j":
        figures["neo4j_memory_mb"] = memory
    with running_engine(engine, root, memory) as (server, store):
        pid = server.status().pid
        figures["server_start_rss_mb"] = server_memory_mb(pid)["now"]
        with run.stage("load"):
            load_stage(run, store, args, pid, store_dir)
        sample, warm_up = sample_keys(run, store, args)
        query_stages(run, store, sample, warm_up)
        analytics_stages(run, store)
        model_stages(run, store, engine, args.seed)
        with run.stage("api_single"):
            figures.update(api_single(engine, sample, pid, args))
        figures["server_peak_rss_mb"] = server_memory_mb(pid)["peak"]
        figures["store_mb_end"] = folder_mb(store_dir)
    figures["errors"] = run.errors
    return figures


def load_stage(
    run: Stages, store: GraphStore, args: argparse.Namespace, pid: int | None, store_dir: Path
) -> None:
    """The full load with the real loader, then the graph's counts."""
    from riskgraph.graph.schema import graph_stats

    started = time.monotonic()
    report = registry_loader(store, args.work / "runs", args.batch_size).run(args.registry)
    seconds = time.monotonic() - started
    total = report.total
    run.figures.update(
        load_seconds=round(seconds, 1),
        input_rows=total.input_rows,
        loaded=total.loaded,
        quarantined=total.quarantined,
        load_rows_per_s=round(total.input_rows / seconds),
        loader_peak_rss_mb=round(peak_rss_mb()),
        server_peak_rss_mb_load=server_memory_mb(pid)["peak"],
        store_mb_after_load=folder_mb(store_dir),
    )
    stats = graph_stats(store)
    run.figures["nodes"] = sum(stats["nodes"].values())
    run.figures["relationships"] = sum(stats["relationships"].values())
    run.figures["model_counts"] = model_counts(stats)
    del report
    gc.collect()


def sample_keys(
    run: Stages, store: GraphStore, args: argparse.Namespace
) -> tuple[list[str], list[str]]:
    """The seeded sample of enterprise keys (the same on both engines) and a warm-up set."""
    keys = sorted(
        row["k"] for row in store.read("MATCH (e:Enterprise) RETURN e.uscc AS k", timeout_s=600)
    )
    run.figures["enterprises_in_graph"] = len(keys)
    picked = random.Random(args.seed).sample(keys, min(args.sample + WARM_UP, len(keys)))
    sample, warm_up = picked[: args.sample], picked[args.sample :]
    run.figures["sample_sha1"] = hashlib.sha1(
        "\n".join(sample).encode(), usedforsecurity=False
    ).hexdigest()[:12]
    return sample, warm_up


def query_stages(run: Stages, store: GraphStore, sample: list[str], warm_up: list[str]) -> None:
    """Key lookups and two named queries, p50/p99 over the sample."""
    from analytics_scale import percentiles, timed

    from riskgraph.graph.queries import run_named

    figures = run.figures
    with run.stage("direct_lookup"):
        found = percentiles(timed([partial(store.read, LOOKUP, k=k) for k in sample]))
        figures["direct_lookup_p50_ms"] = found["p50_ms"]
        figures["direct_lookup_p99_ms"] = found["p99_ms"]
    for name, params in (("family_tree", {}), ("associated_risk", {"hops": 2})):
        with run.stage(name):
            for k in warm_up:  # plans compiled and cached before the timed calls
                run_named(store, name, {"uscc": k, **params})
            samples = timed(
                [partial(run_named, store, name, {"uscc": k, **params}) for k in sample]
            )
            found = percentiles(samples)
            figures[f"{name}_p50_ms"] = found["p50_ms"]
            figures[f"{name}_p99_ms"] = found["p99_ms"]
            figures[f"{name}_max_ms"] = found["max_ms"]


def analytics_stages(run: Stages, store: GraphStore) -> None:
    """The whole rule pool and a cluster build."""
    from riskgraph.analytics.clusters import build
    from riskgraph.analytics.rules import run_rules

    with run.stage("rules"):
        seconds, summary = timed_seconds(lambda: run_rules(store, timeout_s=QUERY_TIMEOUT_S))
        run.figures["rules_seconds"] = round(seconds, 1)
        run.figures["rules_matched"] = sum(r.matched for r in summary.results)
        run.figures["rules_seconds_each"] = {r.rule: round(r.seconds, 1) for r in summary.results}
    with run.stage("clusters"):
        seconds, built = timed_seconds(lambda: build(store))
        run.figures["clusters_seconds"] = round(seconds, 1)
        run.figures["clusters"] = built.clusters


def model_stages(run: Stages, store: GraphStore, engine: str, seed: int) -> None:
    """The GNN export, then a write-back of a seeded random score for every enterprise."""
    from riskgraph.gnn.export import export_graph
    from riskgraph.gnn.score import write_back

    figures = run.figures
    graph = None
    with run.stage("export"):
        seconds, graph = timed_seconds(lambda: export_graph(store))
        figures["export_seconds"] = round(seconds, 1)
        figures["export_enterprises"] = graph.num_nodes("enterprise")
        figures["export_by_node_id"] = graph.node_ids is not None
    if graph is None:
        return
    with run.stage("write_back"):
        scores = random_scores(graph, seed)
        del graph
        gc.collect()
        figures["write_back_waited_quiet_s"] = settle(engine)
        stamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        seconds, written = timed_seconds(
            partial(write_back, store, scores, 20_000, "bench-engines", stamp, date.today())
        )
        figures["write_back_seconds"] = round(seconds, 1)
        figures["written"] = written
        del scores
        gc.collect()


def settle(engine: str) -> float:
    """On FalkorDB, wait until no background fork runs (bench/train_scale.py's wait):
    the index garbage collection after a large write forks the server and keeps a
    core busy, and would be measured with the next stage. Seconds waited."""
    if engine != "falkordb":
        return 0.0
    from train_scale import Server

    return Server().wait_quiet(settle_s=30.0, timeout_s=600.0)


def api_single(
    engine: str, sample: list[str], db_pid: int | None, args: argparse.Namespace
) -> dict[str, Any]:
    """``GET /scores/{uscc}`` at a constant rate, with bench/api_load.py's pieces."""
    import asyncio

    from api_load import constant_rate, free_port, running_server, sequential

    with contextlib.suppress(ImportError):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    waited = settle(engine)
    rng = random.Random(args.seed)
    with running_server(free_port(), args.work / "serve.log", 600.0) as server:
        warm = asyncio.run(sequential(server["base"], server["key"], sample[:200]))
        before = cpu_seconds(server["pid"]), cpu_seconds(db_pid)
        single = asyncio.run(
            constant_rate(
                server["base"],
                server["key"],
                sample,
                rng,
                rate=args.rate,
                duration=args.duration,
                max_in_flight=64,
            )
        )
        after = cpu_seconds(server["pid"]), cpu_seconds(db_pid)
    answered = max(1, single["ok"])
    return {
        "api_waited_quiet_s": waited,
        "api_warmup_p50_ms": warm["p50_ms"],
        "api_single_rate": single["rate"],
        "api_single_achieved_rps": single["achieved_rps"],
        "api_single_ok": single["ok"],
        "api_single_dropped": single["dropped"],
        "api_single_5xx": single["status_5xx"],
        "api_single_errors": single["errors"],
        "api_single_p50_ms": single["p50_ms"],
        "api_single_p99_ms": single["p99_ms"],
        "api_single_corrected_p99_ms": single["corrected_p99_ms"],
        # CPU per answered request of the API process and of the database server:
        # where the time goes on 2 cores
        "api_single_cpu_ms_per_request": {
            "api": round((after[0] - before[0]) * 1000 / answered, 3),
            "database": round((after[1] - before[1]) * 1000 / answered, 3),
        },
    }


# --------------------------------------------------------------------------- Neo4j's importer


class CaptureStore(GraphStore):
    """A store that keeps the loader's writes instead of sending them.

    The loader runs as on a first load into an empty Neo4j (validation,
    quarantine, references), so the rows captured are exactly those its
    ``_fresh`` queries would write; :class:`ImportFiles` turns them into
    ``neo4j-admin database import`` CSV files. Ledger writes are answered and
    dropped, and reference look-ups find nothing (a loaded key is already known
    to the loader).
    """

    dialect = "neo4j"

    def __init__(self, files: ImportFiles) -> None:
        self.files = files
        self.names = {
            cypher.text(name, "neo4j"): name
            for name in cypher.names()
            if name.startswith("ingest_")
        }

    def read(self, query: str, /, *, timeout_s: float | None = None, **params: Any) -> list[Row]:
        return []

    def write(self, query: str, /, *, timeout_s: float | None = None, **params: Any) -> list[Row]:
        name = self.names.get(query, "")
        if name == "ingest_run_start":
            return [{"status": "running", "batch_size": params["batch_size"], "files": []}]
        if name.startswith("ingest_") and "rows" in params:
            self.files.add(name.removesuffix("_fresh"), params["rows"], params["run_id"])
        return []  # schema, ledger

    def ping(self) -> None:
        return None

    def close(self) -> None:
        return None

    def drop_graph(self) -> None:
        return None


CSV_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _day(value: Any) -> str | None:
    return None if value is None else str(value)[:10]


class ImportFiles:
    """Node and relationship CSV files for ``neo4j-admin database import full``.

    Mirrors the loader's ``ingest_*_fresh`` queries (one table per label and
    per relationship type and end labels). Rows go to JSON lines first, with
    each column's types noted, since the CSV header must name the types before
    the first row; :meth:`finish` writes header and data. Label rows
    (``ingest_labels``, which set properties of existing enterprises) are kept
    in memory and merged into the enterprise rows; so are addresses, which the
    loader MERGEs (one per ``aid``, the last row's values).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.handles: dict[str, Any] = {}
        self.columns: dict[str, dict[str, set[str]]] = {}
        self.labels: dict[str, dict[str, Any]] = {}
        self.addresses: dict[str, tuple[str, str, str]] = {}
        self.dates = {"established", "since", "until", "date", "removed_on", "label_as_of"}

    def _put(self, table: str, row: dict[str, Any]) -> None:
        columns = self.columns.setdefault(table, {})
        for name, value in row.items():
            if value is not None:
                kind = "date" if name in self.dates else CSV_TYPES.get(type(value), "string")
                columns.setdefault(name, set()).add(kind)
        if table not in self.handles:
            self.handles[table] = (self.folder / f"{table}.jsonl").open("w", encoding="utf-8")
        self.handles[table].write(json.dumps(row, ensure_ascii=False, default=str) + "\n")

    def add(self, name: str, rows: list[Row], run_id: str) -> None:
        put, stamp = self._put, {"lastupdated": run_id}
        for r in rows:
            if name == "ingest_enterprises":
                put(
                    "Enterprise",
                    {
                        ":ID(Enterprise)": r["uscc"],
                        "uscc": r["uscc"],
                        **r["props"],
                        "established": _day(r["established"]),
                        **stamp,
                    },
                )
                if r["aid"] is not None:  # MERGE, then SET: the last row of an address wins
                    self.addresses[r["aid"]] = (r["address"], r["region_code"], run_id)
                    put(
                        "REGISTERED_AT",
                        {":START_ID(Enterprise)": r["uscc"], ":END_ID(Address)": r["aid"]},
                    )
            elif name == "ingest_persons":
                put("Person", {":ID(Person)": r["pid"], "pid": r["pid"], **r["props"], **stamp})
            elif name in ("ingest_legal_reps", "ingest_positions"):
                table = "LEGAL_REP_OF" if name == "ingest_legal_reps" else "HOLDS_POSITION"
                role = {"role": r["role"]} if "role" in r else {}
                put(
                    table,
                    {
                        ":START_ID(Person)": r["pid"],
                        ":END_ID(Enterprise)": r["uscc"],
                        **role,
                        "since": _day(r["since"]),
                        "until": _day(r["until"]),
                        **stamp,
                    },
                )
            elif name in ("ingest_person_investments", "ingest_enterprise_investments"):
                group = "Person" if name == "ingest_person_investments" else "Enterprise"
                put(
                    f"INVESTS_IN_from_{group}",
                    {
                        f":START_ID({group})": r["investor"],
                        ":END_ID(Enterprise)": r["investee"],
                        **r["props"],
                        "since": _day(r["since"]),
                        **stamp,
                    },
                )
            elif name == "ingest_branches":
                put(
                    "BRANCH_OF",
                    {
                        ":START_ID(Enterprise)": r["branch"],
                        ":END_ID(Enterprise)": r["parent"],
                        "since": _day(r["since"]),
                        **stamp,
                    },
                )
            elif name == "ingest_violations":
                put(
                    "Violation",
                    {
                        ":ID(Violation)": r["vid"],
                        "vid": r["vid"],
                        **r["props"],
                        "date": _day(r["date"]),
                        "removed_on": _day(r["removed_on"]),
                        **stamp,
                    },
                )
                put(
                    "HAS_VIOLATION",
                    {":START_ID(Enterprise)": r["uscc"], ":END_ID(Violation)": r["vid"]},
                )
            elif name == "ingest_labels":
                self.labels[r["uscc"]] = {
                    "label_class": r["class"],
                    "label_as_of": _day(r["as_of"]),
                    **stamp,
                }
            else:
                raise ValueError(f"no import mapping for {name}")

    def finish(self) -> list[str]:
        """Write the CSV files; the importer's ``--nodes``/``--relationships`` arguments."""
        for aid, (address, region, run_id) in self.addresses.items():
            self._put(
                "Address",
                {
                    ":ID(Address)": aid,
                    "aid": aid,
                    "address": address,
                    "region_code": region,
                    "lastupdated": run_id,
                },
            )
        for handle in self.handles.values():
            handle.close()
        if self.labels:
            columns = self.columns["Enterprise"]
            columns["label_class"], columns["label_as_of"] = {"string"}, {"date"}
        arguments = []
        for table, columns in self.columns.items():
            names = list(columns)
            header = [self._header(name, columns[name]) for name in names]
            path = self.folder / f"{table}.csv"
            with (
                (self.folder / f"{table}.jsonl").open(encoding="utf-8") as source,
                path.open("w", encoding="utf-8", newline="") as out,
            ):
                writer = csv.writer(out)
                writer.writerow(header)
                for line in source:
                    row = json.loads(line)
                    if table == "Enterprise" and row["uscc"] in self.labels:
                        row.update(self.labels[row["uscc"]])
                    writer.writerow(["" if row.get(n) is None else row[n] for n in names])
            (self.folder / f"{table}.jsonl").unlink()
            if any(name.startswith(":ID(") for name in names):
                arguments.append(f"--nodes={table}={path}")
            else:
                arguments.append(f"--relationships={table.split('_from_')[0]}={path}")
        return arguments

    @staticmethod
    def _header(name: str, kinds: set[str]) -> str:
        if name.startswith(":"):
            return name
        kind = "double" if kinds == {"long", "double"} else "string"
        if len(kinds) == 1:
            kind = next(iter(kinds))
        return name if kind == "string" else f"{name}:{kind}"


def import_reference(
    registry: Path, root: Path, memory: dict[str, int], batch_size: int
) -> dict[str, Any]:
    """Neo4j's bulk importer on the same registry: CSV files made with the loader's
    validation, ``neo4j-admin database import full``, then the schema; seconds each."""
    from riskgraph.graph.local_neo4j import LocalNeo4j, Neo4jMemory, find_java, find_lib
    from riskgraph.graph.schema import graph_stats, init_schema

    figures: dict[str, Any] = {}
    files = ImportFiles(root / "csv")
    started = time.monotonic()
    loader = registry_loader(CaptureStore(files), root / "runs", batch_size)
    loader.first_load = True
    report = loader.run(registry)
    arguments = files.finish()
    figures["csv_seconds"] = round(time.monotonic() - started, 1)
    figures["csv_mb"] = folder_mb(root / "csv")
    figures["input_rows"] = report.total.input_rows
    home = root / "neo4j"
    home.mkdir(parents=True, exist_ok=True)
    command = [
        str(find_java()),
        f"-Xmx{memory['heap_mb']}m",
        "-cp",
        f"{find_lib()}/*",
        "org.neo4j.cli.AdminTool",
        "database",
        "import",
        "full",
        *arguments,
        "--threads=2",
        f"--max-off-heap-memory={memory['page_cache_mb']}m",
        f"--report-file={root / 'import.report'}",
        "neo4j",
    ]
    started = time.monotonic()
    with (root / "import.log").open("w", encoding="utf-8") as log:
        done = subprocess.run(
            command,
            env={**os.environ, "NEO4J_HOME": str(home)},
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
            cwd=root,
        )
    figures["import_seconds"] = round(time.monotonic() - started, 1)
    if done.returncode != 0:
        tail = (root / "import.log").read_text(encoding="utf-8")[-1500:]
        figures["error"] = f"neo4j-admin exited {done.returncode}: {tail}"
        return figures
    figures["store_mb_after_import"] = folder_mb(home)
    server = LocalNeo4j(home, memory=Neo4jMemory(**memory), start_timeout_s=600)
    started = time.monotonic()
    server.start()
    figures["start_seconds"] = round(time.monotonic() - started, 1)
    try:
        store = neo4j_store(server)
        try:
            started = time.monotonic()
            init_schema(store)
            store.write("CALL db.awaitIndexes($s)", s=int(QUERY_TIMEOUT_S))
            figures["schema_seconds"] = round(time.monotonic() - started, 1)
            stats = graph_stats(store)
        finally:
            store.close()
    finally:
        server.stop(timeout_s=600)
    figures["model_counts"] = model_counts(stats)
    figures["total_seconds"] = round(
        figures["csv_seconds"] + figures["import_seconds"] + figures["schema_seconds"], 1
    )
    figures["import_rows_per_s"] = round(figures["input_rows"] / figures["import_seconds"])
    return figures


def model_counts(stats: dict[str, Any]) -> dict[str, int]:
    """Nodes per model label and relationships per model type (no ledger, alerts...)."""
    from riskgraph.graph.schema import NODE_KEYS, RELATIONSHIP_TYPES

    counts = {label: stats["nodes"].get(label, 0) for label in NODE_KEYS}
    counts.update({kind: stats["relationships"].get(kind, 0) for kind in RELATIONSHIP_TYPES})
    return counts


# --------------------------------------------------------------------------- the whole run


def engine_child(
    engine: str, registry: Path, work: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """Run one engine's stages in a child process (its own peak RSS); its figures."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--engine",
        engine,
        "--registry",
        str(registry),
        "--work",
        str(work),
        "--seed",
        str(args.seed),
        "--sample",
        str(args.sample),
        "--batch-size",
        str(args.batch_size),
        "--rate",
        str(args.rate),
        "--duration",
        str(args.duration),
        "--neo4j-memory",
        args.neo4j_memory,
    ]
    started = time.monotonic()
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    lines = result.stdout.strip().splitlines()
    try:
        figures: dict[str, Any] = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        figures = {"errors": {"child": f"exit {result.returncode}, no figures"}}
    figures["wall_seconds"] = round(time.monotonic() - started, 1)
    return figures


def ratios(falkordb: dict[str, Any], neo4j: dict[str, Any]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name in RATIO_FIGURES:
        a, b = falkordb.get(name), neo4j.get(name)
        out[name] = round(b / a, 2) if isinstance(a, int | float) and a and b is not None else None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--registry", type=Path, help="use this generated folder")
    parser.add_argument("--work", type=Path, help="keep the servers' folders here")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=500.0, help="API req/s")
    parser.add_argument("--duration", type=float, default=30.0, help="API seconds")
    parser.add_argument("--neo4j-memory", help='JSON {"heap_mb", "page_cache_mb", ...}')
    parser.add_argument(
        "--importer", action="store_true", help="also time Neo4j's own bulk importer"
    )
    parser.add_argument("--engine", choices=ENGINES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.neo4j_memory is None:
        args.neo4j_memory = json.dumps(neo4j_memory_for(args.enterprises))

    if args.engine is not None:  # the child: one engine
        emit(measure_engine(args))
        return

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="engines_") as tmp:
        root = args.work or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        figures: dict[str, Any] = {"enterprises": args.enterprises, "seed": args.seed}
        registry = args.registry
        if registry is None:
            registry = root / "in"
            figures["generate_seconds"] = generate(args.enterprises, args.seed, registry)
        figures["registry_mb"] = folder_mb(registry)
        for engine in args.engines.split(","):
            print(f"== {engine}", file=sys.stderr, flush=True)
            figures[engine] = engine_child(engine, registry, root / engine, args)
        if args.importer:
            print("== neo4j-admin database import", file=sys.stderr, flush=True)
            try:
                imported = import_reference(
                    registry, root / "import", json.loads(args.neo4j_memory), args.batch_size
                )
            except Exception as exc:  # the engines' figures must still be printed
                traceback.print_exc(file=sys.stderr)
                imported = {"error": f"{type(exc).__name__}: {str(exc)[:800]}"}
            loaded = figures.get("neo4j", {})
            if "model_counts" in loaded:
                imported["same_counts_as_loader"] = (
                    imported.get("model_counts") == loaded["model_counts"]
                )
            if imported.get("total_seconds") and loaded.get("load_seconds"):
                imported["total_to_loader"] = round(
                    imported["total_seconds"] / loaded["load_seconds"], 3
                )
            figures["neo4j_import_tool"] = imported
    if "falkordb" in figures and "neo4j" in figures:
        figures["ratios"] = ratios(figures["falkordb"], figures["neo4j"])
        figures["same_sample"] = figures["falkordb"].get("sample_sha1") == figures["neo4j"].get(
            "sample_sha1"
        )
    figures["wall_seconds"] = round(time.monotonic() - started, 1)
    emit(figures)


def generate(enterprises: int, seed: int, out: Path) -> float:
    """Generate the registry in a child process (this one stays small); seconds."""
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; "
            "from riskgraph.ingest.generate import generate_registry; "
            "generate_registry(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))",
            str(enterprises),
            str(seed),
            str(out),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return round(time.monotonic() - started, 1)


if __name__ == "__main__":
    main()
