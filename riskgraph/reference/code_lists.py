"""Registry code lists: org types, statuses, roles and violation kinds and statuses.

``code_lists.json`` holds each list in its canonical order; the input contract accepts
exactly these values, and the generator writes them.
"""

from __future__ import annotations

import json
from typing import Final

from ._files import read_text

__all__ = ["ORG_TYPES", "ROLES", "STATUSES", "VIOLATION_KINDS", "VIOLATION_STATUSES"]


def _load() -> dict[str, tuple[str, ...]]:
    raw = json.loads(read_text("code_lists.json"))
    out: dict[str, tuple[str, ...]] = {}
    for key, values in raw.items():
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise ValueError(f"code_lists.json: {key} must be a list of non-empty strings")
        if len(set(values)) != len(values):
            raise ValueError(f"code_lists.json: {key} repeats a value")
        out[key] = tuple(values)
    return out


_LISTS: Final = _load()

#: Org types (市场主体类型) an enterprise row may carry.
ORG_TYPES: Final[tuple[str, ...]] = _LISTS["org_types"]
#: Registration statuses (登记状态).
STATUSES: Final[tuple[str, ...]] = _LISTS["statuses"]
#: Positions (职务) a person holds in an enterprise; ``其他`` last.
ROLES: Final[tuple[str, ...]] = _LISTS["roles"]
#: Kinds of violation and supervision records (违法违规 / 监管记录).
VIOLATION_KINDS: Final[tuple[str, ...]] = _LISTS["violation_kinds"]
#: Statuses of a violation record: in force, removed from the list, repaired.
VIOLATION_STATUSES: Final[tuple[str, ...]] = _LISTS["violation_statuses"]
