"""The project's exception hierarchy.

Every error riskgraph raises on purpose derives from :class:`RiskgraphError`.
``graph/`` translates driver errors into the :class:`GraphError` family; only
``api/`` maps these types onto HTTP status codes.
"""

from __future__ import annotations


class RiskgraphError(Exception):
    """Root of every error raised by riskgraph."""


class ConfigError(RiskgraphError):
    """Settings are missing, contradictory or unsafe."""


class GraphError(RiskgraphError):
    """A graph-database operation failed."""


class DatabaseUnavailable(GraphError):
    """The database cannot be reached (down, refused, still loading)."""


class GraphAuthError(GraphError):
    """The database refused the credentials."""


class QueryError(GraphError):
    """The database rejected a query (syntax, semantics, bad parameters)."""


class ReadOnlyViolation(QueryError):
    """A query sent on the read path tried to write."""


class QueryTimeout(GraphError):
    """A query ran past its time limit and was stopped by the server."""


class ConstraintViolation(QueryError):
    """A write broke a uniqueness or existence constraint."""


class CypherNotFound(RiskgraphError):
    """No Cypher file exists under the requested name."""


class EmbeddedDatabaseError(RiskgraphError):
    """The embedded FalkorDB server could not be started or managed."""


class BinaryMissing(EmbeddedDatabaseError):
    """The redis-server binary or the FalkorDB module is not installed."""


class PortInUse(EmbeddedDatabaseError):
    """The requested port is already taken by another process."""


class DataDirNotWritable(EmbeddedDatabaseError):
    """The data directory cannot be created or written."""


class InputError(RiskgraphError):
    """An input folder or file cannot be read as the data contract requires."""
