"""Risk clusters and early-warning alerts: reads, masking, status changes, history, audit."""

from __future__ import annotations

from api_helpers import Api, alert_key, uscc

from riskgraph.api.privacy import person_tag, pseudonym

CLUSTER = f"RC-{uscc(0)}"


def _path(rule: str, i: int) -> str:
    return f"/api/v1/alerts/{alert_key(rule, i).replace('|', '%7C')}"


# --------------------------------------------------------------------------- clusters


def test_clusters_are_ranked_and_filtered(analytics_api: Api) -> None:
    listed = analytics_api.get("/api/v1/clusters", "investigator")
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [c["cid"] for c in items] == [CLUSTER, f"RC-{uscc(5)}"]
    assert items[0]["size"] == 4 and items[0]["cd_count"] == 2
    assert set(items[0]["reasons"]) == {"branch", "investment", "legal_rep"}
    big = analytics_api.get("/api/v1/clusters", "analyst", params={"min_size": 3}).json()
    assert [c["cid"] for c in big["items"]] == [CLUSTER]
    one = analytics_api.get("/api/v1/clusters", "analyst", params={"limit": 1}).json()
    assert len(one["items"]) == 1 and one["limit"] == 1
    bad = analytics_api.get("/api/v1/clusters", "analyst", params={"min_size": 1})
    assert bad.status_code == 422


def test_cluster_graph_view_masks_persons_for_investigators(analytics_api: Api) -> None:
    clear = analytics_api.get(f"/api/v1/clusters/{CLUSTER}", "analyst")
    assert clear.status_code == 200, clear.text
    body = clear.json()
    assert [m["uscc"] for m in body["members"]] == [uscc(i) for i in range(4)]
    assert [m["risk_class"] for m in body["members"]] == ["A", "B", "C", "D"]
    nodes = {n["id"]: n for n in body["nodes"]}
    assert nodes["pid-zhang"] == {
        "id": "pid-zhang",
        "kind": "Person",
        "label": "张三丰",
        "member": False,
        "risk_class": None,
        "risk_score": None,
    }
    assert "pid-li" not in nodes  # an officer of one member only does not bind the cluster
    edges = {(e["source"], e["target"], e["type"]) for e in body["edges"]}
    assert edges == {
        (uscc(1), uscc(0), "INVESTS_IN"),
        (uscc(3), uscc(0), "BRANCH_OF"),
        ("pid-zhang", uscc(0), "LEGAL_REP_OF"),
        ("pid-zhang", uscc(2), "LEGAL_REP_OF"),
    }
    assert body["persons_masked"] is False

    masked = analytics_api.get(f"/api/v1/clusters/{CLUSTER}", "investigator")
    assert masked.status_code == 200
    assert "pid-zhang" not in masked.text and "张三丰" not in masked.text
    alias = pseudonym("pid-zhang")
    nodes = {n["id"]: n for n in masked.json()["nodes"]}
    assert nodes[alias]["label"] == f"张**·#{person_tag('pid-zhang')}"
    assert (alias, uscc(2)) in {(e["source"], e["target"]) for e in masked.json()["edges"]}

    address = analytics_api.get(f"/api/v1/clusters/RC-{uscc(5)}", "investigator").json()
    assert {n["kind"] for n in address["nodes"]} == {"Enterprise", "Address"}
    assert [e["type"] for e in address["edges"]] == ["REGISTERED_AT", "REGISTERED_AT"]

    assert analytics_api.get("/api/v1/clusters/RC-NOPE", "analyst").status_code == 404
    records = [r for r in analytics_api.audit() if r["action"].startswith("clusters.")]
    assert [(r["action"], r["persons_unmasked"]) for r in records[:2]] == [
        ("clusters.read", True),
        ("clusters.read", False),
    ]
    assert records[0]["params"] == {"cid": CLUSTER} and records[0]["rows"] == 4


# --------------------------------------------------------------------------- alerts


def test_alerts_filter_and_page(analytics_api: Api) -> None:
    def keys(**params: object) -> list[str]:
        response = analytics_api.get("/api/v1/alerts", "investigator", params=params)
        assert response.status_code == 200, response.text
        return [a["key"] for a in response.json()["items"]]

    everything = keys(limit=100)
    assert len(everything) == 10
    assert everything[0] == alert_key("R12", 8)  # most recently seen first
    assert keys(rule="R12", limit=100) == [alert_key("R12", i) for i in range(8, 1, -1)]
    assert keys(severity="medium") == [alert_key("R05", 1), alert_key("R04", 0)]
    assert keys(subject=uscc(0).lower()) == [alert_key("R02", 0), alert_key("R04", 0)]
    assert keys(status="confirmed") == []
    first = analytics_api.get("/api/v1/alerts", "analyst", params={"limit": 4}).json()
    assert first["next_offset"] == 4 and len(first["items"]) == 4
    last = analytics_api.get("/api/v1/alerts", "analyst", params={"limit": 4, "offset": 8}).json()
    assert last["next_offset"] is None and len(last["items"]) == 2
    assert [a["key"] for a in first["items"] + last["items"]] == everything[:4] + everything[8:]
    for params in ({"severity": "urgent"}, {"status": "closed"}, {"rule": "X1"}, {"limit": 0}):
        bad = analytics_api.get("/api/v1/alerts", "analyst", params=params)
        assert bad.status_code == 422, params


