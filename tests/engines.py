"""The test graphs on each engine: a new FalkorDB graph key, or a borrowed Neo4j database."""

from __future__ import annotations

import queue
import uuid
from typing import Protocol

from riskgraph.graph.embedded import EmbeddedDatabase
from riskgraph.graph.falkordb_store import FalkorDBStore
from riskgraph.graph.local_neo4j import LocalNeo4j
from riskgraph.graph.neo4j_store import Neo4jStore
from riskgraph.graph.store import GraphStore


class Graphs(Protocol):
    """Hands out empty graphs on one engine and takes them back."""

    engine: str

    def acquire(self) -> GraphStore: ...

    def release(self, store: GraphStore) -> None: ...

    def env(self, store: GraphStore) -> dict[str, str]:
        """``RISKGRAPH_*`` variables that point riskgraph's settings at ``store``."""
        ...


class FalkorDBGraphs:
    """A new graph key on the embedded server for every graph."""

    engine = "falkordb"

    def __init__(self, database: EmbeddedDatabase) -> None:
        self.database = database

    def acquire(self) -> GraphStore:
        return self.open(f"test_{uuid.uuid4().hex[:12]}")

    def open(self, name: str) -> FalkorDBStore:
        return FalkorDBStore(self.database.uri(), name, password=self.database.password)

    def release(self, store: GraphStore) -> None:
        store.drop_graph()
        store.close()

    def env(self, store: GraphStore) -> dict[str, str]:
        assert isinstance(store, FalkorDBStore)
        return {
            "RISKGRAPH_GRAPH_URI": store.uri,
            "RISKGRAPH_GRAPH_NAME": store.graph_name,
            "RISKGRAPH_GRAPH_PASSWORD": self.database.password,
        }


class Neo4jGraphs:
    """The databases of the local Neo4j test server, lent one at a time."""

    engine = "neo4j"

    def __init__(self, server: LocalNeo4j) -> None:
        self.server = server
        self._free: queue.Queue[int] = queue.Queue()
        for index in range(server.databases):
            self._free.put(index)
        self._lent: dict[int, int] = {}

    def acquire(self) -> GraphStore:
        try:
            index = self._free.get(timeout=60)
        except queue.Empty as exc:
            raise AssertionError(
                f"all {self.server.databases} Neo4j test databases are lent"
            ) from exc
        store = self.open(index)
        self._lent[id(store)] = index
        return store

    def open(self, index: int) -> Neo4jStore:
        return Neo4jStore(self.server.uri(index), user="neo4j", password=self.server.password)

    def release(self, store: GraphStore) -> None:
        try:
            store.drop_graph()
        finally:
            store.close()
            self._free.put(self._lent.pop(id(store)))

    def env(self, store: GraphStore) -> dict[str, str]:
        assert isinstance(store, Neo4jStore)
        return {
            "RISKGRAPH_GRAPH_URI": store.uri,
            "RISKGRAPH_GRAPH_USER": "neo4j",
            "RISKGRAPH_GRAPH_PASSWORD": self.server.password,
        }
