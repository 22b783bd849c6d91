"""Streaming readers for input folders: one CSV or Parquet file per kind.

Rows are yielded one at a time with their line number (CSV: the physical line
where the row starts, the header being line 1; Parquet: the row's position + 1,
so both read as "line N" in the quarantine file). A file is never held in
memory whole.

A CSV row the reader cannot take as it is (a NUL byte, bytes that are not
UTF-8, a cell over :data:`MAX_FIELD` characters, broken quoting) comes back
with the reason under :data:`UNREADABLE`, so that the loader quarantines that
row and goes on. A file in another encoding is refused before anything loads.
"""

from __future__ import annotations

import csv
import hashlib
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from riskgraph.errors import InputError

RawRow = dict[str, str | None]
SUFFIXES = (".csv", ".parquet")
UNREADABLE = "__unreadable__"
"""Key of a row the reader could not take whole; its value is the reason code."""
WIDTH = "__width__"
"""Key of a row whose field count differs from the header's."""
MAX_RECORD_LINES = 50
"""The most physical lines one quoted record may span before its quote counts as broken."""
MAX_FIELD = 131_072
"""The longest cell kept (Python's csv default limit); a longer one quarantines its row."""
_PARQUET_BATCH = 8192
_ENCODING_SAMPLE = 1 << 16
# The reader itself may read longer cells, so that one is quarantined, not fatal.
csv.field_size_limit(64 * MAX_FIELD)


def find_files(folder: Path, kinds: Sequence[str]) -> dict[str, Path]:
    """Map each kind present in ``folder`` to its file (``kind.csv`` or ``kind.parquet``)."""
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder")
    found: dict[str, Path] = {}
    for kind in kinds:
        candidates = [folder / f"{kind}{suffix}" for suffix in SUFFIXES]
        present = [path for path in candidates if path.is_file()]
        if len(present) > 1:
            raise InputError(f"both {present[0].name} and {present[1].name} exist; keep one")
        if present:
            found[kind] = present[0]
    return found


def read_header(path: Path) -> list[str]:
    """The column names of a file (a CSV file in another encoding than UTF-8 is
    refused, naming the encoding it reads as)."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.ParquetFile(path).schema_arrow.names)
    _check_encoding(path)
    with path.open("rb") as handle:
        first = handle.readline()
    try:
        header = next(csv.reader([first.decode("utf-8-sig")]), None)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InputError(f"{path.name}: cannot read the header: {exc}") from exc
    if not header:
        raise InputError(f"{path.name} is empty (no header row)")
    return [name.strip() for name in header]


def _check_encoding(path: Path) -> None:
    with path.open("rb") as handle:
        sample = handle.read(_ENCODING_SAMPLE)
    try:
        sample.decode("utf-8")
        return
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:
            return  # a character cut by the end of the sample
        utf8_error = exc
    try:
        sample.decode("gb18030")
    except UnicodeDecodeError:
        if utf8_error.start > 0:
            return  # mostly UTF-8 with bad bytes: those rows are quarantined one by one
        raise InputError(
            f"{path.name} is not UTF-8 text (bad byte at offset {utf8_error.start})"
        ) from None
    raise InputError(
        f"{path.name} is encoded in GBK/GB18030, not UTF-8: convert it first "
        f"(e.g. iconv -f GB18030 -t UTF-8 {path.name})"
    )


def iter_rows(path: Path) -> Iterator[tuple[int, RawRow]]:
    """Yield ``(line, row)`` for every data row; empty cells become None."""
    if path.suffix == ".parquet":
        yield from _parquet_rows(path)
    else:
        yield from _csv_rows(path)


def _csv_rows(path: Path) -> Iterator[tuple[int, RawRow]]:
    header = read_header(path)
    width = len(header)
    with path.open("rb") as handle:
        records = _Records(_decoded_lines(handle))
        reader = csv.reader(records)
        next(reader)  # the header, read above
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error:  # a cell past even the raised limit
                values = None
            first, last = records.span
            if values is not None and len(values) != width and first != last:
                # A quote left open joined later lines to this one: only the first
                # line is bad; the lines after it are read again as rows of their own.
                records.retry_after_first()
                values = None
            problem = records.problem()
            if values is None or problem:
                yield first, {UNREADABLE: problem or "unreadable_csv"}
            elif values:  # a blank line is not a row
                yield first, _row(header, width, values)


def _row(header: list[str], width: int, values: list[str]) -> RawRow:
    """One record's cells by column, with the reason it cannot be loaded, if any."""
    row: RawRow = {
        name: (values[i] if i < len(values) and values[i] != "" else None)
        for i, name in enumerate(header)
    }
    if len(values) != width:
        row[WIDTH] = f"{len(values)} fields, header has {width}"
    if any(len(value) > MAX_FIELD for value in values):
        return {UNREADABLE: "field_too_long"}
    return row


Line = tuple[int, str, str | None]
"""A physical line: its number, its text, and what was wrong with its bytes."""


def _decoded_lines(lines: Iterable[bytes]) -> Iterator[Line]:
    """Each physical line as text, cleaned of NUL bytes and bytes that are not
    UTF-8, with the reason when it had to be cleaned."""
    for number, raw in enumerate(lines, start=1):
        problem = None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("utf-8", errors="replace")
            problem = "undecodable_bytes"
        if "\x00" in text:
            text = text.replace("\x00", "")
            problem = "nul_byte"
        yield number, text.removeprefix("\ufeff") if number == 1 else text, problem


class _Records:
    """Physical lines joined into CSV records: a record goes on while a quote is
    open, for at most :data:`MAX_RECORD_LINES` lines. Iterating gives each record's
    text (what one ``csv.reader`` reads, record by record); ``span`` and ``problem``
    describe the last one. A line whose quote never closes is a record of its own,
    handed to the reader as a blank line (so that the reader does not read on) and
    reported as ``unreadable_csv``."""

    def __init__(self, lines: Iterator[Line]) -> None:
        self._lines = lines
        self._pending: deque[Line] = deque()
        self._record: list[Line] = []
        self._broken = False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        record = [self._take()]
        quotes = record[0][1].count('"')
        while quotes % 2 and len(record) < MAX_RECORD_LINES:
            try:
                line = self._take()
            except StopIteration:
                break
            record.append(line)
            quotes += line[1].count('"')
        self._broken = bool(quotes % 2)
        if self._broken:  # never closed: the first line alone is broken
            self._pending.extendleft(reversed(record[1:]))
            self._record = record[:1]
            return "\n"
        self._record = record
        return "".join(text for _, text, _ in record)

    def _take(self) -> Line:
        return self._pending.popleft() if self._pending else next(self._lines)

    @property
    def span(self) -> tuple[int, int]:
        return self._record[0][0], self._record[-1][0]

    def problem(self) -> str | None:
        found = next((problem for _, _, problem in self._record if problem), None)
        return found or ("unreadable_csv" if self._broken else None)

    def retry_after_first(self) -> None:
        """Give back every line of the last record but its first, which is broken."""
        self._pending.extendleft(reversed(self._record[1:]))
        self._record = self._record[:1]
        self._broken = True


def _parquet_rows(path: Path) -> Iterator[tuple[int, RawRow]]:
    import pyarrow.parquet as pq

    line = 1
    for batch in pq.ParquetFile(path).iter_batches(batch_size=_PARQUET_BATCH):
        columns = batch.schema.names
        values = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        for index in range(batch.num_rows):
            line += 1
            yield line, {name: _text(values[c][index]) for c, name in enumerate(columns)}


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text or None


def checksum(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
