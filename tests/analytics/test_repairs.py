"""Credit repair (信用修复): application → review → decision, who may do what, the
violations an approval repairs, the queue and the monthly counts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rules_fixtures import Registry, uscc
from typer.testing import CliRunner

from riskgraph.analytics import repair
from riskgraph.commands.repairs import app as repairs_app
from riskgraph.graph.store import GraphStore

JULY = datetime(2026, 7, 3, 9, 0, tzinfo=UTC)
AUGUST = datetime(2026, 8, 4, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 8, 5, 9, 0, tzinfo=UTC)


def registry(store: GraphStore) -> dict[str, str]:
    reg = Registry()
    reg.firm(uscc(1), label_class="B")
    reg.firm(uscc(2), label_class="D")
    reg.firm(uscc(3), label_class="C")
    vids = {
        "b1": reg.violation(uscc(1), "行政处罚", "2025-03-01"),
        "b2": reg.violation(uscc(1), "经营异常名录", "2025-05-01"),
        "b3": reg.violation(uscc(1), "行政处罚", "2024-01-01", status="已修复"),
        "d1": reg.violation(uscc(2), "严重违法失信", "2025-06-01"),
        "c1": reg.violation(uscc(3), "经营异常名录", "2025-07-01"),
    }
    reg.write(store)
    store.write(
        "MATCH (v:Violation {vid: $vid}) SET v.case_no = '成武市监罚〔2025〕7号'", vid=vids["b1"]
    )
    return vids


def statuses(store: GraphStore) -> dict[str, tuple[str, object]]:
    rows = store.read("MATCH (v:Violation) RETURN v.vid AS vid, v.status AS s, v.removed_on AS r")
    return {row["vid"]: (row["s"], row["r"]) for row in rows}


def test_an_application_moves_through_review_to_a_decision(store: GraphStore) -> None:
    vids = registry(store)
    before = statuses(store)
    made = repair.apply(
        store,
        uscc(1),
        ["成武市监罚〔2025〕7号", vids["b2"]],  # a case number and an id
        "已缴清罚款并整改",
        applicant="investigator:aa",
        now=JULY,
    )
    rid = made["rid"]
    assert made["status"] == "submitted" and made["applied_month"] == "2026-07"
    assert sorted(made["violations"]) == sorted([vids["b1"], vids["b2"]])
    assert {v["vid"] for v in made["items"]} == {vids["b1"], vids["b2"]}
    # A claimed violation cannot go into a second application while this one is pending.
    with pytest.raises(repair.RepairConflict, match="pending"):
        repair.apply(store, uscc(1), [vids["b1"]], "again", applicant="x")
    with pytest.raises(repair.RepairConflict):  # decide before review
        repair.decide(store, rid, True, "ok", decider="analyst:bb")
    reviewed = repair.review(store, rid, "材料齐全，建议修复", reviewer="investigator:cc")
    assert reviewed["status"] == "reviewed" and reviewed["reviewer"] == "investigator:cc"
    with pytest.raises(repair.RepairConflict, match="cannot become reviewed"):
        repair.review(store, rid, "again", reviewer="investigator:cc")
    with pytest.raises(repair.RepairConflict, match="applicant"):
        repair.decide(store, rid, True, "self", decider="investigator:aa")
    with pytest.raises(repair.RepairError, match="reasons"):
        repair.decide(store, rid, True, " ", decider="analyst:bb")
    assert statuses(store) == before  # nothing repaired yet
    done = repair.decide(store, rid, True, "符合修复条件", decider="analyst:bb", now=JULY)
    assert done["status"] == "approved" and done["decider"] == "analyst:bb"
    assert done["class_before"] == "B" and done.get("class_after") is None
    assert done["rescore"] == repair.NO_MODEL
    after = statuses(store)
    for vid in (vids["b1"], vids["b2"]):
        status, removed_on = after[vid]
        assert status == "已修复" and str(removed_on) == "2026-07-03"
    untouched = {k: v for k, v in after.items() if k not in (vids["b1"], vids["b2"])}
    assert untouched == {k: v for k, v in before.items() if k in untouched}
    with pytest.raises(repair.RepairConflict, match="approved"):
        repair.decide(store, rid, False, "changed mind", decider="analyst:bb")
    with pytest.raises(repair.RepairConflict, match="repaired already"):
        repair.apply(store, uscc(1), [vids["b1"]], "again", applicant="x")


def test_applications_name_only_the_firms_own_unrepaired_violations(store: GraphStore) -> None:
    vids = registry(store)
    with pytest.raises(repair.RepairConflict, match="not a violation"):
        repair.apply(store, uscc(1), [vids["d1"]], "another firm's", applicant="x")
    with pytest.raises(repair.RepairConflict, match="repaired already"):
        repair.apply(store, uscc(1), [vids["b3"]], "old", applicant="x")
    with pytest.raises(repair.RepairError, match="at least one"):
        repair.apply(store, uscc(1), [" "], "none", applicant="x")
    with pytest.raises(repair.RepairNotFound):
        repair.apply(store, uscc(9), ["V1"], "no firm", applicant="x")
    with pytest.raises(repair.RepairNotFound):
        repair.get_repair(store, "CR-none")
    firm = repair.firm_violations(store, uscc(1))
    assert {v["vid"]: v["repairable"] for v in firm["violations"]} == {
        vids["b1"]: True,
        vids["b2"]: True,
        vids["b3"]: False,
    }


def test_the_queue_puts_c_and_d_first_and_counts_per_month(store: GraphStore) -> None:
    vids = registry(store)
    first = repair.apply(store, uscc(1), [vids["b1"]], "B 先申请", applicant="i:1", now=JULY)
    second = repair.apply(store, uscc(3), [vids["c1"]], "C 后申请", applicant="i:1", now=AUGUST)
    third = repair.apply(store, uscc(2), [vids["d1"]], "D 再后", applicant="i:1", now=LATER)
    queue = [r["rid"] for r in repair.list_repairs(store).items]
    assert queue == [second["rid"], third["rid"], first["rid"]]
    only_d = repair.list_repairs(store, repair.RepairFilter(risk_class="D")).items
    assert [r["rid"] for r in only_d] == [third["rid"]]
    july = repair.list_repairs(store, repair.RepairFilter(month="2026-07")).items
    assert [r["rid"] for r in july] == [first["rid"]]
    page = repair.list_repairs(store, limit=2)
    assert page.next_offset == 2 and len(page.items) == 2
    repair.review(store, first["rid"], "ok", reviewer="i:2")
    repair.decide(store, first["rid"], False, "材料不全", decider="a:3", now=AUGUST)
    repair.review(store, second["rid"], "ok", reviewer="i:2")
    repair.decide(store, second["rid"], True, "符合", decider="a:3", now=AUGUST)
    assert repair.monthly_counts(store) == [
        {"month": "2026-07", "received": 1, "approved": 0, "rejected": 0, "pending": 0},
        {"month": "2026-08", "received": 2, "approved": 1, "rejected": 1, "pending": 1},
    ]
    rejected = repair.get_repair(store, first["rid"])
    assert rejected["status"] == "rejected" and rejected["decision_reasons"] == "材料不全"
    assert statuses(store)[vids["b1"]][0] == "有效"  # a rejection repairs nothing
    pending = repair.list_repairs(store, repair.RepairFilter(status="submitted")).items
    assert [r["rid"] for r in pending] == [third["rid"]]
    with pytest.raises(repair.RepairError, match="unknown status"):
        repair.list_repairs(store, repair.RepairFilter(status="nope"))


def test_repairs_commands(cli_env: GraphStore, tmp_path: Path) -> None:
    vids = registry(cli_env)
    runner = CliRunner()
    made = runner.invoke(
        repairs_app,
        [
            "apply",
            uscc(2),
            "--violation",
            vids["d1"],
            "--reason",
            "整改",
            "--actor",
            "i:1",
            "--json",
        ],
    )
    assert made.exit_code == 0, made.output
    rid = json.loads(made.stdout)["rid"]
    reviewed = runner.invoke(repairs_app, ["review", rid, "--opinion", "同意", "--actor", "i:2"])
    assert reviewed.exit_code == 0, reviewed.output
    own = runner.invoke(
        repairs_app, ["decide", rid, "--approve", "--reasons", "x", "--actor", "i:1"]
    )
    assert own.exit_code == 1 and "applicant" in own.output
    args = ["decide", rid, "--approve", "--reasons", "符合", "--actor", "a:1"]
    decided = runner.invoke(repairs_app, [*args, "--model", str(tmp_path / "none"), "--json"])
    assert decided.exit_code == 0, decided.output
    body = json.loads(decided.stdout)
    assert body["status"] == "approved" and body["rescore"] == repair.NO_MODEL
    assert body["class_before"] == "D"
    listed = runner.invoke(repairs_app, ["list", "--status", "approved", "--json"])
    assert [r["rid"] for r in json.loads(listed.stdout)["items"]] == [rid]
    stats = runner.invoke(repairs_app, ["stats", "--json"])
    assert sum(row["approved"] for row in json.loads(stats.stdout)) == 1
