"""Chinese enterprise and person identifiers: USCC (GB 32100) and resident ID (GB 11643).

Each identifier has three functions:

* ``*_problem(value)`` returns ``None`` when the value is valid, otherwise one short
  reason code from a fixed set (see ``USCC_PROBLEMS`` / ``ID_PROBLEMS``) suitable for
  data-quality counters;
* ``is_valid_*(value)`` is the boolean form;
* ``make_*(prefix)`` appends the check character(s) to a body and raises ``ValueError``
  when the body cannot be completed into a valid identifier.

Validation is strict about the input: no whitespace trimming and no full-width digits.
Callers clean raw text first (``riskgraph.ingest.normalize.clean_text``).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Final

__all__ = [
    "ID_PROBLEMS",
    "USCC_ALPHABET",
    "USCC_PROBLEMS",
    "id_number_problem",
    "is_valid_id_number",
    "is_valid_uscc",
    "make_id_number",
    "make_uscc",
    "uscc_problem",
]

_DIGITS: Final = "0123456789"

# --- USCC (统一社会信用代码, GB 32100-2015) ------------------------------------------

#: The 31 code characters of GB 32100; a character's value is its index (I, O, S, V, Z
#: are excluded to avoid confusion with digits).
USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE: Final = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(17))  # 3^(i-1) mod 31, i = 1..17

# Organisation code (positions 9-17, GB 11714): weights over the 8-char body.
_ORG_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)

#: Every reason code ``uscc_problem`` can return.
USCC_PROBLEMS: Final = frozenset(
    {"uscc_length", "uscc_charset", "uscc_region", "uscc_org_check", "uscc_check"}
)


def _org_char_value(ch: str) -> int:
    # GB 11714 values letters by their place in the full Latin alphabet (A=10 ... Z=35),
    # not by their index in the 31-char USCC alphabet; only this reading validates
    # 91440101MA5CJQ4N59 (M=22, A=10, C=12, J=19, Q=26, N=23 -> check '5').
    if ch in _DIGITS:
        return ord(ch) - ord("0")
    return ord(ch) - ord("A") + 10


def _org_check_char(body8: str) -> str:
    total = sum(_org_char_value(ch) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    if c == 10:
        return "X"
    if c == 11:
        return "0"
    return str(c)


def _uscc_check_char(first17: str) -> str:
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _uscc_body_problem(body: str) -> str | None:
    """Problems of the positions that are not check characters (shared by make/validate)."""
    if any(ch not in _USCC_VALUE for ch in body):
        return "uscc_charset"
    if any(ch not in _DIGITS for ch in body[2:8]):
        return "uscc_region"
    return None


# Loaders check the same keys again and again (a firm's USCC in every position,
# investment and violation row), so answers are memoised.
_CACHE_SIZE: Final = 1 << 20


@functools.lru_cache(maxsize=_CACHE_SIZE)
def uscc_problem(value: str) -> str | None:
    """Return ``None`` if ``value`` is a valid USCC, else a reason code from ``USCC_PROBLEMS``.

    Checks, in order: 18 characters (``uscc_length``); all characters from
    ``USCC_ALPHABET`` (``uscc_charset``); positions 3-8 are digits (``uscc_region``);
    position 17 is the GB 11714 check of positions 9-16 (``uscc_org_check``); position 18
    is the GB 32100 mod-31 check of positions 1-17 (``uscc_check``). Lowercase letters
    are not accepted.
    """
    if len(value) != 18:
        return "uscc_length"
    body_problem = _uscc_body_problem(value)
    if body_problem is not None:
        return body_problem
    if value[16] != _org_check_char(value[8:16]):
        return "uscc_org_check"
    if value[17] != _uscc_check_char(value[:17]):
        return "uscc_check"
    return None


def is_valid_uscc(value: str) -> bool:
    """Return whether ``value`` is a valid 18-character USCC."""
    return uscc_problem(value) is None


def make_uscc(prefix16: str) -> str:
    """Complete positions 1-16 of a USCC with the org-code and final check characters.

    Raises ``ValueError`` if the prefix is not 16 USCC characters with digits in 3-8.
    """
    if len(prefix16) != 16:
        raise ValueError(f"USCC prefix must be 16 characters, got {len(prefix16)}")
    problem = _uscc_body_problem(prefix16)
    if problem is not None:
        raise ValueError(f"invalid USCC prefix {prefix16!r}: {problem}")
    first17 = prefix16 + _org_check_char(prefix16[8:16])
    return first17 + _uscc_check_char(first17)


# --- Resident ID number (居民身份证号码, GB 11643-1999) --------------------------------

# Position p (1-based, left to right) weighs 2^(18-p) mod 11: 7, 9, 10, 5, ..., 4, 2.
_ID_WEIGHTS: Final = tuple(pow(2, 18 - p, 11) for p in range(1, 18))

#: Every reason code ``id_number_problem`` can return.
ID_PROBLEMS: Final = frozenset({"id_length", "id_charset", "id_birthdate", "id_check"})


def _id_check_char(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    c = (12 - total % 11) % 11
    return "X" if c == 10 else str(c)


def _id_body_problem(body17: str, today: dt.date | None) -> str | None:
    if any(ch not in _DIGITS for ch in body17):
        return "id_charset"
    try:
        birth = dt.date(int(body17[6:10]), int(body17[10:12]), int(body17[12:14]))
    except ValueError:
        return "id_birthdate"
    if birth > (today if today is not None else dt.date.today()):
        return "id_birthdate"
    return None


@functools.lru_cache(maxsize=_CACHE_SIZE)
def id_number_problem(value: str, *, today: dt.date | None = None) -> str | None:
    """Return ``None`` if ``value`` is a valid 18-digit resident ID, else a reason code.

    A lowercase ``x`` check character is accepted (treated as ``X``) because it is
    common in hand-keyed data and unambiguous. Checks, in order: 18 characters
    (``id_length``); 17 digits then a digit or X (``id_charset``); positions 7-14 are
    a real date not after ``today`` (default: the local date) (``id_birthdate``);
    ISO 7064 MOD 11-2 check (``id_check``).
    """
    if len(value) != 18:
        return "id_length"
    if value[17] == "x":
        value = value[:17] + "X"
    if value[17] not in "0123456789X":
        return "id_charset"
    body_problem = _id_body_problem(value[:17], today)
    if body_problem is not None:
        return body_problem
    if value[17] != _id_check_char(value[:17]):
        return "id_check"
    return None


def is_valid_id_number(value: str, *, today: dt.date | None = None) -> bool:
    """Return whether ``value`` is a valid 18-digit resident ID number."""
    return id_number_problem(value, today=today) is None


def make_id_number(prefix17: str, *, today: dt.date | None = None) -> str:
    """Append the MOD 11-2 check character to 17 digits.

    Raises ``ValueError`` if the prefix is not 17 digits or its birth date (positions
    7-14) is not a real date on or before ``today``, so the result is always valid.
    """
    if len(prefix17) != 17:
        raise ValueError(f"ID number prefix must be 17 digits, got {len(prefix17)}")
    problem = _id_body_problem(prefix17, today)
    if problem is not None:
        raise ValueError(f"invalid ID number prefix {prefix17!r}: {problem}")
    return prefix17 + _id_check_char(prefix17)
