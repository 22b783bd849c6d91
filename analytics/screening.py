"""The screening tool (筛查): combine conditions over the six layers' fields freely.

A screen is JSON: a group ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": node}``
or a leaf ``{"field": "region_code", "op": "prefix", "value": "5101"}`` (windowed
fields take ``"months": N``). :func:`parse_screen` validates it (errors name the
path of the bad node, ``screen.all[2].value``) and returns its normal form;
:func:`run_screen` counts every enterprise that matches, whatever its status unless a
condition says otherwise, and returns one page riskiest first. Fields are in
:mod:`riskgraph.analytics.screen_fields`, their Cypher in
:mod:`riskgraph.graph.screen_query`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from riskgraph.analytics.screen_fields import FIELDS, Field
from riskgraph.errors import Invalid
from riskgraph.graph import screen_counters
from riskgraph.graph.screen_counters import CounterState
from riskgraph.graph.screen_query import (
    CompiledScreen,
    Group,
    Leaf,
    Node,
    compile_screen,
    months_before,
)
from riskgraph.graph.store import GraphStore, Row
from riskgraph.reference import entity_kind

MAX_DEPTH = 6
MAX_CONDITIONS = 40
MAX_VALUES = 500
MAX_TEXT = 200
MAX_MONTHS = 240
MAX_LIMIT = 500
MAX_OFFSET = 100_000
EXPORT_MAX_ROWS = 200_000
TIMEOUT_S = 120.0
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GROUPS = ("all", "any", "not")
_LEAF_KEYS = frozenset({"field", "op", "value", "months"})


class ScreenError(Invalid):
    """A screen definition is malformed; ``path`` names the bad node."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class ExportTooLarge(Invalid):
    """A screen matches more enterprises than one export may hold."""


# --------------------------------------------------------------------------- validation


def parse_screen(definition: Any, *, path: str = "screen") -> dict[str, Any]:
    """The normal form of a screen (windows filled in); raises ScreenError."""
    counter = [0]
    normal = _node(definition, path, 1, counter)
    return normal


def _node(raw: Any, path: str, depth: int, counter: list[int]) -> dict[str, Any]:
    if depth > MAX_DEPTH:
        raise ScreenError(path, f"groups nest deeper than {MAX_DEPTH} levels")
    if not isinstance(raw, Mapping):
        raise ScreenError(path, "must be an object: a group (all, any, not) or a condition")
    groups = [key for key in _GROUPS if key in raw]
    if groups:
        if len(raw) != 1:
            raise ScreenError(path, "a group has exactly one key: all, any or not")
        kind = groups[0]
        if kind == "not":
            return {"not": _node(raw["not"], f"{path}.not", depth + 1, counter)}
        children = raw[kind]
        if not isinstance(children, list):
            raise ScreenError(f"{path}.{kind}", "must be a list of conditions")
        if kind == "any" and not children:
            raise ScreenError(f"{path}.any", "needs at least one condition")
        return {
            kind: [
                _node(child, f"{path}.{kind}[{i}]", depth + 1, counter)
                for i, child in enumerate(children)
            ]
        }
    counter[0] += 1
    if counter[0] > MAX_CONDITIONS:
        raise ScreenError(path, f"a screen holds at most {MAX_CONDITIONS} conditions")
    return _leaf(raw, path)


def _leaf(raw: Mapping[str, Any], path: str) -> dict[str, Any]:
    unknown = sorted(set(raw) - _LEAF_KEYS)
    if unknown:
        raise ScreenError(
            path, f"unknown key {unknown[0]!r} (a condition has field, op, value, months)"
        )
    name = raw.get("field")
    if not isinstance(name, str) or name not in FIELDS:
        raise ScreenError(
            f"{path}.field", f"unknown field {name!r} (GET /api/v1/screens/fields lists them)"
        )
    spec = FIELDS[name]
    op = raw.get("op")
    if op not in spec.ops:
        raise ScreenError(f"{path}.op", f"{name} takes the ops {', '.join(spec.ops)}, not {op!r}")
    if "value" not in raw:
        raise ScreenError(f"{path}.value", "is required")
    value = _value(spec, str(op), raw["value"], f"{path}.value")
    leaf: dict[str, Any] = {"field": name, "op": op, "value": value}
    months = raw.get("months")
    if months is not None:
        if not spec.window:
            raise ScreenError(f"{path}.months", f"{name} takes no window")
        if not _is_int(months) or not 1 <= months <= MAX_MONTHS:
            raise ScreenError(f"{path}.months", f"must be a whole number from 1 to {MAX_MONTHS}")
        leaf["months"] = months
    elif spec.window and spec.default_months is not None:
        leaf["months"] = spec.default_months
    return leaf


