"""Screening counters: refreshed on demand and by the loader, read only while fresh, and
the compiled shape that makes neighbour and window counts scale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from screen_fixtures import TODAY, Oracle, build, generate

from riskgraph.analytics.screening import (
    compile_definition,
    counter_state,
    parse_screen,
    refresh_counters,
    run_screen,
)
from riskgraph.graph import screen_counters
from riskgraph.graph.store import GraphStore

COLOCATED = {"field": "colocated_firms", "op": "gte", "value": 1}


def keys(store: GraphStore, screen: dict[str, Any]) -> set[str]:
    result = run_screen(store, screen, limit=500, today=TODAY)
    assert result.total == len(result.results)
    return {row["uscc"] for row in result.results}


def test_refresh_writes_every_enterprise_and_records_its_time(store: GraphStore) -> None:
    data = generate(firms=60)
    build(store, data)
    assert counter_state(store).state == "missing"
    state = refresh_counters(store)
    assert state.fresh and state.enterprises == len(data.firms)
    assert state.seconds is not None and state.refreshed_at
    again = counter_state(store)
    assert again.fresh and again.refreshed_at == state.refreshed_at
    oracle = Oracle(data)
    rows = store.read_values(
        "MATCH (e:Enterprise) RETURN e.uscc AS k, e.sc_colocated_firms AS c, "
        "e.sc_legal_rep_other_firms AS l, e.sc_investors AS i"
    )
    for row in rows:
        assert row["c"] == oracle.value(row["k"], "colocated_firms", None)
        assert row["l"] == oracle.value(row["k"], "legal_rep_other_firms", None)
        assert row["i"] == oracle.value(row["k"], "investor_count", None)


def test_a_structural_change_after_the_refresh_makes_screens_count_live(
    store: GraphStore,
) -> None:
    data = generate(firms=60)
    build(store, data)
    refresh_counters(store)
    lonely = sorted(set(data.firms) - keys(store, COLOCATED))[:2]
    assert len(lonely) == 2
    # both firms move to one new address: the relationship count grows by one
    store.write(
        "MATCH (e:Enterprise) WHERE e.uscc IN $keys "
        "MERGE (a:Address {aid: 'A-new'}) CREATE (e)-[:REGISTERED_AT]->(a)",
        keys=lonely,
    )
    assert not counter_state(store).fresh
    assert set(lonely) <= keys(store, COLOCATED)


def test_a_change_that_keeps_the_counts_needs_mark_stale(store: GraphStore) -> None:
    data = generate(firms=60)
    build(store, data)
    refresh_counters(store)
    before = keys(store, COLOCATED)
    mover = sorted(before)[0]
    # a move to a new address of its own: the counts stay equal, the answer changes
    store.write(
        "MATCH (e:Enterprise {uscc: $key})-[r:REGISTERED_AT]->() DELETE r "
        "WITH DISTINCT e MERGE (a:Address {aid: 'A-own'}) CREATE (e)-[:REGISTERED_AT]->(a)",
        key=mover,
    )
    screen_counters.mark_stale(store)
    assert counter_state(store).state == "stale"
    assert mover not in keys(store, COLOCATED)
    assert refresh_counters(store).fresh
    assert mover not in keys(store, COLOCATED)


def test_the_loader_refreshes_the_counters(store: GraphStore, tmp_path: Path) -> None:
    from riskgraph.graph.schema import init_schema
    from riskgraph.ingest.generate import generate_registry
    from riskgraph.ingest.loader import Loader
    from riskgraph.ingest.registry_format import RegistryFormat

    folder = tmp_path / "in"
    generate_registry(1000, 3, folder)
    init_schema(store)
    Loader(store, RegistryFormat(b"test-secret", today=TODAY), runs_dir=tmp_path / "runs").run(
        folder
    )
    state = counter_state(store)
    assert state.fresh and state.enterprises == 1000
    live = compile_definition(COLOCATED, today=TODAY, dialect=store.dialect, counters=False)
    [row] = store.read_values(live.count_query(), **live.params)
    assert run_screen(store, COLOCATED, limit=0, today=TODAY).total == row["total"]


def test_counted_fields_and_violation_counts_compile_to_the_scaling_shape() -> None:
    screen = {
        "all": [
            {"field": "legal_rep_firms_violations", "op": "gte", "value": 1},
            {"field": "colocated_firms", "op": "gte", "value": 5},
            {"field": "penalties", "op": "gte", "value": 2, "months": 36},
            {"field": "officer_count", "op": "gte", "value": 1},
            {"field": "region_code", "op": "prefix", "value": "51"},
        ]
    }
    live = compile_definition(screen, today=TODAY, dialect="falkordb").count_query()
    counted = compile_definition(screen, today=TODAY, dialect="falkordb", counters=True)
    text = counted.count_query()
    # counters join the indexed property conditions; the penalties drive from the records
    assert "e.sc_colocated_firms >=" in text and "indegree" not in text and "indegree" in live
    assert text.startswith("MATCH (x") and ":Violation)" in text.splitlines()[0]
    # the one-hop count runs before the three-hop one, each on the survivors
    assert text.index("HOLDS_POSITION") < text.index("-[:LEGAL_REP_OF]->(x")
    assert text.count("\nWITH e,") == 3
    # a count that may be 0 cannot start from the records
    maybe_zero = {"field": "penalties", "op": "lte", "value": 2}
    assert ":Violation)\nWHERE" not in compile_definition(maybe_zero, today=TODAY).count_query()
    parse_screen(screen)


def test_the_command_line_refreshes_and_reports(cli_env: GraphStore) -> None:
    from typer.testing import CliRunner

    from riskgraph.cli import app

    build(cli_env, generate(firms=30))
    runner = CliRunner()
    status = runner.invoke(app, ["screens", "refresh", "--status", "--json"])
    assert status.exit_code == 0, status.output
    assert json.loads(status.stdout)["fresh"] is False
    ran = runner.invoke(app, ["screens", "refresh", "--json"])
    assert ran.exit_code == 0, ran.output
    body = json.loads(ran.stdout)
    assert body["fresh"] is True and body["enterprises"] == 30
    assert "fresh" in runner.invoke(app, ["screens", "refresh", "--status"]).stdout
