"""Scoring one firm from its k-hop neighbourhood gives the whole graph's answer.

On a generated registry (addresses shared by many firms, persons with several
firms) every candidate scores a few firms, hub neighbours among them, from the
neighbourhood export and from the whole-graph export; the probabilities must agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from conftest import quick_config
from engines import Graphs

from riskgraph.gnn.bundle import ALL_MODELS, Bundle, load_bundle
from riskgraph.gnn.explain import explain, explain_in
from riskgraph.gnn.export import TARGET, GraphExport, export_graph
from riskgraph.gnn.khop import export_neighbourhood, model_depth
from riskgraph.gnn.rescore import rescore_keys
from riskgraph.gnn.score import predict_inputs
from riskgraph.gnn.train import LabelSpec, train
from riskgraph.graph.schema import init_schema
from riskgraph.graph.store import GraphStore
from riskgraph.ingest.generate import generate_registry
from riskgraph.ingest.loader import Loader
from riskgraph.ingest.registry_format import RegistryFormat

AS_OF = date(2026, 11, 1)
TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def registry(
    graphs: Graphs, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[GraphStore, Path]]:
    """A generated 1,000-firm registry with every candidate trained on it."""
    store = graphs.acquire()
    folder = tmp_path_factory.mktemp("khop")
    generate_registry(1000, 5, folder / "in")
    init_schema(store)
    Loader(
        store, RegistryFormat(b"test-secret-0123456789", today=AS_OF), runs_dir=folder / "runs"
    ).run(folder / "in")
    config = replace(quick_config(ALL_MODELS), as_of=AS_OF)
    result = train(store, folder / "models", labels=LabelSpec(), seed=0, config=config)
    yield store, result.model_dir
    graphs.release(store)


def _firms(store: GraphStore, graph: GraphExport) -> list[str]:
    """A few plain firms and the neighbours of the biggest hubs (address, person, firm)."""
    hubs = [
        "MATCH (e:Enterprise)-[:REGISTERED_AT]->(a:Address)<-[:REGISTERED_AT]-(:Enterprise) "
        "WITH a, count(*) AS n ORDER BY n DESC, a.aid LIMIT 1 "
        "MATCH (f:Enterprise)-[:REGISTERED_AT]->(a) RETURN f.uscc AS key ORDER BY key LIMIT 1",
        "MATCH (p:Person)-[r]->(:Enterprise) WITH p, count(r) AS n ORDER BY n DESC, p.pid "
        "LIMIT 1 MATCH (p)-[]->(f:Enterprise) RETURN f.uscc AS key ORDER BY key LIMIT 1",
        "MATCH (e:Enterprise)-[r]-() WITH e, count(r) AS n ORDER BY n DESC, e.uscc LIMIT 1 "
        "RETURN e.uscc AS key",
    ]
    found = [row["key"] for query in hubs for row in store.read(query)]
    keys = graph.keys[TARGET]
    return [*dict.fromkeys([*found, keys[0], keys[len(keys) // 2], keys[-1]])]


def _proba(bundle: Bundle, graph: GraphExport, name: str, key: str) -> np.ndarray:
    inputs = bundle.prepare(graph, as_of=AS_OF)
    from riskgraph.gnn.bundle import predict_with

    row = graph.index(TARGET)[key]
    return predict_with(name, bundle.models[name], inputs, np.array([row]))[0]


@pytest.mark.parametrize("name", ALL_MODELS)
def test_khop_scores_equal_whole_graph_scores(registry: tuple[GraphStore, Path], name: str) -> None:
    store, model_dir = registry
    bundle = load_bundle(model_dir, models=[name], device="cpu")
    whole = export_graph(store)
    firms = _firms(store, whole)
    assert len(firms) >= 4
    for key in firms:
        part = export_neighbourhood(store, bundle, [key], model=name)
        assert part.exact and part.depth == model_depth(bundle, name)
        assert part.graph.num_nodes(TARGET) < whole.num_nodes(TARGET)
        expected = _proba(bundle, whole, name, key)
        got = _proba(bundle, part.graph, name, key)
        np.testing.assert_allclose(got, expected, atol=TOLERANCE, err_msg=f"{name} {key}")


def test_khop_features_of_the_firm_are_the_whole_graphs(
    registry: tuple[GraphStore, Path],
) -> None:
    store, model_dir = registry
    bundle = load_bundle(model_dir, models=["lgbm_graph"], device="cpu")
    whole = export_graph(store)
    full = bundle.prepare(whole, as_of=AS_OF)
    for key in _firms(store, whole):
        part = export_neighbourhood(store, bundle, [key], model="lgbm_graph")
        inputs = bundle.prepare(part.graph, as_of=AS_OF)
        mine = inputs.extended_rows(np.array([part.graph.index(TARGET)[key]]))
        theirs = full.extended_rows(np.array([whole.index(TARGET)[key]]))
        np.testing.assert_allclose(mine.to_numpy(), theirs.to_numpy(), atol=1e-5, err_msg=key)


def test_a_capped_hub_is_reported(registry: tuple[GraphStore, Path]) -> None:
    store, model_dir = registry
    bundle = load_bundle(model_dir, models=["hetero_sage"], device="cpu")
    key = _firms(store, export_graph(store))[0]  # registered at the biggest address
    part = export_neighbourhood(store, bundle, [key], model="hetero_sage", cap=2)
    assert not part.exact
    sampled = part.sampled()
    assert any(s["type"] == "address" and s["relation"] == "REGISTERED_AT" for s in sampled)
    assert all(s["read"] == 2 and int(s["total"]) > 2 for s in sampled)  # type: ignore[call-overload]


def test_explanation_from_the_neighbourhood_is_the_whole_graphs(
    registry: tuple[GraphStore, Path],
) -> None:
    store, model_dir = registry
    whole = export_graph(store)
    key = _firms(store, whole)[0]
    for name in ("hetero_sage", "lgbm_graph"):
        bundle = load_bundle(model_dir, models=[name], device="cpu")
        fast = explain(store, model_dir, key, model=name, as_of=AS_OF)
        slow = explain_in(bundle, whole, key, model=name, as_of=AS_OF)
        assert fast["exact"] is True
        assert fast["class"] == slow["class"]
        assert fast["risk_score"] == pytest.approx(slow["risk_score"], abs=TOLERANCE)
        pairs = zip(fast["features"], slow["features"], strict=True)
        for mine, theirs in pairs:
            assert mine["feature"] == theirs["feature"]
            assert mine["contribution"] == pytest.approx(theirs["contribution"], abs=1e-4)
        assert [n["key"] for n in fast["neighbours"]] == [n["key"] for n in slow["neighbours"]]


def test_rescore_reads_the_neighbourhood(registry: tuple[GraphStore, Path]) -> None:
    store, model_dir = registry
    whole = export_graph(store)
    bundle = load_bundle(model_dir, device="cpu")
    expected = predict_inputs(bundle, bundle.prepare(whole))
    keys = _firms(store, whole)[:2]
    result = rescore_keys(store, model_dir, [*keys, "NO-SUCH-FIRM"])
    assert set(result.results) == set(keys)
    for key in keys:
        row = expected.keys.index(key)
        assert result.results[key]["class"] == expected.predicted[row]
        assert result.results[key]["risk_score"] == pytest.approx(expected.risk[row], abs=1e-5)
    written = store.read(
        "UNWIND $keys AS k MATCH (e:Enterprise {uscc: k}) RETURN e.uscc AS key, e.risk_class AS c",
        keys=keys,
    )
    assert {r["key"]: r["c"] for r in written} == {k: result.results[k]["class"] for k in keys}
