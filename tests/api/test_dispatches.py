"""Dispatch batches over the API: create from alerts, list with counts, tasks, status, audit."""

from __future__ import annotations

from api_helpers import Api, alert_key, uscc


def _create(api: Api, role: str = "investigator", **body: object) -> object:
    return api.post("/api/v1/dispatches", role, json=body)


def test_a_batch_holds_one_task_per_firm_the_thresholds_select(analytics_api: Api) -> None:
    created = _create(analytics_api)
    assert created.status_code == 201, created.text
    body = created.json()
    # R02 on firm 0 is high; R12 has 7 low alerts in one region (>= 5); R04/R05 neither.
    assert body["tasks"] == 8 and body["alerts_dispatched"] == 8
    assert body["alerts_considered"] == 10
    batch = body["batch"]
    assert batch["counts"] == {"待签收": 8, "处理中": 0, "已办结": 0, "退回": 0}
    assert batch["created_by"].startswith("investigator:")

    detail = analytics_api.get(f"/api/v1/dispatches/{batch['bid']}", "analyst").json()
    tasks = {t["uscc"]: t for t in detail["tasks"]}
    assert set(tasks) == {uscc(0), *(uscc(i) for i in range(2, 9))}
    assert tasks[uscc(0)]["rules"] == ["R02"]
    assert tasks[uscc(0)]["alerts"] == [alert_key("R02", 0)]
    assert tasks[uscc(0)]["firm_name"] and tasks[uscc(0)]["unit_name"].endswith("市场监督管理局")

    # The same alerts again: every firm already has an unfinished task.
    again = _create(analytics_api)
    assert again.status_code == 422 and "already has a task" in again.json()["message"]
    medium = _create(analytics_api, severity_at_least="medium", skip_pending=False, rules=["R05"])
    assert medium.status_code == 201 and medium.json()["tasks"] == 1

    listed = analytics_api.get("/api/v1/dispatches", "investigator").json()
    by_bid = {b["bid"]: b for b in listed["items"]}  # both created within the same second
    assert set(by_bid) == {batch["bid"], medium.json()["batch"]["bid"]}
    assert by_bid[batch["bid"]]["counts"]["待签收"] == 8


def test_task_status_moves_are_checked_and_audited(analytics_api: Api) -> None:
    bid = _create(analytics_api).json()["batch"]["bid"]
    tid = f"{bid}-00001"
    path = f"/api/v1/dispatches/{bid}/tasks/{tid}:status"
    taken = analytics_api.post(path, "investigator", json={"status": "处理中"})
    assert taken.status_code == 200, taken.text
    assert taken.json()["status"] == "处理中" and len(taken.json()["history"]) == 1
    no_note = analytics_api.post(path, "investigator", json={"status": "已办结"})
    assert no_note.status_code == 422
    done = analytics_api.post(path, "investigator", json={"status": "已办结", "note": "已现场核查"})
    assert done.status_code == 200 and done.json()["note"] == "已现场核查"
    refused = analytics_api.post(path, "investigator", json={"status": "退回", "note": "x"})
    assert refused.status_code == 409
    unknown = analytics_api.post(path, "investigator", json={"status": "closed"})
    assert unknown.status_code == 422
    missing = analytics_api.post(
        f"/api/v1/dispatches/{bid}/tasks/{bid}-09999:status",
        "investigator",
        json={"status": "处理中"},
    )
    assert missing.status_code == 404

    counts = analytics_api.get(f"/api/v1/dispatches/{bid}", "analyst").json()["batch"]["counts"]
    assert counts == {"待签收": 7, "处理中": 0, "已办结": 1, "退回": 0}
    only_done = analytics_api.get(
        f"/api/v1/dispatches/{bid}", "analyst", params={"status": "已办结"}
    ).json()
    assert [t["tid"] for t in only_done["tasks"]] == [tid]

    records = [r for r in analytics_api.audit() if r["action"] == "dispatches.task_status"]
    assert [r.get("outcome", "ok") for r in records] == [
        "ok",
        "refused",
        "ok",
        "refused",
        "refused",
    ]
    assert any(r["action"] == "dispatches.create" for r in analytics_api.audit())


def test_bad_requests_and_roles(analytics_api: Api) -> None:
    assert _create(analytics_api, min_alerts_in_region=0).status_code == 422
    assert _create(analytics_api, region="51x").status_code == 422
    assert _create(analytics_api, unknown=1).status_code == 422
    assert _create(analytics_api, "service").status_code == 403
    assert (
        analytics_api.get("/api/v1/dispatches/DB-20260101-deadbeef", "analyst").status_code == 404
    )
    assert analytics_api.get("/api/v1/dispatches/nonsense", "analyst").status_code == 422
    pages = analytics_api.get("/api/v1/dispatches", "analyst", params={"limit": 1000})
    assert pages.status_code == 422
