"""Managed lists (名单管理): the whitelist (白名单, 守信激励) and the sandbox (沙盒,
包容审慎监管) that inspection plans read.

A firm enters a list with a reason, who and when, and an expiry (a sandbox entry's
包容期 is one year unless given); it leaves by hand with a reason, or automatically
when :func:`sweep` finds an exit rule that applies (see :data:`EXIT_RULES`). Entries
are ``ListEntry`` nodes linked from their enterprise by ``ON_LIST``; leaving closes the
entry (``status`` ``exited`` with the rule, reason, who and when) and never deletes it,
so a firm's history shows every entry and exit. A firm is on a list at most once at a
time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from riskgraph.analytics.clock import timestamp
from riskgraph.analytics.pages import Page, page_of
from riskgraph.errors import Conflict, Invalid, NotFound
from riskgraph.graph.schema import apply_ddl
from riskgraph.graph.store import GraphStore, Row

WHITELIST, SANDBOX = "whitelist", "sandbox"
LISTS: dict[str, str] = {WHITELIST: "白名单", SANDBOX: "沙盒"}
ACTIVE, EXITED = "active", "exited"
SYSTEM = "system"
"""Who automatic exits are recorded as."""
MANUAL = "manual"
"""The rule recorded for an exit by hand."""
EXCLUDED_CLASSES = ("C", "D")
MAX_REASON = 500
SWEEP_PAGE = 1000


class ListError(Invalid):
    """A list request is malformed: unknown list, missing reason, bad expiry."""


class ListEntryNotFound(NotFound):
    """The firm is not on the list (or the firm does not exist)."""


class ListConflict(Conflict):
    """The firm is already on the list, is class C or D, or its entry changed meanwhile."""


@dataclass(frozen=True)
class SweepConfig:
    """The thresholds of the exit rules."""

    penalty_amount: float = 10_000.0
    """A 行政处罚 counts as serious from this fine and confiscation amount (元); one
    without a recorded amount does not count."""


@dataclass(frozen=True)
class ActiveEntry:
    """An active entry as the sweep reads it."""

    eid: str
    list: str
    uscc: str
    entered_on: str
    expires_on: str | None


Finding = dict[str, list[str]]
"""Entry id → evidence, for the entries an exit rule applies to."""


@dataclass(frozen=True)
class ExitRule:
    """An automatic exit rule: ``check`` returns the entries it applies to."""

    id: str
    reason: str
    check: Callable[[GraphStore, Sequence[ActiveEntry], date, SweepConfig], Finding]


@dataclass
class SweepReport:
    """What a sweep did: entries checked, and one row per exit (list, uscc, rule, reason,
    evidence)."""

    checked: int = 0
    exits: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"checked": self.checked, "exited": len(self.exits), "exits": self.exits}


# --------------------------------------------------------------------------- exit rules


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def _violations_after_entry(
    store: GraphStore, entries: Sequence[ActiveEntry], today: date, kinds: list[str]
) -> list[Row]:
    rows = [{"eid": e.eid, "uscc": e.uscc, "entered_on": e.entered_on} for e in entries]
    return store.read(
        store.query_text("list_sweep_violations"), rows=rows, kinds=kinds, today=today.isoformat()
    )


def _evidence(row: Row) -> str:
    return f"{row['kind']}:{row['case_no'] or row['vid']}:{_day(row['date'])}"


def missed_annual_report(
    store: GraphStore, entries: Sequence[ActiveEntry], today: date, config: SweepConfig
) -> Finding:
    """Listed in 经营异常名录 on or after the entry day: how regulators record a missed
    annual report (未按时公示年报). A check on annual-report filings themselves can
    stand beside this rule in :data:`EXIT_RULES`."""
    found: Finding = {}
    for row in _violations_after_entry(store, entries, today, ["经营异常名录"]):
        found.setdefault(row["eid"], []).append(_evidence(row))
    return found


def serious_violation(
    store: GraphStore, entries: Sequence[ActiveEntry], today: date, config: SweepConfig
) -> Finding:
    """严重违法失信, or a 行政处罚 of at least ``config.penalty_amount`` 元, on or after
    the entry day."""
    found: Finding = {}
    for row in _violations_after_entry(store, entries, today, ["严重违法失信", "行政处罚"]):
        if row["kind"] == "行政处罚":
            amount = row["amount"]
            if not isinstance(amount, int | float) or amount < config.penalty_amount:
                continue
        found.setdefault(row["eid"], []).append(_evidence(row))
    return found


def class_c_or_d(
    store: GraphStore, entries: Sequence[ActiveEntry], today: date, config: SweepConfig
) -> Finding:
    """The firm's current class (the model's, else the supervisor's label) is C or D."""
    rows = store.read(
        store.query_text("list_sweep_classes"),
        rows=[{"eid": e.eid, "uscc": e.uscc} for e in entries],
    )
    return {r["eid"]: [f"class:{r['class']}"] for r in rows if r["class"] in EXCLUDED_CLASSES}


