"""The saved-views API: owner, shared and forbidden callers, persons masked on read
whatever role saved the view, notes, bounds (422, 413), the audit, and the case report
as HTML and PDF."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path
from typing import Any

import pytest
from api_helpers import Api, build_graph, uscc
from conftest import ApiFactory

from riskgraph.analytics.views import MAX_NODES
from riskgraph.api.privacy import pseudonym
from riskgraph.graph.schema import init_schema
from riskgraph.graph.store import GraphStore

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
BASE = "/api/v1/views"


@pytest.fixture
def views_api(make_api: ApiFactory, store: GraphStore) -> Api:
    init_schema(store)
    build_graph(store)
    return make_api(store=store)


def state(person: str = "pid-zhang") -> dict[str, Any]:
    return {
        "version": 1,
        "root": {"kind": "Enterprise", "key": uscc(0)},
        "nodes": [
            {"kind": "Enterprise", "key": uscc(0), "x": 0.0, "y": 0.0, "label": "示例00"},
            {"kind": "Enterprise", "key": uscc(1), "x": 150.0, "y": 30.0},
            {"kind": "Person", "key": person, "x": -80.0, "y": 60.0, "label": "张三丰"},
        ],
        "edges": [
            {"source": person, "target": uscc(0), "type": "LEGAL_REP_OF"},
            {"source": uscc(1), "target": uscc(0), "type": "INVESTS_IN", "ratio": 0.4},
        ],
        "positions": {person: {"x": -80.0, "y": 60.0}},
        "expansions": [
            {"key": uscc(0), "groups": [{"type": "LEGAL_REP_OF", "direction": "in", "loaded": 1}]}
        ],
    }


def save(api: Api, role: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = api.post(BASE, role, json=body or {"title": "示例00 关系", "state": state()})
    assert answer.status_code == 201, answer.text
    view: dict[str, Any] = answer.json()
    return view


def test_owner_saves_lists_reads_updates_and_deletes(views_api: Api) -> None:
    api = views_api
    view = save(api, "analyst")
    vid = view["vid"]
    assert view["mine"] and view["node_count"] == 3
    assert view["state"]["nodes"][2] == {"kind": "Person", "key": "pid-zhang", "x": -80.0,
                                         "y": 60.0, "label": "张三丰"}  # fmt: skip
    listed = api.get(BASE, "analyst").json()["items"]
    assert [(v["vid"], v["title"], v["note_count"]) for v in listed] == [(vid, "示例00 关系", 0)]
    assert api.get(BASE, "investigator").json()["items"] == []

    changed = api.post(f"{BASE}/{vid}", "analyst", json={"title": "改名"}).json()
    assert changed["title"] == "改名" and changed["state"]["nodes"][1]["x"] == 150.0
    assert api.client.delete(f"{BASE}/{vid}", headers=api.headers("analyst")).status_code == 204
    assert api.get(f"{BASE}/{vid}", "analyst").status_code == 404
    actions = [(r["action"], r["outcome"]) for r in api.audit() if r["action"].startswith("views")]
    assert ("views.save", "ok") in actions and ("views.update", "ok") in actions
    assert ("views.delete", "ok") in actions


def test_shared_view_opens_masked_for_a_masked_role(views_api: Api) -> None:
    api = views_api
    vid = save(api, "analyst")["vid"]
    api.post(
        f"{BASE}/{vid}/notes", "analyst", json={"target": {"node": "pid-zhang"}, "text": "法人"}
    )
    assert api.get(f"{BASE}/{vid}", "investigator").status_code == 404
    shared = api.post(f"{BASE}/{vid}/share", "analyst", json={"roles": ["investigator"]})
    assert shared.status_code == 200 and shared.json()["shared_roles"] == ["investigator"]

    seen = api.get(f"{BASE}/{vid}", "investigator")
    assert seen.status_code == 200
    text = seen.text
    assert "pid-zhang" not in text and "张三丰" not in text
    body = seen.json()
    token = pseudonym("pid-zhang")
    assert (
        body["state"]["nodes"][2]["key"] == token and body["state"]["nodes"][2]["label"] == "张**"
    )
    assert body["state"]["edges"][0]["source"] == token
    assert token in body["state"]["positions"]
    assert body["notes"][0]["target"] == {"node": token} and not body["mine"]
    # the reader may not change, share or delete it
    assert api.post(f"{BASE}/{vid}", "investigator", json={"title": "x"}).status_code == 403
    share = {"users": [api.key_id("investigator")]}
    assert api.post(f"{BASE}/{vid}/share", "investigator", json=share).status_code == 403
    headers = api.headers("investigator")
    assert api.client.delete(f"{BASE}/{vid}", headers=headers).status_code == 403
    assert any(r["action"] == "views.share" and r["outcome"] == "ok" for r in api.audit())


def test_a_masked_saver_stores_pids_and_an_unmasked_reader_sees_names(views_api: Api) -> None:
    api = views_api
    token = pseudonym("pid-zhang")
    view = save(api, "investigator", {"title": "调查", "state": state(token)})
    assert (
        view["state"]["nodes"][2]["key"] == token and view["state"]["nodes"][2]["label"] == "张**"
    )
    vid = view["vid"]
    share = {"users": [api.key_id("analyst")]}
    assert api.post(f"{BASE}/{vid}/share", "investigator", json=share).status_code == 200
    opened = api.get(f"{BASE}/{vid}", "analyst").json()
    assert opened["state"]["nodes"][2] == {"kind": "Person", "key": "pid-zhang", "x": -80.0,
                                           "y": 60.0, "label": "张三丰"}  # fmt: skip
    assert opened["state"]["edges"][0]["source"] == "pid-zhang"
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    refused = api.post(BASE, "investigator", json={"title": "x", "state": state(forged)})
    assert refused.status_code == 422 and "state.nodes[2].key" in refused.json()["message"]


def test_forbidden_roles_and_audiences(views_api: Api) -> None:
    api = views_api
    assert api.get(BASE, "service").status_code == 403
    assert api.client.get(BASE).status_code == 401
    vid = save(api, "analyst")["vid"]
    bad_role = api.post(f"{BASE}/{vid}/share", "analyst", json={"roles": ["service"]})
    assert bad_role.status_code == 422 and "roles[0]" in bad_role.json()["message"]
    bad_key = api.post(f"{BASE}/{vid}/share", "analyst", json={"users": [api.key_id("service")]})
    assert bad_key.status_code == 422 and "users[0]" in bad_key.json()["message"]
    unknown = api.post(f"{BASE}/{vid}/share", "analyst", json={"users": ["0123456789"]})
    assert unknown.status_code == 422
    # admins open every view
    assert api.get(f"{BASE}/{vid}", "admin").status_code == 200
    refusals = [r for r in api.audit() if r["action"] == "views.share"]
    assert [r["outcome"] for r in refusals] == ["refused"] * 3


def test_bounds(views_api: Api) -> None:
    api = views_api
    nodes = [{"kind": "Enterprise", "key": f"E{i}"} for i in range(MAX_NODES + 1)]
    too_many = api.post(BASE, "analyst", json={"title": "大", "state": {"nodes": nodes}})
    assert too_many.status_code == 422 and "state.nodes" in too_many.json()["message"]
    bad_x = {"nodes": [{"kind": "Enterprise", "key": "E", "x": "left"}]}
    answer = api.post(BASE, "analyst", json={"title": "x", "state": bad_x})
    assert answer.status_code == 422 and "state.nodes[0].x" in answer.json()["message"]
    assert api.post(BASE, "analyst", json={"title": "", "state": {}}).status_code == 422
    huge = {"filters": {"blob": "x" * 1_100_000}}
    assert api.post(BASE, "analyst", json={"title": "x", "state": huge}).status_code == 413
    vid = save(api, "analyst")["vid"]
    note = {"target": {"node": uscc(0)}, "text": "x" * 2001}
    assert api.post(f"{BASE}/{vid}/notes", "analyst", json=note).status_code == 422
    gif = {"png": base64.b64encode(b"GIF89a" + bytes(50)).decode()}
    assert api.post(f"{BASE}/{vid}/picture", "analyst", json=gif).status_code == 422


def test_bytes_bound_answers_422_when_the_body_limit_allows(make_api: ApiFactory,
                                                            store: GraphStore) -> None:  # fmt: skip
    init_schema(store)
    api = make_api(store=store, max_body_bytes=4_000_000)
    huge = {"filters": {"blob": "x" * 2_100_000}}
    answer = api.post(BASE, "analyst", json={"title": "x", "state": huge})
    assert answer.status_code == 422 and "2000000" in answer.json()["message"]


def test_notes_by_readers(views_api: Api) -> None:
    api = views_api
    vid = save(api, "analyst")["vid"]
    api.post(f"{BASE}/{vid}/share", "analyst", json={"users": [api.key_id("investigator")]})
    token = pseudonym("pid-zhang")
    edge = {"source": token, "type": "LEGAL_REP_OF", "target": uscc(0)}
    note = api.post(f"{BASE}/{vid}/notes", "investigator", json={"target": {"edge": edge},
                                                                  "text": "同一法人"})  # fmt: skip
    assert note.status_code == 201, note.text
    body = note.json()
    assert body["target"] == {"edge": edge} and body["author"].startswith("investigator:")
    stored = api.get(f"{BASE}/{vid}", "analyst").json()["notes"]
    assert stored[0]["target"]["edge"]["source"] == "pid-zhang"
    nid = body["nid"]
    assert api.client.delete(f"{BASE}/{vid}/notes/{nid}", headers=api.headers("investigator")
                             ).status_code == 204  # fmt: skip
    assert any(r["action"] == "views.note" for r in api.audit())


def test_report_html_masks_persons_for_the_reader(views_api: Api) -> None:
    api = views_api
    vid = save(api, "analyst")["vid"]
    picture = {"png": "data:image/png;base64," + base64.b64encode(PNG).decode()}
    assert api.post(f"{BASE}/{vid}/picture", "analyst", json=picture).json() == {"bytes": len(PNG)}
    assert api.get(f"{BASE}/{vid}/picture", "analyst").content == PNG
    api.post(f"{BASE}/{vid}/notes", "analyst", json={"target": {"node": uscc(0)}, "text": "<b>x"})
    own = api.get(f"{BASE}/{vid}/report", "analyst")
    assert own.status_code == 200 and own.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in own.headers["content-security-policy"]
    html = own.text
    expected = ["示例00 关系", "内部资料", "report-legend", "report-firms", uscc(1)]
    expected += ["成都示例00科技有限公司", "张三丰", "行政处罚"]
    expected.append(base64.b64encode(PNG).decode()[:40])
    for part in expected:
        assert part in html, part
    assert "&lt;b&gt;x" in html and "<b>x" not in html
    api.post(f"{BASE}/{vid}/share", "analyst", json={"roles": ["investigator"]})
    masked = api.get(f"{BASE}/{vid}/report", "investigator").text
    assert "张三丰" not in masked and "pid-zhang" not in masked and "张**" in masked
    assert api.get(f"{BASE}/{vid}/report", "service").status_code == 404
    assert api.client.get(f"{BASE}/{vid}/report").status_code == 401
    reports = [r for r in api.audit() if r["action"] == "views.report"]
    assert [r["outcome"] for r in reports] == ["ok", "ok", "refused"]
    assert reports[0]["params"]["format"] == "html"


def test_report_pdf(views_api: Api, make_api: ApiFactory, store: GraphStore) -> None:
    api = views_api
    vid = save(api, "analyst")["vid"]
    if shutil.which("chromium") is None:
        pytest.skip("no chromium on this machine")
    answer = api.get(f"{BASE}/{vid}/report.pdf", "analyst")
    assert answer.status_code == 200, answer.text
    assert (
        answer.content.startswith(b"%PDF") and answer.headers["content-type"] == "application/pdf"
    )


def test_report_pdf_without_chromium_is_503(make_api: ApiFactory, store: GraphStore) -> None:
    init_schema(store)
    api = make_api(store=store, chromium=Path("/nonexistent/chromium"))
    vid = save(api, "analyst")["vid"]
    answer = api.get(f"{BASE}/{vid}/report.pdf", "analyst")
    assert answer.status_code == 503 and "chromium" in answer.json()["message"].lower()
