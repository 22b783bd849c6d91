"""The loader: stream an input folder into the graph, quarantining what is invalid.

For each kind, in dependency order, rows are read in chunks of ``batch_size``
input rows. Each row is counted as exactly one of *loaded*, *quarantined* or
*duplicate* (an exact copy of an earlier row of the same file), so
``input_rows = loaded + quarantined + duplicates`` holds per file.

Every write is an ``UNWIND $rows … MERGE`` (idempotent), one transaction per
query and chunk. A first load into an empty graph uses each query's ``_fresh``
variant where one exists: ``CREATE`` instead of ``MERGE``, which skips looking
for nodes and relationships that cannot exist yet and roughly halves the
server's work. That is safe because keys are unique within a run (repeats are
quarantined as ``duplicate_key``) and a run that finds anything in the graph,
a resumed one included, uses the ``MERGE`` queries.

After a chunk is written its index is recorded in an ingest ledger in the
graph (``IngestRun``/``IngestFile``). A run's id is derived from the input
files' checksums, so re-running the same command after a crash finds the
ledger, re-validates from the start (cheap, and it rebuilds the quarantine file
and counts exactly) and skips writing the chunks already committed. A chunk
written but not yet recorded is written again, which MERGE makes harmless: the
final graph equals that of an uninterrupted run.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from riskgraph import cypher
from riskgraph.errors import InputError
from riskgraph.graph import screen_counters, search_index
from riskgraph.graph.store import GraphStore, PreparedWrite, Row
from riskgraph.ingest.privacy import mask_id_shapes
from riskgraph.ingest.sources import (
    UNREADABLE,
    RawRow,
    checksum,
    find_files,
    iter_rows,
    read_header,
)
from riskgraph.memory import gc_paused

Progress = Callable[[str, int], None]
"""Called with (kind, rows just processed) as a file is read."""


@dataclass(frozen=True)
class Reference:
    """A record field that must name an existing node of ``target``."""

    field: str
    target: str  # "enterprise" | "person"
    column: str  # the input column named in the reason code


@dataclass(frozen=True)
class Checked:
    """A validated row: its graph writes, or the reasons it was refused."""

    writes: tuple[tuple[str, Row], ...] = ()
    reasons: tuple[str, ...] = ()
    key: str | None = None
    references: tuple[tuple[Reference, str], ...] = ()
    aggregate: tuple[str, float] | None = None


class InputFormat(Protocol):
    """How one kind of input folder maps onto the graph."""

    name: str
    kinds: tuple[str, ...]

    def missing_columns(self, kind: str, header: list[str]) -> list[str]: ...

    def check(self, kind: str, raw: RawRow) -> Checked: ...

    def registers(self, kind: str) -> str | None:
        """The target ("enterprise"/"person") whose key set a loaded row of ``kind`` joins."""
        ...

    def aggregate_limit(self, kind: str) -> tuple[float, str] | None:
        """For kinds with a per-key sum rule: (limit, reason code)."""
        ...

    def redact(self, raw: RawRow) -> RawRow:
        """The row as the quarantine file may keep it (personal identifiers masked)."""
        ...


@dataclass
class FileCounts:
    """Row counts of one input file."""

    input_rows: int = 0
    loaded: int = 0
    quarantined: int = 0
    duplicates: int = 0

    def add(self, other: FileCounts) -> None:
        self.input_rows += other.input_rows
        self.loaded += other.loaded
        self.quarantined += other.quarantined
        self.duplicates += other.duplicates


@dataclass
class IngestReport:
    """What a run did, per input file, with the quarantine and report paths."""

    run_id: str
    format: str
    folder: str
    files: dict[str, FileCounts] = field(default_factory=dict)
    quarantine: str = ""
    report: str = ""
    resumed: bool = False
    first_load: bool = False
    skipped_batches: int = 0
    seconds: float = 0.0

    @property
    def total(self) -> FileCounts:
        total = FileCounts()
        for counts in self.files.values():
            total.add(counts)
        return total

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "format": self.format,
            "folder": self.folder,
            "files": {kind: asdict(counts) for kind, counts in self.files.items()},
            "total": asdict(self.total),
            "quarantine": self.quarantine,
            "report": self.report,
            "resumed": self.resumed,
            "first_load": self.first_load,
            "skipped_batches": self.skipped_batches,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class _Screen:
    """What one file's rows are checked against besides their own cells: repeats of a
    row or of a key, and the file's per-key aggregate limit (e.g. shares above 100 %)."""

    sums: dict[Any, float]
    limit: tuple[float, str] | None
    seen_rows: set[int] = field(default_factory=set)
    seen_keys: set[int] = field(default_factory=set)

    def is_duplicate(self, raw: RawRow) -> bool:
        """True for a row seen before, byte for byte (it is counted, not loaded again)."""
        digest = _digest(raw)
        if digest in self.seen_rows:
            return True
        self.seen_rows.add(digest)
        return False

    def reasons(self, checked: Checked) -> list[str]:
        """The row's own reasons, then a repeated key, then a broken aggregate limit."""
        reasons = list(checked.reasons)
        if not reasons and checked.key is not None:
            key_digest = hash(checked.key)
            if key_digest in self.seen_keys:
                reasons.append("duplicate_key")
            self.seen_keys.add(key_digest)
        if not reasons and self.limit and checked.aggregate:
            bound, code = self.limit
            if self.sums.get(checked.aggregate[0], 0.0) > bound:
                reasons.append(code)
        return reasons


