"""The process's one GraphStore, opened lazily and re-opened after an outage.

The API must start (and answer 503) while the database is down, and recover
without a restart once it is back, even if the embedded server came back on
another port. The holder opens the store on first use; after an
``DatabaseUnavailable`` it drops a store it opened itself, and the next request
(at most every ``reconnect_interval_s``) opens a fresh one.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from riskgraph.errors import DatabaseUnavailable, GraphAuthError, RiskgraphError
from riskgraph.graph.store import GraphStore, Row

T = TypeVar("T")
log = logging.getLogger("riskgraph.api")


class StoreHolder:
    """Hands out the current store; reads go through :meth:`read` so outages are seen."""

    def __init__(
        self,
        opener: Callable[[], GraphStore] | None,
        *,
        store: GraphStore | None = None,
        query_timeout_s: float = 30.0,
        reconnect_interval_s: float = 1.0,
    ) -> None:
        if opener is None and store is None:
            raise ValueError("a StoreHolder needs an opener or a store")
        self._opener = opener
        self._store = store
        self._owned = store is None
        self.query_timeout_s = query_timeout_s
        self._interval = reconnect_interval_s
        self._lock = threading.Lock()
        self._last_attempt = float("-inf")
        self._last_error: RiskgraphError | None = None

    @property
    def dialect(self) -> str:
        return self.get().dialect

    def get(self) -> GraphStore:
        """The store, opening it if needed; DatabaseUnavailable while it cannot be."""
        store = self._store
        if store is not None:
            return store
        with self._lock:
            if self._store is not None:
                return self._store
            now = time.monotonic()
            if now - self._last_attempt < self._interval and self._last_error is not None:
                raise DatabaseUnavailable(str(self._last_error))
            self._last_attempt = now
            assert self._opener is not None
            try:
                self._store = self._opener()
            except (DatabaseUnavailable, GraphAuthError) as exc:
                self._last_error = exc
                raise DatabaseUnavailable(str(exc)) from exc
            self._last_error = None
            return self._store

    def read(self, query: str, /, *, timeout_s: float | None = None, **params: Any) -> list[Row]:
        """``GraphStore.read`` with the API's timeout, noting outages."""
        return self.call(
            lambda store: store.read(query, timeout_s=timeout_s or self.query_timeout_s, **params)
        )

    def call(self, fn: Callable[[GraphStore], T]) -> T:
        """Run ``fn`` with the store; a store we own is dropped when it is unreachable."""
        store = self.get()
        try:
            return fn(store)
        except DatabaseUnavailable:
            self._discard(store)
            raise

    def ping(self) -> None:
        self.call(lambda store: store.ping())

    def reset(self) -> None:
        """Drop a store we opened, so that the next request connects afresh (the
        server was restarted, maybe on another port)."""
        with self._lock:
            store = self._store if self._owned else None
            if store is not None:
                self._store = None
                self._last_error = None
                self._last_attempt = float("-inf")
        if store is not None:
            with contextlib.suppress(Exception):
                store.close()

    def close(self) -> None:
        with self._lock:
            store, self._store = self._store, None
        if store is not None and self._owned:
            with contextlib.suppress(Exception):
                store.close()

    def _discard(self, store: GraphStore) -> None:
        if not self._owned:
            return  # a store handed in (tests) reconnects by itself
        with self._lock:
            if self._store is store:
                self._store = None
        with contextlib.suppress(Exception):
            store.close()
