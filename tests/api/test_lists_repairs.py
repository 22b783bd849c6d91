"""The managed lists and credit repair over HTTP: roles, audit, the sweep, and an
approved repair that re-scores the firm with a tiny model trained here."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from api_helpers import CLASSES, ENTERPRISES, Api, uscc

from riskgraph.graph.store import GraphStore

LISTS = "/api/v1/lists"
REPAIRS = "/api/v1/repairs"


def actions(api: Api, prefix: str) -> list[tuple[str, str]]:
    return [(r["action"], r["outcome"]) for r in api.audit() if r["action"].startswith(prefix)]


def test_lists_by_role_with_sweep_and_history(
    analytics_api: Api, analytics_store: GraphStore
) -> None:
    api = analytics_api
    firm = uscc(4)  # class A
    add = {"uscc": firm, "reason": "广告信用联盟成员", "expires_on": "2099-12-31"}
    assert api.post(f"{LISTS}/whitelist", "investigator", json=add).status_code == 403
    assert api.get(f"{LISTS}/whitelist", "service").status_code == 403
    made = api.post(f"{LISTS}/whitelist", "analyst", json=add)
    assert made.status_code == 201, made.text
    assert made.json()["entered_by"] == f"analyst:{api.key_id('analyst')}"
    again = api.post(f"{LISTS}/whitelist", "analyst", json=add)
    assert again.status_code == 409
    assert api.post(f"{LISTS}/blacklist", "analyst", json=add).status_code == 422
    c_firm = {"uscc": uscc(2), "reason": "x"}  # class C
    assert api.post(f"{LISTS}/sandbox", "admin", json=c_firm).status_code == 409
    sandboxed = api.post(f"{LISTS}/sandbox", "admin", json={"uscc": uscc(8), "reason": "四新"})
    assert sandboxed.status_code == 201 and sandboxed.json()["expires_on"]

    page = api.get(f"{LISTS}/whitelist", "investigator")
    assert page.status_code == 200
    [entry] = page.json()["items"]
    assert entry["uscc"] == firm and entry["name"] == "成都示例04科技有限公司"
    assert entry["risk_class"] == "A" and entry["list"] == "whitelist"

    # A serious violation dated after the entry takes the firm out at the next sweep.
    analytics_store.write(
        "MATCH (e:Enterprise {uscc: $k}) CREATE (e)-[:HAS_VIOLATION]->"
        "(:Violation {vid: 'late', kind: '严重违法失信', date: date($d), status: '有效'})",
        k=firm,
        d=made.json()["entered_on"],
    )
    assert api.post(f"{LISTS}:sweep", "investigator").status_code == 403
    swept = api.post(f"{LISTS}:sweep", "analyst", json={"list": "whitelist"})
    assert swept.status_code == 200, swept.text
    assert [(e["uscc"], e["rule"]) for e in swept.json()["exits"]] == [(firm, "serious_violation")]
    assert api.get(f"{LISTS}/whitelist", "investigator").json()["items"] == []
    out = api.post(f"{LISTS}/sandbox/{uscc(8)}:exit", "analyst", json={"reason": "毕业"})
    assert out.status_code == 200 and out.json()["exit_reason"] == "毕业"
    missing = api.post(f"{LISTS}/sandbox/{uscc(8)}:exit", "analyst", json={"reason": "again"})
    assert missing.status_code == 404
    history = api.get(f"{LISTS}/history/{firm}", "investigator").json()
    [closed] = history["entries"]
    assert closed["exited_by"] == "system" and closed["exit_rule"] == "serious_violation"
    assert ("lists.add", "ok") in actions(api, "lists.add")
    assert ("lists.add", "refused") in actions(api, "lists.add")
    assert actions(api, "lists.sweep") == [("lists.sweep", "ok")]
    assert ("lists.exit", "ok") in actions(api, "lists.exit")


@pytest.fixture
def models(analytics_store: GraphStore, tmp_path: Path) -> Path:
    """A GraphSAGE model (a few epochs) trained on this test's graph."""
    torch = pytest.importorskip("torch")
    from riskgraph.gnn.fit import FitConfig
    from riskgraph.gnn.hetero_sage import HeteroSAGEConfig
    from riskgraph.gnn.train import LabelSpec, TrainConfig, train

    torch.set_num_threads(1)
    labels = tmp_path / "labels.csv"
    with labels.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["key", "class"])
        writer.writerows([uscc(i), CLASSES[i % 4]] for i in range(ENTERPRISES))
    config = TrainConfig(
        models=("hetero_sage",),
        gnn=(HeteroSAGEConfig(hidden_channels=16),),
        fit=FitConfig(max_epochs=10, patience=5),
        min_aggregate_edges=1,
        device="cpu",
    )
    root = tmp_path / "models"
    train(analytics_store, root, labels=LabelSpec(source=labels), seed=0, config=config)
    return root


