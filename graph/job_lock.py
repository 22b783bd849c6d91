"""One run at a time of a job that replaces stored results (a case or cluster rebuild).

Two overlapping rebuilds would each prune what the other wrote: the second's prune
deletes every case the first wrote and the first's every case the second wrote. A job
holds a ``JobLock`` node named after it while it runs; a second run is refused with
:class:`~riskgraph.errors.JobRunning`. A lock left by a crashed run expires.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from riskgraph.errors import JobRunning
from riskgraph.graph.schema import apply_ddl
from riskgraph.graph.store import GraphStore

EXPIRY_S = 6 * 3600.0
"""A lock older than this is taken over (its run has crashed or hangs)."""


@contextmanager
def job_lock(store: GraphStore, name: str, *, expiry_s: float = EXPIRY_S) -> Iterator[str]:
    """Hold the lock of job ``name`` for the block (yields the holder's id); JobRunning
    when another run holds it."""
    apply_ddl(store, "job_lock_schema")
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    now = time.time()
    taken = store.write(
        store.query_text("job_lock_take"),
        name=name,
        holder=holder,
        now=now,
        until=now + expiry_s,
    )
    if not taken:
        raise JobRunning(_refusal(store, name))
    try:
        yield holder
    finally:
        store.write(store.query_text("job_lock_release"), name=name, holder=holder)


def _refusal(store: GraphStore, name: str) -> str:
    rows = store.read(store.query_text("job_lock_holder"), name=name)
    if not rows or not rows[0]["holder"]:
        return f"another {name} run has just finished; try again"
    row = rows[0]
    since = datetime.fromtimestamp(float(row["taken_at"]), UTC).isoformat(timespec="seconds")
    until = datetime.fromtimestamp(float(row["expires_at"]), UTC).isoformat(timespec="seconds")
    return (
        f"another {name} run is under way ({row['holder']}, since {since}); "
        f"wait for it to finish (a lock left by a crashed run expires at {until})"
    )
