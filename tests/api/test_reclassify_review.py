"""The re-classification API: the change feed (paging, since, filters, export), the
runs with their transition matrices, and the review, with roles; on both engines,
after two months classified by a tiny model."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import Api
from engines import Graphs
from reclass_registry import CLASSES, FIRMS, build_registry, shifted_labels, train_model

from riskgraph.analytics.reclassify import reclassify
from riskgraph.graph.store import GraphStore

MONTHS = ("2026-04", "2026-05")


@pytest.fixture(scope="module")
def reclassified(graphs: Graphs, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """The registry classified in April (one model) and May (another)."""
    pytest.importorskip("lightgbm")
    root = tmp_path_factory.mktemp("reclass-api")
    store = graphs.acquire()
    build_registry(store)
    first = train_model(store, root / "first")
    second = train_model(store, root / "second", labels=shifted_labels(root / "labels.csv"))
    reclassify(store, first, MONTHS[0])
    reclassify(store, second, MONTHS[1])
    yield store
    graphs.release(store)


@pytest.fixture
def api(make_api: Any, reclassified: GraphStore) -> Api:
    made: Api = make_api(store=reclassified)
    return made


def stored(store: GraphStore, month: str) -> dict[str, str]:
    rows = store.read(
        "MATCH (e:Enterprise)-[:HAS_ASSESSMENT]->(a:RiskAssessment) WHERE a.month = $month "
        "RETURN e.uscc AS key, a.risk_class AS class",
        month=month,
    )
    return {row["key"]: row["class"] for row in rows}


def test_change_feed_pages_since_and_filters(api: Api, reclassified: GraphStore) -> None:
    april, may = stored(reclassified, MONTHS[0]), stored(reclassified, MONTHS[1])
    changed = sorted(k for k in may if april[k] != may[k])
    items: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        response = api.get(
            "/api/v1/scores/changes",
            "investigator",
            params={"since": MONTHS[1], "limit": 6, "offset": offset},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= 6
        items.extend(body["items"])
        offset = body["next_offset"]
    assert [i["key"] for i in items] == changed
    assert all((i["previous"], i["current"]) == (april[i["key"]], may[i["key"]]) for i in items)
    assert all(i["month"] == MONTHS[1] and i["name"] for i in items)

    both = api.get(
        "/api/v1/scores/changes", "analyst", params={"since": MONTHS[0], "limit": 500}
    ).json()
    assert len(both["items"]) == FIRMS + len(changed) and both["next_offset"] is None
    assert [i["previous"] for i in both["items"][:FIRMS]] == [None] * FIRMS  # all new in April
    wanted = may[changed[0]]
    only = api.get(
        "/api/v1/scores/changes",
        "investigator",
        params={"since": MONTHS[1], "class": wanted, "region": "5101", "limit": 500},
    ).json()["items"]
    assert only and all(i["current"] == wanted and i["region_code"][:4] == "5101" for i in only)

    for bad in ({"since": "2026-13"}, {"since": "2026-05", "class": "E"}, {}):
        assert api.get("/api/v1/scores/changes", "investigator", params=bad).status_code == 422
    assert api.get("/api/v1/scores/changes?since=2026-05", "service").status_code == 200
    # the key route still answers keys
    assert api.get("/api/v1/scores/NOSUCHKEY", "investigator").status_code == 404


def test_change_feed_export(api: Api, reclassified: GraphStore) -> None:
    params = {"since": MONTHS[0], "format": "csv"}
    export = "/api/v1/scores/changes:export"
    assert api.get(export, "investigator", params=params).status_code == 403
    response = api.get(export, "service", params=params)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    paged = api.get(
        "/api/v1/scores/changes", "analyst", params={"since": MONTHS[0], "limit": 500}
    ).json()["items"]
    assert [(r["month"], r["key"], r["current"]) for r in rows] == [
        (i["month"], i["key"], i["current"]) for i in paged
    ]
    lines = api.get(
        "/api/v1/scores/changes:export", "analyst", params={"since": MONTHS[1]}
    ).text.splitlines()
    assert [json.loads(line)["key"] for line in lines] == [
        i["key"] for i in paged if i["month"] == MONTHS[1]
    ]
    assert any(e["action"] == "scores.changes_export" for e in api.audit())


def test_runs_and_transition_matrix(api: Api, reclassified: GraphStore) -> None:
    april, may = stored(reclassified, MONTHS[0]), stored(reclassified, MONTHS[1])
    runs = api.get("/api/v1/reclassifications", "service").json()["runs"]
    assert [r["month"] for r in runs] == list(reversed(MONTHS))
    run = api.get(f"/api/v1/reclassifications/{MONTHS[1]}", "investigator").json()
    for previous in CLASSES:
        for current in CLASSES:
            expected = sum(1 for k in may if (april[k], may[k]) == (previous, current))
            assert run["transitions"][previous][current] == expected
    assert run["class_counts"] == {c: list(may.values()).count(c) for c in CLASSES}
    assert run["previous_month"] == MONTHS[0] and run["scored"] == FIRMS
    assert api.get("/api/v1/reclassifications/2026-12", "analyst").status_code == 404
    assert api.get("/api/v1/reclassifications/2026-1", "analyst").status_code == 422


def test_review_endpoint(api: Api, reclassified: GraphStore) -> None:
    may = stored(reclassified, MONTHS[1])
    response = api.get(
        "/api/v1/review",
        "investigator",
        params={"dimension": "industry", "months": 6, "min_firms": 1, "top": 2},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["months"] == list(MONTHS)
    assert sum(r["total"] for r in body["rows"]) == FIRMS - 1  # one firm has no section
    assert sum(1 for r in body["rows"] if r["flagged"]) <= 2
    assert all(r["flagged"] <= r["rising"] for r in body["rows"])
    manufacturing = next(r for r in body["rows"] if r["value"] == "C")
    assert manufacturing["name"] == "制造业" and len(manufacturing["series"]) == 2
    total_d = sum(r["counts"]["D"] for r in body["rows"])
    sectionless = next(k for k in may if k.endswith(f"{FIRMS - 1:06d}XY"))
    assert total_d == list(may.values()).count("D") - (may[sectionless] == "D")
    kinds = api.get(
        "/api/v1/review", "analyst", params={"level": "province", "kind": "cooperative"}
    ).json()
    assert {r["value"] for r in kinds["rows"]} <= {"51", "44", "11"}
    assert api.get("/api/v1/review?level=street", "analyst").status_code == 422
    assert api.get("/api/v1/review", "service").status_code == 403


def test_cli_summary_and_review(
    reclassified: GraphStore, graphs: Graphs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from riskgraph.cli import app
    from riskgraph.settings import get_settings

    for name, value in graphs.env(reclassified).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("RISKGRAPH_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["review", "--level", "city", "--json"])
        assert result.exit_code == 0, result.output
        answer = json.loads(result.output)
        assert answer["months"] == list(MONTHS)
        assert "四川省成都市" in {row["name"] for row in answer["rows"]}
        table = CliRunner().invoke(app, ["review", "--dimension", "industry"])
        assert table.exit_code == 0 and "制造业" in table.output
        bad = CliRunner().invoke(app, ["reclassify", "--month", "2026-5"])
        assert bad.exit_code == 1 and "YYYY-MM" in bad.output
    finally:
        get_settings.cache_clear()
