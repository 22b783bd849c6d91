"""The local Neo4j server: Neo4j Community run in a JVM that riskgraph manages.

``make install`` fetches Neo4j Community with Maven (``graph/neo4j_server/pom.xml``)
into ``.neo4j/lib``; ``Launcher.java`` beside the pom starts the embeddable DBMS
with Bolt on (Java's source-file mode, no build step). The server binds to
127.0.0.1 on a free port, requires the ``neo4j`` user's password, generated on
first start into ``<data_dir>/neo4j/password`` (0600), and records its pid and
port in ``neo4j.json``, as the embedded FalkorDB server does. One launcher may
run several databases, each in its own folder on its own port: the test suite
runs a small pool that way, since Neo4j Community serves one user database.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from riskgraph.errors import (
    BinaryMissing,
    DatabaseUnavailable,
    EmbeddedDatabaseError,
    PortInUse,
)
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
    write_private,
    write_state,
)

STATE_FILE = "neo4j.json"
LOG_FILE = "launcher.log"
PASSWORD_FILE = "password"  # noqa: S105 (the file's name, not a password)
USER = "neo4j"
SERVER_DIR = Path(__file__).resolve().parent / "neo4j_server"
LAUNCHER = SERVER_DIR / "Launcher.java"
DEFAULT_LIB_DIR = Path(__file__).resolve().parent.parent / ".neo4j" / "lib"
# The JVM options Neo4j's own start script passes on Java 17.
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)


@dataclass(frozen=True)
class Neo4jMemory:
    """Heap of the JVM, and page cache and transaction limits of each database."""

    heap_mb: int = 4096
    page_cache_mb: int = 4096
    transaction_mb: int = 2048
    """Most memory one transaction may take (``db.memory.transaction.max``; 0: none)."""


def find_java() -> Path:
    """The ``java`` of ``JAVA_HOME``, else the one on ``PATH`` (17 or newer)."""
    home = os.environ.get("JAVA_HOME")
    candidate = Path(home) / "bin" / "java" if home else None
    found = str(candidate) if candidate and candidate.is_file() else shutil.which("java")
    if found is None:
        raise BinaryMissing("Java 17 or newer is needed for the local Neo4j: no `java` found")
    version = subprocess.run(
        [found, "-version"], capture_output=True, text=True, timeout=30, check=False
    ).stderr
    match = re.search(r'version "(\d+)', version)
    if match is None or int(match.group(1)) < 17:
        raise BinaryMissing(f"the local Neo4j needs Java 17 or newer; {found} is: {version!r}")
    return Path(found)


def find_lib(lib_dir: Path | None = None) -> Path:
    """The folder of Neo4j's jars, checked to hold them."""
    folder = (lib_dir or DEFAULT_LIB_DIR).resolve()
    if not any(folder.glob("neo4j-5*.jar")):
        raise BinaryMissing(
            f"Neo4j is not installed in {folder}: run `make install` "
            "(it fetches Neo4j Community with Maven)"
        )
    return folder


