"""Neighbour groups per kind and risk class, and pages within one class (issue 17)."""

from __future__ import annotations

from typing import Any

from api_helpers import Api, uscc

from riskgraph.api.privacy import pseudonym


def _group(answer: dict[str, Any], rel_type: str, direction: str) -> dict[str, Any]:
    [group] = [g for g in answer["groups"] if (g["type"], g["direction"]) == (rel_type, direction)]
    return group


def test_groups_count_their_neighbours_per_kind_and_class(api: Api) -> None:
    answer = api.get(
        "/api/v1/graph/neighbours", "investigator", params={"key": uscc(0), "by_class": "true"}
    )
    assert answer.status_code == 200, answer.text
    investors = _group(answer.json(), "INVESTS_IN", "in")
    # 张三丰 (a person, no class) and enterprise 1 (class B: CLASSES[1]) invest in 0.
    assert investors["classes"] == [
        {"kind": "Enterprise", "cls": "B", "total": 1},
        {"kind": "Person", "cls": "none", "total": 1},
    ]
    assert sum(c["total"] for c in investors["classes"]) == investors["total"]
    plain = api.get("/api/v1/graph/neighbours", "investigator", params={"key": uscc(0)}).json()
    assert all("classes" not in g for g in plain["groups"])


def test_a_page_within_one_class(api: Api) -> None:
    params = {"key": uscc(0), "type": "INVESTS_IN", "direction": "in"}
    persons = api.get(
        "/api/v1/graph/neighbours", "investigator", params={**params, "risk_class": "none"}
    ).json()
    group = _group(persons, "INVESTS_IN", "in")
    assert [item["id"] for item in group["items"]] == [pseudonym("pid-zhang")]
    assert group["risk_class"] == "none" and group["has_more"] is False
    firms = api.get(
        "/api/v1/graph/neighbours", "investigator", params={**params, "risk_class": "B"}
    ).json()
    assert [item["id"] for item in _group(firms, "INVESTS_IN", "in")["items"]] == [uscc(1)]
    none = api.get(
        "/api/v1/graph/neighbours", "investigator", params={**params, "risk_class": "D"}
    ).json()
    assert _group(none, "INVESTS_IN", "in")["items"] == []


def test_relationship_dates_come_with_the_items(api: Api) -> None:
    answer = api.get(
        "/api/v1/graph/neighbours", "analyst", params={"key": uscc(0), "type": "LEGAL_REP_OF"}
    ).json()
    [item] = _group(answer, "LEGAL_REP_OF", "in")["items"]
    assert item["relationship"]["since"] == "2015-03-02"
    violations = _group(
        api.get("/api/v1/graph/neighbours", "analyst", params={"key": uscc(0)}).json(),
        "HAS_VIOLATION",
        "out",
    )
    assert {item["date"] for item in violations["items"]} == {"2023-04-01", "2024-01-05"}


def test_bad_class_parameters_are_refused(api: Api) -> None:
    bad = api.get(
        "/api/v1/graph/neighbours", "investigator", params={"key": uscc(0), "risk_class": "E"}
    )
    assert bad.status_code == 422
    untyped = api.get(
        "/api/v1/graph/neighbours", "investigator", params={"key": uscc(0), "risk_class": "A"}
    )
    assert untyped.status_code == 422 and "type" in untyped.json()["message"]
