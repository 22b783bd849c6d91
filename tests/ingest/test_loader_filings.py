"""The optional licences and annual_reports files: loaded into the graph, bad rows
quarantined with their reasons, counts reconciled."""

from __future__ import annotations

import csv
from pathlib import Path

from ingest_helpers import load, write_csv

from riskgraph.graph.schema import graph_stats
from riskgraph.graph.store import GraphStore
from riskgraph.ingest.identifiers import make_uscc


def uscc(n: int) -> str:
    return make_uscc(f"915101077{n:07d}")


ENTERPRISE_HEADER = ["uscc", "name", "org_type", "status", "established", "region_code", "address"]
LICENCE_HEADER = [
    "licence_no",
    "uscc",
    "licence_kind",
    "holder_name",
    "address",
    "region_code",
    "issued",
    "valid_until",
    "authority",
]
REPORT_HEADER = ["uscc", "report_year", "filed_on", "employees", "revenue", "total_assets"]


def folder_with_filings(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(
        folder / "enterprises.csv",
        ENTERPRISE_HEADER,
        [
            [
                uscc(i),
                f"成都示例{i}有限公司",
                "有限责任公司",
                "存续",
                "2019-05-01",
                "510107",
                "科华北路1号",
            ]
            for i in range(3)
        ],
    )
    write_csv(
        folder / "licences.csv",
        LICENCE_HEADER,
        [
            [
                "JY1",
                uscc(0),
                "食品经营许可证",
                "成都示例0有限公司",
                "科华北路1号",
                "510107",
                "2022-01-01",
                "2027-01-01",
                "武侯区市场监管局",
            ],
            ["JY2", uscc(1), "食品经营许可证", "成都示例1有限公司", "", "", "2022-01-01", "", ""],
            ["JY3", uscc(1), "烟草专卖许可证", "x", "", "", "2022-01-01", "", ""],  # enum
            ["JY4", uscc(2), "食品经营许可证", "x", "", "", "2022-01-01", "2021-01-01", ""],
            ["JY5", uscc(9), "食品经营许可证", "x", "", "", "2022-01-01", "", ""],  # unknown firm
            [
                "JY1",
                uscc(0),
                "食品经营许可证",
                "成都示例0有限公司",
                "科华北路1号",
                "510107",
                "2022-01-01",
                "2027-01-01",
                "武侯区市场监管局",
            ],  # an exact duplicate
        ],
    )
    write_csv(
        folder / "annual_reports.csv",
        REPORT_HEADER,
        [
            [uscc(0), "2024", "2025-04-01", "12", "300.5", "800"],
            [uscc(0), "2025", "", "", "", ""],
            [uscc(1), "2025", "2025-03-01", "", "", ""],  # filed before the year ended
            [uscc(1), "20x4", "", "-3", "", ""],
            [uscc(2), "2030", "", "", "", ""],
            [uscc(0), "2025", "2026-03-01", "", "", ""],  # the key again, other content
        ],
    )
    return folder


def quarantined(report_path: str) -> dict[tuple[str, int], str]:
    with open(report_path, encoding="utf-8", newline="") as handle:
        return {(r["file"], int(r["line"])): r["reasons"] for r in csv.DictReader(handle)}


def test_licences_and_annual_reports_load_and_refuse_bad_rows(
    store: GraphStore, tmp_path: Path
) -> None:
    report = load(store, folder_with_filings(tmp_path / "in"), tmp_path / "runs")
    for kind in ("licences", "annual_reports"):
        counts = report.files[kind]
        assert counts.input_rows == counts.loaded + counts.quarantined + counts.duplicates
    assert (report.files["licences"].loaded, report.files["licences"].duplicates) == (2, 1)
    assert report.files["annual_reports"].loaded == 2
    reasons = quarantined(report.quarantine)
    assert reasons[("licences.csv", 4)] == "enum:licence_kind"
    assert reasons[("licences.csv", 5)] == "date_order:valid_until"
    assert reasons[("licences.csv", 6)] == "unknown_reference:uscc"
    assert reasons[("annual_reports.csv", 4)] == "date_order:filed_on"
    assert reasons[("annual_reports.csv", 5)] == "invalid_year:report_year;negative:employees"
    assert reasons[("annual_reports.csv", 6)] == "future_date:report_year"
    assert reasons[("annual_reports.csv", 7)] == "duplicate_key"

    stats = graph_stats(store)
    assert stats["nodes"]["Licence"] == 2 and stats["relationships"]["HAS_LICENCE"] == 2
    assert stats["nodes"]["AnnualReport"] == 2
    [licence] = store.read(
        "MATCH (e:Enterprise)-[:HAS_LICENCE]->(l:Licence {licence_no: 'JY1'}), "
        "(e)-[:REGISTERED_AT]->(a:Address) "
        "RETURN l.aid = a.aid AS same_place, l.address AS address, "
        "toString(l.valid_until) AS until"
    )
    assert licence == {
        "same_place": True,
        "address": "四川省成都市武侯区科华北路1号",
        "until": "2027-01-01",
    }
    rows = store.read(
        "MATCH (:Enterprise {uscc: $u})-[:HAS_ANNUAL_REPORT]->(r:AnnualReport) "
        "RETURN r.year AS year, toString(r.filed_on) AS filed, r.employees AS employees "
        "ORDER BY year",
        u=uscc(0),
    )
    assert rows == [
        {"year": 2024, "filed": "2025-04-01", "employees": 12.0},
        {"year": 2025, "filed": None, "employees": None},
    ]
    # Loading again changes nothing.
    load(store, tmp_path / "in", tmp_path / "runs2")
    assert graph_stats(store) == stats
