"""The input data contract as code: the files, their columns and the per-row rules.

An input folder holds one file per kind (``<kind>.csv`` or ``<kind>.parquet``); ``SPECS``
lists the kinds in load order. ``validate_row`` checks one raw row against its kind and
returns either a normalised, typed record or every reason the row was refused. Reason
codes are ``<code>:<column>`` (or a bare ``self_reference``); ``ROW_REASONS`` holds the
codes ``validate_row`` can give, ``LOADER_REASONS`` those the loader adds for rules that
span rows, and ``REASON_CODES`` both. ``docs/data-contract.md`` is the user's copy.

Cleaning happens here, so callers pass cells exactly as read (``None`` or ``""`` for an
empty cell).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

from riskgraph.reference import (
    ORG_TYPES,
    REGION_PROBLEMS,
    ROLES,
    STATUSES,
    VIOLATION_KINDS,
    VIOLATION_STATUSES,
    division_section,
    region_problem,
    section_letter_pattern,
)

from .identifiers import ID_PROBLEMS, USCC_PROBLEMS, id_number_problem, uscc_problem
from .normalize import address_key, clean_text, normalize_address, normalize_name

__all__ = [
    "COLUMN_TYPES",
    "INVESTOR_KINDS",
    "LICENCE_KINDS",
    "LOADER_REASONS",
    "ORG_TYPES",
    "REASON_CODES",
    "RISK_CLASSES",
    "ROLES",
    "ROW_REASONS",
    "SPECS",
    "STATUSES",
    "VIOLATION_KINDS",
    "VIOLATION_STATUSES",
    "Column",
    "ColumnType",
    "FileSpec",
    "RowResult",
    "missing_columns",
    "validate_row",
]

ColumnType = Literal[
    "text",
    "name",
    "uscc",
    "id_number",
    "date",
    "decimal",
    "ratio",
    "region",
    "industry",
    "enum",
    "address",
    "phone",
    "email",
    "year",
]
COLUMN_TYPES: Final[tuple[str, ...]] = get_args(ColumnType)


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """One column of an input file.

    ``default`` is the value an empty optional cell takes; ``not_before`` names a date
    column of the same row this date may not precede; ``allow_future`` lets a date lie
    after the run's ``today``.
    """

    name: str
    zh: str
    type: ColumnType
    required: bool
    choices: tuple[str, ...] = ()
    description: str
    default: str | None = None
    not_before: str | None = None
    allow_future: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class FileSpec:
    """One kind of input file: its columns, the key of a row and the kinds it references.

    ``optional`` marks a kind that is not part of a full registry extract (labels,
    licences, annual reports).
    """

    kind: str
    zh: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    depends_on: tuple[str, ...]
    optional: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


@dataclass(frozen=True, slots=True)
class RowResult:
    """``record`` for a valid row, else ``None`` with the non-empty ``reasons``."""

    record: dict[str, Any] | None
    reasons: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.record is not None


# --- reason codes -----------------------------------------------------------------------

#: Codes ``validate_row`` gives, each followed by ``:<column>`` except ``self_reference``.
ROW_REASONS: Final = frozenset(
    {
        "missing",
        "invalid_date",
        "invalid_year",
        "future_date",
        "date_order",
        "not_a_number",
        "negative",
        "ratio_range",
        "enum",
        "industry_format",
        "industry_division",
        "phone_format",
        "email_format",
        "self_reference",
    }
    | USCC_PROBLEMS
    | ID_PROBLEMS
    | REGION_PROBLEMS
)
#: Codes the loader gives for rules that span rows, files or the graph.
LOADER_REASONS: Final = frozenset(
    {"unknown_reference", "ratio_sum", "duplicate_key", "field_count"}
)
#: Every reason code (the part before ``:``) a quarantined row can carry.
REASON_CODES: Final = ROW_REASONS | LOADER_REASONS


# --- the files --------------------------------------------------------------------------

# ORG_TYPES, STATUSES, ROLES, VIOLATION_KINDS and VIOLATION_STATUSES are the code lists of
# riskgraph.reference, re-exported here as the values the contract accepts.
INVESTOR_KINDS: Final = ("person", "enterprise")
RISK_CLASSES: Final = ("A", "B", "C", "D")
#: Kinds of administrative licence (行政许可) the market regulator issues or records.
LICENCE_KINDS: Final = (
    "食品经营许可证",
    "食品生产许可证",
    "药品经营许可证",
    "医疗器械经营许可证",
    "工业产品生产许可证",
    "特种设备生产许可证",
    "其他",
)


def _uscc(name: str, zh: str, description: str) -> Column:
    return Column(name=name, zh=zh, type="uscc", required=True, description=description)


def _since(zh: str, description: str) -> Column:
    return Column(name="since", zh=zh, type="date", required=False, description=description)


_SPEC_LIST: Final = (
    FileSpec(
        kind="enterprises",
        zh="企业（市场主体）",
        key=("uscc",),
        depends_on=(),
        columns=(
            _uscc("uscc", "统一社会信用代码", "18-character USCC (GB 32100)"),
            Column(
                name="name",
                zh="企业名称",
                type="name",
                required=True,
                description="registered name",
            ),
            Column(
                name="org_type",
                zh="企业类型",
                type="enum",
                required=True,
                choices=ORG_TYPES,
                description="organisation type; a branch is 分公司",
            ),
            Column(
                name="status",
                zh="登记状态",
                type="enum",
                required=True,
                choices=STATUSES,
                description="registration status",
            ),
            Column(
                name="established",
                zh="成立日期",
                type="date",
                required=True,
                description="date of establishment",
            ),
            Column(
                name="registered_capital",
                zh="注册资本（万元）",
                type="decimal",
                required=False,
                description="registered capital, 万元 (10,000 yuan)",
            ),
            Column(
                name="paid_in_capital",
                zh="实缴资本（万元）",
                type="decimal",
                required=False,
                description="paid-in capital, 万元",
            ),
            Column(
                name="industry_code",
                zh="国民经济行业代码",
                type="industry",
                required=False,
                description="GB/T 4754-2017 section letter A-T, optionally 2-4 digits",
            ),
            Column(
                name="region_code",
                zh="行政区划代码",
                type="region",
                required=True,
                description="6-digit GB/T 2260 code of the registering authority",
            ),
            Column(
                name="address",
                zh="住所",
                type="address",
                required=False,
                description="registered address; completed from region_code",
            ),
            Column(
                name="phone",
                zh="联系电话",
                type="phone",
                required=False,
                description="contact phone",
            ),
            Column(
                name="email",
                zh="电子邮箱",
                type="email",
                required=False,
                description="contact e-mail",
            ),
        ),
    ),
    FileSpec(
        kind="persons",
        zh="自然人",
        key=("id_number",),
        depends_on=(),
        columns=(
            Column(
                name="id_number",
                zh="居民身份证号码",
                type="id_number",
                required=True,
                description="18-digit resident ID (GB 11643); stored only as an HMAC",
            ),
            Column(
                name="name", zh="姓名", type="name", required=True, description="name as registered"
            ),
        ),
    ),
    FileSpec(
        kind="positions",
        zh="任职",
        key=("uscc", "id_number", "role"),
        depends_on=("enterprises", "persons"),
        columns=(
            _uscc("uscc", "统一社会信用代码", "the enterprise"),
            Column(
                name="id_number",
                zh="居民身份证号码",
                type="id_number",
                required=True,
                description="the person",
            ),
            Column(
                name="role",
                zh="职务",
                type="enum",
                required=True,
                choices=ROLES,
                description="position held; 法定代表人 is the legal representative",
            ),
            _since("任职日期", "start of the position"),
            Column(
                name="until",
                zh="离任日期",
                type="date",
                required=False,
                not_before="since",
                allow_future=True,
                description="end of the position (may be a planned end of term)",
            ),
        ),
    ),
    FileSpec(
        kind="investments",
        zh="投资（股东出资）",
        key=("investee_uscc", "investor_kind", "investor_key"),
        depends_on=("enterprises", "persons"),
        columns=(
            _uscc("investee_uscc", "被投资企业统一社会信用代码", "the enterprise invested in"),
            Column(
                name="investor_kind",
                zh="股东类型",
                type="enum",
                required=True,
                choices=INVESTOR_KINDS,
                description="person (自然人) or enterprise (企业)",
            ),
            Column(
                name="investor_key",
                zh="股东证照号码",
                type="text",
                required=True,
                description="resident ID when investor_kind is person, USCC when enterprise",
            ),
            Column(
                name="ratio",
                zh="持股比例",
                type="ratio",
                required=False,
                description="share in [0, 1]; 0.35 or 35%",
            ),
            Column(
                name="amount",
                zh="认缴出资额（万元）",
                type="decimal",
                required=False,
                description="subscribed capital, 万元",
            ),
            _since("出资日期", "date of the investment"),
        ),
    ),
    FileSpec(
        kind="branches",
        zh="分支机构",
        key=("branch_uscc",),
        depends_on=("enterprises",),
        columns=(
            _uscc("branch_uscc", "分支机构统一社会信用代码", "the branch"),
            _uscc("parent_uscc", "隶属企业统一社会信用代码", "the enterprise it belongs to"),
            _since("设立日期", "date the branch was set up"),
        ),
    ),
    FileSpec(
        kind="violations",
        zh="违法违规记录",
        key=("uscc", "case_no"),
        depends_on=("enterprises",),
        columns=(
            Column(
                name="case_no",
                zh="决定书文号",
                type="text",
                required=True,
                description="document number of the decision or listing",
            ),
            _uscc("uscc", "统一社会信用代码", "the enterprise"),
            Column(
                name="kind",
                zh="类别",
                type="enum",
                required=True,
                choices=VIOLATION_KINDS,
                description="kind of record",
            ),
            Column(
                name="date", zh="作出日期", type="date", required=True, description="decided on"
            ),
            Column(
                name="authority",
                zh="作出决定机关",
                type="text",
                required=False,
                description="deciding authority",
            ),
            Column(
                name="amount",
                zh="罚没金额（元）",
                type="decimal",
                required=False,
                description="fine and confiscation, 元 (yuan)",
            ),
            Column(
                name="status",
                zh="状态",
                type="enum",
                required=False,
                choices=VIOLATION_STATUSES,
                default="有效",
                description="有效 (in force, the default), 已移出 (removed), 已修复 (repaired)",
            ),
            Column(
                name="removed_on",
                zh="移出日期",
                type="date",
                required=False,
                not_before="date",
                description="date removed from the list or repaired",
            ),
        ),
    ),
    FileSpec(
        kind="labels",
        zh="信用风险分类结果",
        key=("uscc", "as_of"),
        depends_on=("enterprises",),
        optional=True,
        columns=(
            _uscc("uscc", "统一社会信用代码", "the enterprise"),
            Column(
                name="class",
                zh="风险类别",
                type="enum",
                required=True,
                choices=RISK_CLASSES,
                description="A 低风险, B 一般风险, C 较高风险, D 高风险",
            ),
            Column(
                name="as_of",
                zh="分类日期",
                type="date",
                required=True,
                description="date the class was given",
            ),
        ),
    ),
    FileSpec(
        kind="licences",
        zh="行政许可（证照）",
        key=("licence_kind", "licence_no"),
        depends_on=("enterprises",),
        optional=True,
        columns=(
            Column(
                name="licence_no",
                zh="许可证编号",
                type="text",
                required=True,
                description="number of the licence, e.g. JY15101070012345",
            ),
            _uscc("uscc", "统一社会信用代码", "the enterprise holding the licence"),
            Column(
                name="licence_kind",
                zh="许可证种类",
                type="enum",
                required=True,
                choices=LICENCE_KINDS,
                description="kind of licence",
            ),
            Column(
                name="holder_name",
                zh="持证主体名称",
                type="name",
                required=True,
                description="holder's name as printed on the licence",
            ),
            Column(
                name="address",
                zh="经营场所",
                type="address",
                required=False,
                description="premises on the licence; completed from region_code",
            ),
            Column(
                name="region_code",
                zh="行政区划代码",
                type="region",
                required=False,
                description="6-digit GB/T 2260 code of the premises",
            ),
            Column(
                name="issued",
                zh="发证日期",
                type="date",
                required=True,
                description="date of issue",
            ),
            Column(
                name="valid_until",
                zh="有效期至",
                type="date",
                required=False,
                not_before="issued",
                allow_future=True,
                description="end of validity (empty: no end)",
            ),
            Column(
                name="authority",
                zh="发证机关",
                type="text",
                required=False,
                description="issuing authority",
            ),
        ),
    ),
    FileSpec(
        kind="annual_reports",
        zh="企业年度报告",
        key=("uscc", "report_year"),
        depends_on=("enterprises",),
        optional=True,
        columns=(
            _uscc("uscc", "统一社会信用代码", "the enterprise"),
            Column(
                name="report_year",
                zh="报告年度",
                type="year",
                required=True,
                description="the year reported on (4 digits)",
            ),
            Column(
                name="filed_on",
                zh="报送日期",
                type="date",
                required=False,
                description="date filed; empty = not filed (未报); after the report year",
            ),
            Column(
                name="employees",
                zh="从业人数",
                type="decimal",
                required=False,
                description="number of employees",
            ),
            Column(
                name="revenue",
                zh="营业总收入（万元）",
                type="decimal",
                required=False,
                description="total revenue, 万元",
            ),
            Column(
                name="total_assets",
                zh="资产总额（万元）",
                type="decimal",
                required=False,
                description="total assets, 万元",
            ),
        ),
    ),
)

#: Every kind, in load order.
SPECS: Final[dict[str, FileSpec]] = {spec.kind: spec for spec in _SPEC_LIST}


def missing_columns(kind: str, header: Sequence[str]) -> list[str]:
    """Required columns of ``kind`` that ``header`` lacks, in contract order."""
    spec = SPECS.get(kind)
    if spec is None:
        raise _unknown_kind(kind)
    present = set(header)
    return [name for name in spec.required_columns if name not in present]


# --- cell parsers -----------------------------------------------------------------------
# A parser gets the cleaned, non-empty text of a cell and returns the typed value; on a
# problem it appends reason codes and returns None (the record is dropped anyway).

_Parser = Callable[[Column, str, list[str], dt.date], Any]

_MIN_DATE: Final = dt.date(1900, 1, 1)
_DATE: Final = re.compile(
    r"(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日?|(\d{2})(\d{2}))"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?",
    re.ASCII,
)
_DECIMAL: Final = re.compile(
    r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII
)
_INDUSTRY: Final = re.compile(rf"({section_letter_pattern()}?)(\d{{2,4}})?", re.ASCII)
_PHONE: Final = re.compile(
    r"(?:\+?[\d(][\d()-]{5,19}(?:(?:转|ext\.?|#)\d{1,6})?)"
    r"(?:[;,/、](?:\+?[\d(][\d()-]{5,19}(?:(?:转|ext\.?|#)\d{1,6})?))*",
    re.ASCII,
)
_EMAIL: Final = re.compile(r"[^@\s;,]+@[^@\s;,.]+(?:\.[^@\s;,.]+)+")

# What clean_text changes: whitespace (str.split and \s agree) and full-width forms.
_dirty: Final = re.compile(r"[\s\u3000\uff01-\uff5e]").search


def _read_date(text: str) -> dt.date | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    y, _, m1, d1, m2, d2, m3, d3 = match.groups()
    try:
        return dt.date(int(y), int(m1 or m2 or m3), int(d1 or d2 or d3))
    except ValueError:
        return None


def _parse_date(column: Column, text: str, reasons: list[str], today: dt.date) -> str | None:
    day: dt.date | None = None
    if len(text) == 10 and text[4] == "-" and text[7] == "-":  # already ISO: the fast path
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            day = None
    canonical = day is not None
    if day is None:
        day = _read_date(text)
    if day is None or day < _MIN_DATE:
        reasons.append(f"invalid_date:{column.name}")
        return None
    if day > today and not column.allow_future:
        reasons.append(f"future_date:{column.name}")
    return text if canonical else day.isoformat()


def _to_number(text: str) -> float | None:
    if " " in text:
        text = text.replace(" ", "")
    if _DECIMAL.fullmatch(text) is None:
        return None
    value = float(text.replace(",", "") if "," in text else text)
    return value if math.isfinite(value) else None


def _parse_year(column: Column, text: str, reasons: list[str], today: dt.date) -> int | None:
    if len(text) != 4 or not text.isascii() or not text.isdigit() or int(text) < _MIN_DATE.year:
        reasons.append(f"invalid_year:{column.name}")
        return None
    if int(text) > today.year:
        reasons.append(f"future_date:{column.name}")
    return int(text)


def _parse_decimal(column: Column, text: str, reasons: list[str], today: dt.date) -> float | None:
    value = _to_number(text)
    if value is None:
        reasons.append(f"not_a_number:{column.name}")
    elif value < 0:
        reasons.append(f"negative:{column.name}")
    return value


def _parse_ratio(column: Column, text: str, reasons: list[str], today: dt.date) -> float | None:
    if text.endswith("%"):
        value = _to_number(text[:-1])
        if value is not None:
            value /= 100
    else:
        value = _to_number(text)
    if value is None:
        reasons.append(f"not_a_number:{column.name}")
    elif not 0.0 <= value <= 1.0:
        reasons.append(f"ratio_range:{column.name}")
    return value


def _parse_uscc(column: Column, text: str, reasons: list[str], today: dt.date) -> str:
    value = text.replace(" ", "").upper()
    problem = uscc_problem(value)
    if problem is not None:
        reasons.append(f"{problem}:{column.name}")
    return value


def _parse_id(column: Column, text: str, reasons: list[str], today: dt.date) -> str:
    value = text.replace(" ", "").upper()
    problem = id_number_problem(value, today=today)
    if problem is not None:
        reasons.append(f"{problem}:{column.name}")
    return value


def _parse_region(column: Column, text: str, reasons: list[str], today: dt.date) -> str:
    problem = region_problem(text)
    if problem is not None:
        reasons.append(f"{problem}:{column.name}")
    return text


def _parse_industry(column: Column, text: str, reasons: list[str], today: dt.date) -> str:
    value = text.replace(" ", "").upper()
    match = _INDUSTRY.fullmatch(value)
    if match is None or not value:
        reasons.append(f"industry_format:{column.name}")
        return value
    letter, digits = match.groups()
    if digits is None:
        return value
    section = division_section(digits[:2])
    if section is None or (letter and letter != section):
        reasons.append(f"industry_division:{column.name}")
        return value
    # A bare GB/T 4754 code ("1310") is unambiguous: its division names the section.
    return value if letter else section + value


def _parse_enum(column: Column, text: str, reasons: list[str], today: dt.date) -> str:
    if text not in column.choices:
        reasons.append(f"enum:{column.name}")
    return text


def _parse_text(column: Column, text: str, reasons: list[str], today: dt.date) -> str:
    return text


def _parse_name(column: Column, text: str, reasons: list[str], today: dt.date) -> str | None:
    # normalize_name only changes round brackets and spaces of cleaned text.
    if " " in text or "(" in text or ")" in text:
        return normalize_name(text)
    return text


def _parse_phone(column: Column, text: str, reasons: list[str], today: dt.date) -> str:
    value = text.replace(" ", "")
    if _PHONE.fullmatch(value) is None:
        reasons.append(f"phone_format:{column.name}")
    return value


def _parse_email(column: Column, text: str, reasons: list[str], today: dt.date) -> str:
    if _EMAIL.fullmatch(text) is None:
        reasons.append(f"email_format:{column.name}")
    return text


_PARSERS: Final[dict[str, _Parser]] = {
    "text": _parse_text,
    "address": _parse_text,
    "name": _parse_name,
    "uscc": _parse_uscc,
    "id_number": _parse_id,
    "date": _parse_date,
    "decimal": _parse_decimal,
    "ratio": _parse_ratio,
    "region": _parse_region,
    "industry": _parse_industry,
    "enum": _parse_enum,
    "phone": _parse_phone,
    "email": _parse_email,
    "year": _parse_year,
}


# --- rules that span columns ------------------------------------------------------------

_RowCheck = Callable[[dict[str, Any], list[str], dt.date], None]


def _check_enterprise(record: dict[str, Any], reasons: list[str], today: dt.date) -> None:
    if reasons:
        return  # the row is refused; skip the costly address work
    norm = normalize_address(record["address"], record["region_code"])
    record["address_norm"] = norm
    record["aid"] = address_key(norm) if norm else None


def _check_investment(record: dict[str, Any], reasons: list[str], today: dt.date) -> None:
    key = record["investor_key"]
    if key is None:
        return
    key = key.replace(" ", "").upper()
    record["investor_key"] = key
    kind = record["investor_kind"]
    if kind == "person":
        problem = id_number_problem(key, today=today)
    elif kind == "enterprise":
        problem = uscc_problem(key)
        if key == record["investee_uscc"]:
            reasons.append("self_reference")
    else:
        return  # an unknown investor_kind is already reported; the key can't be checked
    if problem is not None:
        reasons.append(f"{problem}:investor_key")


def _check_branch(record: dict[str, Any], reasons: list[str], today: dt.date) -> None:
    if record["branch_uscc"] is not None and record["branch_uscc"] == record["parent_uscc"]:
        reasons.append("self_reference")


def _check_licence(record: dict[str, Any], reasons: list[str], today: dt.date) -> None:
    if reasons:
        return
    norm = normalize_address(record["address"], record["region_code"])
    record["address_norm"] = norm
    record["aid"] = address_key(norm) if norm else None


def _check_annual_report(record: dict[str, Any], reasons: list[str], today: dt.date) -> None:
    filed, year = record["filed_on"], record["report_year"]
    if filed is not None and year is not None and int(filed[:4]) <= year:
        reasons.append("date_order:filed_on")


_ROW_CHECKS: Final[dict[str, _RowCheck]] = {
    "enterprises": _check_enterprise,
    "licences": _check_licence,
    "annual_reports": _check_annual_report,
    "investments": _check_investment,
    "branches": _check_branch,
}


@dataclass(frozen=True, slots=True)
class _Plan:
    columns: tuple[tuple[str, bool, str | None, _Parser, Column], ...]
    names: frozenset[str]
    date_orders: tuple[tuple[str, str], ...]  # (column, column it may not precede)
    row_check: _RowCheck | None


_PLANS: Final = {
    kind: _Plan(
        columns=tuple((c.name, c.required, c.default, _PARSERS[c.type], c) for c in spec.columns),
        names=frozenset(spec.column_names),
        date_orders=tuple((c.name, c.not_before) for c in spec.columns if c.not_before),
        row_check=_ROW_CHECKS.get(kind),
    )
    for kind, spec in SPECS.items()
}


def _unknown_kind(kind: str) -> ValueError:
    return ValueError(f"unknown kind {kind!r}; expected one of {', '.join(SPECS)}")


@functools.lru_cache(maxsize=64)
def _extra_names(kind: str, declared: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(declared - _PLANS[kind].names))


def validate_row(
    kind: str,
    raw: Mapping[str, str | None],
    *,
    today: dt.date,
    declared_extra: frozenset[str] = frozenset(),
) -> RowResult:
    """Check one raw row of ``kind``: a typed record, or every reason it is refused.

    Columns absent from ``raw`` read as empty. Columns not in the contract go to
    ``record["extra"]`` (cleaned text) when named in ``declared_extra`` and are otherwise
    ignored. Dates after ``today`` are refused unless the column allows them.
    """
    plan = _PLANS.get(kind)
    if plan is None:
        raise _unknown_kind(kind)
    record: dict[str, Any] = {}
    reasons: list[str] = []
    get = raw.get
    for name, required, default, parse, column in plan.columns:
        value = get(name)
        # Most cells are already clean; the regex check is cheaper than cleaning them.
        text = (value if _dirty(value) is None else clean_text(value)) if value else None
        if text is None:
            if required:
                reasons.append(f"missing:{name}")
            record[name] = default
        else:
            record[name] = parse(column, text, reasons, today)
    for later, earlier in plan.date_orders:
        first, second = record[earlier], record[later]
        if first is not None and second is not None and second < first:
            reasons.append(f"date_order:{later}")
    if plan.row_check is not None:
        plan.row_check(record, reasons, today)
    if reasons:
        return RowResult(None, tuple(reasons))
    if declared_extra:
        record["extra"] = {
            name: clean_text(get(name)) for name in _extra_names(kind, declared_extra)
        }
    return RowResult(record)
