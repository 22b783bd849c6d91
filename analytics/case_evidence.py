"""A case's evidence as named entities: the addresses, persons, firms and violation
records its alerts cite (``address:2b580f…`` → the address text), with the firms that
cite each. Person names come back in clear; the API masks them by role."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from riskgraph.analytics.case_groups import LINK_KINDS
from riskgraph.graph.store import GraphStore

ENTITY_KINDS = ("firm", "person", "address", "violation", "cluster")
_LOOKUPS = {
    "address": "case_addresses",
    "person": "case_persons",
    "violation": "case_violations",
    "firm": "case_firms",
}
CITED_BY_MAX = 10


@dataclass
class _Entity:
    kind: str
    key: str
    roles: list[str] = field(default_factory=list)
    cited_by: list[str] = field(default_factory=list)
    alerts: int = 0


def _entity_of(item: str) -> tuple[str, str, str] | None:
    """(entity kind, key, evidence role) of an evidence item naming an entity."""
    role, sep, rest = item.partition(":")
    if not sep or not rest:
        return None
    if role == "violation":
        return "violation", rest, role
    kind = LINK_KINDS.get(role, "").removeprefix("~")
    if not kind:
        return None
    return kind, rest.partition("@")[0] if kind == "person" else rest, role


def evidence_entities(
    store: GraphStore, alerts: Sequence[dict[str, Any]], clusters: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """The entities the alerts cite, most cited first: kind, key, name, detail (address
    region and firm count, firm class and score, violation kind and date), the evidence
    roles, how many alerts cite it and which firms (alert subjects) do."""
    found: dict[tuple[str, str], _Entity] = {}
    for alert in alerts:
        seen: set[tuple[str, str]] = set()
        for item in alert.get("evidence") or []:
            parsed = _entity_of(str(item))
            if parsed is None:
                continue
            kind, key, role = parsed
            entity = found.setdefault((kind, key), _Entity(kind, key))
            if role not in entity.roles:
                entity.roles.append(role)
            if (kind, key) not in seen:
                seen.add((kind, key))
                entity.alerts += 1
                if len(entity.cited_by) < CITED_BY_MAX and alert["subject"] not in entity.cited_by:
                    entity.cited_by.append(str(alert["subject"]))
    for cid in clusters:
        found.setdefault(("cluster", cid), _Entity("cluster", cid, roles=["cluster"]))
    facts = _lookup(store, found)
    ranked = sorted(found.values(), key=lambda e: (-e.alerts, ENTITY_KINDS.index(e.kind), e.key))
    return [_render(entity, facts.get((entity.kind, entity.key))) for entity in ranked]


def _lookup(
    store: GraphStore, found: dict[tuple[str, str], _Entity]
) -> dict[tuple[str, str], dict[str, Any]]:
    facts: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, query in _LOOKUPS.items():
        keys = sorted(key for k, key in found if k == kind)
        if not keys:
            continue
        for row in store.read(store.query_text(query), keys=keys):
            key = row["uscc"] if kind == "firm" else row["key"]
            facts[(kind, str(key))] = row
    return facts


def _render(entity: _Entity, row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    name: Any = None
    detail: dict[str, Any] = {}
    if entity.kind == "address":
        name = row.get("address")
        detail = {"region_code": row.get("region_code"), "firms": row.get("firms")}
    elif entity.kind == "person":
        name = row.get("name")
    elif entity.kind == "firm":
        name = row.get("name")
        detail = {"class": row.get("class"), "risk_score": row.get("risk_score")}
    elif entity.kind == "violation":
        name = row.get("kind")
        detail = {"date": row.get("date"), "status": row.get("status")}
    return {
        "kind": entity.kind,
        "key": entity.key,
        "name": name,
        "found": bool(row) or entity.kind == "cluster",
        "detail": detail,
        "roles": entity.roles,
        "alerts": entity.alerts,
        "cited_by": entity.cited_by,
    }
