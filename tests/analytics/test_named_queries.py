"""Named relationship queries on a real embedded FalkorDB, with exact answers.

The graph is built by ``conftest.build_graph``; its docstring draws it.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from typer.testing import CliRunner

from riskgraph.commands.query import app as query_app
from riskgraph.errors import Invalid
from riskgraph.graph.queries import (
    QUERIES,
    EntityNotFound,
    InvalidParameters,
    UnknownQuery,
    describe,
    run_named,
)
from riskgraph.graph.schema import init_schema
from riskgraph.graph.store import GraphStore, Row

# --- helpers ---------------------------------------------------------------


def keys_of(path: Row) -> list[str]:
    """The domain keys along a path in the store's uniform form."""
    return [
        next(n["properties"][k] for k in ("uscc", "pid", "aid", "vid") if k in n["properties"])
        for n in path["nodes"]
    ]


def ids(items: list[Row]) -> list[str]:
    return [item["id"] for item in items]


# --- family tree (族谱) ---------------------------------------------------------


def test_family_tree_walks_up_to_the_controllers_and_down_the_investments(
    graph: GraphStore,
) -> None:
    tree = run_named(graph, "family_tree", {"uscc": "ROOT"})
    assert isinstance(tree, dict)
    assert tree["root"]["id"] == "ROOT" and tree["truncated"] is False
    placed = {n["id"]: (n["level"], n["share"]) for n in tree["nodes"]}
    assert placed == {
        "P1": (-3, 0.5),  # 0.8 * 0.75 * 0.5 + 0.2, two paths; placed at its longest
        "P2": (-3, 0.075),
        "G1": (-2, 0.375),
        "P3": (-2, None),  # no ratio recorded: unknown, not 0
        "H1": (-1, 0.5),
        "H2": (-1, 0.3),
        "ROOT": (0, None),
        "BR1": (1, None),
        "S1": (1, 0.6),
        "S2": (2, 0.6),
        "S3": (3, 0.3),
    }
    kinds = {n["id"]: n["kind"] for n in tree["nodes"]}
    assert kinds["P1"] == "Person" and kinds["G1"] == "Enterprise"
    assert next(n for n in tree["nodes"] if n["id"] == "BR1")["risk_class"] == "D"
    edges = {(e["source"], e["target"], e["type"], e["ratio"]) for e in tree["edges"]}
    assert edges == {
        ("P1", "G1", "INVESTS_IN", 0.8),
        ("P2", "G1", "INVESTS_IN", 0.2),
        ("G1", "H1", "INVESTS_IN", 0.75),
        ("P3", "H1", "INVESTS_IN", None),
        ("H1", "ROOT", "INVESTS_IN", 0.5),
        ("H2", "ROOT", "INVESTS_IN", 0.3),
        ("P1", "ROOT", "INVESTS_IN", 0.2),
        ("ROOT", "S1", "INVESTS_IN", 0.6),
        ("S1", "S2", "INVESTS_IN", 1.0),
        ("S2", "S3", "INVESTS_IN", 0.5),
        ("BR1", "ROOT", "BRANCH_OF", None),
    }
    assert len(tree["edges"]) == len(edges)  # deduplicated
    controllers = [
        (
            c["id"],
            c["share"],
            c["known_share"],
            c["paths"],
            c["beneficial_owner"],
            c["actual_controller"],
        )
        for c in tree["controllers"]
    ]
    assert controllers == [
        ("P1", 0.5, 0.5, 2, True, True),
        ("H2", 0.3, 0.3, 1, True, False),  # an enterprise without investors is ultimate too
        ("P2", 0.075, 0.075, 1, False, False),
        ("P3", None, 0.0, 1, False, False),
    ]


