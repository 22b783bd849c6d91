"""The rule pool: every rule on a hand-built graph, alert de-duplication and case status."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any, cast

import pytest
from planted import planted_recovery
from rules_fixtures import TODAY, Registry
from typer.testing import CliRunner

from riskgraph.analytics import alerts, rules
from riskgraph.analytics.alerts import (
    AlertFilter,
    AlertNotFound,
    InvalidTransition,
    change_status,
)
from riskgraph.analytics.rules import (
    Rule,
    RuleError,
    evaluate_rule,
    load_rules,
    parse_rule,
    run_rules,
)
from riskgraph.commands.analytics import rules_app
from riskgraph.errors import GraphError, Invalid
from riskgraph.graph.store import GraphStore

RULES_DIR = Path(str(resources.files("riskgraph.cypher"))).resolve() / "rules"
POOL = {rule.id: rule for rule in load_rules()}


def flagged(store: GraphStore, rule_id: str, **overrides: Any) -> set[str]:
    return {
        f.subject for f in evaluate_rule(store, POOL[rule_id], today=TODAY, overrides=overrides)
    }


# --------------------------------------------------------------------------- the pool


def test_the_pool_has_at_least_twelve_well_formed_rules() -> None:
    assert len(POOL) >= 12
    assert sorted(POOL) == [f"R{i:02d}" for i in range(1, len(POOL) + 1)]
    for rule in POOL.values():
        assert rule.severity in rules.SEVERITIES and rule.title and rule.title_zh
        assert rule.text.splitlines()[0].startswith("// ")
        assert rule.text.splitlines()[1].startswith("// :params {")
    assert POOL["R02"].targets == "shell_ring"
    assert POOL["R09"].targets == "circular_shareholding"


def test_rule_files_pass_neo4j_parser_and_semantic_analysis() -> None:
    node = shutil.which("node")
    assert node, "node is required for the Cypher lint"
    files = sorted(RULES_DIR.glob("*.cypher"))
    result = subprocess.run(
        [node, "cypher/lint.mjs", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=RULES_DIR.parent.parent,
    )
    report = json.loads(result.stdout)
    errors = [
        (entry["file"], d["message"])
        for entry in report["files"]
        for d in entry["diagnostics"]
        if d["severity"] == "error"
    ]
    assert result.returncode == 0 and errors == [], errors


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '// T\n// :params {"today": "2026-01-01"}\n// title_zh: x\n// severity: low\nRETURN 1',
            "missing metadata id",
        ),
        (
            '// T\n// :params {"today": "2026-01-01"}\n// id: R99\n// title_zh: x\n'
            "// severity: urgent\nRETURN 1",
            "severity",
        ),
        (
            "// T\n// :params {today: 1}\n// id: R99\n// title_zh: x\n// severity: low\nRETURN 1",
            "not JSON",
        ),
        (
            '// T\n// :params {"today": "2026-01-01"}\n// id: R99\n// title_zh: x\n'
            "// severity: low\nRETURN $n AS subject",
            "without a default",
        ),
        (
            '// T\n// :params {"today": "2026-01-01", "n": 1}\n// id: R99\n// title_zh: x\n'
            "// severity: low\nRETURN 1",
            "does not use",
        ),
        (
            '// T\n// :params {"today": "2026-01-01"}\n// id: R99\n// title_zh: x\n'
            "// severity: low\nRETURN 1; RETURN 2",
            "one statement",
        ),
    ],
)
def test_malformed_rule_files_are_refused(content: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse_rule("R99", content)


def test_overrides_reach_only_rules_that_declare_them() -> None:
    chosen = load_rules(["R02", "R03", "R09"])
    per_rule = rules.split_overrides(chosen, {"min_firms": 7, "R03.min_firms": 4})
    assert per_rule == {"R02": {"min_firms": 7}, "R03": {"min_firms": 4}, "R09": {}}
    with pytest.raises(RuleError, match="no selected rule"):
        rules.split_overrides(chosen, {"no_such": 1})
    with pytest.raises(RuleError, match="not selected"):
        rules.split_overrides(chosen, {"R05.years": 2})
    with pytest.raises(RuleError, match="no such rule"):
        load_rules(["R77"])


def test_rows_of_the_wrong_shape_are_refused(store: GraphStore) -> None:
    bad = Rule("R99", "t", "t", "low", {"today": "2026-01-01"}, "RETURN 1 AS subject")
    with pytest.raises(RuleError, match="subject, evidence"):
        evaluate_rule(store, bad, today=TODAY)
    bad = Rule("R99", "t", "t", "low", {"today": "x"}, "RETURN 'a' AS subject, 1 AS evidence")
    with pytest.raises(RuleError, match="list of strings"):
        evaluate_rule(store, bad, today=TODAY)


# --------------------------------------------------------------------------- each rule


def test_r01_cluster_address_with_abnormal_listings(store: GraphStore) -> None:
    reg = Registry()
    for i in range(4):
        reg.firm(f"A{i}", address="hot")
        reg.firm(f"B{i}", address="calm")
    reg.violation("A0", "经营异常名录", "2025-05-01")
    reg.violation("A1", "经营异常名录", "2025-06-01")
    reg.violation("B0", "经营异常名录", "2025-05-01", status="已移出")
    reg.violation("B1", "行政处罚", "2025-05-01")
    reg.write(store)
    hot = {f"A{i}" for i in range(4)}
    assert flagged(store, "R01", min_firms=4, min_abnormal_share=0.5) == hot
    assert flagged(store, "R01", min_firms=4, min_abnormal_share=0.6) == set()
    assert flagged(store, "R01", min_firms=5, min_abnormal_share=0.1) == set()
    [finding] = evaluate_rule(
        store,
        POOL["R01"],
        today=TODAY,
        overrides={"min_firms": 4, "min_abnormal_share": 0.5},
    )[:1]
    assert finding.evidence == ["address:hot", "firms:4", "abnormal:2"]


def test_r02_one_legal_representative_many_new_firms(store: GraphStore) -> None:
    reg = Registry()
    for i, day in enumerate(["2025-01-10", "2025-02-10", "2025-03-10"]):
        reg.legal_rep("ring", reg.firm(f"S{i}", established=day))
    reg.legal_rep("ring", reg.firm("OLD", established="2015-01-01"))  # outside the window
    reg.firm("HOLDING")
    for i, day in enumerate(["2025-01-10", "2025-02-10", "2025-03-10"]):
        reg.legal_rep("group", reg.firm(f"G{i}", established=day))
        reg.invest("HOLDING", f"G{i}", 1.0)  # group subsidiaries: a normal batch
    for i, day in enumerate(["2022-01-10", "2023-06-10", "2025-03-10"]):
        reg.legal_rep("slow", reg.firm(f"T{i}", established=day))
    reg.legal_rep("gone", reg.firm("X0", established="2025-01-10"), until="2025-02-01")
    reg.legal_rep("gone", reg.firm("X1", established="2025-01-20"))
    reg.legal_rep("gone", reg.firm("X2", established="2025-01-30"))
    reg.write(store)
    assert flagged(store, "R02", min_firms=3, months=6) == {"S0", "S1", "S2"}
    assert flagged(store, "R02", min_firms=3, months=1) == set()
    assert flagged(store, "R02", min_firms=4, months=6) == set()
    [first] = evaluate_rule(
        store, POOL["R02"], today=TODAY, overrides={"min_firms": 3, "months": 6}
    )[:1]
    assert first.evidence[0] == "legal_rep:ring"
    assert sorted(first.evidence[1:]) == ["firm:S0", "firm:S1", "firm:S2"]


def test_r03_abnormal_listed_firms_sharing_a_legal_rep(store: GraphStore) -> None:
    reg = Registry()
    for key in ("X", "Y"):
        reg.legal_rep("p", reg.firm(key))
        reg.violation(key, "经营异常名录", "2025-01-01")
    reg.legal_rep("q", reg.firm("Z"))
    reg.legal_rep("q", reg.firm("W"))
    reg.violation("Z", "经营异常名录", "2025-01-01")
    reg.violation("W", "经营异常名录", "2025-01-01", status="已移出")
    reg.write(store)
    assert flagged(store, "R03", min_firms=2) == {"X", "Y"}
    assert flagged(store, "R03", min_firms=3) == set()


def test_r04_frequent_legal_rep_changes(store: GraphStore) -> None:
    reg = Registry()
    reg.firm("F", established="2018-01-01")
    reg.legal_rep("a", "F", since="2018-01-01", until="2025-01-01")
    reg.legal_rep("b", "F", since="2025-01-01", until="2025-08-01")
    reg.legal_rep("c", "F", since="2025-08-01", until="2026-02-01")
    reg.legal_rep("d", "F", since="2026-02-01")
    reg.firm("G", established="2018-01-01")
    reg.legal_rep("e", "G", since="2018-01-01", until="2025-01-01")
    reg.legal_rep("f", "G", since="2025-01-01")
    reg.write(store)
    assert flagged(store, "R04", min_changes=3, months=24) == {"F"}
    assert flagged(store, "R04", min_changes=3, months=12) == set()
    assert flagged(store, "R04", min_changes=1, months=24) == {"F", "G"}


def test_r05_capital_unpaid_for_years(store: GraphStore) -> None:
    reg = Registry()
    reg.firm("OLD0", established="2018-01-01", paid_in_capital=0.0, registered_capital=500.0)
    reg.firm("PAID", established="2018-01-01", paid_in_capital=100.0, registered_capital=500.0)
    reg.firm("NEW0", established="2024-01-01", paid_in_capital=0.0, registered_capital=500.0)
    reg.firm("SOLE", established="2018-01-01", paid_in_capital=0.0, org_type="个体工商户")
    reg.write(store)
    assert flagged(store, "R05", years=5) == {"OLD0"}
    assert flagged(store, "R05", years=2) == {"OLD0", "NEW0"}
    assert flagged(store, "R05", years=5, min_capital=1000.0) == set()


def test_r06_violation_soon_after_establishment(store: GraphStore) -> None:
    reg = Registry()
    reg.violation(reg.firm("EARLY", established="2025-01-01"), "行政处罚", "2025-03-01")
    reg.violation(reg.firm("LATE", established="2025-01-01"), "行政处罚", "2025-10-01")
    reg.violation(reg.firm("SOFT", established="2025-01-01"), "投诉举报", "2025-02-01")
    reg.write(store)
    assert flagged(store, "R06", months=6) == {"EARLY"}
    assert flagged(store, "R06", months=12) == {"EARLY", "LATE"}
    assert flagged(store, "R06", months=6, kinds=["行政处罚", "投诉举报"]) == {
        "EARLY",
        "SOFT",
    }


def test_r07_high_frequency_complaints(store: GraphStore) -> None:
    reg = Registry()
    reg.firm("LOUD")
    reg.firm("PAST")
    for day in ("2025-09-01", "2026-01-01", "2026-05-01"):
        reg.violation("LOUD", "投诉举报", day)
    for day in ("2024-01-01", "2026-01-01", "2026-05-01"):
        reg.violation("PAST", "投诉举报", day)
    reg.write(store)
    assert flagged(store, "R07", min_complaints=3, months=12) == {"LOUD"}
    assert flagged(store, "R07", min_complaints=3, months=36) == {"LOUD", "PAST"}
    assert flagged(store, "R07", min_complaints=4, months=36) == set()


def test_r08_new_firm_after_deregistration_same_place_same_person(
    store: GraphStore,
) -> None:
    reg = Registry()
    reg.legal_rep("p", reg.firm("OLD", status="注销", established="2015-01-01", address="a1"))
    reg.legal_rep("p", reg.firm("NEW", established="2021-01-01", address="a1"))
    reg.legal_rep("q", reg.firm("OLD2", status="注销", established="2015-01-01", address="a2"))
    reg.legal_rep("q", reg.firm("ELSEWHERE", established="2021-01-01", address="a3"))
    reg.legal_rep("r", reg.firm("LIVE", established="2015-01-01", address="a4"))
    reg.legal_rep("r", reg.firm("SECOND", established="2021-01-01", address="a4"))
    reg.write(store)
    assert flagged(store, "R08") == {"NEW"}
    [finding] = evaluate_rule(store, POOL["R08"], today=TODAY)
    assert finding.evidence == ["legal_rep:p", "address:a1", "deregistered:OLD"]
    assert flagged(store, "R08", deregistered_status="吊销") == set()


def test_r09_circular_shareholding(store: GraphStore) -> None:
    reg = Registry()
    for key in ("L1", "L2", "L3", "M1", "M2", "M3"):
        reg.firm(key, status=None if key == "L2" else "存续")  # sources may lack a status
    reg.invest("L1", "L2", 0.3)
    reg.invest("L2", "L3", 0.3)
    reg.invest("L3", "L1", 0.3)
    reg.invest("M1", "M2", 0.9)
    reg.invest("M2", "M3", 0.9)  # a chain, not a loop
    reg.write(store)
    assert flagged(store, "R09") == {"L1", "L2", "L3"}
    assert flagged(store, "R09", min_ratio=0.4) == set()
    assert flagged(store, "R09", max_length=2) == set()
    [first] = evaluate_rule(store, POOL["R09"], today=TODAY)[:1]
    assert first.evidence == ["firm:L1", "firm:L2", "firm:L3", "firm:L1"]


def test_r10_d_class_within_two_hops(store: GraphStore) -> None:
    reg = Registry()
    reg.firm("D1", label_class="D")
    reg.firm("HELD", label_class="B")
    reg.invest("D1", "HELD", 0.5)  # one hop
    reg.firm("PEER", label_class="A")
    reg.legal_rep("p", "D1")
    reg.officer("p", "PEER")  # two hops through a person
    reg.firm("FAR", label_class="A")
    reg.invest("HELD", "MID", 0.5)
    reg.firm("MID", risk_class="B", label_class="D")  # scored class wins over the label
    reg.invest("MID", "FAR", 0.5)  # three hops from D1
    reg.firm("EX", label_class="A")
    reg.officer("q", "D1")
    reg.officer("q", "EX", until="2024-01-01")  # ended position
    reg.write(store)
    assert flagged(store, "R10") == {"HELD", "PEER", "MID"}
    assert flagged(store, "R10", classes=["C"]) == set()


def test_r11_branch_of_a_d_class_enterprise(store: GraphStore) -> None:
    reg = Registry()
    reg.firm("HQ", label_class="D")
    reg.firm("OK", risk_class="A", label_class="D")
    reg.branch(reg.firm("BR", org_type="分公司"), "HQ")
    reg.branch(reg.firm("BR2", org_type="分公司"), "OK")
    reg.write(store)
    assert flagged(store, "R11") == {"BR"}
    assert flagged(store, "R11", classes=["A"]) == {"BR2"}


def test_r12_industry_barred_in_its_region(store: GraphStore) -> None:
    reg = Registry()
    reg.firm("MINE", region_code="510104", industry_code="B0610")
    reg.firm("RURAL", region_code="510129", industry_code="B0610")
    reg.firm("SHOP", region_code="510104", industry_code="F5211")
    reg.write(store)
    assert flagged(store, "R12") == {"MINE"}
    table = [{"region_prefix": "5101", "industry_prefix": "B06"}]
    assert flagged(store, "R12", barred=table) == {"MINE", "RURAL"}
    assert flagged(store, "R12", barred=[]) == set()


def test_r13_legal_rep_of_a_seriously_dishonest_firm(store: GraphStore) -> None:
    reg = Registry()
    reg.legal_rep("p", reg.firm("E"))
    reg.legal_rep("p", reg.firm("BAD"))
    reg.violation("BAD", "严重违法失信", "2025-01-01")
    reg.legal_rep("q", reg.firm("E2"))
    reg.legal_rep("q", reg.firm("REPAIRED"))
    reg.violation("REPAIRED", "严重违法失信", "2025-01-01", status="已移出")
    reg.write(store)
    assert flagged(store, "R13", years=3) == {"E"}
    assert flagged(store, "R13", years=1) == set()


def test_r14_repeated_inspection_failures(store: GraphStore) -> None:
    reg = Registry()
    reg.firm("TWICE")
    reg.firm("ONCE")
    reg.violation("TWICE", "抽查检查不合格", "2025-03-01")
    reg.violation("TWICE", "抽查检查不合格", "2026-03-01")
    reg.violation("ONCE", "抽查检查不合格", "2026-03-01")
    reg.write(store)
    assert flagged(store, "R14", min_failures=2, months=24) == {"TWICE"}
    assert flagged(store, "R14", min_failures=2, months=6) == set()


# --------------------------------------------------------------------------- alerts


def loop_graph(store: GraphStore) -> GraphStore:
    reg = Registry()
    for key in ("L1", "L2", "L3"):
        reg.firm(key)
    reg.invest("L1", "L2", 0.3)
    reg.invest("L2", "L3", 0.3)
    reg.invest("L3", "L1", 0.3)
    return reg.write(store)


def alerts_by_key(store: GraphStore) -> dict[str, dict[str, Any]]:
    return {a["key"]: a for a in alerts.list_alerts(store, limit=1000).items}


def test_alerts_are_deduplicated_across_runs(store: GraphStore) -> None:
    store = loop_graph(store)
    first_time = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    first = run_rules(store, rule_ids=["R09"], today=TODAY, now=first_time)
    [result] = first.results
    assert (result.matched, result.new, result.repeated, result.not_seen) == (3, 3, 0, 0)
    second = run_rules(store, rule_ids=["R09"], today=TODAY, now=datetime(2026, 7, 2, tzinfo=UTC))
    [result] = second.results
    assert (result.matched, result.new, result.repeated) == (3, 0, 3)
    alerts = alerts_by_key(store)
    assert sorted(alerts) == ["R09|L1", "R09|L2", "R09|L3"]
    for alert in alerts.values():
        assert alert["run_count"] == 2 and alert["status"] == "open"
        assert alert["first_seen"] == "2026-07-01T08:00:00Z"
        assert alert["last_seen"] == "2026-07-02T00:00:00Z"
        assert alert["last_run"] == second.run_id and alert["first_run"] == first.run_id
    [linked] = store.read(
        "MATCH (e:Enterprise)-[:HAS_ALERT]->(a:Alert) RETURN count(*) AS n, "
        "sum(CASE WHEN e.uscc = a.subject THEN 1 ELSE 0 END) AS ok"
    )
    assert linked["n"] == 3 and linked["ok"] == 3

    store.write("MATCH (:Enterprise {uscc: 'L3'})-[r:INVESTS_IN]->() DELETE r")
    third = run_rules(store, rule_ids=["R09"], today=TODAY)
    [result] = third.results
    assert (result.matched, result.not_seen) == (0, 3)
    assert len(alerts_by_key(store)) == 3  # kept as cases, just not seen again


class FailingRule:
    """The store, except that one rule's query fails as the database's memory limit
    would make it (Neo4j's db.memory.transaction.max at 1.57M firms)."""

    def __init__(self, store: GraphStore, text: str) -> None:
        self.store, self.text = store, text

    def read(self, query: str, /, **params: Any) -> list[dict[str, Any]]:
        if query == self.text:
            raise GraphError("MemoryPoolOutOfMemoryError: db.memory.transaction.max reached")
        return self.store.read(query, **params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_a_rule_the_database_cannot_evaluate_costs_only_itself(store: GraphStore) -> None:
    store = loop_graph(store)
    first = run_rules(store, rule_ids=["R09"], today=TODAY)
    [r09] = load_rules(["R09"])
    failing = cast(GraphStore, FailingRule(store, r09.text))
    summary = run_rules(failing, rule_ids=["R09", "R11"], today=TODAY)
    errors = {result.rule: result.error for result in summary.results}
    assert errors["R11"] is None and "transaction.max" in str(errors["R09"])
    assert [result.rule for result in summary.failed] == ["R09"]
    # The failed rule's alerts stay as the last good run left them.
    assert {a["last_run"] for a in alerts_by_key(store).values()} == {first.run_id}


def test_case_status_changes_keep_a_history(store: GraphStore) -> None:
    store = loop_graph(store)
    run_rules(store, rule_ids=["R09"], today=TODAY)
    key = "R09|L1"
    at = datetime(2026, 7, 3, 9, 0, tzinfo=UTC)
    change_status(store, key, "in_progress", note="assigned", actor="inspector-1", now=at)
    with pytest.raises(Invalid, match="note is required"):
        change_status(store, key, "dismissed")
    alert = change_status(
        store, key, "dismissed", note="legitimate cross-holding", actor="i-2"
    ).alert
    assert alert["status"] == "dismissed" and alert["note"] == "legitimate cross-holding"
    with pytest.raises(InvalidTransition, match="cannot become"):
        change_status(store, key, "confirmed", note="x")
    with pytest.raises(Invalid, match="unknown status"):
        change_status(store, key, "closed")
    with pytest.raises(AlertNotFound):
        change_status(store, "R09|NOPE", "in_progress")
    change_status(store, key, "open", note="new evidence")
    history = alerts.alert_history(store, key)
    assert [(h["seq"], h["from_status"], h["to_status"]) for h in history] == [
        (1, "open", "in_progress"),
        (2, "in_progress", "dismissed"),
        (3, "dismissed", "open"),
    ]
    assert history[0]["at"] == "2026-07-03T09:00:00Z" and history[0]["actor"] == "inspector-1"
    # A re-run keeps the case status and its history.
    change_status(store, key, "confirmed", note="confirmed on site")
    run_rules(store, rule_ids=["R09"], today=TODAY)
    assert alerts.get_alert(store, key)["status"] == "confirmed"
    assert len(alerts.alert_history(store, key)) == 4
    assert [a["key"] for a in alerts.list_alerts(store, AlertFilter(status="confirmed")).items] == [
        key
    ]


# --------------------------------------------------------------------------- command line


def test_rules_commands(cli_env: GraphStore) -> None:
    loop_graph(cli_env)
    runner = CliRunner()
    listed = runner.invoke(rules_app, ["list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert [r["id"] for r in json.loads(listed.stdout)] == sorted(POOL)

    args = ["run", "--rule", "R09", "--rule", "R02", "--today", "2026-06-30", "--json"]
    ran = runner.invoke(rules_app, [*args, "--param", "R02.min_firms=6"])
    assert ran.exit_code == 0, ran.output
    summary = json.loads(ran.stdout)
    assert [(r["rule"], r["new"]) for r in summary["rules"]] == [("R09", 3), ("R02", 0)]
    table = runner.invoke(rules_app, ["run", "--rule", "R09", "--today", "2026-06-30"])
    assert table.exit_code == 0 and "循环持股" in table.stdout

    bad = runner.invoke(rules_app, ["run", "--param", "nonsense=1"])
    assert bad.exit_code == 1 and "nonsense" in bad.output

    changed = runner.invoke(
        rules_app, ["status", "R09|L2", "dismissed", "--note", "checked", "--json"]
    )
    assert changed.exit_code == 0, changed.output
    assert json.loads(changed.stdout)["alert"]["status"] == "dismissed"
    shown = runner.invoke(rules_app, ["alerts", "--status", "dismissed", "--json"])
    assert [a["key"] for a in json.loads(shown.stdout)] == ["R09|L2"]
    history = runner.invoke(rules_app, ["history", "R09|L2"])
    assert history.exit_code == 0 and "checked" in history.stdout
    refused = runner.invoke(rules_app, ["status", "R09|L2", "confirmed", "--note", "x"])
    assert refused.exit_code == 1


# --------------------------------------------------------------------------- planted patterns


@pytest.mark.parametrize("seed", [3, 4])
def test_planted_rings_and_loops_are_recovered(
    store: GraphStore, tmp_path: Path, seed: int
) -> None:
    from riskgraph.analytics.clusters import ClusterParams, build
    from riskgraph.graph.schema import init_schema
    from riskgraph.ingest.generate import REFERENCE_DATE, generate_registry
    from riskgraph.ingest.loader import Loader
    from riskgraph.ingest.registry_format import RegistryFormat

    folder = tmp_path / "registry"
    generate_registry(2000, seed, folder)
    init_schema(store)
    loader = Loader(
        store,
        RegistryFormat(b"secret-at-least-16b", today=date(2026, 11, 1)),
        runs_dir=tmp_path / "runs",
        batch_size=5000,
    )
    loader.run(folder)
    run_rules(store, rule_ids=["R02", "R09"], today=REFERENCE_DATE)
    build(store, ClusterParams(today=REFERENCE_DATE))
    scores = planted_recovery(store, folder / "truth" / "patterns.csv")
    assert scores["instances"] >= 6
    assert scores["recall"] >= 0.95 and scores["precision"] >= 0.9, scores


def test_two_sessions_changing_one_alert_at_once_one_wins(store: GraphStore) -> None:
    """Several investigators move the same open alert at the same moment: exactly one
    change lands and is logged; the others are told it changed meanwhile (on Neo4j the
    status check must read after the alert is locked, or every change lands)."""
    store = loop_graph(store)
    run_rules(store, rule_ids=["R09"], today=TODAY)
    key = "R09|L1"

    def move(start: threading.Barrier, outcomes: list[str], who: int) -> None:
        start.wait()
        try:
            change_status(store, key, "in_progress", note=f"taken by {who}", actor=f"i-{who}")
            outcomes.append("changed")
        except InvalidTransition:
            outcomes.append("refused")

    for _ in range(10):
        store.write("MATCH (a:Alert {key: $key}) SET a.status = 'open'", key=key)
        before = len(alerts.alert_history(store, key))
        start = threading.Barrier(4)
        outcomes: list[str] = []
        threads = [threading.Thread(target=move, args=(start, outcomes, i)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["changed", "refused", "refused", "refused"]
        assert len(alerts.alert_history(store, key)) == before + 1
