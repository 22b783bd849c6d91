"""Stage 11, monitor plants: the patterns of rules R15 and R18-R22, planted after the
classes are drawn (so they do not move the class shares) with their ground truth.

Each plant takes firms no earlier plant (nor a shell ring, loop or hotspot) holds:

* ``abnormal_region_surge`` (R15): one district gets a burst of abnormal listings
  (经营异常名录) in the month before the reference date, at least three times the
  month before; its members are every firm of that district listed in that month.
* ``officer_churn`` (R18): 5-7 new officers within the last year.
* ``young_firm_large_penalty`` (R19): a penalty of 50-500 万元 within a year of founding.
* ``listed_investors`` (R20): every shareholder replaced by 2-3 shell-ring firms (listed).
* ``revoked_parent_branch`` (R21): head offices of branches revoked (吊销) with the
  revocation penalty; members are every operating branch of a revoked head office.
* ``paid_in_excess`` (R22): paid-in capital 2-10 times the registered capital.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .arrays import Bools, Ints
from .params import (
    ACTIVE,
    CANCELLED,
    IN_BUSINESS,
    JSC,
    LLC,
    MOVED,
    R_DIRECTOR,
    R_FINANCE,
    R_MANAGER,
    R_SUPERVISOR,
    REF,
    REFERENCE_DATE,
    REVOKED,
    V_ABNORMAL,
    V_PENALTY,
    YEAR,
)
from .people import fill_regular
from .registry import Registry, Truth, Violations

_EPOCH = dt.date(1970, 1, 1)


def months_before(months: int) -> int:
    """The day ``months`` calendar months before the reference date (day clipped)."""
    year, month = divmod(REFERENCE_DATE.year * 12 + REFERENCE_DATE.month - 1 - months, 12)
    day = REFERENCE_DATE.day
    while True:
        try:
            return (dt.date(year, month + 1, day) - _EPOCH).days
        except ValueError:
            day -= 1


def _operating(reg: Registry) -> Bools:
    return np.isin(reg.risk.status, (ACTIVE, IN_BUSINESS))


def _free(reg: Registry, used: Bools) -> Bools:
    """Firms no plant holds yet, outside rings, loops and hotspots."""
    plan = reg.plan
    return ~used & (plan.ring < 0) & (plan.loop < 0) & (reg.sites.hotspot < 0)


def _pick(rng: np.random.Generator, mask: Bools, k: int, used: Bools) -> Ints:
    pool = np.flatnonzero(mask)
    chosen = np.sort(rng.choice(pool, size=min(k, len(pool)), replace=False))
    used[chosen] = True
    return chosen.astype(np.int64)


def _add_violations(
    reg: Registry, firm: Ints, kind: int, date: Ints, amount: Ints | None = None
) -> None:
    vio, k = reg.violations, len(firm)
    reg.violations = Violations(
        firm=np.r_[vio.firm, firm].astype(np.int64),
        kind=np.r_[vio.kind, np.full(k, kind)].astype(np.int64),
        date=np.r_[vio.date, date].astype(np.int64),
        status=np.r_[vio.status, np.zeros(k, dtype=np.int64)],
        removed=np.r_[vio.removed, np.full(k, -1, dtype=np.int64)],
        amount=np.r_[vio.amount, amount if amount is not None else np.full(k, -1)].astype(np.int64),
    )


def _listed_between(reg: Registry, lo: int, hi: int) -> Bools:
    """Firms with an abnormal listing dated in (lo, hi]."""
    vio = reg.violations
    hit = (vio.kind == V_ABNORMAL) & (vio.date > lo) & (vio.date <= hi)
    out = np.zeros(reg.firms.n, dtype=bool)
    out[vio.firm[hit]] = True
    return out


def _region_surge(rng: np.random.Generator, reg: Registry, used: Bools) -> Ints:
    f = reg.firms
    latest, before = months_before(1), months_before(2)
    live = ~np.isin(reg.risk.status, (CANCELLED, MOVED))
    counts = np.bincount(f.region[_operating(reg)], minlength=len(reg.regions.codes))
    region = int(rng.choice(np.argsort(-counts, kind="stable")[:5]))
    in_region = f.region == region
    prev = int((_listed_between(reg, before, latest) & in_region & live).sum())
    now = _listed_between(reg, latest, REF) & in_region & live
    k = max(12, round(f.n / 1500), 3 * prev + 4 - int(now.sum()))
    mask = in_region & _operating(reg) & _free(reg, used) & ~now & (f.established < REF - 90)
    chosen = _pick(rng, mask, k, used)
    _add_violations(reg, chosen, V_ABNORMAL, rng.integers(latest + 1, REF + 1, len(chosen)))
    members = np.flatnonzero(_listed_between(reg, latest, REF) & in_region & live)
    used[members] = True
    return members.astype(np.int64)


def _officer_churn(rng: np.random.Generator, reg: Registry, used: Bools) -> Ints:
    f, people = reg.firms, reg.people
    company = np.isin(f.kind, (LLC, JSC)) & (f.branch_parent < 0)
    mask = company & _operating(reg) & _free(reg, used) & (f.established < REF - int(2 * YEAR))
    chosen = _pick(rng, mask, max(5, round(f.n / 2000)), used)
    per = rng.integers(5, 8, len(chosen))
    firm = np.repeat(chosen, per)
    roles = np.asarray([R_DIRECTOR, R_SUPERVISOR, R_MANAGER, R_FINANCE])
    people.slot_firm = np.r_[people.slot_firm, firm]
    people.slot_role = np.r_[people.slot_role, rng.choice(roles, len(firm))]
    people.slot_person = np.r_[people.slot_person, fill_regular(rng, reg.persons, len(firm), 1.0)]
    people.slot_since = np.r_[people.slot_since, rng.integers(REF - 330, REF, len(firm))]
    people.slot_until = np.r_[people.slot_until, np.full(len(firm), -1, dtype=np.int64)]
    return chosen


def _large_penalty(rng: np.random.Generator, reg: Registry, used: Bools) -> Ints:
    f = reg.firms
    young = (f.established > REF - int(2.5 * YEAR)) & (f.established < REF - 60)
    mask = young & (f.branch_parent < 0) & _operating(reg) & _free(reg, used)
    chosen = _pick(rng, mask, max(5, round(f.n / 2500)), used)
    span = np.minimum(330, REF - f.established[chosen] - 1)
    date = f.established[chosen] + 30 + np.floor(rng.random(len(chosen)) * (span - 30))
    amount = rng.integers(50, 501, len(chosen)) * 10_000
    _add_violations(reg, chosen, V_PENALTY, date.astype(np.int64), amount.astype(np.int64))
    return chosen


def _listed_investors(rng: np.random.Generator, reg: Registry, used: Bools) -> Ints:
    f, inv, plan = reg.firms, reg.investments, reg.plan
    is_investor = np.zeros(f.n, dtype=bool)
    is_investor[inv.investor[inv.is_firm]] = True
    is_parent = np.zeros(f.n, dtype=bool)
    is_parent[f.branch_parent[f.branch_parent >= 0]] = True
    mask = (f.kind == LLC) & (f.group < 0) & (f.branch_parent < 0) & ~is_parent & ~is_investor
    chosen = _pick(rng, mask & _operating(reg) & _free(reg, used), max(4, round(f.n / 4000)), used)
    shells = np.flatnonzero(plan.ring >= 0)
    keep = ~np.isin(inv.investee, chosen)
    per = rng.integers(2, 4, len(chosen))
    investee = np.repeat(chosen, per)
    investor = np.concatenate([rng.choice(shells, k, replace=False) for k in per])
    cuts = [
        np.diff(np.r_[0, np.sort(rng.choice(np.arange(1, 20), k - 1, replace=False)), 20])
        for k in per
    ]
    bp = np.concatenate(cuts) * 500
    since = np.minimum(np.maximum(f.established[investee], f.established[investor]) + 30, REF)
    reg.investments.investee = np.r_[inv.investee[keep], investee].astype(np.int64)
    reg.investments.is_firm = np.r_[inv.is_firm[keep], np.ones(len(investee), dtype=bool)]
    reg.investments.investor = np.r_[inv.investor[keep], investor].astype(np.int64)
    reg.investments.bp = np.r_[inv.bp[keep], bp].astype(np.int64)
    reg.investments.since = np.r_[inv.since[keep], since].astype(np.int64)
    return chosen


def _revoked_parents(rng: np.random.Generator, reg: Registry, used: Bools) -> Ints:
    f, status = reg.firms, reg.risk.status
    branch = np.flatnonzero(f.branch_parent >= 0)
    with_branch = np.zeros(f.n, dtype=bool)
    with_branch[f.branch_parent[branch[np.isin(status[branch], (ACTIVE, IN_BUSINESS))]]] = True
    parents = _pick(
        rng, with_branch & _operating(reg) & _free(reg, used), max(3, round(f.n / 5000)), used
    )
    status[parents] = REVOKED
    lo = np.maximum(f.established[parents], REF - int(YEAR))
    date = lo + np.floor(rng.random(len(parents)) * (REF - lo)).astype(np.int64)
    _add_violations(reg, parents, V_PENALTY, date)
    operating = np.isin(status[branch], (ACTIVE, IN_BUSINESS))
    members: Ints = branch[operating & (status[f.branch_parent[branch]] == REVOKED)]
    used[members] = True
    return members


def _paid_in_excess(rng: np.random.Generator, reg: Registry, used: Bools) -> Ints:
    f = reg.firms
    company = np.isin(f.kind, (LLC, JSC)) & (f.branch_parent < 0) & (f.regcap >= 100)
    chosen = _pick(
        rng, company & _operating(reg) & _free(reg, used), max(5, round(f.n / 2500)), used
    )
    f.paidin[chosen] = f.regcap[chosen] * rng.choice([2, 3, 5, 10], len(chosen))
    return chosen


def stage_monitors(rng: np.random.Generator, reg: Registry) -> Truth:
    """Plant the monitor patterns; the members of each, by pattern name."""
    used = np.zeros(reg.firms.n, dtype=bool)
    return {
        "abnormal_region_surge": _region_surge(rng, reg, used),
        "officer_churn": _officer_churn(rng, reg, used),
        "young_firm_large_penalty": _large_penalty(rng, reg, used),
        "listed_investors": _listed_investors(rng, reg, used),
        "revoked_parent_branch": _revoked_parents(rng, reg, used),
        "paid_in_excess": _paid_in_excess(rng, reg, used),
    }
