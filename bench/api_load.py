"""Load on the HTTP API from a second process, on loopback, against the graph the settings name.

    RISKGRAPH_DATA_DIR=/tmp/apidemo python bench/api_load.py --rate 100 --duration 10 \\
        --clients 50 --concurrent-duration 10 --batch-repeat 5

Starts ``riskgraph serve`` as a subprocess on a free loopback port (with the
embedded database started if needed, and per-key rate limits lifted so that
429s do not mask the server's capacity), creates a ``service`` key with
``riskgraph keys create`` (revoked at the end), samples enterprise keys from the
graph with a seeded choice, then measures:

0. ``sequential``: ``--sequential`` look-ups one after the other (also the warm-up):
   the API's latency without load.
1. ``single``: ``GET /scores/{uscc}`` at a constant rate (open loop: requests are
   sent on schedule whether or not earlier ones have answered, at most
   ``--max-in-flight`` at once; the rest count as ``dropped``). Latency is taken
   from the send (``p50_ms``…) and from the scheduled time (``corrected``, which
   includes any delay of the load generator itself).
2. ``batch``: ``POST /scores:batch`` with ``--batch-keys`` keys, ``--batch-repeat``
   times, one after the other: seconds per call.
3. ``concurrent``: ``--clients`` clients each sending ``GET /scores/{uscc}`` back
   to back for ``--concurrent-duration`` seconds: throughput, latency, 5xx.
4. ``direct``: the same look-ups straight on the database (the query the API
   runs, one key at a time for the single keys; the batch keys in one query),
   and the API ÷ direct ratios.

The look-up phases drive the load with :class:`Http1Pool`, keep-alive HTTP/1.1
connections written by hand on asyncio (uvloop when installed): httpx (httpx2's parent) cost
about half a millisecond of CPU per request, which on a 2-core machine would
take the server's CPU and inflate what is measured. The batch phase uses httpx2.
Everything is bounded: request counts, per-request timeouts and a deadline per
phase. The last line printed is one
JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from riskgraph.graph import open_store
from riskgraph.graph.store import GraphStore
from riskgraph.settings import get_settings

LOOPBACK = "127.0.0.1"
SAMPLE_QUERY = "MATCH (e:Enterprise) RETURN e.uscc AS uscc ORDER BY uscc LIMIT $limit"
REQUEST_TIMEOUT_S = 10.0
BATCH_TIMEOUT_S = 120.0
DRAIN_S = 30.0


# --------------------------------------------------------------------------- figures


def percentile(values: list[float], q: float) -> float | None:
    """The ``q``-quantile (0..1) by linear interpolation; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_figures(seconds: list[float], prefix: str = "") -> dict[str, float | None]:
    """p50/p90/p99/max in milliseconds, rounded."""
    out: dict[str, float | None] = {}
    for name, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0)):
        value = percentile(seconds, q)
        out[f"{prefix}{name}_ms"] = None if value is None else round(value * 1000, 3)
    return out


@dataclass
class Tally:
    """Outcomes of one phase."""

    latencies: list[float] = field(default_factory=list)
    corrected: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def record(self, status: int | None, latency: float, error: str | None = None) -> None:
        if status is None:
            self.errors[error or "error"] += 1
            return
        self.statuses[status] += 1
        if status == 200:
            self.latencies.append(latency)
        else:
            self.errors[f"http_{status}"] += 1

    @property
    def sent(self) -> int:
        return sum(self.statuses.values()) + sum(
            n for name, n in self.errors.items() if not name.startswith("http_")
        )

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def summary(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "ok": self.statuses.get(200, 0),
            "status_5xx": self.server_errors,
            "errors": dict(sorted(self.errors.items())),
            **latency_figures(self.latencies),
        }


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


