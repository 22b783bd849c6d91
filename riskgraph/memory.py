"""Process memory management shared by the bulk paths (loads, exports, snapshots)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from riskgraph.held_setting import HeldSetting


def _collect(on: bool) -> None:
    if on:
        gc.enable()
    else:
        gc.disable()


_PAUSE = HeldSetting(gc.isenabled, _collect, False)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bulk job builds large structures.

    Loads, model exports and cluster snapshots keep millions of keys, rows and
    edges alive, and every full collection walks them all: with collection on, a
    100k-enterprise load spent over a third of its time collecting, and the
    share grows with the graph. These jobs make next to no reference cycles, so
    nothing piles up meanwhile. Nesting and overlapping request threads are safe:
    the last to finish restores.
    """
    with _PAUSE.held():
        yield
