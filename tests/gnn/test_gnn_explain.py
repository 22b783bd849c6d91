"""Explanations name the planted cause: the legal representative's other firm."""

from __future__ import annotations

from conftest import AS_OF

from riskgraph.gnn.bundle import load_bundle
from riskgraph.gnn.explain import explain, explain_in
from riskgraph.gnn.export import export_graph
from riskgraph.gnn.train import TrainResult
from riskgraph.graph.falkordb_store import FalkorDBStore


def _labels(store: FalkorDBStore) -> dict[str, int]:
    rows = store.read(
        "MATCH (e:Enterprise) WHERE e.label IS NOT NULL RETURN e.uscc AS key, e.label AS label"
    )
    return {row["key"]: int(row["label"]) for row in rows}


def test_gnn_explanation_points_at_the_partner_firm(
    planted_store: FalkorDBStore, planted_model: TrainResult
) -> None:
    labels = _labels(planted_store)
    risky = min(k for k, v in labels.items() if v == 1)
    safe = min(k for k, v in labels.items() if v == 0)
    bundle = load_bundle(planted_model.model_dir, models=["hetero_sage"], device="cpu")
    graph = export_graph(planted_store)
    for key, effect in ((risky, "up"), (safe, "down")):
        found = explain_in(bundle, graph, key, model="hetero_sage", as_of=AS_OF)
        assert found["method"] == "integrated gradients"
        partner = "Q" + key[1:]
        top = found["neighbours"][:2]
        named = [n for n in top if n["key"] == partner]
        assert named, (key, top)
        assert named[0]["effect"] == effect
        assert named[0]["relation"] == "LEGAL_REP_OF" and named[0]["hops"] == 2
        assert named[0]["path"].startswith(f"(enterprise {key})<-[LEGAL_REP_OF]-(person p")
        assert found["neighbours"][0]["top_features"]
    # the same explanation every run
    first = explain_in(bundle, graph, risky, model="hetero_sage", as_of=AS_OF)
    second = explain_in(bundle, graph, risky, model="hetero_sage", as_of=AS_OF)
    assert first == second


def test_lightgbm_explanation_names_the_aggregate_and_the_neighbour(
    planted_store: FalkorDBStore, planted_model: TrainResult
) -> None:
    labels = _labels(planted_store)
    risky = min(k for k, v in labels.items() if v == 1)
    found = explain(planted_store, planted_model.model_dir, risky, model="lgbm_graph", as_of=AS_OF)
    assert found["class"] == "1" and found["method"] == "TreeSHAP"
    assert found["features"][0]["feature"].startswith("nbr[LEGAL_REP_OF~person]")
    assert found["features"][0]["effect"] == "up"
    top = found["neighbours"][0]
    assert top["key"] == "Q" + risky[1:]
    assert top["via"] == "p" + risky[1:]
    assert top["effect"] == "up"


def test_selected_model_explains_by_default(
    planted_store: FalkorDBStore, planted_model: TrainResult
) -> None:
    found = explain(planted_store, planted_model.model_dir, "T0001", as_of=AS_OF, top_k=3)
    assert found["model"] == planted_model.selected
    assert len(found["features"]) <= 3 and len(found["neighbours"]) <= 3
    assert set(found["probabilities"]) == {"0", "1"}
