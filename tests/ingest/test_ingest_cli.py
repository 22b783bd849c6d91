"""`riskgraph generate` and `riskgraph ingest` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from engines import Graphs

from riskgraph.graph.store import GraphStore


def riskgraph(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "riskgraph", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def env(store: GraphStore, graphs: Graphs, tmp_path: Path) -> dict[str, str]:
    environment = {
        **os.environ,
        **graphs.env(store),
        "RISKGRAPH_DATA_DIR": str(tmp_path / "data"),
    }
    environment.pop("RISKGRAPH_DEMO", None)
    environment.pop("RISKGRAPH_PERSON_ID_SECRET", None)
    return environment


def test_generate_then_ingest_prints_a_reconciled_report(
    env: dict[str, str], store: GraphStore, tmp_path: Path
) -> None:
    out = tmp_path / "registry"
    generated = riskgraph(
        env, "generate", "--enterprises", "1000", "--seed", "5", "--out", str(out), "--json"
    )
    assert generated.returncode == 0, generated.stderr
    summary = json.loads(generated.stdout)
    assert summary  # the generator's summary is JSON
    assert (out / "enterprises.csv").is_file() and (out / "truth" / "labels.csv").is_file()

    refused = riskgraph(env, "ingest", str(out))
    assert refused.returncode == 1
    assert "RISKGRAPH_PERSON_ID_SECRET is the demo default" in refused.stderr

    env = {**env, "RISKGRAPH_PERSON_ID_SECRET": "a-real-secret-for-tests"}
    loaded = riskgraph(env, "ingest", str(out), "--json", "--batch-size", "700")
    assert loaded.returncode == 0, loaded.stderr
    report = json.loads(loaded.stdout)
    assert set(report["files"]) >= {"enterprises", "persons", "positions", "investments"}
    for counts in [*report["files"].values(), report["total"]]:
        assert set(counts) == {"input_rows", "loaded", "quarantined", "duplicates"}
        assert (
            counts["input_rows"] == counts["loaded"] + counts["quarantined"] + counts["duplicates"]
        )
    assert Path(report["quarantine"]).is_file()
    assert Path(report["quarantine"]).parent == Path(report["report"]).parent
    run_dir = Path(report["report"]).parent
    for path in (run_dir, run_dir.parent, Path(report["quarantine"]), Path(report["report"])):
        assert (path.stat().st_mode & 0o777) == (0o700 if path.is_dir() else 0o600), path
    [row] = store.read("MATCH (e:Enterprise) RETURN count(e) AS n")
    assert row["n"] == report["files"]["enterprises"]["loaded"]


def test_too_small_or_unknown_input_is_a_clear_error(env: dict[str, str], tmp_path: Path) -> None:
    small = riskgraph(env, "generate", "--enterprises", "10", "--out", str(tmp_path / "x"))
    assert small.returncode != 0 and "1000" in small.stderr
    missing = riskgraph(
        {**env, "RISKGRAPH_DEMO": "1"}, "ingest", str(tmp_path / "nowhere"), "--format", "smesd"
    )
    assert missing.returncode == 1 and "is not a folder" in missing.stderr
