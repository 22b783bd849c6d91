"""The GraphStore interface shared by the FalkorDB and Neo4j backends.

Rows come back as plain ``list[dict]``. Nodes, relationships and paths are
converted to one uniform dict form on both engines::

    node: {"id": "12", "labels": ["Enterprise"], "properties": {...}}
    rel:  {"id": "7", "type": "INVESTS_IN", "start": "12", "end": "40", "properties": {...}}
    path: {"nodes": [node, ...], "relationships": [rel, ...]}

Temporal values come back as :class:`datetime.date`/:class:`datetime.datetime`.
Queries that write dates wrap the parameter in ``date(...)``: FalkorDB receives
dates as ISO strings because its parameter header has no date literal.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any, Literal

from riskgraph import cypher
from riskgraph.errors import QueryError
from riskgraph.graph.risk_export import RawExport, read_by_key_pages

Row = dict[str, Any]
Dialect = Literal["falkordb", "neo4j"]
BatchCallback = Callable[[int, int], None]
"""Called after each committed batch with (batch index, rows in the batch)."""


@dataclass(frozen=True)
class PreparedWrite:
    """A write made ready to send: on FalkorDB its parameters are already encoded
    into the query text, so the encoding can happen on another thread than the send."""

    query: str
    params: dict[str, Any]


class GraphStore(ABC):
    """A connection to one graph on one engine. Thread-safe; one per process."""

    dialect: Dialect
    parallel_reads: int = 2
    """How many reads one caller may send at once (the export reads pages side by side)."""

    def query_text(self, name: str) -> str:
        """The library query ``name`` (``cypher/<name>.cypher``) in this engine's dialect."""
        return cypher.text(name, self.dialect)

    def read_export(self, *, page_size: int = 5000) -> RawExport:
        """Every enterprise with its links, roles and violations, for the risk model.

        Plain arrays and rows (:class:`~riskgraph.graph.risk_export.RawExport`),
        read in pages of about ``page_size`` enterprises; here by key pages
        (:func:`~riskgraph.graph.risk_export.read_by_key_pages`), which every
        engine runs. Engines with a faster way override it; every way gives the
        same export.
        """
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        return read_by_key_pages(self, page_size)

    @abstractmethod
    def read(self, query: str, /, *, timeout_s: float | None = None, **params: Any) -> list[Row]:
        """Run a read-only query; a query that writes raises ReadOnlyViolation."""

    def read_values(
        self, query: str, /, *, timeout_s: float | None = None, **params: Any
    ) -> list[Row]:
        """Like :meth:`read`, for queries that return only plain values (text,
        numbers, booleans, temporal values, lists and maps of them): engines may
        decode those faster. Queries that return nodes, relationships or paths
        use :meth:`read` (some engines refuse them here)."""
        return self.read(query, timeout_s=timeout_s, **params)

    @abstractmethod
    def write(self, query: str, /, *, timeout_s: float | None = None, **params: Any) -> list[Row]:
        """Run a query in one write transaction and return its rows."""

    def prepare_write(self, query: str, /, **params: Any) -> PreparedWrite:
        """Validate and encode a write now; :meth:`run_prepared` sends it later."""
        for value in params.values():
            check_param(value)
        return PreparedWrite(query, params)

    def run_prepared(self, prepared: PreparedWrite) -> list[Row]:
        """Send a write made by :meth:`prepare_write`."""
        return self.write(prepared.query, **prepared.params)

    def check_read_only(self, query: str, params: dict[str, Any]) -> None:
        """Raise ReadOnlyViolation if the engine would plan ``query`` as a write.

        Engines whose read path refuses every write at run time need no plan check.
        """
        return None

    def cap_query_memory(self, megabytes: int) -> int | None:
        """Give every query a memory cap where the engine lets a client set one
        and none is set; return the cap in force in bytes, None when the engine
        sets it only in its own configuration."""
        return None

    @abstractmethod
    def ping(self) -> None:
        """Raise DatabaseUnavailable unless the database answers."""

    @abstractmethod
    def close(self) -> None:
        """Release connections."""

    @abstractmethod
    def drop_graph(self) -> None:
        """Delete every node and relationship of this graph (tests, demo resets)."""

    @contextmanager
    def bulk_load(self, *, compact: bool = True) -> Iterator[None]:
        """Hint that many writes follow; engines may defer background work until the
        end (and, with ``compact``, do it then rather than when they would have)."""
        yield

    def write_batches(
        self,
        query: str,
        rows: Iterable[Row],
        batch_size: int = 1000,
        *,
        on_batch: BatchCallback | None = None,
        on_result: Callable[[list[Row]], None] | None = None,
        **params: Any,
    ) -> int:
        """Send ``rows`` as ``$rows`` in batches, one transaction per batch.

        The query is expected to start with ``UNWIND $rows AS row``. Returns the
        number of rows sent; ``on_result`` gets each committed batch's result
        rows. Batches before a failure stay committed, and none
        after it is sent. While one batch is written the next is encoded, so
        the engine and the client work side by side.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        total = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="write") as pool:
            sending: tuple[Future[list[Row]], int, int] | None = None
            for index, batch in enumerate(_chunks(rows, batch_size)):
                prepared = self.prepare_write(query, rows=batch, **params)
                if sending is not None:
                    total += _finished(*sending, on_batch, on_result)
                sending = (pool.submit(self.run_prepared, prepared), index, len(batch))
            if sending is not None:
                total += _finished(*sending, on_batch, on_result)
        return total

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _finished(
    sent: Future[list[Row]],
    index: int,
    size: int,
    on_batch: BatchCallback | None,
    on_result: Callable[[list[Row]], None] | None,
) -> int:
    rows = sent.result()  # raises the batch's error, before the next batch goes out
    if on_result is not None:
        on_result(rows)
    if on_batch is not None:
        on_batch(index, size)
    return size


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def check_param(value: Any) -> None:
    """Reject values neither engine stores faithfully (NaN, infinities, odd types)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise QueryError(f"parameter value {value!r} is not a finite number")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise QueryError(f"map keys must be strings, got {key!r}")
            check_param(item)
    elif isinstance(value, list | tuple):
        for item in value:
            check_param(item)
    elif value is not None and not isinstance(value, str | int | float | bool | date | datetime):
        raise QueryError(f"unsupported parameter type {type(value).__name__}")


INTERNAL_PROPERTIES = frozenset({"search_grams", "reclass_month", "reclass_class"})
"""Properties riskgraph keeps for its own use, never part of a node's answer: FalkorDB's
full-text index reads ``search_grams`` (see :mod:`riskgraph.graph.search_index`); the
monthly re-classification reads each firm's last month and class from the export
(``reclass_month``, ``reclass_class``; its history is the ``RiskAssessment`` nodes)."""


def node_dict(node_id: Any, labels: Iterable[str], properties: dict[str, Any]) -> Row:
    """The uniform node form (without :data:`INTERNAL_PROPERTIES`)."""
    if not INTERNAL_PROPERTIES.isdisjoint(properties):
        properties = {k: v for k, v in properties.items() if k not in INTERNAL_PROPERTIES}
    return {"id": str(node_id), "labels": sorted(labels), "properties": properties}


def rel_dict(rel_id: Any, rel_type: str, start: Any, end: Any, properties: dict[str, Any]) -> Row:
    """The uniform relationship form."""
    return {
        "id": str(rel_id),
        "type": rel_type,
        "start": str(start),
        "end": str(end),
        "properties": properties,
    }
