"""API keys, for admins (the CLI `riskgraph keys` does the same on the server)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from riskgraph.api.deps import AuditDep, KeyManager, StateDep
from riskgraph.api.schemas import ErrorBody, KeyCreate, KeyCreated, KeyInfo

router = APIRouter(prefix="/keys", tags=["keys"])


@router.get("", response_model=list[KeyInfo], summary="List API keys (never the keys)")
def list_keys(state: StateDep, _: KeyManager) -> list[KeyInfo]:
    return [KeyInfo.model_validate(r.public()) for r in state.keys.list()]


@router.post("", response_model=KeyCreated, status_code=201, summary="Create an API key")
def create_key(body: KeyCreate, state: StateDep, _: KeyManager, audit: AuditDep) -> KeyCreated:
    """The response holds the key; it is shown once and stored only as a SHA-256 hash."""
    key, record = state.keys.create(body.role, body.label)
    audit("keys.create", params={"id": record.id, "role": record.role.value, "label": body.label})
    return KeyCreated(key=key, **record.public())


@router.delete(
    "/{key_id}",
    response_model=KeyInfo,
    summary="Revoke an API key",
    responses={404: {"model": ErrorBody}},
)
def revoke_key(
    key_id: Annotated[str, Path(pattern=r"^[0-9a-f]{10}$")],
    state: StateDep,
    _: KeyManager,
    audit: AuditDep,
) -> KeyInfo:
    record = state.keys.revoke(key_id)
    audit("keys.revoke", params={"id": key_id, "role": record.role.value})
    return KeyInfo.model_validate(record.public())
