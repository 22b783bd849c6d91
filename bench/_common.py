"""Shared pieces of the benchmarks: a fresh embedded database and peak memory."""

from __future__ import annotations

import json
import resource
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from riskgraph.graph.embedded import EmbeddedDatabase
from riskgraph.graph.schema import init_schema
from riskgraph.graph.store import GraphStore
from riskgraph.ingest.loader import Loader
from riskgraph.ingest.registry_format import RegistryFormat

BENCH_SECRET = b"benchmark-secret-not-for-real-data"
GENERATOR_TODAY = date(2026, 11, 1)
"""A date after the generator's fixed reference date, so no generated date is in the future."""


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


def registry_loader(store: GraphStore, runs_dir: Path, batch_size: int) -> Loader:
    """The real loader for generated registries, schema applied first."""
    init_schema(store)
    return Loader(
        store,
        RegistryFormat(BENCH_SECRET, today=GENERATOR_TODAY),
        runs_dir=runs_dir,
        batch_size=batch_size,
    )
