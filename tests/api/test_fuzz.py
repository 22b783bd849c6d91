"""Property-based requests from the OpenAPI schema (schemathesis): no 500s anywhere."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import Api
from hypothesis import HealthCheck, given, settings

from riskgraph.graph.store import GraphStore

schemathesis = pytest.importorskip("schemathesis")


@pytest.fixture
def fuzz_api(make_api: Any, analytics_store: GraphStore) -> Api:
    """On a graph of its own: fuzzed POSTs may change alerts and store inspection plans."""
    api: Api = make_api(store=analytics_store, cypher_timeout_s=1.0, export_page_size=50)
    return api


def test_no_server_errors(fuzz_api: Api) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzz_api.client.app)
    headers = fuzz_api.headers("admin")
    failures: list[tuple[str, str, int, str]] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(
            max_examples=25,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            response = case.call(headers=headers)
            # 503/504 are the documented answers for an unreachable or slow database.
            if response.status_code >= 500 and response.status_code not in (503, 504):
                failures.append(
                    (case.method, case.formatted_path, response.status_code, response.text[:300])
                )

        check()
    assert operations >= 25
    assert failures == []
