"""A random registry for the screening tests, and an independent Python reading of
every screening field over it (the oracle the compiled Cypher is checked against)."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from riskgraph.graph.store import GraphStore
from riskgraph.reference import (
    ORG_TYPES,
    STATUSES,
    VIOLATION_KINDS,
    entity_kind,
    new_economy_prefixes,
)

TODAY = date(2026, 6, 30)
REGIONS = ("510107", "510104", "510302", "110108", "510115")
INDUSTRIES = ("I6510", "I65", "C1310", "C", "F5123", "A0111", None)
RULES = ("R01", "R02", "R03", "R05")


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _maybe(rng: random.Random, p: float, value: Any) -> Any:
    return value if rng.random() < p else None


@dataclass
class Data:
    """The registry as plain Python: what the graph is built from and the oracle reads."""

    firms: dict[str, dict[str, Any]] = field(default_factory=dict)
    legal_reps: list[dict[str, Any]] = field(default_factory=list)  # pid, uscc, since, until
    positions: list[dict[str, Any]] = field(default_factory=list)
    investments: list[dict[str, Any]] = field(default_factory=list)  # kind, investor, investee
    branches: list[dict[str, Any]] = field(default_factory=list)  # branch, parent, since
    addresses: dict[str, str] = field(default_factory=dict)  # uscc -> aid
    violations: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    inspections: list[dict[str, Any]] = field(default_factory=list)
    selections: list[str] = field(default_factory=list)
    licences: list[dict[str, Any]] = field(default_factory=list)
    annual_reports: list[dict[str, Any]] = field(default_factory=list)


def generate(seed: int = 11, firms: int = 90) -> Data:
    """A seeded random registry touching every field."""
    rng = random.Random(seed)
    data = Data()
    keys = [f"SC{i:04d}" for i in range(firms)]
    for key in keys:
        data.firms[key] = _firm(rng, key)
    persons = [f"P{i:03d}" for i in range(firms // 3)]
    for key in keys:
        _people(rng, data, key, keys, persons)
        _records(rng, data, key)
    for key in rng.sample(keys, firms // 8):
        parent = rng.choice(keys)
        if parent != key:
            since = _maybe(rng, 0.8, _day(rng, date(2018, 1, 1), TODAY))
            data.branches.append({"branch": key, "parent": parent, "since": since})
    filings = random.Random(seed * 31 + 7)  # its own draws: the registry above stays as it was
    for key in keys:
        _filings(filings, data, key)
    return data


def _firm(rng: random.Random, key: str) -> dict[str, Any]:
    code = rng.choice(INDUSTRIES)
    scored = rng.random() < 0.7
    probs = [rng.random() for _ in range(4)]
    total = sum(probs)
    firm: dict[str, Any] = {
        "uscc": key,
        "name": rng.choice(["成都", "武侯", "青羊"])
        + rng.choice(["科技", "贸易"])
        + key
        + "有限公司",
        "org_type": _maybe(rng, 0.95, rng.choice(ORG_TYPES)),
        "status": _maybe(rng, 0.9, rng.choice(STATUSES)),
        "established": _day(rng, date(1998, 1, 1), date(2026, 6, 1)),
        "registered_capital": _maybe(
            rng, 0.85, rng.choice([0.0, 10.0, 50.0, 100.0, 500.0, 3000.0])
        ),
        "paid_in_capital": _maybe(rng, 0.7, rng.choice([0.0, 5.0, 50.0, 100.0])),
        "industry_code": code,
        "industry_section": code[0] if code else None,
        "region_code": rng.choice(REGIONS),
        "phone": _maybe(rng, 0.5, "028-12345678"),
        "email": _maybe(rng, 0.3, "a@example.cn"),
        "label_class": _maybe(rng, 0.4, rng.choice("ABCD")),
    }
    if scored:
        firm.update(
            risk_class=rng.choice("ABCD"),
            risk_score=round(rng.random(), 4),
            model_version=rng.choice(["v1", "v2"]),
            **{f"p_{c}": p / total for c, p in zip("ABCD", probs, strict=True)},
        )
    return firm


def _people(rng: random.Random, data: Data, key: str, keys: list[str], persons: list[str]) -> None:
    for pid in sorted({rng.choice(persons) for _ in range(rng.choice([0, 1, 1, 1, 2]))}):
        data.legal_reps.append(
            {
                "pid": pid,
                "uscc": key,
                "since": _maybe(rng, 0.8, _day(rng, date(2018, 1, 1), TODAY)),
                "until": _maybe(rng, 0.2, _day(rng, date(2024, 1, 1), date(2027, 1, 1))),
            }
        )
    for _ in range(rng.choice([0, 1, 2, 3])):
        data.positions.append(
            {
                "pid": rng.choice(persons),
                "uscc": key,
                "role": rng.choice(["董事", "监事", "经理"]),
                "since": _maybe(rng, 0.7, _day(rng, date(2015, 1, 1), TODAY)),
                "until": _maybe(rng, 0.3, _day(rng, date(2023, 1, 1), date(2027, 6, 1))),
            }
        )
    for _ in range(rng.choice([0, 1, 2, 3])):
        person = rng.random() < 0.6
        investor = rng.choice(persons) if person else rng.choice(keys)
        if investor == key:
            continue
        data.investments.append(
            {
                "kind": "person" if person else "enterprise",
                "investor": investor,
                "investee": key,
                "since": _maybe(rng, 0.7, _day(rng, date(2016, 1, 1), TODAY)),
            }
        )
    if rng.random() < 0.6:
        data.addresses[key] = f"A{rng.randrange(15):02d}"


def _records(rng: random.Random, data: Data, key: str) -> None:
    for n in range(rng.choice([0, 0, 1, 2, 4])):
        kind = rng.choice(VIOLATION_KINDS)
        data.violations.append(
            {
                "vid": f"{key}-V{n}",
                "uscc": key,
                "kind": kind,
                "status": rng.choice(["有效", "有效", "已移出", "已修复"]),
                "date": _day(rng, date(2019, 1, 1), TODAY),
                "amount": _maybe(rng, 0.6, float(rng.randrange(0, 50_000, 500)))
                if kind == "行政处罚"
                else None,
            }
        )
    if "risk_class" in data.firms[key]:
        for n in range(rng.choice([0, 1, 2, 4])):
            data.assessments.append(
                {
                    "uscc": key,
                    "n": n,
                    "date": _day(rng, date(2025, 1, 1), TODAY),
                    "risk_class": rng.choice("ABCD"),
                }
            )
    for rule in rng.sample(RULES, rng.choice([0, 0, 1, 2])):
        data.alerts.append(
            {
                "key": f"{rule}|{key}",
                "subject": key,
                "rule": rule,
                "status": rng.choice(["open", "in_progress", "confirmed", "dismissed"]),
                "severity": rng.choice(["high", "medium", "low"]),
            }
        )
    for n in range(rng.choice([0, 0, 1, 2])):
        data.inspections.append(
            {
                "rid": f"{key}-R{n}",
                "uscc": key,
                "date": _day(rng, date(2022, 1, 1), TODAY),
                "result": rng.choice(["合格", "不合格"]),
            }
        )
    if rng.random() < 0.2:
        data.selections.append(key)


def _filings(rng: random.Random, data: Data, key: str) -> None:
    """Licences (some in force, some expired or not yet issued, some unlike the
    registration) and annual reports (filed on time, late, on the deadline, or not)."""
    firm = data.firms[key]
    for n in range(rng.choice([0, 0, 1, 1, 2])):
        issued = _day(rng, date(2015, 1, 1), date(2026, 12, 31))
        ends = _maybe(rng, 0.8, issued + timedelta(days=rng.randrange(300, 4000)))
        data.licences.append(
            {
                "lid": f"{key}-L{n}",
                "uscc": key,
                "holder_name": rng.choice([firm["name"]] * 8 + ["别的名字有限公司", None]),
                "region_code": rng.choice([firm["region_code"]] * 5 + ["510104", None]),
                "aid": rng.choice([data.addresses.get(key)] * 3 + ["A99", None]),
                "issued": issued,
                "valid_until": ends,
            }
        )
    for year in (2023, 2024, 2025):
        if firm["established"].year > year or rng.random() < 0.25:
            continue
        due = date(year + 1, 6, 30)
        filed = rng.choice(
            [
                None,
                due,
                due + timedelta(days=1),
                _day(rng, date(year + 1, 1, 1), min(TODAY, date(year + 1, 12, 31))),
                _day(rng, date(year + 1, 1, 1), due),
            ]
        )
        if filed is not None and filed > TODAY:
            filed = None
        data.annual_reports.append(
            {"rid": f"{key}|{year}", "uscc": key, "year": year, "filed_on": filed}
        )


def _iso(rows: list[dict[str, Any]], *names: str) -> list[dict[str, Any]]:
    return [
        {k: (v.isoformat() if k in names and v is not None else v) for k, v in r.items()}
        for r in rows
    ]


def build(store: GraphStore, data: Data) -> None:
    """Write the registry into the graph the way ingest and the domain write it."""
    rows = [
        {
            "uscc": k,
            "props": {n: v for n, v in f.items() if n not in ("uscc", "established")},
            "established": f["established"].isoformat(),
        }
        for k, f in data.firms.items()
    ]
    store.write(
        "UNWIND $rows AS row CREATE (e:Enterprise {uscc: row.uscc}) "
        "SET e += row.props, e.established = date(row.established)",
        rows=rows,
    )
    pids = sorted(
        {r["pid"] for r in data.legal_reps + data.positions}
        | {i["investor"] for i in data.investments if i["kind"] == "person"}
    )
    store.write("UNWIND $pids AS pid CREATE (:Person {pid: pid})", pids=pids)
    store.write(
        "UNWIND $rows AS row MATCH (p:Person {pid: row.pid}) MATCH (e:Enterprise {uscc: row.uscc}) "
        "CREATE (p)-[:LEGAL_REP_OF {since: date(row.since), until: date(row.until)}]->(e)",
        rows=_iso(data.legal_reps, "since", "until"),
    )
    store.write(
        "UNWIND $rows AS row MATCH (p:Person {pid: row.pid}) MATCH (e:Enterprise {uscc: row.uscc}) "
        "CREATE (p)-[:HOLDS_POSITION {role: row.role, since: date(row.since), "
        "until: date(row.until)}]->(e)",
        rows=_iso(data.positions, "since", "until"),
    )
    for kind, label, key in (("person", "Person", "pid"), ("enterprise", "Enterprise", "uscc")):
        store.write(
            f"UNWIND $rows AS row MATCH (i:{label} {{{key}: row.investor}}) "
            "MATCH (e:Enterprise {uscc: row.investee}) "
            "CREATE (i)-[:INVESTS_IN {since: date(row.since)}]->(e)",
            rows=_iso([i for i in data.investments if i["kind"] == kind], "since"),
        )
    store.write(
        "UNWIND $rows AS row MATCH (b:Enterprise {uscc: row.branch}) "
        "MATCH (p:Enterprise {uscc: row.parent}) "
        "CREATE (b)-[:BRANCH_OF {since: date(row.since)}]->(p)",
        rows=_iso(data.branches, "since"),
    )
    store.write(
        "UNWIND $rows AS row MATCH (e:Enterprise {uscc: row.uscc}) "
        "MERGE (a:Address {aid: row.aid}) "
        "CREATE (e)-[:REGISTERED_AT]->(a)",
        rows=[{"uscc": k, "aid": a} for k, a in data.addresses.items()],
    )
    store.write(
        "UNWIND $rows AS row MATCH (e:Enterprise {uscc: row.uscc}) "
        "CREATE (e)-[:HAS_VIOLATION]->(:Violation {vid: row.vid, kind: row.kind, "
        "status: row.status, "
        "date: date(row.date), amount: row.amount})",
        rows=_iso(data.violations, "date"),
    )
    store.write(
        "UNWIND $rows AS row MATCH (e:Enterprise {uscc: row.uscc}) "
        "CREATE (e)-[:HAS_ASSESSMENT]->(:RiskAssessment {risk_class: row.risk_class, "
        "date: date(row.date)})",
        rows=_iso(data.assessments, "date"),
    )
    store.write(
        "UNWIND $rows AS row MATCH (e:Enterprise {uscc: row.subject}) "
        "CREATE (e)-[:HAS_ALERT]->(:Alert {key: row.key, subject: row.subject, rule: row.rule, "
        "status: row.status, severity: row.severity})",
        rows=data.alerts,
    )
    store.write(
        "UNWIND $rows AS row MATCH (e:Enterprise {uscc: row.uscc}) "
        "CREATE (e)-[:HAS_INSPECTION]->(:InspectionRecord {rid: row.rid, uscc: row.uscc, "
        "date: date(row.date), result: row.result})",
        rows=_iso(data.inspections, "date"),
    )
    store.write(
        "CREATE (:InspectionPlan {plan_id: 'IP-old'}) WITH 1 AS one "
        "UNWIND $keys AS key MATCH (e:Enterprise {uscc: key}) "
        "MATCH (p:InspectionPlan {plan_id: 'IP-old'}) "
        "CREATE (e)-[:SELECTED_FOR]->(p)",
        keys=data.selections,
    )

    store.write(
        store.query_text("ingest_licences"),
        run_id="screen-fixture",
        rows=[
            {
                "lid": lic["lid"],
                "uscc": lic["uscc"],
                "props": {
                    "licence_no": lic["lid"],
                    "holder_name": lic["holder_name"],
                    "region_code": lic["region_code"],
                    "aid": lic["aid"],
                },
                "issued": lic["issued"].isoformat(),
                "valid_until": lic["valid_until"] and lic["valid_until"].isoformat(),
            }
            for lic in data.licences
        ],
    )
    store.write(
        store.query_text("ingest_annual_reports"),
        run_id="screen-fixture",
        rows=[
            {
                "rid": r["rid"],
                "uscc": r["uscc"],
                "props": {"year": r["year"]},
                "filed_on": r["filed_on"] and r["filed_on"].isoformat(),
            }
            for r in data.annual_reports
        ],
    )


# --------------------------------------------------------------------------- the oracle


class Oracle:
    """Reads each field's value for one firm straight from :class:`Data`."""

    def __init__(self, data: Data, today: date = TODAY) -> None:
        self.data = data
        self.today = today
        self.by: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for name in (
            "legal_reps",
            "positions",
            "violations",
            "assessments",
            "alerts",
            "inspections",
            "licences",
            "annual_reports",
        ):
            for row in getattr(data, name):
                self.by[name][row.get("uscc") or row["subject"]].append(row)
        for inv in data.investments:
            self.by["investors"][inv["investee"]].append(inv)
            if inv["kind"] == "enterprise":
                self.by["outward"][inv["investor"]].append(inv)
        for br in data.branches:
            self.by["branches"][br["parent"]].append(br)
            self.by["parents"][br["branch"]].append(br)
        self.rep_firms: dict[str, list[str]] = defaultdict(list)
        for rep in data.legal_reps:
            self.rep_firms[rep["pid"]].append(rep["uscc"])

    def value(self, key: str, field: str, start: date | None) -> Any:
        """The value of ``field`` for firm ``key`` with the window starting ``start``."""
        method = getattr(self, f"f_{field}", None)
        if method is not None:
            return method(key, start)
        return self.data.firms[key].get(field)

    def _in(self, day: date | None, start: date | None) -> bool:
        return start is None or (day is not None and day >= start)

    def _dated(self, day: date | None, start: date | None) -> bool:
        return day is not None and self._in(day, start)

    def _current(self, row: dict[str, Any]) -> bool:
        return row["until"] is None or row["until"] > self.today

    def _violations(
        self, key: str, start: date | None, kind: str | None = None, status: str | None = None
    ) -> list[dict[str, Any]]:
        return [
            v
            for v in self.by["violations"][key]
            if (kind is None or v["kind"] == kind)
            and (status is None or v["status"] == status)
            and self._in(v["date"], start)
        ]

    def f_entity_kind(self, key: str, start: date | None) -> str:
        return entity_kind(self.data.firms[key].get("org_type"))

    def f_age_years(self, key: str, start: date | None) -> int | None:
        est = self.data.firms[key]["established"]
        years = (
            self.today.year - est.year - ((self.today.month, self.today.day) < (est.month, est.day))
        )
        return years

    def f_paid_in_ratio(self, key: str, start: date | None) -> float | None:
        f = self.data.firms[key]
        reg, paid = f.get("registered_capital"), f.get("paid_in_capital")
        return paid / reg if reg and paid is not None else None

    def f_has_phone(self, key: str, start: date | None) -> bool:
        return self.data.firms[key].get("phone") is not None

    def f_has_email(self, key: str, start: date | None) -> bool:
        return self.data.firms[key].get("email") is not None

    def f_has_address(self, key: str, start: date | None) -> bool:
        return key in self.data.addresses

    def f_is_branch(self, key: str, start: date | None) -> bool:
        return bool(self.by["parents"][key])

    def f_branch_count(self, key: str, start: date | None) -> int:
        return len(self.by["branches"][key])

    def f_legal_rep_changes(self, key: str, start: date | None) -> int:
        return sum(1 for r in self.by["legal_reps"][key] if self._dated(r["since"], start))

    def f_investor_changes(self, key: str, start: date | None) -> int:
        return sum(1 for r in self.by["investors"][key] if self._dated(r["since"], start))

    def f_officer_changes(self, key: str, start: date | None) -> int:
        return sum(
            1
            for r in self.by["positions"][key]
            if self._dated(r["since"], start)
            or (r["until"] is not None and r["until"] <= self.today and self._in(r["until"], start))
        )

    def f_branches_set_up(self, key: str, start: date | None) -> int:
        return sum(1 for r in self.by["branches"][key] if self._dated(r["since"], start))

    def _in_force(self, lic: dict[str, Any]) -> bool:
        return lic["issued"] <= self.today and (
            lic["valid_until"] is None or lic["valid_until"] >= self.today
        )

    def f_licences(self, key: str, start: date | None) -> int:
        return sum(1 for r in self.by["licences"][key] if self._in(r["issued"], start))

    def f_licences_in_force(self, key: str, start: date | None) -> int:
        return sum(1 for r in self.by["licences"][key] if self._in_force(r))

    def f_licences_expired(self, key: str, start: date | None) -> int:
        return sum(
            1
            for r in self.by["licences"][key]
            if r["valid_until"] is not None
            and r["valid_until"] < self.today
            and self._in(r["valid_until"], start)
        )

    def f_licence_mismatch(self, key: str, start: date | None) -> bool:
        firm = self.data.firms[key]
        address = self.data.addresses.get(key)
        return any(
            (r["holder_name"] is not None and r["holder_name"] != firm["name"])
            or (r["region_code"] is not None and r["region_code"] != firm["region_code"])
            or (r["aid"] is not None and address is not None and r["aid"] != address)
            for r in self.by["licences"][key]
            if self._in_force(r)
        )

    def _filed(self, key: str) -> list[dict[str, Any]]:
        return [r for r in self.by["annual_reports"][key] if r["filed_on"] is not None]

    def f_annual_reports_filed(self, key: str, start: date | None) -> int:
        return sum(1 for r in self._filed(key) if self._in(r["filed_on"], start))

    def f_annual_reports_missing(self, key: str, start: date | None) -> int:
        return sum(1 for r in self.by["annual_reports"][key] if r["filed_on"] is None)

    def f_annual_reports_late(self, key: str, start: date | None) -> int:
        return sum(
            1
            for r in self._filed(key)
            if r["filed_on"] > date(r["year"] + 1, 6, 30) and self._in(r["filed_on"], start)
        )

    def f_last_report_year(self, key: str, start: date | None) -> int | None:
        return max((r["year"] for r in self._filed(key)), default=None)

    def f_new_economy(self, key: str, start: date | None) -> bool:
        code = self.data.firms[key].get("industry_code") or ""
        return any(code.startswith(prefix) for prefix in new_economy_prefixes())

    def f_investor_count(self, key: str, start: date | None) -> int:
        return len(self.by["investors"][key])

    def f_person_investors(self, key: str, start: date | None) -> int:
        return sum(1 for r in self.by["investors"][key] if r["kind"] == "person")

    def f_enterprise_investors(self, key: str, start: date | None) -> int:
        return sum(1 for r in self.by["investors"][key] if r["kind"] == "enterprise")

    def f_outward_investments(self, key: str, start: date | None) -> int:
        return len(self.by["outward"][key])

    def f_officer_count(self, key: str, start: date | None) -> int:
        return sum(1 for r in self.by["positions"][key] if self._current(r))

    def f_has_legal_rep(self, key: str, start: date | None) -> bool:
        return any(self._current(r) for r in self.by["legal_reps"][key])

    def f_abnormal_listed(self, key: str, start: date | None) -> bool:
        return bool(self._violations(key, None, "经营异常名录", "有效"))

    def f_serious_illegal_listed(self, key: str, start: date | None) -> bool:
        return bool(self._violations(key, None, "严重违法失信", "有效"))

    def _other_rep_firms(self, key: str) -> list[str]:
        return [o for r in self.by["legal_reps"][key] for o in self.rep_firms[r["pid"]] if o != key]

    def f_legal_rep_other_firms(self, key: str, start: date | None) -> int:
        return len(self._other_rep_firms(key))

    def f_legal_rep_firms_violations(self, key: str, start: date | None) -> int:
        return sum(
            len(self._violations(o, None, status="有效")) for o in self._other_rep_firms(key)
        )

    def f_colocated_firms(self, key: str, start: date | None) -> int:
        aid = self.data.addresses.get(key)
        return sum(1 for k, a in self.data.addresses.items() if a == aid and k != key) if aid else 0

    def f_investor_violations(self, key: str, start: date | None) -> int:
        return sum(
            len(self._violations(r["investor"], None, status="有效"))
            for r in self.by["investors"][key]
            if r["kind"] == "enterprise" and r["investor"] != key
        )

    def _open_alerts(self, key: str) -> list[dict[str, Any]]:
        return [a for a in self.by["alerts"][key] if a["status"] in ("open", "in_progress")]

    def f_open_alerts(self, key: str, start: date | None) -> int:
        return len(self._open_alerts(key))

    def f_open_alerts_high(self, key: str, start: date | None) -> int:
        return sum(1 for a in self._open_alerts(key) if a["severity"] == "high")

    def f_alert_rules(self, key: str, start: date | None) -> set[str]:
        return {a["rule"] for a in self._open_alerts(key)}

    def f_violations(self, key: str, start: date | None) -> int:
        return len(self._violations(key, start))

    def f_penalties(self, key: str, start: date | None) -> int:
        return len(self._violations(key, start, "行政处罚"))

    def f_abnormal_listings(self, key: str, start: date | None) -> int:
        return len(self._violations(key, start, "经营异常名录"))

    def f_serious_listings(self, key: str, start: date | None) -> int:
        return len(self._violations(key, start, "严重违法失信"))

    def f_failed_checks(self, key: str, start: date | None) -> int:
        return len(self._violations(key, start, "抽查检查不合格"))

    def f_complaints(self, key: str, start: date | None) -> int:
        return len(self._violations(key, start, "投诉举报"))

    def f_lawsuits(self, key: str, start: date | None) -> int:
        return len(self._violations(key, start, "司法涉诉"))

    def f_active_violations(self, key: str, start: date | None) -> int:
        return len(self._violations(key, start, status="有效"))

    def f_repaired_violations(self, key: str, start: date | None) -> int:
        return len(self._violations(key, start, status="已修复"))

    def f_penalty_amount(self, key: str, start: date | None) -> float:
        return sum(v["amount"] or 0.0 for v in self._violations(key, start, "行政处罚"))

    def f_inspections(self, key: str, start: date | None) -> int:
        return sum(1 for r in self.by["inspections"][key] if self._in(r["date"], start))

    def f_failed_inspections(self, key: str, start: date | None) -> int:
        return sum(
            1
            for r in self.by["inspections"][key]
            if r["result"] == "不合格" and self._in(r["date"], start)
        )

    def f_plan_selections(self, key: str, start: date | None) -> int:
        return self.data.selections.count(key)

    def f_effective_class(self, key: str, start: date | None) -> str | None:
        f = self.data.firms[key]
        return f.get("risk_class") or f.get("label_class")

    def f_is_scored(self, key: str, start: date | None) -> bool:
        return self.data.firms[key].get("risk_class") is not None

    def f_previous_class(self, key: str, start: date | None) -> str | None:
        cut = start or self.today
        earlier = [a for a in self.by["assessments"][key] if a["date"] <= cut]
        return (
            max(earlier, key=lambda a: (a["date"], a["risk_class"]))["risk_class"]
            if earlier
            else None
        )

    def _moved(self, key: str, start: date | None, rose: bool) -> bool:
        now = self.data.firms[key].get("risk_class")
        if now is None:
            return False
        return any(
            (a["risk_class"] < now if rose else a["risk_class"] > now)
            for a in self.by["assessments"][key]
            if self._in(a["date"], start)
        )

    def f_class_rose(self, key: str, start: date | None) -> bool:
        return self._moved(key, start, True)

    def f_class_fell(self, key: str, start: date | None) -> bool:
        return self._moved(key, start, False)

    def f_assessments(self, key: str, start: date | None) -> int:
        return sum(1 for a in self.by["assessments"][key] if self._in(a["date"], start))

    # ------------------------------------------------------------------ conditions

    def matches(self, key: str, node: dict[str, Any]) -> bool:
        """Whether firm ``key`` matches a screen in normal form (windows as months)."""
        if "all" in node:
            return all(self.matches(key, c) for c in node["all"])
        if "any" in node:
            return any(self.matches(key, c) for c in node["any"])
        if "not" in node:
            return not self.matches(key, node["not"])
        start = _months_before(self.today, node["months"]) if node.get("months") else None
        value = self.value(key, node["field"], start)
        return _holds(value, node["op"], node["value"])

    def select(self, screen: dict[str, Any]) -> set[str]:
        return {k for k in self.data.firms if self.matches(k, screen)}


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for d in range(day.day, 27, -1):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    return date(year, month + 1, 28)


def _holds(value: Any, op: str, target: Any) -> bool:
    if op == "missing":
        return (value is None) == target
    if isinstance(value, set):  # alert_rules: has one of the rules
        wanted = set(target) if op == "in" else {target}
        return bool(value & wanted)
    if value is None:
        return False
    if isinstance(value, date):
        target = (
            [date.fromisoformat(t) for t in target]
            if isinstance(target, list)
            else date.fromisoformat(target)
        )
    if op == "eq":
        return bool(value == target)
    if op == "in":
        return value in target
    if op == "prefix":
        return str(value).startswith(target)
    if op == "contains":
        return target in str(value)
    if op == "gte":
        return bool(value >= target)
    if op == "lte":
        return bool(value <= target)
    if op == "between":
        return bool(target[0] <= value <= target[1])
    raise AssertionError(op)
