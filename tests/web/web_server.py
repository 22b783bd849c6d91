"""A real ``riskgraph serve`` on generated data, for the browser tests.

The registry is generated, loaded, scored, clustered and checked by the rules with
the ``riskgraph`` command line, as an investigator's deployment would be; the server
runs as a subprocess on a free loopback port.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2

from riskgraph.api.webapp import DIST

LOOPBACK = "127.0.0.1"
CHROMIUM = Path("/usr/bin/chromium")
ENTERPRISES = 1000
SEED = 7


@dataclass
class WebServer:
    base: str
    key: str
    env: dict[str, str]
    log: Path

    def api(self, method: str, path: str, json: Any = None) -> httpx2.Response:
        """A request to the API with the investigator key."""
        headers = {"Authorization": f"Bearer {self.key}"}
        url = f"{self.base}/api/v1{path}"
        return httpx2.request(method, url, headers=headers, json=json, timeout=60)


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (make install installs Debian's chromium)"
    if not (DIST / "index.html").is_file():
        return f"the web app is not built ({DIST} is missing; run make install)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


def riskgraph(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    """Run the CLI of this interpreter; its stdout (a failure raises with stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "riskgraph", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"riskgraph {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(env: dict[str, str], data_dir: Path) -> str:
    """Generate, load, train, score, cluster, run the rules; an investigator key."""
    registry = data_dir / "registry"
    riskgraph(env, "db", "init")
    riskgraph(
        env,
        "generate",
        "--enterprises",
        str(ENTERPRISES),
        "--seed",
        str(SEED),
        "--out",
        str(registry),
        "--json",
    )
    riskgraph(env, "ingest", str(registry))
    # short budgets: the pages need a model, not a good one (a loaded machine ran
    # the default budgets past the 600 s limit)
    riskgraph(
        env,
        "train",
        "--out",
        str(data_dir / "models"),
        "--score",
        "--gnn-minutes",
        "0.3",
        "--tree-minutes",
        "0.2",
    )
    riskgraph(env, "clusters", "build")
    riskgraph(env, "rules", "run")
    created = riskgraph(env, "keys", "create", "--role", "investigator", "--label", "web tests")
    return created.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serve(
    env: dict[str, str], log_path: Path, key: str, startup_s: float = 60
) -> Iterator[WebServer]:
    """``riskgraph serve`` until the block ends (SIGTERM, then kill)."""
    port = free_port()
    env = {**env, "RISKGRAPH_API__RATE_PER_S": "1000", "RISKGRAPH_API__RATE_BURST": "1000"}
    base = f"http://{LOOPBACK}:{port}"
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "riskgraph", "serve", "--host", LOOPBACK, "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            started = time.monotonic()
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"riskgraph serve exited: {log_path.read_text()[-2000:]}")
                with contextlib.suppress(httpx2.HTTPError):
                    if httpx2.get(f"{base}/readyz", timeout=2).status_code == 200:
                        break
                if time.monotonic() - started > startup_s:
                    raise RuntimeError(f"the server was not ready within {startup_s:.0f} s")
                time.sleep(0.25)
            yield WebServer(base=base, key=key, env=env, log=log_path)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def cli_env(graph: dict[str, str], data_dir: Path) -> dict[str, str]:
    """The environment of every command: this graph (its ``RISKGRAPH_GRAPH_*``
    variables), this data dir, demo mode (synthetic data may use the shipped
    person-ID secret)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("RISKGRAPH_")}
    env.update(graph, RISKGRAPH_DATA_DIR=str(data_dir), RISKGRAPH_DEMO="1")
    return env