def riskgraph(*args: str, env: dict[str, str], timeout: float = 120.0) -> str:
    """Run the riskgraph CLI of this interpreter; its stdout."""
    result = subprocess.run(
        [sys.executable, "-m", "riskgraph", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"riskgraph {' '.join(args)} failed: {result.stderr.strip()[-2000:]}")
    return result.stdout


@contextlib.contextmanager
def running_server(port: int, log_path: Path, startup_s: float) -> Iterator[dict[str, Any]]:
    """``riskgraph serve`` on loopback with a service key; stopped (SIGTERM) and the key
    revoked on the way out."""
    env = dict(os.environ)
    env.update(
        {
            "RISKGRAPH_API__HOST": LOOPBACK,
            "RISKGRAPH_API__PORT": str(port),
            "RISKGRAPH_API__RATE_PER_S": "1000000",
            "RISKGRAPH_API__RATE_BURST": "1000000",
            "RISKGRAPH_API__DOCS": "false",
        }
    )
    key = riskgraph("keys", "create", "--role", "service", "--label", "bench api_load", env=env)
    key = key.strip().splitlines()[-1]
    key_id = key.split("_")[1]
    started = time.monotonic()
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "riskgraph",
                "serve",
                "--host",
                LOOPBACK,
                "--port",
                str(port),
                "--start-db",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://{LOOPBACK}:{port}"
            while True:
                if server.poll() is not None:
                    tail = log_path.read_text(encoding="utf-8")[-2000:]
                    raise RuntimeError(f"riskgraph serve exited ({server.returncode}): {tail}")
                with contextlib.suppress(httpx2.HTTPError):
                    if httpx2.get(f"{base}/readyz", timeout=2.0).status_code == 200:
                        break
                if time.monotonic() - started > startup_s:
                    raise RuntimeError(f"the API was not ready within {startup_s:.0f} s")
                time.sleep(0.25)
            yield {
                "base": base,
                "key": key,
                "pid": server.pid,
                "startup_s": round(time.monotonic() - started, 2),
            }
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=45)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait(timeout=10)
            with contextlib.suppress(Exception):
                riskgraph("keys", "revoke", key_id, env=env)


# --------------------------------------------------------------------------- phases


class Http1Pool:
    """``size`` keep-alive HTTP/1.1 connections to one loopback server, for GETs only.

    A request takes an idle connection, writes the request line and headers,
    reads the head up to the blank line and exactly ``Content-Length`` body
    bytes. A connection that fails is closed and replaced.
    """

    def __init__(self, base: str, key: str, size: int, timeout: float) -> None:
        parts = base.removeprefix("http://").split(":")
        self.host, self.port = parts[0], int(parts[1])
        self.headers = (
            f"Host: {self.host}:{self.port}\r\nAuthorization: Bearer {key}\r\n"
            "Accept: application/json\r\n\r\n"
        ).encode("ascii")
        self.size = size
        self.timeout = timeout
        self._idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.Queue()
        )

    async def __aenter__(self) -> Http1Pool:
        for _ in range(self.size):
            self._idle.put_nowait(await asyncio.open_connection(self.host, self.port))
        return self

    async def __aexit__(self, *exc: object) -> None:
        while not self._idle.empty():
            _, writer = self._idle.get_nowait()
            writer.close()

    async def get(self, path: str) -> tuple[int, bytes]:
        """``(status, body)``; raises TimeoutError or OSError/IncompleteReadError."""
        reader, writer = await self._idle.get()
        try:
            async with asyncio.timeout(self.timeout):
                writer.write(b"GET " + path.encode("ascii") + b" HTTP/1.1\r\n" + self.headers)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head[9:12])
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                body = await reader.readexactly(length)
        except BaseException:
            writer.close()
            self._idle.put_nowait(await asyncio.open_connection(self.host, self.port))
            raise
        self._idle.put_nowait((reader, writer))
        return status, body


def client(base: str, key: str, connections: int, timeout: float) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        base_url=base,
        headers={"Authorization": f"Bearer {key}"},
        timeout=httpx2.Timeout(timeout),
        limits=httpx2.Limits(max_connections=connections, max_keepalive_connections=connections),
        trust_env=False,  # loopback only: never a proxy
    )


async def get_score(http: Http1Pool, key: str, tally: Tally, scheduled: float) -> None:
    sent = time.perf_counter()
    try:
        status, _ = await http.get(f"/api/v1/scores/{key}")
    except TimeoutError:
        tally.record(None, 0.0, "timeout")
        return
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        tally.record(None, 0.0, type(exc).__name__)
        return
    done = time.perf_counter()
    tally.record(status, done - sent)
    if status == 200:
        tally.corrected.append(done - scheduled)


async def sequential(base: str, key: str, keys: list[str]) -> dict[str, Any]:
    """One look-up at a time: the latency of an idle API."""
    tally = Tally()
    async with Http1Pool(base, key, 1, REQUEST_TIMEOUT_S) as http:
        for uscc in keys:
            await get_score(http, uscc, tally, time.perf_counter())
    return {"lookups": len(keys), **tally.summary()}


