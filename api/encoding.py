"""Turning graph values into JSON-safe values."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from typing import Any


def jsonable(value: Any) -> Any:
    """Dates as ISO text, non-finite floats as ``"NaN"``/``"Infinity"``, containers deeply."""
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return str(value)
