"""Explanations name the planted cause: the legal representative's other firm."""

from __future__ import annotations

import pytest
import torch
from conftest import AS_OF

from riskgraph.gnn.bundle import load_bundle
from riskgraph.gnn.explain import IG_STEPS, explain, explain_in
from riskgraph.gnn.export import export_graph
from riskgraph.gnn.heterodata import edge_index_dict
from riskgraph.gnn.train import TrainResult
from riskgraph.graph.store import GraphStore


def _labels(store: GraphStore) -> dict[str, int]:
    rows = store.read(
        "MATCH (e:Enterprise) WHERE e.label IS NOT NULL RETURN e.uscc AS key, e.label AS label"
    )
    return {row["key"]: int(row["label"]) for row in rows}


def test_gnn_explanation_points_at_the_partner_firm(
    planted_store: GraphStore, planted_model: TrainResult
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
    planted_store: GraphStore, planted_model: TrainResult
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
    planted_store: GraphStore, planted_model: TrainResult
) -> None:
    found = explain(planted_store, planted_model.model_dir, "T0001", as_of=AS_OF, top_k=3)
    assert found["model"] == planted_model.selected
    assert len(found["features"]) <= 3 and len(found["neighbours"]) <= 3
    assert set(found["probabilities"]) == {"0", "1"}


def test_explanations_read_the_exact_computation_graph(
    planted_store: GraphStore, planted_model: TrainResult
) -> None:
    """Probabilities and feature attributions equal those of the whole graph."""
    bundle = load_bundle(planted_model.model_dir, models=["hetero_sage"], device="cpu")
    graph = export_graph(planted_store)
    inputs = bundle.prepare(graph, as_of=AS_OF)
    model = bundle.models["hetero_sage"]
    whole = bundle.predict_proba(inputs, "hetero_sage")
    data = inputs.data
    for key in sorted(_labels(planted_store))[:5]:
        row = graph.index("enterprise")[key]
        found = explain_in(bundle, graph, key, model="hetero_sage", as_of=AS_OF, top_k=1000)
        assert [found["probabilities"][c] for c in bundle.classes] == pytest.approx(
            whole[row], abs=1e-5
        )
        # integrated gradients over the whole graph, for comparison
        x_dict = {t: x.detach() for t, x in data.x_dict.items()}
        total = torch.zeros_like(x_dict["enterprise"][row])
        for step in range(IG_STEPS):
            scaled = {
                t: ((step + 0.5) / IG_STEPS * x).requires_grad_(True) for t, x in x_dict.items()
            }
            logits = model(scaled, edge_index_dict(data))[row]
            (grad,) = torch.autograd.grad(logits[-1] - logits[0], [scaled["enterprise"]])
            total += grad[row]
        ig = (x_dict["enterprise"][row] * total / IG_STEPS).tolist()
        expected = dict(zip(inputs.encoded.columns["enterprise"], ig, strict=True))
        got = {item["feature"]: item["contribution"] for item in found["features"]}
        assert len(got) >= 10
        assert got == pytest.approx({name: expected[name] for name in got}, abs=1e-5)
