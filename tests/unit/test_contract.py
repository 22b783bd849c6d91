"""Tests for the input data contract: specs, per-row validation and reason codes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskgraph.ingest.contract import (
    COLUMN_TYPES,
    LOADER_REASONS,
    REASON_CODES,
    ROW_REASONS,
    SPECS,
    Column,
    RowResult,
    missing_columns,
    validate_row,
)
from riskgraph.ingest.identifiers import (
    ID_PROBLEMS,
    USCC_ALPHABET,
    USCC_PROBLEMS,
    make_id_number,
    make_uscc,
)
from riskgraph.ingest.normalize import address_key, clean_text, normalize_name
from riskgraph.reference import REGION_PROBLEMS, known_codes

TODAY = dt.date(2025, 6, 30)
DOC = Path(__file__).resolve().parents[2] / "docs" / "data-contract.md"

E1 = make_uscc("9151010712345678")
E2 = make_uscc("91510107MA6C0001")
P1 = make_id_number("51010719800101123", today=TODAY)


def _id_ending_in_x() -> str:
    for serial in range(1000):
        value = make_id_number(f"11010519491231{serial:03d}", today=TODAY)
        if value.endswith("X"):
            return value
    raise AssertionError("no ID with an X check character")


PX = _id_ending_in_x()


def check(kind: str, row: dict[str, str | None], **kwargs: Any) -> RowResult:
    return validate_row(kind, row, today=TODAY, **kwargs)


def record_of(kind: str, row: dict[str, str | None], **kwargs: Any) -> dict[str, Any]:
    result = check(kind, row, **kwargs)
    assert result.reasons == (), result.reasons
    assert result.record is not None
    return result.record


def reasons_of(kind: str, row: dict[str, str | None]) -> tuple[str, ...]:
    result = check(kind, row)
    assert result.record is None
    assert result.reasons
    return result.reasons


# --- good rows of every kind -----------------------------------------------------------

GOOD: dict[str, dict[str, str | None]] = {
    "enterprises": {
        "uscc": E1.lower(),
        "name": " 成都 示例科技 (集团) 有限公司 ",
        "org_type": "有限责任公司",
        "status": "存续",
        "established": "2015年3月2日",
        "registered_capital": "1,000",
        "paid_in_capital": "５００.５",
        "industry_code": "i6510",
        "region_code": "510107",
        "address": "武侯区 科华北路１号",
        "phone": "028-8555 1234",
        "email": "info@example.cn",
    },
    "persons": {"id_number": PX.lower(), "name": "张  三"},
    "positions": {
        "uscc": E1,
        "id_number": P1,
        "role": "法定代表人",
        "since": "2015/03/02",
        "until": "",
    },
    "investments": {
        "investee_uscc": E1,
        "investor_kind": "enterprise",
        "investor_key": E2.lower(),
        "ratio": "35%",
        "amount": "350",
        "since": "20150302",
    },
    "branches": {"branch_uscc": E2, "parent_uscc": E1, "since": "2018-07-01"},
    "violations": {
        "case_no": "成武市监罚〔2023〕12号",
        "uscc": E1,
        "kind": "行政处罚",
        "date": "2023-04-01",
        "authority": "成都市武侯区市场监督管理局",
        "amount": "5000",
        "status": None,
        "removed_on": None,
    },
    "labels": {"uscc": E1, "class": "B", "as_of": "2024-12-31"},
    "licences": {
        "licence_no": "JY15101070012345",
        "uscc": E1,
        "licence_kind": "食品经营许可证",
        "holder_name": "成都示例科技 (集团) 有限公司",
        "address": "科华北路1号",
        "region_code": "510107",
        "issued": "2022/3/1",
        "valid_until": "2027-02-28",
        "authority": "成都市武侯区市场监督管理局",
    },
    "annual_reports": {
        "uscc": E1,
        "report_year": "2024",
        "filed_on": "2025年4月20日",
        "employees": "12",
        "revenue": "350.5",
        "total_assets": "",
    },
}

EXPECTED: dict[str, dict[str, Any]] = {
    "enterprises": {
        "uscc": E1,
        "name": "成都示例科技（集团）有限公司",
        "org_type": "有限责任公司",
        "status": "存续",
        "established": "2015-03-02",
        "registered_capital": 1000.0,
        "paid_in_capital": 500.5,
        "industry_code": "I6510",
        "region_code": "510107",
        "address": "武侯区 科华北路1号",
        "phone": "028-85551234",
        "email": "info@example.cn",
        "address_norm": "四川省成都市武侯区科华北路1号",
        "aid": address_key("四川省成都市武侯区科华北路1号"),
    },
    "persons": {"id_number": PX, "name": "张三"},
    "positions": {
        "uscc": E1,
        "id_number": P1,
        "role": "法定代表人",
        "since": "2015-03-02",
        "until": None,
    },
    "investments": {
        "investee_uscc": E1,
        "investor_kind": "enterprise",
        "investor_key": E2,
        "ratio": 0.35,
        "amount": 350.0,
        "since": "2015-03-02",
    },
    "branches": {"branch_uscc": E2, "parent_uscc": E1, "since": "2018-07-01"},
    "violations": {
        "case_no": "成武市监罚〔2023〕12号",
        "uscc": E1,
        "kind": "行政处罚",
        "date": "2023-04-01",
        "authority": "成都市武侯区市场监督管理局",
        "amount": 5000.0,
        "status": "有效",
        "removed_on": None,
    },
    "labels": {"uscc": E1, "class": "B", "as_of": "2024-12-31"},
    "licences": {
        "licence_no": "JY15101070012345",
        "uscc": E1,
        "licence_kind": "食品经营许可证",
        "holder_name": "成都示例科技（集团）有限公司",
        "address": "科华北路1号",
        "region_code": "510107",
        "issued": "2022-03-01",
        "valid_until": "2027-02-28",
        "authority": "成都市武侯区市场监督管理局",
        "address_norm": "四川省成都市武侯区科华北路1号",
        "aid": address_key("四川省成都市武侯区科华北路1号"),
    },
    "annual_reports": {
        "uscc": E1,
        "report_year": 2024,
        "filed_on": "2025-04-20",
        "employees": 12.0,
        "revenue": 350.5,
        "total_assets": None,
    },
}


def test_good_rows_cover_every_kind() -> None:
    assert set(GOOD) == set(SPECS) == set(EXPECTED)


@pytest.mark.parametrize("kind", list(SPECS))
def test_good_row_validates_to_typed_record(kind: str) -> None:
    assert record_of(kind, GOOD[kind]) == EXPECTED[kind]


def test_person_investor_key_is_an_id_number() -> None:
    row = GOOD["investments"] | {"investor_kind": "person", "investor_key": PX.lower()}
    assert record_of("investments", row)["investor_key"] == PX


def test_enterprise_without_address_has_no_aid() -> None:
    record = record_of("enterprises", GOOD["enterprises"] | {"address": "  "})
    assert record["address"] is None
    assert record["address_norm"] is None
    assert record["aid"] is None


def test_absent_optional_columns_read_as_empty() -> None:
    row = {name: GOOD["violations"][name] for name in ("case_no", "uscc", "kind", "date")}
    record = record_of("violations", row)
    assert record["status"] == "有效"
    assert record["amount"] is None and record["authority"] is None


def test_planned_end_of_a_position_may_be_in_the_future() -> None:
    record = record_of("positions", GOOD["positions"] | {"until": "2027-03-01"})
    assert record["until"] == "2027-03-01"


# --- accepted formats ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2020-01-05",
        "2020/01/05",
        "20200105",
        "2020年01月05日",
        "2020年1月5日",
        "2020-1-5",
        "2020.01.05",
        "2020-01-05T00:00:00",
        "2020-01-05 08:30:00.5",
        "２０２０－０１－０５",
        " 2020-01-05 ",
    ],
)
def test_date_formats(text: str) -> None:
    assert record_of("labels", GOOD["labels"] | {"as_of": text})["as_of"] == "2020-01-05"


@pytest.mark.parametrize(
    "text",
    [
        "2020-02-30",
        "2020-13-01",
        "2020-00-10",
        "05/01/2020",
        "2020-01",
        "2020-01/05",
        "yesterday",
        "1899-12-31",
        "2020010",
        "２０２０年１月",
        "٢٠٢٠-٠١-٠٥",
    ],
)
def test_invalid_dates(text: str) -> None:
    assert reasons_of("labels", GOOD["labels"] | {"as_of": text}) == ("invalid_date:as_of",)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1000", 1000.0),
        ("1,000", 1000.0),
        ("1,234,567.25", 1234567.25),
        ("１２３４．５", 1234.5),
        ("１，０００", 1000.0),
        ("+5", 5.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("1e3", 1000.0),
        ("1.5E-05", 1.5e-05),
        (" 12 ", 12.0),
        ("0", 0.0),
        ("-0", 0.0),
    ],
)
def test_decimal_formats(text: str, value: float) -> None:
    assert record_of("violations", GOOD["violations"] | {"amount": text})["amount"] == value


@pytest.mark.parametrize(
    "text", ["1,00", "1,0000", "abc", "nan", "inf", "1_000", "--1", "1e999", "1.2.3", "¥100"]
)
def test_not_a_number(text: str) -> None:
    row = GOOD["violations"] | {"amount": text}
    assert reasons_of("violations", row) == ("not_a_number:amount",)


@pytest.mark.parametrize(
    ("text", "value"),
    [("0.35", 0.35), ("35%", 0.35), ("35 ％", 0.35), ("0", 0.0), ("1", 1.0), ("100%", 1.0)],
)
def test_ratio_formats(text: str, value: float) -> None:
    assert record_of("investments", GOOD["investments"] | {"ratio": text})["ratio"] == value


@pytest.mark.parametrize("text", ["1.5", "-0.1", "150%", "35", "-1%"])
def test_ratio_out_of_range(text: str) -> None:
    row = GOOD["investments"] | {"ratio": text}
    assert reasons_of("investments", row) == ("ratio_range:ratio",)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("C", "C"),
        ("C13", "C13"),
        ("C131", "C131"),
        ("c1310", "C1310"),
        ("1310", "C1310"),
        ("13", "C13"),
        ("K70", "K70"),
        ("T98", "T98"),
        ("A0511", "A0511"),
    ],
)
def test_industry_codes(text: str, value: str) -> None:
    row = GOOD["enterprises"] | {"industry_code": text}
    assert record_of("enterprises", row)["industry_code"] == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Z", "industry_format"),
        ("U01", "industry_format"),
        ("C1", "industry_format"),
        ("C12345", "industry_format"),
        ("制造业", "industry_format"),
        ("A13", "industry_division"),
        ("C44", "industry_division"),
        ("99", "industry_division"),
        ("00", "industry_division"),
    ],
)
def test_industry_problems(text: str, code: str) -> None:
    row = GOOD["enterprises"] | {"industry_code": text}
    assert reasons_of("enterprises", row) == (f"{code}:industry_code",)


@pytest.mark.parametrize(
    "text",
    [
        "13800138000",
        "138 0013 8000",
        "+86 13800138000",
        "028-85551234",
        "(028)85551234",
        "028-85551234转123",
        "028-85551234;13800138000",
        "０２８－８５５５１２３４",
    ],
)
def test_phone_formats(text: str) -> None:
    record_of("enterprises", GOOD["enterprises"] | {"phone": text})


@pytest.mark.parametrize("text", ["abc", "12345", "028-8555-abcd", "电话13800138000"])
def test_phone_problems(text: str) -> None:
    row = GOOD["enterprises"] | {"phone": text}
    assert reasons_of("enterprises", row) == ("phone_format:phone",)


@pytest.mark.parametrize("text", ["a@b.cn", "first.last+tag@mail.example.com.cn", "张@例子.中国"])
def test_email_formats(text: str) -> None:
    assert record_of("enterprises", GOOD["enterprises"] | {"email": text})["email"] == text


@pytest.mark.parametrize("text", ["a", "a@b", "a@@b.cn", "a b@c.cn", "a@b.cn;c@d.cn", "@b.cn"])
def test_email_problems(text: str) -> None:
    row = GOOD["enterprises"] | {"email": text}
    assert reasons_of("enterprises", row) == ("email_format:email",)


# --- one failing example per rule ------------------------------------------------------

BAD_USCC = E1[:17] + ("0" if E1[17] != "0" else "1")
BAD_ID = P1[:17] + ("0" if P1[17] != "0" else "1")

FAILURES: list[tuple[str, dict[str, str | None], str]] = [
    ("enterprises", {"uscc": None}, "missing:uscc"),
    ("enterprises", {"name": "   "}, "missing:name"),
    ("enterprises", {"uscc": BAD_USCC}, "uscc_check:uscc"),
    ("enterprises", {"uscc": E1[:17]}, "uscc_length:uscc"),
    ("enterprises", {"uscc": "9151010712345678I0"}, "uscc_charset:uscc"),
    ("enterprises", {"uscc": "91AB0107123456788T"}, "uscc_region:uscc"),
    ("enterprises", {"uscc": E1[:16] + "00"}, "uscc_org_check:uscc"),
    ("enterprises", {"org_type": "有限公司"}, "enum:org_type"),
    ("enterprises", {"status": "active"}, "enum:status"),
    ("enterprises", {"established": "2015-02-29"}, "invalid_date:established"),
    ("enterprises", {"established": "2025-07-01"}, "future_date:established"),
    ("enterprises", {"registered_capital": "-1"}, "negative:registered_capital"),
    ("enterprises", {"paid_in_capital": "很多"}, "not_a_number:paid_in_capital"),
    ("enterprises", {"region_code": "990101"}, "region_unknown:region_code"),
    ("enterprises", {"region_code": "51010"}, "region_format:region_code"),
    ("enterprises", {"industry_code": "X01"}, "industry_format:industry_code"),
    ("enterprises", {"industry_code": "A13"}, "industry_division:industry_code"),
    ("enterprises", {"phone": "n/a"}, "phone_format:phone"),
    ("enterprises", {"email": "n/a"}, "email_format:email"),
    ("persons", {"id_number": BAD_ID}, "id_check:id_number"),
    ("persons", {"id_number": P1[:15]}, "id_length:id_number"),
    ("persons", {"id_number": P1[:16] + "AB"}, "id_charset:id_number"),
    ("persons", {"id_number": "51010720300101123X"}, "id_birthdate:id_number"),
    ("persons", {"name": ""}, "missing:name"),
    ("positions", {"role": "总裁"}, "enum:role"),
    ("positions", {"since": "2020-01-01", "until": "2019-12-31"}, "date_order:until"),
    ("positions", {"id_number": None}, "missing:id_number"),
    ("investments", {"investor_kind": "fund"}, "enum:investor_kind"),
    ("investments", {"investor_key": E1}, "self_reference"),
    ("investments", {"investor_key": BAD_USCC}, "uscc_check:investor_key"),
    ("investments", {"investor_kind": "person", "investor_key": BAD_ID}, "id_check:investor_key"),
    ("investments", {"investor_kind": "person", "investor_key": "12345"}, "id_length:investor_key"),
    ("investments", {"ratio": "1.01"}, "ratio_range:ratio"),
    ("investments", {"ratio": "三成"}, "not_a_number:ratio"),
    ("investments", {"amount": "-350"}, "negative:amount"),
    ("investments", {"investee_uscc": BAD_USCC}, "uscc_check:investee_uscc"),
    ("branches", {"parent_uscc": E2}, "self_reference"),
    ("branches", {"since": "2030-01-01"}, "future_date:since"),
    ("violations", {"case_no": None}, "missing:case_no"),
    ("violations", {"kind": "警告"}, "enum:kind"),
    ("violations", {"status": "removed"}, "enum:status"),
    ("violations", {"removed_on": "2023-03-31"}, "date_order:removed_on"),
    ("violations", {"date": None}, "missing:date"),
    ("labels", {"class": "E"}, "enum:class"),
    ("labels", {"as_of": "2026-01-01"}, "future_date:as_of"),
    ("licences", {"licence_kind": "烟草专卖许可证"}, "enum:licence_kind"),
    ("licences", {"valid_until": "2021-01-01"}, "date_order:valid_until"),
    ("licences", {"holder_name": None}, "missing:holder_name"),
    ("annual_reports", {"report_year": "二〇二四"}, "invalid_year:report_year"),
    ("annual_reports", {"report_year": "2026", "filed_on": None}, "future_date:report_year"),
    ("annual_reports", {"filed_on": "2024-12-31"}, "date_order:filed_on"),
    ("annual_reports", {"employees": "-1"}, "negative:employees"),
]


@pytest.mark.parametrize(("kind", "change", "code"), FAILURES)
def test_each_rule_has_its_reason(kind: str, change: dict[str, str | None], code: str) -> None:
    assert reasons_of(kind, GOOD[kind] | change) == (code,)


def test_every_row_reason_has_a_failing_example() -> None:
    used = {code.partition(":")[0] for _, _, code in FAILURES}
    assert used == ROW_REASONS


def test_a_row_collects_all_its_reasons() -> None:
    row = GOOD["enterprises"] | {
        "uscc": BAD_USCC,
        "name": None,
        "status": "?",
        "established": "2099-01-01",
        "registered_capital": "-5",
        "region_code": "abc",
    }
    assert set(reasons_of("enterprises", row)) == {
        "uscc_check:uscc",
        "missing:name",
        "enum:status",
        "future_date:established",
        "negative:registered_capital",
        "region_format:region_code",
    }


def test_unknown_investor_kind_skips_the_key_check() -> None:
    row = GOOD["investments"] | {"investor_kind": "", "investor_key": "garbage"}
    assert reasons_of("investments", row) == ("missing:investor_kind",)


# --- extra columns, headers, unknown kinds ---------------------------------------------


def test_undeclared_extra_columns_are_ignored() -> None:
    record = record_of("labels", GOOD["labels"] | {"memo": "x"})
    assert "memo" not in record and "extra" not in record


def test_declared_extra_columns_are_kept_cleaned() -> None:
    row = GOOD["labels"] | {"memo": " a  ｂ ", "other": "y"}
    record = record_of("labels", row, declared_extra=frozenset({"memo", "source", "uscc"}))
    assert record["extra"] == {"memo": "a b", "source": None}
    assert record["uscc"] == E1


@pytest.mark.parametrize("kind", list(SPECS))
def test_missing_columns(kind: str) -> None:
    spec = SPECS[kind]
    assert missing_columns(kind, list(spec.column_names)) == []
    assert missing_columns(kind, [*spec.required_columns, "extra"]) == []
    assert missing_columns(kind, []) == list(spec.required_columns)
    first = spec.required_columns[0]
    assert missing_columns(kind, [c for c in spec.column_names if c != first]) == [first]


def test_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        validate_row("shareholders", {}, today=TODAY)
    with pytest.raises(ValueError, match="unknown kind"):
        missing_columns("shareholders", [])


# --- the specs themselves --------------------------------------------------------------


def test_specs_are_consistent() -> None:
    assert list(SPECS)[:2] == ["enterprises", "persons"]
    seen: set[str] = set()
    for kind, spec in SPECS.items():
        names = spec.column_names
        assert spec.kind == kind
        assert len(set(names)) == len(names)
        assert set(spec.key) <= set(spec.required_columns)
        assert set(spec.depends_on) <= seen  # load order respects dependencies
        seen.add(kind)
        for column in spec.columns:
            assert column.type in COLUMN_TYPES
            assert bool(column.choices) == (column.type == "enum"), column
            assert column.default is None or column.default in column.choices
            if column.not_before is not None:
                assert column.type == "date"
                assert spec.columns[names.index(column.not_before)].type == "date"
    optional = [kind for kind, spec in SPECS.items() if spec.optional]
    assert optional == ["labels", "licences", "annual_reports"]


def test_reason_codes_include_the_identifier_and_region_codes() -> None:
    assert USCC_PROBLEMS | ID_PROBLEMS | REGION_PROBLEMS <= ROW_REASONS
    assert not ROW_REASONS & LOADER_REASONS
    assert REASON_CODES == ROW_REASONS | LOADER_REASONS


def test_docs_list_every_column_and_reason_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    for code in REASON_CODES:
        assert f"`{code}" in text, code
    for kind, spec in SPECS.items():
        section = text.split(f"### `{kind}`", 1)[1].split("\n### ", 1)[0]
        for column in spec.columns:
            assert f"| `{column.name}` | {column.zh} |" in section, (kind, column.name)
            for choice in column.choices:
                assert choice in section, (kind, choice)


# --- property tests --------------------------------------------------------------------

CJK = "成都武侯科技贸易有限公司集团张王李赵伟芳"
NAME_CHARS = CJK + "ABCxyz0123456789 ()（）·&-\u3000\t"
REGIONS = known_codes()
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日", "%Y.%m.%d")
FULLWIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def _fullwidth_sometimes(draw: st.DrawFn, text: str) -> str:
    return text.translate(FULLWIDTH) if draw(st.booleans()) else text


@st.composite
def usccs(draw: st.DrawFn) -> str:
    body = draw(st.text(USCC_ALPHABET, min_size=8, max_size=8))
    value = make_uscc(draw(st.sampled_from(["91", "92", "93", "11"])) + "510107" + body)
    return value.lower() if draw(st.booleans()) else value


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    birth = draw(st.dates(dt.date(1930, 1, 1), dt.date(2005, 12, 31)))
    serial = draw(st.integers(0, 999))
    value = make_id_number(f"510107{birth:%Y%m%d}{serial:03d}", today=TODAY)
    return value.lower()


@st.composite
def dates(draw: st.DrawFn, low: dt.date = dt.date(1990, 1, 1), high: dt.date = TODAY) -> str:
    day = draw(st.dates(low, high))
    return _fullwidth_sometimes(draw, day.strftime(draw(st.sampled_from(DATE_FORMATS))))


@st.composite
def amounts(draw: st.DrawFn) -> str:
    value = draw(st.integers(0, 10**9)) / 100
    text = f"{value:,.2f}" if draw(st.booleans()) else repr(value)
    return _fullwidth_sometimes(draw, text)


@st.composite
def ratios(draw: st.DrawFn) -> str:
    percent = draw(st.integers(0, 10000)) / 100
    return f"{percent}%" if draw(st.booleans()) else repr(percent / 100)


names = st.text(NAME_CHARS, min_size=1, max_size=20).filter(lambda s: clean_text(s) is not None)


def choices_of(kind: str, name: str) -> tuple[str, ...]:
    return next(c.choices for c in SPECS[kind].columns if c.name == name)


def maybe(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), st.just(" "), strategy)


def _valid_rows(kind: str) -> st.SearchStrategy[dict[str, str | None]]:
    spec = SPECS[kind]
    since = maybe(dates())
    fields: dict[str, st.SearchStrategy[str | None]] = {
        c.name: st.sampled_from(c.choices) for c in spec.columns if c.type == "enum"
    }
    if kind == "enterprises":
        fields |= {
            "uscc": usccs(),
            "name": names,
            "established": dates(),
            "registered_capital": maybe(amounts()),
            "paid_in_capital": maybe(amounts()),
            "industry_code": maybe(st.sampled_from(["C", "c13", "C1310", "1310", "I65"])),
            "region_code": st.sampled_from(REGIONS),
            "address": maybe(st.text(CJK + "0123456789号路 １", min_size=1, max_size=20)),
            "phone": maybe(st.sampled_from(["13800138000", "028-8555 1234"])),
            "email": maybe(st.just("a@b.cn")),
        }
    elif kind == "persons":
        fields |= {"id_number": id_numbers(), "name": names}
    elif kind == "positions":
        fields |= {"uscc": usccs(), "id_number": id_numbers(), "since": since, "until": st.none()}
    elif kind == "investments":
        fields |= {
            "investee_uscc": usccs(),
            "investor_kind": st.just("person"),
            "investor_key": id_numbers(),
            "ratio": maybe(ratios()),
            "amount": maybe(amounts()),
            "since": since,
        }
    elif kind == "branches":
        branch = usccs().filter(lambda code: code.upper() != E1)  # a branch of itself is invalid
        fields |= {"branch_uscc": branch, "parent_uscc": st.just(E1), "since": since}
    elif kind == "violations":
        fields |= {
            "case_no": names,
            "uscc": usccs(),
            "date": dates(),
            "authority": maybe(names),
            "amount": maybe(amounts()),
            "status": maybe(st.sampled_from(choices_of(kind, "status"))),
            "removed_on": st.none(),
        }
    elif kind == "licences":
        fields |= {
            "licence_no": names,
            "uscc": usccs(),
            "holder_name": names,
            "address": maybe(st.text(CJK + "0123456789号路 １", min_size=1, max_size=20)),
            "region_code": maybe(st.sampled_from(REGIONS)),
            "issued": dates(),
            "valid_until": st.none(),
            "authority": maybe(names),
        }
    elif kind == "annual_reports":
        fields |= {
            "uscc": usccs(),
            "report_year": st.integers(1990, 2020).map(str),
            "filed_on": maybe(dates(low=dt.date(2021, 1, 1))),
            "employees": maybe(amounts()),
            "revenue": maybe(amounts()),
            "total_assets": maybe(amounts()),
        }
    else:
        fields |= {"uscc": usccs(), "as_of": dates()}
    assert set(fields) == set(spec.column_names), kind
    return st.fixed_dictionaries(fields)


VALID_ROWS = {kind: _valid_rows(kind) for kind in SPECS}


@dataclass(frozen=True)
class Corruption:
    kind: str
    code: str
    apply: Callable[[dict[str, str | None], st.DrawFn], dict[str, str | None]]


def _blank(column: str) -> Callable[[dict[str, str | None], st.DrawFn], dict[str, str | None]]:
    def apply(row: dict[str, str | None], draw: st.DrawFn) -> dict[str, str | None]:
        how = draw(st.sampled_from(["none", "empty", "space", "absent"]))
        if how == "absent":
            return {k: v for k, v in row.items() if k != column}
        return row | {column: {"none": None, "empty": "", "space": " \u3000\t"}[how]}

    return apply


def _set(column: str, values: st.SearchStrategy[str]) -> Callable[..., dict[str, str | None]]:
    def apply(row: dict[str, str | None], draw: st.DrawFn) -> dict[str, str | None]:
        return row | {column: draw(values)}

    return apply


def _break_check(column: str, alphabet: str) -> Callable[..., dict[str, str | None]]:
    def apply(row: dict[str, str | None], draw: st.DrawFn) -> dict[str, str | None]:
        value = row[column]
        assert value is not None
        last = draw(st.sampled_from([c for c in alphabet if c != value[-1].upper()]))
        return row | {column: value[:-1] + last}

    return apply


def _date_order(later: str, earlier: str) -> Callable[..., dict[str, str | None]]:
    def apply(row: dict[str, str | None], draw: st.DrawFn) -> dict[str, str | None]:
        day = draw(st.dates(dt.date(2000, 1, 2), TODAY))
        gap = dt.timedelta(days=draw(st.integers(1, 365)))
        return row | {earlier: day.isoformat(), later: f"{day - gap:%Y/%m/%d}"}

    return apply


def _self_reference(a: str, b: str) -> Callable[..., dict[str, str | None]]:
    def apply(row: dict[str, str | None], draw: st.DrawFn) -> dict[str, str | None]:
        changed = row | {a: row[b]}
        if a == "investor_key":
            changed["investor_kind"] = "enterprise"
        return changed

    return apply


GARBLED_DATES = st.sampled_from(["2021-02-29", "2021-13-01", "2021/00/10", "31/12/2020", "昨天"])
FUTURE_DATES = dates(TODAY + dt.timedelta(days=1), dt.date(2100, 1, 1))
BAD_ENUMS = st.text("xyz未知其他类型", min_size=1, max_size=6)


def _by_type(c: Any) -> list[tuple[str, Any]]:
    """The corruptions a column's type invites: (reason code, how to corrupt a row)."""
    name = c.name
    if c.type == "uscc":
        return [("uscc_check", _break_check(name, USCC_ALPHABET))]
    if c.type == "id_number":
        return [("id_check", _break_check(name, "0123456789X"))]
    if c.type == "year":
        return [
            ("invalid_year", _set(name, st.sampled_from(["20x5", "99", "12345", "1899"]))),
            ("future_date", _set(name, st.just("2999"))),
        ]
    if c.type == "date":
        found = [("invalid_date", _set(name, GARBLED_DATES))]
        if not c.allow_future:
            found.append(("future_date", _set(name, FUTURE_DATES)))
        if c.not_before is not None:
            found.append(("date_order", _date_order(name, c.not_before)))
        return found
    if c.type == "ratio":
        return [("ratio_range", _set(name, st.sampled_from(["1.0001", "-0.5", "101%", "2"])))]
    if c.type == "decimal":
        return [
            ("negative", _set(name, st.just("-12.5"))),
            ("not_a_number", _set(name, st.just("N/A"))),
        ]
    if c.type == "enum":
        return [("enum", _set(name, BAD_ENUMS.filter(lambda s, c=c: s not in c.choices)))]
    if c.type == "region":
        return [("region_unknown", _set(name, st.just("990000")))]
    return []