def expired(
    store: GraphStore, entries: Sequence[ActiveEntry], today: date, config: SweepConfig
) -> Finding:
    """The entry's expiry (包容期 for the sandbox) is before today."""
    return {
        e.eid: [f"expired:{e.expires_on}"]
        for e in entries
        if e.expires_on and e.expires_on < today.isoformat()
    }


EXIT_RULES: tuple[ExitRule, ...] = (
    ExitRule("serious_violation", "严重违法失信或较重行政处罚", serious_violation),
    ExitRule("annual_report_missed", "未按时公示年报（列入经营异常名录）", missed_annual_report),
    ExitRule("class_c_or_d", "信用风险分类为C类或D类", class_c_or_d),
    ExitRule("expired", "有效期（包容期）届满", expired),
)
"""Checked in this order; an entry several rules apply to exits under the first, with
the others' evidence kept beside it."""


# --------------------------------------------------------------------------- validation


def check_list(name: str) -> str:
    """``name`` if it is a managed list; ListError otherwise."""
    if name not in LISTS:
        raise ListError(f"unknown list {name!r}; use {', '.join(LISTS)}")
    return name


def _reason(text: str | None, what: str = "a reason") -> str:
    reason = " ".join((text or "").split())
    if not reason:
        raise ListError(f"{what} is required")
    if len(reason) > MAX_REASON:
        raise ListError(f"the reason is longer than {MAX_REASON} characters")
    return reason


def _key(uscc: str) -> str:
    key = uscc.strip().upper()
    if not key:
        raise ListError("a firm key (USCC) is required")
    return key


def one_year_after(day: date) -> date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def default_expiry(name: str, today: date) -> date | None:
    """A sandbox entry's 包容期 ends a year after entry; whitelist entries do not expire
    unless given an expiry."""
    return one_year_after(today) if name == SANDBOX else None


# --------------------------------------------------------------------------- changes


