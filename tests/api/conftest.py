"""API fixtures: a small scored graph on the embedded server, apps, clients and keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import Api, api_settings, build_analytics_graph, build_graph, settings_for
from engines import Graphs
from fastapi.testclient import TestClient

from riskgraph.api.app import create_app
from riskgraph.api.auth import KeyStore, Role
from riskgraph.api.privacy import set_pseudonym_key
from riskgraph.graph.schema import init_schema
from riskgraph.graph.store import GraphStore

# One pseudonym key for the test session, so that no test writes <./data>/pseudonym.key.
set_pseudonym_key(b"riskgraph-api-tests-pseudonym-key-0123456789")


@pytest.fixture(scope="session")
def api_graph(graphs: Graphs) -> Iterator[GraphStore]:
    """The scored test graph, built once per engine and shared (tests must not change it)."""
    store = graphs.acquire()
    init_schema(store)
    build_graph(store)
    yield store
    graphs.release(store)


ApiFactory = Callable[..., Api]


@pytest.fixture
def make_api(tmp_path: Path, api_graph: GraphStore) -> Iterator[ApiFactory]:
    """``make_api(**api_settings)``: an app on the shared graph, one key per role."""
    clients: list[TestClient] = []

    def factory(store: GraphStore | None = None, **overrides: Any) -> Api:
        data_dir = tmp_path / f"data{len(clients)}"
        keystore = KeyStore(data_dir / "api_keys.json")
        keys = {role: keystore.create(role, f"test {role.value}")[0] for role in Role}
        app = create_app(
            settings_for(data_dir, api=api_settings(**overrides)),
            store=store if store is not None else api_graph,
        )
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return Api(client, data_dir, keys)

    yield factory
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def api(make_api: ApiFactory) -> Api:
    return make_api()


@pytest.fixture
def analytics_store(store: GraphStore) -> GraphStore:
    """A fresh graph per test: the test graph with risk clusters and alerts (tests may
    change it: status changes, inspection plans)."""
    init_schema(store)
    build_analytics_graph(store)
    return store


@pytest.fixture
def analytics_api(make_api: ApiFactory, analytics_store: GraphStore) -> Api:
    return make_api(store=analytics_store)
