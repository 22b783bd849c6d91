"""The API's own errors (kinds of :mod:`riskgraph.errors`) and the one map from the
error taxonomy to HTTP: status, error code and, for internal failures, the message
shown instead of the exception's own."""

from __future__ import annotations

from riskgraph.errors import (
    Conflict,
    CypherNotFound,
    DatabaseUnavailable,
    Forbidden,
    GraphAuthError,
    GraphError,
    Invalid,
    JobRunning,
    LimitExceeded,
    NotFound,
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
    RiskgraphError,
    Timeout,
    Unauthenticated,
    Unavailable,
)


class PermissionDenied(Forbidden):
    """The key's role lacks the permission the endpoint needs."""


class RateLimited(LimitExceeded):
    """The key has used up its request budget for now."""

    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class KeyStoreError(RiskgraphError):
    """The API key file cannot be read or written."""


class CypherRefused(ReadOnlyViolation):
    """An ad-hoc query would write, call a forbidden procedure or load data."""


class CypherLimitExceeded(CypherRefused, LimitExceeded):
    """An ad-hoc query or its result goes past one of the limits that keep the
    database up (nesting, size, hops, range(), LIMIT, result bytes); the message
    names the limit."""


class CypherCheckUnavailable(Unavailable):
    """Neo4j's Cypher parser, which every ad-hoc query must pass, is not running."""


class CypherMalformed(QueryError):
    """An ad-hoc query is not one clean statement (several statements, odd characters)."""


def error_details(exc: RiskgraphError) -> list[dict[str, int]] | None:
    """The ``details`` of an error answer: where a refused query went wrong, if known."""
    line, column = getattr(exc, "line", None), getattr(exc, "column", None)
    if isinstance(exc, QueryError) and line is not None and column is not None:
        return [{"line": line, "column": column}]
    return None


class ModelFilesError(RiskgraphError):
    """A trained model's files exist but cannot be read."""


HTTP_ERRORS: tuple[tuple[type[RiskgraphError], int, str, str | None], ...] = (
    (Unauthenticated, 401, "unauthenticated", None),
    (CypherNotFound, 404, "not_found", None),
    (NotFound, 404, "not_found", None),
    (RateLimited, 429, "rate_limited", None),
    (JobRunning, 409, "job_running", None),
    (Conflict, 409, "invalid_transition", None),
    (ModelFilesError, 500, "model_error", None),
    (KeyStoreError, 500, "key_store_error", "the API key store is unavailable"),
    (CypherLimitExceeded, 400, "query_limit", None),
    (CypherCheckUnavailable, 503, "cypher_check_unavailable", None),
    (ReadOnlyViolation, 403, "read_only", None),
    (Forbidden, 403, "forbidden", None),
    (CypherMalformed, 400, "malformed_query", None),
    (DatabaseUnavailable, 503, "database_unavailable", "the graph database is unreachable"),
    (GraphAuthError, 503, "database_unavailable", "the graph database refused the API"),
    (QueryTimeout, 504, "query_timeout", None),
    (Timeout, 504, "timeout", None),
    (QueryError, 400, "query_error", None),
    (Invalid, 422, "invalid_input", None),
    (Unavailable, 503, "unavailable", None),
    (GraphError, 502, "database_error", "the graph database failed"),
    (RiskgraphError, 500, "internal_error", "internal error"),
)
"""(error type, HTTP status, error code, message shown instead of the exception's own).
The first matching type wins, so subclasses come before their kinds."""