def _value(spec: Field, op: str, value: Any, path: str) -> Any:
    if op == "missing":
        if not isinstance(value, bool):
            raise ScreenError(path, "missing takes true or false")
        return value
    if op == "in":
        if not isinstance(value, list) or not value:
            raise ScreenError(path, "in takes a non-empty list")
        if len(value) > MAX_VALUES:
            raise ScreenError(path, f"in takes at most {MAX_VALUES} values")
        return [_scalar(spec, item, f"{path}[{i}]") for i, item in enumerate(value)]
    if op == "between":
        if not isinstance(value, list) or len(value) != 2:
            raise ScreenError(path, "between takes a list of two values [low, high]")
        low, high = (_scalar(spec, item, f"{path}[{i}]") for i, item in enumerate(value))
        if low > high:
            raise ScreenError(path, "between needs low <= high")
        return [low, high]
    if op in ("prefix", "contains") and (not isinstance(value, str) or not value.strip()):
        raise ScreenError(path, f"{op} takes a non-empty text")
    return _scalar(spec, value, path)


def _scalar(spec: Field, value: Any, path: str) -> Any:
    kind = spec.type
    if kind == "bool":
        if not isinstance(value, bool):
            raise ScreenError(path, "must be true or false")
        return value
    if kind == "number":
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ScreenError(path, "must be a number")
        return value
    if kind in ("integer", "count"):
        if not _is_int(value) or value < 0:
            raise ScreenError(path, "must be a whole number >= 0")
        return value
    if kind == "date":
        if not isinstance(value, str) or not _DATE.match(value):
            raise ScreenError(path, "must be a date YYYY-MM-DD")
        try:
            date.fromisoformat(value)
        except ValueError as exc:
            raise ScreenError(path, "must be a date YYYY-MM-DD") from exc
        return value
    return _text(spec, value, path)


