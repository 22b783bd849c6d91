"""GraphStore on Neo4j through the official driver (one driver per process).

Reads run in READ-routed managed transactions, so the server refuses writes on
the read path; each ``write`` is one managed write transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, LiteralString, TypeVar

import neo4j
from neo4j import Auth, GraphDatabase, Query
from neo4j import exceptions as neo4j_errors
from neo4j import graph as neo4j_graph
from neo4j import time as neo4j_time

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
from riskgraph.graph.store import GraphStore, Row, check_param, node_dict, rel_dict

T = TypeVar("T")


class Neo4jStore(GraphStore):
    """A Neo4j database reached with the official ``neo4j`` driver."""

    dialect = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        connect_timeout_s: float = 5.0,
        query_timeout_s: float = 60.0,
        write_timeout_s: float = 600.0,
    ) -> None:
        self.uri = uri
        self.database = database
        self.query_timeout_s = query_timeout_s
        self.write_timeout_s = write_timeout_s
        auth: Auth | None = neo4j.basic_auth(user, password or "") if user else None
        self._driver = GraphDatabase.driver(
            uri,
            auth=auth,
            connection_timeout=connect_timeout_s,
            connection_acquisition_timeout=connect_timeout_s * 2,
            max_transaction_retry_time=connect_timeout_s * 3,
            # Deprecation and performance hints are for developers in Neo4j's own tools;
            # here they would only fill the logs.
            notifications_min_severity="OFF",
        )

    def read(self, query: str, /, *, timeout_s: float | None = None, **params: Any) -> list[Row]:
        return self._run(query, params, timeout_s or self.query_timeout_s, neo4j.READ_ACCESS)

    def write(self, query: str, /, *, timeout_s: float | None = None, **params: Any) -> list[Row]:
        return self._run(query, params, timeout_s or self.write_timeout_s, neo4j.WRITE_ACCESS)

    def check_read_only(self, query: str, params: dict[str, Any]) -> None:
        """Refuse a query that Neo4j's planner does not call read-only (``EXPLAIN``
        plans without running)."""
        text: LiteralString = "EXPLAIN " + query

        def run() -> str:
            with self._driver.session(
                database=self.database, default_access_mode=neo4j.READ_ACCESS
            ) as session:
                return str(session.run(text, params).consume().query_type or "")

        kind = self._call(run)
        if kind != "r":
            raise ReadOnlyViolation(f"Neo4j plans this query as {kind!r}, not read-only")

    def ping(self) -> None:
        self._call(self._driver.verify_connectivity)

    def close(self) -> None:
        self._driver.close()

    def drop_graph(self) -> None:
        """Delete every node and relationship, then every constraint and index but
        the built-in token lookups, as deleting a FalkorDB graph does."""
        self.write("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
        for row in self.read("SHOW CONSTRAINTS YIELD name RETURN name"):
            self.write(f"DROP CONSTRAINT `{row['name']}` IF EXISTS")
        for row in self.read("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
            self.write(f"DROP INDEX `{row['name']}` IF EXISTS")

    def _run(self, query: str, params: dict[str, Any], timeout_s: float, mode: str) -> list[Row]:
        for value in params.values():
            check_param(value)
        # Queries come from the Cypher library or an analyst, never from string
        # formatting with user data; the driver's LiteralString type cannot see that.
        text: LiteralString = query

        @neo4j.unit_of_work(timeout=timeout_s)
        def work(tx: neo4j.ManagedTransaction) -> list[Row]:
            return _records(tx.run(text, params))

        def run() -> list[Row]:
            with self._driver.session(database=self.database, default_access_mode=mode) as session:
                if "IN TRANSACTIONS" in query.upper():
                    # CALL { } IN TRANSACTIONS needs an implicit transaction.
                    return _records(session.run(Query(text, timeout=timeout_s), params))
                if mode == neo4j.READ_ACCESS:
                    return session.execute_read(work)
                return session.execute_write(work)

        return self._call(run)

    def _call(self, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except neo4j_errors.AuthError as exc:
            raise GraphAuthError(f"Neo4j at {self.uri} refused the credentials") from exc
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as exc:
            raise DatabaseUnavailable(f"cannot reach Neo4j at {self.uri}: {exc}") from exc
        except neo4j_errors.ConstraintError as exc:
            raise ConstraintViolation(exc.message or str(exc)) from exc
        except neo4j_errors.Neo4jError as exc:
            raise _translate(exc) from exc
        except neo4j_errors.DriverError as exc:
            raise GraphError(f"Neo4j driver error: {exc}") from exc


def _records(result: neo4j.Result) -> list[Row]:
    return [
        {key: _value(value) for key, value in zip(record.keys(), record.values(), strict=True)}
        for record in result
    ]


def _translate(exc: neo4j_errors.Neo4jError) -> GraphError:
    code = exc.code or ""
    message = exc.message or str(exc)
    if code.endswith("Statement.AccessMode") or "ForbiddenOnReadOnlyDatabase" in code:
        return ReadOnlyViolation(f"the read path refuses writes: {message}")
    if "TransactionTimedOut" in code or "TransactionTimedOutClientConfiguration" in code:
        return QueryTimeout(message)
    if code.endswith("Schema.EquivalentSchemaRuleAlreadyExists"):
        return SchemaRuleExists(message)
    if code.startswith("Neo.ClientError"):
        found = position_in(message)
        return QueryError(message, line=found[0], column=found[1]) if found else QueryError(message)
    return GraphError(f"{code}: {message}")


def _value(value: Any) -> Any:
    if isinstance(value, neo4j_graph.Node):
        return node_dict(value.element_id, value.labels, _props(value))
    if isinstance(value, neo4j_graph.Relationship):
        start = value.start_node.element_id if value.start_node is not None else None
        end = value.end_node.element_id if value.end_node is not None else None
        return rel_dict(value.element_id, value.type, start, end, _props(value))
    if isinstance(value, neo4j_graph.Path):
        return {
            "nodes": [_value(node) for node in value.nodes],
            "relationships": [_value(rel) for rel in value.relationships],
        }
    if isinstance(value, neo4j_time.Date | neo4j_time.DateTime):
        return value.to_native()
    if isinstance(value, dict):
        return {key: _value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_value(item) for item in value]
    return value


def _props(entity: neo4j_graph.Entity) -> dict[str, Any]:
    return {key: _value(item) for key, item in entity.items()}
