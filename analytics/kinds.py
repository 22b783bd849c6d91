"""Kinds of market entity (企业, 个体工商户, 农民专业合作社) in the supervision views.

The kind follows from the org type (:func:`riskgraph.reference.entity_kind`): the
graph is counted per org type and folded into kinds here, so the mapping exists
once. :func:`class_shares` is the overview's table of risk classes per kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from riskgraph.errors import Invalid
from riskgraph.graph.store import GraphStore
from riskgraph.reference import ENTITY_KIND_NAMES, ENTITY_KINDS, EntityKind, entity_kind

COUNT_KEYS = ("A", "B", "C", "D", "unclassified")
_PREFIX = re.compile(r"\d{0,6}")


@dataclass(frozen=True)
class KindShares:
    """Risk classes of one kind of market entity: counts, total and shares per class."""

    kind: EntityKind
    name: str
    counts: dict[str, int]
    total: int

    @property
    def shares(self) -> dict[str, float]:
        """counts / total per class (0 when the kind has no entities)."""
        return {k: round(v / self.total, 4) if self.total else 0.0 for k, v in self.counts.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "counts": dict(self.counts),
            "total": self.total,
            "shares": self.shares,
        }


def class_shares(store: GraphStore, prefix: str = "") -> list[KindShares]:
    """Risk classes per kind (every kind, in :data:`ENTITY_KINDS` order) of the
    enterprises whose region code starts with ``prefix``, counted as the risk map
    counts them: ``risk_class``, else ``label_class``, else ``unclassified``."""
    if not _PREFIX.fullmatch(prefix):
        raise Invalid("prefix must be 0 to 6 digits of a region code")
    counts = {kind: dict.fromkeys(COUNT_KEYS, 0) for kind in ENTITY_KINDS}
    totals = dict.fromkeys(ENTITY_KINDS, 0)
    for row in store.read(store.query_text("stats_kind_classes"), prefix=prefix):
        kind = entity_kind(row["org_type"])
        classified = 0
        for cls in COUNT_KEYS[:4]:
            value = int(row[cls.lower()])
            counts[kind][cls] += value
            classified += value
        counts[kind]["unclassified"] += int(row["total"]) - classified
        totals[kind] += int(row["total"])
    return [
        KindShares(kind, ENTITY_KIND_NAMES[kind], counts[kind], totals[kind])
        for kind in ENTITY_KINDS
    ]
