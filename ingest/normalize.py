"""Text normalisation applied to names and addresses before node keys are made.

The text normalisers are idempotent: ``f(f(x)) == f(x)``.

Address completion rule (``normalize_address``)
-----------------------------------------------
The region code's *chain* is its named levels, e.g. 510107 -> 四川省 / 成都市 / 武侯区
and 110101 -> 北京市 / 东城区. After cleaning and removing all spaces:

1. Leading names of chain levels are read from the start of the address, in chain
   order; any level may be missing. A full name (四川省, 成都市, 武侯区) always counts.
   A short form (province or city name without 省/市/自治区: 四川, 成都, 北京, 广西)
   counts only when it is directly followed by the name of a deeper chain level
   ("四川成都武侯区"), so road names like "广州大道" are never rewritten. Districts have
   no short form ("武侯祠大街" must stay as it is).
2. If any chain level was read, the output is the full names of the chain from the
   province down to the deepest level read, then the rest of the address unchanged:
   missing levels above and between named levels are filled in; levels below the
   deepest named one are not inserted (the address chose what follows it, e.g.
   "成都市高新区..." -> "四川省成都市高新区...").
3. If none was read, the address is prefixed with as much of the chain as it is
   consistent with:

   a. it starts with the full name of another division in the table (e.g. 锦江区
      under 武侯区's code): only the levels shared with that division are prefixed
      ("四川省成都市锦江区..."); a division in another province gets no prefix;
   b. else it starts with a short form of a chain level that did not count under 1
      ("广州大道中..." under a 广州 district): only the levels above it are prefixed
      ("广东省广州大道中...");
   c. else the whole chain is prefixed ("xx路1号" -> "四川省成都市武侯区xx路1号").

Codes not in the region table (including plausible-but-unlisted county codes) only get
cleaning and space removal.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from riskgraph.reference import regions

__all__ = [
    "address_key",
    "clean_text",
    "normalize_address",
    "normalize_name",
    "to_halfwidth",
]

# U+FF01..U+FF5E are the full-width forms of ASCII 0x21..0x7E, at a fixed offset.
_HALFWIDTH: Final = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

# CJK unified ideographs (basic, extension A, B-G), compatibility ideographs and 〇.
_CJK: Final = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_NAME_SPACE: Final = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])|(?<=[（）]) | (?=[（）])")
_TO_FULLWIDTH_BRACKETS: Final = str.maketrans({"(": "（", ")": "）"})

# Longest first, so 新疆维吾尔自治区 -> 新疆 rather than 新疆维吾尔.
_PROVINCE_SUFFIXES: Final = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


def to_halfwidth(s: str) -> str:
    """Map full-width ASCII forms (U+FF01-U+FF5E) to ASCII and U+3000 to a space."""
    return s.translate(_HALFWIDTH)


def clean_text(s: str | None) -> str | None:
    """Half-width, strip, and collapse whitespace runs to one space; None if empty."""
    if s is None:
        return None
    return " ".join(to_halfwidth(s).split()) or None


def normalize_name(s: str | None) -> str | None:
    """Normalise an enterprise or person name.

    ``clean_text``, then round brackets become full-width （） as in registered
    enterprise names, and spaces between two CJK characters or next to a bracket are
    removed ("成都 某某（ 集团 ）" -> "成都某某（集团）"). Spaces between Latin words stay.
    """
    cleaned = clean_text(s)
    if cleaned is None:
        return None
    return _NAME_SPACE.sub("", cleaned.translate(_TO_FULLWIDTH_BRACKETS))


@dataclass(frozen=True, slots=True)
class _Level:
    code: str
    full: str
    short: str | None


def _short_form(code: str, name: str) -> str | None:
    if code.endswith("0000"):
        suffixes: tuple[str, ...] = _PROVINCE_SUFFIXES
    elif code.endswith("00"):
        suffixes = ("市",)
    else:
        return None  # district short forms collide with street names (武侯祠, 天河路)
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


@functools.cache
def _levels(code: str) -> tuple[_Level, ...]:
    levels = []
    for c in regions.division_chain(code):
        info = regions.region(c)
        assert info is not None  # division_chain only returns codes in the table
        levels.append(_Level(code=c, full=info.name, short=_short_form(c, info.name)))
    return tuple(levels)


@functools.cache
def _name_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for code in regions.known_codes():
        info = regions.region(code)
        assert info is not None
        index.setdefault(info.name, []).append(code)
    return {name: tuple(codes) for name, codes in index.items()}


def _match_level(
    text: str, pos: int, levels: Sequence[_Level], start: int
) -> tuple[int, int] | None:
    """First chain level at index >= start named at ``pos``: (level index, end position)."""
    for k in range(start, len(levels)):
        level = levels[k]
        if text.startswith(level.full, pos):
            return k, pos + len(level.full)
        if level.short is not None and text.startswith(level.short, pos):
            end = pos + len(level.short)
            if _match_level(text, end, levels, k + 1) is not None:
                return k, end
    return None


def _shared_depth(chain: list[str], other: list[str]) -> int:
    depth = 0
    for a, b in zip(chain, other, strict=False):
        if a != b:
            break
        depth += 1
    return depth


def _consistent_depth(text: str, levels: Sequence[_Level]) -> int:
    """How many chain levels to prefix to an address that names none of them (rule 3)."""
    chain = [level.code for level in levels]
    index = _name_index()
    for length in range(min(len(text), max(map(len, index))), 0, -1):
        codes = index.get(text[:length])
        if codes:
            return max(_shared_depth(chain, regions.division_chain(c)) for c in codes)
    for k, level in enumerate(levels):
        if level.short is not None and text.startswith(level.short):
            return k
    return len(levels)


def normalize_address(address: str | None, region_code: str | None) -> str | None:
    """Clean an address, remove spaces and complete its leading division names.

    See the module docstring for the completion rule; unknown or missing region codes
    only clean. Returns None for an empty address.
    """
    cleaned = clean_text(address)
    if cleaned is None:
        return None
    text = cleaned.replace(" ", "")
    levels = _levels(region_code) if region_code is not None else ()
    if not levels:
        return text

    pos, deepest = 0, -1
    while (hit := _match_level(text, pos, levels, deepest + 1)) is not None:
        deepest, pos = hit
    depth = deepest + 1 if deepest >= 0 else _consistent_depth(text, levels)
    return "".join(level.full for level in levels[:depth]) + text[pos:]


def address_key(normalized_address: str) -> str:
    """Stable ``aid`` of an Address node: first 20 hex chars of SHA-1 of the UTF-8 text.

    Pass the output of ``normalize_address`` so that one place gets one key.
    """
    if not normalized_address:
        raise ValueError("address_key needs a non-empty normalised address")
    # A content key, not a security boundary.
    digest = hashlib.sha1(normalized_address.encode("utf-8"), usedforsecurity=False)
    return digest.hexdigest()[:20]
