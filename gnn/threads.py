"""torch's thread pool for small graphs.

``few_threads`` runs a small computation on one thread: torch's pool costs more than it
saves there, and waits for every busy core (docs/explanations.md has the figures). The
pool size is process-wide, so overlapping calls (the API explains and re-scores from
several request threads) hold one shared setting: the last to finish restores it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch

from riskgraph.held_setting import HeldSetting

SMALL_GRAPH = 200_000  # nodes; above this the pool pays for itself


_ONE_THREAD = HeldSetting(torch.get_num_threads, torch.set_num_threads, 1)


@contextmanager
def few_threads(nodes: int) -> Iterator[None]:
    """torch on one thread while a graph of ``nodes`` nodes is small (see the module)."""
    if nodes > SMALL_GRAPH:
        yield
        return
    with _ONE_THREAD.held():
        yield
