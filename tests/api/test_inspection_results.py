"""Inspection results fed back through the API (抽查检查结果反馈)."""

from __future__ import annotations

import pytest
from api_helpers import Api
from conftest import ApiFactory

from riskgraph.graph.schema import init_schema
from riskgraph.graph.store import GraphStore
from riskgraph.ingest.identifiers import make_uscc

RESULTS = "/api/v1/inspections/results"


def uscc(i: int) -> str:
    """A valid USCC (the API checks its check characters)."""
    return make_uscc(f"9151010000{i:06d}")


@pytest.fixture
def results_api(make_api: ApiFactory, store: GraphStore) -> Api:
    """Five enterprises with valid USCCs."""
    init_schema(store)
    store.write(
        "UNWIND $rows AS row CREATE (:Enterprise {uscc: row.uscc, name: row.name})",
        rows=[{"uscc": uscc(i), "name": f"抽查企业{i}"} for i in range(1, 6)],
    )
    return make_api(store=store)


def _violation_kinds(api: Api, key: str) -> list[str]:
    body = api.get(f"/api/v1/enterprises/{key}", "investigator").json()
    return [v["kind"] for v in body["violations"]]


def test_results_are_stored_and_failures_become_violations(results_api: Api) -> None:
    before = _violation_kinds(results_api, uscc(2)).count("抽查检查不合格")
    body = {
        "results": [
            {"uscc": uscc(1), "date": "2026-06-01", "result": "合格"},
            {"uscc": uscc(2), "date": "2026-06-02", "result": "不合格", "note": "虚假宣传"},
            {"uscc": uscc(99), "date": "2026-06-02", "result": "fail"},
        ]
    }
    first = results_api.post(RESULTS, "analyst", json=body)
    assert first.status_code == 201, first.text
    assert first.json() == {
        "records": 2,
        "passed": 1,
        "failed": 1,
        "unknown_enterprises": [uscc(99)],
    }
    assert _violation_kinds(results_api, uscc(2)).count("抽查检查不合格") == before + 1

    again = results_api.post(RESULTS, "analyst", json=body).json()
    assert again["records"] == 2
    assert _violation_kinds(results_api, uscc(2)).count("抽查检查不合格") == before + 1

    records = [r for r in results_api.audit() if r["action"] == "inspections.results"]
    assert [r["rows"] for r in records] == [2, 2] and records[0]["failed"] == 1


def test_a_bad_result_stores_nothing(results_api: Api) -> None:
    future = {"uscc": uscc(3), "date": "2999-01-01", "result": "合格"}
    bad_key = {"uscc": "NOT-A-USCC", "date": "2026-06-01", "result": "合格"}
    good = {"uscc": uscc(4), "date": "2026-06-01", "result": "不合格"}
    before = _violation_kinds(results_api, uscc(4))
    answer = results_api.post(RESULTS, "analyst", json={"results": [good, future, bad_key]})
    assert answer.status_code == 422, answer.text
    message = answer.json()["message"]
    assert "item 1: date is in the future" in message and "item 2: uscc" in message
    assert _violation_kinds(results_api, uscc(4)) == before

    unknown_outcome = {**good, "result": "maybe"}
    assert (
        results_api.post(RESULTS, "analyst", json={"results": [unknown_outcome]}).status_code == 422
    )
    assert results_api.post(RESULTS, "analyst", json={"results": []}).status_code == 422


def test_only_planners_record_results(results_api: Api) -> None:
    body = {"results": [{"uscc": uscc(1), "date": "2026-06-01", "result": "合格"}]}
    assert results_api.post(RESULTS, "investigator", json=body).status_code == 403
