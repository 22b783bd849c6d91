"""Every cluster, alert, inspection, statistics and model route for every role."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import Api, alert_key, uscc

from riskgraph.api.auth import PERMISSIONS, Permission, Role

P = Permission
ALERT_OF_ROLE = {Role.investigator: 2, Role.analyst: 3, Role.service: 4, Role.admin: 5}

# (method, path, JSON body, permission needed, status when allowed)
# The model routes answer 404 here: this app has no trained model (test_model.py has one).
ENDPOINTS: list[tuple[str, str, dict[str, Any] | None, Permission, int]] = [
    ("GET", "/api/v1/clusters", None, P.clusters_read, 200),
    ("GET", f"/api/v1/clusters/RC-{uscc(0)}", None, P.clusters_read, 200),
    ("GET", "/api/v1/alerts?severity=low", None, P.alerts_read, 200),
    ("GET", f"/api/v1/alerts/{alert_key('R02', 0)}", None, P.alerts_read, 200),
    ("POST", "/api/v1/alerts/{own_alert}/status", {"status": "in_progress"}, P.alerts_manage, 200),
    ("POST", "/api/v1/inspections/plans", {"seed": 1}, P.inspections_plan, 201),
    ("GET", "/api/v1/inspections/plans", None, P.inspections_read, 200),
    ("GET", "/api/v1/inspections/plans/IP-2026-01-01-000000000000", None, P.inspections_read, 404),
    ("GET", "/api/v1/stats/risk-map?level=city", None, P.stats_read, 200),
    ("GET", "/api/v1/model", None, P.model_read, 404),
    ("GET", "/api/v1/model/metrics", None, P.model_read, 404),
    ("GET", f"/api/v1/enterprises/{uscc(0)}/explanation", None, P.explanations_read, 404),
]


@pytest.mark.parametrize("role", list(Role))
def test_every_new_endpoint_for_every_role(analytics_api: Api, role: Role) -> None:
    own = alert_key("R12", ALERT_OF_ROLE[role]).replace("|", "%7C")
    for method, path, body, permission, allowed in ENDPOINTS:
        path = path.replace("{own_alert}", own).replace("|", "%7C")
        response = analytics_api.client.request(
            method, path, json=body, headers=analytics_api.headers(role)
        )
        if permission in PERMISSIONS[role]:
            assert response.status_code == allowed, (role, path, response.text)
        else:
            assert response.status_code == 403, (role, path, response.text)
            assert response.json()["error"] == "forbidden"
    denied = [r for r in analytics_api.audit() if r["action"] == "denied"]
    refused = sum(1 for *_, permission, _ in ENDPOINTS if permission not in PERMISSIONS[role])
    assert len(denied) == refused
    assert all(r["role"] == role.value and r["outcome"] == "denied" for r in denied)


def test_the_matrix_for_the_new_permissions() -> None:
    casework = {
        P.clusters_read,
        P.alerts_read,
        P.alerts_manage,
        P.inspections_read,
        P.stats_read,
        P.model_read,
        P.explanations_read,
    }
    assert casework <= PERMISSIONS[Role.investigator] & PERMISSIONS[Role.analyst]
    assert not casework & PERMISSIONS[Role.service]  # services read scores only
    assert {r for r in Role if P.inspections_plan in PERMISSIONS[r]} == {Role.analyst, Role.admin}
    assert {r for r in Role if P.alerts_manage in PERMISSIONS[r]} == {
        Role.investigator,
        Role.analyst,
        Role.admin,
    }
