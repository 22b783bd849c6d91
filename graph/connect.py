"""Open the GraphStore that the settings name, and the local server behind it."""

from __future__ import annotations

from riskgraph.errors import ConfigError
from riskgraph.graph.embedded import EmbeddedDatabase
from riskgraph.graph.local_neo4j import LocalNeo4j, Neo4jMemory
from riskgraph.graph.server_process import LocalServer
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
        query_timeout_max_ms=int(_longest_timeout_s(settings) * 1000),
        query_memory_mb=settings.embedded_query_memory_mb,
        node_creation_buffer=settings.embedded_node_creation_buffer,
    )


def local_neo4j(settings: Settings) -> LocalNeo4j:
    """The local Neo4j server manager for ``settings.data_dir``."""
    return LocalNeo4j(
        settings.neo4j_dir,
        port=settings.embedded_port,
        memory=Neo4jMemory(
            heap_mb=settings.neo4j_heap_mb,
            page_cache_mb=settings.neo4j_page_cache_mb,
            transaction_mb=settings.embedded_query_memory_mb,
        ),
        lib_dir=settings.neo4j_lib_dir,
        start_timeout_s=settings.embedded_start_timeout_s,
        transaction_timeout_s=_longest_timeout_s(settings),
    )


def local_server(settings: Settings) -> LocalServer:
    """The server riskgraph runs itself for ``graph_uri`` (``embedded``, ``local-neo4j``)."""
    if settings.is_embedded:
        return embedded_database(settings)
    if settings.is_local:
        return local_neo4j(settings)
    raise ConfigError(
        f"RISKGRAPH_GRAPH_URI is {settings.graph_uri!r}: riskgraph manages only the servers "
        "it runs itself ('embedded', 'local-neo4j')"
    )


def open_store(settings: Settings, *, start_embedded: bool = False) -> GraphStore:
    """Connect to the configured database.

    With ``graph_uri`` ``embedded`` or ``local-neo4j`` the local server must be
    running, or is started first when ``start_embedded`` is true.
    """
    timeouts = {
        "connect_timeout_s": settings.connect_timeout_s,
        "query_timeout_s": settings.query_timeout_s,
        "write_timeout_s": settings.write_timeout_s,
    }
    password = settings.graph_password.get_secret_value() if settings.graph_password else None
    if settings.backend == "neo4j":
        from riskgraph.graph.neo4j_store import Neo4jStore

        uri, user = settings.graph_uri, settings.graph_user
        if settings.is_local:
            server = local_neo4j(settings)
            uri = server.start().uri or "" if start_embedded else server.uri()
            user, password = server.user, server.password
        return Neo4jStore(
            uri, user=user, password=password, database=settings.neo4j_database, **timeouts
        )

    from riskgraph.graph.falkordb_store import FalkorDBStore

    uri = settings.graph_uri
    if settings.is_embedded:
        database = embedded_database(settings)
        uri = database.start().uri or "" if start_embedded else database.uri()
        password = database.password
    return FalkorDBStore(uri, settings.graph_name, password=password, **timeouts)


def _longest_timeout_s(settings: Settings) -> float:
    return max(settings.query_timeout_s, settings.write_timeout_s)
