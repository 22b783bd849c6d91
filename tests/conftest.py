"""Shared fixtures: a real embedded FalkorDB server for the whole session.

Each test gets its own FalkorDB graph (a separate key on the same server), so
tests never see each other's data. Neo4j variants run when
``RISKGRAPH_TEST_NEO4J_URI`` points at a server and are skipped otherwise.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from riskgraph.graph.embedded import EmbeddedDatabase
from riskgraph.graph.falkordb_store import FalkorDBStore
from riskgraph.graph.store import GraphStore

NEO4J_URI = os.environ.get("RISKGRAPH_TEST_NEO4J_URI")


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


@pytest.fixture(scope="session")
def embedded_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedDatabase]:
    database = EmbeddedDatabase(tmp_path_factory.mktemp("falkordb") / "graph")
    database.start()
    yield database
    database.stop()


@pytest.fixture
def falkordb_store(embedded_db: EmbeddedDatabase) -> Iterator[FalkorDBStore]:
    store = FalkorDBStore(embedded_db.uri(), f"test_{uuid.uuid4().hex[:12]}")
    yield store
    store.drop_graph()
    store.close()


def _neo4j_store() -> GraphStore:
    from riskgraph.graph.neo4j_store import Neo4jStore

    assert NEO4J_URI is not None
    return Neo4jStore(
        NEO4J_URI,
        user=os.environ.get("RISKGRAPH_TEST_NEO4J_USER", "neo4j"),
        password=os.environ.get("RISKGRAPH_TEST_NEO4J_PASSWORD"),
    )


@pytest.fixture(
    params=[
        "falkordb",
        pytest.param(
            "neo4j",
            marks=[
                pytest.mark.neo4j,
                pytest.mark.skipif(
                    NEO4J_URI is None,
                    reason="Neo4j store tests need RISKGRAPH_TEST_NEO4J_URI (e.g. bolt://localhost:7687)",
                ),
            ],
        ),
    ]
)
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """The same store tests on every engine."""
    if request.param == "falkordb":
        yield request.getfixturevalue("falkordb_store")
        return
    neo4j = _neo4j_store()
    neo4j.drop_graph()
    yield neo4j
    neo4j.drop_graph()
    neo4j.close()


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
