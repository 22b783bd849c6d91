"""The project's one error taxonomy.

Every error riskgraph raises on purpose derives from :class:`RiskgraphError` and,
where it says something a caller can act on, from one of the kinds below:
:class:`NotFound`, :class:`Conflict`, :class:`Invalid`, :class:`Forbidden`,
:class:`Unauthenticated`, :class:`Unavailable`, :class:`Timeout`,
:class:`LimitExceeded`. ``graph/`` translates driver errors into the
:class:`GraphError` family. The kinds are mapped once to HTTP (``api/errors.py``)
and once to messages and exit codes (``riskgraph/cli_support.py``); no route or
command rewraps them.
"""

from __future__ import annotations


class RiskgraphError(Exception):
    """Root of every error raised by riskgraph."""


# --------------------------------------------------------------------------- kinds


class NotFound(RiskgraphError):
    """The thing asked for does not exist (an enterprise, an alert, a plan, a query)."""


class Conflict(RiskgraphError):
    """The request is valid but not in the current state (an alert's status change)."""


class JobRunning(Conflict):
    """Another run of a job that must run alone (a case or cluster rebuild) is under way."""


class Invalid(RiskgraphError):
    """The request asks for something impossible (bad parameters, bad input)."""


class Forbidden(RiskgraphError):
    """The caller may not do this (a role without the permission, a write on the read path)."""


class Unauthenticated(RiskgraphError):
    """No credentials, or unknown or revoked ones."""


class Unavailable(RiskgraphError):
    """A component the request needs is not reachable now; retrying later may work."""


class Timeout(RiskgraphError):
    """The work ran past its time limit and was stopped."""


class LimitExceeded(RiskgraphError):
    """A request or its result goes past a limit that keeps the service up."""


# --------------------------------------------------------------------------- configuration


class ConfigError(RiskgraphError):
    """Settings are missing, contradictory or unsafe."""


class InputError(Invalid):
    """An input folder or file cannot be read as the data contract requires."""


# --------------------------------------------------------------------------- database


class GraphError(RiskgraphError):
    """A graph-database operation failed."""


class DatabaseUnavailable(GraphError, Unavailable):
    """The database cannot be reached (down, refused, still loading)."""


class GraphAuthError(GraphError, Unavailable):
    """The database refused the credentials."""


class QueryError(GraphError):
    """The database rejected a query (syntax, semantics, bad parameters). ``line`` and
    ``column`` (from 1) say where in the query, when the refusal names a place."""

    def __init__(
        self, message: str = "", *, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class ReadOnlyViolation(QueryError, Forbidden):
    """A query sent on the read path tried to write."""


class QueryTimeout(GraphError, Timeout):
    """A query ran past its time limit and was stopped by the server."""


class ConstraintViolation(QueryError):
    """A write broke a uniqueness or existence constraint."""


class SchemaRuleExists(QueryError):
    """An index or constraint being created exists already (on Neo4j also when another
    transaction created it at the same moment, despite ``IF NOT EXISTS``)."""


class CypherNotFound(NotFound):
    """No Cypher file exists under the requested name."""


class EmbeddedDatabaseError(RiskgraphError):
    """A local database server could not be started or managed."""


class BinaryMissing(EmbeddedDatabaseError):
    """The redis-server binary or the FalkorDB module is not installed."""


class PortInUse(EmbeddedDatabaseError):
    """The requested port is already taken by another process."""


class DataDirNotWritable(EmbeddedDatabaseError):
    """The data directory cannot be created or written."""
