"""The screening API: fields, run, validation errors, saved screens per owner, CSV
export and a screen sent to an inspection plan."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

import pytest
from api_helpers import Api
from conftest import ApiFactory

from riskgraph.analytics.screening import parse_screen
from riskgraph.graph.store import GraphStore

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "analytics"))
from screen_fixtures import TODAY, Oracle, build, generate

SCREEN: dict[str, Any] = {
    "all": [
        {"field": "region_code", "op": "prefix", "value": "5101"},
        {"field": "org_type", "op": "in", "value": ["有限责任公司", "股份有限公司", "分公司"]},
    ]
}


@pytest.fixture
def screens_api(make_api: ApiFactory, store: GraphStore) -> tuple[Api, Oracle]:
    data = generate()
    build(store, data)
    return make_api(store=store), Oracle(data)


def test_fields_list_six_layers(screens_api: tuple[Api, Oracle]) -> None:
    api, _ = screens_api
    body = api.get("/api/v1/screens/fields", "investigator").json()
    assert [layer["zh"] for layer in body["layers"]] == [
        "登记信息",
        "审批信息",
        "公示信息",
        "行业与监管标签",
        "监管执法",
        "信用积分",
    ]
    names = {f["name"] for f in body["fields"]}
    assert len(names) >= 40 and {"region_code", "entity_kind", "penalties"} <= names
    assert api.get("/api/v1/screens/fields", "service").status_code == 403


def test_run_counts_every_match_and_pages(screens_api: tuple[Api, Oracle]) -> None:
    api, oracle = screens_api
    expected = oracle.select(parse_screen(SCREEN))
    first = api.post(
        "/api/v1/screens:run",
        "investigator",
        json={"screen": SCREEN, "limit": 5, "as_of": TODAY.isoformat()},
    )
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["total"] == len(expected) > 5
    assert len(body["results"]) == 5 and body["next_offset"] == 5
    everything = api.post(
        "/api/v1/screens:run", "analyst", json={"screen": SCREEN, "limit": 500}
    ).json()
    assert {r["uscc"] for r in everything["results"]} == expected
    assert everything["next_offset"] is None


@pytest.mark.parametrize(
    ("screen", "path"),
    [
        (
            {"all": [SCREEN["all"][0], {"field": "org_type", "op": "prefix", "value": "有限"}]},
            "screen.all[1].op",
        ),
        (
            {"any": [{"field": "registered_capital", "op": "gte", "value": "many"}]},
            "screen.any[0].value",
        ),
        ({"not": {"field": "zzz", "op": "eq", "value": 1}}, "screen.not.field"),
    ],
)
def test_bad_screens_are_422_naming_the_path(
    screens_api: tuple[Api, Oracle], screen: Any, path: str
) -> None:
    api, _ = screens_api
    answer = api.post("/api/v1/screens:run", "analyst", json={"screen": screen})
    assert answer.status_code == 422
    assert answer.json()["message"].startswith(path + ":")


def test_saved_screens_are_per_owner(screens_api: tuple[Api, Oracle]) -> None:
    api, _ = screens_api
    made = api.post("/api/v1/screens", "analyst", json={"name": "成都公司", "screen": SCREEN})
    assert made.status_code == 201, made.text
    sid = made.json()["sid"]
    assert made.json()["definition"] == parse_screen(SCREEN)
    assert [s["sid"] for s in api.get("/api/v1/screens", "analyst").json()["items"]] == [sid]
    assert api.get("/api/v1/screens", "investigator").json()["items"] == []
    assert api.get(f"/api/v1/screens/{sid}", "investigator").status_code == 404
    assert api.get(f"/api/v1/screens/{sid}", "admin").json()["name"] == "成都公司"
    assert (
        api.client.delete(f"/api/v1/screens/{sid}", headers=api.headers("investigator")).status_code
        == 404
    )
    bad = api.post(
        "/api/v1/screens", "analyst", json={"name": "x", "screen": {"all": [{"field": "nope"}]}}
    )
    assert bad.status_code == 422 and "screen.all[0].field" in bad.json()["message"]
    deleted = api.client.delete(f"/api/v1/screens/{sid}", headers=api.headers("analyst"))
    # a bare 204: no body, and no content type claiming one
    assert deleted.status_code == 204 and deleted.content == b""
    assert "content-type" not in deleted.headers
    assert api.get(f"/api/v1/screens/{sid}", "analyst").status_code == 404


def test_export_streams_csv_of_every_match(screens_api: tuple[Api, Oracle]) -> None:
    api, oracle = screens_api
    answer = api.post("/api/v1/screens:export", "investigator", json={"screen": SCREEN})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text.lstrip("\ufeff"))))
    assert [r["uscc"] for r in rows] == sorted(oracle.select(parse_screen(SCREEN)))
    assert any(e["action"] == "screens.export" and e["outcome"] == "ok" for e in api.audit())


def test_send_to_plan_draws_from_the_screen(screens_api: tuple[Api, Oracle]) -> None:
    api, oracle = screens_api
    body = {"seed": 4, "screen": SCREEN, "as_of": TODAY.isoformat()}
    assert api.post("/api/v1/screens:plan", "investigator", json=body).status_code == 403
    made = api.post("/api/v1/screens:plan", "analyst", json=body)
    assert made.status_code == 201, made.text
    plan = made.json()
    statuses = {k: f.get("status") for k, f in oracle.data.firms.items()}
    expected = {
        k for k in oracle.select(parse_screen(SCREEN)) if statuses[k] in (None, "存续", "在业")
    }
    assert plan["population"] == len(expected)
    assert {s["uscc"] for s in plan["selected"]} <= expected
    shown = api.get(f"/api/v1/inspections/plans/{plan['plan_id']}", "investigator").json()
    assert shown["verified"] is True
    sid = api.post("/api/v1/screens", "analyst", json={"name": "p", "screen": SCREEN}).json()["sid"]
    again = api.post(
        "/api/v1/screens:plan",
        "analyst",
        json={"seed": 4, "screen_id": sid, "as_of": TODAY.isoformat()},
    )
    assert again.status_code == 201 and again.json()["plan_id"] == plan["plan_id"]
    both = api.post("/api/v1/screens:plan", "analyst", json={"seed": 4})
    assert both.status_code == 422