async def constant_rate(
    base: str,
    key: str,
    keys: list[str],
    rng: random.Random,
    *,
    rate: float,
    duration: float,
    max_in_flight: int,
) -> dict[str, Any]:
    """Open-loop GET /scores/{uscc} at ``rate`` per second for ``duration`` seconds."""
    total = int(rate * duration)
    tally = Tally()
    dropped = 0
    in_flight: set[asyncio.Task[None]] = set()
    async with Http1Pool(base, key, max_in_flight, REQUEST_TIMEOUT_S) as http:
        start = time.perf_counter() + 0.05
        sent = 0
        while sent < total:
            now = time.perf_counter()
            due = min(total, int((now - start) * rate) + 1) if now >= start else 0
            while sent < due:
                scheduled = start + sent / rate
                sent += 1
                if len(in_flight) >= max_in_flight:
                    dropped += 1
                    continue
                task = asyncio.create_task(get_score(http, rng.choice(keys), tally, scheduled))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
            next_at = start + sent / rate
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        elapsed = time.perf_counter() - start
        if in_flight:
            await asyncio.wait(in_flight, timeout=DRAIN_S)
        for task in list(in_flight):
            task.cancel()
            tally.errors["unfinished"] += 1
    return {
        "rate": rate,
        "duration_s": duration,
        "scheduled": total,
        "dropped": dropped,
        "achieved_rps": round((total - dropped) / elapsed, 1) if elapsed > 0 else None,
        **tally.summary(),
        **latency_figures(tally.corrected, "corrected_"),
    }


async def concurrent_clients(
    base: str, key: str, keys: list[str], rng: random.Random, *, clients: int, duration: float
) -> dict[str, Any]:
    """``clients`` closed-loop clients, back to back for ``duration`` seconds."""
    tally = Tally()
    async with Http1Pool(base, key, clients, REQUEST_TIMEOUT_S) as http:
        start = time.perf_counter()
        deadline = start + duration

        async def loop(seed: int) -> None:
            mine = random.Random(seed)
            while time.perf_counter() < deadline:
                await get_score(http, mine.choice(keys), tally, time.perf_counter())

        workers = [asyncio.create_task(loop(rng.randrange(2**32))) for _ in range(clients)]
        _, pending = await asyncio.wait(workers, timeout=duration + REQUEST_TIMEOUT_S + DRAIN_S)
        for task in pending:
            task.cancel()
        elapsed = time.perf_counter() - start
    summary = tally.summary()
    return {
        "clients": clients,
        "duration_s": duration,
        "rps": round(summary["ok"] / elapsed, 1) if elapsed > 0 else None,
        **summary,
    }


async def batches(base: str, key: str, keys: list[str], repeat: int) -> dict[str, Any]:
    """``repeat`` sequential POST /scores:batch calls with the same keys."""
    seconds: list[float] = []
    errors: Counter[str] = Counter()
    found = missing = 0
    async with client(base, key, 1, BATCH_TIMEOUT_S) as http:
        for _ in range(repeat):
            started = time.perf_counter()
            try:
                response = await http.post("/api/v1/scores:batch", json={"keys": keys})
                body = response.json() if response.status_code == 200 else None
            except httpx2.HTTPError as exc:
                errors[type(exc).__name__] += 1
                continue
            elapsed = time.perf_counter() - started
            if body is None:
                errors[f"http_{response.status_code}"] += 1
                continue
            seconds.append(elapsed)
            found, missing = len(body["scores"]), len(body["missing"])
    return {
        "keys": len(keys),
        "repeat": repeat,
        "ok": len(seconds),
        "errors": dict(errors),
        "found": found,
        "missing": missing,
        **_seconds(seconds),
    }


def _seconds(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"mean_s": None, "p50_s": None, "min_s": None, "max_s": None}
    return {
        "mean_s": round(statistics.fmean(values), 4),
        "p50_s": round(percentile(values, 0.5) or 0.0, 4),
        "min_s": round(min(values), 4),
        "max_s": round(max(values), 4),
    }


def direct(store: GraphStore, singles: list[str], batch: list[str], repeat: int) -> dict[str, Any]:
    """The API's score query straight on the database, in this process."""
    query = store.query_text("scores_by_keys")
    latencies = []
    for key in singles:
        started = time.perf_counter()
        store.read(query, keys=[key])
        latencies.append(time.perf_counter() - started)
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        store.read(query, keys=batch)
        seconds.append(time.perf_counter() - started)
    return {
        "single": {"lookups": len(singles), **latency_figures(latencies)},
        "batch": {"keys": len(batch), "repeat": repeat, **_seconds(seconds)},
    }


