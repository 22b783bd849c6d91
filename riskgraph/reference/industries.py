"""Industry classification (国民经济行业分类, GB/T 4754-2017): the sections (门类).

``industry_sections.tsv`` (``letter<TAB>first division<TAB>last division<TAB>name``)
lists the 20 sections A-T in order, each with the range of its 2-digit divisions (大类):
section C (制造业) holds divisions 13-43, so the class code ``C1371`` is in division 13.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ._files import read_tsv

__all__ = [
    "IndustrySection",
    "division_section",
    "industry_sections",
    "section_letter_pattern",
    "section_letters",
    "section_name",
]


@dataclass(frozen=True, slots=True)
class IndustrySection:
    """One section (门类): its letter, name and the range of its 2-digit divisions."""

    letter: str
    name: str
    first_division: int
    last_division: int

    @property
    def divisions(self) -> tuple[str, ...]:
        """The section's division codes, ``"01"`` ... ``"05"`` for section A."""
        return tuple(f"{d:02d}" for d in range(self.first_division, self.last_division + 1))


@functools.cache
def industry_sections() -> tuple[IndustrySection, ...]:
    """Every section in table order (A to T)."""
    out: list[IndustrySection] = []
    for lineno, (letter, first, last, name) in read_tsv("industry_sections.tsv", 4):
        ok = len(letter) == 1 and letter.isascii() and letter.isupper() and name.strip() == name
        ok = ok and len(first) == len(last) == 2 and first.isdigit() and last.isdigit()
        low = out[-1].last_division if out else 0
        if not ok or not low < int(first) <= int(last) or (out and letter <= out[-1].letter):
            raise ValueError(f"industry_sections.tsv:{lineno}: bad section row")
        out.append(IndustrySection(letter, name, int(first), int(last)))
    return tuple(out)


@functools.cache
def _by_letter() -> dict[str, IndustrySection]:
    return {s.letter: s for s in industry_sections()}


@functools.cache
def _by_division() -> dict[str, str]:
    return {d: s.letter for s in industry_sections() for d in s.divisions}


def section_letters() -> str:
    """The section letters in order, ``"ABC...T"``."""
    return "".join(_by_letter())


def section_letter_pattern() -> str:
    """A regular-expression character class matching one section letter: ``"[A-T]"``."""
    letters = section_letters()
    if letters == "".join(chr(c) for c in range(ord(letters[0]), ord(letters[-1]) + 1)):
        return f"[{letters[0]}-{letters[-1]}]"
    return f"[{letters}]"


def section_name(letter: str) -> str | None:
    """The name of section ``letter`` (``"I"`` → 信息传输、软件和信息技术服务业), or None."""
    section = _by_letter().get(letter)
    return None if section is None else section.name


def division_section(division: str) -> str | None:
    """The section letter of a 2-digit division code (``"13"`` → ``"C"``), or None."""
    return _by_division().get(division)
