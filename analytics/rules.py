"""The early-warning rule pool (风险特征规则池): rule files and rule runs.

A rule is one file ``cypher/rules/<id>.cypher``: a title line, a ``// :params`` line
holding the default parameters as JSON, metadata lines (``// id:``, ``// title_zh:``,
``// severity:``, optional ``// targets:`` and ``// evidence:``) and one read-only
statement returning ``subject`` (a USCC) and ``evidence`` (a list of ``kind:key``
strings). ``run_rules`` evaluates rules and MERGEs one ``Alert`` per (rule, subject),
so re-runs update ``last_seen`` and ``run_count`` instead of adding alerts; the
cases themselves live in :mod:`riskgraph.analytics.alerts`.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from importlib import resources
from typing import Any

from riskgraph import cypher
from riskgraph.analytics.alerts import ACTIVE_STATUSES, OPEN
from riskgraph.analytics.cases import rebuild_cases
from riskgraph.analytics.clock import timestamp
from riskgraph.errors import GraphError, Invalid, QueryError, Unavailable
from riskgraph.graph.schema import apply_ddl
from riskgraph.graph.store import GraphStore, Row

SEVERITIES = ("high", "medium", "low")

_RULE_ID = re.compile(r"^R\d{2,3}$")
_META = re.compile(r"^//\s*([a-z_]+):\s*(.*?)\s*$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_REQUIRED_META = ("id", "title_zh", "severity")


class RuleError(Invalid):
    """A rule file is malformed, a parameter is unknown, or a rule's rows are unusable."""


