"""Tests for the administrative division table (GB/T 2260 subset)."""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskgraph.reference import (
    MUNICIPALITIES,
    REGION_PROBLEMS,
    Region,
    division_chain,
    full_name,
    is_known_region,
    known_codes,
    province_of,
    region,
    region_problem,
)

CHENGDU = {
    "510104": "锦江区",
    "510105": "青羊区",
    "510106": "金牛区",
    "510107": "武侯区",
    "510108": "成华区",
    "510112": "龙泉驿区",
    "510113": "青白江区",
    "510114": "新都区",
    "510115": "温江区",
    "510116": "双流区",
    "510117": "郫都区",
    "510118": "新津区",
    "510121": "金堂县",
    "510129": "大邑县",
    "510131": "蒲江县",
    "510181": "都江堰市",
    "510182": "彭州市",
    "510183": "邛崃市",
    "510184": "崇州市",
    "510185": "简阳市",
}


def _names(codes: list[str]) -> dict[str, str]:
    out = {}
    for code in codes:
        info = region(code)
        assert info is not None
        out[code] = info.name
    return out


def test_tsv_is_well_formed() -> None:
    text = resources.files("riskgraph.reference").joinpath("regions.tsv").read_text("utf-8")
    lines = text.splitlines()
    codes = []
    for line in lines:
        code, name = line.split("\t")
        assert len(code) == 6 and code.isascii() and code.isdigit()
        assert name and name == name.strip()
        codes.append(code)
    assert codes == sorted(set(codes))
    assert known_codes() == codes


def test_all_31_provinces() -> None:
    provinces = [c for c in known_codes() if c.endswith("0000")]
    assert len(provinces) == 31
    assert provinces[0] == "110000" and provinces[-1] == "650000"
    assert region("110000") == Region("110000", "北京市", "北京市", None, None)
    assert _names(["150000", "450000", "540000", "640000", "650000"]) == {
        "150000": "内蒙古自治区",
        "450000": "广西壮族自治区",
        "540000": "西藏自治区",
        "640000": "宁夏回族自治区",
        "650000": "新疆维吾尔自治区",
    }
    assert set(provinces) >= MUNICIPALITIES


def _cities(province_prefix: str) -> list[str]:
    return [c for c in known_codes(province_prefix) if c.endswith("00") and c[2:4] != "00"]


def test_prefecture_level_cities() -> None:
    sichuan = _cities("51")
    guangdong = _cities("44")
    assert len(sichuan) == 21 and len(guangdong) == 21
    assert region("513400") == Region("513400", "凉山彝族自治州", "四川省", "凉山彝族自治州", None)
    assert _names(["441900", "442000", "445300"]) == {
        "441900": "东莞市",
        "442000": "中山市",
        "445300": "云浮市",
    }


def test_county_level_lists() -> None:
    chengdu = [c for c in known_codes("5101") if c != "510100"]
    assert _names(chengdu) == CHENGDU
    assert len([c for c in known_codes("1101")]) == 16
    assert len([c for c in known_codes("4401") if c != "440100"]) == 11
    assert len([c for c in known_codes("4403") if c != "440300"]) == 9
    assert region("440305") == Region("440305", "南山区", "广东省", "深圳市", "南山区")


def test_region_fields_and_full_name() -> None:
    assert region("510107") == Region("510107", "武侯区", "四川省", "成都市", "武侯区")
    assert region("510100") == Region("510100", "成都市", "四川省", "成都市", None)
    # 直辖市: the municipality plays the city level and is not repeated in full names.
    assert region("110101") == Region("110101", "东城区", "北京市", "北京市", "东城区")
    assert full_name("510107") == "四川省成都市武侯区"
    assert full_name("510100") == "四川省成都市"
    assert full_name("510000") == "四川省"
    assert full_name("110101") == "北京市东城区"
    assert full_name("440106") == "广东省广州市天河区"
    with pytest.raises(KeyError):
        full_name("510703")


def test_division_chain() -> None:
    assert division_chain("510107") == ["510000", "510100", "510107"]
    assert division_chain("110108") == ["110000", "110108"]
    assert division_chain("440000") == ["440000"]
    assert division_chain("999999") == []


def test_lookups() -> None:
    assert region("510703") is None  # plausible but not listed
    assert region("") is None
    assert is_known_region("440311") and not is_known_region("440316")
    assert province_of("510703") == "四川省"
    assert province_of("810000") is None
    assert province_of("51010") is None
    assert known_codes("4403") == [
        "440300",
        "440303",
        "440304",
        "440305",
        "440306",
        "440307",
        "440308",
        "440309",
        "440310",
        "440311",
    ]
    assert known_codes("99") == []


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("510107", None),
        ("510703", None),
        ("110000", None),
        ("810000", "region_unknown"),
        ("000000", "region_unknown"),
        ("51010", "region_format"),
        ("5101070", "region_format"),
        ("51010a", "region_format"),
        ("５１０１０７", "region_format"),
        ("", "region_format"),
    ],
)
def test_region_problem(code: str, problem: str | None) -> None:
    assert region_problem(code) == problem


@pytest.mark.parametrize("code", known_codes())
def test_every_code_consistent(code: str) -> None:
    info = region(code)
    assert info is not None
    assert region_problem(code) is None
    assert province_of(code) == info.province
    name = full_name(code)
    assert name.startswith(info.province) and name.endswith(info.name)
    assert (info.city is None) == code.endswith("0000")
    assert (info.district is None) == code.endswith("00")
    assert division_chain(code)[-1] == code


@settings(max_examples=200, deadline=None)
@given(code=st.text(max_size=8))
def test_region_problem_total(code: str) -> None:
    problem = region_problem(code)
    assert problem in REGION_PROBLEMS | {None}
    if problem is None:
        assert province_of(code) is not None
    if is_known_region(code):
        assert problem is None
