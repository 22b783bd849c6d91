"""Alert cases on both engines: a planted ring is one case, unrelated alerts are not,
re-runs keep a case's id, status, assignee and history, merges and splits."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from rules_fixtures import TODAY, Registry, uscc
from typer.testing import CliRunner

from riskgraph.analytics import alerts, cases
from riskgraph.analytics.alerts import InvalidTransition
from riskgraph.analytics.case_evidence import evidence_entities
from riskgraph.analytics.cases import CaseFilter, CaseNotFound
from riskgraph.analytics.rules import run_rules
from riskgraph.commands.cases import app as cases_app
from riskgraph.errors import Invalid, JobRunning
from riskgraph.graph.job_lock import job_lock
from riskgraph.graph.store import GraphStore

RING = [uscc(i) for i in range(1, 7)]
LONERS = [uscc(50), uscc(51)]
RULES = ["R02", "R05"]


def ring_graph(store: GraphStore) -> GraphStore:
    """Six young firms with one legal representative at one address (R02, a shell ring),
    and two old firms whose capital was never paid in (R05), unrelated to anything."""
    reg = Registry()
    for n, key in enumerate(RING):
        reg.firm(key, established=f"2025-0{1 + n % 3}-01", address="addr-ring")
        reg.legal_rep("pid-ring", key)
    for n, key in enumerate(LONERS):
        reg.firm(key, established="2015-01-01", paid_in_capital=0.0, address=f"addr-{n}")
        reg.legal_rep(f"pid-{n}", key)
    reg.write(store)
    store.write(
        "MATCH (a:Address {aid: 'addr-ring'}) SET a.address = '四川省成都市武侯区示例路1号'"
    )
    store.write("MATCH (p:Person {pid: 'pid-ring'}) SET p.name = '王小明'")
    return store


def by_firms(store: GraphStore) -> dict[frozenset[str], dict[str, Any]]:
    page, _ = cases.list_cases(store, limit=100)
    return {frozenset(c["firms"]): c for c in page.items}


def test_a_ring_is_one_case_and_unrelated_alerts_are_two(store: GraphStore) -> None:
    store = ring_graph(store)
    summary = run_rules(store, rule_ids=RULES, today=TODAY)
    assert summary.cases is not None and summary.cases["alerts"] == 8
    found = by_firms(store)
    assert set(found) == {frozenset(RING), frozenset(LONERS[:1]), frozenset(LONERS[1:])}
    ring = found[frozenset(RING)]
    assert ring["alert_count"] == 6 and ring["firm_count"] == 6
    assert (ring["severity"], ring["status"], ring["rules"]) == ("high", "open", ["R02"])
    assert "person:pid-ring" in ring["keys"]
    page, counts = cases.list_cases(store)
    assert page.items[0]["id"] == ring["id"]  # high before low
    assert counts == {"open": 3, "in_progress": 0, "confirmed": 0, "dismissed": 0}
    assert {a["case_id"] for a in cases.case_alerts(store, ring["id"])} == {ring["id"]}
    assert cases.list_cases(store, CaseFilter(rule="R05"))[0].items[0]["rules"] == ["R05"]
    assert cases.list_cases(store, CaseFilter(region="5101"))[1]["open"] == 3
    assert cases.list_cases(store, CaseFilter(region="1101"))[1]["open"] == 0

    detail = cases.case_detail(store, ring["id"])
    assert sorted(f["uscc"] for f in detail["firms"]) == RING
    assert {f["name"] for f in detail["firms"]} == {f"企业{k}" for k in RING}
    entities = {(e["kind"], e["key"]): e for e in evidence_entities(store, detail["alerts"])}
    person = entities[("person", "pid-ring")]
    assert person["name"] == "王小明" and person["alerts"] == 6 and person["roles"] == ["legal_rep"]
    assert entities[("firm", RING[0])]["name"] == f"企业{RING[0]}"


def test_rerun_keeps_id_status_assignee_and_history(store: GraphStore) -> None:
    store = ring_graph(store)
    run_rules(store, rule_ids=RULES, today=TODAY)
    ring = by_firms(store)[frozenset(RING)]
    at = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assigned = cases.assign_case(store, ring["id"], "张警官", note="武侯所", actor="a:1", now=at)
    assert assigned["assignee"] == "张警官"
    change = cases.change_case_status(store, ring["id"], "in_progress", note="核查中", actor="a:1")
    assert (change.from_status, change.case["status"], change.changed) == ("open", "in_progress", 6)
    for alert in cases.case_alerts(store, ring["id"]):
        assert alert["status"] == "in_progress"
        assert alerts.alert_history(store, alert["key"])[-1]["note"] == "核查中"

    run_rules(store, rule_ids=RULES, today=TODAY)
    cases.rebuild_cases(store)
    again = by_firms(store)[frozenset(RING)]
    assert again["id"] == ring["id"] and again["assignee"] == "张警官"
    assert again["status"] == "in_progress"
    history = cases.case_detail(store, ring["id"])["history"]
    assert [(h["kind"], h["note"]) for h in history] == [("assign", "武侯所"), ("status", "核查中")]
    assert len(cases.list_cases(store, CaseFilter(assignee="张警官"))[0].items) == 1
    assert len(cases.list_cases(store, CaseFilter(unassigned=True))[0].items) == 2


def test_status_changes_follow_the_alert_model(store: GraphStore) -> None:
    store = ring_graph(store)
    run_rules(store, rule_ids=RULES, today=TODAY)
    ring = by_firms(store)[frozenset(RING)]
    with pytest.raises(Invalid, match="note is required"):
        cases.change_case_status(store, ring["id"], "dismissed")
    cases.change_case_status(store, ring["id"], "confirmed", note="空壳")
    # confirmed → dismissed is not a transition: refused before any alert changes
    with pytest.raises(InvalidTransition):
        cases.change_case_status(store, ring["id"], "dismissed", note="x")
    assert {a["status"] for a in cases.case_alerts(store, ring["id"])} == {"confirmed"}
    with pytest.raises(CaseNotFound):
        cases.get_case(store, "CASE-000000000000")
    loner = by_firms(store)[frozenset(LONERS[:1])]
    outcomes = cases.bulk_status(
        store, [ring["id"], loner["id"], "CASE-000000000000"], "dismissed", note="批量排除"
    )
    assert [(o.case_id, o.change is not None) for o in outcomes] == [
        (ring["id"], False),
        (loner["id"], True),
        ("CASE-000000000000", False),
    ]
    assert cases.get_case(store, loner["id"])["status"] == "dismissed"
    with pytest.raises(Invalid, match="at most"):
        cases.bulk_status(store, [f"CASE-{i:012x}" for i in range(101)], "open")


def test_an_alert_moved_by_another_session_midway_leaves_the_case_as_its_alerts_say(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another investigator confirms the third alert while this session dismisses the
    case: the change is refused there, the two alerts already dismissed stay so, and the
    case's status and open count are derived again from its alerts."""
    store = ring_graph(store)
    run_rules(store, rule_ids=RULES, today=TODAY)
    ring = by_firms(store)[frozenset(RING)]
    real = alerts.change_status
    calls: list[str] = []

    def raced(store: GraphStore, key: str, status: str, **kwargs: Any) -> Any:
        calls.append(key)
        if len(calls) == 3:  # the other session got there first
            store.write("MATCH (a:Alert {key: $key}) SET a.status = 'confirmed'", key=key)
        return real(store, key, status, **kwargs)

    monkeypatch.setattr(alerts, "change_status", raced)
    with pytest.raises(InvalidTransition, match="cannot become"):
        cases.change_case_status(store, ring["id"], "dismissed", note="排除", actor="a:1")
    statuses = [str(a["status"]) for a in cases.case_alerts(store, ring["id"])]
    assert statuses.count("dismissed") == 2 and statuses.count("confirmed") == 1
    case = cases.get_case(store, ring["id"])
    assert case["status"] == cases.case_status(statuses)
    assert case["open_alerts"] == sum(s in alerts.ACTIVE_STATUSES for s in statuses)
    assert cases.case_detail(store, ring["id"])["history"][-1]["alerts"] == 2