@dataclass(frozen=True)
class Rule:
    """One rule of the pool."""

    id: str
    title: str
    title_zh: str
    severity: str
    defaults: dict[str, Any]
    text: str
    targets: str | None = None
    evidence: str | None = None

    def params(self, today: date, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The defaults, updated with ``overrides`` (names of this rule only) and ``today``."""
        merged = dict(self.defaults)
        for name, value in (overrides or {}).items():
            if name not in self.defaults:
                raise RuleError(f"{self.id} has no parameter {name!r}")
            merged[name] = value
        merged["today"] = today.isoformat()
        return merged

    def summary(self) -> dict[str, Any]:
        """The rule's metadata and defaults, for listings."""
        return {
            "id": self.id,
            "title": self.title,
            "title_zh": self.title_zh,
            "severity": self.severity,
            "targets": self.targets,
            "evidence": self.evidence,
            "params": {k: v for k, v in self.defaults.items() if k != "today"},
        }


@dataclass(frozen=True)
class Finding:
    """One subject a rule flags, with its evidence."""

    subject: str
    evidence: list[str]


@dataclass
class RuleResult:
    """What one rule did in one run."""

    rule: str
    title_zh: str
    severity: str
    matched: int = 0
    new: int = 0
    repeated: int = 0
    not_seen: int = 0
    seconds: float = 0.0
    error: str | None = None
    """Why the rule failed (over the database's memory or time limit, a bad query);
    its alerts are then left as they were and the run goes on with the next rule."""


@dataclass
class RunSummary:
    """A rule run: its id, time reference and per-rule results."""

    run_id: str
    today: str
    started_at: str
    results: list[RuleResult] = field(default_factory=list)
    cases: dict[str, Any] | None = None
    """The case rebuild after the run (``RebuildReport.to_dict``)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "today": self.today,
            "started_at": self.started_at,
            "rules": [asdict(result) for result in self.results],
            "cases": self.cases,
        }

    @property
    def failed(self) -> list[RuleResult]:
        """The rules that could not be evaluated in this run."""
        return [result for result in self.results if result.error is not None]


# --------------------------------------------------------------------------- rule files


def parse_rule(name: str, content: str) -> Rule:
    """Parse the text of ``cypher/rules/<name>.cypher``."""
    lines = content.splitlines()
    if len(lines) < 3 or not lines[0].startswith("//"):
        raise RuleError(f"rule {name}: the file must open with a '// title' line")
    defaults = _defaults(name, lines[1])
    meta, statement = _meta_and_statement(name, lines[2:])
    used = set(_PARAM.findall(statement))
    if undeclared := used - defaults.keys():
        raise RuleError(f"rule {name}: parameters without a default: {sorted(undeclared)}")
    if unused := defaults.keys() - used - {"today"}:
        raise RuleError(f"rule {name}: defaults the query does not use: {sorted(unused)}")
    return Rule(
        id=name,
        title=lines[0].removeprefix("//").strip(),
        title_zh=meta["title_zh"],
        severity=meta["severity"],
        defaults=defaults,
        text=content,
        targets=meta.get("targets"),
        evidence=meta.get("evidence"),
    )


def _defaults(name: str, line: str) -> dict[str, Any]:
    """The ``// :params {...}`` line's JSON object, which must give ``today``."""
    if not line.startswith("//") or ":params" not in line:
        raise RuleError(f"rule {name}: the second line must be '// :params {{...}}'")
    try:
        defaults = json.loads(line.split(":params", 1)[1])
    except json.JSONDecodeError as exc:
        raise RuleError(f"rule {name}: the :params line is not JSON: {exc}") from exc
    if not isinstance(defaults, dict) or "today" not in defaults:
        raise RuleError(f"rule {name}: :params must be an object with a 'today' example")
    return defaults


def _meta_and_statement(name: str, lines: list[str]) -> tuple[dict[str, str], str]:
    """The ``// key: value`` lines before the statement, checked, and the statement."""
    meta: dict[str, str] = {}
    body: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("//"):
            if not body and (match := _META.match(stripped)):
                meta[match.group(1)] = match.group(2)
            continue
        body.append(line)
    missing = [key for key in _REQUIRED_META if not meta.get(key)]
    if missing:
        raise RuleError(f"rule {name}: missing metadata {', '.join(missing)}")
    if meta["id"] != name or not _RULE_ID.match(name):
        raise RuleError(f"rule {name}: id {meta['id']!r} must equal the file name (R01, R02, ...)")
    if meta["severity"] not in SEVERITIES:
        raise RuleError(f"rule {name}: severity must be one of {', '.join(SEVERITIES)}")
    statement = "\n".join(body).strip()
    if not statement or ";" in statement.rstrip(";"):
        raise RuleError(f"rule {name}: expected exactly one statement")
    return meta, statement


def load_rules(ids: Iterable[str] | None = None) -> list[Rule]:
    """The rule pool in id order, or the rules named by ``ids``."""
    folder = resources.files(cypher.__name__) / "rules"
    found = {
        entry.name.removesuffix(".cypher"): entry
        for entry in folder.iterdir()
        if entry.name.endswith(".cypher")
    }
    wanted = sorted(found) if ids is None else list(dict.fromkeys(ids))
    unknown = [rule_id for rule_id in wanted if rule_id not in found]
    if unknown:
        raise RuleError(f"no such rule: {', '.join(unknown)}")
    return [parse_rule(rule_id, found[rule_id].read_text(encoding="utf-8")) for rule_id in wanted]


def split_overrides(
    rules: Sequence[Rule], overrides: Mapping[str, Any] | None
) -> dict[str, dict[str, Any]]:
    """Per-rule overrides from ``{"name": v}`` (every rule with that parameter) and
    ``{"R02.name": v}`` (one rule); a name no selected rule declares is an error."""
    per_rule: dict[str, dict[str, Any]] = {rule.id: {} for rule in rules}
    by_id = {rule.id: rule for rule in rules}
    for key, value in (overrides or {}).items():
        if key == "today":
            raise RuleError("set the time reference with today=, not as a parameter")
        rule_id, _, name = key.rpartition(".")
        if rule_id:
            if rule_id not in by_id:
                raise RuleError(f"override {key!r}: rule {rule_id} is not selected")
            if name not in by_id[rule_id].defaults:
                raise RuleError(f"override {key!r}: {rule_id} has no parameter {name!r}")
            per_rule[rule_id][name] = value
            continue
        targets = [rule for rule in rules if name in rule.defaults]
        if not targets:
            raise RuleError(f"override {key!r}: no selected rule has that parameter")
        for rule in targets:
            per_rule[rule.id].setdefault(name, value)
    return per_rule


# --------------------------------------------------------------------------- evaluation


def evaluate_rule(
    store: GraphStore,
    rule: Rule,
    *,
    today: date | None = None,
    overrides: Mapping[str, Any] | None = None,
    timeout_s: float | None = None,
) -> list[Finding]:
    """Run one rule read-only; one finding per subject, sorted by subject."""
    params = rule.params(today or date.today(), overrides)
    try:
        rows = store.read(rule.text, timeout_s=timeout_s, **params)
    except QueryError as exc:
        raise RuleError(f"rule {rule.id} failed: {exc}") from exc
    merged: dict[str, list[str]] = {}
    for row in rows:
        subject, evidence = _check_row(rule.id, row)
        if subject not in merged:
            merged[subject] = list(evidence)
            continue
        known = merged[subject]
        known.extend(item for item in evidence if item not in known)
    return [Finding(subject, merged[subject]) for subject in sorted(merged)]


def _check_row(rule_id: str, row: Row) -> tuple[str, list[str]]:
    if set(row) != {"subject", "evidence"}:
        raise RuleError(f"rule {rule_id} must return subject, evidence; got {sorted(row)}")
    subject, evidence = row["subject"], row["evidence"]
    if not isinstance(subject, str) or not subject:
        raise RuleError(f"rule {rule_id}: subject must be a USCC string, got {subject!r}")
    if not isinstance(evidence, list) or not all(isinstance(item, str) for item in evidence):
        raise RuleError(f"rule {rule_id}: evidence must be a list of strings, got {evidence!r}")
    return subject, evidence


def ensure_alert_schema(store: GraphStore) -> None:
    """Indexes for alerts (idempotent)."""
    apply_ddl(store, "alert_schema")


def run_rules(
    store: GraphStore,
    *,
    rule_ids: Iterable[str] | None = None,
    today: date | None = None,
    overrides: Mapping[str, Any] | None = None,
    now: datetime | None = None,
    batch_size: int = 1000,
    timeout_s: float | None = None,
    cases: bool = True,
) -> RunSummary:
    """Evaluate rules and record their findings as de-duplicated alerts, then regroup
    the alerts into cases (``cases=False`` leaves that to ``riskgraph cases rebuild``).

    A rule the database cannot evaluate (a memory or time limit, a query error) is
    reported in its result's ``error`` and costs only itself; an unreachable database
    stops the run."""
    rules = load_rules(rule_ids)
    per_rule = split_overrides(rules, overrides)
    today = today or date.today()
    stamp = timestamp(now)
    summary = RunSummary(run_id=uuid.uuid4().hex[:16], today=today.isoformat(), started_at=stamp)
    ensure_alert_schema(store)
    upsert = store.query_text("alert_upsert")
    for rule in rules:
        started = time.monotonic()
        result = RuleResult(rule=rule.id, title_zh=rule.title_zh, severity=rule.severity)
        summary.results.append(result)
        try:
            findings = evaluate_rule(
                store, rule, today=today, overrides=per_rule[rule.id], timeout_s=timeout_s
            )
        except Unavailable:
            raise  # the next rules would fail the same way
        except (RuleError, GraphError) as exc:
            result.error = str(exc)
            result.seconds = round(time.monotonic() - started, 3)
            continue
        rows = [
            {"key": alert_key(rule.id, f.subject), "subject": f.subject, "evidence": f.evidence}
            for f in findings
        ]
        for start in range(0, len(rows), batch_size):
            [counts] = store.write(
                upsert,
                rows=rows[start : start + batch_size],
                rule=rule.id,
                title=rule.title,
                title_zh=rule.title_zh,
                severity=rule.severity,
                now=stamp,
                run_id=summary.run_id,
                status=OPEN,
            )
            result.matched += int(counts["matched"])
            result.new += int(counts["new"])
        result.repeated = result.matched - result.new
        [gone] = store.read(
            store.query_text("alert_not_seen"),
            rule=rule.id,
            run_id=summary.run_id,
            statuses=list(ACTIVE_STATUSES),
        )
        result.not_seen = int(gone["not_seen"])
        result.seconds = round(time.monotonic() - started, 3)
    if cases:
        summary.cases = rebuild_cases(store, now=now).to_dict()
    return summary


def alert_key(rule_id: str, subject: str) -> str:
    """The alert's key: one alert per rule and subject."""
    return f"{rule_id}|{subject}"