# --------------------------------------------------------------------------- main


def positive(kind: type, upper: float) -> Any:
    def parse(text: str) -> Any:
        value = kind(text)
        if not 0 < value <= upper:
            raise argparse.ArgumentTypeError(f"must be in (0, {upper}]")
        return value

    return parse


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=positive(float, 5000), default=500.0, help="req/s")
    parser.add_argument("--duration", type=positive(float, 600), default=30.0, help="seconds")
    parser.add_argument("--max-in-flight", type=positive(int, 2000), default=64)
    parser.add_argument("--batch-keys", type=positive(int, 10_000), default=10_000)
    parser.add_argument("--batch-repeat", type=positive(int, 200), default=20)
    parser.add_argument("--clients", type=positive(int, 1000), default=200)
    parser.add_argument("--concurrent-duration", type=positive(float, 600), default=60.0)
    parser.add_argument("--sequential", type=positive(int, 100_000), default=500)
    parser.add_argument("--direct-lookups", type=positive(int, 100_000), default=2000)
    parser.add_argument(
        "--sample",
        type=positive(int, 1_000_000),
        default=20_000,
        help="enterprise keys read from the graph to choose from",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--startup-timeout", type=positive(float, 900), default=180.0)
    args = parser.parse_args()

    with contextlib.suppress(ImportError):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    settings = get_settings()
    rng = random.Random(args.seed)
    store = open_store(settings, start_embedded=True)
    try:
        pool = [row["uscc"] for row in store.read(SAMPLE_QUERY, limit=args.sample)]
        if not pool:
            raise SystemExit("the graph holds no enterprises: load a registry first")
        keys = rng.sample(pool, min(len(pool), max(args.batch_keys, args.direct_lookups)))
        batch_keys = keys[: args.batch_keys]
        singles = keys[: args.direct_lookups]
        [scored] = store.read(
            "MATCH (e:Enterprise) WHERE e.uscc IN $keys AND e.risk_class IS NOT NULL "
            "RETURN count(e) AS n",
            keys=singles,
        )
        figures: dict[str, Any] = {
            "bench": "api_load",
            "backend": settings.backend,
            "graph": settings.graph_name,
            "enterprises_sampled": len(pool),
            "keys_scored_share": round(scored["n"] / len(singles), 4),
            "seed": args.seed,
        }
        with tempfile.TemporaryDirectory(prefix="api_load_") as tmp:
            log_path = Path(tmp) / "serve.log"
            with running_server(free_port(), log_path, args.startup_timeout) as server:
                figures["server"] = {"startup_s": server["startup_s"]}
                base, key = server["base"], server["key"]
                figures["sequential"] = asyncio.run(
                    sequential(base, key, singles[: args.sequential])
                )
                figures["single"] = asyncio.run(
                    constant_rate(
                        base,
                        key,
                        singles,
                        rng,
                        rate=args.rate,
                        duration=args.duration,
                        max_in_flight=args.max_in_flight,
                    )
                )
                figures["batch"] = asyncio.run(batches(base, key, batch_keys, args.batch_repeat))
                figures["concurrent"] = asyncio.run(
                    concurrent_clients(
                        base,
                        key,
                        singles,
                        rng,
                        clients=args.clients,
                        duration=args.concurrent_duration,
                    )
                )
            figures["direct"] = direct(store, singles, batch_keys, args.batch_repeat)
    finally:
        store.close()
    figures["ratio"] = {
        "sequential_p50": _ratio(
            figures["sequential"]["p50_ms"], figures["direct"]["single"]["p50_ms"]
        ),
        "single_p50": _ratio(figures["single"]["p50_ms"], figures["direct"]["single"]["p50_ms"]),
        "single_p99": _ratio(figures["single"]["p99_ms"], figures["direct"]["single"]["p99_ms"]),
        "batch_mean": _ratio(figures["batch"]["mean_s"], figures["direct"]["batch"]["mean_s"]),
    }
    sys.stdout.write(json.dumps(figures, ensure_ascii=False, sort_keys=True) + "\n")


def _ratio(api: float | None, db: float | None) -> float | None:
    return round(api / db, 2) if api is not None and db else None


if __name__ == "__main__":
    main()
