"""Stage 9b, identifiers and contacts: valid USCCs, persons with resident ID numbers and
names, and the firms' phones and e-mail addresses."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrays import (
    Bools,
    Bytes,
    Ints,
    ascii_rows,
    cat,
    code_matrix,
    digit_matrix,
    int_str,
    pick_weighted,
    take,
)
from .check_chars import USCC_BYTES, complete_id, complete_uscc, cross_check
from .names import firm_names
from .params import REF, USCC_MA_ERA, YEAR
from .registry import Identities, Registry
from .tables import NAME_PARTS, ORG_KINDS


def _unique_rows(matrix: Bytes) -> Ints:
    """Rows that repeat an earlier row of ``matrix``."""
    k = matrix.shape[1]
    _, first = np.unique(matrix.view(f"S{k}").ravel(), return_index=True)
    dup = np.ones(len(matrix), dtype=bool)
    dup[first] = False
    return np.flatnonzero(dup)


def _make_usccs(rng: np.random.Generator, reg: Registry) -> Bytes:
    """Distinct USCCs: registration authority, org type and region, then the body."""
    f, regions, n = reg.firms, reg.regions, reg.firms.n
    region_digits = code_matrix(regions.codes)[f.region]
    type_digit = np.frombuffer("".join(ORG_KINDS.uscc_type).encode(), dtype=np.uint8)[f.kind]
    prefix = np.empty((n, 16), dtype=np.uint8)
    prefix[:, 0] = ord("9")
    prefix[:, 1] = type_digit
    prefix[:, 2:8] = region_digits
    todo = np.arange(n)
    while len(todo):
        k = len(todo)
        ma = f.established[todo] >= USCC_MA_ERA
        body = np.empty((k, 8), dtype=np.uint8)
        body[:] = (48 + rng.integers(0, 10, (k, 8))).astype(np.uint8)
        body[ma, 0] = ord("M")
        body[ma, 1] = ord("A")
        body[ma, 2] = np.where(
            regions.chengdu[f.region[todo[ma]]],
            ord("6"),
            USCC_BYTES[rng.integers(0, 31, int(ma.sum()))],
        )
        body[ma, 3:] = USCC_BYTES[rng.integers(0, 31, (int(ma.sum()), 5))]
        prefix[todo, 8:] = body
        todo = _unique_rows(prefix)
    return complete_uscc(prefix)


def _id_numbers(rng: np.random.Generator, reg: Registry, earliest: Ints) -> tuple[Bytes, Bools]:
    """Distinct ID numbers of adults old enough for their first office; and who is male."""
    n_persons = len(earliest)
    region = pick_weighted(rng, reg.regions.person_weight, n_persons)
    adult = np.minimum(earliest - int(18 * YEAR), REF - int(20 * YEAR))
    birth = adult - np.floor(rng.beta(1.5, 3.0, n_persons) * 30 * YEAR).astype(np.int64)
    birth = np.maximum(birth, REF - int(85 * YEAR))
    d = birth.astype("datetime64[D]")
    year = d.astype("datetime64[Y]").astype(np.int64) + 1970
    month = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    ymd = year * 10_000 + month * 100 + day
    prefix = np.empty((n_persons, 17), dtype=np.uint8)
    prefix[:, :6] = code_matrix(reg.regions.codes)[region]
    prefix[:, 6:14] = digit_matrix(ymd, 8)
    seq = rng.integers(0, 1000, n_persons)
    todo = np.arange(n_persons)
    while len(todo):
        seq[todo] = rng.integers(0, 1000, len(todo))
        prefix[todo, 14:] = digit_matrix(seq[todo], 3)
        todo = _unique_rows(prefix)
    return complete_id(prefix), seq % 2 == 1


def _person_names(rng: np.random.Generator, male: Bools) -> Any:
    """Surname by frequency and one or two given-name characters by sex."""
    n = len(male)
    surnames, weights = NAME_PARTS.surnames, np.asarray(NAME_PARTS.surname_weights)
    surname = take(surnames, pick_weighted(rng, weights, n))
    m_chars, f_chars = list(NAME_PARTS.male_chars), list(NAME_PARTS.female_chars)

    def given() -> Any:
        return pc.if_else(
            pa.array(male),
            take(m_chars, rng.integers(0, len(m_chars), n)),
            take(f_chars, rng.integers(0, len(f_chars), n)),
        )

    g1 = given()
    g2 = given()
    two = pa.array(rng.random(n) < 0.75)
    return cat(surname, g1, pc.if_else(two, g2, ""))


def _phones(rng: np.random.Generator, reg: Registry) -> Any:
    """Mobile or Chengdu landline numbers; a shell ring shares one; a quarter have none."""
    f, plan, n = reg.firms, reg.plan, reg.firms.n
    mobile = cat(
        take(
            ["13", "15", "17", "18", "19", "14", "16"],
            pick_weighted(rng, np.asarray([3.0, 2.5, 1.0, 2.5, 1.0, 0.3, 0.2]), n),
        ),
        int_str(rng.integers(0, 1_000_000_000, n), 9),
    )
    landline = cat(
        "028-",
        take(["8", "6"], rng.integers(0, 2, n)),
        int_str(rng.integers(0, 10_000_000, n), 7),
    )
    use_land = pa.array(reg.regions.chengdu[f.region] & (rng.random(n) < 0.35))
    phone = pc.if_else(use_land, landline, mobile)
    ring = np.flatnonzero(plan.ring >= 0)
    if len(ring):
        first = np.full(plan.n_rings, -1, dtype=np.int64)
        first[plan.ring[ring][::-1]] = ring[::-1]
        src = np.arange(n)
        src[ring] = first[plan.ring[ring]]
        phone = pc.take(phone, pa.array(src))
    has_phone = rng.random(n) < 0.75
    has_phone[ring] = True
    return pc.if_else(pa.array(has_phone), phone, pa.scalar(None, pa.string()))


def _emails(rng: np.random.Generator, n: int) -> Any:
    """QQ or named mailboxes; 40 % of the firms have one."""
    letters = (97 + rng.integers(0, 26, (n, 6))).astype(np.uint8)
    qq = cat(int_str(rng.integers(10_000, 3_000_000_000, n)), "@qq.com")
    named = cat(
        ascii_rows(letters),
        int_str(rng.integers(0, 1000, n), 3),
        take(["@163.com", "@126.com", "@sina.com"], rng.integers(0, 3, n)),
    )
    email = pc.if_else(pa.array(rng.random(n) < 0.55), qq, named)
    return pc.if_else(pa.array(rng.random(n) < 0.4), email, pa.scalar(None, pa.string()))


def stage_identities(rng: np.random.Generator, reg: Registry) -> Identities:
    """Names, USCCs, persons (ID numbers and names) and contacts."""
    names = firm_names(rng, reg)
    uscc = _make_usccs(rng, reg)
    people, inv = reg.people, reg.investments
    earliest = np.full(reg.persons.n, REF, dtype=np.int64)
    np.minimum.at(earliest, people.slot_person, people.slot_since)
    np.minimum.at(earliest, inv.investor[~inv.is_firm], inv.since[~inv.is_firm])
    id_numbers, male = _id_numbers(rng, reg, earliest)
    person_names = _person_names(rng, male)
    cross_check(uscc, id_numbers)
    phone = _phones(rng, reg)
    email = _emails(rng, reg.firms.n)
    return Identities(names, uscc, id_numbers, person_names, phone, email)