def _catalogue() -> list[Corruption]:
    out: list[Corruption] = []
    for kind, spec in SPECS.items():
        for c in spec.columns:
            if c.required:
                out.append(Corruption(kind, f"missing:{c.name}", _blank(c.name)))
            out.extend(Corruption(kind, f"{code}:{c.name}", how) for code, how in _by_type(c))
    out.append(
        Corruption(
            "investments", "id_check:investor_key", _break_check("investor_key", "0123456789X")
        )
    )
    out.append(
        Corruption(
            "investments", "self_reference", _self_reference("investor_key", "investee_uscc")
        )
    )
    out.append(
        Corruption("branches", "self_reference", _self_reference("parent_uscc", "branch_uscc"))
    )
    return out


CATALOGUE = _catalogue()


@pytest.mark.parametrize("corruption", CATALOGUE, ids=lambda c: f"{c.kind}-{c.code}")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_corrupted_rows_are_refused_with_the_expected_reason(
    corruption: Corruption, data: st.DataObject
) -> None:
    row = data.draw(VALID_ROWS[corruption.kind])
    assert check(corruption.kind, row).record is not None
    broken = corruption.apply(row, data.draw)
    result = check(corruption.kind, broken)
    assert result.record is None
    assert corruption.code in result.reasons


def _as_input(value: Any) -> str | None:
    return None if value is None else repr(value) if isinstance(value, float) else str(value)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(SPECS)), st.data())