class LocalNeo4j:
    """Start, find and stop the local Neo4j server that owns ``root``.

    With ``databases=1`` the store lives in ``root``; with more, in ``root/db<i>``,
    each on a port of its own.
    """

    engine = "neo4j"

    def __init__(
        self,
        root: Path,
        *,
        port: int = 0,
        databases: int = 1,
        memory: Neo4jMemory | None = None,
        lib_dir: Path | None = None,
        start_timeout_s: float = 180.0,
        transaction_timeout_s: float = 600.0,
    ) -> None:
        self.root = Path(root).resolve()
        self.port = port
        self.databases = databases
        self.memory = memory or Neo4jMemory()
        self.lib_dir = lib_dir
        self.start_timeout_s = start_timeout_s
        self.transaction_timeout_s = transaction_timeout_s
        self._password: str | None = None

    @property
    def state_path(self) -> Path:
        return self.root / STATE_FILE

    @property
    def log_path(self) -> Path:
        return self.root / LOG_FILE

    @property
    def password(self) -> str:
        """The ``neo4j`` user's password (generated on first use, kept 0600); read
        once, since the watchdog's probe asks for it every few seconds."""
        if self._password is None:
            ensure_private_dir(self.root)
            self._password = generated_password(self.root / PASSWORD_FILE)
        return self._password

    @property
    def user(self) -> str:
        return USER

    def homes(self) -> list[Path]:
        if self.databases == 1:
            return [self.root]
        return [self.root / f"db{index}" for index in range(self.databases)]

    # -- status -----------------------------------------------------------------

    def status(self) -> ServerStatus:
        """Report the server; a state file whose process is gone is removed."""
        state = read_state(self.state_path)
        base = ServerStatus(running=False, data_dir=str(self.root), engine="neo4j", scheme="bolt")
        if state is None:
            return base
        pid, port = int(str(state["pid"])), int(str(state["port"]))
        ports = state.get("ports")
        if is_server(pid, port, b"Launcher.java"):
            return replace(
                base,
                running=True,
                pid=pid,
                port=port,
                ports=tuple(int(p) for p in ports) if isinstance(ports, list) else (port,),
                started_at=str(state.get("started_at")),
            )
        self.state_path.unlink(missing_ok=True)
        return replace(base, stale_state_removed=True)

    def uri(self, index: int = 0) -> str:
        """The ``bolt://`` URI of database ``index`` of the running server."""
        current = self.status()
        if not current.running:
            raise DatabaseUnavailable(
                f"the local Neo4j under {self.root} is not running; "
                "start it with `riskgraph db start`"
            )
        return f"bolt://{current.host}:{current.ports[index]}"

    def stopped_on_purpose(self) -> bool:
        return (self.root / STOPPED_MARK).exists()

    def probe(self, timeout_s: float) -> None:
        """Run ``RETURN 1`` on the user database within ``timeout_s``."""
        from riskgraph.graph.neo4j_store import Neo4jStore

        uri = self.uri()
        store = Neo4jStore(
            uri,
            user=USER,
            password=self.password,
            connect_timeout_s=timeout_s,
            query_timeout_s=timeout_s,
        )
        try:
            store.read("RETURN 1 AS one", timeout_s=timeout_s)
        finally:
            store.close()

    # -- start ------------------------------------------------------------------

    def start(self) -> ServerStatus:
        """Start the server unless it runs; return once every database answers."""
        current = self.status()
        if current.running:
            return current
        java, lib = find_java(), find_lib(self.lib_dir)
        ensure_private_dir(self.root)
        ports = self._ports()
        password_file = self.root / PASSWORD_FILE
        self._password = self._password or generated_password(password_file)  # for the launcher
        for home, port in zip(self.homes(), ports, strict=True):
            ensure_private_dir(home)
            write_private(home / "neo4j.conf", self._config(port))
        args = [
            str(java),
            f"-Xms{min(self.memory.heap_mb, 1024)}m",
            f"-Xmx{self.memory.heap_mb}m",
            *JVM_OPTIONS,
            "-cp",
            f"{lib}/*",
            str(LAUNCHER),
            str(password_file),
            *(str(home) for home in self.homes()),
        ]
        with open(self.log_path, "ab") as log:
            os.chmod(self.log_path, 0o600)
            log_start = log.tell()  # this start's output begins here
            process = subprocess.Popen(
                args,
                cwd=self.root,
                umask=0o077,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready(process, log_start)
        write_state(
            self.state_path,
            {
                "pid": process.pid,
                "port": ports[0],
                "ports": ports,
                "host": HOST,
                "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )
        mark_stopped(self.root, False)
        return self.status()

    def _ports(self) -> list[int]:
        ports: list[int] = []
        if self.port:
            ports = [self.port + index for index in range(self.databases)]
            taken = [port for port in ports if not port_is_free(port)]
            if taken:
                raise PortInUse(f"port {taken[0]} on {HOST} is already in use")
            return ports
        while len(ports) < self.databases:
            port = free_port()
            if port not in ports:
                ports.append(port)
        return ports

    def _config(self, port: int) -> str:
        settings = {
            "server.bolt.enabled": "true",
            "server.bolt.listen_address": f"{HOST}:{port}",
            "server.bolt.advertised_address": f"{HOST}:{port}",
            "server.bolt.tls_level": "DISABLED",
            "dbms.security.auth_enabled": "true",
            "server.memory.pagecache.size": f"{self.memory.page_cache_mb}m",
            "db.memory.transaction.max": f"{self.memory.transaction_mb}m",
            "db.transaction.timeout": f"{int(self.transaction_timeout_s)}s",
            # Transaction logs: no 250 MB preallocation, and only a day kept.
            "db.tx_log.preallocate": "false",
            "db.tx_log.rotation.retention_policy": "1 days",
            "dbms.usage_report.enabled": "false",
            # Bolt waits 5 s for idle connections and again for netty at shutdown.
            "internal.dbms.bolt.netty_server_shutdown_quiet_period": "1",
            "internal.server.bolt.connection_shutdown_wait_time": "1s",
        }
        return "".join(f"{name}={value}\n" for name, value in settings.items())

    def _wait_ready(self, process: subprocess.Popen[bytes], log_start: int) -> None:
        deadline = time.monotonic() + self.start_timeout_s
        wanted = {f"ready {home}" for home in self.homes()}
        while True:
            if process.poll() is not None:
                self._raise_start_failure(log_start)
            with open(self.log_path, encoding="utf-8", errors="replace") as log:
                log.seek(log_start)
                seen = {line.strip() for line in log}
            if wanted <= seen:
                return
            if time.monotonic() > deadline:
                process.terminate()
                raise EmbeddedDatabaseError(
                    f"Neo4j did not become ready within {self.start_timeout_s:.0f}s:\n"
                    f"{log_tail(self.log_path)}"
                )
            time.sleep(0.1)

    def _raise_start_failure(self, log_start: int) -> None:
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            log.seek(log_start)
            output = log.read()
        tail = "\n".join(output.splitlines()[-20:]) or "(no output)"
        if "Address already in use" in output or "BindException" in output:
            raise PortInUse(f"Neo4j could not bind its Bolt port:\n{tail}")
        raise EmbeddedDatabaseError(f"Neo4j exited during start-up:\n{tail}{self._logged_errors()}")

    def _logged_errors(self, lines: int = 5) -> str:
        """The last errors in the databases' debug.log files, as a paragraph."""
        errors = [
            line
            for home in self.homes()
            for line in log_tail(home / "logs" / "debug.log", 400).splitlines()
            if " ERROR " in line
        ][-lines:]
        return "\n(errors in debug.log)\n" + "\n".join(errors) if errors else ""

    # -- stop -------------------------------------------------------------------

    def stop(self, timeout_s: float = 60.0) -> bool:
        """Shut the server down cleanly (checkpoint, then exit); False if none ran."""
        current = self.status()
        if not current.running or current.pid is None:
            return False
        mark_stopped(self.root, True)  # before the signal: a watchdog must not step in
        with contextlib.suppress(ProcessLookupError):
            os.kill(current.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while pid_alive(current.pid):
            if time.monotonic() > deadline:
                raise EmbeddedDatabaseError(f"Neo4j (pid {current.pid}) did not stop in time")
            time.sleep(0.1)
        self.state_path.unlink(missing_ok=True)
        return True
