"""Health, metrics, limits, audit, logs, outages and the CLI."""

from __future__ import annotations

import json
import logging
import logging.config
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import Api, api_settings, settings_for, uscc
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from riskgraph.api.app import create_app
from riskgraph.api.auth import KeyStore, Role
from riskgraph.api.logs import JsonFormatter, log_config
from riskgraph.api.ratelimit import RateLimiter
from riskgraph.errors import DatabaseUnavailable
from riskgraph.graph import local_server, open_store
from riskgraph.graph.server_process import free_port


def test_readyz_reports_the_database(api: Api, engine: str) -> None:
    body = api.client.get("/readyz").json()
    assert body == {"status": "ready", "database": "reachable", "dialect": engine}


def test_metrics_count_requests_per_route_template(api: Api) -> None:
    for i in range(3):
        api.get(f"/api/v1/scores/{uscc(i)}", "service")
    api.get("/api/v1/scores/NOPE", "service")
    api.client.get("/no/such/path")
    response = api.get("/metrics", "service")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    route = 'route="/api/v1/scores/{uscc}"'
    assert f'riskgraph_http_requests_total{{method="GET",{route},status="200"}} 3.0' in text
    assert f'riskgraph_http_requests_total{{method="GET",{route},status="404"}} 1.0' in text
    assert 'route="unmatched",status="404"' in text
    assert f'riskgraph_http_request_duration_seconds_count{{method="GET",{route}}} 4.0' in text
    assert uscc(1) not in text  # templates, never raw paths


def test_metrics_need_a_key(api: Api) -> None:
    assert api.client.get("/metrics").status_code == 401


