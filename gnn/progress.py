"""Progress messages of long model runs (training, scoring): a callable that takes a line."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str], None]


def quiet(message: str) -> None:
    """The default progress sink: says nothing."""
