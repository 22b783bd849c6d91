"""The API's watchdog over the local database server (``embedded``, ``local-neo4j``).

Every ``interval_s`` it runs a probe query. A server whose process is gone
without a clean ``stop()`` (crashed) is started again (one stopped on purpose is
left stopped); one that answers no probe within ``timeout_s``
``hang_probes`` times running (hung) is killed and started again: FalkorDB from
its append-only file, Neo4j from its store. The API's store holder reconnects by
itself. Each restart is logged and audited with the ad-hoc queries that were
running, so that the query that took the server down can be found.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from riskgraph.errors import RiskgraphError
from riskgraph.graph.server_process import LocalServer, kill

log = logging.getLogger("riskgraph.api")


class RunningQueries:
    """The ad-hoc queries running now, by request id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[str, dict[str, Any]] = {}

    @contextlib.contextmanager
    def running(self, request_id: str, query: str) -> Any:
        with self._lock:
            self._running[request_id] = {"request_id": request_id, "query": query[:2000]}
        try:
            yield
        finally:
            with self._lock:
                self._running.pop(request_id, None)

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._running.values())


class Supervisor:
    """Probes the local server on a thread of its own and restarts it when needed."""

    def __init__(
        self,
        server: LocalServer,
        on_restart: Callable[[str, list[dict[str, Any]]], None],
        queries: RunningQueries,
        *,
        interval_s: float = 2.0,
        timeout_s: float = 3.0,
        hang_probes: int = 2,
    ) -> None:
        self.server = server
        self.on_restart = on_restart
        self.queries = queries
        self.interval_s = interval_s
        self.timeout_s = timeout_s
        self.hang_probes = hang_probes
        self.restarts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="db-supervisor", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.timeout_s + self.interval_s + 5)

    def check(self) -> str | None:
        """One probe; why the server was restarted, or None when it answered."""
        if self.server.stopped_on_purpose():
            return None  # `riskgraph db stop`, done or under way: a person's decision
        status = self.server.status()
        if not status.running:
            return self._restart("crashed: the server process is gone")
        failures = 0
        while not self._answers():
            if self.server.stopped_on_purpose():
                return None  # it stopped answering because it is being stopped
            failures += 1
            if failures >= self.hang_probes:
                if status.pid is not None:
                    kill(status.pid)
                return self._restart(
                    f"hung: no answer to {failures} probes of {self.timeout_s:g} s"
                )
            if self._stop.is_set():
                return None
        return None

    def _answers(self) -> bool:
        """Whether a probe finishes in time (on a thread: a hung socket may not time out)."""
        answered = threading.Event()

        def probe() -> None:
            with contextlib.suppress(RiskgraphError, OSError):
                self.server.probe(self.timeout_s)
                answered.set()

        worker = threading.Thread(target=probe, name="db-probe", daemon=True)
        worker.start()
        worker.join(self.timeout_s + 1)
        return answered.is_set()

    def _restart(self, reason: str) -> str:
        running = self.queries.snapshot()
        log.error("restarting the database", extra={"reason": reason, "running": running})
        try:
            self.server.start()
        except RiskgraphError as exc:
            reason = f"{reason}; the restart failed: {exc}"
            log.error("the database did not restart", extra={"error": str(exc)})
        else:
            self.restarts += 1
        self.on_restart(reason, running)
        return reason

    def _watch(self) -> None:
        while not self._stop.wait(self.interval_s):
            started = time.monotonic()
            try:
                self.check()
            except Exception:  # the watchdog itself must not die
                log.exception("database supervision failed")
            log.debug("supervision probe", extra={"seconds": time.monotonic() - started})
