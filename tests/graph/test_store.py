"""GraphStore behaviour on the real embedded FalkorDB (and Neo4j when configured)."""

from __future__ import annotations

import math
import threading
from datetime import date

import pytest

from riskgraph.errors import QueryError, QueryTimeout, ReadOnlyViolation
from riskgraph.graph.schema import apply_ddl, list_indexes
from riskgraph.graph.store import GraphStore

HOSTILE_TEXT = 'a"b\\c\n\t}) DETACH DELETE n // 中文（有限）'

PROPERTY_VALUES = {
    "chinese": "成都市武侯区示例科技有限公司",
    "hostile": HOSTILE_TEXT,
    "integer": 2**53 + 1,
    "negative": -42,
    "real": 1234.5678,
    "tiny": 1.5e-9,
    "yes": True,
    "no": False,
    "day": date(2019, 2, 28),
    "numbers": [1, 2, 3],
    "words": ["投资", "任职"],
    "nothing": None,
}


def test_every_property_type_round_trips(store: GraphStore) -> None:
    props = {k: v for k, v in PROPERTY_VALUES.items() if k != "day"}
    store.write(
        "CREATE (n:Probe {key: 'p1'}) SET n += $props SET n.day = date($day)",
        props=props,
        day=PROPERTY_VALUES["day"],
    )
    [row] = store.read("MATCH (n:Probe {key: $key}) RETURN n", key="p1")
    node = row["n"]
    assert node["labels"] == ["Probe"]
    stored = node["properties"]
    for name, value in PROPERTY_VALUES.items():
        if value is None:
            assert name not in stored  # null properties are not stored, on both engines
        else:
            assert stored[name] == value, name
            assert type(stored[name]) is type(value), name


def test_parameters_round_trip_as_values(store: GraphStore) -> None:
    for value in [HOSTILE_TEXT, "", 0, -1.25, True, None, [], [["x"], [1]], {"k": "v", "n": None}]:
        [row] = store.read("RETURN $value AS value", value=value)
        assert row["value"] == value


def test_read_values_equals_read_for_plain_values(store: GraphStore) -> None:
    store.write(
        "UNWIND range(1, 40) AS i CREATE (:Probe {n: i, name: '名' + toString(i), "
        "x: CASE WHEN i % 3 = 0 THEN null ELSE i / 7.0 END, "
        "day: date('2020-01-01') + duration({days: i % 4})})"
    )
    for query in [
        # lists of one type take the fast paths; mixed lists, maps and nulls the general one
        "MATCH (p:Probe) RETURN collect(p.name) AS names, collect(p.n) AS ns, collect(p.x) AS xs, "
        "collect(p.day) AS days, collect([p.n, p.x]) AS pairs",
        "MATCH (p:Probe) RETURN p.n AS n, p.x AS x, p.day AS day, "
        "{n: p.n, words: [p.name, null]} AS m, p.n % 2 = 0 AS even, [] AS empty ORDER BY n",
        "RETURN [1, 'a', 2.5, true, null, date('2021-03-04'), "
        "localdatetime('2021-03-04T05:06:07')] AS mixed",
        "MATCH (p:Probe) WHERE p.n < 0 RETURN p.n AS n",
        "MATCH (p:Probe) WHERE p.n < 0 RETURN count(p) AS c",
    ]:
        assert store.read_values(query) == store.read(query), query


def test_read_values_refuses_nodes_on_falkordb(falkordb_store: GraphStore) -> None:
    store = falkordb_store  # only FalkorDB decodes read_values itself
    store.write("CREATE (:Probe {n: 1})")
    with pytest.raises(QueryError, match="nodes"):
        store.read_values("MATCH (p:Probe) RETURN p")
    with pytest.raises(QueryError):
        store.read_values("RETURN 1 / $zero AS x", zero=[1])  # a run-time error


def test_a_prepared_write_does_what_the_plain_write_does(store: GraphStore) -> None:
    rows = [
        {"k": "a", "text": 'quote " and back\\slash', "n": 1.5},
        {"k": "b", "text": "", "n": 2.0},
    ]
    query = "UNWIND $rows AS row CREATE (x:Prepared {k: row.k, text: row.text, n: row.n})"
    prepared = store.prepare_write(query, rows=rows)
    assert store.read("MATCH (x:Prepared) RETURN count(x) AS c") == [{"c": 0}]  # not sent yet
    store.run_prepared(prepared)
    found = store.read("MATCH (x:Prepared) RETURN x.k AS k, x.text AS text, x.n AS n ORDER BY k")
    assert found == rows
    with pytest.raises(QueryError):
        store.prepare_write(query, rows=[{"k": "c", "text": "x", "n": float("nan")}])