def test_family_tree_depths_limit_both_directions(graph: GraphStore) -> None:
    tree = run_named(graph, "family_tree", {"uscc": "ROOT", "up": 1, "down": 1})
    assert isinstance(tree, dict)
    assert {n["id"]: n["level"] for n in tree["nodes"]} == {
        "P1": -1,
        "H1": -1,
        "H2": -1,
        "ROOT": 0,
        "S1": 1,
        "BR1": 1,
    }
    # H1 has investors beyond the limit: it is not an ultimate controller.
    controllers = [
        (c["id"], c["share"], c["beneficial_owner"], c["actual_controller"])
        for c in tree["controllers"]
    ]
    assert controllers == [("H2", 0.3, True, True), ("P1", 0.2, False, False)]


def test_family_tree_of_a_branch_shows_its_head_office_above(graph: GraphStore) -> None:
    tree = run_named(graph, "family_tree", {"uscc": "BR1"})
    assert isinstance(tree, dict)
    assert {n["id"]: n["level"] for n in tree["nodes"]} == {"ROOT": -1, "BR1": 0}
    assert tree["edges"] == [
        {"source": "BR1", "target": "ROOT", "type": "BRANCH_OF", "ratio": None}
    ]
    assert tree["controllers"] == []


def test_family_tree_of_a_loop_member_stays_finite(graph: GraphStore) -> None:
    tree = run_named(graph, "family_tree", {"uscc": "L1"})
    assert isinstance(tree, dict)
    assert {n["id"]: n["level"] for n in tree["nodes"]} == {"L2": -2, "L3": -1, "L1": 0}
    assert tree["controllers"] == []  # every member of a pure loop has an investor


def test_family_tree_of_an_unknown_enterprise(graph: GraphStore) -> None:
    with pytest.raises(EntityNotFound):
        run_named(graph, "family_tree", {"uscc": "NOPE"})


# --- neighbourhood -------------------------------------------------------------


def test_neighbours_are_grouped_with_totals_riskiest_first(graph: GraphStore) -> None:
    result = run_named(graph, "neighbours", {"key": "ROOT", "limit": 2})
    assert isinstance(result, dict)
    assert result["node"]["id"] == "ROOT"
    groups = {(g["type"], g["direction"]): g for g in result["groups"]}
    assert {k: (g["total"], ids(g["items"]), g["has_more"]) for k, g in groups.items()} == {
        # H2 is scored (0.05) so it leads; unscored H1 (C) before the person P1.
        ("INVESTS_IN", "in"): (3, ["H2", "H1"], True),
        ("INVESTS_IN", "out"): (1, ["S1"], False),
        ("LEGAL_REP_OF", "in"): (1, ["P1"], False),
        ("BRANCH_OF", "in"): (1, ["BR1"], False),
        ("REGISTERED_AT", "out"): (1, ["A1"], False),
        ("HAS_VIOLATION", "out"): (1, ["V0"], False),
    }
    assert groups[("INVESTS_IN", "in")]["items"][0]["relationship"] == {"ratio": 0.3}
    assert groups[("REGISTERED_AT", "out")]["items"][0]["degree"] == 3


def test_neighbours_page_within_one_type(graph: GraphStore) -> None:
    result = run_named(
        graph,
        "neighbours",
        {"key": "ROOT", "type": "INVESTS_IN", "direction": "in", "offset": 2, "limit": 2},
    )
    assert isinstance(result, dict)
    [group] = result["groups"]
    assert (group["total"], group["offset"], ids(group["items"]), group["has_more"]) == (
        3,
        2,
        ["P1"],
        False,
    )


def test_neighbours_order_by_class_then_degree(graph: GraphStore) -> None:
    result = run_named(graph, "neighbours", {"key": "HUB", "label": "Person", "limit": 5})
    assert isinstance(result, dict)
    groups = {g["type"]: g for g in result["groups"]}
    reps = groups["LEGAL_REP_OF"]
    assert reps["total"] == 12
    # D before A; among the A firms F03 (also directed by HUB, degree 2) first, then by key.
    assert ids(reps["items"]) == ["F01", "F02", "F03", "F04", "F05"]
    assert [i["degree"] for i in reps["items"]] == [2, 2, 2, 1, 1]
    assert groups["HOLDS_POSITION"]["items"][0]["relationship"] == {"role": "董事"}


