"""Do FalkorDB and Neo4j answer alike on the same registry?

    python bench/engines_equivalence.py --enterprises 20000 --seed 7

Generates one registry and loads it with the real loader into a fresh embedded
FalkorDB and a fresh local Neo4j, then compares the engines: node and relationship
counts and keys; every named query for sampled enterprises, persons and addresses;
every rule's alerts (time reference: the generator's reference date); the risk
clusters (as sets of member sets); an inspection plan drawn with the same seed; the
risk model export (counts, and a sha256 of each feature matrix with rows in key
order); and the scores of one model, trained once on the FalkorDB copy, on both.
Answers are normalised only where the engines may legitimately differ; each such
place says why. The last line printed is JSON: ``identical``, the ``differences``
(what, key, the FalkorDB and the Neo4j value, truncated), what was ``checked``
and the ``seconds`` per step. Exits 0 either way.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from _common import emit, fresh_database, registry_loader

from riskgraph.analytics.clusters import ClusterParams, build
from riskgraph.analytics.inspections import PlanConfig, create_plan
from riskgraph.analytics.rules import run_rules
from riskgraph.errors import QueryError
from riskgraph.gnn.baselines import LgbmConfig
from riskgraph.gnn.export import NODE_TYPES, export_graph
from riskgraph.gnn.features import FeaturePipeline
from riskgraph.gnn.score import ScoreConfig, score
from riskgraph.gnn.train import TrainConfig, train
from riskgraph.graph.falkordb_store import FalkorDBStore
from riskgraph.graph.local_neo4j import LocalNeo4j, Neo4jMemory
from riskgraph.graph.neo4j_store import Neo4jStore
from riskgraph.graph.queries import QUERIES, run_named
from riskgraph.graph.query_common import KEY_PROPERTY, node_key
from riskgraph.graph.schema import graph_stats
from riskgraph.graph.store import GraphStore
from riskgraph.ingest.generate import REFERENCE_DATE, generate_registry

NOW = datetime(2026, 7, 1, tzinfo=UTC)
MISSING = "<missing>"
MAX_LISTED = 200
"""Differences listed in the JSON (all are counted)."""
ORDERED_EVIDENCE = frozenset({"R04", "R06", "R07", "R09", "R10", "R14"})
"""Rules whose evidence list has an order: one row per subject, collected after ORDER BY."""

NODE = {"id", "labels", "properties"}
RELATIONSHIP = {"id", "type", "start", "end", "properties"}
"""The fields of a node and a relationship in the stores' uniform form."""

Stores = dict[str, GraphStore]


@dataclass
class Report:
    """What was compared, what differed, and how long each step took."""

    differences: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    checked: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)
    dump: Path | None = None
    """Where every difference goes in full, one JSON line each (``--dump``)."""

    def compare(
        self, what: str, key: Any, falkordb: Any, neo4j: Any, *, tolerance: float | None = None
    ) -> bool:
        """Count one comparison; record it when the engines disagree."""
        self.checked[what] += 1
        if falkordb == neo4j:
            return True
        floats = isinstance(falkordb, float) and isinstance(neo4j, float)
        if tolerance is not None and floats and abs(falkordb - neo4j) <= tolerance:
            return True
        self.total += 1
        if self.dump is not None:
            with self.dump.open("a", encoding="utf-8") as out:
                line = {"what": what, "key": key, "falkordb": falkordb, "neo4j": neo4j}
                out.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
        if len(self.differences) < MAX_LISTED:
            self.differences.append(
                {
                    "what": what,
                    "key": _short(key),
                    "falkordb": _short(falkordb),
                    "neo4j": _short(neo4j),
                }
            )
        return False

    def compare_maps(
        self, what: str, falkordb: Mapping[Any, Any], neo4j: Mapping[Any, Any], **options: Any
    ) -> None:
        """Compare two answers key by key (a key only one engine has counts as a difference)."""
        for key in sorted(set(falkordb) | set(neo4j), key=str):
            a, b = falkordb.get(key, MISSING), neo4j.get(key, MISSING)
            self.compare(what, key, a, b, **options)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        yield
        self.seconds[name] = round(time.monotonic() - started, 1)


