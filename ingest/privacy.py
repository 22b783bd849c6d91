"""Pseudonymous person keys: resident ID numbers are never stored."""

from __future__ import annotations

import hashlib
import hmac

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