def test_a_rebuild_is_refused_while_another_runs(store: GraphStore) -> None:
    """Two overlapping rebuilds would each prune the cases the other wrote."""
    store = ring_graph(store)
    run_rules(store, rule_ids=RULES, today=TODAY, cases=False)
    with job_lock(store, "cases_rebuild"), pytest.raises(JobRunning, match="under way"):
        cases.rebuild_cases(store)
    assert cases.list_cases(store, limit=100)[0].items == []
    assert cases.rebuild_cases(store).cases == 3  # the ring and the two loners


def test_a_merge_keeps_the_larger_case_and_its_history(store: GraphStore) -> None:
    store = ring_graph(store)
    run_rules(store, rule_ids=RULES, today=TODAY)
    before = by_firms(store)
    ring, loner = before[frozenset(RING)], before[frozenset(LONERS[:1])]
    cases.assign_case(store, loner["id"], "李警官")
    # The loner's alert now names the ring's legal representative: it joins the ring's case.
    store.write(
        "MATCH (a:Alert {key: $key}) SET a.evidence = a.evidence + ['legal_rep:pid-ring']",
        key=f"R05|{LONERS[0]}",
    )
    report = cases.rebuild_cases(store)
    assert (report.cases, report.merged, report.deleted) == (2, 1, 1)
    merged = by_firms(store)[frozenset(RING + LONERS[:1])]
    assert merged["id"] == ring["id"] and merged["alert_count"] == 7
    history = cases.case_detail(store, ring["id"])["history"]
    kinds = [(h["kind"], h["other"] or h["moved_from"]) for h in history]
    assert ("merged", loner["id"]) in kinds and ("assign", loner["id"]) in kinds
    with pytest.raises(CaseNotFound):
        cases.get_case(store, loner["id"])


def test_cases_commands(cli_env: GraphStore) -> None:
    ring_graph(cli_env)
    run_rules(cli_env, rule_ids=RULES, today=TODAY, cases=False)
    runner = CliRunner()
    rebuilt = runner.invoke(cases_app, ["rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "8 alerts in 3 cases" in rebuilt.output
    listed = runner.invoke(cases_app, ["list", "--json"])
    assert listed.exit_code == 0, listed.output
    ring = next(c for c in json.loads(listed.output)["items"] if c["firm_count"] == 6)
    assigned = runner.invoke(cases_app, ["assign", ring["id"], "张警官"])
    assert assigned.exit_code == 0 and "张警官" in assigned.output
    refused = runner.invoke(cases_app, ["status", ring["id"], "--status", "dismissed"])
    assert refused.exit_code == 1 and "note is required" in refused.output
    moved = runner.invoke(cases_app, ["status", ring["id"], "--status", "in_progress"])
    assert moved.exit_code == 0 and "in_progress (6 alerts changed)" in moved.output
    shown = runner.invoke(cases_app, ["show", ring["id"]])
    assert shown.exit_code == 0 and "in_progress" in shown.output and RING[0] in shown.output
