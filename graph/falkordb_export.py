"""The risk model export on FalkorDB: internal-id windows and packed id pairs.

The key-paged reader (:func:`riskgraph.graph.risk_export.read_by_key_pages`)
asks, for each page of enterprise keys, which nodes link to them, and gets
every link back as a row of key strings: on a large graph, tens of millions of
reply values. Here (:meth:`FalkorDBStore.read_export
<riskgraph.graph.falkordb_store.FalkorDBStore.read_export>`):

- enterprises are read in internal-id windows, their attributes and their
  violations column by column (each column's non-null values and where they
  go), decoded by :meth:`GraphStore.read_values`;
- each window's links come back as one string per relationship type the
  graph has, ``"source target source target …"`` in internal ids
  (``string.join``, a FalkorDB function), parsed by numpy in one call;
- persons' and addresses' keys are read once, also in id windows, and ids
  are mapped to rows with lookup arrays at the end.

Queries run one at a time on one connection (FalkorDB has crashed under
concurrent reads on several connections: FalkorDB issue #1240) from a
background thread, so the server answers the next query while this thread
folds the previous answer in. The result equals the key-paged reader's.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from riskgraph.graph.risk_export import (
    ENTERPRISE_FIELDS,
    IN_TYPES,
    NODE_TYPES,
    OUT_TYPES,
    TARGET,
    VIOLATION_FIELDS,
    Columns,
    EdgeType,
    ExportError,
    RawExport,
    key_order,
)
from riskgraph.graph.store import GraphStore, Row

T = TypeVar("T")

#: Ids per window when reading persons' and addresses' keys.
KEY_WINDOW = 200_000
#: Enterprise windows are this many times the page size: a window's queries
#: return a handful of strings, so larger windows cost little memory.
WINDOW_PAGES = 4

WINDOW_QUERIES = (
    "node_ranges",
    "person_keys",
    "address_keys",
    "link_types",
    "enterprises",
    "links",
    "roles",
    "violations",
)
_KIND = {node_type: code for code, node_type in enumerate(NODE_TYPES)}


def read_by_id_windows(store: GraphStore, page_size: int) -> RawExport:
    """Read every enterprise, its links, roles and violations, window by window."""
    collector = _IdCollector()
    for kind, payload in _prefetched(_answers(store, page_size * WINDOW_PAGES)):
        collector.add(kind, payload)
    return collector.finish()


def _answers(store: GraphStore, page_size: int) -> Iterator[tuple[str, Any]]:
    """Every query's answer in order, each tagged with what it holds; links of
    :data:`IN_TYPES` and :data:`OUT_TYPES` only, and of those only the types the
    graph has."""
    text = {name: store.query_text(f"gnn_window_{name}") for name in WINDOW_QUERIES}
    link_types = {*IN_TYPES, *OUT_TYPES}
    present = sorted(
        row["type"] for row in store.read_values(text["link_types"]) if row["type"] in link_types
    )
    [ranges] = store.read_values(text["node_ranges"])
    for node_type, count in (("person", "persons"), ("address", "addresses")):
        low, high = ranges[f"{node_type}_low"], ranges[f"{node_type}_high"]
        if not ranges[count] or low is None or high is None:
            continue
        for after in range(int(low) - 1, int(high), KEY_WINDOW):
            until = min(after + KEY_WINDOW, int(high))
            for row in store.read_values(text[f"{node_type}_keys"], after=after, until=until):
                yield node_type, row
    for window in _enterprise_windows(store, page_size):
        [columns] = store.read_values(text["enterprises"], **window)
        yield "enterprises", columns
        if present:
            yield "links", store.read_values(text["links"], types=present, **window)
        yield "roles", store.read_values(text["roles"], **window)
        [violations] = store.read_values(text["violations"], **window)
        yield "violations", violations


def _enterprise_windows(store: GraphStore, page_size: int) -> Iterator[dict[str, int]]:
    """``{"after", "until"}`` id windows over every enterprise, ~``page_size`` each on average."""
    [bounds] = store.read_values(store.query_text("enterprise_id_range"))
    if not bounds["enterprises"]:
        return
    low, high = int(bounds["low"]), int(bounds["high"])
    span = max(1, page_size * (high - low + 1) // int(bounds["enterprises"]))
    for after in range(low - 1, high, span):
        yield {"after": after, "until": min(after + span, high)}


@dataclass
class _IdCollector:
    """Folds answers keyed by internal ids; :meth:`finish` maps them to positions."""

    node_ids: dict[str, list[np.ndarray]] = field(
        default_factory=lambda: {t: [] for t in NODE_TYPES}
    )
    node_keys: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in NODE_TYPES})
    columns: Columns = field(default_factory=lambda: {f: [] for f in ("key", *ENTERPRISE_FIELDS)})
    key_orders: dict[str, np.ndarray] | None = None
    links: dict[str, list[np.ndarray]] = field(default_factory=dict)
    role_ids: list[np.ndarray] = field(default_factory=list)
    role_names: list[str] = field(default_factory=list)
    violations: list[Columns] = field(default_factory=list)

    def add(self, kind: str, payload: Any) -> None:
        if kind in ("person", "address"):
            ids = _packed(payload["ids"])
            keys = [str(key) for key in payload["keys"] or ()]
            if len(ids) != len(keys):
                raise ExportError(f"{kind} ids and keys disagree ({len(ids)} vs {len(keys)})")
            self.node_ids[kind].append(ids)
            self.node_keys[kind] += keys
        elif kind == "enterprises":
            self._add_enterprises(payload)
        elif kind == "links":
            for row in payload:
                if row["type"] in IN_TYPES or row["type"] in OUT_TYPES:
                    self.links.setdefault(row["type"], []).append(_packed(row["pairs"]))
        elif kind == "roles":
            for row in payload:
                ids = _packed(row["enterprises"])
                self.role_ids.append(ids)
                self.role_names += [str(row["role"])] * len(ids)
        elif kind == "violations":
            if size := int(payload["violations"]):
                names = ["key", *VIOLATION_FIELDS]
                self.violations.append({name: _column(payload, name, size) for name in names})
        else:  # pragma: no cover - _answers only yields the kinds above
            raise ValueError(kind)

    def _add_enterprises(self, window: Row) -> None:
        if self.key_orders is None:
            # every person and address key is in (they are read first): sort them
            # now, while the enterprise windows are still being read
            self.key_orders = {
                t: key_order(np.asarray(self.node_keys[t], dtype=object))
                for t in NODE_TYPES
                if t != TARGET
            }
        ids = _packed(window["ids"])
        self.node_ids[TARGET].append(ids)
        for name, values in self.columns.items():
            values += _column(window, name, len(ids))

    def finish(self) -> RawExport:
        ids = {t: _concat(parts) for t, parts in self.node_ids.items()}
        size = 1 + max((int(a.max()) for a in ids.values() if len(a)), default=-1)
        kind = np.full(size, -1, dtype=np.int8)
        position = np.full(size, -1, dtype=np.int64)
        for node_type, node_ids in ids.items():
            kind[node_ids] = _KIND[node_type]
            position[node_ids] = np.arange(len(node_ids))

        def lookup(engine_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            inside = (engine_ids >= 0) & (engine_ids < size)
            clipped = np.where(inside, engine_ids, 0)
            return np.where(inside, kind[clipped], -1), np.where(inside, position[clipped], -1)

        edges: dict[EdgeType, list[np.ndarray]] = {}
        for rel, parts in sorted(self.links.items()):
            pairs = _concat(parts).reshape(-1, 2)
            src_kind, src = lookup(pairs[:, 0])
            dst_kind, dst = lookup(pairs[:, 1])
            if rel in IN_TYPES:
                ends = [(src_type, TARGET) for src_type in NODE_TYPES]
            else:
                ends = [(TARGET, dst_type) for dst_type in NODE_TYPES if dst_type != TARGET]
            for src_type, dst_type in ends:
                chosen = (src_kind == _KIND[src_type]) & (dst_kind == _KIND[dst_type])
                if chosen.any():
                    edges.setdefault((src_type, rel, dst_type), []).append(
                        np.stack([src[chosen], dst[chosen]])
                    )
        self.links.clear()

        role_kind, role_rows = lookup(_concat(self.role_ids))
        enterprise_role = role_kind == _KIND[TARGET]
        return RawExport(
            columns=self.columns,
            record_ids=np.arange(len(ids[TARGET]), dtype=np.int64),
            enterprise_ids=len(ids[TARGET]),
            found={t: self.node_keys[t] for t in NODE_TYPES if t != TARGET},
            edges=edges,
            role_ids=role_rows[enterprise_role],
            role_names=np.asarray(self.role_names, dtype=object)[enterprise_role].tolist(),
            violations=self.violations,
            node_ids=ids[TARGET],
            found_order=self.key_orders,
        )


def _column(window: Row, name: str, size: int) -> list[Any]:
    """A window's column of ``size`` rows: its non-null values put back where
    ``<name>_present`` says."""
    values = list(window[name] or ())
    present = str(window[f"{name}_present"] or "")
    if len(present) != size or present.count("1") != len(values):
        raise ExportError(f"export column {name!r} does not line up with its rows")
    if len(values) == size:
        return values
    column = np.full(size, None, dtype=object)
    column[np.frombuffer(present.encode("ascii"), dtype=np.uint8) == ord("1")] = values
    return column.tolist()


def _packed(text: Any) -> np.ndarray:
    """``"1 2 3"`` → ``int64`` array (empty for an empty or missing string)."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    values = np.fromstring(str(text), dtype=np.int64, sep=" ")  # text mode: not deprecated
    if len(values) != str(text).count(" ") + 1:
        raise ExportError("a packed id list did not parse")
    return values


def _concat(parts: Iterable[np.ndarray]) -> np.ndarray:
    arrays = list(parts)
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)


def _prefetched(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Iterate ``items`` on a background thread, up to ``depth`` ahead of the consumer."""
    buffer: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                buffer.put((True, item))
            buffer.put((False, None))
        except BaseException as exc:  # handed to the consumer, raised there
            buffer.put((False, exc))

    worker = threading.Thread(target=produce, name="export-reads", daemon=True)
    worker.start()
    try:
        while True:
            more, item = buffer.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
        _drain(buffer, worker.is_alive)
        worker.join()


def _drain(buffer: queue.Queue[Any], alive: Callable[[], bool]) -> None:
    """Empty ``buffer`` so a producer blocked on a full queue can see the stop flag."""
    while alive():
        with contextlib.suppress(queue.Empty):
            buffer.get(timeout=0.05)
