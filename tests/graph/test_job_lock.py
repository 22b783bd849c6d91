"""Job locks: one run at a time of a job that replaces stored results."""

from __future__ import annotations

import threading

import pytest

from riskgraph.errors import JobRunning
from riskgraph.graph.job_lock import job_lock
from riskgraph.graph.store import GraphStore


def test_a_second_run_is_refused_until_the_first_gives_the_lock_back(store: GraphStore) -> None:
    with job_lock(store, "cases_rebuild") as holder:
        with (
            pytest.raises(JobRunning, match="under way") as refused,
            job_lock(store, "cases_rebuild"),
        ):
            pass
        assert holder in str(refused.value)
        with job_lock(store, "clusters_build"):  # another job's lock is its own
            pass
    with job_lock(store, "cases_rebuild") as again:
        assert again != holder


def test_a_lock_left_by_a_crashed_run_expires(store: GraphStore) -> None:
    crashed = job_lock(store, "cases_rebuild", expiry_s=-1.0)
    crashed.__enter__()  # never given back
    with (
        job_lock(store, "cases_rebuild"),
        pytest.raises(JobRunning),
        job_lock(store, "cases_rebuild"),
    ):
        pass  # taken over from the crashed run, then held


def test_runs_starting_at_the_same_moment_get_one_lock(store: GraphStore) -> None:
    start, attempted = threading.Barrier(4), threading.Barrier(4)
    outcomes: list[str] = []

    def run() -> None:
        start.wait()
        try:
            with job_lock(store, "cases_rebuild"):
                outcomes.append("ran")
                attempted.wait()  # hold it until every run has tried
                return
        except JobRunning:
            outcomes.append("refused")
        attempted.wait()

    for _ in range(3):
        outcomes.clear()
        threads = [threading.Thread(target=run) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["ran", "refused", "refused", "refused"]