def test_neighbours_of_other_labels(graph: GraphStore) -> None:
    address = run_named(graph, "neighbours", {"key": "A1", "label": "Address"})
    assert isinstance(address, dict)
    [group] = address["groups"]
    assert ids(group["items"]) == ["CO2", "CO1", "ROOT"]
    violation = run_named(graph, "neighbours", {"key": "V1", "label": "Violation"})
    assert isinstance(violation, dict)
    assert violation["node"]["kind"] == "Violation"
    assert ids(violation["groups"][0]["items"]) == ["H1"]
    with pytest.raises(EntityNotFound):
        run_named(graph, "neighbours", {"key": "ROOT", "label": "Person"})


HUB_SIZE = 20_000


def test_neighbours_of_a_hub_are_counted_and_capped(store: GraphStore) -> None:
    init_schema(store)
    store.write(
        "CREATE (a:Address {aid: 'HUBADDR'}) WITH a UNWIND range(1, $n) AS i "
        "CREATE (:Enterprise {uscc: 'F' + toString(100000 + i), "
        "  risk_score: CASE WHEN i % 10 = 0 THEN toFloat(i) / $n ELSE null END})"
        "-[:REGISTERED_AT]->(a)",
        n=HUB_SIZE,
    )
    started = time.perf_counter()
    result = run_named(store, "neighbours", {"key": "HUBADDR", "label": "Address"})
    elapsed = time.perf_counter() - started
    assert isinstance(result, dict)
    [group] = result["groups"]
    assert group["total"] == HUB_SIZE and group["has_more"]
    assert len(group["items"]) == 20
    scores = [item["risk_score"] for item in group["items"]]
    assert scores == [(HUB_SIZE - 10 * k) / HUB_SIZE for k in range(20)]
    assert elapsed < 10, f"hub expansion took {elapsed:.1f}s"

    colocated = run_named(store, "colocated", {"uscc": "F100001", "limit": 5})
    assert isinstance(colocated, dict)
    assert colocated["total"] == HUB_SIZE - 1
    assert ids(colocated["addresses"][0]["enterprises"]) == [
        "F120000",
        "F119990",
        "F119980",
        "F119970",
        "F119960",
    ]


# --- paths (查关系) -------------------------------------------------------------


def test_paths_returns_every_shortest_path(graph: GraphStore) -> None:
    result = run_named(graph, "paths", {"from": "P1", "to": "CO1"})
    assert isinstance(result, dict)
    assert result["from"]["id"] == "P1" and result["to"]["id"] == "CO1"
    assert result["length"] == 3
    # P1 is both shareholder and legal representative of ROOT: two shortest paths.
    found = sorted((keys_of(p), [r["type"] for r in p["relationships"]]) for p in result["paths"])
    assert found == [
        (["P1", "ROOT", "A1", "CO1"], ["INVESTS_IN", "REGISTERED_AT", "REGISTERED_AT"]),
        (["P1", "ROOT", "A1", "CO1"], ["LEGAL_REP_OF", "REGISTERED_AT", "REGISTERED_AT"]),
    ]
    path = result["paths"][0]
    first = path["relationships"][0]
    assert first["start"] == path["nodes"][0]["id"] and first["end"] == path["nodes"][1]["id"]
    last = path["relationships"][-1]  # walked against its direction
    assert last["start"] == path["nodes"][3]["id"] and last["end"] == path["nodes"][2]["id"]


