"""Streaming readers for input folders: one CSV or Parquet file per kind.

Rows are yielded one at a time with their line number (CSV: the physical line
where the row starts, the header being line 1; Parquet: the row's position + 1,
so both read as "line N" in the quarantine file). A file is never held in
memory whole.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from riskgraph.errors import InputError

RawRow = dict[str, str | None]
SUFFIXES = (".csv", ".parquet")
_PARQUET_BATCH = 8192


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
    """The column names of a file."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.ParquetFile(path).schema_arrow.names)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            header = next(csv.reader(handle))
        except StopIteration:
            raise InputError(f"{path.name} is empty (no header row)") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(f"{path.name}: cannot read the header: {exc}") from exc
    return [name.strip() for name in header]


def iter_rows(path: Path) -> Iterator[tuple[int, RawRow]]:
    """Yield ``(line, row)`` for every data row; empty cells become None."""
    if path.suffix == ".parquet":
        yield from _parquet_rows(path)
    else:
        yield from _csv_rows(path)


def _csv_rows(path: Path) -> Iterator[tuple[int, RawRow]]:
    header = read_header(path)
    width = len(header)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        line = reader.line_num + 1
        try:
            for values in reader:
                if not values:  # a blank line is not a row
                    line = reader.line_num + 1
                    continue
                row: RawRow = {
                    name: (values[i] if i < len(values) and values[i] != "" else None)
                    for i, name in enumerate(header)
                }
                if len(values) != width:
                    row["__width__"] = f"{len(values)} fields, header has {width}"
                yield line, row
                line = reader.line_num + 1
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(f"{path.name} line {line}: {exc}") from exc


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
