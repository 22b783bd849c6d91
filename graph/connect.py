"""Open the GraphStore that the settings name."""

from __future__ import annotations

from riskgraph.graph.embedded import EmbeddedDatabase
from riskgraph.graph.store import GraphStore
from riskgraph.settings import Settings


def embedded_database(settings: Settings) -> EmbeddedDatabase:
    """The embedded server manager for ``settings.data_dir``."""
    password = settings.graph_password.get_secret_value() if settings.graph_password else None
    return EmbeddedDatabase(
        settings.graph_dir,
        port=settings.embedded_port,
        password=password,
        start_timeout_s=settings.embedded_start_timeout_s,
        query_timeout_max_ms=int(max(settings.query_timeout_s, settings.write_timeout_s) * 1000),
        query_memory_mb=settings.embedded_query_memory_mb,
        node_creation_buffer=settings.embedded_node_creation_buffer,
    )


def open_store(settings: Settings, *, start_embedded: bool = False) -> GraphStore:
    """Connect to the configured database.

    With ``graph_uri=embedded`` the embedded server must be running, or is
    started first when ``start_embedded`` is true.
    """
    password = settings.graph_password.get_secret_value() if settings.graph_password else None
    timeouts = {
        "connect_timeout_s": settings.connect_timeout_s,
        "query_timeout_s": settings.query_timeout_s,
        "write_timeout_s": settings.write_timeout_s,
    }
    if settings.backend == "neo4j":
        from riskgraph.graph.neo4j_store import Neo4jStore

        return Neo4jStore(
            settings.graph_uri,
            user=settings.graph_user,
            password=password,
            database=settings.neo4j_database,
            **timeouts,
        )

    from riskgraph.graph.falkordb_store import FalkorDBStore

    uri = settings.graph_uri
    if settings.is_embedded:
        database = embedded_database(settings)
        uri = database.start().uri or "" if start_embedded else database.uri()
    return FalkorDBStore(uri, settings.graph_name, password=password, **timeouts)
