"""One bad cell costs one row: cells the CSV reader cannot take are quarantined with
the file and line, the run goes on, the counts reconcile, and no quarantined row
keeps a resident ID number in clear, whatever column it sits in."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from ingest_helpers import load

from riskgraph.errors import InputError
from riskgraph.graph.schema import graph_stats
from riskgraph.graph.store import GraphStore
from riskgraph.ingest.generate import generate_registry
from riskgraph.ingest.loader import IngestReport
from riskgraph.ingest.privacy import mask_id_shapes
from riskgraph.ingest.sources import MAX_FIELD, iter_rows

AN_ID = "11010119730521398X"


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clean") / "in"
    generate_registry(1000, 3, folder)
    return folder


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def quarantined(report: IngestReport) -> dict[tuple[str, int], tuple[str, str]]:
    with open(report.quarantine, encoding="utf-8") as handle:
        return {
            (row["file"], int(row["line"])): (row["reasons"], row["row"])
            for row in csv.DictReader(handle)
        }


def test_unreadable_cells_quarantine_their_row_and_the_run_goes_on(
    store: GraphStore, clean: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(clean, folder)
    violations = lines(folder / "violations.csv")
    enterprises = lines(folder / "enterprises.csv")
    # line numbers are 1-based with the header on line 1
    violations[2] = violations[2].replace(b",", b",\x00", 1)  # line 3: a NUL byte
    violations[4] = violations[4].rstrip(b"\n") + b",\xff\xfe\n"  # line 5: not UTF-8
    cells = violations[6].split(b",")
    violations[6] = b",".join([cells[0], b"x" * (MAX_FIELD + 10), *cells[2:]])  # line 7
    enterprises[9] = enterprises[9].replace(b",", b',"', 1)  # line 10: an unclosed quote
    (folder / "violations.csv").write_bytes(b"".join(violations))
    (folder / "enterprises.csv").write_bytes(b"".join(enterprises))

    report = load(store, folder, tmp_path / "runs")

    found = quarantined(report)
    assert found[("violations.csv", 3)][0] == "nul_byte"
    assert found[("violations.csv", 5)][0] == "undecodable_bytes"
    assert found[("violations.csv", 7)][0] == "field_too_long"
    assert found[("enterprises.csv", 10)][0] == "unreadable_csv"
    for counts in report.files.values():
        assert counts.input_rows == counts.loaded + counts.quarantined + counts.duplicates
    assert report.files["violations"].loaded == len(violations) - 1 - 3
    # every file after the bad ones loaded, and the report was written
    assert Path(report.report).is_file()
    assert graph_stats(store)["nodes"]["Violation"] == report.files["violations"].loaded


def test_a_gbk_file_is_refused_by_name_before_anything_loads(
    store: GraphStore, clean: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(clean, folder)
    text = (folder / "violations.csv").read_text(encoding="utf-8")
    (folder / "violations.csv").write_bytes(text.encode("gb18030"))
    with pytest.raises(InputError, match=r"violations\.csv is encoded in GBK/GB18030"):
        load(store, folder, tmp_path / "runs")
    assert graph_stats(store)["nodes"]["Enterprise"] == 0


def test_id_numbers_are_masked_in_quarantine_in_every_shape(
    store: GraphStore, clean: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(clean, folder)
    with (folder / "positions.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    id_column = next(i for i, name in enumerate(header) if name == "id_number")
    short = [cell for i, cell in enumerate(rows[0]) if i != id_column]  # one field short
    short.insert(0, AN_ID)
    spaced = list(rows[1])
    spaced[id_column] = "110101 19730521 398X"
    nineteen = list(rows[2])
    nineteen[id_column] = "1" + AN_ID[:-1] + "7"
    with (folder / "positions.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, short[: len(header) - 1], spaced, nineteen])

    report = load(store, folder, tmp_path / "runs")

    text = Path(report.quarantine).read_text(encoding="utf-8")
    assert report.files["positions"].quarantined == 3
    digits = re.sub(r"[^0-9Xx]", "", text)
    assert AN_ID[:17] not in digits and AN_ID[6:14] not in text.replace(" ", "")
    for reasons, row in quarantined(report).values():
        assert reasons and json.loads(row)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (AN_ID, "******************"),
        ("ID 110101 19730521 398X!", "ID ****** ******** ****!"),
        ("1" + AN_ID, "*******************"),
        ("110101730521398", "***************"),  # the old 15-digit form
        ("91510100MA61XXXXXX", "91510100MA61XXXXXX"),  # a USCC is no ID
        ("2024-01-05", "2024-01-05"),
        ("13800138000", "13800138000"),  # a phone number
    ],
)
def test_id_shapes_are_found_by_value(text: str, masked: str) -> None:
    assert mask_id_shapes(text) == masked


def test_a_clean_file_reads_as_before(clean: Path) -> None:
    rows = list(iter_rows(clean / "enterprises.csv"))
    with (clean / "enterprises.csv").open(encoding="utf-8", newline="") as handle:
        expected = list(csv.reader(handle))[1:]
    assert len(rows) == len(expected)
    assert all("__unreadable__" not in row for _, row in rows)
    assert [line for line, _ in rows][:3] == [2, 3, 4]
