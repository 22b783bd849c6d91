"""What the stages build: one dataclass per stage and the ``Registry`` that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .arrays import Bools, Bytes, Floats, Ints
from .regions import Regions

if TYPE_CHECKING:
    from .filings import Filings

Truth = dict[str, Ints]
"""Members (firm indices) of each monitor pattern, by pattern name."""


@dataclass
class Firms:
    """Stage 1: the market entities; branches follow the ``n_main`` main entities."""

    n: int
    n_main: int
    kind: Ints
    branch_parent: Ints  # -1 unless a branch
    group: Ints  # -1 unless a group member
    group_parent: Ints  # controlling parent inside the group, -1 for roots / others
    group_depth: Ints  # 0 = holding company, -1 = not in a group
    established: Ints  # days since 1970-01-01
    region: Ints
    industry: Ints
    regcap: Ints  # 1/100 万元; -1 = missing (branches)
    paidin: Ints
    brand: Ints  # c1 * 1_000_000 + c2 * 1_000 + (c3 + 1)


@dataclass
class Plan:
    """Stage 2: the planted risk patterns."""

    ring: Ints  # ring id per firm or -1
    n_rings: int
    loop: Ints  # loop id per firm or -1
    loop_pos: Ints
    loop_len: Ints  # per loop
    n_hotspots: int


@dataclass
class Sites:
    """Stage 3: the addresses."""

    site: Ints  # site id per firm
    text: Any  # pa string array per site
    building: Ints  # cluster building id per firm or -1
    hotspot: Ints  # hotspot id per firm or -1
    n_buildings: int


class PersonCounter:
    """Hands out consecutive person ids."""

    def __init__(self) -> None:
        self.n = 0

    def new(self, k: int) -> Ints:
        """The next ``k`` ids."""
        ids = np.arange(self.n, self.n + k, dtype=np.int64)
        self.n += k
        return ids


@dataclass
class People:
    """Stage 4: position slots (firm, role, person, dates) and who holds them."""

    slot_firm: Ints
    slot_role: Ints
    slot_person: Ints
    slot_since: Ints
    slot_until: Ints  # -1 = current
    hub: Bools  # per person
    hub_firm: Bools  # per firm: a hub person holds an office there
    group_core: Ints  # per group: first controller person


@dataclass
class Investments:
    """Stage 5: shareholdings."""

    investee: Ints
    is_firm: Bools
    investor: Ints
    bp: Ints  # ratio in 1/10000
    since: Ints


@dataclass
class Risk:
    """Stage 6: latent risk and registration status."""

    attr: Floats  # observable attribute part
    latent: Floats  # after contagion
    neighbour: Floats  # neighbours' mean latent risk (last round)
    status: Ints


@dataclass
class Violations:
    """Stage 7: violation and supervision records."""

    firm: Ints
    kind: Ints
    date: Ints
    status: Ints
    removed: Ints  # -1 = none
    amount: Ints  # 元, -1 = none


@dataclass
class Identities:
    """Stage 9: names, identifiers and contacts."""

    names: Any  # pa string array per firm
    uscc: Bytes  # (n, 18)
    id_numbers: Bytes  # (persons, 18)
    person_names: Any  # pa string array per person
    phone: Any
    email: Any


@dataclass
class Registry:
    """Everything the stages build, filled in stage order.

    A stage reads the fields filled before it (and may adjust them: the pattern plan
    moves ring members, names redraw brands); reading a field before its stage ran
    raises ``AttributeError``.
    """

    n: int
    seed: int
    regions: Regions
    persons: PersonCounter = field(default_factory=PersonCounter)
    firms: Firms = field(init=False)
    plan: Plan = field(init=False)
    sites: Sites = field(init=False)
    people: People = field(init=False)
    investments: Investments = field(init=False)
    abnormal_hot: Bools = field(init=False)  # hotspot firms listed abnormal
    risk: Risk = field(init=False)
    changes: Ints = field(init=False)  # legal-representative changes per firm
    violations: Violations = field(init=False)
    classes: Ints = field(init=False)  # 0-3 = A-D
    components: dict[str, Floats] = field(init=False)  # score components per firm
    monitors: Truth = field(init=False)  # stage 11: planted monitor patterns
    filings: Filings = field(init=False)  # stage 12: licences and annual reports
    identities: Identities = field(init=False)