def violation_states(store: GraphStore, key: str) -> dict[str, Any]:
    rows = store.read(
        "MATCH (:Enterprise {uscc: $k})-[:HAS_VIOLATION]->(v) RETURN v.vid AS vid, v.status AS s",
        k=key,
    )
    return {r["vid"]: r["s"] for r in rows}


def test_a_repair_by_roles_is_approved_and_rescores_the_firm(
    make_api: Any, analytics_store: GraphStore, models: Path
) -> None:
    api: Api = make_api(store=analytics_store, models_dir=models)
    firm = uscc(0)  # violations v1 (行政处罚) and v2 (经营异常名录)
    form = api.get(f"{REPAIRS}/violations/{firm}", "investigator").json()
    assert {v["vid"]: v["repairable"] for v in form["violations"]} == {"v1": True, "v2": True}
    body = {"uscc": firm, "violations": ["v1", "v2"], "reason": "已履行行政处罚并完成整改"}
    assert api.post(REPAIRS, "service", json=body).status_code == 403
    made = api.post(REPAIRS, "investigator", json=body)
    assert made.status_code == 201, made.text
    rid = made.json()["rid"]
    assert made.json()["status"] == "submitted"
    assert api.post(REPAIRS, "analyst", json=body).status_code == 409  # claimed
    bad = api.post(REPAIRS, "analyst", json={**body, "violations": []})
    assert bad.status_code == 422

    decide = {"decision": "approve", "reasons": "符合信用修复条件"}
    early = api.post(f"{REPAIRS}/{rid}:decide", "analyst", json=decide)
    assert early.status_code == 409  # not reviewed yet
    reviewed = api.post(f"{REPAIRS}/{rid}:review", "investigator", json={"opinion": "材料齐全"})
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "reviewed"
    assert api.post(f"{REPAIRS}/{rid}:decide", "investigator", json=decide).status_code == 403
    before = api.get(f"/api/v1/scores/{firm}/history", "investigator").json()
    approved = api.post(f"{REPAIRS}/{rid}:decide", "analyst", json=decide)
    assert approved.status_code == 200, approved.text
    result = approved.json()
    assert result["status"] == "approved" and result["class_before"] == "A"
    assert result["class_after"] in CLASSES and result["model_version"]
    assert result["rescore"].startswith(f"re-scored with {result['model_version']}")
    assert {v["status"] for v in result["items"]} == {"已修复"}
    assert violation_states(analytics_store, firm) == {"v1": "已修复", "v2": "已修复"}
    after = api.get(f"/api/v1/scores/{firm}/history", "investigator").json()
    newest = after["assessments"][0]
    assert len(after["assessments"]) == len(before["assessments"]) + 1
    assert newest["model_version"] == result["model_version"]
    assert newest["risk_class"] == result["class_after"]
    assert after["assessments"][1]["risk_class"] == before["assessments"][0]["risk_class"]
    # Only the repaired firm got a new assessment.
    other = api.get(f"/api/v1/scores/{uscc(1)}/history", "investigator").json()
    assert all(h["model_version"] != result["model_version"] for h in other["assessments"])

    stats = api.get(f"{REPAIRS}/stats", "investigator").json()
    assert sum(m["received"] for m in stats) == 1 and sum(m["approved"] for m in stats) == 1
    queue = api.get(REPAIRS, "investigator", params={"status": "approved"}).json()
    assert [r["rid"] for r in queue["items"]] == [rid]
    assert api.get(REPAIRS, "investigator", params={"month": "2026-13"}).status_code == 422
    decided = [r for r in api.audit() if r["action"] == "repairs.decide"]
    assert [r["outcome"] for r in decided] == ["refused", "ok"]  # the 403 is audited as denied
    assert decided[-1]["class_after"] == result["class_after"]


def test_the_applicant_cannot_decide_and_no_model_is_said(analytics_api: Api) -> None:
    api = analytics_api
    body = {"uscc": uscc(0), "violations": ["v1"], "reason": "整改完毕"}
    rid = api.post(REPAIRS, "analyst", json=body).json()["rid"]
    api.post(f"{REPAIRS}/{rid}:review", "investigator", json={"opinion": "同意"})
    decide = {"decision": "approve", "reasons": "符合"}
    own = api.post(f"{REPAIRS}/{rid}:decide", "analyst", json=decide)
    assert own.status_code == 409 and "applicant" in own.json()["message"]
    done = api.post(f"{REPAIRS}/{rid}:decide", "admin", json=decide)
    assert done.status_code == 200, done.text
    assert done.json()["rescore"] == "not re-scored: no model"
    assert done.json()["class_after"] is None
    assert api.get(f"{REPAIRS}/CR-20260101-00000000", "investigator").status_code == 404
