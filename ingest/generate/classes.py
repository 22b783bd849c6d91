"""Stage 8, classes: the five SAMR indicator categories, standardised and combined into a
score, cut at the class quantiles (an active 严重违法失信 record forces D)."""

from __future__ import annotations

import numpy as np

from .arrays import Bools, Floats, Ints, zscore
from .params import (
    CLASS_SHARES,
    REF,
    REVOKED,
    SCORE_NOISE,
    SCORE_WEIGHTS,
    V_ABNORMAL,
    V_COMPLAINT,
    V_INSPECTION,
    V_LAWSUIT,
    V_PENALTY,
    V_SEVERE,
    YEAR,
)
from .registry import Registry


def _components(reg: Registry) -> dict[str, Floats]:
    """The five indicator categories per firm, standardised."""
    vio, people, risk, n = reg.violations, reg.people, reg.risk, reg.firms.n
    recent = np.exp(-(REF - vio.date) / (3 * YEAR))
    active = vio.status == 0

    def per_firm(mask: Bools, weight: Floats | float = 1.0) -> Floats:
        w = np.broadcast_to(np.asarray(weight, dtype=np.float64), mask.shape)[mask]
        return np.bincount(vio.firm[mask], weights=w, minlength=n).astype(np.float64)

    k = vio.kind
    regulatory = (
        per_firm((k == V_ABNORMAL) & active, 2.0 * recent)
        + per_firm((k == V_ABNORMAL) & ~active, 0.7 * recent)
        + per_firm(k == V_PENALTY, recent * (1.0 + np.log10(np.maximum(vio.amount, 1)) / 5))
        + per_firm((k == V_SEVERE) & active, 5.0)
        + per_firm(k == V_INSPECTION, 0.8 * recent)
    )
    social = per_firm(k == V_COMPLAINT, recent) + per_firm(k == V_LAWSUIT, 0.6 * recent)
    past = people.slot_until >= 0
    recent_changes = np.bincount(
        people.slot_firm[past & (people.slot_until > REF - 3 * YEAR)], minlength=n
    )
    dynamic = recent_changes + 0.3 * reg.changes + 2.0 * (risk.status == REVOKED)
    return {
        "basic": zscore(risk.attr),
        "dynamic": zscore(np.log1p(dynamic)),
        "regulatory": zscore(np.log1p(regulatory)),
        "association": zscore(risk.neighbour),
        "social": zscore(np.log1p(social)),
    }


def stage_classes(rng: np.random.Generator, reg: Registry) -> tuple[Ints, dict[str, Floats]]:
    """The class per firm (0-3 = A-D) and the score components it came from."""
    n, vio = reg.firms.n, reg.violations
    components = _components(reg)
    score = sum(SCORE_WEIGHTS[name] * comp for name, comp in components.items())
    score = np.asarray(score) + SCORE_NOISE * rng.standard_normal(n)
    severe_active = np.bincount(vio.firm[(vio.kind == V_SEVERE) & (vio.status == 0)], minlength=n)
    score = score + 100.0 * (severe_active > 0)
    order = np.argsort(-score, kind="stable")
    cuts = np.round(np.cumsum([CLASS_SHARES["D"], CLASS_SHARES["C"], CLASS_SHARES["B"]]) * n)
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(n)
    cls = np.where(
        ranks < cuts[0], 3, np.where(ranks < cuts[1], 2, np.where(ranks < cuts[2], 1, 0))
    )
    return cls.astype(np.int64), components
