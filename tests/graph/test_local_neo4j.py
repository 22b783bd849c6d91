"""Lifecycle of the local Neo4j server, each test on its own data dir (a JVM each)."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from riskgraph.errors import (
    BinaryMissing,
    DatabaseUnavailable,
    EmbeddedDatabaseError,
    GraphAuthError,
    PortInUse,
)
from riskgraph.graph import local_neo4j
from riskgraph.graph.local_neo4j import LocalNeo4j, Neo4jMemory
from riskgraph.graph.neo4j_store import Neo4jStore
from riskgraph.graph.server_process import ServerStatus, pid_alive

pytestmark = pytest.mark.neo4j
SMALL = Neo4jMemory(heap_mb=768, page_cache_mb=32, transaction_mb=256)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LocalNeo4j]:
    try:
        local_neo4j.find_lib()
    except BinaryMissing as exc:
        pytest.skip(f"Neo4j tests need the local Neo4j: {exc}")
    db = LocalNeo4j(tmp_path / "neo4j", memory=SMALL)
    yield db
    db.stop()


def check_authentication_and_private_files(server: LocalNeo4j, status: ServerStatus) -> None:
    """Authentication is on, the settings reached the server, the files are private."""
    wrong = Neo4jStore(server.uri(), user="neo4j", password="not-the-password")
    with pytest.raises(GraphAuthError):
        wrong.ping()
    wrong.close()
    password = server.root / "password"
    assert (password.stat().st_mode & 0o777) == 0o600
    assert (server.root.stat().st_mode & 0o777) == 0o700
    assert ((server.root / "neo4j.conf").stat().st_mode & 0o777) == 0o600
    conf = (server.root / "neo4j.conf").read_text(encoding="utf-8")
    assert f"server.bolt.listen_address=127.0.0.1:{status.port}" in conf
    assert "server.memory.pagecache.size=32m" in conf
    assert "db.memory.transaction.max=256m" in conf
    assert server.password.encode() not in Path(f"/proc/{status.pid}/cmdline").read_bytes()


def connect(server: LocalNeo4j) -> Neo4jStore:
    return Neo4jStore(server.uri(), user=server.user, password=server.password)


def test_start_status_stop_and_restart_keeps_the_data(server: LocalNeo4j) -> None:
    assert not server.status().running
    started = server.start()
    assert started.running and started.pid and started.port and started.host == "127.0.0.1"
    assert started.uri == f"bolt://127.0.0.1:{started.port}"
    assert server.start().pid == started.pid  # starting again reuses the server
    check_authentication_and_private_files(server, started)
    with connect(server) as store:
        store.write("UNWIND range(1, 500) AS i CREATE (:Kept {i: i})")
    assert server.stop()
    assert not server.status().running and not server.state_path.exists()
    assert not server.stop()
    server.start()
    with connect(server) as store:
        assert store.read("MATCH (k:Kept) RETURN count(k) AS n") == [{"n": 500}]


def test_kill_9_leaves_a_stale_state_and_keeps_committed_data(server: LocalNeo4j) -> None:
    status = server.start()
    with connect(server) as store:
        store.write_batches(
            "UNWIND $rows AS row CREATE (:Kept {k: row.k})",
            ({"k": i} for i in range(3000)),
            batch_size=1000,
        )
    assert status.pid is not None
    os.kill(status.pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while pid_alive(status.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    stale = server.status()
    assert not stale.running and stale.stale_state_removed
    with pytest.raises(DatabaseUnavailable, match="riskgraph db start"):
        server.uri()
    server.start()
    with connect(server) as store:
        assert store.read("MATCH (k:Kept) RETURN count(k) AS n") == [{"n": 3000}]


def test_a_taken_port_is_reported(tmp_path: Path) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        with pytest.raises(PortInUse, match=str(port)):
            LocalNeo4j(tmp_path / "neo4j", port=port, memory=SMALL).start()


def test_no_java_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(BinaryMissing, match="Java 17"):
        LocalNeo4j(tmp_path / "neo4j", memory=SMALL).start()


def test_missing_jars_are_reported(tmp_path: Path) -> None:
    with pytest.raises(BinaryMissing, match="make install"):
        LocalNeo4j(tmp_path / "neo4j", lib_dir=tmp_path / "empty", memory=SMALL).start()


def test_a_damaged_store_fails_the_start_with_neo4js_reason(server: LocalNeo4j) -> None:
    server.start()
    server.stop()
    store_file = server.root / "data" / "databases" / "neo4j" / "neostore"
    store_file.write_bytes(os.urandom(8192))
    with pytest.raises(EmbeddedDatabaseError, match="did not start") as failed:
        server.start()
    assert "Unable to start" in str(failed.value)
    assert not server.status().running
