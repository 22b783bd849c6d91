"""Where in a query an engine's refusal points, read from its message.

Neo4j ends syntax and semantic errors with ``(line 2, column 7 (offset: 19))``;
FalkorDB names ``line: 2, column: 7, offset: 19``. Only this module reads those
formats, so callers get one ``(line, column)``, both from 1.
"""

from __future__ import annotations

import re

_LINE_COLUMN = re.compile(r"\bline:?\s*(\d+),\s*column:?\s*(\d+)", re.IGNORECASE)


def position_in(message: str) -> tuple[int, int] | None:
    """``(line, column)`` named by ``message``, or None."""
    found = _LINE_COLUMN.search(message)
    return (int(found.group(1)), int(found.group(2))) if found else None
