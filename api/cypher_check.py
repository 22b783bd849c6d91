"""Neo4j's own parser and semantic analysis in front of ad-hoc Cypher.

Only queries that Neo4j would accept reach either engine, so engine bugs on
invalid Cypher (FalkorDB has crashed on an aggregate inside a list
comprehension) are never hit. The check is ``cypher/lint.mjs --serve`` on node,
started once and kept warm: one JSON line in, one out. A checker that dies or
takes longer than ``timeout_s`` is killed and started again for the next query.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import shutil
import subprocess
import threading
from importlib import resources
from typing import IO, Any

from riskgraph.api.errors import CypherCheckUnavailable, CypherMalformed


@functools.cache
def shared_parser(timeout_s: float) -> Neo4jParser:
    """The process's checker: every app in a process uses one node process (started
    once, ended when the process ends), not one per app."""
    parser = Neo4jParser(timeout_s=timeout_s)
    atexit.register(parser.close)
    return parser


class Neo4jParser:
    """A warm ``lint.mjs --serve`` process; thread-safe, one query at a time."""

    def __init__(
        self, *, timeout_s: float = 5.0, start_timeout_s: float = 60.0, node: str | None = None
    ) -> None:
        self.timeout_s = timeout_s
        self.start_timeout_s = start_timeout_s
        self._node = node or shutil.which("node")
        self._script = str(resources.files("riskgraph.cypher") / "lint.mjs")
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def check(self, query: str) -> None:
        """Raise CypherMalformed with Neo4j's message and position if Neo4j would
        refuse ``query``; CypherCheckUnavailable if the checker cannot run."""
        with self._lock:
            answer = self._ask(query)
        errors = answer.get("errors") or []
        if errors:
            first = errors[0]
            line, column = first.get("line"), first.get("column")
            raise CypherMalformed(
                f"Neo4j's parser refuses the query at line {line}, column {column}: "
                f"{first.get('message')}",
                line=line if isinstance(line, int) else None,
                column=column if isinstance(column, int) else None,
            )

    def warm(self) -> None:
        """Start the checker in the background, so the first query does not wait."""
        if self._process is not None and self._process.poll() is None:
            return
        threading.Thread(target=self._warm, name="cypher-check-warm", daemon=True).start()

    def _warm(self) -> None:
        # a failure is said again, with the reason, to the first query
        with contextlib.suppress(CypherCheckUnavailable, CypherMalformed):
            self.check("RETURN 1")

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _ask(self, query: str) -> dict[str, Any]:
        fresh = self._process is None or self._process.poll() is not None
        process = self._running()
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(json.dumps({"query": query}) + "\n")
            process.stdin.flush()
        except OSError as exc:  # the pipe broke: the checker has exited, or is exiting
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
            code = process.returncode
            self._stop()
            raise CypherCheckUnavailable(
                f"the Cypher checker exited ({code}): {exc}; is `npm ci` done?"
            ) from exc
        line = _read_line(process.stdout, self.start_timeout_s if fresh else self.timeout_s)
        if line is None and process.poll() is not None:
            self._stop()
            raise CypherCheckUnavailable(
                f"the Cypher checker exited ({process.returncode}); is `npm ci` done?"
            )
        if line is None:
            self._stop()  # hung: the next query gets a fresh one
            raise CypherMalformed(
                f"Neo4j's parser did not finish checking the query within {self.timeout_s:g} s"
            )
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _running(self) -> subprocess.Popen[str]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        if self._node is None:
            raise CypherCheckUnavailable(
                "ad-hoc Cypher needs node to run Neo4j's parser (make install)"
            )
        self._process = subprocess.Popen(
            [self._node, self._script, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        return self._process

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


def _read_line(stream: IO[str], timeout_s: float) -> str | None:
    """One line from ``stream``, or None when none comes within ``timeout_s``."""
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout_s)
    return result[0] if result and result[0] else None
