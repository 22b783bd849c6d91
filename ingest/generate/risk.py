"""Stage 6, latent risk: attributes plus noise and planted-pattern boosts, then rounds of
contagion over investment, branch, shared-person and shared-address neighbours; the
registration status follows from it."""

from __future__ import annotations

import numpy as np

from .arrays import Bools, Floats, Ints, sigmoid, zscore
from .params import (
    ACTIVE,
    CANCELLED,
    CONTAGION_ALPHA,
    CONTAGION_ROUNDS,
    IN_BUSINESS,
    JSC,
    LLC,
    MOVED,
    PART,
    REF,
    REVOKED,
    YEAR,
)
from .registry import Registry, Risk
from .tables import INDUSTRIES, ORG_KINDS

_WEIGHTS = {"firm": 1.5, "person": 1.0, "address": 0.5}  # of the neighbour kinds


def abnormal_hotspot_firms(rng: np.random.Generator, reg: Registry) -> Bools:
    """Firms of the hotspot buildings that get listed abnormal (30-50 % of them)."""
    return (reg.sites.hotspot >= 0) & (rng.random(reg.firms.n) < rng.uniform(0.3, 0.5))


def _attribute_risk(reg: Registry) -> Floats:
    f, sites = reg.firms, reg.sites
    age = (REF - f.established) / YEAR
    kind_off = np.asarray(ORG_KINDS.risk)[f.kind]
    regcap = np.maximum(f.regcap, 0) / 100.0
    company = np.isin(f.kind, (LLC, JSC, PART)) & (f.branch_parent < 0)
    unpaid = company & (f.paidin == 0)
    full = (f.paidin >= f.regcap) & (f.regcap > 0)
    risk: Floats = (
        0.6 * np.exp(-age / 1.5)
        - 0.25 * (age > 10)
        + kind_off
        + INDUSTRIES.risk[f.industry]
        + 0.30 * unpaid
        + 0.20 * (unpaid & (regcap >= 1000))
        - 0.15 * full
        + 0.10 * (company & (regcap < 10))
        + 0.30 * (sites.building >= 0)
        + 0.30 * reg.people.hub_firm
        - 0.10 * (f.branch_parent >= 0)
    )
    return risk


def _pair_means(firm: Ints, other: Ints, r: Floats, n: int) -> tuple[Floats, Floats]:
    """Per firm: sum over its (firm, other) pairs of the mean risk of the other firms
    sharing ``other`` (self excluded), and the number of such pairs."""
    s = np.bincount(other, weights=r[firm])
    c = np.bincount(other)
    cnt = c[other] - 1
    ok = cnt > 0
    val = (s[other][ok] - r[firm][ok]) / cnt[ok]
    return (
        np.bincount(firm[ok], weights=val, minlength=n).astype(np.float64),
        np.bincount(firm[ok], minlength=n).astype(np.float64),
    )


def _contagion(reg: Registry, r0: Floats) -> tuple[Floats, Floats]:
    """Latent risk after contagion and the neighbours' mean latent risk (last round)."""
    f, inv, people, n = reg.firms, reg.investments, reg.people, reg.firms.n
    # Relations: firm-firm (investments, branches), shared persons, shared address.
    fi = inv.is_firm
    a = np.r_[inv.investor[fi], np.flatnonzero(f.branch_parent >= 0)]
    b = np.r_[inv.investee[fi], f.branch_parent[f.branch_parent >= 0]]
    src, dst = np.r_[a, b], np.r_[b, a]
    pf = np.r_[people.slot_firm, inv.investee[~fi]]
    pp = np.r_[people.slot_person, inv.investor[~fi]]
    pairs = np.unique(pf * (1 << 31) + pp)
    pair_firm, pair_person = pairs >> 31, pairs & ((1 << 31) - 1)
    r = r0.copy()
    neighbour = np.zeros(n)
    for _ in range(CONTAGION_ROUNDS):
        num_f = np.bincount(dst, weights=r[src], minlength=n)
        den_f = np.bincount(dst, minlength=n).astype(np.float64)
        num_p, den_p = _pair_means(pair_firm, pair_person, r, n)
        num_a, den_a = _pair_means(np.arange(n), reg.sites.site, r, n)
        num = _WEIGHTS["firm"] * num_f + _WEIGHTS["person"] * num_p + _WEIGHTS["address"] * num_a
        den = _WEIGHTS["firm"] * den_f + _WEIGHTS["person"] * den_p + _WEIGHTS["address"] * den_a
        has = den > 0
        neighbour = np.where(has, num / np.maximum(den, 1e-12), np.nan)
        r = np.where(has, (1 - CONTAGION_ALPHA) * r0 + CONTAGION_ALPHA * neighbour, r0)
    fill = float(np.nanmean(neighbour)) if np.isfinite(neighbour).any() else 0.0
    return r, np.where(np.isfinite(neighbour), neighbour, fill)


def _status(rng: np.random.Generator, reg: Registry, r: Floats) -> Ints:
    """Status: revocation rises with risk; planted shells stay registered (存续/在业)."""
    f, plan, n = reg.firms, reg.plan, reg.firms.n
    z = zscore(r)
    age = (REF - f.established) / YEAR
    u = rng.random(n)
    p_revoke = sigmoid(-3.8 + 1.2 * z) * (age > 2)
    p_cancel = 0.06 * (age > 1)
    p_move = 0.01 * np.ones(n)
    status = np.where(rng.random(n) < 0.12, IN_BUSINESS, ACTIVE)
    status = np.where(u < p_revoke, REVOKED, status)
    status = np.where((u >= p_revoke) & (u < p_revoke + p_cancel), CANCELLED, status)
    status = np.where(
        (u >= p_revoke + p_cancel) & (u < p_revoke + p_cancel + p_move), MOVED, status
    )
    keep_live = (plan.ring >= 0) | (plan.loop >= 0) | (reg.sites.hotspot >= 0)
    status = np.where(keep_live & (status >= REVOKED), ACTIVE, status)
    return status.astype(np.int64)


def stage_risk(rng: np.random.Generator, reg: Registry) -> Risk:
    """Latent risk per firm and the registration status it leads to."""
    plan, sites = reg.plan, reg.sites
    attr = _attribute_risk(reg)
    boost = (
        2.2 * (plan.ring >= 0)
        + 2.0 * (plan.loop >= 0)
        + 2.0 * reg.abnormal_hot
        + 0.4 * (sites.hotspot >= 0)
    )
    r0 = attr + boost + 0.7 * rng.standard_normal(reg.firms.n)
    r, neighbour = _contagion(reg, r0)
    return Risk(attr=attr, latent=r, neighbour=neighbour, status=_status(rng, reg, r))
