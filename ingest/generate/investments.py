"""Stage 5, investments: shareholders with integer basis-point ratios (sum <= 1 per
investee): persons, group parents and older firms (so ordinary enterprise holdings form a
DAG), plus the planted loops A -> B -> ... -> A."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import Bools, Ints
from .params import COOP, INVESTOR_KINDS, JSC, LLC, PART, REF, SOLE
from .people import fill_regular
from .registry import Firms, Investments, Registry


@dataclass
class _Holdings:
    """Shareholding rows before investors are chosen (one row per shareholder)."""

    investee: Ints
    first: Bools  # the investee's first row
    kids: Bools  # per firm: a group subsidiary
    kid_full: Bools  # per firm: a subsidiary wholly owned by its parent
    jsc: Bools  # per firm: an ordinary joint-stock company


def _split_bp(rng: np.random.Generator, owner: Ints, total: Ints) -> Ints:
    """Random integer basis points per row summing to ``total[owner]`` per owner.

    ``owner`` must be sorted; the largest share goes to the owner's first row.
    """
    share = rng.gamma(1.2, 1.0, len(owner))
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    sums = np.add.reduceat(share, starts)
    counts = np.diff(np.r_[starts, len(owner)])
    frac = share / np.repeat(sums, counts)
    # Largest share first within each owner.
    order = np.lexsort((-frac, owner))
    frac = frac[order]
    t = np.repeat(total[owner[starts]], counts)
    bp: Ints = np.floor(frac * t).astype(np.int64)
    deficit = total[owner[starts]] - np.add.reduceat(bp, starts)
    bp[starts] += deficit
    return bp


def _older_firm(rng: np.random.Generator, f: Firms, pool: Ints, investee: Ints) -> Ints:
    """A random firm from ``pool`` established strictly before each investee, or -1."""
    order = np.argsort(f.established[pool], kind="stable")
    sorted_pool = pool[order]
    sorted_est = f.established[sorted_pool]
    cnt = np.searchsorted(sorted_est, f.established[investee], side="left")
    pick = np.floor(rng.random(len(investee)) * cnt).astype(np.int64)
    return np.where(cnt > 0, sorted_pool[np.minimum(pick, len(sorted_pool) - 1)], -1)


def _holdings(rng: np.random.Generator, reg: Registry) -> _Holdings:
    """The number of shareholders per firm by org type and group role."""
    f, plan, n = reg.firms, reg.plan, reg.firms.n
    main = f.branch_parent < 0
    in_group = f.group >= 0
    n_sh = np.zeros(n, dtype=np.int64)
    u = rng.random(n)
    ordinary = main & ~in_group & (plan.ring < 0)
    llc = ordinary & (f.kind == LLC)
    n_sh[llc] = rng.choice([1, 2, 3, 4, 5], size=int(llc.sum()), p=[0.35, 0.4, 0.15, 0.07, 0.03])
    jsc = ordinary & (f.kind == JSC)
    n_sh[jsc] = rng.integers(3, 9, int(jsc.sum()))
    n_sh[ordinary & (f.kind == SOLE)] = 1
    part = ordinary & (f.kind == PART)
    n_sh[part] = rng.integers(2, 5, int(part.sum()))
    coop = ordinary & (f.kind == COOP)
    n_sh[coop] = rng.integers(5, 11, int(coop.sum()))
    roots = main & in_group & (f.group_depth == 0)
    n_sh[roots] = rng.integers(1, 3, int(roots.sum()))
    kids = main & in_group & (f.group_depth > 0)
    kid_full = kids & (u < 0.35)
    n_sh[kids] = np.where(kid_full[kids], 1, rng.integers(2, 4, int(kids.sum())))
    n_sh[plan.ring >= 0] = 1
    investee = np.repeat(np.arange(n), n_sh)
    first = np.r_[True, investee[1:] != investee[:-1]] if len(investee) else np.zeros(0, bool)
    return _Holdings(investee, first, kids, kid_full, jsc)


def _investors(rng: np.random.Generator, reg: Registry, h: _Holdings) -> tuple[Ints, Bools]:
    """The investor of each row and whether it is a firm (else a person)."""
    f, plan, people = reg.firms, reg.plan, reg.people
    investee, first = h.investee, h.first
    in_group = f.group >= 0
    planted = (plan.ring >= 0) | (plan.loop >= 0)
    is_firm = np.zeros(len(investee), dtype=bool)
    investor = np.full(len(investee), -1, dtype=np.int64)
    r = rng.random(len(investee))
    # Enterprise investors: older firms, so ordinary holdings form a DAG.
    pool = np.flatnonzero((f.branch_parent < 0) & np.isin(f.kind, INVESTOR_KINDS) & ~planted)
    kind_row = f.kind[investee]
    want_firm = (
        (
            ((kind_row == JSC) & (r < 0.3))
            | ((kind_row == PART) & first & (r < 0.35))
            | ((kind_row == PART) & ~first & (r < 0.2))
            | ((kind_row == LLC) & ~first & (r < 0.05))
        )
        & ~in_group[investee]
        & ~planted[investee]
    )
    cand = _older_firm(rng, f, pool, investee[want_firm])
    rows = np.flatnonzero(want_firm)[cand >= 0]
    investor[rows] = cand[cand >= 0]
    is_firm[rows] = True
    # Group subsidiaries: the controlling parent is the first shareholder.
    grp_first = first & h.kids[investee]
    investor[grp_first] = f.group_parent[investee[grp_first]]
    is_firm[grp_first] = True
    # Persons: the legal representative usually holds the largest stake.
    person_rows = ~is_firm
    lr_first = person_rows & first & (r < np.where(kind_row == SOLE, 0.9, 0.8))
    lr_first |= person_rows & first & (plan.ring[investee] >= 0)
    investor[lr_first] = people.slot_person[: f.n][investee[lr_first]]
    core_rows = person_rows & (investor < 0) & in_group[investee] & (r < 0.6)
    investor[core_rows] = people.group_core[f.group[investee[core_rows]]]
    todo = np.flatnonzero(investor < 0)
    investor[todo] = fill_regular(rng, reg.persons, len(todo), 0.75)
    return investor, is_firm


def _ratios(rng: np.random.Generator, n: int, h: _Holdings) -> Ints:
    """Integer basis points summing to 1 per investee (JSC often less: unregistered float);
    a subsidiary's parent holds 51 %-100 %."""
    investee = h.investee
    total = np.full(n, 10_000, dtype=np.int64)
    partial = h.jsc & (rng.random(n) < 0.4)
    total[partial] = rng.integers(5_000, 9_500, int(partial.sum()))
    bp = _split_bp(rng, investee, total) if len(investee) else np.zeros(0, np.int64)
    starts = np.flatnonzero(h.first)
    kid_start = starts[h.kids[investee[starts]]]
    parent_bp = np.where(
        h.kid_full[investee[kid_start]],
        10_000,
        (rng.integers(5_100, 10_000, len(kid_start)) // 100) * 100,
    )
    bp[kid_start] = parent_bp
    others = np.flatnonzero(h.kids[investee] & ~h.first)
    if len(others):
        rest = 10_000 - parent_bp
        rest_of = np.zeros(n, dtype=np.int64)
        rest_of[investee[kid_start]] = rest
        sub = _split_bp(rng, investee[others], rest_of)
        bp[others] = sub
    return bp


def _loop_edges(reg: Registry) -> tuple[Ints, Ints]:
    """Planted circular shareholding: member j invests in member j+1 (mod length).

    Returns the investor and investee firm of each loop edge.
    """
    plan = reg.plan
    lm = np.flatnonzero(plan.loop >= 0)
    lm = lm[np.lexsort((plan.loop_pos[lm], plan.loop[lm]))]
    lid = plan.loop[lm]
    nxt_pos = (plan.loop_pos[lm] + 1) % plan.loop_len[lid]
    starts_l = np.r_[0, np.cumsum(plan.loop_len)[:-1]]
    return lm, lm[starts_l[lid] + nxt_pos]


def _since(
    rng: np.random.Generator, reg: Registry, h: _Holdings, investor: Ints, is_firm: Bools
) -> Ints:
    """Founders hold since the founding, others since later; never before the investor."""
    f = reg.firms
    since = f.established[h.investee].copy()
    founder = rng.random(len(h.investee)) < 0.75
    span = REF - since
    since = np.where(
        founder, since, since + np.floor(rng.random(len(since)) * span).astype(np.int64)
    )
    firm_rows = np.flatnonzero(is_firm)
    since[firm_rows] = np.maximum(since[firm_rows], f.established[investor[firm_rows]])
    return since


def stage_investments(rng: np.random.Generator, reg: Registry) -> Investments:
    """Shareholdings of every firm plus the planted loops, repeats merged."""
    f = reg.firms
    h = _holdings(rng, reg)
    investor, is_firm = _investors(rng, reg, h)
    bp = _ratios(rng, f.n, h)
    lm, loop_investee = _loop_edges(reg)
    loop_bp = rng.integers(10, 41, len(lm)) * 100
    scale = np.ones(f.n)
    scale[loop_investee] = (10_000 - loop_bp) / 10_000
    bp = np.floor(bp * scale[h.investee]).astype(np.int64)
    since = _since(rng, reg, h, investor, is_firm)
    loop_since = np.minimum(
        np.maximum(f.established[lm], f.established[loop_investee])
        + rng.integers(30, 366, len(lm)),
        REF,
    )
    inv = Investments(
        investee=np.r_[h.investee, loop_investee],
        is_firm=np.r_[is_firm, np.ones(len(lm), dtype=bool)],
        investor=np.r_[investor, lm],
        bp=np.r_[bp, loop_bp],
        since=np.r_[since, loop_since],
    )
    return _merge_duplicate_holdings(inv)


def _merge_duplicate_holdings(inv: Investments) -> Investments:
    key = (inv.investee * 2 + inv.is_firm) * (1 << 31) + inv.investor
    order = np.argsort(key, kind="stable")
    k = key[order]
    start = np.r_[True, k[1:] != k[:-1]] if len(k) else np.zeros(0, bool)
    idx = np.flatnonzero(start)
    bp = np.add.reduceat(inv.bp[order], idx) if len(idx) else np.zeros(0, np.int64)
    since = np.minimum.reduceat(inv.since[order], idx) if len(idx) else np.zeros(0, np.int64)
    sel = order[idx]
    keep = bp > 0
    return Investments(
        investee=inv.investee[sel][keep],
        is_firm=inv.is_firm[sel][keep],
        investor=inv.investor[sel][keep],
        bp=bp[keep],
        since=since[keep],
    )
