"""Why did the model put this enterprise in its class?

``explain(store, model_dir, key)`` names the enterprise's own features and the
neighbours (with the relationship that links them) that pushed the explained
score up or down. The explained score is the log-odds of the positive class
for binary models and the log-probability of the predicted class otherwise.

- GNN: on the enterprise's exact computation graph (every node and link within
  the model's depth, so large graphs need no full forward pass), integrated
  gradients (gradient × input, with the gradient averaged
  along the straight path from the training mean, where every standardised
  feature of every node is 0, to the actual features; 32 steps). A feature's
  contribution is its distance from the mean times that gradient, and the
  contributions add up to the change of the explained score from the
  all-mean graph. A neighbour's contribution is the sum over its features;
  neighbours come with the shortest relationship path that reaches them.
- LightGBM: TreeSHAP contributions (``pred_contrib``). For ``lgbm_graph`` the
  contribution of a neighbour-aggregate feature is shared among the neighbours
  it aggregates (equally for means and counts, to the arg-max for maxima).
- Scorecard: each indicator's weighted distance from the median percentile.
- Ensemble: the mean of its members' explanations.

Everything is deterministic (eval mode, no sampling), so the same model and
graph give the same explanation every run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from riskgraph.errors import RiskgraphError
from riskgraph.gnn.baselines import LgbmModel, Scorecard
from riskgraph.gnn.bundle import (
    ENSEMBLE,
    GNN_MODELS,
    Bundle,
    load_bundle,
    predict_with,
    risk_score,
)
from riskgraph.gnn.explain_words import describe_item, label_of
from riskgraph.gnn.export import TARGET, EdgeType, GraphExport
from riskgraph.gnn.feature_names import relation_words
from riskgraph.gnn.hetero_sage import HeteroSAGE
from riskgraph.gnn.inputs import Inputs
from riskgraph.gnn.khop import export_neighbourhood
from riskgraph.gnn.metrics import predict_classes
from riskgraph.gnn.sampling import NeighbourSampler, Subgraph
from riskgraph.gnn.threads import few_threads
from riskgraph.gnn.versions import resolve_version
from riskgraph.graph.risk_neighbourhood import DEFAULT_CAP
from riskgraph.graph.store import GraphStore

_AGGREGATE = re.compile(r"^nbr\[(?P<tag>[^\]]+)\]:(?P<agg>mean|max|count)(?::(?P<col>.*))?$")
NodeRef = tuple[str, int]
IG_STEPS = 32
AGGREGATE_NEIGHBOURS = 5
"""Neighbours named behind one neighbour-aggregate feature (the largest shares)."""


class ExplainError(RiskgraphError):
    """The enterprise to explain is not in the graph."""


def explain(
    store: GraphStore,
    model_dir: Path,
    key: str,
    *,
    top_k: int = 10,
    as_of: date | None = None,
    model: str | None = None,
    cap: int = DEFAULT_CAP,
) -> dict[str, Any]:
    """Explain the selected model's (or ``model``'s) output for enterprise ``key``,
    reading only the neighbourhood the model reads (:mod:`riskgraph.gnn.khop`)."""
    bundle = _bundle(str(resolve_version(Path(model_dir))), model)
    part = export_neighbourhood(store, bundle, [key], model=model, cap=cap)
    with few_threads(sum(part.graph.num_nodes(t) for t in part.graph.keys)):
        answer = explain_in(bundle, part.graph, key, top_k=top_k, as_of=as_of, model=model)
    answer["exact"] = part.exact
    answer["sampled"] = part.sampled()
    answer["nodes_read"] = {t: part.graph.num_nodes(t) for t in part.graph.keys}
    name_nodes(store, answer)
    return answer


def name_nodes(store: GraphStore, answer: dict[str, Any]) -> None:
    """Put ``name`` on the neighbours of ``answer`` (firm names, person names, address
    texts; ``via_name`` on the hub a neighbour shares), in place."""
    refs: list[dict[str, Any]] = list(answer["neighbours"])
    for item in answer["features"]:
        refs += item.get("neighbours") or []
    hubs = [
        {"type": str(item["relation"]).split("~", 1)[1], "key": item["via"], "_via": item}
        for item in answer["neighbours"]
        if item.get("via") and "~" in str(item.get("relation"))
    ]
    wanted: dict[str, set[str]] = {"enterprise": set(), "person": set(), "address": set()}
    for ref in [*refs, *hubs]:
        if ref.get("type") in wanted:
            wanted[ref["type"]].add(str(ref["key"]))
    if not any(wanted.values()):
        return
    rows = store.read(
        store.query_text("explain_node_names"),
        enterprises=sorted(wanted["enterprise"]),
        persons=sorted(wanted["person"]),
        addresses=sorted(wanted["address"]),
    )
    names = {(row["type"], row["key"]): row["name"] for row in rows}
    for ref in refs:
        ref["name"] = names.get((ref.get("type"), ref.get("key")))
    for hub in hubs:
        hub["_via"]["via_name"] = names.get((hub["type"], hub["key"]))


def preload(model_dir: Path) -> None:
    """Load the selected model of the newest version under ``model_dir`` now, so the
    first explanation does not wait for it (the API calls this at start-up)."""
    _bundle(str(resolve_version(Path(model_dir))), None)


@lru_cache(maxsize=4)
def _bundle(folder: str, model: str | None) -> Bundle:
    """A version's models, loaded once per process (a version folder never changes)."""
    return load_bundle(Path(folder), models=[model] if model else None, device="cpu")


