"""Ground truth: how much of a generator's planted patterns the rules and clusters find.

Used by ``bench/planted_patterns.py`` and the analytics tests; scoring against the
generator's ``truth/patterns.csv`` is a measurement, not a product feature.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from riskgraph.analytics.rules import load_rules
from riskgraph.graph.store import GraphStore

PLANTED_KINDS = ("shell_ring", "circular_shareholding")
"""Patterns scored as instances (rings, loops) by rules and clusters together."""


def planted_recovery(
    store: GraphStore,
    patterns_csv: Path,
    *,
    coverage: float = 0.8,
    kinds: Sequence[str] = PLANTED_KINDS,
    run_id: str | None = None,
) -> dict[str, Any]:
    """Score stored alerts and clusters against a generator's ``truth/patterns.csv``.

    An instance (one planted ring or loop) is *recovered by alerts* when the subjects of
    the rules whose ``targets`` is its pattern cover at least ``coverage`` of its
    members, and *recovered by clusters* when one ``RiskCluster`` does. ``recall`` is the
    share of instances recovered both ways. ``precision`` is the share of the targeting
    rules' (rule, subject) alerts whose subject is a member of a planted instance of the
    rule's pattern.
    """
    instances: dict[str, tuple[str, set[str]]] = {}
    with patterns_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["pattern"] in kinds:
                instances.setdefault(row["pattern_id"], (row["pattern"], set()))[1].add(row["uscc"])
    targeting = {rule.id: rule.targets for rule in load_rules() if rule.targets in kinds}
    alerts = store.read(store.query_text("alert_subjects"), rules=sorted(targeting), run_id=run_id)
    flagged: dict[str, set[str]] = {kind: set() for kind in kinds}
    for alert in alerts:
        flagged[str(targeting[alert["rule"]])].add(alert["subject"])
    members = sorted({key for _, keys in instances.values() for key in keys})
    cluster_of = {
        row["uscc"]: row["cid"]
        for row in store.read(store.query_text("cluster_of_keys"), keys=members)
    }
    per_kind: dict[str, dict[str, Any]] = {
        kind: {"instances": 0, "by_alerts": 0, "by_clusters": 0, "recovered": 0} for kind in kinds
    }
    missed: list[str] = []
    for pattern_id, (kind, keys) in sorted(instances.items()):
        by_alerts = len(keys & flagged[kind]) >= coverage * len(keys)
        clusters = Counter(cluster_of[k] for k in keys if k in cluster_of)
        by_clusters = bool(clusters) and clusters.most_common(1)[0][1] >= coverage * len(keys)
        stats = per_kind[kind]
        stats["instances"] += 1
        stats["by_alerts"] += by_alerts
        stats["by_clusters"] += by_clusters
        stats["recovered"] += by_alerts and by_clusters
        if not (by_alerts and by_clusters):
            missed.append(pattern_id)
    planted: dict[str, set[str]] = {
        kind: {k for kd, keys in instances.values() if kd == kind for k in keys} for kind in kinds
    }
    true_alerts = sum(len(flagged[kind] & planted[kind]) for kind in kinds)
    all_alerts = sum(len(flagged[kind]) for kind in kinds)
    total = sum(s["instances"] for s in per_kind.values())

    def share(part: int, whole: int) -> float:
        return round(part / whole, 4) if whole else 1.0

    for kind, stats in per_kind.items():
        stats["alerts"] = len(flagged[kind])
        stats["precision"] = share(len(flagged[kind] & planted[kind]), len(flagged[kind]))
    return {
        "recall": share(sum(s["recovered"] for s in per_kind.values()), total),
        "precision": share(true_alerts, all_alerts),
        "alert_recall": share(sum(s["by_alerts"] for s in per_kind.values()), total),
        "cluster_recall": share(sum(s["by_clusters"] for s in per_kind.values()), total),
        "coverage": coverage,
        "instances": total,
        "patterns": per_kind,
        "missed": missed,
    }


def _members_by_pattern(patterns_csv: Path) -> dict[str, set[str]]:
    members: dict[str, set[str]] = {}
    with patterns_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            members.setdefault(row["pattern"], set()).add(row["uscc"])
    return members


def rule_recovery(
    store: GraphStore,
    patterns_csv: Path,
    *,
    skip: Sequence[str] = PLANTED_KINDS,
    run_id: str | None = None,
) -> dict[str, dict[str, Any]]:
    """Per rule that targets a planted pattern (other than ``skip``): firm-level scores.

    ``recall`` is the share of the pattern's members (``truth/patterns.csv``) among the
    rule's alert subjects; ``precision`` the share of the rule's subjects that are members.
    """
    members = _members_by_pattern(patterns_csv)
    targeting = {
        rule.id: rule.targets for rule in load_rules() if rule.targets and rule.targets not in skip
    }
    flagged: dict[str, set[str]] = {rule_id: set() for rule_id in targeting}
    for alert in store.read(
        store.query_text("alert_subjects"), rules=sorted(targeting), run_id=run_id
    ):
        flagged[alert["rule"]].add(alert["subject"])

    def share(part: int, whole: int) -> float:
        return round(part / whole, 4) if whole else 1.0

    scores: dict[str, dict[str, Any]] = {}
    for rule_id, pattern in sorted(targeting.items()):
        planted = members.get(str(pattern), set())
        hits = flagged[rule_id] & planted
        scores[rule_id] = {
            "pattern": pattern,
            "planted": len(planted),
            "alerts": len(flagged[rule_id]),
            "recall": share(len(hits), len(planted)),
            "precision": share(len(hits), len(flagged[rule_id])),
        }
    return scores
