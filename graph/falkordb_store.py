"""GraphStore on FalkorDB through the ``falkordb`` client.

Reads go through ``GRAPH.RO_QUERY`` so the server itself refuses writes on the
read path. Each query is atomic on FalkorDB, so one batch is one transaction.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import redis
from falkordb import Edge, FalkorDB, Node, Path
from falkordb.query_result import parse_scalar

from riskgraph.errors import (
    ConstraintViolation,
    DatabaseUnavailable,
    GraphAuthError,
    GraphError,
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
    SchemaRuleExists,
)
from riskgraph.graph.error_position import position_in
from riskgraph.graph.falkordb_export import read_by_id_windows
from riskgraph.graph.risk_export import RawExport
from riskgraph.graph.store import GraphStore, PreparedWrite, Row, node_dict, rel_dict

T = TypeVar("T")


class FalkorDBStore(GraphStore):
    """One FalkorDB graph, reached over a pooled redis connection."""

    dialect = "falkordb"
    # FalkorDB has crashed under concurrent reads on several connections (FalkorDB
    # issue #1240): one read at a time.
    parallel_reads = 1

    def __init__(
        self,
        uri: str,
        graph_name: str,
        *,
        password: str | None = None,
        connect_timeout_s: float = 5.0,
        query_timeout_s: float = 60.0,
        write_timeout_s: float = 600.0,
    ) -> None:
        parts = urlsplit(uri)
        self.uri = f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}"
        self.graph_name = graph_name
        self.query_timeout_s = query_timeout_s
        self.write_timeout_s = write_timeout_s
        self._db = self._call(
            lambda: FalkorDB(
                host=parts.hostname or "127.0.0.1",
                port=parts.port or 6379,
                password=password or (unquote(parts.password) if parts.password else None),
                ssl=parts.scheme == "rediss",
                socket_connect_timeout=connect_timeout_s,
                # The socket must outlive the server-side timeout so that the
                # server's own "timed out" answer is what we see.
                socket_timeout=max(query_timeout_s, write_timeout_s) + 30,
            )
        )  # inside _call: the client connects at once
        self._graph = self._db.select_graph(graph_name)

    def read(self, query: str, /, *, timeout_s: float | None = None, **params: Any) -> list[Row]:
        timeout_ms = _ms(timeout_s or self.query_timeout_s)
        text = _header(params) + query
        result = self._read_once(lambda: self._graph.ro_query(text, timeout=timeout_ms))
        return _rows(result.header, result.result_set)

    def read_values(
        self, query: str, /, *, timeout_s: float | None = None, **params: Any
    ) -> list[Row]:
        """:meth:`read` for plain values, decoded here a list at a time.

        The client decodes every value through a per-value type dispatch; the
        risk model export reads tens of millions of values, mostly in lists
        of one type, which one comprehension per list decodes (the 1.57M
        export: 51.4 s through :meth:`read`, 45.1 s through this). The values
        equal :meth:`read`'s.
        """
        command = (
            "GRAPH.RO_QUERY",
            self.graph_name,
            _header(params) + query,
            "--compact",
            "timeout",
            _ms(timeout_s or self.query_timeout_s),
        )
        reply = self._read_once(lambda: self._db.connection.execute_command(*command))
        if reply and isinstance(reply[-1], redis.ResponseError):  # a run-time error
            raise _translate(reply[-1])
        if len(reply) < 3:  # statistics only: the query returns no columns
            return []
        names = [str(column[1]) for column in reply[0]]
        return [
            {name: _plain(value) for name, value in zip(names, row, strict=True)}
            for row in reply[1]
        ]

    def _read_once(self, run: Callable[[], T]) -> T:
        try:
            return self._call(run)
        except QueryError as exc:
            if "empty key" not in str(exc):
                raise
            # RO_QUERY refuses a graph that has no key yet; an empty graph
            # answers reads like any other, so create it and ask again.
            self._call(lambda: self._graph.query("RETURN 1"))
            return self._call(run)

    def read_export(self, *, page_size: int = 5000) -> RawExport:
        """Internal-id windows with packed replies (:mod:`riskgraph.graph.falkordb_export`):
        the same export as key pages, with the enterprises' node ids, read faster."""
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        return read_by_id_windows(self, page_size)

    def write(self, query: str, /, *, timeout_s: float | None = None, **params: Any) -> list[Row]:
        return self._send_write(_header(params) + query, timeout_s)

    def prepare_write(self, query: str, /, **params: Any) -> PreparedWrite:
        return PreparedWrite(_header(params) + query, {})

    def run_prepared(self, prepared: PreparedWrite) -> list[Row]:
        if prepared.params:  # made by hand rather than by prepare_write
            return self.write(prepared.query, **prepared.params)
        return self._send_write(prepared.query, None)

    def _send_write(self, text: str, timeout_s: float | None) -> list[Row]:
        timeout_ms = _ms(timeout_s or self.write_timeout_s)
        result = self._call(lambda: self._graph.query(text, timeout=timeout_ms))
        return _rows(result.header, result.result_set)

    def cap_query_memory(self, megabytes: int) -> int | None:
        """Set ``QUERY_MEM_CAPACITY`` (server-wide) unless the server has a cap already.

        Without one, a single read such as ``UNWIND range(1, 1000000000) AS x …``
        allocates the whole list before any timeout is checked and can take the
        server (and the machine) down.
        """
        if megabytes <= 0:
            return None
        connection = self._db.connection

        def run() -> int:
            current = connection.execute_command("GRAPH.CONFIG", "GET", "QUERY_MEM_CAPACITY")
            value = int(current[1]) if isinstance(current, list | tuple) else 0
            if value > 0:
                return value
            wanted = megabytes * 1024 * 1024
            connection.execute_command("GRAPH.CONFIG", "SET", "QUERY_MEM_CAPACITY", wanted)
            return wanted

        return self._call(run)

    def ping(self) -> None:
        self._call(self._db.connection.ping)

    def close(self) -> None:
        self._db.connection.close()

    def drop_graph(self) -> None:
        try:
            self._call(self._graph.delete)
        except QueryError as exc:
            if "empty key" not in str(exc).lower() and "invalid graph" not in str(exc).lower():
                raise

    @contextmanager
    def bulk_load(self, *, compact: bool = True) -> Iterator[None]:
        """Pause automatic append-only-file rewrites while a load runs; with
        ``compact``, rewrite the file after it.

        Each automatic rewrite forks and serialises the whole graph; during a
        bulk load that happens again and again as the file doubles, taking a
        core from the load. Without ``compact`` the server rewrites after the
        load only if the file has grown enough meanwhile, as it would have
        during it. Servers that refuse CONFIG (managed ones) are left as they
        are. Rewrites come back on at the end even if they were found off (a
        killed bulk load leaves them so); with two bulk loads at once, the first
        to finish turns them back on.
        """
        connection = self._db.connection
        try:
            previous = connection.config_get("auto-aof-rewrite-percentage")
            connection.config_set("auto-aof-rewrite-percentage", 0)
        except redis.RedisError:
            yield
            return
        try:
            yield
        finally:
            # A 0 found here was left by a bulk load that was killed (kill -9 of an
            # ingest): restore the server's default rather than keep rewrites off.
            found = previous.get("auto-aof-rewrite-percentage", "100")
            with contextlib.suppress(redis.RedisError):
                connection.config_set(
                    "auto-aof-rewrite-percentage", found if found != "0" else "100"
                )
                if compact and connection.info("persistence").get("aof_enabled"):
                    connection.bgrewriteaof()

    def _call(self, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except redis.AuthenticationError as exc:
            raise GraphAuthError(f"FalkorDB at {self.uri} refused the credentials") from exc
        except redis.BusyLoadingError as exc:
            raise DatabaseUnavailable(f"FalkorDB at {self.uri} is still loading its data") from exc
        except redis.TimeoutError as exc:
            raise QueryTimeout(f"no answer from FalkorDB at {self.uri} in time") from exc
        except redis.ConnectionError as exc:
            raise DatabaseUnavailable(f"cannot reach FalkorDB at {self.uri}: {exc}") from exc
        except redis.ResponseError as exc:
            raise _translate(exc) from exc
        except redis.RedisError as exc:
            raise GraphError(f"FalkorDB error: {exc}") from exc
        except (ValueError, OverflowError) as exc:
            # the client could not decode a value of the answer (a duration of
            # a billion years): the query's fault, not the server's
            raise QueryError(f"the answer holds a value that cannot be decoded: {exc}") from exc


def _translate(exc: redis.ResponseError) -> GraphError:
    message = str(exc)
    lowered = message.lower()
    if "read-only" in lowered or "read only" in lowered:
        return ReadOnlyViolation(f"the read path refuses writes: {message}")
    if "timed out" in lowered:
        return QueryTimeout(message)
    if "constraint" in lowered and "violat" in lowered:
        return ConstraintViolation(message)
    if "noauth" in lowered or "wrongpass" in lowered:
        return GraphAuthError(message)
    if "already indexed" in lowered:  # FalkorDB has no IF NOT EXISTS for indexes
        return SchemaRuleExists(message)
    return QueryError(message, **_where(message))


def _where(message: str) -> dict[str, int]:
    found = position_in(message)
    return {"line": found[0], "column": found[1]} if found else {}


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def _header(params: dict[str, Any]) -> str:
    """The ``CYPHER name=value …`` prefix that carries parameters to FalkorDB.

    One pass that both validates and encodes: bulk loads send tens of thousands
    of rows per query, so this is on the hot path.
    """
    if not params:
        return ""
    return "CYPHER " + " ".join(f"{name}={_literal(value)}" for name, value in params.items()) + " "


def _literal(value: Any) -> str:
    if value is None:
        return "null"
    encode = _ENCODERS.get(type(value))
    return encode(value) if encode is not None else _literal_other(value)


def _text(text: str) -> str:
    if "\x00" in text:  # the server reads the query as a C string: NUL would cut it
        raise QueryError("text parameters cannot contain NUL characters")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise QueryError(f"parameter value {value!r} is not a finite number")
    return repr(value)


def _map(value: dict[Any, Any]) -> str:
    parts = []
    for key, item in value.items():
        if not isinstance(key, str) or not key or "`" in key:
            raise QueryError(f"map keys must be non-empty strings without backticks: {key!r}")
        parts.append(f"`{key}`:{_literal(item)}")
    return "{" + ",".join(parts) + "}"


def _list(value: list[Any] | tuple[Any, ...]) -> str:
    return "[" + ",".join(_literal(item) for item in value) + "]"


_ENCODERS: dict[type, Callable[[Any], str]] = {
    str: _text,
    bool: lambda value: "true" if value else "false",
    int: str,
    float: _number,
    dict: _map,
    list: _list,
    tuple: _list,
}
"""Encoders by exact type: the fast path for what bulk loads send."""


def _literal_other(value: Any) -> str:
    # The header has no temporal literals; queries wrap such parameters in
    # date()/localdatetime(), which parse ISO strings.
    if isinstance(value, datetime):
        return _text(value.replace(tzinfo=None).isoformat())
    if isinstance(value, date):
        return _text(value.isoformat())
    # Subclasses (IntEnum, numpy scalars registered as numbers, …) go the slow way.
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return _literal(kind(value))
    raise QueryError(f"unsupported parameter type {type(value).__name__}")


# Compact reply type codes (FalkorDB's ResultSetScalarTypes).
_STRING, _INTEGER, _DOUBLE, _ARRAY, _EDGE, _NODE, _PATH, _MAP, _DATE = 2, 3, 5, 6, 7, 8, 9, 10, 14


def _plain(pair: list[Any]) -> Any:
    """A compact reply value (``[type, value]``) as :meth:`FalkorDBStore.read` returns it."""
    kind, value = pair
    if kind == _ARRAY:
        return _plain_list(value)
    if kind == _MAP:
        return {str(value[i]): _plain(value[i + 1]) for i in range(0, len(value), 2)}
    if kind in (_EDGE, _NODE, _PATH):
        raise QueryError("read_values cannot return nodes, relationships or paths: use read")
    return parse_scalar(pair, None)


def _plain_list(items: list[list[Any]]) -> list[Any]:
    kinds = {kind for kind, _ in items}
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind == _STRING and all(type(value) is str for _, value in items):
            return [value for _, value in items]
        if kind == _INTEGER and all(type(value) is int for _, value in items):
            return [value for _, value in items]
        if kind == _DOUBLE:
            return [float(value) for _, value in items]
        if kind == _DATE:  # dates repeat: convert each distinct one once
            dates = {value: parse_scalar([kind, value], None) for value in {v for _, v in items}}
            return [dates[value] for _, value in items]
    return [_plain(item) for item in items]


def _rows(header: list[Any], result_set: list[list[Any]]) -> list[Row]:
    names = [column[1] if isinstance(column, list | tuple) else column for column in header]
    return [
        {str(name): _value(value) for name, value in zip(names, row, strict=True)}
        for row in result_set
    ]


def _value(value: Any) -> Any:
    if isinstance(value, Node):
        return node_dict(value.id, value.labels or [], _props(value.properties))
    if isinstance(value, Edge):
        return rel_dict(
            value.id,
            value.relation,
            _node_id(value.src_node),
            _node_id(value.dest_node),
            _props(value.properties),
        )
    if isinstance(value, Path):
        return {
            "nodes": [_value(node) for node in value.nodes()],
            "relationships": [_value(edge) for edge in value.edges()],
        }
    if isinstance(value, dict):
        return {str(key): _value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_value(item) for item in value]
    return value


def _node_id(node: Any) -> Any:
    return node.id if isinstance(node, Node) else node


def _props(properties: dict[str, Any] | None) -> dict[str, Any]:
    return {key: _value(item) for key, item in (properties or {}).items()}
