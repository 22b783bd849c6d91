"""Feature codes in words: a label in Chinese and English, an SAMR indicator category, a unit.

Every code :mod:`riskgraph.gnn.features` and :func:`riskgraph.gnn.baselines.neighbour_aggregates`
make has a description (:func:`describe`):

- ``label``: ``{"zh", "en"}``, e.g. ``viol[kind=经营异常名录]_1y`` → 近1年违法记录数：经营异常名录;
  a neighbour aggregate names the neighbours and the statistic:
  ``nbr[REGISTERED_AT~address]:mean:viol_total`` → 同一注册地址的其他企业：违法记录数（平均）;
- ``category``: one of the five categories of the SAMR indicator system
  (:data:`CATEGORIES`: 基础属性、动态信息、监管信息、关联关系、社会评价), as the
  scorecard groups its indicators (:data:`riskgraph.gnn.baselines.DEFAULT_INDICATORS`):
  violations by kind under 监管信息, complaints and lawsuits (投诉举报、司法涉诉)
  under 社会评价, recent counts and the time since the last violation under 动态信息,
  links and neighbours under 关联关系, the rest under 基础属性;
- ``unit``: ``count``, ``amount`` (万元), ``ratio``, ``flag``, ``years``, ``days``,
  ``code`` (a one-hot category, a flag), ``mean`` (an average of counts).

:func:`feature_name` keeps the older two-language answer of model monitoring, which
shows values as the model reads them (``（对数）`` on log-scale capital; ``None`` for
unknown codes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

CATEGORIES: dict[str, str] = {
    "基础属性": "basic attributes",
    "动态信息": "dynamic information",
    "监管信息": "supervision records",
    "关联关系": "associations",
    "社会评价": "social evaluation",
}
"""The SAMR indicator categories (Chinese name → English)."""
BASIC, DYNAMIC, SUPERVISION, ASSOCIATION, SOCIAL = CATEGORIES
SOCIAL_KINDS = frozenset({"投诉举报", "司法涉诉"})
"""Violation kinds that are social evaluation rather than supervision records."""
UNITS: tuple[str, ...] = ("count", "amount", "ratio", "flag", "years", "days", "mean")


@dataclass(frozen=True)
class Described:
    """A feature code in words."""

    zh: str
    en: str
    category: str
    unit: str

    def as_dict(self) -> dict[str, object]:
        return {
            "label": {"zh": self.zh, "en": self.en},
            "category": {"zh": self.category, "en": CATEGORIES[self.category]},
            "unit": self.unit,
        }


_FIXED: dict[str, Described] = {
    "age_years": Described("成立年限", "years since establishment", BASIC, "years"),
    "age_missing": Described("成立日期缺失", "establishment date missing", BASIC, "flag"),
    "capital_missing": Described("注册资本缺失", "registered capital missing", BASIC, "flag"),
    "log_registered_capital": Described("注册资本", "registered capital", BASIC, "amount"),
    "log_paid_in_capital": Described("实缴资本", "paid-in capital", BASIC, "amount"),
    "paid_in_ratio": Described("实缴比例", "paid-in ratio", BASIC, "ratio"),
    "viol_total": Described("违法记录数", "violations", SUPERVISION, "count"),
    "viol_active": Described("有效违法记录数", "active violations", SUPERVISION, "count"),
    "days_since_last_violation": Described(
        "距最近一次违法天数", "days since the last violation", DYNAMIC, "days"
    ),
    "persons": Described("关联人员数", "linked persons", ASSOCIATION, "count"),
    "person_other_firms_sum": Described(
        "关联人员的其他企业数合计", "other firms of linked persons, summed", ASSOCIATION, "count"
    ),
    "person_other_firms_max": Described(
        "关联人员的其他企业数最多者", "other firms of linked persons, most", ASSOCIATION, "count"
    ),
    "officers": Described("高管人数", "officers", ASSOCIATION, "count"),
    "legal_rep_firms": Described(
        "法定代表人任职企业数", "firms of the legal representative", ASSOCIATION, "count"
    ),
    "co_located_firms": Described(
        "同一注册地址的其他企业数", "other firms at the same address", ASSOCIATION, "count"
    ),
    "degree": Described("关系总数", "links", ASSOCIATION, "count"),
}
_RELATIONS: dict[str, tuple[str, str]] = {
    "LEGAL_REP_OF": ("法定代表人", "legal representative"),
    "HOLDS_POSITION": ("任职", "positions"),
    "INVESTS_IN": ("投资", "investments"),
    "BRANCH_OF": ("分支机构", "branches"),
    "SHAREHOLDER_OF": ("股东", "shareholders"),
    "LOAN": ("借贷", "loans"),
    "DEAL": ("交易", "deals"),
    "RENT": ("租赁", "rents"),
    "CREDITOR": ("债权", "creditors"),
    "REGISTERED_AT": ("登记地址", "registered address"),
}
_CATEGORICALS: dict[str, tuple[str, str]] = {
    "org_type": ("企业类型", "organisation type"),
    "industry": ("行业门类", "industry section"),
    "region": ("地区", "region"),
    "status": ("登记状态", "registration status"),
    "entity_kind": ("主体类型", "kind of market entity"),
}
_BUCKETS = {"__other__": ("其他", "other"), "__missing__": ("缺失", "missing")}
# firms reached through a shared person (by the person's link) or address
_SHARED: dict[str, tuple[str, str]] = {
    "LEGAL_REP_OF": ("同一法定代表人的其他企业", "other firms of the same legal representative"),
    "HOLDS_POSITION": ("同一任职人员的其他企业", "other firms of the same officers"),
    "INVESTS_IN": ("同一投资人的其他企业", "other firms of the same investors"),
    "SHAREHOLDER_OF": ("同一股东的其他企业", "other firms of the same shareholders"),
    "REGISTERED_AT": ("同一注册地址的其他企业", "other firms at the same registered address"),
}
# firm-to-firm links: (outgoing: the firms this one links to, incoming: those linking to it)
_FIRM_LINKS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "INVESTS_IN": (
        ("本企业投资的企业", "firms it invests in"),
        ("投资本企业的企业", "firms investing in it"),
    ),
    "BRANCH_OF": (("本企业所属的总机构", "its head office"), ("本企业的分支机构", "its branches")),
    "SHAREHOLDER_OF": (
        ("本企业持股的企业", "firms it holds shares in"),
        ("持股本企业的企业", "firms holding its shares"),
    ),
}
_LINK = re.compile(r"^(?P<dir>in|out)\[(?P<rel>[A-Z_]+)(?:<-|->)(?P<other>\w+)\]$")
_KIND = re.compile(r"^viol\[(?P<prop>[a-z_]+)=(?P<value>.+)\](?:_(?P<window>\d+y|\d+d))?$")
_WINDOW = re.compile(r"^viol_(?P<window>\d+y|\d+d)$")
_ROLE = re.compile(r"^officers\[role=(?P<role>.+)\]$")
_ONE_HOT = re.compile(r"^(?P<name>org_type|industry|region|status|entity_kind)=(?P<value>.*)$")
_AGGREGATE = re.compile(r"^nbr\[(?P<tag>[^\]]+)\]:(?P<agg>mean|max|count)(?::(?P<col>.*))?$")
_PROPS = {"cause_type": ("案由类型", "cause"), "court_level": ("法院层级", "court level")}
_PROPS_RESULT = ("处理结果", "result")


def describe(code: str) -> Described | None:
    """The words of a feature code; ``None`` for a code no pattern knows."""
    if code in _FIXED:
        return _FIXED[code]
    for pattern, words in _PATTERNS:
        if match := pattern.match(code):
            return words(match)
    return None


def feature_name(code: str) -> dict[str, str] | None:
    """Chinese and English names of a feature code as the model reads it (capital on a
    log scale: model monitoring shows those values), where one is known."""
    found = describe(code)
    if found is None:
        return None
    if code.startswith("log_"):
        return {"zh": f"{found.zh}（对数）", "en": f"{found.en} (log)"}
    return {"zh": found.zh, "en": found.en}


def category_of(code: str) -> str:
    """The SAMR category of a code (基础属性 where the code is unknown)."""
    found = describe(code)
    return found.category if found else BASIC


def relation_words(relation: str) -> dict[str, str]:
    """A neighbour's relation in words: a relationship type (``LEGAL_REP_OF``) or an
    aggregate's tag (``REGISTERED_AT~address``, ``INVESTS_IN->``)."""
    if relation in _RELATIONS:
        zh, en = _RELATIONS[relation]
        return {"zh": zh, "en": en}
    found = _neighbours(relation)
    return {"zh": found[0], "en": found[1]} if found else {"zh": relation, "en": relation}


