"""The case routes: the inbox with counts, one case with named evidence (persons masked
by role), assignment, bulk status changes (bounded, audited), and alerts by severity."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import Api, alert_key, uscc

from riskgraph import cypher
from riskgraph.analytics.cases import rebuild_cases
from riskgraph.api.privacy import pseudonym
from riskgraph.graph.store import GraphStore

# Two alerts unrelated to the analytics graph's one cluster of alerts around firm 0.
LONERS = [("R05", 20, "low", ["established:2015-01-01"]), ("R05", 25, "low", ["violation:v9"])]


@pytest.fixture
def cases_api(make_api: Any, analytics_store: GraphStore) -> Api:
    upsert = cypher.text("alert_upsert", analytics_store.dialect)
    for rule, i, severity, evidence in LONERS:
        analytics_store.write(
            upsert,
            rows=[{"key": alert_key(rule, i), "subject": uscc(i), "evidence": evidence}],
            rule=rule,
            title="Capital never paid in",
            title_zh="注册资本长期未实缴",
            severity=severity,
            now="2026-06-29T08:00:00Z",
            run_id="run-1",
            status="open",
        )
    rebuild_cases(analytics_store)
    return make_api(store=analytics_store)


def _cases(api: Api, role: str = "investigator", **params: Any) -> dict[str, Any]:
    answer = api.get("/api/v1/cases", role, params=params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_the_inbox_ranks_cases_and_counts_them(cases_api: Api) -> None:
    body = _cases(cases_api)
    items = body["items"]
    assert len(items) == 3 and body["counts"] == {
        "open": 3,
        "in_progress": 0,
        "confirmed": 0,
        "dismissed": 0,
    }
    big = items[0]
    assert big["severity"] == "high" and big["alert_count"] == 10 and big["firm_count"] == 9
    assert [i["severity"] for i in items] == ["high", "low", "low"]
    lead = big["lead_firms"][0]
    assert lead["name"].startswith("成都示例") and lead["class"] in "ABCD"
    assert big["risk"] == max(f["risk_score"] or -1 for f in big["lead_firms"])
    # Investigators see person keys as pseudonyms, analysts in clear.
    assert f"person:{pseudonym('pid-zhang')}" in big["keys"]
    assert "person:pid-zhang" in _cases(cases_api, "analyst")["items"][0]["keys"]
    assert [c["alert_count"] for c in _cases(cases_api, rule="R05")["items"]] == [10, 1, 1]
    assert [c["alert_count"] for c in _cases(cases_api, rule="R04")["items"]] == [10]
    assert _cases(cases_api, region="510104")["counts"]["open"] == 2
    assert _cases(cases_api, severity="high", limit=1)["next_offset"] is None
    for params in ({"region": "51a"}, {"status": "closed"}, {"limit": 201}, {"rule": "X1"}):
        bad = cases_api.get("/api/v1/cases", "investigator", params=params)
        assert bad.status_code == 422, params
    assert cases_api.get("/api/v1/cases", "service").status_code == 403


def test_a_case_shows_firms_alerts_and_named_evidence(cases_api: Api) -> None:
    big = _cases(cases_api)["items"][0]
    answer = cases_api.get(f"/api/v1/cases/{big['id']}", "investigator")
    assert answer.status_code == 200, answer.text
    case = answer.json()
    assert len(case["alerts"]) == 10 and case["alerts"][0]["rule"] == "R02"
    assert {f["uscc"] for f in case["firms"]} == {uscc(i) for i in range(9)}
    assert all(f["name"] for f in case["firms"])
    entities = {(e["kind"], e["key"]): e for e in case["entities"]}
    person = entities[("person", pseudonym("pid-zhang"))]
    assert person["name"] == "张**" and person["alerts"] == 2
    assert person["href"].startswith("/api/v1/graph/neighbours?label=Person&key=person-")
    firm = entities[("firm", uscc(0))]
    assert firm["name"] == "成都示例00科技有限公司" and firm["alerts"] == 7
    assert firm["href"] == f"/api/v1/enterprises/{uscc(0)}"
    assert all("pid-" not in e for a in case["alerts"] for e in a["evidence"])
    clear = cases_api.get(f"/api/v1/cases/{big['id']}", "analyst").json()
    names = {e["name"] for e in clear["entities"] if e["kind"] == "person"}
    assert names == {"张三丰", "李四"}
    assert cases_api.get("/api/v1/cases/CASE-000000000000", "analyst").status_code == 404
    assert cases_api.get("/api/v1/cases/nope", "analyst").status_code == 422


def test_assign_and_bulk_status_are_checked_and_audited(cases_api: Api) -> None:
    items = _cases(cases_api)["items"]
    big, loners = items[0], items[1:]
    path = f"/api/v1/cases/{big['id']}:assign"
    assigned = cases_api.post(path, "investigator", json={"assignee": "张警官", "note": "武侯所"})
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assignee"] == "张警官"
    assert assigned.json()["history"][-1]["kind"] == "assign"
    assert cases_api.post(path, "service", json={"assignee": "x"}).status_code == 403
    too_long = cases_api.post(path, "investigator", json={"assignee": "x" * 65})
    assert too_long.status_code == 422
    missing = cases_api.post(
        "/api/v1/cases/CASE-000000000000:assign", "investigator", json={"assignee": "x"}
    )
    assert missing.status_code == 404
    assert _cases(cases_api, assignee="张警官")["items"][0]["id"] == big["id"]

    bulk = "/api/v1/cases:bulk-status"
    too_many = cases_api.post(
        bulk, "investigator", json={"ids": [f"CASE-{i:012x}" for i in range(101)], "status": "open"}
    )
    assert too_many.status_code == 422
    bad_id = cases_api.post(bulk, "investigator", json={"ids": ["CASE-x"], "status": "open"})
    assert bad_id.status_code == 422 and "ids" in bad_id.text
    no_note = cases_api.post(bulk, "investigator", json={"ids": [big["id"]], "status": "dismissed"})
    assert no_note.status_code == 422 and "note" in no_note.json()["message"]
    ids = [c["id"] for c in loners] + ["CASE-000000000000"]
    done = cases_api.post(
        bulk, "investigator", json={"ids": ids, "status": "dismissed", "note": "核实无误"}
    )
    assert done.status_code == 200, done.text
    answer = done.json()
    assert (answer["changed"], answer["refused"]) == (2, 1)
    assert answer["results"][2]["error"] == "not_found"
    assert {r["status"] for r in answer["results"][:2]} == {"dismissed"}
    again = cases_api.post(
        bulk, "investigator", json={"ids": ids[:1], "status": "confirmed", "note": "x"}
    )
    assert again.json()["results"][0]["error"] == "invalid_transition"
    counts = _cases(cases_api)["counts"]
    assert counts["open"] == 1 and counts["dismissed"] == 2
    alert = cases_api.get(f"/api/v1/alerts/{alert_key('R05', 20).replace('|', '%7C')}", "analyst")
    assert alert.json()["history"][-1]["note"] == "核实无误"
    actions = [(r["action"], r["outcome"]) for r in cases_api.audit()]
    assert ("cases.assign", "ok") in actions and ("cases.bulk_status", "partial") in actions
    assert ("cases.bulk_status", "refused") in actions


def test_alerts_sort_by_severity_then_risk_with_firm_names(cases_api: Api) -> None:
    answer = cases_api.get("/api/v1/alerts", "investigator", params={"sort": "severity"})
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    ranks = [{"high": 0, "medium": 1, "low": 2}[a["severity"]] for a in items]
    assert ranks == sorted(ranks) and items[0]["rule"] == "R02"
    assert items[0]["subject_name"] == "成都示例00科技有限公司" and items[0]["case_id"]
    lows = [a["subject_score"] or -1.0 for a in items if a["severity"] == "low"]
    assert lows == sorted(lows, reverse=True)
    recent = cases_api.get("/api/v1/alerts", "investigator").json()["items"]
    assert (
        all(a["subject_name"] for a in recent) and recent[0]["last_seen"] == "2026-06-29T08:00:00Z"
    )
    assert {a["subject"]: a["subject_class"] for a in recent}[uscc(0)] in ("A", "B", "C", "D")
    bad = cases_api.get("/api/v1/alerts", "investigator", params={"sort": "random"})
    assert bad.status_code == 422
