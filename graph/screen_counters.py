"""Per-enterprise counters for the screening tool, and whether they can be trusted.

Screens that count neighbours (firms at the same address, the legal representative's
other firms, shareholders, branches …) would otherwise count them for every enterprise
left after the property conditions. These counts take no window and depend only on the
registry's structure, so :func:`refresh` writes them onto the enterprises as ``sc_*``
properties (``riskgraph.graph.screen_query.COUNTERS``: the very fragments the live
fields count with, so both give the same numbers), page by page, and records the
refresh on a ``ScreenCounters`` node.

A screen reads the counters only while they are **fresh**: the node says ``fresh`` and
the graph still has the counts it had at the refresh (enterprises and the
``REGISTERED_AT``, ``LEGAL_REP_OF``, ``INVESTS_IN``, ``BRANCH_OF`` relationships; both
engines keep these counts, so the check is cheap). Otherwise the screen counts live, as
before: slower, never wrong. The loader marks the counters stale when a run starts
(a reload can move a firm to another address without changing any count) and refreshes
them when it ends; any other writer of those relationships must call
:func:`mark_stale` or :func:`refresh`.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from riskgraph.graph.schema import NODE_KEYS
from riskgraph.graph.screen_query import (
    HUB_COUNTERS,
    REFRESH_COUNTERS,
    Context,
    Leaf,
    Params,
    degree,
)
from riskgraph.graph.store import GraphStore

PAGE_SIZE = 5000
FINGERPRINT_PARTS = ("enterprises", "registered_at", "legal_rep_of", "invests_in", "branch_of")
FRESH = "fresh"
STALE = "stale"


@dataclass(frozen=True)
class CounterState:
    """The counters' state: ``fresh`` only when refreshed and the graph's structural
    counts have not changed since."""

    state: str
    fresh: bool
    refreshed_at: str | None = None
    seconds: float | None = None
    enterprises: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The state as plain values (the CLI's and the bench's output)."""
        return {
            "state": self.state,
            "fresh": self.fresh,
            "refreshed_at": self.refreshed_at,
            "seconds": self.seconds,
            "enterprises": self.enterprises,
        }


def fingerprint(store: GraphStore) -> str:
    """The structural counts the counters depend on, as canonical JSON."""
    # one query per count: both engines answer a lone count from their statistics,
    # while a UNION of the counts is a scan on FalkorDB (0.2 s at 20k firms)
    counts = {
        part: int(store.read_values(store.query_text(f"screen_counters_count_{part}"))[0]["n"])
        for part in FINGERPRINT_PARTS
    }
    return json.dumps(counts, sort_keys=True, separators=(",", ":"))


def counter_state(store: GraphStore) -> CounterState:
    """Whether the counters may be read now (see the module's docstring)."""
    rows = store.read_values(store.query_text("screen_counters_state"))
    if not rows:
        return CounterState("missing", False)
    row = rows[0]
    state = str(row["state"])
    fresh = state == FRESH and row["fingerprint"] == fingerprint(store)
    return CounterState(
        state if fresh or state != FRESH else STALE,
        fresh,
        row["refreshed_at"],
        row["seconds"],
        row["enterprises"],
    )


def mark_stale(store: GraphStore) -> None:
    """Stop screens from reading the counters until the next refresh."""
    store.write(
        store.query_text("screen_counters_mark"),
        state=STALE,
        refreshed_at=None,
        seconds=None,
        enterprises=None,
        fingerprint=None,
    )


def refresh(store: GraphStore, *, page_size: int = PAGE_SIZE) -> CounterState:
    """Recount every enterprise's counters and mark them fresh; the new state with the
    time the refresh took."""
    started = time.monotonic()
    mark_stale(store)
    before = fingerprint(store)
    for label in HUB_COUNTERS:
        _pages(store, label, hub_query(label, store.dialect), page_size)
    written = _pages(store, "Enterprise", update_query(store.dialect), page_size)
    seconds = round(time.monotonic() - started, 3)
    refreshed_at = datetime.now(UTC).isoformat(timespec="seconds")
    # A writer that changed the structure while we counted leaves the counters stale.
    state = FRESH if fingerprint(store) == before else STALE
    store.write(
        store.query_text("screen_counters_mark"),
        state=state,
        refreshed_at=refreshed_at,
        seconds=seconds,
        enterprises=written,
        fingerprint=before,
    )
    return CounterState(state, state == FRESH, refreshed_at, seconds, written)