def add_entry(
    store: GraphStore,
    name: str,
    uscc: str,
    reason: str,
    *,
    actor: str,
    expires_on: date | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Put a firm on a list; returns the entry. Raises ListEntryNotFound for an unknown
    firm, ListConflict when it is on the list already or is class C or D, ListError
    for a missing reason or an expiry not after today."""
    check_list(name)
    apply_ddl(store, "list_schema")
    return _add(store, name, uscc, reason, actor=actor, expires_on=expires_on, today=today, now=now)


def _add(
    store: GraphStore,
    name: str,
    uscc: str,
    reason: str,
    *,
    actor: str,
    expires_on: date | None,
    today: date | None,
    now: datetime | None,
) -> dict[str, Any]:
    """:func:`add_entry` once the schema is there (an import applies it once)."""
    key, reason, day = _key(uscc), _reason(reason), today or date.today()
    expiry = expires_on or default_expiry(name, day)
    if expiry is not None and expiry <= day:
        raise ListError(f"the expiry {expiry.isoformat()} must be after {day.isoformat()}")
    found = store.read(store.query_text("list_sweep_classes"), rows=[{"eid": "", "uscc": key}])
    if not found:
        raise ListEntryNotFound(f"no enterprise {key}")
    if found[0]["class"] in EXCLUDED_CLASSES:
        cls = found[0]["class"]
        raise ListConflict(f"{key} is class {cls}: class C and D firms cannot be listed")
    rows = store.write(
        store.query_text("list_entry_add"),
        list=name,
        uscc=key,
        eid=uuid.uuid4().hex[:16],
        reason=reason,
        actor=actor,
        now=timestamp(now),
        today=day.isoformat(),
        expires_on=expiry.isoformat() if expiry else None,
    )
    if not rows:
        raise ListConflict(f"{key} is on the {name} already")
    entry: dict[str, Any] = rows[0]["entry"]
    return entry


def current_entry(store: GraphStore, name: str, uscc: str) -> dict[str, Any]:
    """The firm's active entry on the list; raises ListEntryNotFound."""
    check_list(name)
    key = _key(uscc)
    rows = store.read(store.query_text("list_entry_current"), list=name, uscc=key)
    if not rows:
        raise ListEntryNotFound(f"{key} is not on the {name}")
    entry: dict[str, Any] = rows[0]["entry"]
    return entry


def exit_entry(
    store: GraphStore,
    name: str,
    uscc: str,
    reason: str,
    *,
    actor: str,
    today: date | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Take a firm off a list by hand; returns the closed entry."""
    reason = _reason(reason)
    entry = current_entry(store, name, uscc)
    rows = store.write(
        store.query_text("list_entry_exit"),
        rows=[{"eid": entry["eid"], "rule": MANUAL, "reason": reason, "evidence": []}],
        actor=actor,
        now=timestamp(now),
        today=(today or date.today()).isoformat(),
    )
    if not rows:
        raise ListConflict(f"the {name} entry of {entry['uscc']} changed meanwhile; read it again")
    return next(e for e in history(store, entry["uscc"]) if e["eid"] == entry["eid"])


# --------------------------------------------------------------------------- reading


def list_entries(
    store: GraphStore, name: str, *, status: str = ACTIVE, limit: int = 50, offset: int = 0
) -> Page:
    """One page of a list's entries (newest first) with the firm's name and class."""
    check_list(name)
    if status not in (ACTIVE, EXITED):
        raise ListError(f"status must be {ACTIVE} or {EXITED}")
    rows = store.read(
        store.query_text("list_entries_page"),
        list=name,
        status=status,
        skip=offset,
        limit=limit + 1,
    )
    items = [
        {
            **row["entry"],
            "name": row["name"],
            "risk_class": row["risk_class"],
            "label_class": row["label_class"],
        }
        for row in rows
    ]
    return page_of(items, limit=limit, offset=offset)


def history(store: GraphStore, uscc: str, *, limit: int = 500) -> list[dict[str, Any]]:
    """Every entry of the firm on any list (exits included), oldest first."""
    rows = store.read(store.query_text("list_history"), uscc=_key(uscc), limit=limit)
    return [row["entry"] for row in rows]


def active_entries(store: GraphStore, name: str | None = None) -> Iterator[ActiveEntry]:
    """The active entries of one list (or all), in entry-id order, read page by page."""
    after = ""
    query = store.query_text("list_active_after")
    while True:
        rows = store.read(query, list=name, after=after, limit=SWEEP_PAGE)
        for row in rows:
            yield ActiveEntry(
                eid=row["eid"],
                list=row["list"],
                uscc=row["uscc"],
                entered_on=_day(row["entered_on"]),
                expires_on=_day(row["expires_on"]) if row["expires_on"] else None,
            )
        if len(rows) < SWEEP_PAGE:
            return
        after = rows[-1]["eid"]


def active_keys(store: GraphStore, name: str) -> list[str]:
    """The keys of the firms on a list now, sorted."""
    check_list(name)
    return sorted({entry.uscc for entry in active_entries(store, name)})


# --------------------------------------------------------------------------- sweep


def sweep(
    store: GraphStore,
    *,
    name: str | None = None,
    today: date | None = None,
    config: SweepConfig | None = None,
    rules: Sequence[ExitRule] = EXIT_RULES,
    now: datetime | None = None,
) -> SweepReport:
    """Apply the exit rules to every active entry (of one list, or all) and close the
    entries they apply to, recording the rule, its reason and evidence, and ``system``
    as who."""
    if name is not None:
        check_list(name)
    today = today or date.today()
    config = config or SweepConfig()
    report = SweepReport()
    apply_ddl(store, "list_schema")
    entries = list(active_entries(store, name))
    report.checked = len(entries)
    for start in range(0, len(entries), SWEEP_PAGE):
        batch = entries[start : start + SWEEP_PAGE]
        exits = _exits(store, batch, today, config, rules)
        if not exits:
            continue
        closed = store.write(
            store.query_text("list_entry_exit"),
            rows=exits,
            actor=SYSTEM,
            now=timestamp(now),
            today=today.isoformat(),
        )
        done = {row["eid"] for row in closed}
        by_id = {e.eid: e for e in batch}
        report.exits.extend(
            {
                "list": by_id[row["eid"]].list,
                "uscc": by_id[row["eid"]].uscc,
                "rule": row["rule"],
                "reason": row["reason"],
                "evidence": row["evidence"],
            }
            for row in exits
            if row["eid"] in done
        )
    return report


def _exits(
    store: GraphStore,
    batch: Sequence[ActiveEntry],
    today: date,
    config: SweepConfig,
    rules: Sequence[ExitRule],
) -> list[dict[str, Any]]:
    findings = [(rule, rule.check(store, batch, today, config)) for rule in rules]
    exits = []
    for entry in batch:
        applying = [(rule, found[entry.eid]) for rule, found in findings if entry.eid in found]
        if not applying:
            continue
        first, _ = applying[0]
        evidence = [f"{rule.id}|{item}" for rule, items in applying for item in items]
        exits.append(
            {"eid": entry.eid, "rule": first.id, "reason": first.reason, "evidence": evidence}
        )
    return exits


# --------------------------------------------------------------------------- import


@dataclass
class ImportReport:
    """Every row of an imported file: loaded, or refused with the reason."""

    loaded: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"loaded": self.loaded, "refused": self.refused}


def import_lines(
    store: GraphStore,
    name: str,
    lines: Sequence[str],
    *,
    actor: str,
    reason: str,
    expires_on: date | None = None,
    today: date | None = None,
) -> ImportReport:
    """Put the firms of a list file on the list: one per line as ``USCC`` or
    ``USCC,reason[,expires YYYY-MM-DD]`` (blank lines and ``#`` comments skipped);
    ``reason`` and ``expires_on`` are the defaults. Each row is loaded or refused with
    the reason."""
    check_list(name)
    default_reason = _reason(reason, "a default reason")
    report = ImportReport()
    apply_ddl(store, "list_schema")
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        cells = [cell.strip() for cell in text.split(",")]
        key = cells[0].upper()
        try:
            expiry = date.fromisoformat(cells[2]) if len(cells) > 2 and cells[2] else expires_on
            why = cells[1] if len(cells) > 1 and cells[1] else default_reason
            _add(store, name, key, why, actor=actor, expires_on=expiry, today=today, now=None)
        except ValueError:
            report.refused.append({"line": number, "uscc": key, "reason": "bad expiry date"})
        except (ListError, ListEntryNotFound, ListConflict) as exc:
            report.refused.append({"line": number, "uscc": key, "reason": str(exc)})
        else:
            report.loaded.append({"line": number, "uscc": key})
    return report


def import_file(
    store: GraphStore, name: str, path: Path, *, actor: str, reason: str | None = None, **kw: Any
) -> ImportReport:
    """:func:`import_lines` on a file (UTF-8, BOM allowed); the default reason names it."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ListError(f"cannot read {path}: {exc}") from exc
    return import_lines(
        store, name, lines, actor=actor, reason=reason or f"imported from {path.name}", **kw
    )
