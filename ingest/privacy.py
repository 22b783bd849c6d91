"""Pseudonymous person keys: resident ID numbers are never stored."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

from riskgraph.errors import ConfigError
from riskgraph.settings import DEMO_PERSON_ID_SECRET, Settings


def person_key(id_number: str, secret: bytes) -> str:
    """``Person.pid``: keyed HMAC-SHA256 of a normalised ID number, 32 hex chars."""
    return hmac.new(secret, id_number.encode("ascii"), hashlib.sha256).hexdigest()[:32]


def person_secret(settings: Settings) -> bytes:
    """The HMAC key; the shipped demo value is refused outside demo mode."""
    secret = settings.person_id_secret.get_secret_value()
    if secret == DEMO_PERSON_ID_SECRET and not settings.demo:
        raise ConfigError(
            "RISKGRAPH_PERSON_ID_SECRET is the demo default; set your own secret "
            "(or RISKGRAPH_DEMO=1 for demo data only)"
        )
    if len(secret) < 16:
        raise ConfigError("RISKGRAPH_PERSON_ID_SECRET must be at least 16 characters")
    return secret.encode("utf-8")


# Digits (and the check character X) with at most one separator between them, as an
# ID number may be typed: "110101 19730521 398X", "110101-1973…".
_DIGIT_RUN = re.compile(r"[0-9](?:[ \t\-./_]?[0-9Xx])+")


def mask_id_shapes(text: str) -> str:
    """``text`` with every run of digits that holds a resident ID number's shape
    (18 characters with a birth date, or the old 15-digit form) masked, separators
    and surrounding digits included: quarantine files keep rows as they came, and an
    ID may hide in any column, typed with spaces or inside a longer mistyped number."""

    def masked(match: re.Match[str]) -> str:
        run = match.group(0)
        characters = re.sub(r"[^0-9Xx]", "", run)
        if len(characters) >= 15 and _holds_id(characters):
            return re.sub(r"[0-9Xx]", "*", run)
        return run

    return _DIGIT_RUN.sub(masked, text)


def _holds_id(characters: str) -> bool:
    for start in range(len(characters) - 14):
        window = characters[start : start + 18]
        if len(window) == 18 and window[:17].isdigit() and _is_id(window, window[6:14]):
            return True
        short = characters[start : start + 15]
        if short.isdigit() and _is_id(short, "19" + short[6:12]):
            return True
    return False


def _is_id(number: str, birth: str) -> bool:
    """A region code that starts as ID regions do (1-8) and a real birth date."""
    if number[0] not in "12345678":
        return False
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100
