"""Scoring writes results and history back onto the real embedded database."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import redis
from conftest import AS_OF, quick_config
from gnn_helpers import planted
from typer.testing import CliRunner

from riskgraph.analytics.scores import score_history
from riskgraph.cli import app
from riskgraph.gnn.export import export_graph
from riskgraph.gnn.score import ScoreConfig, Scores, prune_history, score, write_back
from riskgraph.gnn.train import LabelSpec, train
from riskgraph.gnn.versions import ModelError
from riskgraph.graph.embedded import EmbeddedDatabase
from riskgraph.graph.store import GraphStore

CLASSES = ("A", "B", "C", "D")


def test_score_write_back_holds_automatic_aof_rewrites_back(
    falkordb_store: GraphStore,
    embedded_db: EmbeddedDatabase,
    aof_rewrites: Callable[[redis.Redis], int],
) -> None:
    planted(10, seed=2, classes=CLASSES).load(falkordb_store)
    graph = export_graph(falkordb_store)
    n = graph.num_nodes("enterprise")
    scores = Scores(
        keys=graph.keys["enterprise"],
        classes=CLASSES,
        proba=np.full((n, 4), 0.25),
        predicted=["B"] * n,
        risk=np.full(n, 0.5),
        node_ids=graph.node_ids,
    )
    server = redis.Redis.from_url(
        embedded_db.uri(), password=embedded_db.password, decode_responses=True
    )
    rewrites = aof_rewrites(server)
    server.config_set("auto-aof-rewrite-percentage", 0)  # as an ingest killed mid-load leaves it
    assert write_back(falkordb_store, scores, 3, "v-test", "2026-01-01T00:00:00.000Z", AS_OF) == n
    # the write-back held automatic AOF rewrites back, forced none, and turned them on again
    assert aof_rewrites(server) == rewrites
    assert server.config_get("auto-aof-rewrite-percentage")["auto-aof-rewrite-percentage"] != "0"
    server.close()


def test_scores_are_written_back_with_history_and_exported(
    store: GraphStore, tmp_path: Path
) -> None:
    planted(80, seed=1, classes=CLASSES).load(store)
    result = train(
        store,
        tmp_path / "models",
        labels=LabelSpec(classes=CLASSES),
        seed=0,
        config=quick_config(("scorecard", "lgbm_graph")),
    )
    assert result.metrics["models"]["lgbm_graph"]["per_class"].keys() == set(CLASSES)

    summary = score(
        store,
        tmp_path / "models",
        export=tmp_path / "scores.csv",
        as_of=AS_OF,
        config=ScoreConfig(batch_size=37),
    )
    assert summary.scored == summary.written == 160
    assert summary.model_version == result.version
    assert sum(summary.class_counts.values()) == 160

    rows = store.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS key, e.risk_class AS class, "
        "e.risk_score AS risk, e.p_A AS a, e.p_B AS b, e.p_C AS c, e.p_D AS d, "
        "e.model_version AS version, e.scored_at AS scored_at ORDER BY key"
    )
    assert len(rows) == 160
    for row in rows:
        assert row["class"] in CLASSES
        assert row["a"] + row["b"] + row["c"] + row["d"] == pytest.approx(1.0, abs=1e-5)
        assert row["risk"] == pytest.approx(row["c"] + row["d"], abs=1e-5)
        assert row["version"] == result.version
        assert row["scored_at"] == summary.scored_at
    # the planted class is recovered on the labelled firms
    truth = {
        r["key"]: r["label"]
        for r in store.read(
            "MATCH (e:Enterprise) WHERE e.label_class IS NOT NULL "
            "RETURN e.uscc AS key, e.label_class AS label"
        )
    }
    hits = sum(row["class"] == truth[row["key"]] for row in rows if row["key"] in truth)
    assert hits / len(truth) >= 0.8

    with (tmp_path / "scores.csv").open(encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert list(exported[0]) == ["key", "class", "risk_score", "p_A", "p_B", "p_C", "p_D"]
    assert [r["key"] for r in exported] == [r["key"] for r in rows]
    assert {r["key"]: r["class"] for r in exported} == {r["key"]: r["class"] for r in rows}

    # a second run appends to each enterprise's dated history
    again = score(store, tmp_path / "models", as_of=AS_OF)
    assert again.scored_at != summary.scored_at
    [stored] = store.read(
        "MATCH (e:Enterprise {uscc: 'T0000'})-[:HAS_ASSESSMENT]->(a:RiskAssessment) "
        "RETURN count(a) AS n, collect(a.scored_at) AS at, min(a.date) AS day"
    )
    assert stored["n"] == 2
    assert sorted(stored["at"]) == sorted([summary.scored_at, again.scored_at])
    assert stored["day"] is not None
    [total] = store.read("MATCH (a:RiskAssessment) RETURN count(a) AS n")
    assert total["n"] == 320
    # as the API reads it back, newest first
    records = score_history(store, "T0000")
    assert [r["scored_at"] for r in records] == [again.scored_at, summary.scored_at]
    assert all(records[0][f"p_{c}"] is not None for c in CLASSES)
    assert records[0]["model_version"] == result.version


def test_scoring_without_a_model_says_so(store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no trained model"):
        score(store, tmp_path)


def test_scoring_the_training_run_inputs_equals_scoring_from_the_graph(
    store: GraphStore, tmp_path: Path
) -> None:
    planted(60, seed=2, classes=CLASSES).load(store)
    config = quick_config(("lgbm_own", "lgbm_graph", "hetero_sage", "ensemble"))
    result = train(
        store,
        tmp_path / "models",
        labels=LabelSpec(classes=CLASSES),
        seed=0,
        config=config,
        keep_inputs=True,
    )
    assert result.inputs is not None
    reused = score(store, result.model_dir, inputs=result.inputs, export=tmp_path / "reused.csv")
    fresh = score(store, result.model_dir, as_of=AS_OF, export=tmp_path / "fresh.csv")
    assert reused.written == fresh.written == 120
    assert (tmp_path / "reused.csv").read_text("utf-8") == (tmp_path / "fresh.csv").read_text(
        "utf-8"
    )
    without = train(
        store,
        tmp_path / "models",
        labels=LabelSpec(classes=CLASSES),
        seed=0,
        config=replace(config, models=("lgbm_own",)),
    )
    assert without.inputs is None


def test_write_back_by_node_id_counts_what_it_found(falkordb_store: GraphStore) -> None:
    """Ids from the export find the nodes; an id that no longer holds its key is not written."""
    store = falkordb_store  # only the id-window export has node ids
    planted(10, seed=2, classes=CLASSES).load(store)
    graph = export_graph(store)
    assert graph.node_ids is not None
    n = graph.num_nodes("enterprise")
    proba = np.full((n, 4), 0.25)
    scores = Scores(
        keys=graph.keys["enterprise"],
        classes=CLASSES,
        proba=proba,
        predicted=["B"] * n,
        risk=np.full(n, 0.5),
        node_ids=graph.node_ids.copy(),
    )
    scores.node_ids[[0, 1]] = scores.node_ids[[1, 0]]  # two ids swapped: keys no longer match
    written = write_back(store, scores, 3, "v-test", "2026-01-01T00:00:00.000Z", AS_OF)
    assert written == n - 2
    rows = store.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS key, e.risk_class AS class ORDER BY key"
    )
    assert [r["class"] for r in rows] == [None, None] + ["B"] * (n - 2)


def test_pruning_history_deletes_old_assessments_only(cli_env: GraphStore) -> None:
    store = cli_env
    planted(10, seed=3, classes=CLASSES).load(store)
    graph = export_graph(store)
    n = graph.num_nodes("enterprise")
    for day, cls in ((date(2024, 1, 31), "A"), (date(2024, 2, 29), "C"), (date(2024, 3, 31), "D")):
        scores = Scores(
            keys=graph.keys["enterprise"],
            classes=CLASSES,
            proba=np.full((n, 4), 0.25),
            predicted=[cls] * n,
            risk=np.full(n, 0.5),
            node_ids=graph.node_ids,
        )
        write_back(store, scores, 7, "v-test", f"{day.isoformat()}T00:00:00.000Z", day)

    assert prune_history(store, date(2024, 3, 1), batch_size=3) == 2 * n
    left = store.read("MATCH (a:RiskAssessment) RETURN a.date AS day, a.risk_class AS c")
    assert {(r["day"], r["c"]) for r in left} == {(date(2024, 3, 31), "D")} and len(left) == n
    current = store.read("MATCH (e:Enterprise) RETURN collect(DISTINCT e.risk_class) AS c")
    assert current == [{"c": ["D"]}]  # the enterprises keep their latest scores
    assert prune_history(store, date(2024, 3, 1)) == 0

    runner = CliRunner()
    ran = runner.invoke(app, ["prune-history", "--before", "2025-01-01", "--json"])
    assert ran.exit_code == 0, ran.output
    assert json.loads(ran.stdout) == {"deleted": n, "before": "2025-01-01"}
    assert store.read("MATCH (a:RiskAssessment) RETURN count(a) AS n") == [{"n": 0}]
    bad = runner.invoke(app, ["prune-history", "--before", "last month"])
    assert bad.exit_code != 0


def test_scoring_reads_the_graph_without_the_model_stack_imported() -> None:
    """score() imports torch/PyG/LightGBM on a worker while the graph is read: the
    export and scoring modules must not import them themselves."""
    code = (
        "import sys\n"
        "import riskgraph.gnn.score, riskgraph.gnn.versions, riskgraph.graph.falkordb_store\n"
        "heavy = sorted(m for m in ('torch', 'torch_geometric', 'lightgbm', 'sklearn')"
        " if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == ""
