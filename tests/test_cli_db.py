"""The `riskgraph db` commands, run as a user would: a separate process each."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


def riskgraph(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "riskgraph", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(
    params=[("embedded", "redis"), pytest.param(("local-neo4j", "bolt"), marks=pytest.mark.neo4j)],
    ids=["embedded", "local-neo4j"],
)
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    graph_uri, scheme = request.param
    environment = {
        **os.environ,
        "RISKGRAPH_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "200",
        "RISKGRAPH_GRAPH_URI": graph_uri,
        "RISKGRAPH_NEO4J_HEAP_MB": "768",
        "RISKGRAPH_NEO4J_PAGE_CACHE_MB": "32",
        "SCHEME": scheme,
    }
    yield environment
    riskgraph(environment, "db", "stop")


def test_db_lifecycle_from_the_command_line(env: dict[str, str]) -> None:
    down = riskgraph(env, "db", "status")
    assert down.returncode == 3 and "not running" in down.stdout

    started = riskgraph(env, "db", "start")
    assert started.returncode == 0, started.stderr
    assert f"listening on {env['SCHEME']}://127.0.0.1:" in started.stdout

    status = json.loads(riskgraph(env, "db", "status", "--json").stdout)
    assert status["running"] and status["uri"].startswith(f"{env['SCHEME']}://127.0.0.1:")

    for _ in range(2):  # init is idempotent
        init = riskgraph(env, "db", "init")
        assert init.returncode == 0, init.stderr

    first = riskgraph(env, "db", "stats", "--json").stdout
    second = riskgraph(env, "db", "stats", "--json").stdout
    assert first == second  # byte for byte
    stats = json.loads(first)
    assert list(stats["nodes"]) == sorted(stats["nodes"])
    assert stats["nodes"]["Enterprise"] == 0
    assert "INVESTS_IN" in stats["relationships"]

    stopped = riskgraph(env, "db", "stop")
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert riskgraph(env, "db", "status").returncode == 3


def test_unreachable_external_database_is_a_clear_error(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "RISKGRAPH_DATA_DIR": str(tmp_path),
        "RISKGRAPH_GRAPH_URI": "redis://127.0.0.1:1",
        "RISKGRAPH_CONNECT_TIMEOUT_S": "1",
    }
    result = riskgraph(env, "db", "stats")
    assert result.returncode == 1
    assert "cannot reach FalkorDB at redis://127.0.0.1:1" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_graph_uri_is_refused(tmp_path: Path) -> None:
    env = {**os.environ, "RISKGRAPH_DATA_DIR": str(tmp_path), "RISKGRAPH_GRAPH_URI": "http://x"}
    result = riskgraph(env, "db", "status")
    assert result.returncode != 0
    assert "graph_uri" in (result.stderr + result.stdout)
