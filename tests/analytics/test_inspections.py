"""Inspection plans (双随机、一公开): reproducible draws, ratios, whitelist, sandbox, results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rules_fixtures import TODAY, Registry, uscc
from typer.testing import CliRunner

from riskgraph.analytics import inspections as ip
from riskgraph.analytics.alerts import change_status
from riskgraph.analytics.rules import run_rules
from riskgraph.commands.analytics import inspections_app
from riskgraph.graph.store import GraphStore

SIZES = {"A": 400, "B": 480, "C": 90, "D": 30}


def snapshot() -> dict[str, str]:
    keys = iter(range(10_000))
    return {f"K{next(keys):05d}": cls for cls, n in SIZES.items() for _ in range(n)}


def inputs(seed: int = 7, **kwargs: Any) -> dict[str, Any]:
    config = ip.PlanConfig(seed=seed, **kwargs.pop("config", {}))
    return ip.plan_inputs(config, as_of=TODAY, snapshot=snapshot(), **kwargs)


def selected(plan_inputs: dict[str, Any]) -> list[str]:
    return [s.uscc for s in ip.draw(plan_inputs)[0]]


def test_the_same_seed_draws_the_same_plan_and_another_seed_another() -> None:
    assert selected(inputs(7)) == selected(inputs(7))
    assert ip.plan_id(inputs(7)) == ip.plan_id(inputs(7))
    assert selected(inputs(7)) != selected(inputs(8))
    assert ip.plan_id(inputs(7)) != ip.plan_id(inputs(8))
    # Input order does not matter: everything is sorted before drawing.
    shuffled = dict(reversed(list(snapshot().items())))
    config = ip.PlanConfig(seed=7)
    assert ip.plan_inputs(config, as_of=TODAY, snapshot=shuffled) == inputs(7)


def test_class_ratios_are_respected() -> None:
    picks, counts = ip.draw(inputs(3))
    for cls, n in SIZES.items():
        expected = ip.stratum_size(ip.DEFAULT_RATIOS[cls], n)
        assert counts[cls] == {"population": n, "selected": expected}
        assert abs(expected / n - ip.DEFAULT_RATIOS[cls]) <= 0.5 / n
        assert sum(1 for s in picks if s.stratum == cls) == expected
    custom = ip.draw(inputs(3, config={"ratios": {"A": 0.0, "B": 0.2, "C": 0.6, "D": 1.0}}))[1]
    assert [custom[c]["selected"] for c in "ABCD"] == [0, 96, 54, 30]
    assert ip.stratum_size(0.05, 9) == 0 and ip.stratum_size(0.05, 10) == 1


def test_ratios_outside_the_guidance_bands_need_a_flag() -> None:
    with pytest.raises(ip.InspectionError, match="outside"):
        inputs(config={"ratios": {"A": 0.3, "B": 0.15, "C": 0.4, "D": 0.8}})
    inputs(
        config={"ratios": {"A": 0.3, "B": 0.15, "C": 0.4, "D": 0.8}, "allow_outside_bands": True}
    )
    with pytest.raises(ip.InspectionError, match="exactly the classes"):
        inputs(config={"ratios": {"A": 0.05}})


def test_whitelisted_entities_are_drawn_at_a_reduced_ratio() -> None:
    whitelist = [f"K{i:05d}" for i in range(400, 880)]  # every B entity
    picks, counts = ip.draw(inputs(5, whitelist=whitelist, config={"whitelist_factor": 0.5}))
    assert counts["B"] == {"population": 0, "selected": 0}
    assert counts["B/whitelist"] == {"population": 480, "selected": ip.stratum_size(0.075, 480)}
    assert {s.reason for s in picks if s.risk_class == "B"} == {"whitelist"}


def test_sandbox_entities_are_inspected_only_on_a_trigger() -> None:
    sandbox = ["K00000", "K00001", "K00990"]  # two A firms and a D firm
    triggers = {"K00001": ["R02|K00001"]}
    for seed in range(5):
        picks, counts = ip.draw(inputs(seed, sandbox=sandbox, triggers=triggers))
        chosen = {s.uscc: s for s in picks}
        assert "K00000" not in chosen and "K00990" not in chosen
        assert chosen["K00001"].reason == "trigger" and chosen["K00001"].stratum == "sandbox"
        assert counts["sandbox"] == {"population": 3, "selected": 1}
        assert counts["D"]["population"] == 29


def test_verify_detects_a_tampered_plan() -> None:
    plan_inputs = inputs(11)
    picks, counts = ip.draw(plan_inputs)
    document = {
        "plan_id": ip.plan_id(plan_inputs),
        "inputs_sha256": ip.inputs_digest(plan_inputs),
        "counts": counts,
        "selected": [vars(s) for s in picks],
        "inputs": plan_inputs,
    }
    assert ip.verify_plan(document)
    tampered = {**document, "selected": document["selected"][1:]}
    assert not ip.verify_plan(tampered)
    changed_inputs = {**document, "inputs": {**plan_inputs, "seed": 12}}
    assert not ip.verify_plan(changed_inputs)


# --------------------------------------------------------------------------- on the graph


def registry() -> Registry:
    reg = Registry()
    for n in range(60):
        cls = "ABCD"[n % 4]
        reg.firm(uscc(n), label_class=cls)
    reg.firm(uscc(60), risk_class="D", label_class="A")  # the model's class wins
    reg.firm(uscc(61))  # unclassified
    reg.firm(uscc(62), status="注销", label_class="D")  # not inspectable
    for n in (70, 71, 72):  # a loop in the sandbox: open alerts from R09
        reg.firm(uscc(n), label_class="A")
    reg.invest(uscc(70), uscc(71), 0.3)
    reg.invest(uscc(71), uscc(72), 0.3)
    reg.invest(uscc(72), uscc(70), 0.3)
    reg.firm(uscc(73), label_class="A")
    return reg


def test_plans_are_stored_as_json_and_in_the_graph(store: GraphStore, tmp_path: Path) -> None:
    store = registry().write(store)
    run_rules(store, rule_ids=["R09"], today=TODAY)
    change_status(store, f"R09|{uscc(72)}", "dismissed", note="checked")
    sandbox = [uscc(70), uscc(72), uscc(73)]
    whitelist = [uscc(1), uscc(5)]
    config = ip.PlanConfig(seed=42)
    plan = ip.create_plan(
        store, config, tmp_path, whitelist=whitelist, sandbox=sandbox, as_of=TODAY
    )
    again = ip.create_plan(
        store, config, tmp_path, whitelist=whitelist, sandbox=sandbox, as_of=TODAY
    )
    assert again["plan_id"] == plan["plan_id"] and again["selected"] == plan["selected"]
    other = ip.create_plan(store, ip.PlanConfig(seed=43), tmp_path, as_of=TODAY)
    assert other["plan_id"] != plan["plan_id"]

    snapshot = plan["inputs"]["snapshot"]
    assert snapshot[uscc(60)] == "D" and snapshot[uscc(61)] == "B" and uscc(62) not in snapshot
    assert plan["inputs"]["triggers"] == {uscc(70): [f"R09|{uscc(70)}"]}
    picked = {s["uscc"]: s for s in plan["selected"]}
    assert picked[uscc(70)]["reason"] == "trigger"
    assert uscc(72) not in picked and uscc(73) not in picked
    document = ip.load_plan(tmp_path, plan["plan_id"])
    assert ip.verify_plan(document) and document["inputs"]["seed"] == 42

    [row] = store.read(
        "MATCH (p:InspectionPlan {plan_id: $id}) OPTIONAL MATCH (e)-[s:SELECTED_FOR]->(p) "
        "RETURN p.seed AS seed, p.selected AS n, count(s) AS linked, p.inputs_sha256 AS sha",
        id=plan["plan_id"],
    )
    assert row == {
        "seed": 42,
        "n": len(plan["selected"]),
        "linked": len(plan["selected"]),
        "sha": plan["inputs_sha256"],
    }
    with pytest.raises(ip.PlanNotFound):
        ip.load_plan(tmp_path, "IP-none")


def write_results(path: Path, rows: list[list[str]]) -> Path:
    header = "plan_id,uscc,date,result,case_no,authority,note\n"
    path.write_text(header + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_results_are_recorded_and_failures_become_violations(
    store: GraphStore, tmp_path: Path
) -> None:
    store = registry().write(store)
    plan = ip.create_plan(store, ip.PlanConfig(seed=1), tmp_path, as_of=TODAY)
    first, second = (s["uscc"] for s in plan["selected"][:2])
    path = write_results(
        tmp_path / "results.csv",
        [
            [plan["plan_id"], first, "2026-07-01", "合格", "", "武侯区局", ""],
            [
                plan["plan_id"],
                second,
                "2026-07-02",
                "不合格",
                "成武市监抽〔2026〕1号",
                "武侯区局",
                "无照",
            ],
            ["", uscc(61), "2026-07-03", "fail", "", "", ""],
        ],
    )
    rows = ip.parse_results(path, today=TODAY.replace(month=11))
    report = ip.record_results(store, rows)
    assert (report.records, report.passed, report.failed) == (3, 1, 2)
    again = ip.record_results(store, rows)  # idempotent
    assert again.records == 3
    violations = store.read(
        "MATCH (e:Enterprise)-[:HAS_VIOLATION]->(v:Violation) "
        "RETURN e.uscc AS uscc, v.kind AS kind, v.case_no AS case_no, v.status AS status "
        "ORDER BY uscc"
    )
    assert sorted((v["uscc"], v["kind"]) for v in violations) == sorted(
        [(second, "抽查检查不合格"), (uscc(61), "抽查检查不合格")]
    )
    assert {v["status"] for v in violations} == {"有效"}
    assert "成武市监抽〔2026〕1号" in {v["case_no"] for v in violations}
    marks = store.read(
        "MATCH (e:Enterprise)-[s:SELECTED_FOR]->(:InspectionPlan) WHERE s.result IS NOT NULL "
        "RETURN e.uscc AS uscc, s.result AS result ORDER BY uscc"
    )
    assert sorted((m["uscc"], m["result"]) for m in marks) == sorted(
        [(first, "合格"), (second, "不合格")]
    )
    [count] = store.read("MATCH (r:InspectionRecord) RETURN count(r) AS n")
    assert count["n"] == 3
    unknown = ip.record_results(store, [{**rows[0], "uscc": uscc(99)}])
    assert unknown.unknown_enterprises == [uscc(99)] and unknown.records == 0


def test_bad_results_files_are_refused_with_every_problem(tmp_path: Path) -> None:
    path = write_results(
        tmp_path / "bad.csv",
        [
            ["", "NOT-A-USCC", "2026-07-01", "合格", "", "", ""],
            ["", uscc(1), "2026-13-01", "maybe", "", "", ""],
            ["", uscc(2), "2099-01-01", "合格", "", "", ""],
        ],
    )
    with pytest.raises(ip.InspectionError) as caught:
        ip.parse_results(path, today=TODAY)
    message = str(caught.value)
    assert "line 2: uscc" in message and "line 3: result" in message and "YYYY-MM-DD" in message
    assert "line 4: date is in the future" in message
    missing = tmp_path / "missing.csv"
    missing.write_text("uscc,result\n", encoding="utf-8")
    with pytest.raises(ip.InspectionError, match="missing columns date"):
        ip.parse_results(missing)


def test_inspections_commands(cli_env: GraphStore, tmp_path: Path) -> None:
    registry().write(cli_env)
    whitelist = tmp_path / "whitelist.txt"
    whitelist.write_text(f"# 守信激励\n{uscc(1)}\n\n{uscc(5)}\n", encoding="utf-8")
    runner = CliRunner()
    args = ["plan", "--seed", "9", "--whitelist", str(whitelist), "--as-of", "2026-06-30"]
    made = runner.invoke(inspections_app, [*args, "--ratio", "C=0.5", "--json"])
    assert made.exit_code == 0, made.output
    summary = json.loads(made.stdout)
    plan_file = Path(summary["path"])
    assert plan_file.parent == tmp_path / "data" / "inspections" and plan_file.is_file()
    assert json.loads(plan_file.read_text(encoding="utf-8"))["inputs"]["ratios"]["C"] == 0.5
    shown = runner.invoke(inspections_app, ["show", summary["plan_id"], "--verify", "--json"])
    assert shown.exit_code == 0, shown.output
    details = json.loads(shown.stdout)
    assert details["verified"] and details["seed"] == 9
    assert len(details["selected"]) == summary["selected"]
    table = runner.invoke(inspections_app, ["show", summary["plan_id"], "--verify"])
    assert "re-draw matches" in table.stdout

    results = write_results(
        tmp_path / "r.csv",
        [[summary["plan_id"], details["selected"][0], "2026-06-30", "不合格", "", "", ""]],
    )
    recorded = runner.invoke(inspections_app, ["record", str(results), "--json"])
    assert recorded.exit_code == 0, recorded.output
    assert json.loads(recorded.stdout)["failed"] == 1
    shown = runner.invoke(inspections_app, ["show", summary["plan_id"], "--json"])
    progress = json.loads(shown.stdout)["progress"]
    assert progress == {"linked": summary["selected"], "inspected": 1}
    refused = runner.invoke(inspections_app, ["plan", "--seed", "1", "--ratio", "A=0.5"])
    assert refused.exit_code == 1 and "outside" in refused.output
