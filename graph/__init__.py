"""The graph database layer: one GraphStore interface, FalkorDB and Neo4j backends."""

from riskgraph.graph.connect import embedded_database, local_server, open_store
from riskgraph.graph.store import GraphStore, Row

__all__ = ["GraphStore", "Row", "embedded_database", "local_server", "open_store"]
