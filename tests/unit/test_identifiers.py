"""Tests for USCC (GB 32100) and resident ID number (GB 11643) validation."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskgraph.ingest.identifiers import (
    ID_PROBLEMS,
    USCC_ALPHABET,
    USCC_PROBLEMS,
    id_number_problem,
    is_valid_id_number,
    is_valid_uscc,
    make_id_number,
    make_uscc,
    uscc_problem,
)

# The two vectors of the brief, plus published codes of real enterprises; the last three
# have letters in the organisation-code body or an 'X' org check character.
USCC_VECTORS = [
    "91110108123456788E",
    "91440101MA5CJQ4N59",
    "91330100716105852F",
    "9144030071526726XG",
    "914403001922038216",
]
# The worked examples of GB 11643-1999.
ID_VECTORS = ["11010519491231002X", "440524188001010014"]
ID_CHARS = "0123456789X"

# --- USCC ------------------------------------------------------------------------------


def test_alphabet_is_gb32100() -> None:
    assert len(USCC_ALPHABET) == 31
    assert not set("IOSVZ") & set(USCC_ALPHABET)


@pytest.mark.parametrize("value", USCC_VECTORS)
def test_uscc_vectors_valid(value: str) -> None:
    assert uscc_problem(value) is None
    assert is_valid_uscc(value)


@pytest.mark.parametrize("value", USCC_VECTORS)
def test_make_uscc_reproduces_vectors(value: str) -> None:
    assert make_uscc(value[:16]) == value


def test_org_code_letters_use_latin_alphabet_values() -> None:
    # M A 5 C J Q 4 N with A=10 ... Z=35 (GB 11714) gives check '5'; valuing the letters
    # by their index in the 31-char alphabet would give '9'.
    assert make_uscc("91440101MA5CJQ4N")[16] == "5"
    assert uscc_problem("91440101MA5CJQ4N9" + "9") == "uscc_org_check"


@pytest.mark.parametrize("value", USCC_VECTORS[:2])
def test_uscc_every_single_substitution_is_invalid(value: str) -> None:
    for pos in range(18):
        for ch in USCC_ALPHABET:
            if ch == value[pos]:
                continue
            changed = value[:pos] + ch + value[pos + 1 :]
            problem = uscc_problem(changed)
            assert problem is not None, changed
            assert problem in USCC_PROBLEMS
            assert not is_valid_uscc(changed)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "uscc_length"),
        ("91110108123456788", "uscc_length"),
        ("91110108123456788E0", "uscc_length"),
        ("91440101ma5cjq4n59", "uscc_charset"),  # lowercase is not accepted
        ("91440101MA5CJQ4NI9", "uscc_charset"),  # I is not in the alphabet
        ("9111010812345678 E", "uscc_charset"),
        ("91110108１23456788E", "uscc_charset"),  # full-width digit
        ("9111A108123456788E", "uscc_region"),
        ("91110108123456789E", "uscc_org_check"),
        ("91110108123456788F", "uscc_check"),
        ("91440101MA5CJQ4N58", "uscc_check"),
    ],
)
def test_uscc_problem_reasons(value: str, problem: str) -> None:
    assert uscc_problem(value) == problem


@pytest.mark.parametrize(
    "prefix",
    [
        "",
        "911101081234567",
        "91110108123456788",
        "9111A10812345678",
        "91440101ma5cjq4n",
        "9I110108MA5CJQ4N",
    ],
)
def test_make_uscc_rejects_bad_prefix(prefix: str) -> None:
    with pytest.raises(ValueError):
        make_uscc(prefix)


_uscc_chars = st.sampled_from(USCC_ALPHABET)
uscc_prefixes = st.builds(
    lambda a, b, c: a + b + c,
    st.text(_uscc_chars, min_size=2, max_size=2),
    st.text(st.sampled_from("0123456789"), min_size=6, max_size=6),
    st.text(_uscc_chars, min_size=8, max_size=8),
)


@settings(max_examples=200, deadline=None)
@given(prefix=uscc_prefixes, data=st.data())
def test_make_uscc_valid_and_substitutions_invalid(prefix: str, data: st.DataObject) -> None:
    value = make_uscc(prefix)
    assert value[:16] == prefix
    assert is_valid_uscc(value)
    pos = data.draw(st.integers(0, 17), label="pos")
    ch = data.draw(_uscc_chars.filter(lambda c: c != value[pos]), label="ch")
    assert not is_valid_uscc(value[:pos] + ch + value[pos + 1 :])


@settings(max_examples=200, deadline=None)
@given(prefix=uscc_prefixes, i=st.integers(0, 16))
def test_uscc_adjacent_transposition_is_invalid(prefix: str, i: int) -> None:
    value = make_uscc(prefix)
    swapped = value[:i] + value[i + 1] + value[i] + value[i + 2 :]
    assert (swapped == value) or not is_valid_uscc(swapped)


# --- Resident ID number ----------------------------------------------------------------


@pytest.mark.parametrize("value", ID_VECTORS)
def test_id_vectors_valid(value: str) -> None:
    assert id_number_problem(value) is None
    assert is_valid_id_number(value)
    assert make_id_number(value[:17]) == value


def test_id_lowercase_x_accepted() -> None:
    assert is_valid_id_number("11010519491231002x")
    # ... but only as the check character, and only where X is the right check.
    assert id_number_problem("440524188001010014".replace("4", "x", 1)) == "id_charset"
    assert id_number_problem("44052418800101001x") == "id_check"


@pytest.mark.parametrize("value", ID_VECTORS)
def test_id_every_single_substitution_is_invalid(value: str) -> None:
    for pos in range(18):
        for ch in ID_CHARS:
            if ch == value[pos]:
                continue
            changed = value[:pos] + ch + value[pos + 1 :]
            problem = id_number_problem(changed)
            assert problem is not None, changed
            assert problem in ID_PROBLEMS


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "id_length"),
        ("110105491231002", "id_length"),  # old 15-digit numbers are not accepted
        ("11010519491231002X0", "id_length"),
        ("1101051949123100XX", "id_charset"),
        ("11010519491231002Y", "id_charset"),
        ("11010519491231００2X", "id_charset"),  # full-width digits
        ("11010519491331002X", "id_birthdate"),  # month 13
        ("11010519490229002X", "id_birthdate"),  # 1949 is not a leap year
        ("11010519491231002 ", "id_charset"),
        ("110105194912310021", "id_check"),
    ],
)
def test_id_problem_reasons(value: str, problem: str) -> None:
    assert id_number_problem(value) == problem


def test_id_birthdate_not_in_future() -> None:
    value = "11010519491231002X"
    assert id_number_problem(value, today=dt.date(1949, 12, 31)) is None
    assert id_number_problem(value, today=dt.date(1949, 12, 30)) == "id_birthdate"
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValueError):
        make_id_number("110105" + tomorrow.strftime("%Y%m%d") + "002")


def test_id_leap_day() -> None:
    assert is_valid_id_number(make_id_number("11010520000229123"))
    with pytest.raises(ValueError):
        make_id_number("11010519000229123")  # 1900 is not a leap year


@pytest.mark.parametrize(
    "prefix", ["", "1101051949123100", "110105194912310021", "1101051949123100X"]
)
def test_make_id_number_rejects_bad_prefix(prefix: str) -> None:
    with pytest.raises(ValueError):
        make_id_number(prefix)


id_prefixes = st.builds(
    lambda region, birth, seq: region + birth.strftime("%Y%m%d") + seq,
    st.text(st.sampled_from("0123456789"), min_size=6, max_size=6),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today()),
    st.text(st.sampled_from("0123456789"), min_size=3, max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(prefix=id_prefixes, data=st.data())
def test_make_id_number_valid_and_substitutions_invalid(prefix: str, data: st.DataObject) -> None:
    value = make_id_number(prefix)
    assert value[:17] == prefix
    assert is_valid_id_number(value)
    assert is_valid_id_number(value.lower())
    pos = data.draw(st.integers(0, 17), label="pos")
    ch = data.draw(st.sampled_from(ID_CHARS).filter(lambda c: c != value[pos]), label="ch")
    assert not is_valid_id_number(value[:pos] + ch + value[pos + 1 :])


@settings(max_examples=100, deadline=None)
@given(value=st.text(max_size=20))
def test_problem_functions_total(value: str) -> None:
    # Arbitrary text never raises and always maps to a known reason (or is valid).
    assert uscc_problem(value) in USCC_PROBLEMS | {None}
    assert id_number_problem(value) in ID_PROBLEMS | {None}
