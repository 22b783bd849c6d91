"""Kinds of market entity (市场主体): enterprises, individual businesses, cooperatives.

Regulators classify individual businesses (个体工商户) and farmer cooperatives
(农民专业合作社) with their own indicator sets, so riskgraph treats them as kinds of
their own beside enterprises. The kind follows from the registered org type.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

EntityKind = Literal["enterprise", "individual", "cooperative"]
ENTITY_KINDS: Final[tuple[EntityKind, ...]] = get_args(EntityKind)
ENTITY_KIND_NAMES: Final[dict[EntityKind, str]] = {
    "enterprise": "企业",
    "individual": "个体工商户",
    "cooperative": "农民专业合作社",
}
_BY_ORG_TYPE: Final[dict[str, EntityKind]] = {
    "个体工商户": "individual",
    "农民专业合作社": "cooperative",
}


def entity_kind(org_type: str | None) -> EntityKind:
    """The kind of entity an org type registers; unknown or missing types are enterprises."""
    return _BY_ORG_TYPE.get(org_type or "", "enterprise")


def org_types_of(kind: EntityKind) -> tuple[str, ...]:
    """The org types of a non-enterprise kind (empty for ``enterprise``, the default kind)."""
    return tuple(org for org, k in _BY_ORG_TYPE.items() if k == kind)