def _text(spec: Field, value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScreenError(path, "must be a non-empty text")
    if len(value) > MAX_TEXT or any(ord(ch) < 32 for ch in value):
        raise ScreenError(path, f"must be at most {MAX_TEXT} printable characters")
    text = value.strip()
    if spec.choices and text not in spec.choices:
        raise ScreenError(path, f"{text!r} is not one of {', '.join(spec.choices)}")
    return text


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --------------------------------------------------------------------------- compiling


def to_tree(normal: Mapping[str, Any], today: date) -> Node:
    """The compiler's tree of a screen in normal form, windows as start dates."""
    for kind in ("all", "any"):
        if kind in normal:
            return Group(kind, tuple(to_tree(child, today) for child in normal[kind]))
    if "not" in normal:
        return Group("not", (to_tree(normal["not"], today),))
    months = normal.get("months")
    value = normal["value"]
    if FIELDS[normal["field"]].type == "date" and normal["op"] != "missing":
        value = (
            [date.fromisoformat(v) for v in value]
            if isinstance(value, list)
            else date.fromisoformat(value)
        )
    start = months_before(today, int(months)) if months is not None else None
    return Leaf(normal["field"], normal["op"], value, start)


def compile_definition(
    definition: Any,
    *,
    today: date | None = None,
    dialect: str = "falkordb",
    counters: bool = False,
) -> CompiledScreen:
    """Validate and compile a screen evaluated on ``today`` (default: today) for an
    engine's dialect; ``counters``: read the enterprises' fresh counter properties."""
    day = today or date.today()
    return compile_screen(
        to_tree(parse_screen(definition), day), today=day, dialect=dialect, counters=counters
    )


def _compile_for(store: GraphStore, definition: Any, today: date | None) -> CompiledScreen:
    """Compiled for the store's engine, with the counters when they are fresh (else the
    counts are taken live: slower, same answer)."""
    fresh = screen_counters.counter_state(store).fresh
    return compile_definition(definition, today=today, dialect=store.dialect, counters=fresh)


def refresh_counters(store: GraphStore) -> CounterState:
    """Recount the counters screens read (``riskgraph screens refresh``; the loader runs
    it at the end of each ingest run); the new state with the seconds it took."""
    return screen_counters.refresh(store)


def counter_state(store: GraphStore) -> CounterState:
    """Whether screens read the counters now, and when they were refreshed."""
    return screen_counters.counter_state(store)


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class ScreenResult:
    """How many enterprises match, and one page of them riskiest first."""

    total: int
    results: list[Row]
    limit: int
    offset: int
    next_offset: int | None


def _result_row(row: Row) -> Row:
    return {**row, "entity_kind": entity_kind(row.get("org_type"))}


def run_screen(
    store: GraphStore,
    definition: Any,
    *,
    limit: int = 50,
    offset: int = 0,
    today: date | None = None,
) -> ScreenResult:
    """Count the matches of a screen and read one page (risk score desc, then key)."""
    if not 0 <= limit <= MAX_LIMIT:
        raise ScreenError("limit", f"must be from 0 to {MAX_LIMIT}")
    if not 0 <= offset <= MAX_OFFSET:
        raise ScreenError("offset", f"must be from 0 to {MAX_OFFSET}")
    compiled = _compile_for(store, definition, today)
    total = int(
        store.read_values(compiled.count_query(), timeout_s=TIMEOUT_S, **compiled.params)[0][
            "total"
        ]
    )
    rows: list[Row] = []
    if limit and offset < total:
        rows = store.read_values(
            compiled.page_query(), timeout_s=TIMEOUT_S, skip=offset, limit=limit, **compiled.params
        )
    next_offset = offset + limit if limit and offset + limit < total else None
    return ScreenResult(total, [_result_row(r) for r in rows], limit, offset, next_offset)


def matching_rows(
    store: GraphStore,
    definition: Any,
    *,
    today: date | None = None,
    page_size: int = 5000,
) -> Iterator[Row]:
    """Every match in key order, read in key pages (exports, plan populations)."""
    compiled = _compile_for(store, definition, today)
    query = compiled.keys_query()
    after = ""
    while True:
        rows = store.read_values(
            query, timeout_s=TIMEOUT_S, after=after, limit=page_size, **compiled.params
        )
        for row in rows:
            yield _result_row(row)
        if len(rows) < page_size:
            return
        after = rows[-1]["uscc"]


EXPORT_COLUMNS = (
    "uscc",
    "name",
    "entity_kind",
    "org_type",
    "status",
    "region_code",
    "industry_code",
    "established",
    "registered_capital",
    "risk_class",
    "risk_score",
    "label_class",
)


def export_csv(
    store: GraphStore,
    definition: Any,
    *,
    today: date | None = None,
    max_rows: int = EXPORT_MAX_ROWS,
) -> Iterator[str]:
    """The matches as CSV text chunks (header first), key order; refuses a screen
    matching more than ``max_rows`` before writing anything."""
    total = run_screen(store, definition, limit=0, today=today).total
    if total > max_rows:
        raise ExportTooLarge(
            f"the screen matches {total} enterprises; an export holds at most {max_rows}"
            " (narrow the screen)"
        )
    return _csv_chunks(matching_rows(store, definition, today=today))


def _csv_chunks(rows: Iterator[Row], chunk: int = 1000) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_cell(row.get(c)) for c in EXPORT_COLUMNS])
        if count % chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _cell(value: Any) -> str:
    """A CSV cell; text a spreadsheet would read as a formula is quoted with ``'``."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def canonical_json(normal: Mapping[str, Any]) -> str:
    """A screen in normal form as canonical JSON (stored, digested, recorded in plans)."""
    return json.dumps(normal, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
