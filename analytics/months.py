"""Months as re-classification names them: ``YYYY-MM``."""

from __future__ import annotations

import re

from riskgraph.errors import Invalid

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
_MONTH = re.compile(MONTH_PATTERN)


class InvalidMonth(Invalid):
    """A month is not written ``YYYY-MM``."""


def parse_month(text: str) -> str:
    """``text`` as a ``YYYY-MM`` month; InvalidMonth otherwise."""
    month = text.strip()
    if not _MONTH.match(month):
        raise InvalidMonth(f"month must be YYYY-MM, got {text!r}")
    return month