def _short(value: Any, width: int = 300) -> Any:
    if isinstance(value, int | float | bool) or value is None:
        return value
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[:width] + "…"


def _both(stores: Stores, fn: Callable[[GraphStore], Any]) -> tuple[Any, Any]:
    return fn(stores["falkordb"]), fn(stores["neo4j"])


def check_counts(report: Report, stores: Stores) -> None:
    falkordb, neo4j = _both(stores, graph_stats)
    for kind in ("nodes", "relationships"):
        report.compare_maps(f"count:{kind}", falkordb[kind], neo4j[kind])
    for label, prop in KEY_PROPERTY.items():
        query = f"MATCH (n:{label}) RETURN n.{prop} AS k"
        digests = (_digest(sorted(r["k"] for r in s.read(query))) for s in stores.values())
        report.compare("keys", label, *digests)


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def sample(store: GraphStore, label: str, size: int, seed: int) -> list[str]:
    prop = KEY_PROPERTY[label]
    keys = sorted(r["k"] for r in store.read(f"MATCH (n:{label}) RETURN n.{prop} AS k"))
    return random.Random(f"{seed}/{label}").sample(keys, min(size, len(keys)))


def query_calls(store: GraphStore, size: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    """Every named query, for ``size`` sampled keys where it takes one."""
    firms, people, places, violations = (sample(store, label, size, seed) for label in KEY_PROPERTY)
    nearby = "MATCH (:Enterprise {uscc: $k})--()--(m:Enterprise) RETURN DISTINCT m.uscc AS k"
    rng = random.Random(seed)

    def two_hops(uscc: str | None) -> str | None:
        found = sorted(r["k"] for r in store.read(nearby, k=uscc)) if uscc else []
        return rng.choice(found) if found else None

    calls: list[tuple[str, dict[str, Any]]] = []
    for i, uscc in enumerate(firms):
        calls += [
            ("family_tree", {"uscc": uscc}),
            ("associated_risk", {"uscc": uscc, "hops": 3 if i % 4 == 0 else 2}),
            ("colocated", {"uscc": uscc}),
            ("neighbours", {"key": uscc}),
        ]
        # paths to a firm two hops away, to one up to four hops away, to anyone
        near = two_hops(uscc)
        for target in (near, two_hops(near), people[i] if i % 2 else places[i % len(places)]):
            if target is not None and target != uscc:
                calls.append(("paths", {"from": uscc, "to": target}))
    for pid in people:
        calls.append(("neighbours", {"key": pid, "label": "Person"}))
    for vid in violations:
        calls.append(("neighbours", {"key": vid, "label": "Violation"}))
    for aid in places:
        calls.append(("neighbours", {"key": aid, "label": "Address"}))
        calls.append(
            (
                "neighbours",
                {
                    "key": aid,
                    "label": "Address",
                    "type": "REGISTERED_AT",
                    "direction": "in",
                    "offset": 5,
                    "limit": 5,
                },
            )
        )
    calls += [("hub_persons", {"min_firms": m, "limit": n}) for m in (2, 5, 10) for n in (7, 1000)]
    calls += [
        ("shareholding_loops", {"max_length": m, "limit": n}) for m in (2, 4, 6) for n in (2, 1000)
    ]
    calls += [
        ("risk_map", {"level": level, "prefix": prefix})
        for level in ("province", "city", "district")
        for prefix in ("", "51", "5101")
    ]
    return calls


def check_queries(report: Report, stores: Stores, size: int, seed: int) -> None:
    calls = query_calls(stores["falkordb"], size, seed)
    for name in sorted(set(QUERIES) - {name for name, _ in calls}):
        report.compare("query:not covered", name, "covered", "not covered")
    for name, params in calls:
        answers = [_answer(store, name, params) for store in stores.values()]
        if name == "family_tree":
            # Shares are products of ratios computed by the engine, and FalkorDB replies
            # with 15 significant digits (Neo4j with 17): a product on a rounding boundary
            # (0.3975 × 0.2726 = 0.1083585) rounds apart in the 6th decimal. Within 1e-6.
            shares = [_pop_shares(answer) for answer in answers]
            report.compare_maps(f"query:{name}:share", *shares, tolerance=1e-6 + 1e-12)
        report.compare(f"query:{name}", params, *answers)


def _pop_shares(tree: dict[str, Any]) -> dict[str, Any]:
    shares = {}
    for part in ("nodes", "controllers"):
        for node in tree.get(part, []):
            for field_ in ("share", "known_share"):
                if field_ in node:
                    shares[f"{tree['root']['id']}/{part}/{node['id']}.{field_}"] = node.pop(field_)
    return shares


def _answer(store: GraphStore, name: str, params: dict[str, Any]) -> Any:
    try:
        result = run_named(store, name, params)
    except QueryError as exc:
        return {"error": type(exc).__name__}
    ids: dict[str, str] = {}
    _node_keys(result, ids)
    answer = _canonical(result, ids)
    if name == "neighbours":
        for group in answer["groups"]:
            # ORDER BY ends with the neighbour's key: parallel relationships to one
            # neighbour (two roles of one officer) tie, in no promised order.
            first: dict[str, int] = {}
            for item in group["items"]:
                first.setdefault(item["id"], len(first))
            group["items"].sort(key=lambda item: (first[item["id"]], _digest(item)))
    if name == "associated_risk":
        for item in answer["enterprises"] + answer["violations"]:
            # ORDER BY length(p), [keys along p] ties between paths through the same
            # nodes over parallel relationships (an investor who is also the legal
            # representative): which one comes first is not promised. `via` names
            # the types of all of them.
            item["path"]["relationships"] = len(item["path"]["relationships"])
    if name == "paths":
        # paths() sorts by the keys along a path: paths through the same nodes over
        # parallel relationships of different types tie, in no promised order.
        answer["paths"].sort(key=lambda path: ([n["key"] for n in path["nodes"]], _digest(path)))
        if len(answer["paths"]) == params.get("limit", 20):
            # q_paths has LIMIT without ORDER BY: of more shortest paths than the
            # limit, any `limit` of them may come back. Their number and length count.
            answer["paths"] = len(answer["paths"])
    if name == "family_tree" and answer["truncated"]:
        # q_family_up/down: LIMIT without ORDER BY, a truncated tree holds any paths.
        answer = {key: answer[key] for key in ("root", "up", "down", "truncated")}
    return answer


def _node_keys(value: Any, ids: dict[str, str]) -> None:
    if isinstance(value, dict):
        if set(value) == NODE:
            ids[value["id"]] = node_key(value)
        for item in value.values():
            _node_keys(item, ids)
    elif isinstance(value, list):
        for item in value:
            _node_keys(item, ids)


def _canonical(value: Any, ids: dict[str, str]) -> Any:
    """Engine ids (internal ids differ between engines) replaced by domain keys."""
    if isinstance(value, dict):
        if set(value) == NODE:
            return {
                "key": ids[value["id"]],
                "labels": value["labels"],
                "properties": _canonical(value["properties"], ids),
            }
        if set(value) == RELATIONSHIP:
            return {
                "type": value["type"],
                "start": ids.get(value["start"], "?"),
                "end": ids.get(value["end"], "?"),
                "properties": _canonical(value["properties"], ids),
            }
        return {key: _canonical(item, ids) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item, ids) for item in value]
    return value


