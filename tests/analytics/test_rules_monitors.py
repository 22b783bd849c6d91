"""Rules R15-R22 (the supervision monitors) on hand-built graphs: each flags its pattern
and leaves the near miss alone; plus their planted patterns in a generated registry."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from planted import rule_recovery
from rules_fixtures import TODAY, Registry

from riskgraph.analytics.rules import evaluate_rule, load_rules
from riskgraph.graph.store import GraphStore

POOL = {rule.id: rule for rule in load_rules()}


def flagged(store: GraphStore, rule_id: str, **overrides: Any) -> set[str]:
    return {
        f.subject for f in evaluate_rule(store, POOL[rule_id], today=TODAY, overrides=overrides)
    }


def test_the_pool_has_twenty_two_rules_each_targeting_a_planted_pattern() -> None:
    assert len(POOL) >= 22
    assert sorted(POOL) == [f"R{i:02d}" for i in range(1, len(POOL) + 1)]
    targets = {rule_id: POOL[rule_id].targets for rule_id in POOL if rule_id >= "R15"}
    assert all(targets.values()), targets
    assert len(set(targets.values())) == len(targets)


def test_r15_region_where_abnormal_listings_surge(store: GraphStore) -> None:
    reg = Registry()
    for i in range(12):  # 12 listed in the last month in 510107, 2 the month before
        reg.violation(reg.firm(f"HOT{i:02d}", region_code="510107"), "经营异常名录", "2026-06-15")
    for i in range(2):
        reg.violation(reg.firm(f"OLD{i}", region_code="510107"), "经营异常名录", "2026-05-10")
    for i in range(12):  # 12 this month against 10 the month before: steady
        reg.violation(reg.firm(f"STD{i:02d}", region_code="510104"), "经营异常名录", "2026-06-20")
    for i in range(10):
        reg.violation(reg.firm(f"PRE{i:02d}", region_code="510104"), "经营异常名录", "2026-05-05")
    reg.write(store)
    assert flagged(store, "R15") == {f"HOT{i:02d}" for i in range(12)}
    assert flagged(store, "R15", min_firms=13) == set()
    found = evaluate_rule(store, POOL["R15"], today=TODAY)[0]
    assert found.evidence == ["region:510107", "listed_latest:12", "listed_before:2"]


def _licences(store: GraphStore, rows: list[dict[str, Any]]) -> None:
    store.write(store.query_text("ingest_licences"), rows=rows, run_id="test")


def _licence(lid: str, uscc: str, **props: Any) -> dict[str, Any]:
    base = {"licence_no": lid, "licence_kind": "食品经营许可证", "holder_name": f"企业{uscc}"}
    base.update(region_code="510107", aid="A1")
    base.update(props)
    return {"lid": lid, "uscc": uscc, "props": base, "issued": "2024-01-01", "valid_until": None}


def test_r16_licence_inconsistent_with_registration(store: GraphStore) -> None:
    reg = Registry()
    for key in ("SAME", "NAME", "REGION", "ADDR", "EXPIRED", "GONE"):
        reg.firm(key, address="A1", status="注销" if key == "GONE" else "存续")
    reg.write(store)
    expired = _licence("L5", "EXPIRED", holder_name="别的名字")
    expired["valid_until"] = "2025-12-31"
    _licences(
        store,
        [
            _licence("L0", "SAME"),
            _licence("L1", "NAME", holder_name="企业NAME旧名称"),
            _licence("L2", "REGION", region_code="510104"),
            _licence("L3", "ADDR", aid="A9"),
            expired,
            _licence("L6", "GONE", holder_name="x"),
        ],
    )
    assert flagged(store, "R16") == {"NAME", "REGION", "ADDR"}
    [name] = [f for f in evaluate_rule(store, POOL["R16"], today=TODAY) if f.subject == "NAME"]
    assert name.evidence == ["licence:L1", "differs:name"]


def _reports(store: GraphStore, rows: list[tuple[str, int, str | None]]) -> None:
    store.write(
        store.query_text("ingest_annual_reports"),
        rows=[
            {"rid": f"{u}|{y}", "uscc": u, "props": {"year": y}, "filed_on": on}
            for u, y, on in rows
        ],
        run_id="test",
    )


def test_r17_c_and_d_firms_that_did_not_file_last_years_report(store: GraphStore) -> None:
    reg = Registry()
    reg.firm("MISSED_D", label_class="D")
    reg.firm("MISSED_C_SCORED", label_class="A", risk_class="C")
    reg.firm("MISSED_B", label_class="B")
    reg.firm("FILED_D", label_class="D")
    reg.firm("LATE_D", label_class="D")
    reg.firm("OLD_YEAR_D", label_class="D")
    reg.firm("NO_ROW_D", label_class="D")
    reg.write(store)
    _reports(
        store,
        [
            ("MISSED_D", 2025, None),
            ("MISSED_C_SCORED", 2025, None),
            ("MISSED_B", 2025, None),
            ("FILED_D", 2025, "2026-04-01"),
            ("LATE_D", 2025, "2026-08-01"),  # after the time reference: not filed yet then
            ("OLD_YEAR_D", 2024, None),
        ],
    )
    assert flagged(store, "R17") == {"MISSED_D", "MISSED_C_SCORED", "LATE_D"}
    assert flagged(store, "R17", classes=["D"]) == {"MISSED_D", "LATE_D"}
    assert flagged(store, "R17", years_back=2) == {"OLD_YEAR_D"}


def test_r18_many_new_officers_within_a_year(store: GraphStore) -> None:
    reg = Registry()
    reg.firm("CHURN", established="2018-01-01")
    reg.firm("FOUNDING", established="2026-01-01")
    reg.firm("SLOW", established="2018-01-01")
    reg.write(store)
    rows = [(f"C{i}", "CHURN", f"2026-0{i + 1}-10") for i in range(5)]
    rows += [(f"F{i}", "FOUNDING", "2026-01-20") for i in range(5)]  # the founding team
    rows += [(f"S{i}", "SLOW", f"202{i}-03-01") for i in range(5)]  # one a year
    store.write(
        "UNWIND $rows AS row MERGE (p:Person {pid: row.pid}) WITH p, row "
        "MATCH (e:Enterprise {uscc: row.uscc}) "
        "CREATE (p)-[:HOLDS_POSITION {role: '董事', since: date(row.since)}]->(e)",
        rows=[{"pid": p, "uscc": u, "since": s} for p, u, s in rows],
    )
    assert flagged(store, "R18") == {"CHURN"}
    assert flagged(store, "R18", min_officers=6) == set()
    assert flagged(store, "R18", grace_days=0) == {"CHURN", "FOUNDING"}


def test_r19_large_penalty_soon_after_establishment(store: GraphStore) -> None:
    reg = Registry()
    reg.firm("YOUNG", established="2025-03-01")
    reg.firm("SMALL", established="2025-03-01")
    reg.firm("OLD", established="2015-03-01")
    reg.write(store)
    store.write(
        "UNWIND $rows AS row MATCH (e:Enterprise {uscc: row.uscc}) "
        "CREATE (e)-[:HAS_VIOLATION]->(:Violation {vid: row.vid, kind: '行政处罚', "
        "status: '有效', date: date(row.date), amount: row.amount})",
        rows=[
            {"uscc": "YOUNG", "vid": "v1", "date": "2025-09-01", "amount": 800000.0},
            {"uscc": "SMALL", "vid": "v2", "date": "2025-09-01", "amount": 20000.0},
            {"uscc": "OLD", "vid": "v3", "date": "2025-09-01", "amount": 800000.0},
        ],
    )
    assert flagged(store, "R19") == {"YOUNG"}
    assert flagged(store, "R19", months=3) == set()
    assert flagged(store, "R19", min_amount=10000.0) == {"YOUNG", "SMALL"}


def test_r20_every_investor_a_listed_enterprise(store: GraphStore) -> None:
    reg = Registry()
    for key in ("S1", "S2", "CLEAN", "ALL", "MIXED", "PERSON", "ALONE"):
        reg.firm(key)
    reg.violation("S1", "经营异常名录", "2025-01-01")
    reg.violation("S2", "经营异常名录", "2025-02-01")
    for target in ("ALL", "PERSON"):
        reg.invest("S1", target, 0.5)
        reg.invest("S2", target, 0.5)
    reg.invest("S1", "MIXED", 0.5)
    reg.invest("CLEAN", "MIXED", 0.5)
    reg.person_invest("P1", "PERSON", 0.0)
    reg.invest("S1", "ALONE", 1.0)
    reg.write(store)
    assert flagged(store, "R20") == {"ALL"}
    assert flagged(store, "R20", min_investors=1) == {"ALL", "ALONE"}


def test_r21_operating_branch_of_a_revoked_head_office(store: GraphStore) -> None:
    reg = Registry()
    reg.firm("HQ", status="吊销")
    reg.firm("LIVE", status="存续")
    reg.firm("CLOSED", status="注销")
    reg.firm("HQ_OK", status="存续")
    reg.firm("OTHER", status="在业")
    reg.branch("LIVE", "HQ")
    reg.branch("CLOSED", "HQ")
    reg.branch("OTHER", "HQ_OK")
    reg.write(store)
    assert flagged(store, "R21") == {"LIVE"}


def test_r22_paid_in_far_above_registered(store: GraphStore) -> None:
    reg = Registry()
    reg.firm("EXCESS", registered_capital=100.0, paid_in_capital=500.0)
    reg.firm("SLIGHT", registered_capital=100.0, paid_in_capital=120.0)
    reg.firm("FULL", registered_capital=100.0, paid_in_capital=100.0)
    reg.write(store)
    assert flagged(store, "R22") == {"EXCESS"}
    assert flagged(store, "R22", min_ratio=1.1) == {"EXCESS", "SLIGHT"}


def test_monitor_rules_recover_their_planted_patterns(store: GraphStore, tmp_path: Path) -> None:
    from riskgraph.analytics.rules import run_rules
    from riskgraph.graph.schema import init_schema
    from riskgraph.ingest.generate import REFERENCE_DATE, generate_registry
    from riskgraph.ingest.loader import Loader
    from riskgraph.ingest.registry_format import RegistryFormat

    folder = tmp_path / "registry"
    generate_registry(3000, 3, folder)
    init_schema(store)
    loader = Loader(
        store,
        RegistryFormat(b"secret-at-least-16b", today=date(2026, 11, 1)),
        runs_dir=tmp_path / "runs",
        batch_size=5000,
    )
    report = loader.run(folder)
    assert report.files["licences"].loaded == report.files["licences"].input_rows > 0
    assert report.files["annual_reports"].loaded == report.files["annual_reports"].input_rows
    new_rules = [rule_id for rule_id in POOL if rule_id >= "R15"]
    summary = run_rules(store, rule_ids=new_rules, today=REFERENCE_DATE)
    assert summary.failed == []
    scores = rule_recovery(store, folder / "truth" / "patterns.csv")
    for rule_id in new_rules:
        assert scores[rule_id]["planted"] > 0, (rule_id, scores[rule_id])
        assert scores[rule_id]["recall"] == 1.0, (rule_id, scores[rule_id])
        # R18 also finds firms whose ordinary officers happen to start within the year.
        least = 0.3 if rule_id == "R18" else 1.0
        assert scores[rule_id]["precision"] >= least, (rule_id, scores[rule_id])
