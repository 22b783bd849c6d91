"""Kinds of market entity in the API and the CLI: class shares per kind, the kind filter
of the enterprise list, the kind and the operator in a profile, plan counts per kind and
own strata per kind, and the model's figures per kind."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import Api
from engines import Graphs
from typer.testing import CliRunner

from riskgraph.cli import app
from riskgraph.graph.schema import init_schema
from riskgraph.graph.store import GraphStore
from riskgraph.settings import get_settings

ORG_TYPES = {
    "enterprise": "有限责任公司",
    "individual": "个体工商户",
    "cooperative": "农民专业合作社",
}
PLAN = {"seed": 11, "as_of": "2026-06-30"}


def key(i: int) -> str:
    return f"92510100MA{i:06d}KD"


def firms() -> list[dict[str, Any]]:
    """60 firms: every third an individual business, every tenth (not a third) a
    cooperative, one company without an org type; classes cycle A–D, a few unscored."""
    rows = []
    for i in range(60):
        kind = "individual" if i % 3 == 0 else "cooperative" if i % 10 == 1 else "enterprise"
        rows.append(
            {
                "uscc": key(i),
                "kind": kind,
                "org_type": None if i == 2 else ORG_TYPES[kind],
                "region_code": "510107" if i % 2 else "510104",
                "risk_class": None if i % 7 == 6 else "ABCD"[i % 4],
            }
        )
    return rows


@pytest.fixture(scope="module")
def kinds_graph(graphs: Graphs) -> Iterator[GraphStore]:
    store = graphs.acquire()
    init_schema(store)
    rows = [
        {
            "uscc": f["uscc"],
            "props": {
                "name": f"示例{f['uscc'][-8:]}",
                "status": "存续",
                "region_code": f["region_code"],
                "registered_capital": 10.0,
                **({"org_type": f["org_type"]} if f["org_type"] else {}),
                **({"risk_class": f["risk_class"]} if f["risk_class"] else {}),
            },
        }
        for f in firms()
    ]
    store.write(
        "UNWIND $rows AS row CREATE (e:Enterprise {uscc: row.uscc}) SET e += row.props", rows=rows
    )
    store.write(
        "MATCH (i:Enterprise {uscc: $i}), (c:Enterprise {uscc: $c}) "
        "CREATE (:Person {pid: 'pid-op', name: '王五'})-[:LEGAL_REP_OF]->(i), "
        "(:Person {pid: 'pid-chair', name: '赵六'})-[:LEGAL_REP_OF]->(c)",
        i=key(0),
        c=key(1),
    )
    yield store
    graphs.release(store)


@pytest.fixture
def kinds_api(make_api: Any, kinds_graph: GraphStore) -> Api:
    api: Api = make_api(store=kinds_graph)
    return api


def expected_counts(prefix: str = "") -> dict[str, dict[str, int]]:
    counts: dict[str, Counter[str]] = {k: Counter() for k in ORG_TYPES}
    for f in firms():
        if f["region_code"].startswith(prefix):
            counts[f["kind"]][f["risk_class"] or "unclassified"] += 1
    return {k: {c: v[c] for c in ("A", "B", "C", "D", "unclassified")} for k, v in counts.items()}


@pytest.mark.parametrize("prefix", ["", "510107"])
def test_class_shares_per_kind(kinds_api: Api, prefix: str) -> None:
    response = kinds_api.get("/api/v1/stats/kinds", "analyst", params={"prefix": prefix})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [k["kind"] for k in body["kinds"]] == ["enterprise", "individual", "cooperative"]
    assert [k["name"] for k in body["kinds"]] == ["企业", "个体工商户", "农民专业合作社"]
    expected = expected_counts(prefix)
    for row in body["kinds"]:
        assert row["counts"] == expected[row["kind"]]
        assert row["total"] == sum(expected[row["kind"]].values())
        assert row["shares"]["C"] == round(row["counts"]["C"] / row["total"], 4)
    bad = kinds_api.get("/api/v1/stats/kinds", "analyst", params={"prefix": "51x"})
    assert bad.status_code == 422


def test_the_enterprise_list_filters_by_kind(kinds_api: Api) -> None:
    for kind in ORG_TYPES:
        response = kinds_api.get(
            "/api/v1/enterprises", "investigator", params={"kind": kind, "limit": 100}
        )
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert {i["uscc"] for i in items} == {f["uscc"] for f in firms() if f["kind"] == kind}
        assert {i["kind"] for i in items} == {kind}
    both = kinds_api.get(
        "/api/v1/enterprises",
        "investigator",
        params={"kind": "individual", "risk_class": "A", "region": "510104", "limit": 100},
    ).json()["items"]
    assert {i["uscc"] for i in both} == {
        f["uscc"]
        for f in firms()
        if f["kind"] == "individual" and f["risk_class"] == "A" and f["region_code"] == "510104"
    }
    bad = kinds_api.get("/api/v1/enterprises", "investigator", params={"kind": "company"})
    assert bad.status_code == 422 and "kind" in bad.text
    searches = [r for r in kinds_api.audit() if r["action"] == "enterprises.search"]
    assert searches[0]["params"]["kind"] == "enterprise"


def test_the_profile_names_the_kind_and_the_operator(kinds_api: Api) -> None:
    individual = kinds_api.get(f"/api/v1/enterprises/{key(0)}", "investigator").json()
    assert individual["kind"] == "individual"
    assert [p["role"] for p in individual["positions"]] == ["经营者"]
    coop = kinds_api.get(f"/api/v1/enterprises/{key(1)}", "investigator").json()
    assert coop["kind"] == "cooperative"
    assert [p["role"] for p in coop["positions"]] == ["法定代表人"]
    untyped = kinds_api.get(f"/api/v1/enterprises/{key(2)}", "investigator").json()
    assert untyped["org_type"] is None and untyped["kind"] == "enterprise"


def test_plans_count_per_kind_and_draw_kinds_in_strata_of_their_own(
    make_api: Any, kinds_graph: GraphStore
) -> None:
    api: Api = make_api(store=kinds_graph)
    plan = api.post("/api/v1/inspections/plans", "analyst", json=PLAN).json()
    assert "plan_id" in plan, plan
    population: dict[str, Counter[str]] = {k: Counter() for k in ORG_TYPES}
    for f in firms():
        population[f["kind"]][f["risk_class"] or "B"] += 1  # unclassified_as B
    kind_of = {f["uscc"]: f["kind"] for f in firms()}
    chosen: dict[str, Counter[str]] = {k: Counter() for k in ORG_TYPES}
    for s in plan["selected"]:
        chosen[kind_of[s["uscc"]]][s["risk_class"]] += 1
    for kind in ORG_TYPES:
        for cls in "ABCD":
            assert plan["counts_by_kind"][kind][cls] == {
                "population": population[kind][cls],
                "selected": chosen[kind][cls],
            }
    assert not any(":" in s["stratum"] for s in plan["selected"])  # one table for all

    body = {**PLAN, "kind_ratios": {"individual": {"C": 0.25, "D": 0.65}}}
    own = api.post("/api/v1/inspections/plans", "analyst", json=body)
    assert own.status_code == 201, own.text
    drawn = own.json()
    assert drawn["kind_ratios"]["individual"] == {"A": 0.05, "B": 0.15, "C": 0.25, "D": 0.65}
    for cls, ratio in drawn["kind_ratios"]["individual"].items():
        count = drawn["counts"][f"individual:{cls}"]
        assert count["population"] == population["individual"][cls]
        assert count["selected"] == int(ratio * count["population"] + 0.5)
        assert drawn["counts"][cls]["population"] == (
            population["enterprise"][cls] + population["cooperative"][cls]
        )
    for s in drawn["selected"]:
        assert s["stratum"].startswith("individual:") == (kind_of[s["uscc"]] == "individual")
    fetched = api.get(f"/api/v1/inspections/plans/{drawn['plan_id']}", "investigator").json()
    assert fetched["verified"] is True and fetched["counts_by_kind"] == drawn["counts_by_kind"]
    for bad in ({"enterprise": {"A": 0.05}}, {"individual": {"A": 0.5}}):
        refused = api.post(
            "/api/v1/inspections/plans", "analyst", json={**PLAN, "kind_ratios": bad}
        )
        assert refused.status_code == 422, bad


def test_the_model_reports_figures_per_kind(
    make_api: Any, kinds_graph: GraphStore, tmp_path: Path
) -> None:
    from riskgraph.gnn.train import LabelSpec, TrainConfig, train

    labels = tmp_path / "labels.csv"
    with labels.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["key", "class"])
        writer.writerows([f["uscc"], f["risk_class"] or "B"] for f in firms())
    config = TrainConfig(models=("scorecard",), min_aggregate_edges=1, device="cpu")
    result = train(
        kinds_graph, tmp_path / "models", labels=LabelSpec(source=labels), seed=0, config=config
    )
    api: Api = make_api(store=kinds_graph, models_dir=tmp_path / "models")
    info = api.get("/api/v1/model", "analyst").json()
    by_kind = info["validation"]["scorecard"]["by_kind"]
    assert set(by_kind) == {"enterprise", "individual", "cooperative"}
    expected = result.validation["scorecard"]["by_kind"]
    for kind, figures in by_kind.items():
        assert figures["n"] == expected[kind]["n"]
        assert figures["macro_f1"] == expected[kind].get("macro_f1")
    assert sum(f["n"] for f in by_kind.values()) == info["validation"]["scorecard"]["n"]
    metrics = api.get("/api/v1/model/metrics", "analyst").json()
    assert (
        metrics["validation"]["scorecard"]["by_kind"]["individual"]["n"]
        == by_kind["individual"]["n"]
    )


def test_the_kinds_command(
    kinds_graph: GraphStore, graphs: Graphs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in graphs.env(kinds_graph).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("RISKGRAPH_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        done = CliRunner().invoke(app, ["kinds", "--prefix", "510104", "--json"])
    finally:
        get_settings.cache_clear()
    assert done.exit_code == 0, done.output
    body = json.loads(done.stdout)
    expected = expected_counts("510104")
    assert {k["kind"]: k["counts"] for k in body["kinds"]} == expected
