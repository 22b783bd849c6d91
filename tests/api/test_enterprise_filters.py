"""The enterprises behind the risk map: filters by region, industry section and class.

On the analytics test graph (``api_helpers.build_analytics_graph``): enterprises 0-19
are scored ``"ABCD"[i % 4]`` with ``risk_score = 0.1 + 0.02 i``, 20-29 unscored and
without a supervisor class; section I for 0-14, C for 15-29; district 510107 for 0-19,
510104 for 20-29.
"""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import Api, uscc

BASE = "/api/v1/enterprises"


def listed(api: Api, role: str = "investigator", **params: Any) -> list[str]:
    """Every enterprise the filters give, page by page (7 a page)."""
    keys: list[str] = []
    offset = 0
    while True:
        page = api.get(BASE, role, params={**params, "limit": 7, "offset": offset})
        assert page.status_code == 200, page.text
        body = page.json()
        keys += [item["uscc"] for item in body["items"]]
        assert body["has_more"] == (len(body["items"]) == 7 and len(keys) < expected_size(params))
        if not body["has_more"]:
            return keys
        offset += 7


def expected(
    region: str = "", section: str | None = None, risk_class: str | None = None
) -> set[str]:
    out = set()
    for i in range(30):
        cls = "ABCD"[i % 4] if i < 20 else "unclassified"
        sec = "I" if i < 15 else "C"
        code = "510107" if i < 20 else "510104"
        if code.startswith(region) and section in (None, sec) and risk_class in (None, cls):
            out.add(uscc(i))
    return out


def expected_size(params: dict[str, Any]) -> int:
    return len(expected(params.get("region", ""), params.get("section"), params.get("risk_class")))


@pytest.mark.parametrize(
    ("params", "indices"),
    [
        ({"region": "510107", "section": "I", "risk_class": "C"}, [14, 10, 6, 2]),
        ({"section": "C", "risk_class": "D"}, [19, 15]),
        ({"region": "5101", "risk_class": "A"}, [16, 12, 8, 4, 0]),
        ({"risk_class": "unclassified"}, list(range(20, 30))),
        ({"region": "510104"}, list(range(20, 30))),
        ({"region": "510104", "risk_class": "A"}, []),
        ({"section": "none"}, []),
        ({"region": "52"}, []),
    ],
)
def test_filters_give_the_known_enterprises_riskiest_first(
    analytics_api: Api, params: dict[str, str], indices: list[int]
) -> None:
    keys = listed(analytics_api, **params)
    assert keys == [uscc(i) for i in indices]  # risk_score descending, unscored last by key
    assert set(keys) == expected(**params)


def test_whole_registry_in_pages_of_summaries(analytics_api: Api) -> None:
    keys = listed(analytics_api, region="51")
    assert keys == [uscc(i) for i in [*range(19, -1, -1), *range(20, 30)]]
    page = analytics_api.get(BASE, "investigator", params={"region": "5101", "risk_class": "B"})
    first = page.json()["items"][0]
    assert first["uscc"] == uscc(17) and first["region_code"] == "510107"
    assert first["name"] == "成都示例17科技有限公司" and "risk_class" not in first
    assert page.json()["has_more"] is False and page.json()["limit"] == 20


def test_every_risk_map_cell_opens_its_enterprises(analytics_api: Api) -> None:
    risk_map = analytics_api.get("/api/v1/stats/risk-map", "analyst", params={"level": "district"})
    assert risk_map.status_code == 200
    cells = risk_map.json()["cells"]
    assert len(cells) == 3
    for cell in cells:
        for cls, count in cell["counts"].items():
            params = {"region": cell["region"], "section": cell["section"], "risk_class": cls}
            assert len(listed(analytics_api, "analyst", **params)) == count, params
    for row in risk_map.json()["by_industry"]:
        assert len(listed(analytics_api, section=row["key"])) == row["total"]


@pytest.mark.parametrize(
    "params",
    [
        {"region": "51a"},
        {"region": "5101071"},
        {"region": ""},
        {"section": "Z"},
        {"section": "i"},
        {"risk_class": "E"},
        {"risk_class": "a"},
        {"region": "51", "name": "成都示例"},
        {"region": "51", "uscc": uscc(0)},
        {"region": "51", "offset": 10_001},
        {"region": "51", "limit": 0},
        {"region": "51", "limit": 101},
        {},
    ],
)
def test_filter_parameters_are_validated(analytics_api: Api, params: dict[str, Any]) -> None:
    refused = analytics_api.get(BASE, "investigator", params=params)
    assert refused.status_code == 422, (params, refused.text)


def test_filters_need_enterprises_read_and_are_audited(analytics_api: Api) -> None:
    params = {"region": "5101", "section": "I", "risk_class": "C"}
    assert analytics_api.get(BASE, "service", params=params).status_code == 403
    assert analytics_api.get(BASE, "investigator", params=params).status_code == 200
    [record] = [r for r in analytics_api.audit() if r["action"] == "enterprises.search"]
    assert record["params"] == {**params, "limit": 20, "offset": 0} and record["rows"] == 4


def test_name_search_says_whether_more_follow(analytics_api: Api) -> None:
    first = analytics_api.get(BASE, "investigator", params={"name": "成都示例", "limit": 29})
    assert first.status_code == 200 and first.json()["has_more"] is True
    last = analytics_api.get(BASE, "investigator", params={"name": "成都示例", "limit": 30})
    assert last.json()["has_more"] is False and len(last.json()["items"]) == 30
    one = analytics_api.get(BASE, "investigator", params={"uscc": uscc(3)})
    assert one.json()["has_more"] is False and one.json()["items"][0]["uscc"] == uscc(3)
