"""The analyst console's API: the schema endpoint, error positions, refused writes."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import Api
from test_cypher import dump

from riskgraph.analytics import console
from riskgraph.graph.store import GraphStore

URL = "/api/v1/cypher"
SCHEMA = "/api/v1/cypher/schema"


def at(query: str, details: list[dict[str, int]]) -> str:
    """The query text from the position an error names."""
    [where] = details
    line = query.split("\n")[where["line"] - 1]
    return line[where["column"] - 1 :]


def test_the_schema_counts_labels_and_types_and_samples_property_keys(
    api: Api, api_graph: GraphStore
) -> None:
    response = api.get(SCHEMA, "analyst", params={"fresh": "true"})
    assert response.status_code == 200, response.text
    schema = response.json()
    labels = {item["name"]: item for item in schema["labels"]}
    types = {item["name"]: item for item in schema["relationship_types"]}
    [firms] = api_graph.read("MATCH (e:Enterprise) RETURN count(e) AS n")
    [invests] = api_graph.read("MATCH ()-[r:INVESTS_IN]->() RETURN count(r) AS n")
    [with_name] = api_graph.read(
        "MATCH (e:Enterprise) WITH e LIMIT $s RETURN count(e.name) AS n", s=console.SAMPLE
    )
    assert labels["Enterprise"]["count"] == firms["n"] > 0
    assert types["INVESTS_IN"]["count"] == invests["n"] > 0
    assert labels["Enterprise"]["sampled"] == min(firms["n"], console.SAMPLE)
    keys = {p["key"]: p["count"] for p in labels["Enterprise"]["properties"]}
    assert keys["uscc"] == labels["Enterprise"]["sampled"]
    assert keys["name"] == with_name["n"]
    assert "ratio" in {p["key"] for p in types["INVESTS_IN"]["properties"]}
    everywhere = {p["key"] for p in schema["property_keys"]}
    assert {"uscc", "name", "pid", "ratio"} <= everywhere
    assert "db.labels" in schema["procedures"]
    assert schema["limits"]["max_rows"] == 10_000
    assert [r["action"] for r in api.audit()] == ["cypher.schema"]


def test_the_schema_is_for_roles_that_run_cypher(api: Api) -> None:
    assert api.get(SCHEMA, "investigator").status_code == 403
    assert api.get(SCHEMA, "service").status_code == 403
    assert api.get(SCHEMA, "admin").status_code == 200


def test_the_schema_is_cached_until_asked_fresh(api_graph: GraphStore) -> None:
    first = console.schema(api_graph, fresh=True)
    assert console.schema(api_graph) is first
    assert console.schema(api_graph, fresh=True) is not first
    assert console.schema(api_graph, ttl_s=0) is not first


SYNTAX = [
    # (query, the text the position points at)
    ("MATCH (e:Enterprise)\nRETURN e.uscc AS u ORDER BY u LIMT 5", "LIMT 5"),
    ("/* two\n   lines */ MATCH (n)\nWHERE n.x = = 1 RETURN n", "= 1 RETURN n"),
    ("MATCH (n) // a comment\n  RETRN n", "RETRN n"),
]


@pytest.mark.parametrize(("query", "points_at"), SYNTAX)
def test_syntax_errors_carry_their_line_and_column(api: Api, query: str, points_at: str) -> None:
    response = api.post(URL, "analyst", json={"query": query})
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "malformed_query"
    assert at(query, body["details"]).startswith(points_at), body


@pytest.mark.parametrize(
    ("query", "points_at"),
    [
        ("MATCH (n))\nRETURN n", ")"),
        ("RETURN 'unterminated", "'unterminated"),
        ("MATCH (n)\n  RETURN n.x ＋ 1", "＋ 1"),
    ],
)
def test_the_guard_names_where_it_stopped(api: Api, query: str, points_at: str) -> None:
    response = api.post(URL, "analyst", json={"query": query})
    assert response.status_code == 400, response.text
    assert at(query, response.json()["details"]).startswith(points_at)


def test_engine_errors_carry_a_position_without_the_parser(make_api: Any) -> None:
    """With Neo4j's parser turned off the engine's own refusal is read for a position
    (Neo4j names line and column; FalkorDB an offset or line and column)."""
    api: Api = make_api(cypher_parser=False)
    query = "MATCH (n)\nWHERE n.x = = 1 RETURN n"
    response = api.post(URL, "analyst", json={"query": query})
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "query_error"
    assert at(query, body["details"]).startswith("= 1 RETURN"), body


WRITES = [
    ("MATCH (e:Enterprise)\nSET e.risk_class = 'A'", "SET e"),
    ("MATCH (e:Enterprise) WITH e LIMIT 1\nDETACH DELETE e", "DETACH"),
    ("CREATE (:Enterprise {uscc: 'x'})", "CREATE"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "LOAD"),
]


@pytest.mark.parametrize(("query", "points_at"), WRITES)
def test_writes_are_refused_where_they_start_and_change_nothing(
    api: Api, api_graph: GraphStore, query: str, points_at: str
) -> None:
    before = dump(api_graph)
    response = api.post(URL, "analyst", json={"query": query})
    assert response.status_code == 403, response.text
    body = response.json()
    assert body["error"] == "read_only"
    assert at(query, body["details"]).startswith(points_at)
    assert dump(api_graph) == before


def test_a_comment_does_not_move_what_runs(api: Api) -> None:
    query = "/* a\nb */ MATCH (e:Enterprise)\n// c\nRETURN count(e) AS n"
    response = api.post(URL, "analyst", json={"query": query})
    assert response.status_code == 200, response.text
    assert response.json()["rows"][0]["n"] > 0


def test_any_key_learns_whether_it_may_run_cypher(api: Api) -> None:
    for role, allowed in [("analyst", True), ("admin", True), ("investigator", False)]:
        response = api.get(f"{URL}/access", role)
        assert response.status_code == 200
        assert response.json() == {"allowed": allowed, "role": role}
    assert api.client.get(f"{URL}/access").status_code == 401
