"""Shared fixtures: every database test runs on both engines, each a real server.

``engine`` is a session fixture parametrised over FalkorDB and Neo4j, so every
test that asks (directly or through ``store`` or ``graphs``) for a database runs
once per engine; ``-m "not neo4j"`` runs FalkorDB alone. FalkorDB is the embedded
server, one graph key per test. Neo4j is the local Neo4j Community server that
``make install`` fetches: Community serves one user database per DBMS, so one JVM
runs a small pool of DBMS, each on its own Bolt port, and a test borrows one
(emptied, schema included, when it is handed back).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from engines import FalkorDBGraphs, Graphs, Neo4jGraphs

from riskgraph.errors import BinaryMissing
from riskgraph.graph.embedded import EmbeddedDatabase
from riskgraph.graph.falkordb_store import FalkorDBStore
from riskgraph.graph.local_neo4j import LocalNeo4j, Neo4jMemory
from riskgraph.graph.store import GraphStore
from riskgraph.settings import get_settings

ENGINES = ["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)]
# Databases in the Neo4j test pool: the graphs a session holds (API, model and
# web tests) plus the ones single tests borrow at once.
NEO4J_POOL = 6


@pytest.fixture(scope="session")
def embedded_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedDatabase]:
    database = EmbeddedDatabase(tmp_path_factory.mktemp("falkordb") / "graph")
    database.start()
    yield database
    database.stop()


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    """The local Neo4j test server (skipped, saying why, when it is not installed)."""
    server = LocalNeo4j(
        tmp_path_factory.mktemp("neo4j"),
        databases=NEO4J_POOL,
        memory=Neo4jMemory(heap_mb=2048, page_cache_mb=48, transaction_mb=1024),
        transaction_timeout_s=300,
    )
    try:
        server.start()
    except BinaryMissing as exc:
        pytest.skip(f"Neo4j tests need the local Neo4j: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """The engine under test: every database test runs once per engine."""
    return str(request.param)


@pytest.fixture(scope="session")
def graphs(engine: str, request: pytest.FixtureRequest) -> Graphs:
    """Empty graphs on the engine under test."""
    if engine == "falkordb":
        return FalkorDBGraphs(request.getfixturevalue("embedded_db"))
    return Neo4jGraphs(request.getfixturevalue("neo4j_server"))


@pytest.fixture
def store(graphs: Graphs) -> Iterator[GraphStore]:
    """An empty graph of its own on the engine under test."""
    borrowed = graphs.acquire()
    yield borrowed
    graphs.release(borrowed)


@pytest.fixture
def cli_env(
    store: GraphStore, graphs: Graphs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[GraphStore]:
    """``store``, with riskgraph's settings pointed at it (for CLI commands)."""
    for name, value in graphs.env(store).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("RISKGRAPH_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield store
    get_settings.cache_clear()


@pytest.fixture
def falkordb_store(embedded_db: EmbeddedDatabase) -> Iterator[FalkorDBStore]:
    """A graph on the embedded FalkorDB, for tests of FalkorDB's own behaviour."""
    graphs = FalkorDBGraphs(embedded_db)
    borrowed = graphs.open(f"test_{uuid.uuid4().hex[:12]}")
    yield borrowed
    graphs.release(borrowed)


@pytest.fixture
def aof_rewrites() -> Callable[[Any], int]:
    """A function of a redis client: the server's finished append-only-file
    rewrites, once none is running or scheduled (waits up to 30 s)."""

    def settled(client: Any) -> int:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            info = client.info("persistence")
            if not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]:
                return int(info["aof_rewrites"])
            time.sleep(0.05)
        raise AssertionError("an append-only-file rewrite did not finish in 30 s")

    return settled


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