def test_validation_is_deterministic_and_idempotent(kind: str, data: st.DataObject) -> None:
    row = data.draw(VALID_ROWS[kind])
    first = check(kind, row)
    assert check(kind, dict(row)) == first
    assert first.record is not None
    again = check(kind, {k: _as_input(v) for k, v in first.record.items()})
    assert again == first


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30))
def test_text_cells_are_cleaned_like_the_normalisers(authority: str, name: str) -> None:
    violation = check("violations", GOOD["violations"] | {"authority": authority})
    assert violation.record is not None
    assert violation.record["authority"] == clean_text(authority)
    person = check("persons", GOOD["persons"] | {"name": name})
    if clean_text(name) is None:
        assert person.reasons == ("missing:name",)
    else:
        assert person.record is not None
        assert person.record["name"] == normalize_name(name)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_arbitrary_cells_never_crash(text: str) -> None:
    for kind, spec in SPECS.items():
        for column in spec.columns:
            result = check(kind, GOOD[kind] | {column.name: text})
            assert (result.record is None) != (result.reasons == ())
            assert all(r.partition(":")[0] in ROW_REASONS for r in result.reasons)


def test_column_is_frozen() -> None:
    column = SPECS["labels"].columns[0]
    assert isinstance(column, Column)
    with pytest.raises(AttributeError):
        column.name = "x"  # type: ignore[misc]
    assert re.fullmatch(r"[a-z_]+", column.name)
