"""Stage 2, pattern plan: shell-company rings and circular-shareholding loops."""

from __future__ import annotations

import numpy as np

from .arrays import Ints, pick_weighted
from .params import LLC, REF, SHELL_INDUSTRIES, YEAR
from .regions import Regions
from .registry import Firms, Plan, Registry
from .tables import INDUSTRIES

_SHELL_CAPITAL = np.asarray([100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0])  # 万元


def _make_shells(
    rng: np.random.Generator, f: Firms, regions: Regions, members: Ints, ring_id: Ints
) -> None:
    """Shell attributes: batch-registered in one place, round capital never paid in."""
    n_rings = int(ring_id.max(initial=-1)) + 1
    base = REF - rng.integers(int(0.5 * YEAR), int(4 * YEAR), n_rings)
    f.established[members] = np.minimum(base[ring_id] + rng.integers(0, 120, len(members)), REF - 1)
    ring_region = pick_weighted(rng, regions.firm_weight * regions.chengdu, n_rings)
    f.region[members] = ring_region[ring_id]
    f.industry[members] = rng.choice(
        [INDUSTRIES.codes.index(c) for c in SHELL_INDUSTRIES], size=len(members)
    )
    f.regcap[members] = (rng.choice(_SHELL_CAPITAL, len(members)) * 100).astype(np.int64)
    f.paidin[members] = 0


def stage_plan(rng: np.random.Generator, reg: Registry) -> Plan:
    """Choose the members of the planted patterns and give ring members shell attributes."""
    f = reg.firms
    n = f.n
    is_parent = np.zeros(n, dtype=bool)
    is_parent[f.branch_parent[f.branch_parent >= 0]] = True
    pool = np.flatnonzero((f.kind == LLC) & (f.group < 0) & (f.branch_parent < 0) & ~is_parent)
    pool = pool[rng.permutation(len(pool))]
    n_rings = max(3, round(n / 4000))
    ring_sizes = np.minimum(5 + rng.geometric(0.35, n_rings) - 1, 12)
    n_loops = max(3, round(n / 5000))
    loop_len = rng.choice([2, 3, 4], size=n_loops, p=[0.3, 0.4, 0.3]).astype(np.int64)
    need = int(ring_sizes.sum() + loop_len.sum())
    if need > len(pool) // 2:
        raise ValueError(f"too few enterprises ({n}) to plant the risk patterns")
    ring_members = pool[: int(ring_sizes.sum())]
    loop_members = pool[int(ring_sizes.sum()) : need]

    ring = np.full(n, -1, dtype=np.int64)
    ring_id = np.repeat(np.arange(n_rings), ring_sizes)
    ring[ring_members] = ring_id
    _make_shells(rng, f, reg.regions, ring_members, ring_id)

    loop = np.full(n, -1, dtype=np.int64)
    loop_pos = np.full(n, -1, dtype=np.int64)
    loop[loop_members] = np.repeat(np.arange(n_loops), loop_len)
    starts = np.r_[0, np.cumsum(loop_len)[:-1]]
    loop_pos[loop_members] = np.arange(len(loop_members)) - np.repeat(starts, loop_len)
    n_hot = max(2, round(n / 60000))
    return Plan(ring, n_rings, loop, loop_pos, loop_len, n_hot)