def explain_in(
    bundle: Bundle,
    graph: GraphExport,
    key: str,
    *,
    top_k: int = 10,
    as_of: date | None = None,
    model: str | None = None,
) -> dict[str, Any]:
    """:func:`explain` on an already exported graph and loaded bundle."""
    name = model or bundle.selected
    row = graph.index(TARGET).get(key)
    if row is None:
        raise ExplainError(f"no enterprise {key!r} in the graph")
    inputs = bundle.prepare(graph, as_of=as_of)
    proba = _row_proba(name, bundle.models[name], inputs, row)
    classes = bundle.classes
    predicted = int(predict_classes(proba, bundle.threshold(name))[0])
    target = len(classes) - 1 if bundle.binary else predicted
    features, neighbours, method = _explain_model(
        name, bundle.models[name], inputs, row, target, bundle.binary
    )
    day = as_of or date.today()
    return {
        "key": key,
        "model": name,
        "model_version": bundle.version,
        "method": method,
        "class": classes[predicted],
        "risk_score": round(float(risk_score(proba, classes, bundle.binary)[0]), 6),
        "probabilities": {c: round(float(proba[0, j]), 6) for j, c in enumerate(classes)},
        "explained": (
            f"log-odds of class {classes[target]}"
            if bundle.binary
            else f"log-probability of class {classes[target]}"
        ),
        "features": [describe_item(item, bundle.pipeline, day) for item in _top(features, top_k)],
        "neighbours": [_neighbour_words(item) for item in _top(neighbours, top_k)],
    }


def _neighbour_words(item: dict[str, Any]) -> dict[str, Any]:
    """A neighbour with its relation's and its top features' labels."""
    if item.get("relation"):
        item["relation_label"] = relation_words(str(item["relation"]))
    tops = item.get("top_features")
    if tops:
        item["top_features"] = [{**top, "label": label_of(str(top["feature"]))} for top in tops]
    return item


