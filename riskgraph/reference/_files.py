"""Reading the package's data files (UTF-8 text shipped next to the modules)."""

from __future__ import annotations

from importlib import resources

_PACKAGE = __package__ or "riskgraph.reference"


def read_text(name: str) -> str:
    """The text of the data file ``name`` of this package."""
    return resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def read_tsv(name: str, width: int) -> list[tuple[int, list[str]]]:
    """``(line number, cells)`` of each non-blank line of a tab-separated file.

    Raises ``ValueError`` naming the file and line when a line has not ``width`` cells.
    """
    rows = []
    for lineno, line in enumerate(read_text(name).splitlines(), start=1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != width:
            raise ValueError(f"{name}:{lineno}: expected {width} tab-separated cells")
        rows.append((lineno, cells))
    return rows
