"""Speed of the first explanation and of a repair re-score (issue 17, item 5).

    RISKGRAPH_DATA_DIR=/tmp/explain20k/data python bench/explain_speed.py [--whole]

Needs a loaded graph and a trained model under the data dir (``riskgraph train``).
Picks firms that stress the neighbourhood read: a plain firm (the middle key), the
first firm at the address most firms share, the first firm of the person linked to
most firms, and the firm with the most links. Then:

1. ``first_explanation``: ``riskgraph serve`` on a free loopback port (as
   ``bench/api_load.py`` starts it) with an investigator key (revoked at the end);
   ``GET /enterprises/{uscc}/explanation`` for each firm, each the first (uncached)
   answer for it, ``--settle`` seconds after the server answers (it loads the model
   stack and the model in the background at start-up; with ``--settle 0`` the very
   first answer waits for that); then one
   cached repeat. Client round trips in ms, and the answer's ``nodes_read`` and
   ``exact``.
2. ``explain_in_process``: in this process, after the server stopped, ``explain``
   with each of ``--models`` (the API explains with the selected model only) on each
   firm, seconds each.
3. ``rescore``: in this process, after the server stopped, ``rescore_keys`` (what
   approving a credit repair runs: neighbourhood read, prediction, write-back of the
   firm's score and one ``RiskAssessment``) on each firm, seconds each; with
   ``--whole`` also the whole-graph path it replaced (export and predict every firm)
   once, for comparison.

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from api_load import free_port, riskgraph, running_server

from riskgraph.graph import open_store
from riskgraph.graph.store import GraphStore
from riskgraph.settings import get_settings

PICKS = {
    "plain": "MATCH (e:Enterprise) WITH e.uscc AS key ORDER BY key "
    "WITH collect(key) AS keys RETURN keys[size(keys) / 2] AS key",
    "address_hub": "MATCH (a:Address)<-[:REGISTERED_AT]-(:Enterprise) WITH a, count(*) AS n "
    "ORDER BY n DESC, a.aid LIMIT 1 MATCH (a)<-[:REGISTERED_AT]-(e:Enterprise) "
    "RETURN e.uscc AS key, n ORDER BY key LIMIT 1",
    "person_hub": "MATCH (p:Person)-[r]->(:Enterprise) WITH p, count(r) AS n "
    "ORDER BY n DESC, p.pid LIMIT 1 MATCH (p)-[]->(e:Enterprise) "
    "RETURN e.uscc AS key, n ORDER BY key LIMIT 1",
    "most_linked": "MATCH (e:Enterprise)-[r]-(m) WHERE m:Enterprise OR m:Person OR m:Address "
    "WITH e, count(r) AS n RETURN e.uscc AS key, n ORDER BY n DESC, key LIMIT 1",
}


PICK_TIMEOUT_S = 600.0
"""The embedded server refuses timeouts past its longest configured one (writes, 600 s)."""


def pick_firms(store: GraphStore) -> dict[str, dict[str, Any]]:
    """The firms measured, by why they were picked (with the hub's size ``n``)."""
    # whole-graph aggregations: past the default read timeout on 1.57M firms
    return {name: store.read(query, timeout_s=PICK_TIMEOUT_S)[0] for name, query in PICKS.items()}


def explanations(base: str, key: str, firms: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The first (uncached) explanation of each firm, then one cached repeat."""
    headers = {"Authorization": f"Bearer {key}"}
    out: dict[str, Any] = {}
    with httpx.Client(base_url=base + "/api/v1", headers=headers, timeout=600) as http:
        for name, firm in firms.items():
            started = time.perf_counter()
            response = http.get(f"/enterprises/{firm['key']}/explanation")
            elapsed = (time.perf_counter() - started) * 1000
            response.raise_for_status()
            body = response.json()
            out[name] = {
                "uscc": firm["key"],
                "hub_size": firm.get("n"),
                "ms": round(elapsed, 1),
                "cached": body["cached"],
                "exact": body["exact"],
                "nodes_read": body["nodes_read"],
                "model": body["model"],
            }
        first = next(iter(firms.values()))["key"]
        started = time.perf_counter()
        http.get(f"/enterprises/{first}/explanation").raise_for_status()
        out["cached_repeat_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return out


def explain_models(
    store: GraphStore, model_dir: Path, firms: dict[str, dict[str, Any]], models: list[str]
) -> dict[str, Any]:
    """In this process: ``explain`` with each candidate on each firm, seconds each (the
    first call of a model includes loading it)."""
    from riskgraph.gnn.explain import explain

    out: dict[str, Any] = {}
    for model in models:
        out[model] = {}
        for name, firm in firms.items():
            started = time.monotonic()
            answer = explain(store, model_dir, firm["key"], model=model)
            out[model][name] = {
                "seconds": round(time.monotonic() - started, 3),
                "nodes_read": answer["nodes_read"],
                "exact": answer["exact"],
            }
    return out


def rescores(
    store: GraphStore, model_dir: Path, firms: dict[str, dict[str, Any]], whole: bool
) -> dict[str, Any]:
    """``rescore_keys`` per firm (the k-hop path), and the whole-graph path once."""
    from riskgraph.gnn.rescore import rescore_keys

    out: dict[str, Any] = {}
    for name, firm in firms.items():
        result = rescore_keys(store, model_dir, [firm["key"]])
        out[name] = {"seconds": round(result.seconds, 3), "exact": not result.sampled}
    if whole:
        from riskgraph.gnn.bundle import load_bundle
        from riskgraph.gnn.export import export_graph
        from riskgraph.gnn.score import predict_inputs

        started = time.monotonic()
        bundle = load_bundle(model_dir, device="cpu")
        predict_inputs(bundle, bundle.prepare(export_graph(store)))
        out["whole_graph_seconds"] = round(time.monotonic() - started, 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--whole", action="store_true", help="also time the whole-graph path")
    parser.add_argument(
        "--models",
        default="hetero_sage,lgbm_graph",
        help="candidates also explained in-process (comma-separated; '' for none)",
    )
    parser.add_argument("--startup-timeout", type=float, default=180.0)
    parser.add_argument(
        "--settle",
        type=float,
        default=60.0,
        help="seconds between the server answering and the first explanation (the server "
        "loads the model in the background meanwhile; 0: ask at once)",
    )
    args = parser.parse_args()
    settings = get_settings()
    model_dir = settings.api.models_dir or settings.data_dir / "models"
    with open_store(settings, start_embedded=True) as store:
        firms = pick_firms(store)
        counts = store.read("MATCH (e:Enterprise) RETURN count(e) AS n")[0]["n"]
    env = dict(os.environ)
    created = riskgraph(
        "keys", "create", "--role", "investigator", "--label", "bench explain_speed", env=env
    )
    key = created.strip().splitlines()[-1]
    result: dict[str, Any] = {
        "bench": "explain_speed",
        "backend": settings.backend,
        "enterprises": counts,
    }
    try:
        with tempfile.TemporaryDirectory(prefix="explain_speed_") as tmp:
            log = Path(tmp) / "serve.log"
            with running_server(free_port(), log, args.startup_timeout) as server:
                time.sleep(args.settle)
                result["settle_s"] = args.settle
                result["first_explanation"] = explanations(server["base"], key, firms)
    finally:
        riskgraph("keys", "revoke", key.split("_")[1], env=env)
    with open_store(settings, start_embedded=True) as store:
        models = [m for m in args.models.split(",") if m]
        result["explain_in_process"] = explain_models(store, model_dir, firms, models)
        result["rescore"] = rescores(store, model_dir, firms, args.whole)
    sys.stdout.write(json.dumps(result, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
