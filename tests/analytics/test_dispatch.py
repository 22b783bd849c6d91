"""Dispatch batches (派发批次): thresholds, tasks per firm, status transitions, CLI."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime

import pytest
from rules_fixtures import TODAY, Registry
from typer.testing import CliRunner

from riskgraph.analytics import dispatch
from riskgraph.analytics.dispatch import (
    DispatchSource,
    DispatchThresholds,
    InvalidTaskTransition,
    TaskNotFound,
    check_transition,
)
from riskgraph.analytics.rules import run_rules
from riskgraph.commands.dispatch import app as dispatch_app
from riskgraph.errors import Invalid
from riskgraph.graph.store import GraphStore

NOW = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


def alerts_graph(store: GraphStore) -> str:
    """R22 (low) on six firms in 510107 and one in 510104; R21 (high) on one branch."""
    reg = Registry()
    for i in range(6):
        reg.firm(f"A{i}", registered_capital=10.0, paid_in_capital=100.0)
    reg.firm("FAR", region_code="510104", registered_capital=10.0, paid_in_capital=100.0)
    reg.firm("HQ", status="吊销")
    reg.firm("BR", region_code="510104")
    reg.branch("BR", "HQ")
    reg.write(store)
    return run_rules(store, rule_ids=["R21", "R22"], today=TODAY).run_id


def test_thresholds_pick_severe_alerts_and_regional_clusters(store: GraphStore) -> None:
    run_id = alerts_graph(store)
    result = dispatch.create_batch(
        store, DispatchSource(run_id=run_id), created_by="tester", now=NOW
    )
    tasks = dispatch.list_tasks(store, result.batch["bid"], limit=50).items
    # BR: R21 is high; A0-A5: six R22 alerts in 510107 (>= 5); FAR: one R22 in 510104.
    assert [t["uscc"] for t in tasks] == ["A0", "A1", "A2", "A3", "A4", "A5", "BR"]
    assert result.alerts_considered == 8 and result.alerts_dispatched == 7
    assert result.batch["due"] == "2026-07-31"
    assert result.batch["counts"] == {"待签收": 7, "处理中": 0, "已办结": 0, "退回": 0}
    br = tasks[-1]
    assert br["rules"] == ["R21"] and br["alerts"] == ["R21|BR"] and br["unit"] == "510104"
    assert br["unit_name"] == "四川省成都市锦江区市场监督管理局"
    assert json.loads(result.batch["source"])["run_id"] == run_id

    # Firms with an unfinished task are left out; FAR alone passes a threshold of 1.
    again = dispatch.create_batch(
        store, None, DispatchThresholds(min_alerts_in_region=1), created_by="tester"
    )
    assert again.tasks == 1 and again.skipped_pending == 7
    with pytest.raises(Invalid, match="no alerts meet"):
        dispatch.create_batch(store, None, DispatchThresholds(), created_by="tester")
    listed = dispatch.list_batches(store).items
    assert {b["bid"] for b in listed} == {result.batch["bid"], again.batch["bid"]}


def test_batches_made_at_the_same_moment_give_each_firm_one_task(store: GraphStore) -> None:
    """Two supervisors (or a double click) create a batch from the same alerts at once:
    every firm gets one unfinished task in all, and the counts say what each batch got."""
    run_id = alerts_graph(store)
    start = threading.Barrier(3)
    results: list[dispatch.DispatchResult] = []
    refusals: list[Invalid] = []

    def create() -> None:
        start.wait()
        try:
            results.append(
                dispatch.create_batch(store, DispatchSource(run_id=run_id), created_by="t")
            )
        except Invalid as exc:
            refusals.append(exc)

    threads = [threading.Thread(target=create) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tasks = [
        task
        for result in results
        for task in dispatch.list_tasks(store, result.batch["bid"], limit=50).items
    ]
    assert sorted(task["uscc"] for task in tasks) == ["A0", "A1", "A2", "A3", "A4", "A5", "BR"]
    assert sum(result.tasks for result in results) == 7
    for result in results:
        assert result.batch["tasks"] == result.tasks == sum(result.batch["counts"].values())
    assert len(results) + len(refusals) == 3
    assert {b["bid"] for b in dispatch.list_batches(store).items} == {
        result.batch["bid"] for result in results
    }


def test_bad_thresholds_and_too_large_batches_are_refused(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    alerts_graph(store)
    with pytest.raises(Invalid):
        dispatch.create_batch(store, DispatchSource(min_severity="urgent"), created_by="t")
    with pytest.raises(Invalid):
        dispatch.create_batch(store, DispatchSource(region="51a"), created_by="t")
    with pytest.raises(Invalid):
        dispatch.create_batch(store, None, DispatchThresholds(due_days=0), created_by="t")
    monkeypatch.setattr(dispatch, "MAX_TASKS", 3)
    with pytest.raises(dispatch.BatchTooLarge):
        dispatch.create_batch(store, None, None, created_by="t")
    assert dispatch.list_batches(store).items == []


def test_task_transitions_are_checked_in_one_place(store: GraphStore) -> None:
    alerts_graph(store)
    bid = dispatch.create_batch(store, None, None, created_by="t").batch["bid"]
    tid = f"{bid}-00001"
    with pytest.raises(InvalidTaskTransition):
        dispatch.change_task_status(store, bid, tid, "已办结", note="done")
    with pytest.raises(Invalid, match="note"):
        dispatch.change_task_status(store, bid, tid, "退回")
    previous, task = dispatch.change_task_status(store, bid, tid, "处理中", actor="unit-07")
    assert previous == "待签收" and task["status"] == "处理中"
    _, task = dispatch.change_task_status(store, bid, tid, "退回", note="不属本辖区")
    _, task = dispatch.change_task_status(store, bid, tid, "待签收")
    history = dispatch.task_history(store, bid, tid)
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        ("待签收", "处理中"),
        ("处理中", "退回"),
        ("退回", "待签收"),
    ]
    assert history[0]["actor"] == "unit-07" and history[1]["note"] == "不属本辖区"
    with pytest.raises(TaskNotFound):
        dispatch.get_task(store, bid, f"{bid}-99999")
    with pytest.raises(Invalid):
        dispatch.list_tasks(store, bid, status="closed")
    for current, allowed in dispatch.TASK_TRANSITIONS.items():
        for status in dispatch.TASK_STATUSES:
            note = "n"
            if status in allowed:
                check_transition(current, status, note)
            else:
                with pytest.raises(InvalidTaskTransition):
                    check_transition(current, status, note)


def test_dispatch_commands(cli_env: GraphStore) -> None:
    alerts_graph(cli_env)
    runner = CliRunner()
    made = runner.invoke(dispatch_app, ["create", "--rule", "R22", "--json", "--actor", "me"])
    assert made.exit_code == 0, made.output
    created = json.loads(made.stdout)
    bid = created["batch"]["bid"]
    assert created["tasks"] == 6 and created["batch"]["created_by"] == "me"
    listed = runner.invoke(dispatch_app, ["list", "--json"])
    assert listed.exit_code == 0, listed.output
    [batch] = json.loads(listed.stdout)["items"]
    assert batch["bid"] == bid and batch["counts"]["待签收"] == 6
    table = runner.invoke(dispatch_app, ["list"])
    assert table.exit_code == 0 and "dispatch batches" in table.stdout
    moved = runner.invoke(dispatch_app, ["task", bid, f"{bid}-00002", "处理中"])
    assert moved.exit_code == 0 and "待签收 → 处理中" in moved.stdout
    refused = runner.invoke(dispatch_app, ["task", bid, f"{bid}-00002", "已办结"])
    assert refused.exit_code == 1 and "note" in refused.output
    shown = runner.invoke(dispatch_app, ["show", bid, "--status", "处理中", "--json"])
    assert shown.exit_code == 0, shown.output
    body = json.loads(shown.stdout)
    assert [t["tid"] for t in body["tasks"]] == [f"{bid}-00002"]
    assert body["batch"]["counts"]["处理中"] == 1
    missing = runner.invoke(dispatch_app, ["show", "DB-20260101-deadbeef"])
    assert missing.exit_code == 1


def test_select_alerts_counts_per_rule_and_region() -> None:
    rows = [
        {"rule": "R22", "region": "510107", "severity": "low", "uscc": str(i)} for i in range(3)
    ] + [{"rule": "R15", "region": "510107", "severity": "medium", "uscc": "x"}]
    picked = dispatch.select_alerts(rows, DispatchThresholds(min_alerts_in_region=3))
    assert [r["uscc"] for r in picked] == ["0", "1", "2"]
    medium = DispatchThresholds(severity_at_least="medium", min_alerts_in_region=4)
    assert [r["uscc"] for r in dispatch.select_alerts(rows, medium)] == ["x"]
    assert date.fromisoformat(TODAY.isoformat()) == TODAY