def _page(label: str, var: str, dialect: str) -> tuple[str, str]:
    """The head and tail of a write over one page of ``label``: FalkorDB by internal-id
    window (``$after``, ``$until``: a seek), Neo4j by key page (``$after``, ``$limit``,
    from the key index); both return ``written`` and the page's last ``cursor``."""
    if dialect == "falkordb":
        head = f"MATCH ({var}:{label})\nWHERE id({var}) > $after AND id({var}) <= $until"
        return head, f"RETURN count({var}) AS written, max(id({var})) AS cursor"
    key = f"{var}.{NODE_KEYS[label]}"
    head = f"MATCH ({var}:{label})\nWHERE {key} > $after\nWITH {var}\nORDER BY {key}\nLIMIT $limit"
    return head, f"RETURN count({var}) AS written, max({key}) AS cursor"


def hub_query(label: str, dialect: str) -> str:
    """The write that stores one page of hubs' degrees (:data:`HUB_COUNTERS`)."""
    name, rel, direction = HUB_COUNTERS[label]
    head, tail = _page(label, "n", dialect)
    count = degree("n", rel, direction, dialect)
    if dialect == "falkordb" and direction == "out":
        # FalkorDB's outdegree costs ~1 ms a node (0.05 s per 5000 persons this way)
        count = f"size([(n)-[:{rel}]->(:Enterprise) | 1])"
    return f"{head}\nWITH n, {count} AS c\nSET n.{name} = c\n{tail}"


def update_query(dialect: str) -> str:
    """The write that recounts one page of enterprises (after the hubs' degrees)."""
    params = Params()
    leaf = Leaf("counters", "eq", None)
    # computed in a WITH, then set: FalkorDB resolves pattern comprehensions in
    # projections, not inside SET
    counts = ",\n     ".join(
        f"{derived(Context(f'c{i}', params, leaf, date.today(), dialect))} AS c{i}"
        for i, derived in enumerate(REFRESH_COUNTERS.values())
    )
    if params.values:
        raise AssertionError("counter fragments take no parameters")
    sets = ", ".join(f"e.{name} = c{i}" for i, name in enumerate(REFRESH_COUNTERS))
    head, tail = _page("Enterprise", "e", dialect)
    return f"{head}\nWITH e,\n     {counts}\nSET {sets}\n{tail}"


def _pages(store: GraphStore, label: str, query: str, page_size: int) -> int:
    if store.dialect == "falkordb":
        return _by_id_windows(store, label, query, page_size)
    return _by_key_pages(store, query, page_size)


def _by_id_windows(store: GraphStore, label: str, query: str, page_size: int) -> int:
    [bounds] = store.read_values(
        f"MATCH (n:{label}) RETURN min(id(n)) AS low, max(id(n)) AS high, count(n) AS n"
    )
    if not bounds["n"]:
        return 0
    low, high = int(bounds["low"]), int(bounds["high"])
    # ids are shared with other labels: a window spans the ids of about page_size nodes
    span = max(page_size, page_size * (high - low + 1) // int(bounds["n"]))
    written, after = 0, low - 1
    while after < high:
        until = min(after + span, high)
        [row] = store.write(query, after=after, until=until)
        written += int(row["written"])
        after = until
    return written


def _by_key_pages(store: GraphStore, query: str, page_size: int) -> int:
    written, after = 0, ""
    while True:
        [row] = store.write(query, after=after, limit=page_size)
        written += int(row["written"])
        if int(row["written"]) < page_size:
            return written
        after = str(row["cursor"])
