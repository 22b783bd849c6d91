"""Stage 1, entities: org types, company groups, dates, regions, industries, capital and
branches."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import Floats, Ints, pick_weighted
from .params import (
    BRANCH_SHARE,
    COMPANY_KINDS,
    COOP,
    GROUP_SHARE,
    HOLDING_INDUSTRIES,
    INDIV,
    JSC,
    LLC,
    REF,
    ROUND_CAPITAL,
    SUBSCRIPTION_REFORM,
    YEAR,
)
from .regions import Regions
from .registry import Firms, Registry
from .tables import INDUSTRIES, NAME_PARTS, ORG_KINDS

_ROUND_CAPITAL = np.array(ROUND_CAPITAL, dtype=np.float64)


@dataclass
class _Groups:
    """Company groups: random recursive trees of main-entity rows, depth at most 3."""

    n_groups: int
    sizes: Ints
    members: Ints  # firm per member row
    gid: Ints  # group per member row
    starts: Ints  # first member row (the holding company) per group
    pos: Ints  # position of a member row within its group
    parent_row: Ints  # member row of the parent, -1 for roots
    depth: Ints

    @property
    def roots(self) -> Ints:
        """The holding company of each group."""
        return self.members[self.starts]


def _draw_capital(rng: np.random.Generator, kind: Ints, scale: Floats) -> Ints:
    """Log-normal registered capital per org kind (1/100 万元), mostly snapped to round
    amounts."""
    median = np.asarray(ORG_KINDS.capital_median)[kind] * scale
    sigma = np.asarray(ORG_KINDS.capital_sigma)[kind]
    wan = np.exp(np.log(median) + sigma * rng.standard_normal(len(kind)))
    wan = np.clip(wan, 0.1, 5_000_000.0)
    log_nice = np.log(_ROUND_CAPITAL)
    nearest = _ROUND_CAPITAL[np.searchsorted((log_nice[1:] + log_nice[:-1]) / 2, np.log(wan))]
    snap = rng.random(len(kind)) < np.where(kind == INDIV, 0.8, 0.7)
    wan = np.where(snap, nearest, wan)
    return np.round(wan * 100).astype(np.int64)


def _draw_paidin(rng: np.random.Generator, kind: Ints, est: Ints, regcap: Ints) -> Ints:
    n = len(kind)
    pre = est < SUBSCRIPTION_REFORM
    p_zero = np.asarray(ORG_KINDS.unpaid_share)[kind]
    p_full = np.asarray(ORG_KINDS.paid_share)[kind]
    p_zero = np.where(pre, 0.03, p_zero)
    p_full = np.where(pre, 0.85, p_full)
    u = rng.random(n)
    frac = rng.beta(2.0, 2.0, n)
    frac = np.where(u < p_zero, 0.0, np.where(u < p_zero + p_full, 1.0, frac))
    return np.floor(regcap * frac).astype(np.int64)


def _draw_age_days(rng: np.random.Generator, size: int) -> Ints:
    age = rng.exponential(7.0 * YEAR, size)
    too_old = age > 30 * YEAR - 1
    age[too_old] = rng.uniform(0, 30 * YEAR - 1, int(too_old.sum()))
    return np.maximum(age.astype(np.int64), 1)


def draw_brands(rng: np.random.Generator, size: int, three_share: float) -> Ints:
    """Brand words of two or three characters, encoded as one integer each."""
    nb = len(NAME_PARTS.brand_chars)
    c1 = rng.integers(0, nb, size)
    c2 = (c1 + rng.integers(1, nb, size)) % nb
    c3 = np.where(rng.random(size) < three_share, rng.integers(0, nb, size), -1)
    brand: Ints = (c1 * 1_000_000 + c2 * 1_000 + (c3 + 1)).astype(np.int64)
    return brand


def _draw_groups(rng: np.random.Generator, n_main: int) -> _Groups:
    """Group sizes and members; the trees are grown by ``_grow_trees``."""
    target = int(n_main * GROUP_SHARE)
    draws = np.minimum(2 + np.floor(rng.pareto(1.5, max(1, target)) * 3), 60).astype(np.int64)
    n_groups = int(np.searchsorted(np.cumsum(draws), target) + 1) if target >= 2 else 0
    sizes = draws[:n_groups]
    members = rng.choice(n_main, size=int(sizes.sum()), replace=False).astype(np.int64)
    starts = np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64)
    return _Groups(
        n_groups=n_groups,
        sizes=sizes,
        members=members,
        gid=np.repeat(np.arange(n_groups), sizes),
        starts=starts,
        pos=np.arange(len(members)) - np.repeat(starts, sizes),
        parent_row=np.full(len(members), -1, dtype=np.int64),
        depth=np.zeros(len(members), dtype=np.int64),
    )


def _grow_trees(rng: np.random.Generator, g: _Groups, est_main: Ints) -> None:
    """Attach each member to an earlier one (depth capped at 3), established after it."""
    est_main[g.roots] = np.minimum(
        est_main[g.roots], REF - rng.integers(int(5 * YEAR), int(28 * YEAR), g.n_groups)
    )
    by_pos = np.argsort(g.pos, kind="stable")
    bounds = np.searchsorted(g.pos[by_pos], np.arange(int(g.pos.max(initial=0)) + 2))
    for p in range(1, int(g.pos.max(initial=0)) + 1):
        rows = by_pos[bounds[p] : bounds[p + 1]]
        cand = g.starts[g.gid[rows]] + np.floor(rng.random(len(rows)) * p).astype(np.int64)
        deep = g.depth[cand] >= 3
        cand = np.where(deep, g.parent_row[cand], cand)
        g.parent_row[rows] = cand
        g.depth[rows] = g.depth[cand] + 1
        parent_est = est_main[g.members[cand]]
        child = np.maximum(
            est_main[g.members[rows]], parent_est + rng.integers(60, 2000, len(rows))
        )
        est_main[g.members[rows]] = np.minimum(child, REF - 1)


def _draw_regions(rng: np.random.Generator, kind: Ints, g: _Groups, regions: Regions) -> Ints:
    """Cooperatives in rural counties; subsidiaries often beside their parent."""
    region = pick_weighted(rng, regions.firm_weight, len(kind))
    coop = np.flatnonzero(kind == COOP)
    region[coop] = pick_weighted(rng, regions.firm_weight * regions.countryside, len(coop))
    child_rows = np.flatnonzero(g.parent_row >= 0)
    same = child_rows[rng.random(len(child_rows)) < 0.5]
    for p in range(1, int(g.pos.max(initial=0)) + 1):  # parents before children
        rows = same[g.pos[same] == p]
        region[g.members[rows]] = region[g.members[g.parent_row[rows]]]
    return region


def _draw_industries(rng: np.random.Generator, kind: Ints, g: _Groups) -> Ints:
    """Industries per org type; holding companies in 企业总部管理 / 投资与资产管理."""
    industry = np.zeros(len(kind), dtype=np.int64)
    for k in range(len(ORG_KINDS.names)):
        idx = np.flatnonzero(kind == k)
        industry[idx] = pick_weighted(rng, ORG_KINDS.industry_weights(k, INDUSTRIES), len(idx))
    holding = g.roots[rng.random(g.n_groups) < 0.6]
    industry[holding] = rng.choice(
        [INDUSTRIES.codes.index(c) for c in HOLDING_INDUSTRIES], size=len(holding)
    )
    return industry


def _draw_branches(
    rng: np.random.Generator, firms: Firms, n_branch: int, regions: Regions
) -> Firms:
    """Append branches (分公司) of larger companies, registered in Chengdu districts."""
    kind, regcap, est_main = firms.kind, firms.regcap, firms.established
    eligible = np.flatnonzero(np.isin(kind, COMPANY_KINDS))
    w = np.sqrt(regcap[eligible].astype(np.float64) + 100.0)
    parents = eligible[pick_weighted(rng, w, n_branch)] if n_branch else np.zeros(0, np.int64)
    b_est = np.minimum(est_main[parents] + rng.integers(30, 3000, n_branch), REF - 1)
    b_est = np.maximum(b_est, est_main[parents])
    b_region = pick_weighted(rng, regions.firm_weight * regions.chengdu, n_branch)

    def ext(main: Ints, tail: Ints) -> Ints:
        return np.concatenate([main, tail]).astype(np.int64)

    minus = np.full(n_branch, -1, dtype=np.int64)
    return Firms(
        n=firms.n_main + n_branch,
        n_main=firms.n_main,
        kind=ext(kind, kind[parents]),
        branch_parent=ext(firms.branch_parent, parents),
        group=ext(firms.group, minus),
        group_parent=ext(firms.group_parent, minus),
        group_depth=ext(firms.group_depth, minus),
        established=ext(est_main, b_est),
        region=ext(firms.region, b_region),
        industry=ext(firms.industry, firms.industry[parents]),
        regcap=ext(regcap, minus),
        paidin=ext(firms.paidin, minus),
        brand=ext(firms.brand, firms.brand[parents]),
    )


def _group_columns(g: _Groups, n_main: int) -> tuple[Ints, Ints, Ints]:
    """Per main entity: its group, controlling parent and depth (-1 outside groups)."""
    group = np.full(n_main, -1, dtype=np.int64)
    group[g.members] = g.gid
    group_parent = np.full(n_main, -1, dtype=np.int64)
    group_parent[g.members] = np.where(
        g.parent_row >= 0, g.members[np.maximum(g.parent_row, 0)], -1
    )
    group_depth = np.full(n_main, -1, dtype=np.int64)
    group_depth[g.members] = g.depth
    return group, group_parent, group_depth


def stage_entities(rng: np.random.Generator, reg: Registry) -> Firms:
    """Market entities: main entities by org type in company groups, then branches."""
    n_branch = round(reg.n * BRANCH_SHARE) if reg.n >= 200 else 0
    n_main = reg.n - n_branch
    kind = rng.choice(6, size=n_main, p=np.asarray(ORG_KINDS.share)).astype(np.int64)
    g = _draw_groups(rng, n_main)
    est_main = REF - _draw_age_days(rng, n_main)
    _grow_trees(rng, g, est_main)
    kind[g.members] = LLC
    kind[g.roots] = np.where(rng.random(g.n_groups) < 0.25, JSC, LLC)
    region = _draw_regions(rng, kind, g, reg.regions)
    industry = _draw_industries(rng, kind, g)
    scale = np.ones(n_main)
    scale[g.members] = 4.0
    scale[g.roots] = np.where(kind[g.roots] == JSC, 3.0, 20.0)
    regcap = _draw_capital(rng, kind, scale)
    paidin = _draw_paidin(rng, kind, est_main, regcap)
    brand = draw_brands(rng, n_main, 0.3)
    brand[g.members] = brand[g.roots][g.gid]  # a group shares its brand
    group, group_parent, group_depth = _group_columns(g, n_main)
    main = Firms(
        n=n_main,
        n_main=n_main,
        kind=kind,
        branch_parent=np.full(n_main, -1, dtype=np.int64),
        group=group,
        group_parent=group_parent,
        group_depth=group_depth,
        established=est_main,
        region=region,
        industry=industry,
        regcap=regcap,
        paidin=paidin,
        brand=brand,
    )
    return _draw_branches(rng, main, n_branch, reg.regions)