def _link(match: re.Match[str]) -> Described:
    zh, en = _RELATIONS.get(match["rel"], (match["rel"], match["rel"]))
    direction = "links in" if match["dir"] == "in" else "links out"
    return Described(f"关系数：{zh}", f"{direction}: {en}", ASSOCIATION, "count")


def _kind(match: re.Match[str]) -> Described:
    zh, en = _window_names(match["window"])
    prop, value = match["prop"], match["value"]
    if prop == "kind":
        detail_zh = detail_en = value
        category = SOCIAL if value in SOCIAL_KINDS else SUPERVISION
    else:
        name_zh, name_en = _PROPS.get(prop, _PROPS_RESULT if prop == "result" else (prop, prop))
        detail_zh, detail_en = f"{name_zh}为{value}", f"{name_en} {value}"
        category = SUPERVISION
    if match["window"] and category == SUPERVISION:
        category = DYNAMIC
    return Described(f"{zh}：{detail_zh}", f"{en}: {detail_en}", category, "count")


def _window(match: re.Match[str]) -> Described:
    zh, en = _window_names(match["window"])
    return Described(zh, en, DYNAMIC, "count")


def _role(match: re.Match[str]) -> Described:
    role = match["role"]
    return Described(f"职务人员数：{role}", f"officers: {role}", ASSOCIATION, "count")


