"""Enterprise search and detail, with masking by role."""

from __future__ import annotations

import pytest
from api_helpers import Api, uscc

from riskgraph.api.privacy import person_tag

BASE = "/api/v1/enterprises"


def test_search_by_uscc_is_exact_and_case_insensitive(api: Api) -> None:
    response = api.get(BASE, "investigator", params={"uscc": uscc(3).lower()})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [item["uscc"] for item in items] == [uscc(3)]
    assert items[0]["name"] == "成都示例03科技有限公司"
    assert items[0]["established"] == "2015-03-02"
    assert "risk_class" not in items[0]


def test_search_by_exact_name_and_by_prefix(api: Api) -> None:
    exact = api.get(BASE, "analyst", params={"name": "成都示例07科技有限公司", "match": "exact"})
    assert [i["uscc"] for i in exact.json()["items"]] == [uscc(7)]
    prefix = api.get(BASE, "analyst", params={"name": "成都示例1", "limit": 5})
    names = [i["name"] for i in prefix.json()["items"]]
    assert names == [f"成都示例{i}科技有限公司" for i in range(10, 15)]
    page2 = api.get(BASE, "analyst", params={"name": "成都示例1", "limit": 5, "offset": 5})
    assert page2.json()["items"][0]["name"] == "成都示例15科技有限公司"
    none = api.get(BASE, "analyst", params={"name": "不存在", "match": "exact"})
    assert none.status_code == 200 and none.json()["items"] == []


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"uscc": uscc(1), "name": "成都"},
        {"name": "成"},
        {"name": "成都", "limit": 101},
        {"name": "成都", "offset": -1},
        {"name": "成都", "match": "fuzzy"},
    ],
)
def test_search_refuses_bad_parameters(api: Api, params: dict[str, object]) -> None:
    response = api.get(BASE, "analyst", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["error"] in ("invalid_input", "invalid_request")


def test_detail_for_an_analyst_shows_persons_in_clear(api: Api) -> None:
    response = api.get(f"{BASE}/{uscc(0)}", "analyst")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["uscc"] == uscc(0) and body["address"] == "四川省成都市武侯区科华北路1号"
    assert body["registered_capital"] == 100.0 and body["phone"] == "028-8888888"
    assert body["risk"] == {
        "risk_class": "A",
        "risk_score": 0.1,
        "p_A": 0.4,
        "p_B": 0.3,
        "p_C": 0.2,
        "p_D": 0.1,
        "model_version": "v2",
        "scored_at": "2026-01-01T00:00:00.000Z",
    }
    positions = {p["person"]["name"]: p for p in body["positions"]}
    assert positions["张三丰"]["legal_representative"] is True
    assert positions["张三丰"]["person"] == {
        "pid": "pid-zhang",
        "name": "张三丰",
        "masked": False,
        "ref": "pid-zhang",
        "label": "张三丰",
        "firms": 1,
    }
    assert positions["张三丰"]["since"] == "2015-03-02"
    assert positions["李四"]["role"] == "监事"
    investors = {i["kind"]: i for i in body["investors"]}
    assert (
        investors["person"]["person"]["pid"] == "pid-zhang" and investors["person"]["ratio"] == 0.6
    )
    assert investors["enterprise"]["uscc"] == uscc(1) and investors["enterprise"]["amount"] == 400.0
    assert [v["vid"] for v in body["violations"]] == ["v2", "v1"]
    assert body["violations"][1]["authority"] == "成都市武侯区市场监督管理局"
    assert body["truncated"] is False


def test_detail_for_an_investigator_masks_names_and_withholds_pid(api: Api) -> None:
    body = api.get(f"{BASE}/{uscc(0)}", "investigator").json()
    people = sorted(p["person"]["name"] for p in body["positions"])
    assert people == ["张**", "李*"]
    assert all(p["person"]["pid"] is None and p["person"]["masked"] for p in body["positions"])
    person_investor = next(i for i in body["investors"] if i["kind"] == "person")
    ref = person_investor["person"].pop("ref")
    label = person_investor["person"].pop("label")
    assert person_investor["person"] == {"pid": None, "name": "张**", "masked": True, "firms": 1}
    assert label == f"张**·1家企业·#{person_tag('pid-zhang')}"
    assert person_investor["name"] == "张**"
    # the reference is the person's pseudonym: the same one the officer list gives, and
    # the graph routes open it
    assert ref.startswith("person-") and "pid-zhang" not in ref
    officer = next(p for p in body["positions"] if p["person"]["name"] == "张**")
    assert officer["person"]["ref"] == ref
    neighbours = api.get(
        "/api/v1/graph/neighbours", "investigator", params={"key": ref, "label": "Person"}
    )
    assert neighbours.status_code == 200, neighbours.text
    assert "pid-zhang" not in neighbours.text
    assert "张三丰" not in api.get(f"{BASE}/{uscc(0)}", "investigator").text
    assert "pid-zhang" not in api.get(f"{BASE}/{uscc(0)}", "investigator").text


def test_detail_of_an_unscored_enterprise_has_null_risk(api: Api) -> None:
    body = api.get(f"{BASE}/{uscc(25)}", "admin").json()
    assert set(body["risk"].values()) == {None}
    assert body["positions"] == [] and body["investors"] == [] and body["violations"] == []


def test_detail_of_an_unknown_enterprise_is_404(api: Api) -> None:
    response = api.get(f"{BASE}/91510100MA999999XY", "analyst")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
