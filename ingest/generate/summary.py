"""The summary ``generate_registry`` returns: rows, class shares, patterns, calibration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from riskgraph.reference import STATUSES, VIOLATION_KINDS

from .arrays import Ints
from .params import INDIV, JSC, LLC, REF, REFERENCE_DATE, SCORE_WEIGHTS, V_ABNORMAL, YEAR
from .registry import Registry
from .tables import ORG_KINDS


def _shares(values: Ints, labels: Sequence[str]) -> dict[str, float]:
    counts = np.bincount(values, minlength=len(labels))
    return {
        lab: round(float(c) / max(1, len(values)), 4) for lab, c in zip(labels, counts, strict=True)
    }


def _active_abnormal(reg: Registry) -> Ints:
    """Active abnormal listings per firm."""
    vio = reg.violations
    active = (vio.kind == V_ABNORMAL) & (vio.status == 0)
    return np.bincount(vio.firm[active], minlength=reg.firms.n)


def _patterns(reg: Registry) -> dict[str, Any]:
    plan, cls = reg.plan, reg.classes
    hot = reg.sites.hotspot >= 0
    active_abn = _active_abnormal(reg)
    hot_share = float((active_abn[hot] > 0).mean()) if hot.any() else 0.0
    planted = (plan.ring >= 0) | (plan.loop >= 0) | reg.abnormal_hot
    return {
        "shell_ring": {"instances": plan.n_rings, "members": int((plan.ring >= 0).sum())},
        "circular_shareholding": {
            "instances": len(plan.loop_len),
            "members": int((plan.loop >= 0).sum()),
            "lengths": {str(k): int((plan.loop_len == k).sum()) for k in (2, 3, 4)},
        },
        "address_hotspot": {
            "instances": plan.n_hotspots,
            "members": int(hot.sum()),
            "active_abnormal_share": round(hot_share, 3),
        },
        "shell_ring_class_cd_share": round(float((cls[plan.ring >= 0] >= 2).mean()), 3),
        "loop_class_cd_share": round(float((cls[plan.loop >= 0] >= 2).mean()), 3),
        "planted_class_cd_share": round(float((cls[planted] >= 2).mean()), 3),
    }


def _firm_calibration(reg: Registry) -> dict[str, Any]:
    """Org types, statuses, regions, capital and age of the firms."""
    f = reg.firms
    main = f.branch_parent < 0
    company = main & np.isin(f.kind, (LLC, JSC))
    regcap_wan = f.regcap[main] / 100.0
    return {
        "org_type_shares": _shares(f.kind[main], ORG_KINDS.names),
        "branches": int((~main).sum()),
        "status_shares": _shares(reg.risk.status, STATUSES),
        "chengdu_share": round(float(reg.regions.chengdu[f.region].mean()), 3),
        "registered_capital_wan": {
            "median": float(np.median(regcap_wan)),
            "p90": float(np.percentile(regcap_wan, 90)),
            "p99": float(np.percentile(regcap_wan, 99)),
            "max": float(regcap_wan.max()),
            "individual_median": float(np.median(regcap_wan[f.kind[main] == INDIV])),
        },
        "paid_in_zero_share_companies": round(float((f.paidin[company] == 0).mean()), 3),
        "established_years": {
            "median": round(float(np.median((REF - f.established) / YEAR)), 2),
            "max": round(float(((REF - f.established) / YEAR).max()), 2),
        },
    }


def _link_calibration(reg: Registry, rows: dict[str, int]) -> dict[str, Any]:
    """Addresses, persons, groups and investments."""
    f, people, sites = reg.firms, reg.people, reg.sites
    per_site = np.bincount(sites.site)
    per_site = per_site[per_site > 0]
    current = people.slot_until < 0
    pairs = np.unique(people.slot_firm[current] * (1 << 31) + people.slot_person[current])
    firms_per_person = np.bincount(pairs & ((1 << 31) - 1))
    return {
        "addresses": len(per_site),
        "addresses_hosting_1_to_3_share": round(float((per_site <= 3).mean()), 4),
        "addresses_hosting_50_plus": int((per_site >= 50).sum()),
        "cluster_buildings": sites.n_buildings,
        "max_firms_per_address": int(per_site.max()),
        "persons": rows["persons.csv"],
        "persons_with_current_positions": int((firms_per_person > 0).sum()),
        "max_firms_per_person": int(firms_per_person.max()),
        "persons_with_20_plus_firms": int((firms_per_person >= 20).sum()),
        "hub_persons": int(people.hub.sum()),
        "group_firms": int((f.group >= 0).sum()),
        "max_group_levels": int(f.group_depth.max(initial=-1)) + 1,
        "enterprise_investments": int(reg.investments.is_firm.sum()),
    }


def _risk_calibration(reg: Registry) -> dict[str, Any]:
    """Changes, violations and latent risk by class."""
    vio, cls = reg.violations, reg.classes
    return {
        "firms_with_legal_rep_changes_share": round(float((reg.changes > 0).mean()), 3),
        "violations_by_kind": {
            k: int((vio.kind == i).sum()) for i, k in enumerate(VIOLATION_KINDS)
        },
        "firms_with_active_abnormal_share": round(float((_active_abnormal(reg) > 0).mean()), 4),
        "latent_risk_by_class": {
            c: round(float(reg.risk.latent[cls == i].mean()), 3) for i, c in enumerate("ABCD")
        },
        "association_z_by_class": {
            c: round(float(reg.components["association"][cls == i].mean()), 3)
            for i, c in enumerate("ABCD")
        },
        "score_weights": dict(SCORE_WEIGHTS),
    }


def summary(reg: Registry, rows: dict[str, int]) -> dict[str, Any]:
    """Rows per file, class shares, pattern counts and calibration statistics."""
    return {
        "enterprises": reg.n,
        "seed": reg.seed,
        "reference_date": REFERENCE_DATE.isoformat(),
        "rows": rows,
        "class_shares": _shares(reg.classes, ("A", "B", "C", "D")),
        "patterns": _patterns(reg),
        "calibration": {
            **_firm_calibration(reg),
            **_link_calibration(reg, rows),
            **_risk_calibration(reg),
        },
    }
