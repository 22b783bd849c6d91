"""Readable names of the enterprise feature codes (:mod:`riskgraph.gnn.features`).

``feature_name("viol[kind=经营异常]_1y")`` gives ``{"zh": "近1年违法记录数：经营异常",
"en": "violations in 1 year: 经营异常"}``; codes no pattern knows give ``None`` (the
code itself is then the only name).
"""

from __future__ import annotations

import re

_FIXED: dict[str, tuple[str, str]] = {
    "age_years": ("成立年限", "years since establishment"),
    "age_missing": ("成立日期缺失", "establishment date missing"),
    "capital_missing": ("注册资本缺失", "registered capital missing"),
    "log_registered_capital": ("注册资本（对数）", "registered capital (log)"),
    "log_paid_in_capital": ("实缴资本（对数）", "paid-in capital (log)"),
    "paid_in_ratio": ("实缴比例", "paid-in ratio"),
    "org_type": ("企业类型", "organisation type"),
    "industry": ("行业门类", "industry section"),
    "region": ("地区", "region"),
    "status": ("登记状态", "registration status"),
    "viol_total": ("违法记录数", "violations"),
    "viol_active": ("有效违法记录数", "active violations"),
    "days_since_last_violation": ("距最近一次违法天数", "days since the last violation"),
    "persons": ("关联人员数", "linked persons"),
    "person_other_firms_sum": (
        "关联人员的其他企业数（合计）",
        "other firms of linked persons (sum)",
    ),
    "person_other_firms_max": (
        "关联人员的其他企业数（最多）",
        "other firms of linked persons (max)",
    ),
    "officers": ("高管人数", "officers"),
    "legal_rep_firms": ("法定代表人任职企业数", "firms of the legal representative"),
    "co_located_firms": ("同址企业数", "firms at the same address"),
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
_LINK = re.compile(r"^(?P<dir>in|out)\[(?P<rel>[A-Z_]+)(?:<-|->)(?P<other>\w+)\]$")
_KIND = re.compile(r"^viol\[(?P<prop>[a-z_]+)=(?P<value>.+)\](?:_(?P<window>\d+y|\d+d))?$")
_WINDOW = re.compile(r"^viol_(?P<window>\d+y|\d+d)$")
_ROLE = re.compile(r"^officers\[role=(?P<role>.+)\]$")


def feature_name(code: str) -> dict[str, str] | None:
    """Chinese and English names of a feature code, where one is known."""
    if code in _FIXED:
        zh, en = _FIXED[code]
        return {"zh": zh, "en": en}
    if match := _LINK.match(code):
        zh, en = _RELATIONS.get(match["rel"], (match["rel"], match["rel"]))
        if match["dir"] == "in":
            return {"zh": f"关系数：{zh}", "en": f"links in: {en}"}
        return {"zh": f"关系数：{zh}", "en": f"links out: {en}"}
    if match := _KIND.match(code):
        zh, en = _window_names(match["window"])
        detail = match["value"] if match["prop"] == "kind" else f"{match['prop']}={match['value']}"
        return {"zh": f"{zh}：{detail}", "en": f"{en}: {detail}"}
    if match := _WINDOW.match(code):
        zh, en = _window_names(match["window"])
        return {"zh": zh, "en": en}
    if match := _ROLE.match(code):
        return {"zh": f"职务人员数：{match['role']}", "en": f"officers: {match['role']}"}
    return None


def _window_names(window: str | None) -> tuple[str, str]:
    """违法记录数 with its time window (``1y``, ``3y``, ``90d``) in both languages."""
    if not window:
        return "违法记录数", "violations"
    number, unit = window[:-1], window[-1]
    if unit == "y":
        return f"近{number}年违法记录数", f"violations in the last {number} year(s)"
    return f"近{number}天违法记录数", f"violations in the last {number} days"
