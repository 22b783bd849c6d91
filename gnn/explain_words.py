"""An explanation's items in words: labels, categories, values in their own units.

:func:`describe_item` turns one explained feature (a code, the model's value of it,
a contribution) into what an investigator reads: the label and SAMR category of
:mod:`riskgraph.gnn.feature_names`, the value in its unit (counts as integers,
amounts in 万元, ratios as percentages, flags as 是/否, the time since the last
violation as days and the date it points to) and the same text in English.

Values the model reads on a log scale (counts, capital) are turned back
(``expm1``); a neighbour aggregate's mean of counts is therefore the geometric
mean of ``count + 1``, minus one, which is what the model saw.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from riskgraph.gnn.feature_names import BASIC, CATEGORIES, Described, describe
from riskgraph.gnn.features import NO_VIOLATION_DAYS, FeaturePipeline

_AGGREGATE_PREFIX = "nbr["


def natural_value(pipeline: FeaturePipeline, code: str, value: Any) -> float | None:
    """The model's value of ``code`` in the feature's own units (``None``: none, masked)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    if code.startswith(_AGGREGATE_PREFIX):
        tail = code.split("]:", 1)[1] if "]:" in code else ""
        if tail == "count":
            return float(math.expm1(number))
        column = tail.split(":", 1)[1] if ":" in tail else ""
        return pipeline.natural(column, number) if column in pipeline.groups else number
    return pipeline.natural(code, number) if code in pipeline.groups else number


def describe_item(
    item: dict[str, Any], pipeline: FeaturePipeline, as_of: date | None
) -> dict[str, Any]:
    """``item`` (``feature``, ``value``, ``contribution`` …) with ``code``, ``label``,
    ``category``, ``unit``, a typed ``value`` and its ``text`` in both languages."""
    code = str(item["feature"])
    words = describe(code) or Described(code, code, BASIC, "mean")
    natural = natural_value(pipeline, code, item.get("raw", item.get("value")))
    typed, zh, en = format_value(words.unit, natural, as_of)
    out = {key: value for key, value in item.items() if key != "raw"}
    out.update(
        code=code,
        label={"zh": words.zh, "en": words.en},
        category={"zh": words.category, "en": CATEGORIES[words.category]},
        unit=words.unit,
        value=typed,
        text={"zh": zh, "en": en},
    )
    return out


def label_of(code: str) -> dict[str, str]:
    """A code's label in both languages (the code itself where none is known)."""
    words = describe(code)
    return {"zh": words.zh, "en": words.en} if words else {"zh": code, "en": code}


def format_value(
    unit: str, value: float | None, as_of: date | None
) -> tuple[int | float | bool | None, str, str]:
    """``(typed value, Chinese text, English text)`` of a value in ``unit``."""
    if value is None:
        return None, "不适用", "not applicable"
    if unit == "flag":
        flag = value >= 0.5
        return flag, "是" if flag else "否", "yes" if flag else "no"
    if unit == "count":
        count = round(value)
        return count, f"{count:,}", f"{count:,}"
    if unit == "days":
        return _days(value, as_of)
    if unit == "amount":
        amount = round(value, 2)
        return amount, f"{amount:,.2f} 万元", f"{amount:,.2f} ten-thousand yuan"
    if unit == "ratio":
        ratio = round(value, 4)
        return ratio, f"{ratio:.1%}", f"{ratio:.1%}"
    if unit == "years":
        years = round(value, 1)
        return years, f"{years:.1f} 年", f"{years:.1f} years"
    mean = round(value, 2)
    return mean, f"{mean:,.2f}", f"{mean:,.2f}"


def _days(value: float, as_of: date | None) -> tuple[int | None, str, str]:
    days = round(value)
    if days >= NO_VIOLATION_DAYS - 1:
        return None, "无违法记录", "no violation"
    if as_of is None:
        return days, f"{days:,} 天", f"{days:,} days"
    day = (as_of - timedelta(days=days)).isoformat()
    return days, f"{days:,} 天（{day}）", f"{days:,} days ({day})"
