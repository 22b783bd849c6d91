"""Named queries and the graph routes, with persons masked for investigators."""

from __future__ import annotations

import json

import pytest
from api_helpers import Api, uscc

from riskgraph.api.privacy import mask_name, mask_persons, person_tag, pseudonym

pytest.importorskip("riskgraph.graph.queries")


def test_list_named_queries(api: Api) -> None:
    listed = api.get("/api/v1/queries", "investigator")
    assert listed.status_code == 200
    names = {q["name"] for q in listed.json()}
    assert {"family_tree", "neighbours", "paths", "associated_risk"} <= names
    assert api.get("/api/v1/queries", "service").status_code == 403


def test_family_tree_in_clear_for_analysts_and_masked_for_investigators(api: Api) -> None:
    clear = api.get(f"/api/v1/enterprises/{uscc(0)}/family-tree", "analyst")
    assert clear.status_code == 200, clear.text
    assert "pid-zhang" in clear.text and "张三丰" in clear.text
    masked = api.get(f"/api/v1/enterprises/{uscc(0)}/family-tree", "investigator")
    assert masked.status_code == 200
    assert "pid-zhang" not in masked.text and "张三丰" not in masked.text
    assert pseudonym("pid-zhang") in masked.text and "张**" in masked.text
    nodes = {n["id"]: n for n in masked.json()["nodes"]}
    assert uscc(1) in nodes and nodes[pseudonym("pid-zhang")]["label"] == (
        f"张**·1家企业·#{person_tag('pid-zhang')}"
    )


def test_run_named_queries_through_the_registry(api: Api) -> None:
    risk = api.post(
        "/api/v1/queries/associated_risk", "investigator", json={"uscc": uscc(0), "hops": 1}
    )
    assert risk.status_code == 200, risk.text
    assert "pid-zhang" not in risk.text and "张三丰" not in risk.text
    neighbours = api.get("/api/v1/graph/neighbours", "analyst", params={"key": uscc(0)})
    assert neighbours.status_code == 200, neighbours.text
    paths = api.get(
        "/api/v1/graph/paths", "analyst", params={"from": uscc(1), "to": uscc(0), "max_hops": 2}
    )
    assert paths.status_code == 200, paths.text
    records = [r for r in api.audit() if r["action"].startswith("queries.")]
    assert {r["action"] for r in records} == {
        "queries.associated_risk",
        "queries.neighbours",
        "queries.paths",
    }


def test_query_errors(api: Api) -> None:
    assert api.post("/api/v1/queries/no_such", "analyst", json={}).status_code == 404
    bad = api.post("/api/v1/queries/associated_risk", "analyst", json={"uscc": uscc(0), "hops": 9})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid_input"
    unknown = api.post("/api/v1/queries/associated_risk", "analyst", json={"uscc": "NOPE"})
    assert unknown.status_code == 404
    too_deep = api.get(
        "/api/v1/graph/paths", "analyst", params={"from": "a", "to": "b", "max_hops": 7}
    )
    assert too_deep.status_code == 422
    assert (
        api.get("/api/v1/graph/paths", "service", params={"from": "a", "to": "b"}).status_code
        == 403
    )


def test_mask_persons_rewrites_every_place_a_pid_appears() -> None:
    answer = {
        "nodes": [
            {"id": "pid-1", "kind": "Person", "label": "欧阳娜娜"},
            {"id": "E1", "kind": "Enterprise", "label": "某公司"},
        ],
        "edges": [{"source": "pid-1", "target": "E1"}],
        "paths": [
            {
                "nodes": [
                    {
                        "id": "7",
                        "labels": ["Person"],
                        "properties": {"pid": "pid-1", "name": "欧阳娜娜", "phone": "138"},
                    },
                ],
                "relationships": [],
            }
        ],
        "by_id": {"pid-1": 0.6},
    }
    masked = mask_persons(answer)
    text = json.dumps(masked, ensure_ascii=False)
    assert "pid-1" not in text and "欧阳娜娜" not in text and "138" not in text
    token = pseudonym("pid-1")
    assert masked["edges"][0]["source"] == token and masked["by_id"] == {token: 0.6}
    assert (
        masked["nodes"][0]["label"] == f"欧***·#{person_tag('pid-1')}"
        and masked["nodes"][1]["label"] == "某公司"
    )
    assert mask_name("张三丰") == "张**" and mask_name("李") == "*" and mask_name(None) is None