def _top(items: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    ranked = sorted(
        (item for item in items if abs(item["contribution"]) > 1e-9),
        key=lambda item: (-abs(item["contribution"]), str(item.get("feature", item.get("key")))),
    )
    out = []
    for item in ranked[:k]:
        item = dict(item)
        item["contribution"] = round(float(item["contribution"]), 6)
        item["effect"] = "up" if item["contribution"] > 0 else "down"
        out.append(item)
    return out


def _row_proba(name: str, model: Any, inputs: Inputs, row: int) -> np.ndarray:
    """Probabilities ``[1, C]`` of one enterprise, reading only what it depends on."""
    if name in GNN_MODELS:
        with torch.no_grad():
            subgraph, position = _computation_subgraph(model, inputs, row)
            logits = model(subgraph.x_dict, subgraph.edge_index_dict, depth_dict=subgraph.depth)
        return np.asarray(torch.softmax(logits[position], dim=-1).numpy(), dtype=np.float64)
    if name == ENSEMBLE:
        members = [_row_proba(member, sub, inputs, row) for member, sub in model.items()]
        return np.asarray(np.mean(members, axis=0))
    return predict_with(name, model, inputs, np.array([row]))


def _computation_subgraph(model: HeteroSAGE, inputs: Inputs, row: int) -> tuple[Subgraph, Tensor]:
    """Every node and link within the model's depth of ``row`` (its exact computation
    graph, so the model sees what it sees in the whole graph) and ``row``'s position."""
    model = model.cpu().eval()
    every_link = [-1] * model.config.num_layers
    sampler = NeighbourSampler(inputs.data.to("cpu"), every_link, target=model.target)
    subgraph, positions = sampler.sample(np.array([row], dtype=np.int64))
    return subgraph, positions[:1]


def _explain_model(
    name: str, model: Any, inputs: Inputs, row: int, target: int, binary: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    if name in GNN_MODELS:
        return (*_gnn(model, inputs, row, target, binary), "integrated gradients")
    if name in ("lgbm_own", "lgbm_graph"):
        one = np.array([row])
        frame = inputs.own.iloc[one] if name == "lgbm_own" else inputs.extended_rows(one)
        return (*_lgbm(model, frame, inputs, row, target), "TreeSHAP")
    if name == "scorecard":
        return _scorecard(model, inputs, row), [], "indicator scores"
    if name == ENSEMBLE:
        parts = [_explain_model(m, sub, inputs, row, target, binary) for m, sub in model.items()]
        return (
            _merge([p[0] for p in parts], "feature"),
            _merge([p[1] for p in parts], "key"),
            ("mean of " + ", ".join(f"{m} ({p[2]})" for m, p in zip(model, parts, strict=True))),
        )
    raise ExplainError(f"no explanation for model {name!r}")


def _merge(lists: Sequence[list[dict[str, Any]]], by: str) -> list[dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for items in lists:
        for item in items:
            found = merged.setdefault(str(item[by]), {**item, "contribution": 0.0})
            found["contribution"] += float(item["contribution"]) / len(lists)
    return list(merged.values())


# -- GNN -------------------------------------------------------------------


def _gnn(
    model: HeteroSAGE, inputs: Inputs, row: int, target: int, binary: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    subgraph, position = _computation_subgraph(model, inputs, row)
    x_dict = {t: x.detach() for t, x in subgraph.x_dict.items()}
    total = {t: torch.zeros_like(x) for t, x in x_dict.items()}
    for step in range(IG_STEPS):
        alpha = (step + 0.5) / IG_STEPS
        scaled = {t: (alpha * x).requires_grad_(True) for t, x in x_dict.items()}
        logits = model(scaled, subgraph.edge_index_dict, depth_dict=subgraph.depth)[position][0]
        objective = logits[-1] - logits[0] if binary else torch.log_softmax(logits, -1)[target]
        grads = torch.autograd.grad(objective, list(scaled.values()), allow_unused=True)
        for (t, _), grad in zip(scaled.items(), grads, strict=True):
            if grad is not None:
                total[t] += grad
    contrib = {t: (x * total[t] / IG_STEPS).numpy() for t, x in x_dict.items()}
    local = {
        t: {int(node): i for i, node in enumerate(ids.tolist())} for t, ids in subgraph.n_id.items()
    }
    columns = inputs.encoded.columns
    own = inputs.own.iloc[row]
    mine = contrib[TARGET][local[TARGET][row]]
    features = [
        {"feature": col, "raw": own[col], "contribution": float(mine[j])}
        for j, col in enumerate(columns[TARGET])
    ]
    paths = _paths(inputs.graph, (TARGET, row), hops=model.config.num_layers)
    neighbours = []
    for (node_type, index), (hops, relation, path) in paths.items():
        at = local[node_type].get(index)
        if (node_type, index) == (TARGET, row) or at is None:
            continue
        values = contrib[node_type][at]
        order = np.argsort(-np.abs(values), kind="stable")[:3]
        neighbours.append(
            {
                "key": inputs.graph.keys[node_type][index],
                "type": node_type,
                "relation": relation,
                "hops": hops,
                "path": path,
                "contribution": float(values.sum()),
                "top_features": [
                    {"feature": columns[node_type][j], "contribution": round(float(values[j]), 6)}
                    for j in order
                    if abs(values[j]) > 1e-9
                ],
            }
        )
    return features, neighbours


def _paths(graph: GraphExport, start: NodeRef, *, hops: int) -> dict[NodeRef, tuple[int, str, str]]:
    """Breadth-first: node → (hops, first relationship, readable shortest path)."""

    def label(node: NodeRef) -> str:
        return f"({node[0]} {graph.keys[node[0]][node[1]]})"

    adjacency = []
    for (src, rel, dst), edge_index in sorted(graph.edges.items()):
        by_src = np.argsort(edge_index[0], kind="stable")
        by_dst = np.argsort(edge_index[1], kind="stable")
        adjacency.append((src, rel, dst, edge_index, by_src, by_dst))

    def near(edge_index: np.ndarray, order: np.ndarray, side: int, index: int) -> np.ndarray:
        keys = edge_index[side][order]
        lo, hi = np.searchsorted(keys, index, "left"), np.searchsorted(keys, index, "right")
        return np.sort(edge_index[1 - side][order[lo:hi]])

    found: dict[NodeRef, tuple[int, str, str]] = {start: (0, "", label(start))}
    frontier = [start]
    for depth in range(1, hops + 1):
        following: list[NodeRef] = []
        for node in frontier:
            _, first, path = found[node]
            for src, rel, dst, edge_index, by_src, by_dst in adjacency:
                steps: list[tuple[NodeRef, str]] = []
                if dst == node[0]:
                    steps += [
                        ((src, int(o)), f"<-[{rel}]-") for o in near(edge_index, by_dst, 1, node[1])
                    ]
                if src == node[0]:
                    steps += [
                        ((dst, int(o)), f"-[{rel}]->") for o in near(edge_index, by_src, 0, node[1])
                    ]
                for neighbour, arrow in steps:
                    if neighbour in found:
                        continue
                    found[neighbour] = (depth, first or rel, f"{path}{arrow}{label(neighbour)}")
                    following.append(neighbour)
        frontier = following
    return found


# -- LightGBM ------------------------------------------------------------------


def _lgbm(
    model: LgbmModel, frame: Any, inputs: Inputs, row: int, target: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """TreeSHAP for enterprise ``row``, whose features are ``frame``'s one row."""
    values = model.contributions(frame, target)[0]
    present = frame.iloc[0]
    features = []
    shares: dict[tuple[str, int], dict[str, Any]] = {}
    for j, col in enumerate(model.columns):
        features.append(
            {"feature": col, "raw": present.get(col, 0.0), "contribution": float(values[j])}
        )
        match = _AGGREGATE.match(col)
        if match is None or abs(values[j]) < 1e-12:
            continue
        behind = _aggregate_shares(inputs, row, match["tag"], match["agg"], match["col"])
        features[-1]["neighbours"] = [
            {"type": node_type, "key": inputs.graph.keys[node_type][index]}
            for (node_type, index), _ in sorted(behind.items(), key=lambda kv: -kv[1][0])[
                :AGGREGATE_NEIGHBOURS
            ]
        ]
        for (node_type, index), (weight, relation, hops, via) in behind.items():
            entry = shares.setdefault(
                (node_type, index),
                {
                    "key": inputs.graph.keys[node_type][index],
                    "type": node_type,
                    "relation": relation,
                    "hops": hops,
                    "via": via,
                    "contribution": 0.0,
                },
            )
            entry["contribution"] += float(values[j]) * weight
    return features, list(shares.values())


def _aggregate_shares(
    inputs: Inputs, row: int, tag: str, agg: str, column: str | None
) -> dict[NodeRef, tuple[float, str, int, str | None]]:
    """Neighbours behind one aggregate feature and each one's share of it."""
    graph = inputs.graph
    empty = np.zeros((2, 0), dtype=np.int64)
    weights: dict[int, float] = {}
    vias: dict[int, str] = {}
    hops = 1
    if "~" in tag:
        rel, hub_type = tag.split("~", 1)
        edge_type: EdgeType = (
            (hub_type, rel, TARGET) if hub_type == "person" else (TARGET, rel, hub_type)
        )
        edge_index = graph.edges.get(edge_type, empty)
        hubs_row, firms_row = (0, 1) if edge_type[2] == TARGET else (1, 0)
        hubs, firms = edge_index[hubs_row], edge_index[firms_row]
        mine = np.unique(hubs[firms == row])
        groups = {int(h): firms[(hubs == h) & (firms != row)] for h in mine}
        groups = {h: g for h, g in groups.items() if len(g)}
        for hub, members in groups.items():
            for firm in members:
                weights[int(firm)] = weights.get(int(firm), 0.0) + 1.0 / (
                    len(groups) * len(members)
                )
                vias.setdefault(int(firm), graph.keys[hub_type][hub])
        hops = 2
    else:
        rel = tag.removesuffix("->").removesuffix("<-")
        edge_index = graph.edges.get((TARGET, rel, TARGET), empty)
        outgoing = tag.endswith("->")
        near = (
            edge_index[1][edge_index[0] == row] if outgoing else edge_index[0][edge_index[1] == row]
        )
        for firm in np.unique(near):
            weights[int(firm)] = 1.0 / len(np.unique(near))
    if not weights:
        return {}
    if agg == "max" and column is not None and column in inputs.own:
        values = {firm: float(inputs.own[column].iloc[firm]) for firm in weights}
        top = max(values.values())
        winners = [firm for firm, value in values.items() if value == top]
        weights = {firm: 1.0 / len(winners) for firm in winners}
    return {(TARGET, firm): (w, tag, hops, vias.get(firm)) for firm, w in weights.items()}


# -- scorecard -----------------------------------------------------------------


def _scorecard(card: Scorecard, inputs: Inputs, row: int) -> list[dict[str, Any]]:
    frame = inputs.extended_rows(np.array([row]))
    scores = card.indicator_scores(frame)
    used = card.used
    total_weight = sum(card.weights[c] for c in used)
    features = []
    for category, items in used.items():
        # indicators that do not apply to the firm's kind score NaN and weigh nothing
        applying = [column for column, _ in items if not np.isnan(scores[column][0])]
        for column, _ in items:
            score = float(scores[column][0])
            share = card.weights[category] / total_weight / max(len(applying), 1)
            features.append(
                {
                    "feature": column,
                    "category": category,
                    "raw": frame[column].iloc[0],
                    "contribution": 0.0 if np.isnan(score) else share * (score - 0.5),
                }
            )
    return features