def check_rules(report: Report, stores: Stores) -> None:
    summaries = _both(stores, lambda s: run_rules(s, today=REFERENCE_DATE, timeout_s=600))
    report.compare_maps(
        "rules:matched", *({r.rule: r.matched for r in run.results} for run in summaries)
    )
    report.compare_maps("rules:alert", *_both(stores, _alerts))


def _alerts(store: GraphStore) -> dict[str, list[str]]:
    query = "MATCH (a:Alert) RETURN a.rule AS rule, a.subject AS subject, a.evidence AS evidence"
    return {
        # Elsewhere the rule collects without ORDER BY, or evaluate_rule merges several
        # rows of one subject in row order: the evidence list has no promised order.
        f"{r['rule']}|{r['subject']}": r["evidence"]
        if r["rule"] in ORDERED_EVIDENCE
        else sorted(r["evidence"])
        for r in store.read(query)
    }


def check_clusters(report: Report, stores: Stores) -> None:
    params = ClusterParams(today=REFERENCE_DATE)
    built = _both(stores, lambda s: build(s, params, now=NOW))
    report.compare("clusters:count", "clusters", built[0].clusters, built[1].clusters)
    query = (
        "MATCH (e:Enterprise)-[:IN_CLUSTER]->(c:RiskCluster) "
        "RETURN c.cid AS cid, c.cd_count AS cd, c.reasons AS reasons, collect(e.uscc) AS members"
    )
    # Keyed by member set: a cluster's id is a naming choice, not part of the answer.
    found = _both(
        stores,
        lambda s: {frozenset(r["members"]): [r["cd"], sorted(r["reasons"])] for r in s.read(query)},
    )
    report.compare("clusters:member_sets", "all", *(_digest(sorted(map(sorted, f))) for f in found))
    report.compare_maps(
        "clusters:members",
        *({",".join(sorted(m)): figures for m, figures in f.items()} for f in found),
    )