def test_alert_evidence_masks_person_ids_for_investigators(analytics_api: Api) -> None:
    clear = analytics_api.get(_path("R04", 0), "analyst").json()
    assert clear["evidence"] == ["legal_rep:pid-zhang@2025-03-01", "legal_rep:pid-li@2025-09-01"]
    masked = analytics_api.get(_path("R04", 0), "investigator")
    assert masked.status_code == 200
    assert masked.json()["evidence"] == [
        f"legal_rep:{pseudonym('pid-zhang')}@2025-03-01",
        f"legal_rep:{pseudonym('pid-li')}@2025-09-01",
    ]
    listed = analytics_api.get("/api/v1/alerts", "investigator", params={"rule": "R02"})
    assert "pid-zhang" not in listed.text
    assert analytics_api.get(_path("R02", 9), "analyst").status_code == 404


def test_status_changes_keep_history_and_are_audited(analytics_api: Api) -> None:
    path = _path("R02", 0) + "/status"
    started = analytics_api.post(path, "investigator", json={"status": "in_progress"})
    assert started.status_code == 200, started.text
    assert started.json()["status"] == "in_progress"
    investigator_id = analytics_api.key_id("investigator")
    closed = analytics_api.post(
        path, "analyst", json={"status": "dismissed", "note": "registered agent, checked"}
    )
    assert closed.status_code == 200, closed.text
    detail = analytics_api.get(_path("R02", 0), "investigator").json()
    assert detail["status"] == "dismissed" and detail["note"] == "registered agent, checked"
    history = detail["history"]
    assert [(e["seq"], e["from_status"], e["to_status"]) for e in history] == [
        (1, "open", "in_progress"),
        (2, "in_progress", "dismissed"),
    ]
    assert history[0]["actor"] == f"investigator:{investigator_id}"
    assert history[1]["actor"].startswith("analyst:")

    # A closed case can only be reopened; the refusal is clear and audited.
    refused = analytics_api.post(path, "admin", json={"status": "confirmed", "note": "x"})
    assert refused.status_code == 409
    assert refused.json()["error"] == "invalid_transition"
    assert "dismissed" in refused.json()["message"] and "open" in refused.json()["message"]
    reopened = analytics_api.post(path, "admin", json={"status": "open", "note": "new facts"})
    assert reopened.status_code == 200 and len(reopened.json()["history"]) == 3

    records = [r for r in analytics_api.audit() if r["action"] == "alerts.status"]
    assert [(r["outcome"], r["params"]["status"]) for r in records] == [
        ("ok", "in_progress"),
        ("ok", "dismissed"),
        ("refused", "confirmed"),
        ("ok", "open"),
    ]
    assert records[0]["from_status"] == "open" and records[0]["to_status"] == "in_progress"
    assert records[0]["key_id"] == investigator_id and records[0]["role"] == "investigator"
    assert records[1]["params"]["note"] == "registered agent, checked"
    assert "dismissed" in records[2]["error"]


def test_status_change_errors(analytics_api: Api) -> None:
    path = _path("R05", 1) + "/status"
    same = analytics_api.post(path, "investigator", json={"status": "open"})
    assert same.status_code == 409 and same.json()["error"] == "invalid_transition"
    no_note = analytics_api.post(path, "investigator", json={"status": "confirmed"})
    assert no_note.status_code == 422 and "note" in no_note.json()["message"]
    blank = analytics_api.post(path, "investigator", json={"status": "dismissed", "note": "  "})
    assert blank.status_code == 422
    unknown = analytics_api.post(path, "investigator", json={"status": "closed"})
    assert unknown.status_code == 422 and unknown.json()["error"] == "invalid_request"
    missing = analytics_api.post(
        _path("R05", 9) + "/status", "investigator", json={"status": "in_progress"}
    )
    assert missing.status_code == 404
    service = analytics_api.post(path, "service", json={"status": "in_progress"})
    assert service.status_code == 403
    assert analytics_api.get(_path("R05", 1), "analyst").json()["history"] == []