def _one_hot(match: re.Match[str]) -> Described:
    name_zh, name_en = _CATEGORICALS[match["name"]]
    value = match["value"]
    value_zh, value_en = _BUCKETS.get(value) or _value_words(match["name"], value)
    return Described(f"{name_zh}：{value_zh}", f"{name_en}: {value_en}", BASIC, "flag")


def _value_words(name: str, value: str) -> tuple[str, str]:
    """A one-hot value in words: region codes and industry letters get their names."""
    from riskgraph.reference import ENTITY_KIND_NAMES, full_name, section_name

    if name == "entity_kind":
        names = {str(kind): name for kind, name in ENTITY_KIND_NAMES.items()}
        return names.get(value, value), value
    if name == "industry" and len(value) == 1:
        named = section_name(value)
        return (f"{value} {named}", value) if named else (value, value)
    if name == "region" and value.isdigit():
        try:
            return f"{full_name(value.ljust(6, '0'))}（{value}）", value
        except KeyError:
            return value, value
    return value, value


def _aggregate(match: re.Match[str]) -> Described | None:
    """``nbr[TAG]:AGG[:COL]``: the neighbours ``TAG`` names, then the statistic."""
    who = _neighbours(match["tag"])
    if who is None:
        return None
    if match["agg"] == "count":
        return Described(f"{who[0]}：企业数", f"{who[1]}: number", ASSOCIATION, "count")
    inner = describe(match["col"] or "")
    if inner is None:
        return None
    if match["agg"] == "mean":
        zh, en, unit = f"{inner.zh}（平均）", f"{inner.en} (mean)", "mean"
    else:
        zh, en, unit = f"{inner.zh}（最高）", f"{inner.en} (highest)", inner.unit
    return Described(f"{who[0]}：{zh}", f"{who[1]}: {en}", ASSOCIATION, unit)


def _neighbours(tag: str) -> tuple[str, str] | None:
    """The neighbours of an aggregate's tag in words (``REL~address``, ``REL->`` …)."""
    if "~" in tag:
        rel = tag.split("~", 1)[0]
        if rel in _SHARED:
            return _SHARED[rel]
        zh, en = _RELATIONS.get(rel, (rel, rel))
        return f"经{zh}关联的其他企业", f"other firms linked by {en}"
    if tag.endswith(("->", "<-")):
        rel, outgoing = tag[:-2], tag.endswith("->")
        if rel in _FIRM_LINKS:
            return _FIRM_LINKS[rel][0 if outgoing else 1]
        zh, en = _RELATIONS.get(rel, (rel, rel))
        if outgoing:
            return f"本企业{zh}关系指向的企业", f"firms it links to by {en}"
        return f"与本企业有{zh}关系的企业", f"firms linking to it by {en}"
    return None


def _window_names(window: str | None) -> tuple[str, str]:
    """违法记录数 with its time window (``1y``, ``3y``, ``90d``) in both languages."""
    if not window:
        return "违法记录数", "violations"
    number, unit = window[:-1], window[-1]
    if unit == "y":
        return f"近{number}年违法记录数", f"violations in the last {number} year(s)"
    return f"近{number}天违法记录数", f"violations in the last {number} days"


_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Described | None]], ...] = (
    (_LINK, _link),
    (_KIND, _kind),
    (_WINDOW, _window),
    (_ROLE, _role),
    (_ONE_HOT, _one_hot),
    (_AGGREGATE, _aggregate),
)
