"""Errors raised by the API layer; ``api.app`` maps them (and the graph errors) to HTTP."""

from __future__ import annotations

from riskgraph.errors import QueryError, ReadOnlyViolation, RiskgraphError


class ApiError(RiskgraphError):
    """Root of the errors only the API raises."""


class NotFound(ApiError):
    """The requested resource does not exist."""


class Unauthenticated(ApiError):
    """No API key, or one that is unknown or revoked."""


class PermissionDenied(ApiError):
    """The key's role lacks the permission the endpoint needs."""


class RateLimited(ApiError):
    """The key has used up its request budget for now."""

    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class KeyStoreError(ApiError):
    """The API key file cannot be read or written."""


class CypherRefused(ReadOnlyViolation):
    """An ad-hoc query would write, call a forbidden procedure or load data."""


class CypherLimitExceeded(CypherRefused):
    """An ad-hoc query or its result goes past one of the limits that keep the
    database up (nesting, size, hops, range(), LIMIT, result bytes); the message
    names the limit."""


class CypherCheckUnavailable(ApiError):
    """Neo4j's Cypher parser, which every ad-hoc query must pass, is not running."""


class CypherMalformed(QueryError):
    """An ad-hoc query is not one clean statement (several statements, odd characters)."""


class InvalidInput(ApiError):
    """A request is well-formed JSON but asks for something impossible (422)."""


class InvalidTransition(ApiError):
    """A state change is not allowed from the current state (an alert's case status)."""


class ModelFilesError(ApiError):
    """A trained model's files exist but cannot be read."""
