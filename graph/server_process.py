"""What the two local database servers share: their status, state files, ports,
processes, private files and logs.

riskgraph runs a database server of its own for ``embedded`` (FalkorDB) and for
``local-neo4j`` (Neo4j Community). Each records its pid and port(s) in a JSON
state file in its data folder, so later commands and other processes find it,
and each keeps its files private to the user running it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from riskgraph.errors import DataDirNotWritable

HOST = "127.0.0.1"
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


@dataclass(frozen=True)
class ServerStatus:
    """What the state file and the process table say about a local server."""

    running: bool
    data_dir: str
    engine: str = "falkordb"
    scheme: str = "redis"
    pid: int | None = None
    port: int | None = None
    host: str = HOST
    started_at: str | None = None
    stale_state_removed: bool = False
    ports: tuple[int, ...] = field(default=())
    """Every port of a server that runs several databases (the test pool)."""

    @property
    def uri(self) -> str | None:
        return f"{self.scheme}://{self.host}:{self.port}" if self.running else None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view, with the URI."""
        data = asdict(self)
        data["ports"] = list(self.ports)
        return {**data, "uri": self.uri}


class LocalServer(Protocol):
    """A database server riskgraph starts and stops itself."""

    engine: str

    def start(self) -> ServerStatus: ...

    def stop(self, timeout_s: float = 30.0) -> bool: ...

    def status(self) -> ServerStatus: ...

    def uri(self) -> str: ...

    def probe(self, timeout_s: float) -> None:
        """Raise DatabaseUnavailable unless a query runs within ``timeout_s``."""
        ...

    def stopped_on_purpose(self) -> bool:
        """True after ``stop()`` and until the next start (a crash leaves no mark)."""
        ...


STOPPED_MARK = "stopped"
"""A file a clean ``stop()`` leaves in the server's folder, so that a watchdog tells
a server stopped on purpose from one that crashed."""


def mark_stopped(folder: Path, stopped: bool) -> None:
    """Leave (or clear) the stopped-on-purpose mark in ``folder``."""
    mark = folder / STOPPED_MARK
    if stopped:
        write_private(mark, "")
    else:
        mark.unlink(missing_ok=True)


def kill(pid: int, timeout_s: float = 10.0) -> None:
    """SIGKILL ``pid`` and wait until it is gone (a hung server ignores SIGTERM)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout_s
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (mode 0700) and check that it can be written."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        path.chmod(PRIVATE_DIR)
        probe = path / ".write-probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DataDirNotWritable(f"cannot write to {path}: {exc.strerror}") from exc


def write_private(path: Path, text: str) -> None:
    """Write ``text`` atomically into a file only its owner can read (0600)."""
    tmp = path.with_name(path.name + ".tmp")
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    tmp.replace(path)


def generated_password(path: Path) -> str:
    """The password kept in ``path``, generated (and saved 0600) on first use."""
    with contextlib.suppress(OSError):
        existing = path.read_text(encoding="utf-8").strip()
        if existing:
            path.chmod(PRIVATE_FILE)
            return existing
    password = secrets.token_urlsafe(24)
    write_private(path, password + "\n")
    return password


def read_state(path: Path) -> dict[str, object] | None:
    """The state file's content, or None when absent; a torn file is removed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return None
    except ValueError:
        path.unlink(missing_ok=True)
        return None
    return data if isinstance(data, dict) and {"pid", "port"} <= data.keys() else None


def write_state(path: Path, state: dict[str, object]) -> None:
    write_private(path, json.dumps(state))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """True unless a live listener holds ``port`` (TIME_WAIT leftovers count as free)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def pid_alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie child of ours is reaped and counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    return True


def is_server(pid: int, port: int, marker: bytes) -> bool:
    """True when ``pid`` is alive, its command line holds ``marker`` (so a recycled
    pid does not count) and something listens on ``port``."""
    if not pid_alive(pid):
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        try:
            if marker not in cmdline.read_bytes():
                return False
        except OSError:
            return False
    return not port_is_free(port)


def log_tail(path: Path, lines: int = 20) -> str:
    """The last ``lines`` lines of a log file, or ``(no log)``."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])
