"""Model monitoring: calibration against recorded inspections, the stored monthly report,
its endpoints and the CLI, on both engines."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from api_helpers import uscc
from conftest import ApiFactory
from typer.testing import CliRunner

from riskgraph.analytics.inspections import record_results
from riskgraph.analytics.monitoring import (
    NO_REFERENCE,
    MonitorConfig,
    MonitoringError,
    ReportNotFound,
    calibration,
    list_reports,
    month_report,
    previous_month,
    read_report,
)
from riskgraph.graph.store import GraphStore

CLASSES = ("A", "B", "C", "D")


@dataclass
class Firm:
    """One enterprise of the calibration graph: its assessments and inspections."""

    key: str
    assessments: list[dict[str, Any]]
    inspections: list[tuple[str, str]]  # (date, result)


def _firms() -> list[Firm]:
    """Classes for 2026-06 (``month`` property) and older ones without it (the fallback);
    inspections inside and outside the window that counts for the report of 2026-07."""
    firms: list[Firm] = []
    n = 0

    def add(assessments: list[dict[str, Any]], inspections: list[tuple[str, str]]) -> None:
        nonlocal n
        firms.append(Firm(uscc(n), assessments, inspections))
        n += 1

    june = {"month": "2026-06", "date": "2026-06-01"}
    # A: 24 inspected in June, 2 with findings
    for i in range(24):
        add([{**june, "risk_class": "A"}], [("2026-06-10", "不合格" if i < 2 else "合格")])
    # B: 8 inspected (too few for the inversion check at 20), 4 with findings
    for i in range(8):
        add([{**june, "risk_class": "B"}], [("2026-06-11", "不合格" if i < 4 else "合格")])
    # C: 20 inspected, 5 with findings (two inspections each for some: one finding is enough)
    for i in range(20):
        inspections = [("2026-06-12", "不合格" if i < 5 else "合格")]
        if i < 3:
            inspections.append(("2026-06-20", "不合格"))
        add([{**june, "risk_class": "C"}], inspections)
    # D: 20 with the month property, 14 with findings ...
    for i in range(20):
        add([{**june, "risk_class": "D"}], [("2026-06-13", "不合格" if i < 14 else "合格")])
    # ... and 5 without it: their latest assessment before July (D, dated 20 May; an older
    # A and a July one are not theirs), inspected since 20 May: 3 with findings
    for i in range(5):
        add(
            [
                {"date": "2026-01-05", "risk_class": "A"},
                {"date": "2026-05-20", "risk_class": "D"},
                {"month": "2026-07", "date": "2026-07-01", "risk_class": "A"},
            ],
            [("2026-05-25", "不合格" if i < 3 else "合格")],
        )
    # not counted: a finding before June for a firm classed for June, one in July,
    # a firm inspected but never assessed
    add([{**june, "risk_class": "A"}], [("2026-05-30", "不合格")])
    add([{**june, "risk_class": "A"}], [("2026-07-02", "不合格")])
    add([], [("2026-06-15", "不合格")])
    return firms


def _load(store: GraphStore, firms: list[Firm]) -> None:
    store.write(
        "UNWIND $keys AS key CREATE (:Enterprise {uscc: key, name: key})",
        keys=[f.key for f in firms],
    )
    rows = [
        {"uscc": f.key, **a, "scored_at": a["date"] + "T00:00:00.000Z"}
        for f in firms
        for a in f.assessments
    ]
    store.write(
        "UNWIND $rows AS row MATCH (e:Enterprise {uscc: row.uscc}) "
        "CREATE (e)-[:HAS_ASSESSMENT]->(a:RiskAssessment) "
        "SET a.risk_class = row.risk_class, a.date = date(row.date), "
        "a.scored_at = row.scored_at, a.month = row.month",
        rows=rows,
    )
    results = [
        {
            "uscc": f.key,
            "date": day,
            "result": result,
            "plan_id": None,
            "case_no": f"case/{f.key}/{day}/{k}",
            "authority": "test",
            "note": None,
        }
        for f in firms
        for k, (day, result) in enumerate(f.inspections)
    ]
    record_results(store, results, now=datetime(2026, 7, 3))


def _expected(firms: list[Firm], month: str) -> dict[str, tuple[int, int]]:
    """The calibration table written out from the data: (inspected, with findings)."""
    previous, start = previous_month(month), f"{month}-01"
    table: dict[str, list[int]] = {}
    for firm in firms:
        own = [a for a in firm.assessments if a.get("month") == previous]
        fallback = [
            a
            for a in firm.assessments
            if a["date"] < start and (a.get("month") is None or a["month"] < month)
        ]
        chosen = own[0] if own else max(fallback, key=lambda a: a["date"], default=None)
        if chosen is None:
            continue
        since = f"{previous}-01" if own else chosen["date"]
        window = [r for d, r in firm.inspections if since <= d < start]
        if not window:
            continue
        counts = table.setdefault(chosen["risk_class"], [0, 0])
        counts[0] += 1
        counts[1] += int("不合格" in window)
    return {cls: (c[0], c[1]) for cls, c in table.items()}


@pytest.fixture
def monitored(store: GraphStore) -> tuple[GraphStore, list[Firm]]:
    firms = _firms()
    _load(store, firms)
    return store, firms


def test_calibration_against_recorded_findings(monitored: tuple[GraphStore, list[Firm]]) -> None:
    store, firms = monitored
    found = calibration(store, "2026-07", CLASSES)
    expected = _expected(firms, "2026-07")
    assert expected == {"A": (24, 2), "B": (8, 4), "C": (20, 5), "D": (25, 17)}
    assert found["previous_month"] == "2026-06" and found["until"] == "2026-07-01"
    table = {row["class"]: row for row in found["classes"]}
    assert list(table) == list(CLASSES)
    for cls, (inspected, findings) in expected.items():
        assert (table[cls]["inspected"], table[cls]["with_findings"]) == (inspected, findings)
        assert table[cls]["rate"] == pytest.approx(findings / inspected, abs=1e-6)
    # B's 50 % lies above C's 25 %, but B has 8 inspected firms, fewer than 20
    assert found["min_inspected"] == 20 and found["inversions"] == []
    low = calibration(store, "2026-07", CLASSES, min_inspected=5)
    assert [(i["lower"], i["higher"]) for i in low["inversions"]] == [("B", "C")]

    # a month with nothing before it: every class is empty
    empty = calibration(store, "2026-01", CLASSES)
    assert [row["inspected"] for row in empty["classes"]] == [0, 0, 0, 0]
    assert [row["rate"] for row in empty["classes"]] == [None] * 4
    with pytest.raises(MonitoringError):
        calibration(store, "2026-13", CLASSES)


@dataclass
class _OldBundle:
    """What month_report reads of a model version trained before references existed."""

    version: str = "v20250101T000000Z-s0"
    selected: str = "lgbm_graph"
    classes: tuple[str, ...] = CLASSES
    reference: dict[str, Any] | None = None


@dataclass
class _Scores:
    keys: list[str]
    classes: tuple[str, ...]
    predicted: list[str]


def _report(store: GraphStore, month: str, min_inspected: int = 20) -> Any:
    keys = [uscc(i) for i in range(8)]
    scores = _Scores(keys, CLASSES, ["A", "A", "B", "B", "B", "C", "D", "D"])
    return month_report(
        store,
        _OldBundle(),  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        scores,  # type: ignore[arg-type]
        month,
        config=MonitorConfig(min_inspected=min_inspected),
        now=datetime(2026, 7, 1, 9),
    )


def test_reports_are_stored_per_month(monitored: tuple[GraphStore, list[Firm]]) -> None:
    store, _ = monitored
    with pytest.raises(ReportNotFound):
        read_report(store)
    first = _report(store, "2026-06")
    report = _report(store, "2026-07", min_inspected=5)
    assert report.level == NO_REFERENCE and report.warnings[0].startswith("no reference")
    assert report.class_shares == {"A": 0.25, "B": 0.375, "C": 0.125, "D": 0.25}
    assert any("class B had a higher finding rate" in w for w in report.warnings)

    latest = read_report(store)
    assert latest.month == "2026-07" and latest.to_dict() == report.to_dict()
    assert read_report(store, "2026-06").to_dict() == first.to_dict()
    again = _report(store, "2026-07")  # a rerun replaces the month's report
    assert read_report(store, "2026-07").calibration["min_inspected"] == 20
    assert again.calibration["inversions"] == []
    page = list_reports(store, limit=1)
    assert [row["month"] for row in page.items] == ["2026-07"] and page.next_offset == 1
    assert [row["month"] for row in list_reports(store).items] == ["2026-07", "2026-06"]
    rows = store.read("MATCH (m:MonitoringReport) RETURN m.month AS month, m.level AS level")
    assert sorted((r["month"], r["level"]) for r in rows) == [
        ("2026-06", NO_REFERENCE),
        ("2026-07", NO_REFERENCE),
    ]
    with pytest.raises(ReportNotFound):
        read_report(store, "2025-01")


def test_monitoring_endpoints(
    make_api: ApiFactory, monitored: tuple[GraphStore, list[Firm]]
) -> None:
    store, firms = monitored
    api = make_api(store=store)
    missing = api.get("/api/v1/model/monitoring", "analyst")
    assert missing.status_code == 404, missing.text
    _report(store, "2026-06")
    _report(store, "2026-07")

    response = api.get("/api/v1/model/monitoring", "analyst")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["month"] == "2026-07" and body["level"] == NO_REFERENCE
    assert body["reference"] is None and body["worst_features"] == []
    expected = _expected(firms, "2026-07")
    assert {
        row["class"]: (row["inspected"], row["with_findings"])
        for row in body["calibration"]["classes"]
    } == expected
    june = api.get("/api/v1/model/monitoring", "investigator", params={"month": "2026-06"})
    assert june.status_code == 200 and june.json()["month"] == "2026-06"
    assert june.json()["calibration"]["previous_month"] == "2026-05"

    months = api.get("/api/v1/model/monitoring/months", "analyst").json()
    assert [m["month"] for m in months["items"]] == ["2026-07", "2026-06"]
    assert months["items"][0]["level"] == NO_REFERENCE and months["next_offset"] is None

    for bad in ("2026-13", "2026-7", "x"):
        answer = api.get("/api/v1/model/monitoring", "analyst", params={"month": bad})
        assert answer.status_code == 422, answer.text
    assert (
        api.get("/api/v1/model/monitoring", "analyst", params={"month": "2020-01"}).status_code
        == 404
    )
    assert api.get("/api/v1/model/monitoring", "service").status_code == 403
    assert api.get("/api/v1/model/monitoring", "analyst", params={"top": 0}).status_code == 422
    actions = [(r["action"], r["outcome"]) for r in api.audit()]
    assert ("model.monitoring", "ok") in actions and ("model.monitoring_months", "ok") in actions


def test_monitoring_cli_shows_stored_reports(
    monitored: tuple[GraphStore, list[Firm]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from contextlib import contextmanager

    from riskgraph.cli import app
    from riskgraph.commands import monitoring as commands

    store, _ = monitored
    _report(store, "2026-07")

    @contextmanager
    def connected(_settings: Any, **_: Any) -> Any:
        yield store

    monkeypatch.setattr(commands, "connected", connected)
    runner = CliRunner()
    shown = runner.invoke(app, ["model", "monitoring", "--month", "2026-07", "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["calibration"]["previous_month"] == "2026-06"
    listed = runner.invoke(app, ["model", "monitoring", "--months"])
    assert listed.exit_code == 0 and "2026-07" in listed.output
    missing = runner.invoke(app, ["model", "monitoring", "--month", "2020-01"])
    assert missing.exit_code == 1 and "no monitoring report" in missing.output
    no_model = runner.invoke(
        app, ["model", "monitor", "--month", "2026-07", "--model", str(tmp_path)]
    )
    assert no_model.exit_code == 1 and "no trained model" in no_model.output
    bad = runner.invoke(app, ["model", "monitor", "--month", "July", "--model", str(tmp_path)])
    assert bad.exit_code == 1 and "YYYY-MM" in bad.output