def test_rate_limit_per_key(make_api: Any) -> None:
    api: Api = make_api(rate_per_s=0.5, rate_burst=3)
    statuses = [api.get(f"/api/v1/scores/{uscc(0)}", "service").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = api.get(f"/api/v1/scores/{uscc(0)}", "service")
    assert limited.status_code == 429 and limited.json()["error"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    assert api.get(f"/api/v1/scores/{uscc(0)}", "analyst").status_code == 200  # own bucket


def test_token_bucket_refills() -> None:
    now = [0.0]
    limiter = RateLimiter(rate=2.0, burst=2, clock=lambda: now[0])
    limiter.acquire("k")
    limiter.acquire("k")
    with pytest.raises(Exception, match="rate limit") as caught:
        limiter.acquire("k")
    assert caught.value.retry_after_s == pytest.approx(0.5)  # type: ignore[attr-defined]
    now[0] = 0.5
    limiter.acquire("k")


def test_body_size_limit(make_api: Any) -> None:
    api: Api = make_api(max_body_bytes=2048)
    big = {"keys": [f"K{i:08d}" for i in range(500)]}
    response = api.post("/api/v1/scores:batch", "service", json=big)
    assert response.status_code == 413 and response.json()["error"] == "payload_too_large"

    def chunks() -> Iterator[bytes]:
        payload = json.dumps(big).encode()
        for start in range(0, len(payload), 512):
            yield payload[start : start + 512]

    chunked = api.client.post(
        "/api/v1/scores:batch",
        content=chunks(),
        headers={**api.headers("service"), "Content-Type": "application/json"},
    )
    assert chunked.status_code == 413
    small = api.post("/api/v1/scores:batch", "service", json={"keys": [uscc(0)]})
    assert small.status_code == 200


def test_cors_is_closed_by_default_and_opens_only_for_listed_origins(make_api: Any) -> None:
    closed: Api = make_api()
    preflight = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    response = closed.client.options(f"/api/v1/scores/{uscc(0)}", headers=preflight)
    assert "access-control-allow-origin" not in response.headers
    got = closed.get(f"/api/v1/scores/{uscc(0)}", "service", headers={"Origin": "https://x.y"})
    assert "access-control-allow-origin" not in got.headers
    opened: Api = make_api(cors_origins=["https://console.example"])
    allowed = opened.client.options(
        f"/api/v1/scores/{uscc(0)}",
        headers={"Origin": "https://console.example", "Access-Control-Request-Method": "GET"},
    )
    assert allowed.headers["access-control-allow-origin"] == "https://console.example"
    other = opened.client.options(f"/api/v1/scores/{uscc(0)}", headers=preflight)
    assert "access-control-allow-origin" not in other.headers


def test_request_ids_are_echoed_or_made(api: Api) -> None:
    given = api.client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = api.client.get("/healthz", headers={"X-Request-ID": "bad id/../\\n"})
    assert len(made.headers["x-request-id"]) == 32


def test_audit_records_who_read_what_and_never_the_key(api: Api) -> None:
    api.get(f"/api/v1/enterprises/{uscc(0)}", "investigator", headers={"X-Request-ID": "r-1"})
    api.post("/api/v1/cypher", "analyst", json={"query": "RETURN $a AS a", "params": {"a": 1}})
    api.get("/api/v1/enterprises?name=成都示例0&limit=3", "analyst")
    text = (api.data_dir / "audit.log").read_text(encoding="utf-8")
    for key in api.keys.values():
        assert key not in text and key.split("_", 2)[2] not in text
    records = api.audit()
    read = next(r for r in records if r["action"] == "enterprises.read")
    assert read["role"] == "investigator" and read["request_id"] == "r-1"
    assert read["key_id"] == api.keys[Role.investigator].split("_")[1]
    assert read["endpoint"] == "/api/v1/enterprises/{uscc}"
    assert read["params"] == {"uscc": uscc(0)} and read["rows"] == 1
    assert read["risk_class"] == "A" and read["persons_unmasked"] is False
    query = next(r for r in records if r["action"] == "cypher")
    assert query["params"] == {"query": "RETURN $a AS a", "params": {"a": 1}}
    assert query["rows"] == 1 and query["outcome"] == "ok"
    search = next(r for r in records if r["action"] == "enterprises.search")
    assert search["rows"] == 3 and search["params"]["name"] == "成都示例0"
    assert {"time", "key_id", "role", "endpoint", "params", "rows"} <= set(read)


def test_audit_lines_survive_line_separators_in_queries(api: Api) -> None:
    api.post("/api/v1/cypher", "analyst", json={"query": "RETURN 1 AS x\u2028CREATE (n)"})
    lines = (api.data_dir / "audit.log").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["outcome"] == "refused"


def test_errors_are_json_and_validation_errors_do_not_echo_input(api: Api) -> None:
    response = api.post("/api/v1/cypher", "analyst", json={"query": 12, "params": []})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request" and all("input" not in d for d in body["details"])
    secret = "91510100MA61SECRET"
    for path, params in [
        ("/api/v1/scores:export", {"as_of": secret}),
        ("/api/v1/alerts", {"severity": secret}),
    ]:
        echoed = api.get(path, "admin", params=params)
        assert echoed.status_code == 422 and secret not in echoed.text, (path, echoed.text)


def test_json_log_formatter_and_config() -> None:
    record = logging.LogRecord("riskgraph.api", logging.INFO, __file__, 1, "request", None, None)
    record.route = "/healthz"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "request" and line["route"] == "/healthz"
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")
    logging.config.dictConfig(log_config("INFO"))
    assert isinstance(logging.getLogger("riskgraph").handlers[0].formatter, JsonFormatter)
    logging.config.dictConfig(log_config("INFO", json_logs=False))


@pytest.mark.parametrize(
    "graph_uri", ["embedded", pytest.param("local-neo4j", marks=pytest.mark.neo4j)]
)
def test_database_down_is_503_and_recovers_without_restart(tmp_path: Path, graph_uri: str) -> None:
    settings = settings_for(
        tmp_path,
        graph_uri=graph_uri,
        embedded_port=free_port(),
        neo4j_heap_mb=768,
        neo4j_page_cache_mb=32,
    )
    database = local_server(settings)
    database.start()
    try:
        store = open_store(settings)
        store.write("CREATE (:Enterprise {uscc: $u, name: '恢复测试', risk_class: 'B'})", u=uscc(0))
        store.close()
        key = KeyStore(settings.data_dir / "api_keys.json").create(Role.service)[0]
        headers = {"Authorization": f"Bearer {key}"}
        app = create_app(
            settings.model_copy(
                update={
                    "api": api_settings(
                        reconnect_interval_s=0, retry_after_s=7, supervise_interval_s=0.2
                    )
                }
            )
        )
        with TestClient(app) as client:
            assert (
                client.get(f"/api/v1/scores/{uscc(0)}", headers=headers).json()["risk_class"] == "B"
            )
            database.stop()
            time.sleep(1)  # the watchdog leaves a server stopped on purpose alone
            down = client.get(f"/api/v1/scores/{uscc(0)}", headers=headers)
            assert down.status_code == 503 and down.headers["retry-after"] == "7"
            assert down.json() == {
                "error": "database_unavailable",
                "message": "the graph database is unreachable",
            }
            ready = client.get("/readyz")
            assert ready.status_code == 503 and ready.headers["retry-after"] == "7"
            assert ready.json()["database"] == "unreachable"
            database.start()
            up = client.get(f"/api/v1/scores/{uscc(0)}", headers=headers)
            assert up.status_code == 200 and up.json()["risk_class"] == "B"
            assert client.get("/readyz").status_code == 200
            holder = app.state.riskgraph.holder
        assert holder._store is None  # closed by the lifespan on shutdown
    finally:
        database.stop()


def test_the_api_starts_while_the_database_is_down(tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path))
    key = KeyStore(tmp_path / "api_keys.json").create(Role.admin)[0]
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 503
        response = client.get("/api/v1/scores/X", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 503
    with pytest.raises(DatabaseUnavailable):
        app.state.riskgraph.holder.get()


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    import typer

    from riskgraph.commands.serve import app as serve_app
    from riskgraph.commands.serve import keys_app
    from riskgraph.settings import get_settings

    monkeypatch.setenv("RISKGRAPH_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    root = typer.Typer()
    root.add_typer(serve_app)
    root.add_typer(keys_app, name="keys")
    runner = CliRunner()
    yield lambda *args: runner.invoke(root, list(args))
    get_settings.cache_clear()


def test_keys_cli_create_list_revoke(cli: Any, tmp_path: Path) -> None:
    created = cli("keys", "create", "--role", "analyst", "--label", "王**")
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[-1]
    principal = KeyStore(tmp_path / "api_keys.json").authenticate(key)
    assert principal.role is Role.analyst
    listed = cli("keys", "list", "--json")
    records = json.loads(listed.stdout)
    assert records[0]["id"] == principal.key_id and key not in listed.stdout
    assert cli("keys", "revoke", principal.key_id).exit_code == 0
    assert json.loads(cli("keys", "list", "--json").stdout)[0]["revoked_at"]
    assert cli("keys", "revoke", "0000000000").exit_code == 1
    assert cli("keys", "create", "--role", "root").exit_code != 0
    audit = (tmp_path / "audit.log").read_text(encoding="utf-8")
    assert key not in audit and "keys.create" in audit and "keys.revoke" in audit


def test_serve_runs_uvicorn_on_localhost_by_default(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    result = cli("serve")
    assert result.exit_code == 0, result.output
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8000
    assert calls[0]["timeout_graceful_shutdown"] == 30 and calls[0]["access_log"] is False
    assert cli("serve", "--port", "9001").exit_code == 0 and calls[1]["port"] == 9001
