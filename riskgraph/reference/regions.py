"""Administrative division codes (行政区划代码, GB/T 2260).

The table ``regions.tsv`` (``code<TAB>name``, UTF-8, one division per line) is a curated
subset: every provincial-level division, selected prefecture-level cities and selected
county-level divisions. A 6-digit code has three 2-digit levels: ``PPCCDD`` with
``PP0000`` the province, ``PPCC00`` the prefecture-level city and ``PPCCDD`` the
county-level division (district / county / county-level city).

The four municipalities directly under the central government (直辖市) have no
prefecture level of their own; for their districts ``Region.city`` is the municipality
itself (so "group by city" treats 北京市 as a city) and ``full_name`` does not repeat
it: ``full_name("110101") == "北京市东城区"``.

``province_abbreviations.tsv`` (``code<TAB>abbreviation``) holds the one-character
abbreviation (简称) of each province-level division: ``110000`` 京, ``510000`` 川.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Final

from ._files import read_text, read_tsv

__all__ = [
    "MUNICIPALITIES",
    "REGION_PROBLEMS",
    "Region",
    "division_chain",
    "full_name",
    "is_known_region",
    "known_codes",
    "province_abbreviation",
    "province_of",
    "region",
    "region_problem",
]

#: Province-level codes of the 直辖市 (Beijing, Tianjin, Shanghai, Chongqing).
MUNICIPALITIES: Final = frozenset({"110000", "120000", "310000", "500000"})

#: Every reason code ``region_problem`` can return.
REGION_PROBLEMS: Final = frozenset({"region_format", "region_unknown"})

_DIGITS: Final = frozenset("0123456789")


@dataclass(frozen=True, slots=True)
class Region:
    """One division of the table with the names of its enclosing levels."""

    code: str
    name: str
    province: str
    city: str | None  # None for province-level codes
    district: str | None  # None for province- and city-level codes


def _is_code_format(code: str) -> bool:
    return len(code) == 6 and all(ch in _DIGITS for ch in code)


def _province_code(code: str) -> str:
    return code[:2] + "0000"


def _city_code(code: str) -> str:
    return code[:4] + "00"


@functools.cache
def _table() -> dict[str, str]:
    text = read_text("regions.tsv")
    table: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        code, sep, name = line.partition("\t")
        if not sep or not _is_code_format(code) or not name or "\t" in name:
            raise ValueError(f"regions.tsv:{lineno}: expected '<6-digit code>\\t<name>'")
        if code in table:
            raise ValueError(f"regions.tsv:{lineno}: duplicate code {code}")
        table[code] = name
    # Every lower-level entry must have its enclosing levels in the table, so that
    # Region.province / Region.city are always filled in.
    for code in table:
        if _province_code(code) not in table:
            raise ValueError(f"regions.tsv: {code} has no province entry")
        is_district = code[4:] != "00"
        needs_city = is_district and _province_code(code) not in MUNICIPALITIES
        if needs_city and _city_code(code) not in table:
            raise ValueError(f"regions.tsv: {code} has no city entry")
    return table


def division_chain(code: str) -> list[str]:
    """Codes of the levels named in ``full_name(code)``, province first, ending at ``code``.

    Returns ``[]`` for a code not in the table. Municipality districts have two levels.
    """
    table = _table()
    if code not in table:
        return []
    province = _province_code(code)
    chain = [province]
    if code[2:4] != "00" and province not in MUNICIPALITIES:
        chain.append(_city_code(code))
    if code[4:] != "00":
        chain.append(code)
    return chain


def region(code: str) -> Region | None:
    """Return the division for ``code``, or ``None`` if the code is not in the table."""
    table = _table()
    name = table.get(code)
    if name is None:
        return None
    province_code = _province_code(code)
    province = table[province_code]
    if code == province_code:
        return Region(code=code, name=name, province=province, city=None, district=None)
    if code[4:] == "00":
        return Region(code=code, name=name, province=province, city=name, district=None)
    city = province if province_code in MUNICIPALITIES else table[_city_code(code)]
    return Region(code=code, name=name, province=province, city=city, district=name)


def full_name(code: str) -> str:
    """Return the full name of a known division, e.g. ``"四川省成都市武侯区"``.

    Raises ``KeyError`` if the code is not in the table.
    """
    chain = division_chain(code)
    if not chain:
        raise KeyError(code)
    table = _table()
    return "".join(table[c] for c in chain)


def province_of(code: str) -> str | None:
    """Return the province name for any 6-digit code whose province is known, else None."""
    if not _is_code_format(code):
        return None
    return _table().get(_province_code(code))


def is_known_region(code: str) -> bool:
    """Return whether ``code`` is in the table."""
    return code in _table()


def known_codes(prefix: str = "") -> list[str]:
    """Return the sorted codes of the table that start with ``prefix``."""
    return sorted(code for code in _table() if code.startswith(prefix))


def region_problem(code: str) -> str | None:
    """Return ``None`` if ``code`` is plausible, else ``region_format`` / ``region_unknown``.

    A code is plausible when it is 6 digits and its province is in the table; the
    county itself need not be (the table is a subset of GB/T 2260).
    """
    if not _is_code_format(code):
        return "region_format"
    if _province_code(code) not in _table():
        return "region_unknown"
    return None


@functools.cache
def _abbreviations() -> dict[str, str]:
    table = _table()
    out: dict[str, str] = {}
    for lineno, (code, abbr) in read_tsv("province_abbreviations.tsv", 2):
        if code in out or table.get(code) is None or code != _province_code(code) or not abbr:
            raise ValueError(f"province_abbreviations.tsv:{lineno}: bad or repeated province")
        out[code] = abbr
    return out


def province_abbreviation(code: str) -> str | None:
    """The abbreviation (简称) of the province of a 6-digit code, e.g. ``"川"``, or None."""
    if not _is_code_format(code):
        return None
    return _abbreviations().get(_province_code(code))
