"""Keys, roles and the permission matrix, endpoint by endpoint."""

from __future__ import annotations

import json
import stat
from typing import Any

import pytest
from api_helpers import Api, uscc

from riskgraph.api.auth import PERMISSIONS, KeyStore, Permission, Role

P = Permission

# (method, path, JSON body, permission needed)
ENDPOINTS: list[tuple[str, str, dict[str, Any] | None, Permission]] = [
    ("GET", f"/api/v1/enterprises?uscc={uscc(0)}", None, P.enterprises_read),
    ("GET", f"/api/v1/enterprises/{uscc(0)}", None, P.enterprises_read),
    ("GET", f"/api/v1/scores/{uscc(0)}", None, P.scores_read),
    ("GET", f"/api/v1/scores/{uscc(0)}/history", None, P.scores_read),
    ("POST", "/api/v1/scores:batch", {"keys": [uscc(0)]}, P.scores_bulk),
    ("GET", "/api/v1/scores:export", None, P.scores_bulk),
    ("POST", "/api/v1/cypher", {"query": "MATCH (n) RETURN count(n) AS n"}, P.cypher_run),
    ("GET", "/api/v1/keys", None, P.keys_manage),
    ("POST", "/api/v1/keys", {"role": "service", "label": "new"}, P.keys_manage),
    ("DELETE", "/api/v1/keys/{spare}", None, P.keys_manage),
    ("GET", "/metrics", None, P.metrics_read),
]


@pytest.mark.parametrize("role", list(Role))
def test_every_endpoint_for_every_role(api: Api, role: Role) -> None:
    spare = KeyStore(api.data_dir / "api_keys.json").create(Role.service, "spare")[1].id
    for method, path, body, permission in ENDPOINTS:
        response = api.client.request(
            method, path.replace("{spare}", spare), json=body, headers=api.headers(role)
        )
        if permission in PERMISSIONS[role]:
            assert response.status_code in (200, 201), (role, path, response.text)
        else:
            assert response.status_code == 403, (role, path, response.text)
            assert response.json()["error"] == "forbidden"


def test_the_matrix_matches_the_brief() -> None:
    assert PERMISSIONS[Role.service] == {P.scores_read, P.scores_bulk, P.metrics_read}
    assert {r for r in Role if P.cypher_run in PERMISSIONS[r]} == {Role.analyst, Role.admin}
    assert {r for r in Role if P.keys_manage in PERMISSIONS[r]} == {Role.admin}
    assert {r for r in Role if P.persons_unmasked in PERMISSIONS[r]} == {Role.analyst, Role.admin}
    assert P.enterprises_read in PERMISSIONS[Role.investigator]
    assert P.graph_read in PERMISSIONS[Role.investigator]


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer not-a-key",
        "Bearer rgk_0123456789_" + "A" * 43,
        "Token rgk_0123456789_" + "A" * 43,
    ],
)
def test_missing_or_wrong_keys_are_401(api: Api, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = api.client.get(f"/api/v1/scores/{uscc(0)}", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"] == "unauthenticated"


def test_a_tampered_key_is_401(api: Api) -> None:
    key = api.keys[Role.admin]
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    response = api.client.get("/api/v1/keys", headers={"Authorization": f"Bearer {tampered}"})
    assert response.status_code == 401


def test_health_needs_no_key(api: Api) -> None:
    for path in ("/healthz", "/readyz", "/api/v1/healthz", "/api/v1/readyz"):
        assert api.client.get(path).status_code == 200, path


def test_keys_are_stored_hashed_with_owner_only_access(api: Api) -> None:
    path = api.data_dir / "api_keys.json"
    text = path.read_text(encoding="utf-8")
    for key in api.keys.values():
        secret = key.split("_", 2)[2]  # the secret itself may contain "_"
        assert key not in text and secret not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    records = json.loads(text)["keys"]
    assert {r["role"] for r in records} == {r.value for r in Role}
    assert all(len(r["sha256"]) == 64 for r in records)


def test_keys_created_or_revoked_elsewhere_apply_without_restart(api: Api) -> None:
    other = KeyStore(api.data_dir / "api_keys.json")  # as `riskgraph keys` would
    key, record = other.create(Role.service, "cli")
    headers = {"Authorization": f"Bearer {key}"}
    assert api.client.get(f"/api/v1/scores/{uscc(0)}", headers=headers).status_code == 200
    other.revoke(record.id)
    assert api.client.get(f"/api/v1/scores/{uscc(0)}", headers=headers).status_code == 401


def test_admins_manage_keys_over_the_api(api: Api) -> None:
    created = api.post("/api/v1/keys", "admin", json={"role": "investigator", "label": "张**"})
    assert created.status_code == 201
    body = created.json()
    new_key = body["key"]
    assert body["role"] == "investigator" and body["revoked_at"] is None
    listed = api.get("/api/v1/keys", "admin").json()
    assert body["id"] in {k["id"] for k in listed} and all("key" not in k for k in listed)
    assert all("sha256" not in k for k in listed)
    headers = {"Authorization": f"Bearer {new_key}"}
    assert api.client.get(f"/api/v1/enterprises/{uscc(0)}", headers=headers).status_code == 200
    revoked = api.client.delete(f"/api/v1/keys/{body['id']}", headers=api.headers("admin"))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert api.client.get(f"/api/v1/enterprises/{uscc(0)}", headers=headers).status_code == 401
    assert (
        api.client.delete("/api/v1/keys/0000000000", headers=api.headers("admin")).status_code
        == 404
    )
    assert api.client.delete("/api/v1/keys/../x", headers=api.headers("admin")).status_code in (
        404,
        422,
    )
    assert api.post("/api/v1/keys", "admin", json={"role": "root"}).status_code == 422
    actions = [(r["action"], r["params"].get("id")) for r in api.audit()]
    assert ("keys.create", body["id"]) in actions and ("keys.revoke", body["id"]) in actions


def test_denied_requests_are_audited(api: Api) -> None:
    api.post("/api/v1/cypher", "investigator", json={"query": "RETURN 1 AS x"})
    denied = [r for r in api.audit() if r["outcome"] == "denied"]
    assert denied and denied[0]["role"] == "investigator"
    assert denied[0]["endpoint"] == "/api/v1/cypher"
    assert denied[0]["params"]["permission"] == "cypher:run"
