"""The generator's view of the region table: short names, authorities and weights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from riskgraph.reference import MUNICIPALITIES, full_name, known_codes, province_abbreviation

from .arrays import Bools, Floats
from .params import CHENGDU_SHARE
from .tables import CHENGDU


@dataclass(frozen=True)
class Regions:
    """Per region (the county-level codes, and city-level codes without any): texts, flags
    and weights."""

    codes: list[str]
    full: list[str]  # 四川省成都市武侯区
    local: list[str]  # 成都市武侯区 / 金堂县 / 绵阳市 / 北京市东城区
    city_short: list[str]  # 成都
    province_short: list[str]  # 四川
    district_short: list[str]  # 武侯 ('' for a city-level code)
    authority: list[str]  # 成都市武侯区市场监督管理局
    city_authority: list[str]  # 成都市市场监督管理局
    court: list[str]  # 成都市武侯区人民法院
    doc_abbr: list[str]  # 成武
    city_abbr: list[str]  # 成
    court_code: list[str]  # 川0107
    chengdu: Bools
    countryside: Bools  # Chengdu's rural counties and other Sichuan prefectures
    firm_weight: Floats
    person_weight: Floats


def _strip_suffix(name: str, suffixes: Sequence[str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _short(name: str) -> str:
    if name.endswith("自治州") or name.endswith("自治区"):
        return name[:3] if name.startswith(("内蒙古", "黑龙江")) else name[:2]
    return _strip_suffix(name, ("省", "市", "地区"))


def _texts(code: str) -> tuple[str, ...]:
    """The texts of one code, in the order of the Regions fields full ... court_code."""
    prov_name = full_name(code[:2] + "0000")
    whole = full_name(code)
    rest = whole[len(prov_name) :]
    municipality = code[:2] + "0000" in MUNICIPALITIES
    if code[4:] == "00":  # city-level code used directly
        city, district = rest, ""
    elif municipality:
        city, district = prov_name, rest
    else:
        city_full = full_name(code[:4] + "00")
        city, district = city_full[len(prov_name) :], whole[len(city_full) :]
    d_short = _strip_suffix(district, ("区", "县", "市")) if district else ""
    if not district:
        here = city
    elif district.endswith("区"):
        here = city + district
    else:
        here = district
    abbr = province_abbreviation(code) or ""
    c_abbr = abbr if municipality else city[0]
    return (
        whole,
        here,
        _short(city),
        _short(prov_name),
        d_short,
        here + "市场监督管理局",
        city + "市场监督管理局",
        here + ("中级人民法院" if not district else "人民法院"),
        c_abbr + (d_short[:2] if len(d_short) > 2 else d_short[:1]),
        c_abbr,
        abbr + (code[2:4] if not district else code[2:6]),
    )


def _firm_weight(codes: list[str], chengdu: Bools) -> Floats:
    firm_weight = np.array([CHENGDU.weights.get(c, 0.0) for c in codes])
    firm_weight = firm_weight / firm_weight.sum() * CHENGDU_SHARE
    others = ~chengdu
    other_w = np.where(np.array([c.startswith("51") for c in codes]), 3.0, 1.0) * others
    out: Floats = firm_weight + other_w / other_w.sum() * (1.0 - CHENGDU_SHARE)
    return out


def _person_weight(codes: list[str], chengdu: Bools) -> Floats:
    person_w = np.where(chengdu, 0.55 / max(1, int(chengdu.sum())), 0.0)
    sichuan_other = np.array([c.startswith("51") and not c.startswith("5101") for c in codes])
    rest_mask = ~chengdu & ~sichuan_other
    person_w = person_w + np.where(sichuan_other, 0.33 / max(1, int(sichuan_other.sum())), 0.0)
    person_w = person_w + np.where(rest_mask, 0.12 / max(1, int(rest_mask.sum())), 0.0)
    out: Floats = person_w / person_w.sum()
    return out


def load_regions() -> Regions:
    """The regions firms and persons are placed in, with their texts and weights."""
    table = known_codes("")
    has_children = {c[:4] for c in table if c[4:] != "00"}
    codes = [c for c in table if c[2:] != "0000" and not (c[4:] == "00" and c[:4] in has_children)]
    texts = [_texts(code) for code in codes]

    def column(i: int) -> list[str]:
        return [row[i] for row in texts]

    chengdu = np.array([c.startswith("5101") for c in codes])
    countryside = np.array(
        [c in CHENGDU.rural or (c.startswith("51") and not c.startswith("5101")) for c in codes]
    )
    return Regions(
        codes=codes,
        full=column(0),
        local=column(1),
        city_short=column(2),
        province_short=column(3),
        district_short=column(4),
        authority=column(5),
        city_authority=column(6),
        court=column(7),
        doc_abbr=column(8),
        city_abbr=column(9),
        court_code=column(10),
        chengdu=chengdu,
        countryside=countryside,
        firm_weight=_firm_weight(codes, chengdu),
        person_weight=_person_weight(codes, chengdu),
    )
