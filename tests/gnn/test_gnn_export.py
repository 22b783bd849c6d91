"""Export round trip: a small hand-built graph → ids, edges, features, HeteroData."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from gnn_helpers import Toy

from riskgraph import cypher
from riskgraph.gnn.export import ExportError, GraphExport, build_export, export_graph, reverse_type
from riskgraph.gnn.features import FeatureConfig, FeaturePipeline
from riskgraph.gnn.inputs import prepare
from riskgraph.graph.risk_export import (
    ENTERPRISE_FIELDS,
    IN_TYPES,
    OUT_TYPES,
    VIOLATION_FIELDS,
    RawExport,
    read_by_key_pages,
)
from riskgraph.graph.store import GraphStore

AS_OF = date(2025, 1, 1)


def hand_built() -> Toy:
    toy = Toy()
    toy.enterprise(
        "E1",
        established="2015-01-01",
        aid="a1",
        region_code="510107",
        registered_capital=100.0,
        paid_in_capital=50.0,
        org_type="有限责任公司",
        industry_section="C",
        status="存续",
    )
    toy.enterprise(
        "E2",
        established="2020-01-01",
        aid="a1",
        region_code="510107",
        org_type="有限责任公司",
        status="存续",
    )
    toy.enterprise("E3", aid="a2", org_type="个人独资企业", status="吊销")
    toy.enterprise("E4", org_type="分公司")
    toy.persons += ["p1", "p2"]
    toy.legal_reps += [("p1", "E1"), ("p1", "E2")]
    toy.positions += [("p2", "E1", "董事"), ("p2", "E1", "监事")]
    toy.person_investments.append(("p1", "E3"))
    toy.enterprise_investments.append(("E1", "E3"))
    toy.branches.append(("E4", "E1"))
    toy.violation("E1", "行政处罚", "2024-06-01")
    toy.violation("E1", "经营异常名录", "2020-01-01")
    toy.violation("E2", "司法涉诉", "2024-12-01")
    return toy


def test_export_gives_sorted_ids_typed_edges_and_violations(store: GraphStore) -> None:
    hand_built().load(store)
    graph = export_graph(store, page_size=3)  # two pages
    assert graph.keys == {
        "enterprise": ["E1", "E2", "E3", "E4"],
        "person": ["p1", "p2"],
        "address": ["a1", "a2"],
    }
    assert graph.edge_counts() == {
        "enterprise|BRANCH_OF|enterprise": 1,
        "enterprise|INVESTS_IN|enterprise": 1,
        "enterprise|REGISTERED_AT|address": 3,
        "person|HOLDS_POSITION|enterprise": 1,  # two roles, one edge
        "person|INVESTS_IN|enterprise": 1,
        "person|LEGAL_REP_OF|enterprise": 2,
    }
    reps = graph.edges[("person", "LEGAL_REP_OF", "enterprise")]
    assert reps.tolist() == [[0, 0], [0, 1]]
    assert graph.edges[("enterprise", "BRANCH_OF", "enterprise")].tolist() == [[3], [0]]
    assert sorted(graph.roles["role"]) == ["监事", "董事"]
    assert sorted(graph.violations["kind"]) == ["司法涉诉", "经营异常名录", "行政处罚"]
    assert graph.violations["enterprise"].tolist() == [0, 0, 1]
    again = export_graph(store, page_size=1000)
    assert again.keys == graph.keys
    assert again.edge_counts() == graph.edge_counts()


def test_falkordb_windows_give_the_key_paged_export(falkordb_store: GraphStore) -> None:
    """FalkorDB's id-window export with packed replies equals the key-paged reader's on the
    same graph, and knows node ids."""
    store = falkordb_store
    toy = hand_built()
    toy.persons.append("p3")  # linked to nothing: in neither export
    toy.enterprise("E5", aid="a1", org_type="有限责任公司")
    toy.positions += [("p1", "E5", "经理"), ("p1", "E5", "")]
    toy.load(store)
    for page_size in (1, 2, 1000):
        windows = export_graph(store, page_size=page_size)
        portable = build_export(read_by_key_pages(store, page_size=3))
        assert windows.keys == portable.keys
        assert "p3" not in windows.keys["person"]
        assert windows.edge_counts() == portable.edge_counts()
        for edge_type, edge_index in portable.edges.items():
            assert np.array_equal(windows.edges[edge_type], edge_index), edge_type
        assert windows.enterprises.equals(portable.enterprises)
        assert windows.violations.equals(portable.violations)
        assert sorted(map(tuple, windows.roles.to_numpy().tolist())) == sorted(
            map(tuple, portable.roles.to_numpy().tolist())
        )
        assert portable.node_ids is None and windows.node_ids is not None
        ids = {
            row["key"]: row["id"]
            for row in store.read("MATCH (e:Enterprise) RETURN e.uscc AS key, id(e) AS id")
        }
        assert windows.node_ids.tolist() == [ids[key] for key in windows.keys["enterprise"]]


def test_build_export_refuses_repeated_keys_and_keeps_violations_of_exported_firms() -> None:
    def columns(keys: list[str | None]) -> dict[str, list[Any]]:
        return {"key": keys, **{name: [None] * len(keys) for name in ENTERPRISE_FIELDS}}

    def export(
        keys: list[str | None], violations: dict[str, list[Any]] | None = None
    ) -> GraphExport:
        raw = RawExport(
            columns=columns(keys),
            record_ids=np.arange(len(keys)),
            enterprise_ids=len(keys),
            found={},
            edges={},
            role_ids=np.zeros(0, dtype=np.int64),
            role_names=[],
            violations=[] if violations is None else [violations],
        )
        return build_export(raw)

    for repeated in (["B", "A", "B"], [None, "A", None]):
        with pytest.raises(ExportError, match="repeat"):
            export(repeated)
    rows = [
        {"key": key, "vid": vid, **{f: None for f in VIOLATION_FIELDS if f != "vid"}}
        for key, vid in [("C", "v1"), ("C", "v1"), ("Z", "v2"), ("A", "v3"), ("C", "v0")]
    ]  # a repeated row, and a firm that is not exported
    block = {name: [row[name] for row in rows] for name in ("key", *VIOLATION_FIELDS)}
    graph = export(["C", "A", "B"], block)
    assert graph.keys["enterprise"] == ["A", "B", "C"]
    found = graph.violations[["key", "vid", "enterprise"]].to_numpy().tolist()
    assert found == [["A", "v3", 0], ["C", "v0", 2], ["C", "v1", 2]]


def test_falkordb_link_windows_name_every_default_type() -> None:
    text = cypher.text("gnn_window_links", "falkordb")
    named = re.findall(r"RETURN '([A-Z_]+)' AS type", text)
    assert set(named) == set(IN_TYPES) | set(OUT_TYPES)
    assert re.findall(r"WHERE '([A-Z_]+)' IN \$types", text) == named  # each part gates itself


def test_falkordb_link_windows_read_only_the_types_asked_for(falkordb_store: GraphStore) -> None:
    store = falkordb_store
    hand_built().load(store)
    types = {
        row["type"] for row in store.read_values(cypher.text("gnn_window_link_types", "falkordb"))
    }
    assert {"LEGAL_REP_OF", "BRANCH_OF"} <= types and "LOAN" not in types
    links = cypher.text("gnn_window_links", "falkordb")
    window = {"after": -1, "until": 10**9}
    assert [r["type"] for r in store.read_values(links, types=["BRANCH_OF"], **window)] == [
        "BRANCH_OF"
    ]
    assert store.read_values(links, types=[], **window) == []


def test_features_count_what_the_graph_holds(store: GraphStore, tmp_path: Path) -> None:
    hand_built().load(store)
    graph = export_graph(store, page_size=2)
    pipeline = FeaturePipeline(FeatureConfig(min_category_count=1))
    inputs = prepare(graph, pipeline, as_of=AS_OF)
    encoded = inputs.encoded

    def natural(key: str, column: str) -> float:
        row = graph.index("enterprise")[key]
        return round(pipeline.natural(column, float(encoded.raw[column].iloc[row])), 6)

    assert natural("E1", "age_years") == pytest.approx(10.0, abs=0.01)
    assert natural("E1", "log_registered_capital") == 100.0
    assert natural("E1", "paid_in_ratio") == 0.5
    assert natural("E1", "viol_total") == 2
    assert natural("E1", "viol[kind=行政处罚]") == 1
    assert natural("E1", "viol_1y") == 1
    assert natural("E1", "viol_3y") == 1  # the 2020 record is older than three years
    assert natural("E1", "legal_rep_firms") == 2
    assert natural("E1", "co_located_firms") == 1
    assert natural("E1", "officers") == 2
    assert natural("E1", "officers[role=董事]") == 1
    assert natural("E1", "in[BRANCH_OF<-enterprise]") == 1
    assert natural("E1", "out[INVESTS_IN->enterprise]") == 1
    assert natural("E3", "in[INVESTS_IN<-person]") == 1
    assert natural("E3", "in[INVESTS_IN<-enterprise]") == 1
    assert natural("E3", "status=吊销") == 1
    assert natural("E4", "out[BRANCH_OF->enterprise]") == 1
    assert natural("E4", "co_located_firms") == 0
    assert natural("E2", "days_since_last_violation") == 31
    # every column standardised on the fitted rows
    x = encoded.x["enterprise"]
    assert x.shape == (4, len(pipeline.columns["enterprise"]))
    assert np.allclose(x.mean(axis=0), 0.0, atol=1e-5)
    assert encoded.x["person"].shape[0] == 2 and encoded.x["address"].shape[0] == 2
    mean = np.asarray(pipeline.mean["enterprise"], dtype=np.float32)
    std = np.asarray(pipeline.std["enterprise"], dtype=np.float32)
    assert np.array_equal(x, (encoded.raw.to_numpy(dtype=np.float32) - mean) / std)
    assert all(m.dtype == np.float32 and m.flags.c_contiguous for m in encoded.x.values())

    # the saved pipeline transforms to the same matrices
    pipeline.save(tmp_path / "pipeline.json")
    loaded = FeaturePipeline.load(tmp_path / "pipeline.json")
    for node_type, matrix in loaded.transform(graph, as_of=AS_OF).x.items():
        assert np.array_equal(matrix, encoded.x[node_type])

    data = inputs.data
    forward = ("person", "LEGAL_REP_OF", "enterprise")
    assert data[forward].edge_index.tolist() == [[0, 0], [0, 1]]
    assert data[reverse_type(forward)].edge_index.tolist() == [[0, 1], [0, 0]]
    assert len(data.edge_types) == 2 * len(pipeline.edge_types)
    assert data["enterprise"].x.shape[0] == 4


def test_scoring_graph_maps_onto_the_fitted_columns(store: GraphStore) -> None:
    toy = hand_built()
    toy.load(store)
    graph = export_graph(store)
    pipeline = FeaturePipeline(FeatureConfig(min_category_count=1))
    prepare(graph, pipeline, as_of=AS_OF)  # fits the pipeline
    other = Toy()
    other.enterprise("F1", org_type="农民专业合作社")  # a category never seen in training
    other.persons.append("q1")
    other.legal_reps.append(("q1", "F1"))
    store.drop_graph()
    other.load(store)
    new_graph = export_graph(store)
    inputs = prepare(new_graph, pipeline, as_of=AS_OF)
    encoded, data = inputs.encoded, inputs.data
    columns = pipeline.columns["enterprise"]
    assert list(encoded.raw.columns) == columns
    assert encoded.raw["org_type=__other__"].iloc[0] == 1.0
    # training edge types are all there (empty where the new graph lacks them)
    assert data[("enterprise", "BRANCH_OF", "enterprise")].edge_index.shape == (2, 0)
