"""Inspection plans (create, fetch, reproduce, list) and the risk-map statistics."""

from __future__ import annotations

from typing import Any

from api_helpers import Api, uscc

PLAN = {"seed": 2026, "as_of": "2026-06-30"}


def test_plans_are_reproducible_and_verifiable(analytics_api: Api) -> None:
    first = analytics_api.post("/api/v1/inspections/plans", "analyst", json=PLAN)
    assert first.status_code == 201, first.text
    plan = first.json()
    assert plan["plan_id"].startswith("IP-2026-06-30-")
    assert plan["ratios"] == {"A": 0.05, "B": 0.15, "C": 0.4, "D": 0.8}
    assert plan["population"] == 30 and plan["selected_count"] == len(plan["selected"]) > 0
    assert plan["counts"]["D"]["selected"] == 4  # 80 % of the five D firms, rounded
    assert plan["verified"] is None and plan["progress"] is None

    again = analytics_api.post("/api/v1/inspections/plans", "admin", json=PLAN).json()
    assert again["plan_id"] == plan["plan_id"]
    assert again["selected"] == plan["selected"] and again["counts"] == plan["counts"]

    fetched = analytics_api.get(f"/api/v1/inspections/plans/{plan['plan_id']}", "investigator")
    assert fetched.status_code == 200, fetched.text
    body = fetched.json()
    assert body["selected"] == plan["selected"] and body["verified"] is True
    assert body["progress"] == {"linked": plan["selected_count"], "inspected": 0}

    other = analytics_api.post(
        "/api/v1/inspections/plans", "analyst", json={**PLAN, "seed": 7}
    ).json()
    assert other["plan_id"] != plan["plan_id"]

    listed = analytics_api.get("/api/v1/inspections/plans", "investigator").json()
    assert {p["plan_id"] for p in listed["items"]} == {plan["plan_id"], other["plan_id"]}
    assert listed["next_offset"] is None
    page = analytics_api.get("/api/v1/inspections/plans", "investigator", params={"limit": 1})
    assert len(page.json()["items"]) == 1 and page.json()["next_offset"] == 1

    actions = [(r["action"], r["outcome"]) for r in analytics_api.audit()]
    assert actions.count(("inspections.plan", "ok")) == 3
    assert ("inspections.read", "ok") in actions and ("inspections.list", "ok") in actions
    created = next(r for r in analytics_api.audit() if r["action"] == "inspections.plan")
    assert created["plan_id"] == plan["plan_id"] and created["params"]["seed"] == 2026
    assert created["rows"] == plan["selected_count"]


def test_plan_options_whitelist_sandbox_and_ratios(analytics_api: Api) -> None:
    body: dict[str, Any] = {
        **PLAN,
        "ratios": {"C": 0.6},
        "whitelist": [uscc(i) for i in range(4, 20)],
        "sandbox": [uscc(0).lower(), uscc(1)],
    }
    response = analytics_api.post("/api/v1/inspections/plans", "analyst", json=body)
    assert response.status_code == 201, response.text
    plan = response.json()
    assert plan["ratios"]["C"] == 0.6 and plan["ratios"]["D"] == 0.8
    assert plan["whitelist"] == 16 and plan["sandbox"] == 2
    assert plan["counts"]["sandbox"] == {"population": 2, "selected": 2}
    triggered = {s["uscc"]: s for s in plan["selected"] if s["stratum"] == "sandbox"}
    assert set(triggered) == {uscc(0), uscc(1)}  # both have open alerts
    assert {s["reason"] for s in triggered.values()} == {"trigger"}


def test_plan_errors(analytics_api: Api) -> None:
    outside = analytics_api.post(
        "/api/v1/inspections/plans", "analyst", json={**PLAN, "ratios": {"A": 0.5}}
    )
    assert outside.status_code == 422 and "outside" in outside.json()["message"]
    allowed = analytics_api.post(
        "/api/v1/inspections/plans",
        "analyst",
        json={**PLAN, "ratios": {"A": 0.5}, "allow_outside_bands": True},
    )
    assert allowed.status_code == 201
    for bad in (
        {"seed": -1},
        {"seed": 1, "ratios": {"E": 0.1}},
        {"seed": 1, "ratios": {"A": 2}},
        {},
        {"seed": 1, "whitelist_factor": 3},
    ):
        response = analytics_api.post("/api/v1/inspections/plans", "analyst", json=bad)
        assert response.status_code == 422, (bad, response.text)
    missing = analytics_api.get("/api/v1/inspections/plans/IP-2026-06-30-000000000000", "analyst")
    assert missing.status_code == 404
    for odd in ("..%2Fapi_keys", "IP-x.json", "%2Fetc%2Fpasswd.json"):
        assert analytics_api.get(f"/api/v1/inspections/plans/{odd}", "analyst").status_code in (
            404,
            422,
        )
    refused = [r for r in analytics_api.audit() if r["outcome"] == "refused"]
    assert [r["action"] for r in refused] == ["inspections.plan"]


def test_risk_map_by_region_and_industry(analytics_api: Api) -> None:
    url = "/api/v1/stats/risk-map"
    response = analytics_api.get(url, "investigator", params={"prefix": "5101"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["totals"] == {"A": 5, "B": 5, "C": 5, "D": 5, "unclassified": 10}
    regions = {r["key"]: r for r in body["by_region"]}
    assert set(regions) == {"510104", "510107"}
    assert regions["510104"]["total"] == 10 and regions["510104"]["counts"]["unclassified"] == 10
    assert regions["510107"]["counts"] == {"A": 5, "B": 5, "C": 5, "D": 5, "unclassified": 0}
    assert regions["510107"]["shares"]["A"] == 0.25
    assert regions["510107"]["name"].endswith("武侯区")
    industries = {r["key"]: r for r in body["by_industry"]}
    assert industries["I"]["total"] == 15 and industries["I"]["name"].startswith("信息传输")
    assert industries["C"]["name"] == "制造业"
    assert sum(c["total"] for c in body["cells"]) == 30 and len(body["cells"]) == 3

    city = analytics_api.get(url, "analyst", params={"level": "city"}).json()
    assert [r["key"] for r in city["by_region"]] == ["510100"]
    elsewhere = analytics_api.get(url, "analyst", params={"prefix": "11"})
    assert elsewhere.json()["cells"] == [] and elsewhere.json()["totals"]["A"] == 0
    for params in ({"level": "street"}, {"prefix": "51a"}, {"prefix": "5101070"}):
        assert (
            analytics_api.get("/api/v1/stats/risk-map", "analyst", params=params).status_code == 422
        )
    records = [r for r in analytics_api.audit() if r["action"] == "stats.risk_map"]
    assert (
        records[0]["params"] == {"level": "district", "prefix": "5101"} and records[0]["rows"] == 3
    )
