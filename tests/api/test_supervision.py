"""The API keeps the local database server up: a crash or a hang is found by the
watchdog, the server is started again from its files, requests succeed again
without a person, and the restart is audited with the queries that were running."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from api_helpers import api_settings, settings_for, uscc
from fastapi.testclient import TestClient

from riskgraph.api.app import create_app
from riskgraph.api.auth import KeyStore, Role
from riskgraph.graph import local_server, open_store
from riskgraph.graph.server_process import free_port

SERVERS = ["embedded", pytest.param("local-neo4j", marks=pytest.mark.neo4j)]


def restarts(audit: Path) -> list[dict[str, object]]:
    if not audit.exists():
        return []
    records = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    return [r for r in records if r["action"] == "database_restart"]


def answered(client: TestClient, headers: dict[str, str], within_s: float) -> float:
    """Seconds until the score lookup answers 200 again (fails after ``within_s``)."""
    started = time.monotonic()
    while time.monotonic() - started < within_s:
        response = client.get(f"/api/v1/scores/{uscc(0)}", headers=headers)
        if response.status_code == 200:
            assert response.json()["risk_class"] == "B"
            return time.monotonic() - started
        assert response.status_code == 503, response.text
        time.sleep(0.2)
    raise AssertionError(f"the API did not recover within {within_s} s")


@pytest.mark.parametrize("graph_uri", SERVERS)
@pytest.mark.parametrize("how", ["crash", "hang"])
def test_a_crashed_or_hung_server_is_restarted_and_the_api_recovers(
    tmp_path: Path, graph_uri: str, how: str
) -> None:
    settings = settings_for(
        tmp_path,
        graph_uri=graph_uri,
        embedded_port=free_port(),
        neo4j_heap_mb=768,
        neo4j_page_cache_mb=32,
        api=api_settings(supervise_interval_s=0.5, supervise_timeout_s=1.0, reconnect_interval_s=0),
    )
    server = local_server(settings)
    server.start()
    try:
        store = open_store(settings)
        store.write("CREATE (:Enterprise {uscc: $u, name: '守护测试', risk_class: 'B'})", u=uscc(0))
        store.close()
        time.sleep(1.5)  # FalkorDB's append-only file reaches disk every second
        key = KeyStore(settings.data_dir / "api_keys.json").create(Role.service)[0]
        headers = {"Authorization": f"Bearer {key}"}
        with TestClient(create_app(settings)) as client:
            assert answered(client, headers, 5) < 5
            pid = server.status().pid
            assert pid is not None
            os.kill(pid, signal.SIGKILL if how == "crash" else signal.SIGSTOP)
            recovered = answered(client, headers, 90)
        assert server.status().pid != pid
        [record] = restarts(settings.api.audit_path(settings.data_dir))
        assert str(record["outcome"]).startswith("crashed" if how == "crash" else "hung")
        assert recovered < 90
    finally:
        server.stop()
