"""Stage 4, people: position slots per org type, filled by ring persons, group controllers,
hub persons (nominee officers of dozens of firms) and ordinary persons."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import Bools, Ints
from .params import (
    COOP,
    JSC,
    LLC,
    R_CHAIR,
    R_DIRECTOR,
    R_EXEC,
    R_FINANCE,
    R_LEGAL,
    R_MANAGER,
    R_SUPERVISOR,
    REF,
)
from .registry import People, PersonCounter, Registry


@dataclass
class _Slots:
    """Position slots; slot i < n is the legal representative of firm i."""

    firm: Ints
    role: Ints
    linked: Bools  # filled by the firm's legal representative
    person: Ints  # -1 = not filled yet


def fill_regular(rng: np.random.Generator, counter: PersonCounter, k: int, p_new: float) -> Ints:
    """Persons for k slots: mostly new people, some re-used among those just created."""
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    is_new = rng.random(k) < p_new
    is_new[0] = True
    base = counter.n
    fresh = counter.new(int(is_new.sum()))
    out = np.empty(k, dtype=np.int64)
    out[is_new] = fresh
    out[~is_new] = base + rng.integers(0, len(fresh), int((~is_new).sum()))
    return out


def _slots(rng: np.random.Generator, reg: Registry) -> _Slots:
    """The positions each firm has by org type; the first n are legal representatives."""
    f = reg.firms
    n = f.n
    llc = (f.kind == LLC) & (f.branch_parent < 0)
    jsc = (f.kind == JSC) & (f.branch_parent < 0)
    coop = f.kind == COOP
    firms: list[Ints] = [np.arange(n)]
    roles: list[Ints] = [np.full(n, R_LEGAL)]
    linked: list[Bools] = [np.zeros(n, dtype=bool)]

    def add(mask: Bools, role: int, p_link: float, repeat: int = 1) -> None:
        idx = np.repeat(np.flatnonzero(mask), repeat)
        firms.append(idx)
        roles.append(np.full(len(idx), role))
        linked.append(rng.random(len(idx)) < p_link)

    u = rng.random((n, 4))
    add(llc & (u[:, 0] < 0.75), R_EXEC, 0.9)
    add(llc & (u[:, 1] < 0.95), R_SUPERVISOR, 0.0)
    add(llc & (u[:, 2] < 0.70), R_MANAGER, 0.7)
    add(llc & (u[:, 3] < 0.35), R_FINANCE, 0.0)
    add(jsc, R_CHAIR, 1.0)
    add(jsc, R_DIRECTOR, 0.0, repeat=4)
    add(jsc, R_SUPERVISOR, 0.0, repeat=3)
    add(jsc, R_MANAGER, 0.3)
    add(jsc, R_FINANCE, 0.0)
    add(coop & (u[:, 0] < 0.5), R_SUPERVISOR, 0.0)
    slot_firm = np.concatenate(firms).astype(np.int64)
    return _Slots(
        firm=slot_firm,
        role=np.concatenate(roles).astype(np.int64),
        linked=np.concatenate(linked),
        person=np.full(len(slot_firm), -1, dtype=np.int64),
    )


def _ring_persons(reg: Registry, slots: _Slots) -> None:
    """Shell rings: one person is the legal representative of every member."""
    plan = reg.plan
    ring_person = reg.persons.new(plan.n_rings)
    rm = np.flatnonzero(plan.ring >= 0)
    slots.person[rm] = ring_person[plan.ring[rm]]  # LR slots are slots 0..n-1


def _group_controllers(rng: np.random.Generator, reg: Registry, slots: _Slots) -> Ints:
    """Company groups: one or two controllers run the holding and many subsidiaries.

    Returns the controller pairs, shape (groups, 2).
    """
    f, person, slot_firm = reg.firms, slots.person, slots.firm
    n_groups = int(f.group.max(initial=-1)) + 1
    core = reg.persons.new(2 * n_groups).reshape(-1, 2) if n_groups else np.zeros((0, 2), np.int64)
    gm = np.flatnonzero(f.group >= 0)
    roots = gm[f.group_depth[gm] == 0]
    person[roots] = core[f.group[roots], 0]
    kids = gm[f.group_depth[gm] > 0]
    v = rng.random(len(kids))
    person[kids[v < 0.3]] = core[f.group[kids[v < 0.3]], 0]
    person[kids[(v >= 0.3) & (v < 0.5)]] = core[f.group[kids[(v >= 0.3) & (v < 0.5)]], 1]
    # The second controller often supervises (监事) -- never in a firm he represents.
    in_grp = f.group[slot_firm] >= 0
    second = core[np.maximum(f.group[slot_firm], 0), 1] if n_groups else person[slot_firm]
    sup = in_grp & (slots.role == R_SUPERVISOR) & (person[slot_firm] != second)
    sup &= rng.random(len(slot_firm)) < 0.3
    person[sup] = second[sup]
    return core


def _hub_persons(rng: np.random.Generator, reg: Registry, slots: _Slots) -> tuple[Ints, Bools]:
    """Hub persons: nominee officers (监事 / 财务负责人 / 法定代表人) of dozens of firms.

    Adds slots where a firm lacks the role; returns the hubs and, per firm, whether a hub
    holds an office there.
    """
    f, plan, n = reg.firms, reg.plan, reg.firms.n
    llc = (f.kind == LLC) & (f.branch_parent < 0)
    n_hub = max(3, n // 8000)
    counts = np.minimum(12 + np.floor(rng.pareto(1.2, n_hub) * 8), 150).astype(np.int64)
    cand = np.flatnonzero(llc & (f.group < 0) & (plan.ring < 0) & (plan.loop < 0))
    cand = cand[rng.permutation(len(cand))][: int(counts.sum())]
    counts = counts[: max(1, int(np.searchsorted(np.cumsum(counts), len(cand), "right")))]
    cand = cand[: int(counts.sum())]
    hubs = reg.persons.new(len(counts))
    hub_of = np.repeat(hubs, counts)
    role_u = rng.random(len(cand))
    as_lr = (role_u < 0.20) & (reg.sites.building[cand] < 0)
    slots.person[cand[as_lr]] = hub_of[as_lr]
    other = ~as_lr
    hub_role = np.where(role_u[other] < 0.7, R_SUPERVISOR, R_FINANCE)
    first_slot = np.full((n, 7), -1, dtype=np.int64)
    indep = ~slots.linked & (slots.role != R_LEGAL)
    first_slot[slots.firm[indep][::-1], slots.role[indep][::-1]] = np.flatnonzero(indep)[::-1]
    existing = first_slot[cand[other], hub_role]
    has = existing >= 0
    slots.person[existing[has]] = hub_of[other][has]
    extra_firm = cand[other][~has]
    slots.firm = np.r_[slots.firm, extra_firm]
    slots.role = np.r_[slots.role, hub_role[~has]]
    slots.linked = np.r_[slots.linked, np.zeros(len(extra_firm), dtype=bool)]
    slots.person = np.r_[slots.person, hub_of[other][~has]]
    hub_firm = np.zeros(n, dtype=bool)
    hub_firm[cand] = True
    return hubs, hub_firm


def stage_people(rng: np.random.Generator, reg: Registry) -> People:
    """Position slots and the persons holding them, since the firm's founding or later."""
    f, n = reg.firms, reg.firms.n
    slots = _slots(rng, reg)
    _ring_persons(reg, slots)
    core = _group_controllers(rng, reg, slots)
    hubs, hub_firm = _hub_persons(rng, reg, slots)
    # Everyone else: ordinary persons; linked roles copy the legal representative.
    person = slots.person
    todo = np.flatnonzero((person < 0) & ~slots.linked)
    person[todo] = fill_regular(rng, reg.persons, len(todo), 0.72)
    lk = np.flatnonzero(slots.linked)
    person[lk] = person[slots.firm[lk]]

    est = f.established[slots.firm]
    later = est + np.floor(rng.random(len(slots.firm)) * (REF - est)).astype(np.int64)
    since = np.where(rng.random(len(slots.firm)) < 0.6, est, later)
    since[:n] = est[:n]
    hub_flag = np.zeros(reg.persons.n, dtype=bool)
    hub_flag[hubs] = True
    return People(
        slot_firm=slots.firm,
        slot_role=slots.role,
        slot_person=person,
        slot_since=since,
        slot_until=np.full(len(slots.firm), -1, dtype=np.int64),
        hub=hub_flag,
        hub_firm=hub_firm,
        group_core=core[:, 0] if len(core) else np.zeros(0, dtype=np.int64),
    )


def distinct_offices(reg: Registry) -> None:
    """A person holds a role at most once per firm: later repeats get fresh persons."""
    people, counter = reg.people, reg.persons
    key = (people.slot_firm * (counter.n + 1) + people.slot_person) * 8 + people.slot_role
    _, first = np.unique(key, return_index=True)
    repeat = np.ones(len(key), dtype=bool)
    repeat[first] = False
    idx = np.flatnonzero(repeat)
    people.slot_person[idx] = counter.new(len(idx))
