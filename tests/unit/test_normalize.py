"""Tests for name/address normalisation and address keys."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskgraph.ingest.normalize import (
    address_key,
    clean_text,
    normalize_address,
    normalize_name,
    to_halfwidth,
)
from riskgraph.reference import full_name, known_codes, region


def to_fullwidth(s: str) -> str:
    """Test helper: the inverse mapping of ``to_halfwidth`` on printable ASCII."""
    return "".join(
        "\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in s
    )


# --- to_halfwidth / clean_text ---------------------------------------------------------


def test_halfwidth_full_range() -> None:
    for cp in range(0xFF01, 0xFF5F):
        assert to_halfwidth(chr(cp)) == chr(cp - 0xFEE0)
    assert to_halfwidth("\u3000") == " "
    assert to_halfwidth("ＡＢＣ１２３（有限公司）") == "ABC123(有限公司)"
    # Neighbours of the range and other wide characters are untouched.
    assert to_halfwidth("\uff00\uff5f\uffe5、。") == "\uff00\uff5f\uffe5、。"
    assert to_halfwidth("，；：") == ",;:"


@settings(max_examples=200, deadline=None)
@given(s=st.text(alphabet=string.printable[:95]))  # printable ASCII incl. space
def test_fullwidth_round_trip(s: str) -> None:
    wide = to_fullwidth(s)
    assert all(not ("!" <= ch <= "~") for ch in wide)
    assert to_halfwidth(wide) == s


@settings(max_examples=200, deadline=None)
@given(s=st.text())
def test_halfwidth_idempotent_and_length_preserving(s: str) -> None:
    once = to_halfwidth(s)
    assert to_halfwidth(once) == once
    assert len(once) == len(s)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  a  b\t\nc ", "a b c"),
        ("\u3000成都\u3000\u3000某某\u3000", "成都 某某"),
        ("ＡＢＣ　ＤＥＦ", "ABC DEF"),
        ("x", "x"),
        ("", None),
        (" \t\n\u3000 ", None),
        (None, None),
    ],
)
def test_clean_text(raw: str | None, expected: str | None) -> None:
    assert clean_text(raw) == expected


@settings(max_examples=300, deadline=None)
@given(s=st.text())
def test_clean_text_properties(s: str) -> None:
    once = clean_text(s)
    assert clean_text(once) == once
    if once is not None:
        assert once == once.strip() and once != ""
        assert "  " not in once
        assert all(ch == " " or not ch.isspace() for ch in once)


# --- normalize_name --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("耐克体育(中国)有限公司", "耐克体育（中国）有限公司"),
        ("耐克体育（中国）有限公司", "耐克体育（中国）有限公司"),
        ("耐克体育 ( 中国 ) 有限公司", "耐克体育（中国）有限公司"),
        ("成都 某某 科技 有限公司", "成都某某科技有限公司"),
        ("\u3000成都某某科技有限公司　", "成都某某科技有限公司"),
        ("ＡＢＣ科技(成都)有限公司", "ABC科技（成都）有限公司"),
        ("Apple  Inc. (China)", "Apple Inc.（China）"),
        ("张 三", "张三"),
        ("", None),
        (None, None),
    ],
)
def test_normalize_name(raw: str | None, expected: str | None) -> None:
    assert normalize_name(raw) == expected


_name_text = st.text(
    alphabet=st.sampled_from(list("成都某科技有限公司()（） \u3000\tAbc1ＡＢ１-.")), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(s=st.one_of(_name_text, st.text(max_size=30)))
def test_normalize_name_properties(s: str) -> None:
    once = normalize_name(s)
    assert normalize_name(once) == once
    if once is not None:
        assert "(" not in once and ")" not in once
        assert " （" not in once and "（ " not in once
        assert " ）" not in once and "） " not in once


# --- normalize_address -----------------------------------------------------------------

WUHOU = "510107"
FULL = "四川省成都市武侯区xx路1号"


@pytest.mark.parametrize(
    ("raw", "code", "expected"),
    [
        # Missing leading levels are completed.
        ("武侯区xx路1号", WUHOU, FULL),
        ("成都市武侯区xx路1号", WUHOU, FULL),
        (FULL, WUHOU, FULL),
        ("xx路1号", WUHOU, FULL),
        ("四川成都武侯区xx路1号", WUHOU, FULL),
        ("成都武侯区xx路1号", WUHOU, FULL),
        ("四川省武侯区xx路1号", WUHOU, FULL),
        (" 四川省 成都市　武侯区 ｘｘ路１号 ", WUHOU, FULL),
        # Levels below the deepest named one are not inserted.
        ("四川省成都市xx路1号", WUHOU, "四川省成都市xx路1号"),
        ("成都市高新区xx路1号", WUHOU, "四川省成都市高新区xx路1号"),
        ("四川省xx路1号", WUHOU, "四川省xx路1号"),
        # A different division keeps its text and gets only the consistent prefix.
        ("锦江区xx路1号", WUHOU, "四川省成都市锦江区xx路1号"),
        ("成都市锦江区xx路1号", WUHOU, "四川省成都市锦江区xx路1号"),
        ("绵阳市涪城区xx路1号", WUHOU, "四川省绵阳市涪城区xx路1号"),
        ("广东省广州市xx路1号", WUHOU, "广东省广州市xx路1号"),
        ("天河区xx路1号", WUHOU, "天河区xx路1号"),
        # Short forms only count when followed by a deeper level; districts have none.
        ("成都xx路1号", WUHOU, "四川省成都xx路1号"),
        ("广州大道中289号", "440106", "广东省广州大道中289号"),
        ("武侯祠大街231号", WUHOU, "四川省成都市武侯区武侯祠大街231号"),
        # 直辖市: the city level is not repeated.
        ("东城区xx胡同1号", "110101", "北京市东城区xx胡同1号"),
        ("北京东城区xx胡同1号", "110101", "北京市东城区xx胡同1号"),
        ("北京市北京市东城区xx胡同1号", "110101", "北京市北京市东城区xx胡同1号"),
        # Province- and city-level codes.
        ("成都市武侯区xx路1号", "510000", FULL),
        ("武侯区xx路1号", "510100", FULL),
        ("xx路1号", "510100", "四川省成都市xx路1号"),
        # Unknown or absent codes only clean.
        ("武侯区 xx路1号", "510703", "武侯区xx路1号"),
        ("武侯区 xx路1号", "abc", "武侯区xx路1号"),
        ("武侯区 xx路1号", None, "武侯区xx路1号"),
        ("  ", WUHOU, None),
        (None, WUHOU, None),
    ],
)
def test_normalize_address(raw: str | None, code: str | None, expected: str | None) -> None:
    assert normalize_address(raw, code) == expected


_PIECES = [
    "四川省",
    "四川",
    "成都市",
    "成都",
    "武侯区",
    "武侯",
    "锦江区",
    "北京市",
    "北京",
    "东城区",
    "广东省",
    "广东",
    "广州市",
    "广州",
    "天河区",
    "大道",
    "xx路",
    "1号",
    " ",
    "市",
    "区",
    "省",
]
_codes = st.sampled_from([*known_codes(), "510703", "999999", "x"])


@settings(max_examples=500, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(_PIECES), max_size=6),
    tail=st.text(max_size=5),
    code=_codes,
)
def test_normalize_address_idempotent(pieces: list[str], tail: str, code: str) -> None:
    raw = "".join(pieces) + tail
    once = normalize_address(raw, code)
    assert normalize_address(once, code) == once
    if once is not None:
        assert " " not in once
        # Completion only adds or expands division names, never drops text.
        cleaned = clean_text(raw)
        assert cleaned is not None
        assert len(once) >= len(cleaned.replace(" ", ""))


@settings(max_examples=100, deadline=None)
@given(code=st.sampled_from([c for c in known_codes() if not c.endswith("00")]))
def test_all_spellings_of_a_district_agree(code: str) -> None:
    info = region(code)
    assert info is not None
    expected = full_name(code) + "xx路1号"
    assert normalize_address("xx路1号", code) == expected
    assert normalize_address(info.name + "xx路1号", code) == expected
    assert normalize_address(expected, code) == expected


# --- address_key -----------------------------------------------------------------------


def test_address_key() -> None:
    key = address_key(FULL)
    assert key == address_key(FULL)
    assert len(key) == 20 and all(ch in "0123456789abcdef" for ch in key)
    # Pinned so that keys stay stable across releases.
    assert address_key("四川省成都市武侯区xx路") == "2f8254de7061ef5c1ea6"
    assert address_key("四川省成都市武侯区xx路2号") != key
    spellings = ["武侯区xx路1号", "成都 武侯区 xx路1号", "四川成都武侯区ｘｘ路１号"]
    assert {address_key(normalize_address(s, WUHOU) or "") for s in spellings} == {key}
    with pytest.raises(ValueError):
        address_key("")