class Loader:
    """Loads one input folder of one format into one GraphStore."""

    def __init__(
        self,
        store: GraphStore,
        input_format: InputFormat,
        *,
        runs_dir: Path,
        batch_size: int = 5000,
        progress: Progress | None = None,
        first_load: bool | None = None,
    ) -> None:
        """``first_load`` forces (True) or forbids (False) the ``CREATE`` variants;
        by default they are used when the run starts on a graph with no data."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.store = store
        self.format = input_format
        self.runs_dir = runs_dir
        self.batch_size = batch_size
        self.progress = progress
        self.first_load = first_load
        self._fresh = False
        self._known: dict[str, set[str]] = {"enterprise": set(), "person": set()}
        self._writer: ThreadPoolExecutor | None = None
        self._pending: Future[None] | None = None

    def _q(self, name: str) -> str:
        return cypher.text(name, self.store.dialect)

    def run(self, folder: Path) -> IngestReport:
        """Load ``folder``; resume an interrupted run of the same files."""
        with gc_paused(), self.store.bulk_load():
            return self._run(folder)

    def _run(self, folder: Path) -> IngestReport:
        started = time.monotonic()
        files = find_files(folder, self.format.kinds)
        if not files:
            raise InputError(
                f"{folder} holds none of the expected files "
                f"({', '.join(k + '.csv' for k in self.format.kinds)})"
            )
        for kind, path in files.items():
            missing = self.format.missing_columns(kind, read_header(path))
            if missing:
                raise InputError(f"{path.name} lacks required columns: {', '.join(missing)}")
        checksums = {kind: checksum(path) for kind, path in files.items()}
        run_id = _run_id(self.format.name, checksums, self.batch_size)
        committed, resumed = self._open_run(run_id, folder)
        self._fresh = self._first_load(resumed)
        screen_counters.mark_stale(self.store)

        run_dir = self.runs_dir / run_id
        run_dir.mkdir(parents=True, exist_ok=True)
        report = IngestReport(
            run_id=run_id,
            format=self.format.name,
            folder=str(folder),
            quarantine=str(run_dir / "quarantine.csv"),
            report=str(run_dir / "report.json"),
            resumed=resumed,
            first_load=self._fresh,
        )
        with (
            open(report.quarantine, "w", encoding="utf-8", newline="") as handle,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writer") as writer,
        ):
            self._writer = writer
            quarantine = csv.writer(handle)
            quarantine.writerow(["file", "line", "reasons", "row"])
            try:
                for kind, path in files.items():
                    report.files[kind], skipped = self._load_file(
                        kind, path, run_id, checksums[kind], committed.get(kind, 0), quarantine
                    )
                    report.skipped_batches += skipped
                self._flush()
            finally:
                self._pending = None
        # the screens' per-enterprise counters (stale since the run started)
        screen_counters.refresh(self.store)
        search_index.refresh(self.store, run_id=run_id)  # the search grams of what it wrote
        report.seconds = time.monotonic() - started
        totals = json.dumps(asdict(report.total), sort_keys=True)
        self.store.write(
            self._q("ingest_run_finish"), run_id=run_id, finished_at=_now(), totals=totals
        )
        Path(report.report).write_text(
            json.dumps(report.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        return report

    def _open_run(self, run_id: str, folder: Path) -> tuple[dict[str, int], bool]:
        [state] = self.store.write(
            self._q("ingest_run_start"),
            run_id=run_id,
            folder=str(folder.resolve()),
            format=self.format.name,
            batch_size=self.batch_size,
            started_at=_now(),
        )
        if state["status"] == "completed":
            self.store.write(self._q("ingest_run_reset"), run_id=run_id, started_at=_now())
            return {}, False
        committed = {f["kind"]: int(f["committed"] or 0) for f in state["files"] if f.get("kind")}
        return committed, any(committed.values())

    def _first_load(self, resumed: bool) -> bool:
        if self.first_load is not None:
            return self.first_load
        if resumed:
            return False
        [row] = self.store.read(self._q("ingest_graph_has_data"))
        return not row["has_data"]

    def _write_query(self, name: str) -> str:
        """The query text for ``name``: its ``_fresh`` variant on a first load."""
        if self._fresh and f"{name}_fresh" in _FRESH_VARIANTS:
            return self._q(f"{name}_fresh")
        return self._q(name)

    def _load_file(
        self,
        kind: str,
        path: Path,
        run_id: str,
        file_checksum: str,
        committed: int,
        quarantine: Any,
    ) -> tuple[FileCounts, int]:
        counts = FileCounts()
        screen = _Screen(self._aggregate(kind, path), self.format.aggregate_limit(kind))
        registers = self.format.registers(kind)
        skipped = 0
        for index, chunk in enumerate(_chunks(iter_rows(path), self.batch_size)):
            accepted: list[tuple[int, RawRow, Checked]] = []
            for line, raw in chunk:
                counts.input_rows += 1
                if screen.is_duplicate(raw):
                    counts.duplicates += 1
                    continue
                checked = self._check(kind, raw)
                reasons = screen.reasons(checked)
                if reasons:
                    _quarantine(quarantine, path, line, reasons, self.format.redact(raw))
                    counts.quarantined += 1
                else:
                    accepted.append((line, raw, checked))
            accepted = self._resolve_references(accepted, path, quarantine, counts)
            writes: dict[str, list[Row]] = {}
            for _, _, checked in accepted:
                for query, row in checked.writes:
                    writes.setdefault(query, []).append(row)
                if registers and checked.key is not None:
                    self._known[registers].add(checked.key)
            counts.loaded += len(accepted)
            if index < committed:
                skipped += 1
            else:
                # Encoded here, so that the server works on the previous chunk meanwhile.
                prepared = [
                    self.store.prepare_write(self._write_query(query), rows=rows, run_id=run_id)
                    for query, rows in writes.items()
                ]
                self._submit(self._write_chunk, prepared, run_id, kind, file_checksum, index + 1)
            if self.progress is not None:
                self.progress(kind, len(chunk))
        return counts, skipped

    def _write_chunk(
        self, writes: list[PreparedWrite], run_id: str, kind: str, file_checksum: str, done: int
    ) -> None:
        for prepared in writes:
            self.store.run_prepared(prepared)
        self.store.write(
            self._q("ingest_run_progress"),
            run_id=run_id,
            kind=kind,
            checksum=file_checksum,
            committed=done,
        )

    def _submit(self, fn: Callable[..., None], *args: Any) -> None:
        """Write on the writer thread while the next chunk is validated.

        At most one chunk is in flight and chunks are written in order, so a
        chunk never runs ahead of the rows it references.
        """
        self._flush()
        assert self._writer is not None, "writes happen inside run()"
        self._pending = self._writer.submit(fn, *args)

    def _flush(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()  # re-raises the write's error here

    def _check(self, kind: str, raw: RawRow) -> Checked:
        """The format's verdict on a row the reader could read whole."""
        unreadable = raw.get(UNREADABLE)
        return Checked(reasons=(unreadable,)) if unreadable else self.format.check(kind, raw)

    def _aggregate(self, kind: str, path: Path) -> dict[str, float]:
        """Per-key sums over the file's valid rows, for rules like ratio sums."""
        if self.format.aggregate_limit(kind) is None:
            return {}
        sums: dict[str, float] = {}
        seen: set[int] = set()
        for _, raw in iter_rows(path):
            digest = _digest(raw)
            if digest in seen:
                continue
            seen.add(digest)
            checked = self._check(kind, raw)
            if not checked.reasons and checked.aggregate is not None:
                key, value = checked.aggregate
                sums[key] = sums.get(key, 0.0) + value
        return sums

    def _resolve_references(
        self,
        accepted: list[tuple[int, RawRow, Checked]],
        path: Path,
        quarantine: Any,
        counts: FileCounts,
    ) -> list[tuple[int, RawRow, Checked]]:
        unknown: dict[str, set[str]] = {"enterprise": set(), "person": set()}
        for _, _, checked in accepted:
            for ref, value in checked.references:
                if value not in self._known[ref.target]:
                    unknown[ref.target].add(value)
        for target, keys in unknown.items():
            if keys:
                found = self.store.read(self._q(f"lookup_{target}s"), keys=sorted(keys))
                self._known[target].update(row["key"] for row in found)
        kept = []
        for line, raw, checked in accepted:
            missing = [
                f"unknown_reference:{ref.column}"
                for ref, value in checked.references
                if value not in self._known[ref.target]
            ]
            if missing:
                _quarantine(quarantine, path, line, missing, self.format.redact(raw))
                counts.quarantined += 1
            else:
                kept.append((line, raw, checked))
        return kept


_FRESH_VARIANTS = frozenset(name for name in cypher.names() if name.endswith("_fresh"))


def _chunks(rows: Iterator[tuple[int, RawRow]], size: int) -> Iterator[list[tuple[int, RawRow]]]:
    chunk: list[tuple[int, RawRow]] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _digest(raw: RawRow) -> int:
    # Compared only within one run of one process, so Python's (salted) hash is
    # enough; 64-bit collisions over a few million rows are negligible.
    return hash(tuple(raw.items()))


def _quarantine(writer: Any, path: Path, line: int, reasons: list[str], raw: RawRow) -> None:
    kept = {
        column: mask_id_shapes(value) if value else value
        for column, value in raw.items()
        if column != UNREADABLE
    }
    writer.writerow([path.name, line, ";".join(reasons), json.dumps(kept, ensure_ascii=False)])


def _run_id(format_name: str, checksums: dict[str, str], batch_size: int) -> str:
    material = json.dumps([format_name, sorted(checksums.items()), batch_size])
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
