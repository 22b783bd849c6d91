"""Stage 7a, legal-representative changes: their number rises with latent risk."""

from __future__ import annotations

import numpy as np

from .arrays import Ints, group_rank, zscore
from .params import R_CHAIR, R_EXEC, R_LEGAL, R_MANAGER, REF, YEAR
from .people import fill_regular
from .registry import Registry


def _change_dates(rng: np.random.Generator, reg: Registry) -> tuple[Ints, Ints, Ints]:
    """The number of changes per firm, and the firm and date of each change (sorted)."""
    f = reg.firms
    z = zscore(reg.risk.latent)
    age = (REF - f.established) / YEAR
    lam = 0.22 * np.clip(age / 4, 0.1, 1.5) * np.exp(0.75 * z)
    k = np.minimum(rng.poisson(lam), 8)
    k[REF - f.established < 60] = 0
    firm = np.repeat(np.arange(f.n), k)
    lo = f.established[firm] + 30
    d = lo + np.floor(rng.random(len(firm)) * (REF - lo)).astype(np.int64)
    order = np.lexsort((d, firm))
    return k.astype(np.int64), firm[order], d[order]


def stage_lr_history(rng: np.random.Generator, reg: Registry) -> Ints:
    """Past legal representatives as ended slots; returns the number of changes per firm."""
    f, people, n = reg.firms, reg.people, reg.firms.n
    k, firm, d = _change_dates(rng, reg)
    pos = group_rank(firm, d)
    prev = np.r_[0, d[:-1]]
    since = np.where(pos == 0, f.established[firm], prev)
    last = np.flatnonzero(np.r_[firm[1:] != firm[:-1], True]) if len(firm) else np.zeros(0, int)
    # Current representative (and roles held with it) since the last change.
    lr_since = f.established.copy()
    lr_since[firm[last]] = d[last]
    people.slot_since[:n] = lr_since
    lr = people.slot_person[:n]
    same_as_lr = (people.slot_person == lr[people.slot_firm]) & (
        np.isin(people.slot_role, (R_EXEC, R_CHAIR, R_MANAGER))
    )
    people.slot_since[same_as_lr] = np.maximum(
        people.slot_since[same_as_lr], lr_since[people.slot_firm[same_as_lr]]
    )
    past = fill_regular(rng, reg.persons, len(firm), 0.6)
    people.slot_firm = np.r_[people.slot_firm, firm]
    people.slot_role = np.r_[people.slot_role, np.full(len(firm), R_LEGAL)]
    people.slot_person = np.r_[people.slot_person, past]
    people.slot_since = np.r_[people.slot_since, since]
    people.slot_until = np.r_[people.slot_until, d]
    return k