def test_non_finite_numbers_are_refused(store: GraphStore) -> None:
    with pytest.raises(QueryError, match="finite"):
        store.write("CREATE (:Probe {x: $x})", x=math.nan)
    with pytest.raises(QueryError, match="unsupported"):
        store.write("CREATE (:Probe {x: $x})", x=object())


def test_nodes_relationships_and_paths_have_one_uniform_form(store: GraphStore) -> None:
    store.write("CREATE (:Person {pid: 'p'})-[:INVESTS_IN {ratio: 0.6}]->(:Enterprise {uscc: 'e'})")
    [row] = store.read(
        "MATCH path = (p:Person)-[r:INVESTS_IN]->(e:Enterprise) RETURN p, r, e, path"
    )
    person, rel, enterprise, path = row["p"], row["r"], row["e"], row["path"]
    assert set(person) == {"id", "labels", "properties"}
    assert person["properties"] == {"pid": "p"}
    assert rel["type"] == "INVESTS_IN"
    assert (rel["start"], rel["end"]) == (person["id"], enterprise["id"])
    assert rel["properties"] == {"ratio": 0.6}
    assert [n["properties"] for n in path["nodes"]] == [{"pid": "p"}, {"uscc": "e"}]
    assert path["relationships"] == [rel]


def test_read_path_refuses_writes_and_changes_nothing(store: GraphStore) -> None:
    store.write("CREATE (:Probe {n: 1})")
    for query in [
        "CREATE (:Probe {n: 2})",
        "MATCH (p:Probe) SET p.n = 99",
        "MATCH (p:Probe) DETACH DELETE p",
        "MERGE (:Probe {n: 3})",
    ]:
        with pytest.raises(ReadOnlyViolation):
            store.read(query)
    assert store.read("MATCH (p:Probe) RETURN p.n AS n") == [{"n": 1}]


def test_syntax_errors_raise_query_error(store: GraphStore) -> None:
    with pytest.raises(QueryError):
        store.read("MATCH (n RETURN n")


def test_server_side_timeout_stops_a_long_query(store: GraphStore) -> None:
    with pytest.raises(QueryTimeout):
        store.read(
            "UNWIND range(1, 20000) AS a UNWIND range(1, 20000) AS b "
            "WITH a, b WHERE a * b = -1 RETURN count(*) AS c",
            timeout_s=0.2,
        )


def test_write_batches_loads_100k_rows_one_transaction_per_batch(store: GraphStore) -> None:
    rows = ({"k": i, "name": f"企业{i}"} for i in range(100_000))
    batches: list[tuple[int, int]] = []
    sent = store.write_batches(
        "UNWIND $rows AS row CREATE (:Bulk {k: row.k, name: row.name})",
        rows,
        batch_size=10_000,
        on_batch=lambda index, size: batches.append((index, size)),
    )
    assert sent == 100_000
    assert batches == [(i, 10_000) for i in range(10)]
    [row] = store.read("MATCH (b:Bulk) RETURN count(b) AS n, sum(b.k) AS total")
    assert row == {"n": 100_000, "total": sum(range(100_000))}


def test_a_failing_batch_keeps_earlier_batches_and_nothing_of_itself(store: GraphStore) -> None:
    rows = [{"k": 1, "d": 1}, {"k": 2, "d": 1}, {"k": 3, "d": 1}, {"k": 4, "d": 0}]
    query = "UNWIND $rows AS row CREATE (:Step {k: row.k, v: 10 / row.d})"
    with pytest.raises(QueryError):
        store.write_batches(query, rows, batch_size=2)
    assert store.read("MATCH (s:Step) RETURN s.k AS k ORDER BY k") == [{"k": 1}, {"k": 2}]


def test_a_value_the_client_cannot_decode_is_a_query_error(falkordb_store: GraphStore) -> None:
    """A duration past what Python's dates hold (the FalkorDB client raised a bare
    ValueError, a 500 in the API) is refused as the query's fault."""
    with pytest.raises(QueryError, match="cannot be decoded"):
        falkordb_store.read("RETURN duration('P999999999Y') AS d")


def test_a_schema_applied_by_several_requests_at_once(store: GraphStore) -> None:
    """Two requests that each write the first dispatch apply its schema together; Neo4j
    answers the later ``CREATE … IF NOT EXISTS`` with "an equivalent index already
    exists" when the two overlap, FalkorDB any repeat with "already indexed"."""

    def apply(start: threading.Barrier, failures: list[Exception]) -> None:
        start.wait()
        try:
            apply_ddl(store, "dispatch_schema")
        except Exception as exc:  # collected for the assertion
            failures.append(exc)

    for _ in range(5):
        store.drop_graph()
        start = threading.Barrier(4)
        failures: list[Exception] = []
        threads = [threading.Thread(target=apply, args=(start, failures)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        indexed = {(label, key) for label, keys in list_indexes(store) for key in keys}
        assert {("DispatchTask", "uscc"), ("DispatchTask", "status")} <= indexed
