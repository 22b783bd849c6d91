"""An in-memory cache of model explanations, per model version and enterprise.

An explanation reads the firm's neighbourhood and runs the model on it; the model
stack (torch, LightGBM) and the model are loaded once, by :func:`warm` in the
background when the server starts, so the first explanation does not wait for
them. Answers are kept (least recently used first out) under
``(version folder, version, key, top_k)``. A newly trained version gets new
entries; the cache is per process and empty after a restart. One explanation
is computed at a time, so a burst of requests cannot pile up model copies.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

DEFAULT_ENTRIES = 512
log = logging.getLogger("riskgraph.api")


def warm(models_dir: Path) -> threading.Thread:
    """Import the explanation code and load the newest model version under
    ``models_dir`` on a background thread (nothing happens without a model)."""

    def run() -> None:
        try:
            from riskgraph.gnn.explain import preload

            preload(models_dir)
        except Exception as exc:  # a missing or broken model shows on the first request
            log.info("explanations not warmed", extra={"reason": str(exc)})

    thread = threading.Thread(target=run, name="warm-explanations", daemon=True)
    thread.start()
    return thread


class ExplanationCache:
    """A bounded LRU map with single-flight computation."""

    def __init__(self, max_entries: int = DEFAULT_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._compute = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(
        self, key: Hashable, compute: Callable[[], dict[str, Any]]
    ) -> tuple[dict[str, Any], bool]:
        """The cached value for ``key`` (a deep copy) and whether it came from the cache."""
        found = self._get(key)
        if found is not None:
            return found, True
        with self._compute:
            found = self._get(key)
            if found is not None:
                return found, True
            value = compute()
            with self._lock:
                self.misses += 1
                self._entries[key] = value
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return copy.deepcopy(value), False

    def _get(self, key: Hashable) -> dict[str, Any] | None:
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return copy.deepcopy(value)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
