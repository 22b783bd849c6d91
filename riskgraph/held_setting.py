"""A process-wide setting that callers hold for a while (the garbage collector paused,
torch on one thread), safe across request threads and nesting."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")


class HeldSetting(Generic[T]):
    """``held()`` puts the setting to ``value`` while any caller holds it: the first
    holder saves the value found and sets it, the last restores the saved one. Saving
    and restoring per caller instead would let overlapping callers restore under each
    other, or leave the setting on for good."""

    def __init__(self, read: Callable[[], T], write: Callable[[T], None], value: T) -> None:
        self._read = read
        self._write = write
        self._value = value
        self._lock = threading.Lock()
        self._holders = 0
        self._saved = value  # replaced by the value found when the first holder comes

    @contextmanager
    def held(self) -> Iterator[None]:
        """The setting at its held value for the ``with`` block."""
        with self._lock:
            if self._holders == 0:
                self._saved = self._read()
                self._write(self._value)
            self._holders += 1
        try:
            yield
        finally:
            with self._lock:
                self._holders -= 1
                if self._holders == 0:
                    self._write(self._saved)
