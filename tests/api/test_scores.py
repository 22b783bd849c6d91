"""Scores: one, batch, history and the streaming export."""

from __future__ import annotations

import csv
import io
import json

from api_helpers import SCORED, Api, uscc

BASE = "/api/v1/scores"


def test_one_score(api: Api) -> None:
    response = api.get(f"{BASE}/{uscc(2)}", "service")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["uscc"] == uscc(2) and body["scored"] is True
    assert body["risk_class"] == "C" and body["model_version"] == "v2"
    assert body["p_A"] == 0.4 and body["scored_at"] == "2026-01-01T00:00:00.000Z"
    assert response.headers["cache-control"] == "no-store"


def test_an_unscored_enterprise_has_null_fields_and_an_unknown_one_is_404(api: Api) -> None:
    body = api.get(f"{BASE}/{uscc(29)}", "service").json()
    assert body["scored"] is False and body["risk_class"] is None and body["p_D"] is None
    assert api.get(f"{BASE}/NOPE", "service").status_code == 404


def test_batch_returns_found_keys_in_order_and_lists_missing_ones(api: Api) -> None:
    keys = [uscc(5), "missing-1", uscc(1).lower(), uscc(5), uscc(27)]
    response = api.post(f"{BASE}:batch", "service", json={"keys": keys})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [s["uscc"] for s in body["scores"]] == [uscc(5), uscc(1), uscc(27)]
    assert body["missing"] == ["MISSING-1"]
    assert body["scores"][2]["scored"] is False


def test_batch_limits(api: Api) -> None:
    ok = api.post(f"{BASE}:batch", "service", json={"keys": [f"K{i}" for i in range(10_000)]})
    assert ok.status_code == 200 and len(ok.json()["missing"]) == 10_000
    too_many = api.post(f"{BASE}:batch", "service", json={"keys": [f"K{i}" for i in range(10_001)]})
    assert too_many.status_code == 422
    assert "K9999" not in too_many.text  # errors never echo the body
    assert api.post(f"{BASE}:batch", "service", json={"keys": []}).status_code == 422
    assert api.post(f"{BASE}:batch", "service", json={"keys": ["x" * 65]}).status_code == 422
    assert api.post(f"{BASE}:batch", "service", json={"nope": 1}).status_code == 422
    for malformed in (b"{not json", b'{"keys": ["\xff\xfe"]}'):
        response = api.post(
            f"{BASE}:batch",
            "service",
            content=malformed,
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 400, (malformed, response.text)
        assert response.json()["error"] == "malformed_request"


def test_history_newest_first_and_empty_without_assessments(api: Api) -> None:
    body = api.get(f"{BASE}/{uscc(1)}/history", "investigator").json()
    assert [a["model_version"] for a in body["assessments"]] == ["v2", "v1"]
    assert body["assessments"][1] == {
        "risk_class": "C",
        "risk_score": 0.5,
        "p_A": 0.1,
        "p_B": 0.2,
        "p_C": 0.6,
        "p_D": 0.1,
        "model_version": "v1",
        "scored_at": "2025-06-01T00:00:00.000Z",
    }
    limited = api.get(f"{BASE}/{uscc(1)}/history", "service", params={"limit": 1}).json()
    assert len(limited["assessments"]) == 1
    assert api.get(f"{BASE}/{uscc(12)}/history", "service").json()["assessments"] == []
    assert api.get(f"{BASE}/NOPE/history", "service").status_code == 404


def _ndjson(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_export_ndjson_streams_every_scored_enterprise_across_pages(make_api) -> None:  # type: ignore[no-untyped-def]
    api: Api = make_api(export_page_size=3)
    response = api.get(f"{BASE}:export", "service")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    rows = _ndjson(response.text)
    assert [r["uscc"] for r in rows] == [uscc(i) for i in range(SCORED)]
    assert list(rows[0]) == [
        "uscc",
        "name",
        "risk_class",
        "risk_score",
        "p_A",
        "p_B",
        "p_C",
        "p_D",
        "model_version",
        "scored_at",
    ]
    resumed = _ndjson(api.get(f"{BASE}:export", "service", params={"after": uscc(16)}).text)
    assert [r["uscc"] for r in resumed] == [uscc(i) for i in range(17, SCORED)]
    assert api.get(f"{BASE}:export", "service", params={"model": "v1"}).text == ""


def test_export_csv(api: Api) -> None:
    response = api.get(f"{BASE}:export", "service", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert len(table) == SCORED and table[3]["risk_class"] == "D" and table[0]["p_B"] == "0.3"


def test_export_as_of_reads_the_history(make_api) -> None:  # type: ignore[no-untyped-def]
    api: Api = make_api(export_page_size=4)
    before = _ndjson(api.get(f"{BASE}:export", "service", params={"as_of": "2025-12-31"}).text)
    assert [(r["uscc"], r["model_version"], r["risk_class"]) for r in before] == [
        (uscc(i), "v1", "C") for i in range(5)
    ]
    after = _ndjson(api.get(f"{BASE}:export", "service", params={"as_of": "2026-01-01"}).text)
    assert {r["model_version"] for r in after} == {"v2"} and len(after) == 5
    moment = {"as_of": "2026-01-01T00:00:00Z", "model": "v1"}
    assert {
        r["model_version"]
        for r in _ndjson(api.get(f"{BASE}:export", "service", params=moment).text)
    } == {"v1"}
    bad = api.get(f"{BASE}:export", "service", params={"as_of": "yesterday"})
    assert bad.status_code == 422
    for edge in ("9999-12-31", "9999-12-31T23:59:59.999999", "0001-01-01"):
        response = api.get(f"{BASE}:export", "service", params={"as_of": edge})
        assert response.status_code in (200, 422), (edge, response.text)
    last_day = _ndjson(api.get(f"{BASE}:export", "service", params={"as_of": "9999-12-31"}).text)
    assert {r["model_version"] for r in last_day} == {"v2"}
    assert api.get(f"{BASE}:export", "service", params={"format": "xml"}).status_code == 422


def test_reads_of_risk_results_are_audited(api: Api) -> None:
    api.get(f"{BASE}/{uscc(2)}", "service")
    api.post(f"{BASE}:batch", "service", json={"keys": [uscc(i) for i in range(25)]})
    api.get(f"{BASE}:export", "service")
    records = {r["action"]: r for r in api.audit()}
    assert records["scores.read"]["params"] == {"uscc": uscc(2)}
    assert records["scores.read"]["rows"] == 1 and records["scores.read"]["role"] == "service"
    assert records["scores.batch"]["params"]["keys"]["count"] == 25
    assert records["scores.batch"]["rows"] == 25
    assert records["scores.export"]["rows"] == SCORED
    assert records["scores.export"]["outcome"] == "ok"