def test_paths_respects_max_hops(graph: GraphStore) -> None:
    short = run_named(graph, "paths", {"from": "P1", "to": "CO1", "max_hops": 2})
    assert isinstance(short, dict)
    assert (short["length"], short["paths"]) == (None, [])
    default = run_named(graph, "paths", {"from": "P2", "to": "S3"})
    assert isinstance(default, dict) and default["paths"] == []
    far = run_named(graph, "paths", {"from": "P2", "to": "S3", "max_hops": 6})
    assert isinstance(far, dict)
    assert far["length"] == 6
    # Via H1, or via P1 (shareholder or officer of G1; shareholder or legal rep of ROOT).
    assert sorted(keys_of(p)[2] for p in far["paths"]) == ["H1", "P1", "P1", "P1", "P1"]
    assert {tuple(keys_of(p)[3:]) for p in far["paths"]} == {("ROOT", "S1", "S2", "S3")}


def test_paths_needs_two_known_distinct_entities(graph: GraphStore) -> None:
    with pytest.raises(EntityNotFound):
        run_named(graph, "paths", {"from": "P1", "to": "NOPE"})
    with pytest.raises(EntityNotFound):
        run_named(graph, "paths", {"from": "P1", "to": "V1"})  # violations are not endpoints
    with pytest.raises(InvalidParameters):
        run_named(graph, "paths", {"from": "P1", "to": "P1"})


# --- associated risk (关联风险) ---------------------------------------------------


def summarise(result: Any) -> dict[str, Any]:
    return {
        kind: [(i["id"], i["hops"], i["via"], keys_of(i["path"])) for i in result[kind]]
        for kind in ("enterprises", "violations")
    }


def test_associated_risk_within_two_hops(graph: GraphStore) -> None:
    result = run_named(graph, "associated_risk", {"uscc": "ROOT"})
    assert isinstance(result, dict)
    assert summarise(result) == {
        # BR1 is scored D (its label A is overridden); CO2 is scored A (label D overridden).
        "enterprises": [
            ("BR1", 1, ["BRANCH_OF"], ["ROOT", "BR1"]),
            ("H1", 1, ["INVESTS_IN"], ["ROOT", "H1"]),
            ("S2", 2, ["INVESTS_IN"], ["ROOT", "S1", "S2"]),
            ("CO1", 2, ["REGISTERED_AT"], ["ROOT", "A1", "CO1"]),
        ],
        # Open violations only (V2 removed, V5 repaired), and not ROOT's own V0.
        "violations": [
            ("V1", 1, ["INVESTS_IN"], ["ROOT", "H1", "V1"]),
            ("V4", 2, ["REGISTERED_AT"], ["ROOT", "A1", "CO2", "V4"]),
        ],
    }
    assert (result["enterprises_total"], result["violations_total"]) == (4, 2)
    assert result["by_relation"] == {
        "BRANCH_OF": {"enterprises": 1, "violations": 0},
        "INVESTS_IN": {"enterprises": 2, "violations": 1},
        "REGISTERED_AT": {"enterprises": 1, "violations": 1},
    }
    assert result["enterprises"][0]["risk_class"] == "D"


def test_associated_risk_other_depths_and_limit(graph: GraphStore) -> None:
    near = run_named(graph, "associated_risk", {"uscc": "ROOT", "hops": 1})
    assert [(i[0], i[1]) for i in summarise(near)["enterprises"]] == [("BR1", 1), ("H1", 1)]
    assert [i[0] for i in summarise(near)["violations"]] == ["V1"]
    far = run_named(graph, "associated_risk", {"uscc": "ROOT", "hops": 3, "limit": 2})
    assert isinstance(far, dict)
    assert far["enterprises_total"] == 5  # S3 (D) at 3 hops joins
    assert ids(far["enterprises"]) == ["BR1", "H1"]  # capped, totals are not
    assert far["by_relation"]["INVESTS_IN"] == {"enterprises": 3, "violations": 1}


# --- co-location and hubs ------------------------------------------------------


