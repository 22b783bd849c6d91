"""torch's thread pool for small graphs.

``few_threads`` runs a small computation on one thread: torch's pool costs more than it
saves there, and waits for every busy core (a 60-firm explanation took 9–31 s on two
loaded cores, 1 s on one thread). The pool size is process-wide, so overlapping calls
(the API explains and re-scores from several request threads) share one count: the
first sets one thread, the last restores the size found before the first.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import torch

SMALL_GRAPH = 200_000  # nodes; above this the pool pays for itself


class _OneThread:
    """How many callers want one thread now, and the size to restore after the last."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.holders = 0
        self.before = 0

    def enter(self) -> None:
        with self.lock:
            if self.holders == 0:
                self.before = torch.get_num_threads()
                torch.set_num_threads(1)
            self.holders += 1

    def leave(self) -> None:
        with self.lock:
            self.holders -= 1
            if self.holders == 0:
                torch.set_num_threads(self.before)


_ONE_THREAD = _OneThread()


@contextmanager
def few_threads(nodes: int) -> Iterator[None]:
    """torch on one thread while a graph of ``nodes`` nodes is small (see the module)."""
    if nodes > SMALL_GRAPH:
        yield
        return
    _ONE_THREAD.enter()
    try:
        yield
    finally:
        _ONE_THREAD.leave()
