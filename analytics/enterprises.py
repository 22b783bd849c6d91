"""Enterprises as investigators look them up: by key, by name, by region, industry
section and class (the firms behind a risk-map cell), and one firm's profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from riskgraph.analytics.search import person_firm_counts
from riskgraph.errors import Invalid, NotFound
from riskgraph.graph.store import GraphStore, Row
from riskgraph.reference import ENTITY_KINDS, EntityKind, org_types_of

CLASSES = ("A", "B", "C", "D")
UNCLASSIFIED = "unclassified"
NO_SECTION = "none"


class EnterpriseNotFound(NotFound):
    """No enterprise has the USCC."""


@dataclass(frozen=True)
class EnterpriseFilter:
    """A risk-map cell: region code prefix, industry section (``none``: without one) and
    class as the map counts it (risk_class, else label_class; ``unclassified``), and
    the kind of market entity."""

    region: str | None = None
    section: str | None = None
    risk_class: str | None = None
    kind: EntityKind | None = None
    """The kind of market entity (企业, 个体工商户, 农民专业合作社), from the org type."""

    def params(self) -> dict[str, Any]:
        """The filter as query parameters."""
        section = (
            None if self.section is None else "" if self.section == NO_SECTION else self.section
        )
        return {
            "region": self.region or "",
            "section": section,
            "risk_class": None if self.risk_class in (None, UNCLASSIFIED) else self.risk_class,
            "unclassified": self.risk_class == UNCLASSIFIED,
            "classes": list(CLASSES),
            **_kind_params(self.kind),
        }


def _kind_params(kind: EntityKind | None) -> dict[str, Any]:
    """A kind as org types: those of the kind, or for enterprises (the default kind, of
    every other org type and of none) all org types of the other kinds, negated."""
    if kind is None:
        return {"kind_types": None, "kind_negate": False}
    if kind == "enterprise":
        others = [t for k in ENTITY_KINDS if k != "enterprise" for t in org_types_of(k)]
        return {"kind_types": others, "kind_negate": True}
    return {"kind_types": list(org_types_of(kind)), "kind_negate": False}


@dataclass(frozen=True)
class Profile:
    """One enterprise: its properties, registered address, positions, investors and
    violations (each list at most ``list_limit`` long; ``truncated`` if any was cut)."""

    properties: dict[str, Any]
    address: Any
    positions: list[Row]
    investors: list[Row]
    violations: list[Row]
    truncated: bool
    person_firms: dict[str, int] = field(default_factory=dict)
    """How many firms each listed person is linked to, by pid."""


def by_key(store: GraphStore, uscc: str) -> list[Row]:
    """The enterprise node with this USCC (an empty list if none)."""
    rows = store.read(store.query_text("enterprise_get"), uscc=uscc.strip().upper())
    return [row["e"] for row in rows]


def by_name(
    store: GraphStore, name: str, *, prefix: bool, limit: int, offset: int = 0
) -> list[Row]:
    """Enterprise nodes named exactly ``name``, or whose name starts with it (at least
    two characters), ordered by name and key."""
    name = name.strip()
    if not prefix:
        rows = store.read(
            store.query_text("enterprise_search_name"), name=name, skip=offset, limit=limit
        )
    elif len(name) < 2:
        raise Invalid("a name prefix needs at least 2 characters")
    else:
        rows = store.read(
            store.query_text("enterprise_search_prefix"), prefix=name, skip=offset, limit=limit
        )
    return [row["e"] for row in rows]


def by_filter(
    store: GraphStore, filters: EnterpriseFilter, *, limit: int, offset: int = 0
) -> list[Row]:
    """Enterprise nodes in a risk-map cell, riskiest first."""
    rows = store.read(
        store.query_text("enterprise_list"), skip=offset, limit=limit, **filters.params()
    )
    return [row["e"] for row in rows]


def profile(store: GraphStore, uscc: str, *, list_limit: int = 500) -> Profile:
    """One enterprise with its people, investors and violations; raises
    EnterpriseNotFound."""
    key = uscc.strip().upper()
    rows = store.read(store.query_text("enterprise_get"), uscc=key)
    if not rows:
        raise EnterpriseNotFound(f"no enterprise with USCC {key}")
    lists = [
        store.read(store.query_text(name), uscc=key, limit=list_limit + 1)
        for name in ("enterprise_people", "enterprise_investors", "enterprise_violations")
    ]
    people, investors, violations = (found[:list_limit] for found in lists)
    pids = [row["pid"] for row in [*people, *investors] if row.get("pid")]
    person_firms = person_firm_counts(store, pids)
    return Profile(
        properties=rows[0]["e"]["properties"],
        address=rows[0].get("address"),
        positions=people,
        investors=investors,
        violations=[row["v"]["properties"] for row in violations],
        truncated=any(len(found) > list_limit for found in lists),
        person_firms=person_firms,
    )