def test_colocated(graph: GraphStore) -> None:
    result = run_named(graph, "colocated", {"uscc": "ROOT"})
    assert isinstance(result, dict)
    assert result["total"] == 2
    [address] = result["addresses"]
    assert address["address"]["id"] == "A1"
    assert ids(address["enterprises"]) == ["CO2", "CO1"]
    lonely = run_named(graph, "colocated", {"uscc": "S1"})
    assert isinstance(lonely, dict)
    assert (lonely["total"], lonely["addresses"]) == (0, [])


def test_hub_persons(graph: GraphStore) -> None:
    result = run_named(graph, "hub_persons", {})
    assert isinstance(result, dict)
    assert [
        (p["id"], p["firms"], p["legal_rep_of"], p["officer_of"], p["risky_firms"])
        for p in result["persons"]
    ] == [("HUB", 12, 12, 3, 2)]
    wider = run_named(graph, "hub_persons", {"min_firms": 2})
    assert isinstance(wider, dict)
    assert ids(wider["persons"]) == ["HUB", "P1"]


def test_shareholding_loops_are_reported_once(graph: GraphStore) -> None:
    result = run_named(graph, "shareholding_loops", {})
    assert isinstance(result, dict)
    loops = [([m["id"] for m in loop["members"]], loop["length"]) for loop in result["loops"]]
    assert loops == [(["L1", "L2", "L3"], 3), (["L4", "L5"], 2)]
    assert [(e["source"], e["target"]) for e in result["loops"][0]["edges"]] == [
        ("L1", "L2"),
        ("L2", "L3"),
        ("L3", "L1"),
    ]
    short = run_named(graph, "shareholding_loops", {"max_length": 2})
    assert isinstance(short, dict)
    assert [[m["id"] for m in loop["members"]] for loop in short["loops"]] == [["L4", "L5"]]


def test_risk_map_by_district_and_city(graph: GraphStore) -> None:
    result = run_named(graph, "risk_map", {})
    assert isinstance(result, dict)
    cells = {(c["region"], c["section"]): (c["counts"], c["total"]) for c in result["cells"]}
    assert cells == {
        ("510104", "F"): ({"A": 1, "B": 0, "C": 0, "D": 1, "unclassified": 0}, 2),
        ("510107", "C"): ({"A": 1, "B": 1, "C": 1, "D": 1, "unclassified": 1}, 5),
        ("510302", "C"): ({"A": 0, "B": 0, "C": 1, "D": 0, "unclassified": 0}, 1),
    }
    assert result["cells"][1]["region_name"] == "四川省成都市武侯区"
    city = run_named(graph, "risk_map", {"level": "city", "prefix": "5101"})
    assert isinstance(city, dict)
    assert [(c["region"], c["section"], c["total"]) for c in city["cells"]] == [
        ("510100", "C", 5),
        ("510100", "F", 2),
    ]
    assert city["totals"] == {"A": 2, "B": 1, "C": 1, "D": 2, "unclassified": 1}


# --- registry and parameter validation -----------------------------------------


