"""GraphStore on FalkorDB through the ``falkordb`` client.

Reads go through ``GRAPH.RO_QUERY`` so the server itself refuses writes on the
read path. Each query is atomic on FalkorDB, so one batch is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import redis
from falkordb import Edge, FalkorDB, Node, Path

from riskgraph.errors import (
    ConstraintViolation,
    DatabaseUnavailable,
    GraphAuthError,
    GraphError,
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
)
from riskgraph.graph.store import GraphStore, Row, check_param, node_dict, rel_dict

T = TypeVar("T")


class FalkorDBStore(GraphStore):
    """One FalkorDB graph, reached over a pooled redis connection."""

    dialect = "falkordb"

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
        )  # fmt: skip  (the client connects at once)
        self._graph = self._db.select_graph(graph_name)

    def read(self, query: str, /, *, timeout_s: float | None = None, **params: Any) -> list[Row]:
        timeout_ms = _ms(timeout_s or self.query_timeout_s)
        encoded = _encode_params(params)
        try:
            result = self._call(lambda: self._graph.ro_query(query, encoded, timeout=timeout_ms))
        except QueryError as exc:
            if "empty key" not in str(exc):
                raise
            # RO_QUERY refuses a graph that has no key yet; an empty graph
            # answers reads like any other, so create it and ask again.
            self._call(lambda: self._graph.query("RETURN 1"))
            result = self._call(lambda: self._graph.ro_query(query, encoded, timeout=timeout_ms))
        return _rows(result.header, result.result_set)

    def write(self, query: str, /, *, timeout_s: float | None = None, **params: Any) -> list[Row]:
        timeout_ms = _ms(timeout_s or self.write_timeout_s)
        result = self._call(
            lambda: self._graph.query(query, _encode_params(params), timeout=timeout_ms)
        )
        return _rows(result.header, result.result_set)

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

    def server_info(self) -> dict[str, Any]:
        """Redis server facts (version, memory) for status reports."""
        info: dict[str, Any] = self._call(self._db.connection.info)
        return info

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
    return QueryError(message)


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def _encode_params(params: dict[str, Any]) -> dict[str, Any]:
    for value in params.values():
        check_param(value)
    return {key: _encode(value) for key, value in params.items()}


def _encode(value: Any) -> Any:
    # The CYPHER parameter header has no temporal literals; queries wrap such
    # parameters in date()/localdatetime(), which parse ISO strings.
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    return value


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
            value.id, value.relation, _node_id(value.src_node), _node_id(value.dest_node),
            _props(value.properties),
        )  # fmt: skip
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
