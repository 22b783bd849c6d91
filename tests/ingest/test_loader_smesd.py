"""The loader on the real embedded database, with folders in SMEsD's layout."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from engines import Graphs
from ingest_helpers import dump, smesd_folder, write_csv

from riskgraph.errors import InputError
from riskgraph.graph.schema import graph_stats, init_schema
from riskgraph.graph.store import GraphStore
from riskgraph.ingest.loader import Loader
from riskgraph.ingest.smesd import SmesdFormat


def load(store: GraphStore, folder: Path, runs: Path, batch_size: int = 100):  # type: ignore[no-untyped-def]
    init_schema(store)
    return Loader(store, SmesdFormat(), runs_dir=runs, batch_size=batch_size).run(folder)


def count_lines(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def test_every_row_is_loaded_and_the_graph_matches_the_files(
    store: GraphStore, small_smesd: Path, tmp_path: Path
) -> None:
    report = load(store, small_smesd, tmp_path / "runs")
    for kind, counts in report.files.items():
        assert counts.input_rows == count_lines(small_smesd / f"{kind}.csv")
        assert counts.loaded == counts.input_rows
    stats = graph_stats(store)
    assert stats["nodes"]["Enterprise"] == 300
    assert stats["nodes"]["Person"] == 120
    assert stats["nodes"]["Violation"] == 300
    with (small_smesd / "relations.csv").open(encoding="utf-8") as handle:
        kinds = [row["rel_type"] for row in csv.DictReader(handle)]
    assert stats["relationships"]["HOLDS_POSITION"] == sum(
        k in ("EXECUTIVE_OF", "SUPERVISOR_OF") for k in kinds
    )
    assert stats["relationships"]["LOAN"] == kinds.count("LOAN")
    [company] = store.read(
        "MATCH (e:Enterprise {uscc: 'C00007'}) RETURN e.key_kind AS kind, e.split AS split, "
        "e.lastupdated AS run"
    )
    assert company == {"kind": "external", "split": company["split"], "run": report.run_id}
    assert company["split"] in {"train", "valid", "test"}


def test_bad_rows_are_quarantined_with_reasons_and_counts_reconcile(
    store: GraphStore, small_smesd: Path, tmp_path: Path
) -> None:
    relations = small_smesd / "relations.csv"
    with relations.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["P00001", "C99999", "EXECUTIVE_OF", 1])  # unknown company
        writer.writerow(["P00001", "C00001", "MARRIED_TO", 1])  # unknown type
        writer.writerow(["P00001", "C00001", "EXECUTIVE_OF", "lots"])  # bad weight
        writer.writerow(["P00002", "C00002", "EXECUTIVE_OF", 7])
        writer.writerow(["P00002", "C00002", "EXECUTIVE_OF", 7])  # exact duplicate
        writer.writerow(["P00003"])  # short row
    report = load(store, small_smesd, tmp_path / "runs")
    counts = report.files["relations"]
    assert counts.input_rows == count_lines(relations)
    assert counts.duplicates >= 1
    assert counts.input_rows == counts.loaded + counts.quarantined + counts.duplicates
    total = report.total
    assert total.input_rows == total.loaded + total.quarantined + total.duplicates
    with open(report.quarantine, encoding="utf-8") as handle:
        quarantined = list(csv.DictReader(handle))
    assert len(quarantined) == total.quarantined == 4
    reasons = {row["reasons"] for row in quarantined}
    assert reasons == {
        "unknown_reference:dst_id",
        "enum:rel_type",
        "not_a_number:weight",
        "field_count",
    }
    first = quarantined[0]
    assert first["file"] == "relations.csv" and int(first["line"]) > 1
    assert json.loads(first["row"])["src_id"] == "P00001"
    saved = json.loads(Path(report.report).read_text(encoding="utf-8"))
    assert saved["total"]["quarantined"] == 4


def test_ingesting_twice_changes_nothing(
    store: GraphStore, small_smesd: Path, tmp_path: Path
) -> None:
    load(store, small_smesd, tmp_path / "runs")
    before = dump(store)
    again = load(store, small_smesd, tmp_path / "runs")
    assert not again.resumed
    assert dump(store) == before


def test_a_later_folder_updates_and_adds(
    store: GraphStore, small_smesd: Path, tmp_path: Path
) -> None:
    first = load(store, small_smesd, tmp_path / "runs")
    update = tmp_path / "update"
    write_csv(
        update / "companies.csv",
        ["company_id", "name", "registered_capital", "split", "label"],
        [["C00001", "更名后有限公司", 99, "train", 1], ["C90000", "新设有限公司", 10, "valid", 0]],
    )
    second = load(store, update, tmp_path / "runs")
    assert second.run_id != first.run_id
    rows = store.read(
        "MATCH (e:Enterprise) WHERE e.uscc IN ['C00001', 'C90000', 'C00002'] "
        "RETURN e.uscc AS k, e.name AS name, e.registered_capital AS cap, e.lastupdated AS run "
        "ORDER BY k"
    )
    assert rows[0]["k"] == "C00001" and rows[0]["name"] == "更名后有限公司"
    assert rows[0]["cap"] == 99 and rows[0]["run"] == second.run_id
    assert rows[1]["k"] == "C00002" and rows[1]["run"] == first.run_id  # untouched
    assert rows[2] == {"k": "C90000", "name": "新设有限公司", "cap": 10, "run": second.run_id}


def test_missing_required_columns_refuse_the_file_before_loading(
    store: GraphStore, tmp_path: Path
) -> None:
    write_csv(tmp_path / "in" / "companies.csv", ["company_id", "split"], [["C00001", "train"]])
    with pytest.raises(InputError, match="lacks required columns: name"):
        load(store, tmp_path / "in", tmp_path / "runs")
    assert graph_stats(store)["nodes"]["Enterprise"] == 0
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="none of the expected files"):
        load(store, tmp_path / "empty", tmp_path / "runs")
    with pytest.raises(InputError, match="is not a folder"):
        load(store, tmp_path / "nowhere", tmp_path / "runs")


@pytest.mark.slow
def test_kill_9_mid_run_then_rerun_resumes_to_the_same_graph(
    graphs: Graphs, tmp_path: Path
) -> None:
    folder = smesd_folder(tmp_path / "in", companies=6000, persons=2000, seed=3)
    killed = graphs.acquire()
    env = {**os.environ, **graphs.env(killed), "RISKGRAPH_DATA_DIR": str(tmp_path / "data")}
    command = [
        sys.executable,
        "-m",
        "riskgraph",
        "ingest",
        str(folder),
        "--format",
        "smesd",
        "--batch-size",
        "50",
        "--json",
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    committed = 0
    while time.monotonic() < deadline and process.poll() is None:
        rows = killed.read("MATCH (f:IngestFile) RETURN sum(f.committed) AS n")
        committed = rows[0]["n"] if rows else 0
        if committed and committed >= 20:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the run finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert committed >= 20

    rerun = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, check=True
    )
    report = json.loads(rerun.stdout)
    assert report["resumed"] and report["skipped_batches"] >= 20
    assert report["total"]["loaded"] == report["total"]["input_rows"]

    clean = graphs.acquire()
    clean_report = load(clean, folder, tmp_path / "runs", batch_size=50)
    assert clean_report.run_id == report["run_id"]
    assert dump(killed) == dump(clean)
    for store in (killed, clean):
        graphs.release(store)
