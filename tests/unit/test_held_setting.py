"""Process-wide settings held by overlapping callers (riskgraph.held_setting)."""

from __future__ import annotations

import gc
import threading

from riskgraph.held_setting import HeldSetting
from riskgraph.memory import gc_paused


def test_overlapping_pauses_restore_the_collector_after_the_last() -> None:
    """Two request threads export neighbourhoods at once: the first to finish must not
    switch collection back on under the second, nor the second leave it off."""
    assert gc.isenabled()
    first, second = gc_paused(), gc_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second still builds its structures
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_nested_pause_keeps_the_outer_one() -> None:
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_many_threads_holding_at_once_leave_the_setting_as_found() -> None:
    setting = {"value": "found"}
    writes: list[str] = []

    def write(value: str) -> None:
        writes.append(value)
        setting["value"] = value

    held = HeldSetting(lambda: setting["value"], write, "held")
    start = threading.Barrier(8)
    seen: list[str] = []

    def hold() -> None:
        start.wait()
        for _ in range(200):
            with held.held():
                seen.append(setting["value"])

    threads = [threading.Thread(target=hold) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(seen) == {"held"}  # never restored under a holder
    assert setting["value"] == "found"
    assert writes == ["held", "found"] * (len(writes) // 2)  # set by a first, restored by a last