def check_inspection(report: Report, stores: Stores, root: Path, seed: int) -> None:
    firms = sample(stores["falkordb"], "Enterprise", 100, seed + 1)
    plans = []
    for engine, store in stores.items():
        plans.append(
            create_plan(
                store,
                PlanConfig(seed=seed),
                root / "plans" / engine,
                whitelist=firms[:50],
                sandbox=firms[50:],
                as_of=REFERENCE_DATE,
                now=NOW,
            )
        )
    # the plan id is a digest of the inputs: the class snapshot, whitelist, sandbox, triggers
    report.compare("inspection:plan_id", "plan", *(plan["plan_id"] for plan in plans))
    report.compare_maps("inspection:counts", *(plan["counts"] for plan in plans))
    strata: list[dict[str, list[str]]] = [{}, {}]
    for plan, chosen in zip(plans, strata, strict=True):
        for selected in plan["selected"]:
            chosen.setdefault(selected["stratum"], []).append(selected["uscc"])
    report.compare_maps(
        "inspection:stratum", *({k: sorted(v) for k, v in c.items()} for c in strata)
    )


def check_export(report: Report, stores: Stores, config: TrainConfig) -> None:
    exports = _both(stores, lambda s: export_graph(s, page_size=config.page_size))
    # Not compared: node_ids (internal ids, for the score write-back), only FalkorDB's
    # id-window export has them.
    report.compare_maps("export:nodes", *({t: g.num_nodes(t) for t in NODE_TYPES} for g in exports))
    report.compare_maps("export:edges", *(graph.edge_counts() for graph in exports))
    report.compare("export:violations", "rows", *(len(g.violations) for g in exports))
    # roles come in the engine's cursor order: compared as multisets
    roles = [Counter(zip(g.roles["enterprise"], g.roles["role"], strict=True)) for g in exports]
    report.compare("export:roles", "rows", *(_digest(sorted(r.items())) for r in roles))
    encoded = [
        FeaturePipeline(config.features).fit_transform(graph, as_of=config.as_of)
        for graph in exports
    ]
    for node_type in NODE_TYPES:
        matrices, digests = [], []
        for graph, enc in zip(exports, encoded, strict=True):
            keys = sorted(graph.keys[node_type])  # rows in key order, whatever the export's
            rows = np.argsort(np.asarray(graph.keys[node_type], dtype=object), kind="stable")
            matrices.append(np.ascontiguousarray(enc.x[node_type][rows]))
            digest = hashlib.sha256("\n".join(keys).encode("utf-8"))
            digest.update(matrices[-1].tobytes())
            digests.append(digest.hexdigest())
        same = report.compare("export:features_sha256", node_type, *digests)
        if not same and matrices[0].shape == matrices[1].shape:  # name the columns that differ
            gaps = np.abs(matrices[0] - matrices[1]).max(axis=0, initial=0.0)
            columns = encoded[0].columns[node_type]
            differ = [column for column, gap in zip(columns, gaps, strict=True) if gap > 0]
            report.compare("export:feature_columns", node_type, [], differ)


