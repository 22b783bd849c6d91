"""Managed lists (白名单, 沙盒): entries, exits, history, the sweep's exit rules, import,
and inspection plans reading the lists."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path

import pytest
from rules_fixtures import Registry, uscc
from typer.testing import CliRunner

from riskgraph.analytics import inspections as ip
from riskgraph.analytics import lists
from riskgraph.commands.lists import app as lists_app
from riskgraph.graph.store import GraphStore

ENTRY = date(2026, 1, 10)
SWEEP = date(2026, 6, 30)


def set_amount(store: GraphStore, vid: str, amount: float) -> None:
    store.write("MATCH (v:Violation {vid: $vid}) SET v.amount = $amount", vid=vid, amount=amount)


def test_add_exit_and_history(store: GraphStore) -> None:
    reg = Registry()
    reg.firm(uscc(1), label_class="A")
    reg.firm(uscc(2), label_class="D")
    reg.write(store)
    entry = lists.add_entry(
        store, "whitelist", uscc(1).lower(), "广告信用联盟成员", actor="analyst:1", today=ENTRY
    )
    assert entry["uscc"] == uscc(1) and entry["status"] == "active"
    assert entry["entered_by"] == "analyst:1" and entry["entered_on"] == "2026-01-10"
    assert entry.get("expires_on") is None  # the whitelist does not expire by default
    with pytest.raises(lists.ListConflict, match="already"):
        lists.add_entry(store, "whitelist", uscc(1), "again", actor="analyst:1", today=ENTRY)
    sandboxed = lists.add_entry(store, "sandbox", uscc(1), "四新经济", actor="a:2", today=ENTRY)
    assert sandboxed["expires_on"] == "2027-01-10"  # one-year 包容期
    with pytest.raises(lists.ListConflict, match="class D"):
        lists.add_entry(store, "whitelist", uscc(2), "no", actor="a", today=ENTRY)
    with pytest.raises(lists.ListEntryNotFound):
        lists.add_entry(store, "whitelist", uscc(9), "no such firm", actor="a", today=ENTRY)
    with pytest.raises(lists.ListError, match="reason"):
        lists.add_entry(store, "whitelist", uscc(1), "  ", actor="a")
    with pytest.raises(lists.ListError, match="unknown list"):
        lists.add_entry(store, "blacklist", uscc(1), "x", actor="a")
    with pytest.raises(lists.ListError, match="after"):
        lists.add_entry(store, "sandbox", uscc(1), "x", actor="a", expires_on=ENTRY, today=ENTRY)

    page = lists.list_entries(store, "whitelist")
    assert [(e["uscc"], e["name"], e["label_class"]) for e in page.items] == [
        (uscc(1), f"企业{uscc(1)}", "A")
    ]
    closed = lists.exit_entry(store, "whitelist", uscc(1), "主动退出", actor="analyst:3")
    assert closed["exit_rule"] == "manual"
    with pytest.raises(lists.ListEntryNotFound):
        lists.exit_entry(store, "whitelist", uscc(1), "twice", actor="analyst:3")
    assert lists.list_entries(store, "whitelist").items == []
    assert [e["uscc"] for e in lists.list_entries(store, "whitelist", status="exited").items] == [
        uscc(1)
    ]
    again = lists.add_entry(store, "whitelist", uscc(1), "重新认定", actor="analyst:1")
    history = lists.history(store, uscc(1))
    assert len(history) == 3  # whitelist (exited), sandbox, whitelist again: nothing deleted
    exited = [e for e in history if e["status"] == "exited"]
    assert [(e["list"], e["exit_reason"], e["exited_by"]) for e in exited] == [
        ("whitelist", "主动退出", "analyst:3")
    ]
    assert again["eid"] in {e["eid"] for e in history}
    assert lists.active_keys(store, "whitelist") == [uscc(1)]


def test_two_analysts_adding_one_firm_at_once_make_one_entry(store: GraphStore) -> None:
    """The second of two simultaneous adds is told the firm is on the list already (on
    Neo4j the check must read after the firm is locked, or both entries are made)."""
    reg = Registry()
    for n in range(1, 6):
        reg.firm(uscc(n), label_class="A")
    reg.write(store)

    def add(start: threading.Barrier, outcomes: list[str], key: str) -> None:
        start.wait()
        try:
            lists.add_entry(store, "whitelist", key, "守信", actor="analyst:1", today=ENTRY)
            outcomes.append("added")
        except lists.ListConflict:
            outcomes.append("refused")

    for n in range(1, 6):
        start = threading.Barrier(4)
        outcomes: list[str] = []
        threads = [threading.Thread(target=add, args=(start, outcomes, uscc(n))) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["added", "refused", "refused", "refused"]
        assert len(lists.history(store, uscc(n))) == 1


def sweep_registry(store: GraphStore) -> dict[str, tuple[str, str] | None]:
    """Firms listed on ENTRY and what should become of them at SWEEP: (list, rule) or
    None for staying."""
    reg = Registry()
    for n in range(1, 12):
        reg.firm(uscc(n), label_class="A")
    reg.violation(uscc(1), "经营异常名录", "2026-03-01")
    reg.violation(uscc(2), "经营异常名录", "2025-12-01")  # before entry: stays
    reg.violation(uscc(3), "严重违法失信", "2026-02-01")
    big = reg.violation(uscc(4), "行政处罚", "2026-02-01")
    small = reg.violation(uscc(5), "行政处罚", "2026-02-01")  # below the threshold: stays
    reg.violation(uscc(7), "经营异常名录", "2026-04-01")
    reg.violation(uscc(7), "严重违法失信", "2026-05-01")  # both: the serious rule first
    reg.violation(uscc(9), "经营异常名录", "2026-07-15")  # after the sweep day: stays
    reg.violation(uscc(10), "投诉举报", "2026-03-01")  # not an exit kind: stays
    reg.write(store)
    set_amount(store, big, 50_000.0)
    set_amount(store, small, 2_000.0)
    expected: dict[str, tuple[str, str] | None] = {}
    for n in (1, 2, 3, 4, 5, 6, 7, 9, 10):
        lists.add_entry(store, "whitelist", uscc(n), "守信", actor="analyst:1", today=ENTRY)
    lists.add_entry(store, "sandbox", uscc(8), "四新", actor="a:1", today=date(2025, 6, 1))
    lists.add_entry(store, "sandbox", uscc(11), "四新", actor="a:1", today=ENTRY)
    store.write("MATCH (e:Enterprise {uscc: $k}) SET e.risk_class = 'C'", k=uscc(6))
    expected.update(
        {
            uscc(1): ("whitelist", "annual_report_missed"),
            uscc(2): None,
            uscc(3): ("whitelist", "serious_violation"),
            uscc(4): ("whitelist", "serious_violation"),
            uscc(5): None,
            uscc(6): ("whitelist", "class_c_or_d"),
            uscc(7): ("whitelist", "serious_violation"),
            uscc(8): ("sandbox", "expired"),  # 包容期 ended 2026-06-01
            uscc(9): None,
            uscc(10): None,
            uscc(11): None,
        }
    )
    return expected


def test_the_sweep_exits_firms_with_the_rule_as_reason(store: GraphStore) -> None:
    expected = sweep_registry(store)
    report = lists.sweep(store, today=SWEEP)
    assert report.checked == len(expected)
    got = {e["uscc"]: (e["list"], e["rule"]) for e in report.exits}
    assert got == {k: v for k, v in expected.items() if v is not None}
    both = next(e for e in report.exits if e["uscc"] == uscc(7))
    assert [item.split("|")[0] for item in both["evidence"]] == [
        "serious_violation",
        "annual_report_missed",
    ]
    for key, outcome in expected.items():
        [entry] = lists.history(store, key)
        if outcome is None:
            assert entry["status"] == "active", key
            continue
        assert entry["status"] == "exited" and entry["exited_by"] == "system", key
        assert entry["exit_rule"] == outcome[1] and entry["exit_reason"], key
        assert entry["exited_on"] == SWEEP.isoformat()
    assert lists.sweep(store, today=SWEEP).exits == []  # nothing left to do
    assert lists.active_keys(store, "whitelist") == sorted([uscc(2), uscc(5), uscc(9), uscc(10)])
    # A higher penalty threshold keeps a firm that the default would let go.
    lists.add_entry(store, "whitelist", uscc(4), "复核", actor="a", today=date(2026, 1, 20))
    kept = lists.sweep(store, today=SWEEP, config=lists.SweepConfig(penalty_amount=100_000))
    assert kept.exits == []


def test_plans_read_the_managed_lists(store: GraphStore, tmp_path: Path) -> None:
    reg = Registry()
    for n in range(40):
        reg.firm(uscc(n), label_class="B")
    reg.firm(uscc(50), label_class="A")
    reg.firm(uscc(51), label_class="A")
    reg.firm(uscc(52), label_class="A")
    reg.violation(uscc(52), "经营异常名录", "2026-03-01")
    reg.write(store)
    whitelisted = [uscc(n) for n in range(20)]
    for key in [*whitelisted, uscc(52)]:
        lists.add_entry(store, "whitelist", key, "守信", actor="a", today=ENTRY)
    for key in (uscc(50), uscc(51)):
        lists.add_entry(store, "sandbox", key, "四新", actor="a", today=ENTRY)
    store.write(
        "MATCH (e:Enterprise {uscc: $k}) "
        "CREATE (e)-[:HAS_ALERT]->(:Alert {key: 'R07|' + $k, status: 'open'})",
        k=uscc(51),
    )
    plan = ip.create_plan(store, ip.PlanConfig(seed=3), tmp_path, as_of=SWEEP)
    inputs = plan["inputs"]
    assert inputs["whitelist"] == sorted(whitelisted)  # uscc(52) swept out first
    assert plan["lists"]["source"] == "managed"
    assert [(e["uscc"], e["rule"]) for e in plan["lists"]["swept"]] == [
        (uscc(52), "annual_report_missed")
    ]
    assert inputs["sandbox"] == [uscc(50), uscc(51)]
    factor = ip.PlanConfig(seed=3).whitelist_factor
    assert plan["counts"]["B/whitelist"] == {
        "population": 20,
        "selected": ip.stratum_size(ip.DEFAULT_RATIOS["B"] * factor, 20),
    }
    assert plan["counts"]["B"]["population"] == 20
    picked = {s["uscc"]: s for s in plan["selected"]}
    assert {s["reason"] for s in picked.values() if s["uscc"] in whitelisted} <= {"whitelist"}
    assert uscc(50) not in picked  # sandbox without a trigger
    assert picked[uscc(51)]["reason"] == "trigger"
    assert ip.verify_plan(ip.load_plan(tmp_path, plan["plan_id"]))
    given = ip.create_plan(store, ip.PlanConfig(seed=3), tmp_path, whitelist=[], as_of=SWEEP)
    assert given["inputs"]["whitelist"] == [] and given["lists"]["source"] == "given"


def test_import_loads_or_refuses_every_row(store: GraphStore, tmp_path: Path) -> None:
    reg = Registry()
    for n in range(1, 4):
        reg.firm(uscc(n), label_class="A")
    reg.firm(uscc(4), label_class="C")
    reg.write(store)
    path = tmp_path / "white.txt"
    path.write_text(
        "\n".join(
            [
                "# 守信激励",
                uscc(1),
                f"{uscc(2)},广告信用联盟,2027-06-30",
                uscc(1),  # line 4: a duplicate
                uscc(4),  # class C
                uscc(9),  # unknown
                f"{uscc(3)},,2027-13-01",  # bad date
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    report = lists.import_file(store, "whitelist", path, actor="cli:test", today=ENTRY)
    assert [r["uscc"] for r in report.loaded] == [uscc(1), uscc(2)]
    refused = {r["line"]: r["reason"] for r in report.refused}
    assert set(refused) == {4, 5, 6, 7}
    assert "already" in refused[4] and "class C" in refused[5]
    assert "no enterprise" in refused[6] and "date" in refused[7]
    [second] = [e for e in lists.history(store, uscc(2))]
    assert second["reason"] == "广告信用联盟" and second["expires_on"] == "2027-06-30"
    [first] = lists.history(store, uscc(1))
    assert first["reason"] == "imported from white.txt"


def test_lists_commands(cli_env: GraphStore, tmp_path: Path) -> None:
    reg = Registry()
    reg.firm(uscc(1), label_class="A")
    reg.firm(uscc(2), label_class="A")
    reg.violation(uscc(2), "严重违法失信", "2030-01-01")  # after the entry made today
    reg.write(cli_env)
    runner = CliRunner()
    added = runner.invoke(
        lists_app,
        ["add", uscc(1), "--list", "sandbox", "--reason", "四新", "--actor", "t", "--json"],
    )
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["entered_by"] == "t"
    file = tmp_path / "w.txt"
    file.write_text(f"{uscc(2)}\n{uscc(7)}\n", encoding="utf-8")
    imported = runner.invoke(lists_app, ["import", str(file), "--list", "whitelist", "--json"])
    assert imported.exit_code == 1  # a row was refused
    assert [r["line"] for r in json.loads(imported.stdout)["refused"]] == [2]
    swept = runner.invoke(
        lists_app, ["sweep", "--list", "whitelist", "--today", "2030-02-01", "--json"]
    )
    assert swept.exit_code == 0, swept.output
    exits = json.loads(swept.stdout)["exits"]
    assert {(e["uscc"], e["rule"]) for e in exits} == {(uscc(2), "serious_violation")}
    shown = runner.invoke(lists_app, ["show", "--list", "sandbox", "--json"])
    assert [e["uscc"] for e in json.loads(shown.stdout)["items"]] == [uscc(1)]
    left = runner.invoke(lists_app, ["exit", uscc(1), "--list", "sandbox", "--reason", "毕业"])
    assert left.exit_code == 0, left.output
    history = runner.invoke(lists_app, ["history", uscc(1), "--json"])
    assert json.loads(history.stdout)[0]["exit_reason"] == "毕业"
    bad = runner.invoke(lists_app, ["add", uscc(1), "--list", "nope", "--reason", "x"])
    assert bad.exit_code == 1 and "unknown list" in bad.output
