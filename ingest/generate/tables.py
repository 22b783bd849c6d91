"""The generator's data files (next to this module): industries, org kinds, places and
name parts.

Each TSV file starts with a header line naming its columns. Industry codes, org types and
region codes are checked against ``riskgraph.reference`` when the module loads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Final

import numpy as np

from riskgraph.reference import ORG_TYPES, division_section, is_known_region

from .arrays import Floats
from .params import COOP, INDIV

_PACKAGE: Final = __package__ or "riskgraph.ingest.generate"
BRANCH_ORG_TYPE: Final = "分公司"  # org_type written for branches (a reference org type)


def _text(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def _tsv(name: str, header: str) -> list[list[str]]:
    """The rows of the file ``name`` below its header line, which must read ``header``."""
    lines = _text(name).splitlines()
    columns = header.split()
    if not lines or lines[0].split("\t") != columns:
        raise ValueError(f"{name}: the header must be {columns}")
    rows = []
    for lineno, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(columns):
            raise ValueError(f"{name}:{lineno}: expected {len(columns)} cells")
        rows.append(cells)
    return rows


def _floats(rows: list[list[str]], col: int) -> tuple[float, ...]:
    return tuple(float(row[col]) for row in rows)


@dataclass(frozen=True)
class Industries:
    """GB/T 4754-2017 classes the generator draws, with name words, weights and risk."""

    codes: tuple[str, ...]
    company_words: tuple[str, ...]  # in company names
    shop_words: tuple[str, ...]  # in 个体工商户 names ('' where none fits)
    coop_words: tuple[str, ...]  # in cooperative names ('' where none fits)
    company_weight: tuple[float, ...]
    shop_weight: tuple[float, ...]
    coop_weight: tuple[float, ...]
    risk: Floats  # risk offset per class

    @property
    def sections(self) -> tuple[str, ...]:
        """The section letter of each class."""
        return tuple(code[0] for code in self.codes)


@dataclass(frozen=True)
class OrgKinds:
    """The org types generated (rows in the order LLC, JSC, SOLE, PART, INDIV, COOP)."""

    names: tuple[str, ...]
    share: tuple[float, ...]
    uscc_type: tuple[str, ...]  # the USCC's second character
    capital_median: tuple[float, ...]  # median registered capital, 万元
    capital_sigma: tuple[float, ...]  # log-sd of registered capital
    unpaid_share: tuple[float, ...]  # share with nothing paid in (after the 2014 reform)
    paid_share: tuple[float, ...]  # share fully paid in (after the 2014 reform)
    risk: tuple[float, ...]  # risk offset
    section_boost: dict[int, dict[str, float]]  # company-weight factors per section

    def industry_weights(self, kind: int, industries: Industries) -> Floats:
        """Weights of the industry classes for firms of org kind ``kind``."""
        col = (
            industries.shop_weight
            if kind == INDIV
            else industries.coop_weight
            if kind == COOP
            else industries.company_weight
        )
        w = np.array(col, dtype=np.float64)
        boost = self.section_boost.get(kind)
        if boost:
            w = w * np.array([boost.get(section, 1.0) for section in industries.sections])
        return w


@dataclass(frozen=True)
class NameParts:
    """Characters and words that names and addresses are made of."""

    brand_chars: str
    surnames: tuple[str, ...]
    surname_weights: tuple[float, ...]
    male_chars: str
    female_chars: str
    town_chars: str
    shop_kinds: tuple[str, ...]
    tower_suffixes: tuple[str, ...]
    generic_streets: tuple[str, ...]
    chengdu_streets: tuple[str, ...]


@dataclass(frozen=True)
class Chengdu:
    """Firm-count weights of Chengdu's county-level divisions and its rural ones."""

    weights: dict[str, float]
    rural: frozenset[str]


def _industries() -> Industries:
    rows = _tsv(
        "industries.tsv",
        "code company_word shop_word coop_word company_weight shop_weight coop_weight risk",
    )
    for code, *_ in rows:
        if len(code) != 5 or division_section(code[1:3]) != code[0]:
            raise ValueError(f"industries.tsv: {code} is not a GB/T 4754 class code")
    return Industries(
        codes=tuple(row[0] for row in rows),
        company_words=tuple(row[1] for row in rows),
        shop_words=tuple(row[2] for row in rows),
        coop_words=tuple(row[3] for row in rows),
        company_weight=_floats(rows, 4),
        shop_weight=_floats(rows, 5),
        coop_weight=_floats(rows, 6),
        risk=np.array(_floats(rows, 7)),
    )


def _org_kinds() -> OrgKinds:
    header = "org_type share uscc_type capital_median capital_sigma unpaid_share paid_share risk"
    rows = _tsv("org_kinds.tsv", header)
    names = tuple(row[0] for row in rows)
    if len(names) != COOP + 1 or not {*names, BRANCH_ORG_TYPE} <= set(ORG_TYPES):
        raise ValueError("org_kinds.tsv: expected the six generated reference org types")
    boost: dict[int, dict[str, float]] = {}
    for org_type, section, factor in _tsv("section_boost.tsv", "org_type section factor"):
        boost.setdefault(names.index(org_type), {})[section] = float(factor)
    return OrgKinds(
        names=names,
        share=_floats(rows, 1),
        uscc_type=tuple(row[2] for row in rows),
        capital_median=_floats(rows, 3),
        capital_sigma=_floats(rows, 4),
        unpaid_share=_floats(rows, 5),
        paid_share=_floats(rows, 6),
        risk=_floats(rows, 7),
        section_boost=boost,
    )


def _name_parts() -> NameParts:
    raw = json.loads(_text("name_parts.json"))
    surnames = _tsv("surnames.tsv", "surname weight")
    parts = NameParts(
        brand_chars=str(raw["brand_chars"]),
        surnames=tuple(row[0] for row in surnames),
        surname_weights=_floats(surnames, 1),
        male_chars=str(raw["male_chars"]),
        female_chars=str(raw["female_chars"]),
        town_chars=str(raw["town_chars"]),
        shop_kinds=tuple(map(str, raw["shop_kinds"])),
        tower_suffixes=tuple(map(str, raw["tower_suffixes"])),
        generic_streets=tuple(map(str, raw["generic_streets"])),
        chengdu_streets=tuple(map(str, raw["chengdu_streets"])),
    )
    if len(set(parts.brand_chars)) != len(parts.brand_chars):
        raise ValueError("name_parts.json: brand_chars repeats a character")
    return parts


def _chengdu() -> Chengdu:
    rows = _tsv("chengdu.tsv", "code firm_weight rural")
    if not all(row[0].startswith("5101") and is_known_region(row[0]) for row in rows):
        raise ValueError("chengdu.tsv: every code must be a known Chengdu division")
    return Chengdu(
        weights={row[0]: float(row[1]) for row in rows},
        rural=frozenset(row[0] for row in rows if row[2] == "1"),
    )


INDUSTRIES: Final = _industries()
ORG_KINDS: Final = _org_kinds()
NAME_PARTS: Final = _name_parts()
CHENGDU: Final = _chengdu()
