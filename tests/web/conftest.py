"""Browser tests: a real server on generated data and headless Chromium from Debian.

The browser tests are skipped, with the reason shown, when ``/usr/bin/chromium`` is
missing (``make install`` installs it), the web app is not built (``make install``
builds it) or the ``playwright`` package is absent (``web_server.missing``).
Playwright drives the system browser: it never downloads one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from engines import Graphs
from web_server import CHROMIUM, WebServer, cli_env, prepare, serve

from riskgraph.graph.store import GraphStore

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"


@pytest.fixture(scope="session")
def graph_store(graphs: Graphs) -> Iterator[GraphStore]:
    """The web tests' graph on the engine under test (tests read it to pick hubs and
    linked enterprises)."""
    store = graphs.acquire()
    yield store
    graphs.release(store)


@pytest.fixture(scope="module")
def address_hub(graph_store: GraphStore) -> dict[str, Any]:
    """The address with the most registered enterprises (``aid``, ``firms``, ``n``)."""
    [row] = graph_store.read(
        "MATCH (a:Address)<-[:REGISTERED_AT]-(e:Enterprise) "
        "WITH a, collect(e.uscc) AS firms RETURN a.aid AS aid, firms, size(firms) AS n "
        "ORDER BY n DESC, aid LIMIT 1"
    )
    return row


@pytest.fixture(scope="session")
def web_server(
    graph_store: GraphStore, graphs: Graphs, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebServer]:
    """The registry generated, loaded, scored, clustered and checked by the rules, then
    ``riskgraph serve`` on a free port, with an investigator key."""
    data_dir = tmp_path_factory.mktemp("web") / "data"
    env = cli_env(graphs.env(graph_store), data_dir)
    key = prepare(env, data_dir)
    with serve(env, data_dir / "serve.log", key) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Console:
    """Console errors and uncaught page errors; some tests expect a few."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.allowed: list[re.Pattern[str]] = []

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser: Any, web_server: WebServer, console: Console) -> Iterator[Any]:
    """A fresh tab on the app (signed out); no console errors by the end of the test."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 900}, accept_downloads=True, locale="zh-CN"
    )
    context.set_default_timeout(30_000)
    tab = context.new_page()
    tab.on("console", lambda m: console.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: console.errors.append(f"pageerror: {e}"))
    tab.goto(web_server.base + "/")
    yield tab
    context.close()
    assert console.unexpected() == []


@pytest.fixture
def signed_in(page: Any, web_server: WebServer) -> Any:
    page.get_by_test_id("key-input").fill(web_server.key)
    page.get_by_test_id("signin-go").click()
    page.get_by_test_id("search-input").wait_for()
    return page


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[[Any, str], None]:
    """``shot(page, step)`` saves test-artifacts/web/<test>-<step>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def save(tab: Any, step: str) -> None:
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{step}.png"), full_page=True)

    return save