def test_registry_describes_every_query() -> None:
    assert set(QUERIES) == {
        "family_tree",
        "neighbours",
        "paths",
        "associated_risk",
        "colocated",
        "hub_persons",
        "shareholding_loops",
        "risk_map",
    }
    described = {q["name"]: q for q in describe()}
    assert described["family_tree"]["title_zh"] == "族谱"
    up = next(p for p in described["family_tree"]["params"] if p["name"] == "up")
    assert up == {**up, "type": "int", "default": 3, "minimum": 0, "maximum": 6}
    json.dumps(describe())  # JSON-ready


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("family_tree", {}, "needs the parameter 'uscc'"),
        ("family_tree", {"uscc": "ROOT", "up": 7}, "between 0 and 6"),
        ("family_tree", {"uscc": "ROOT", "up": "three"}, "must be an integer"),
        ("family_tree", {"uscc": "ROOT", "up": True}, "must be an integer"),
        ("family_tree", {"uscc": "ROOT", "depth": 2}, "no parameter 'depth'"),
        ("family_tree", {"uscc": 42}, "must be a string"),
        ("family_tree", {"uscc": ""}, "invalid value"),
        ("neighbours", {"key": "ROOT", "label": "Company"}, "must be one of"),
        ("neighbours", {"key": "ROOT", "limit": 0}, "between 1 and 200"),
        ("neighbours", {"key": "ROOT", "offset": 20}, "give 'type' too"),
        ("neighbours", {"key": "ROOT", "type": "invests in"}, "invalid value"),
        ("neighbours", {"key": "ROOT", "direction": "both"}, "must be one of"),
        ("paths", {"from": "P1"}, "needs the parameter 'to'"),
        ("paths", {"from": "P1", "to": "CO1", "max_hops": 7}, "between 1 and 6"),
        ("associated_risk", {"uscc": "ROOT", "hops": 4}, "between 1 and 3"),
        ("hub_persons", {"min_firms": 1}, "between 2 and"),
        ("shareholding_loops", {"max_length": 0}, "between 1 and 6"),
        ("risk_map", {"level": "street"}, "must be one of"),
        ("risk_map", {"prefix": "51'"}, "invalid value"),
        ("risk_map", {"level": None}, "must not be null"),
    ],
)
def test_bad_parameters_are_refused_before_any_query(
    name: str, params: dict[str, Any], message: str
) -> None:
    store: Any = object()  # never reached: validation comes first
    with pytest.raises(InvalidParameters, match=message) as caught:
        run_named(store, name, params)
    assert isinstance(caught.value, Invalid)  # 422 in the API, not a database error


def test_unknown_query_name() -> None:
    store: Any = object()
    with pytest.raises(UnknownQuery, match="known: associated_risk"):
        run_named(store, "drop_everything", {})
    with pytest.raises(InvalidParameters):
        run_named(store, "risk_map", ["level"])  # type: ignore[arg-type]


def test_integer_text_is_accepted(graph: GraphStore) -> None:
    result = run_named(graph, "associated_risk", {"uscc": "ROOT", "hops": "1"})
    assert isinstance(result, dict) and result["hops"] == 1


# --- CLI -----------------------------------------------------------------------


def test_cli_runs_a_named_query(graph: GraphStore, cli_env: GraphStore) -> None:
    result = CliRunner().invoke(
        query_app, ["family_tree", "--param", "uscc=ROOT", "--param", "up=1", "-p", "down=0"]
    )
    assert result.exit_code == 0, result.output
    tree = json.loads(result.stdout)
    assert [c["id"] for c in tree["controllers"]] == ["H2", "P1"]
    assert tree["up"] == 1 and tree["down"] == 0


def test_cli_keeps_text_parameters_as_text(graph: GraphStore, cli_env: GraphStore) -> None:
    # "1e3" would parse as JSON; a text parameter must reach the query as typed.
    result = CliRunner().invoke(query_app, ["neighbours", "-p", "key=1e3"])
    assert result.exit_code == 1
    assert "no Enterprise with key '1e3'" in result.stderr


def test_cli_lists_queries_and_reports_bad_parameters() -> None:
    runner = CliRunner()
    listed = runner.invoke(query_app, ["--list"])
    assert listed.exit_code == 0
    assert {q["name"] for q in json.loads(listed.stdout)} == set(QUERIES)
    bad = runner.invoke(query_app, ["associated_risk", "-p", "uscc=ROOT", "-p", "hops=9"])
    assert bad.exit_code == 1 and "between 1 and 3" in bad.stderr
    malformed = runner.invoke(query_app, ["associated_risk", "-p", "uscc"])
    assert malformed.exit_code == 1 and "k=v" in malformed.stderr
    unknown = runner.invoke(query_app, ["nope"])
    assert unknown.exit_code == 1 and "no named query 'nope'" in unknown.stderr