def quick_config() -> TrainConfig:
    """Small and fast, after tests/gnn/conftest.py's quick_config (tree models only)."""
    return TrainConfig(
        models=("scorecard", "lgbm_graph"),
        lgbm=LgbmConfig(n_estimators=200, early_stopping_rounds=30, min_child_samples=5),
        min_aggregate_edges=1,
        as_of=REFERENCE_DATE,
        device="cpu",
    )


def check_scores(
    report: Report, stores: Stores, root: Path, seed: int, config: TrainConfig
) -> None:
    model = train(stores["falkordb"], root / "models", seed=seed, config=config)
    scored = []
    for engine, store in stores.items():
        path = root / f"scores-{engine}.csv"
        score(
            store,
            model.model_dir,
            export=path,
            as_of=REFERENCE_DATE,
            config=ScoreConfig(device="cpu"),
        )
        with path.open(encoding="utf-8") as handle:
            scored.append({row.pop("key"): row for row in csv.DictReader(handle)})
    report.compare_maps(
        "scores:class", *({k: row["class"] for k, row in t.items()} for t in scored)
    )
    for key in sorted(set(scored[0]) & set(scored[1])):
        for name in (n for n in scored[0][key] if n.startswith("p_")):
            values = [float(table[key][name]) for table in scored]
            # Within 1e-6: the CSV holds six decimals (float noise below them may round apart).
            report.compare("scores:probability", f"{key}.{name}", *values, tolerance=1e-6 + 1e-12)
    query = "MATCH (e:Enterprise) RETURN e.uscc AS k, e.risk_class AS c"
    written = _both(stores, lambda s: dict(sorted((r["k"], r["c"]) for r in s.read(query))))
    report.compare("scores:written", "risk_class", _digest(written[0]), _digest(written[1]))


def engines(stack: ExitStack, root: Path, heap_mb: int, page_cache_mb: int) -> Stores:
    """A fresh embedded FalkorDB and a fresh local Neo4j, both empty, stopped with ``stack``."""
    database = stack.enter_context(fresh_database(root))
    memory = Neo4jMemory(heap_mb=heap_mb, page_cache_mb=page_cache_mb, transaction_mb=heap_mb // 2)
    server = LocalNeo4j(root / "neo4j", memory=memory, start_timeout_s=600)
    server.start()
    stack.callback(server.stop, timeout_s=600)
    stores: Stores = {
        "falkordb": FalkorDBStore(
            database.uri(), "equivalence", password=database.password, query_timeout_s=600
        ),
        "neo4j": Neo4jStore(
            server.uri(), user="neo4j", password=server.password, query_timeout_s=600
        ),
    }
    for store in stores.values():
        stack.callback(store.close)
    return stores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=200, help="keys per named query")
    parser.add_argument("--neo4j-heap-mb", type=int, default=2048)
    parser.add_argument("--neo4j-page-cache-mb", type=int, default=512)
    parser.add_argument("--dump", type=Path, help="write every difference in full here (JSONL)")
    args = parser.parse_args()

    report = Report(dump=args.dump)
    config = quick_config()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with report.step("generate"):
            generate_registry(args.enterprises, args.seed, root / "in")
        with ExitStack() as stack:
            with report.step("start"):
                stores = engines(stack, root, args.neo4j_heap_mb, args.neo4j_page_cache_mb)
            for engine, store in stores.items():
                with report.step(f"load_{engine}"):
                    registry_loader(store, root / f"runs-{engine}", 5000).run(root / "in")
            with report.step("counts"):
                check_counts(report, stores)
            with report.step("queries"):
                check_queries(report, stores, args.sample, args.seed)
            with report.step("rules"):
                check_rules(report, stores)
            with report.step("clusters"):
                check_clusters(report, stores)
            with report.step("inspection"):
                check_inspection(report, stores, root, args.seed)
            with report.step("export"):
                check_export(report, stores, config)
            with report.step("scores"):
                check_scores(report, stores, root, args.seed, config)
    emit(
        {
            "benchmark": "engines_equivalence",
            "identical": report.total == 0,
            "differences": report.differences,
            "differences_total": report.total,
            "checked": dict(sorted(report.checked.items())),
            "seconds": report.seconds,
            "enterprises": args.enterprises,
            "seed": args.seed,
        }
    )


if __name__ == "__main__":
    main()
