"""GET /api/v1/search: infix matches with class and score, kinds, roles (persons only
for roles that see them), bad input; masked persons carry firm count and tag."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_helpers import Api, build_graph, uscc
from conftest import ApiFactory
from engines import Graphs

from riskgraph.api.privacy import person_tag
from riskgraph.graph.schema import init_schema
from riskgraph.graph.store import GraphStore


@pytest.fixture(scope="module")
def search_graph(graphs: Graphs) -> Iterator[GraphStore]:
    """The API test graph, loaded before the schema (as an existing graph would be)."""
    store = graphs.acquire()
    build_graph(store)
    init_schema(store)
    yield store
    graphs.release(store)


@pytest.fixture
def api(make_api: ApiFactory, search_graph: GraphStore) -> Api:
    return make_api(store=search_graph)


def test_infix_finds_firms_with_class_and_score(api: Api) -> None:
    answer = api.get("/api/v1/search", "investigator", params={"q": "示例07科"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [(i["kind"], i["key"], i["match"]) for i in body["items"]] == [
        ("enterprise", uscc(7), "substring")
    ]
    hit = body["items"][0]
    assert hit["name"] == "成都示例07科技有限公司"
    assert hit["class"] == "D" and hit["score"] == pytest.approx(0.24)
    assert hit["region"] == "510107" and hit["status"] == "存续"
    assert [e["action"] for e in api.audit()][-1] == "search"


def test_ranking_and_limit(api: Api) -> None:
    body = api.get("/api/v1/search", "analyst", params={"q": "成都示例0", "limit": 3}).json()
    assert [i["match"] for i in body["items"]] == ["prefix"] * 3
    assert body["limit"] == 3
    exact = api.get("/api/v1/search", "analyst", params={"q": uscc(3).lower()}).json()
    assert [(i["key"], i["match"]) for i in exact["items"]] == [(uscc(3), "exact")]


def test_persons_only_for_roles_that_see_them(api: Api) -> None:
    analyst = api.get("/api/v1/search", "analyst", params={"q": "张三"}).json()
    assert [(i["kind"], i["key"], i["name"], i["firms"]) for i in analyst["items"]] == [
        ("person", "pid-zhang", "张三丰", 1)
    ]
    investigator = api.get("/api/v1/search", "investigator", params={"q": "张三"})
    assert investigator.status_code == 200 and investigator.json()["items"] == []
    assert "person" not in investigator.json()["kinds"]
    refused = api.get("/api/v1/search", "investigator", params={"q": "张三", "kind": "person"})
    assert refused.status_code == 403 and "persons" in refused.json()["message"]
    assert api.get("/api/v1/search", "service", params={"q": "张三"}).status_code == 403


def test_kind_filter_and_addresses(api: Api) -> None:
    body = api.get("/api/v1/search", "analyst", params={"q": "科华北路", "kind": "address"}).json()
    assert [(i["kind"], i["key"], i["firms"]) for i in body["items"]] == [("address", "a1", 1)]
    firms = api.get("/api/v1/search", "analyst", params={"q": "科华北路", "kind": "enterprise"})
    assert firms.json()["items"] == []


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"q": ""}, "q"),
        ({"q": "德" * 101}, "q"),
        ({"q": "德城", "kind": "firm"}, "kind"),
        ({"q": "德城", "limit": 0}, "limit"),
        ({"q": "德城", "limit": 51}, "limit"),
        ({}, "q"),
    ],
)
def test_bad_input_is_422_naming_the_parameter(
    api: Api, params: dict[str, object], where: str
) -> None:
    answer = api.get("/api/v1/search", "analyst", params=params)
    assert answer.status_code == 422, answer.text
    assert answer.json()["details"][0]["loc"] == ["query", where]


def test_blank_text_is_422(api: Api) -> None:
    answer = api.get("/api/v1/search", "analyst", params={"q": "   "})
    assert answer.status_code == 422 and "empty" in answer.json()["message"]


def test_masked_officers_carry_firm_count_and_tag(api: Api) -> None:
    detail = api.get(f"/api/v1/enterprises/{uscc(0)}", "investigator").json()
    people = {p["person"]["name"]: p["person"] for p in detail["positions"]}
    zhang = people["张**"]
    assert zhang["label"] == f"张**·1家企业·#{person_tag('pid-zhang')}"
    assert people["李*"]["label"] == f"李*·1家企业·#{person_tag('pid-li')}"
    assert person_tag("pid-zhang") != person_tag("pid-li")
    clear = api.get(f"/api/v1/enterprises/{uscc(0)}", "analyst").json()
    assert {p["person"]["label"] for p in clear["positions"]} == {"张三丰", "李四"}
