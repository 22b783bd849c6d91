"""Shared pieces of the benchmarks: a fresh embedded database and peak memory."""

from __future__ import annotations

import json
import resource
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from riskgraph.graph.embedded import EmbeddedDatabase


@contextmanager
def fresh_database(root: Path) -> Iterator[EmbeddedDatabase]:
    """A new embedded FalkorDB under ``root`` for the length of one benchmark."""
    database = EmbeddedDatabase(root / "graph", start_timeout_s=600)
    database.start()
    try:
        yield database
    finally:
        database.stop(timeout_s=600)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(figures: dict[str, Any]) -> None:
    """Print the figures as one JSON line (the benchmark's result)."""
    sys.stdout.write(json.dumps(figures, ensure_ascii=False, sort_keys=True) + "\n")
