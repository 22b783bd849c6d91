"""Stage 9a, enterprise names: region, brand, industry word and org-type suffix; branches
after their parent."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrays import Ints, cat, chinese_ordinal, duplicated, group_rank, replace_rows, take
from .entities import draw_brands
from .params import COOP, INDIV, JSC, PART, SOLE
from .registry import Registry
from .tables import INDUSTRIES, NAME_PARTS

_ROOT_SUFFIXES = ("集团有限公司", "实业集团有限公司", "控股集团有限公司", "投资控股有限公司")
_ROOT_JSC_SUFFIXES = ("集团股份有限公司", "控股股份有限公司")
_ORDINALS = ("", *(chinese_ordinal(i) for i in range(2, 100)))


def _brand_text(brand: Ints) -> Any:
    chars = [*NAME_PARTS.brand_chars, ""]
    c1, rem = np.divmod(brand, 1_000_000)
    c2, c3 = np.divmod(rem, 1_000)
    c3 = np.where(c3 == 0, len(chars) - 1, c3 - 1)
    return cat(take(chars, c1), take(chars, c2), take(chars, c3))


def _main_names(rng: np.random.Generator, reg: Registry, idx: Ints) -> Any:
    f, regions, ind = reg.firms, reg.regions, INDUSTRIES
    kind, region, industry = f.kind[idx], f.region[idx], f.industry[idx]
    brand = _brand_text(f.brand[idx])
    word = take(ind.company_words, industry)
    u = rng.random(len(idx))
    prefix = pc.if_else(
        pa.array(u < 0.85), take(regions.city_short, region), take(regions.province_short, region)
    )
    local = take(regions.local, region)
    llc = cat(prefix, brand, word, pc.if_else(pa.array(u < 0.1), "有限责任公司", "有限公司"))
    root_suffix = take(_ROOT_SUFFIXES, np.floor(u * 4).astype(np.int64) % 4)
    root_jsc = take(_ROOT_JSC_SUFFIXES, np.floor(u * 2).astype(np.int64) % 2)
    root_suffix = pc.if_else(pa.array(kind == JSC), root_jsc, root_suffix)
    root = cat(take(regions.province_short, region), brand, root_suffix)
    jsc = cat(prefix, brand, word, "股份有限公司")
    shop_kind = take(NAME_PARTS.shop_kinds, np.floor(u * 40).astype(np.int64) % 4)
    sole = cat(local, brand, word, shop_kind)
    partnership = pc.if_else(pa.array(u < 0.9), "（有限合伙）", "（普通合伙）")
    part = cat(prefix, brand, word, "合伙企业", partnership)
    surname = take(NAME_PARTS.surnames, rng.integers(0, 30, len(idx)))
    shop_brand = pc.if_else(pa.array(rng.random(len(idx)) < 0.2), cat(surname, "记"), brand)
    shop_words = [w or "经营部" for w in ind.shop_words]
    indiv = cat(local, shop_brand, take(shop_words, industry))
    coop_words = [c or w for c, w in zip(ind.coop_words, ind.company_words, strict=True)]
    coop = cat(local, brand, take(coop_words, industry), "专业合作社")
    out = llc
    for k, text in ((JSC, jsc), (SOLE, sole), (PART, part), (INDIV, indiv), (COOP, coop)):
        out = pc.if_else(pa.array(kind == k), text, out)
    group_root = f.group_depth[idx] == 0
    return pc.if_else(pa.array(group_root & (kind != INDIV)), root, out)


def _branch_names(reg: Registry, names: Any) -> Any:
    """Parent name + city + district + 分公司 (第二分公司 ... when repeated)."""
    f, regions = reg.firms, reg.regions
    b = np.arange(f.n_main, f.n)
    parent = f.branch_parent[b]
    nth = group_rank(parent * 1000 + f.region[b], b)
    ordinal = take(_ORDINALS, np.minimum(nth, 98))
    return cat(
        pc.take(names, pa.array(parent)),
        take(regions.city_short, f.region[b]),
        take(regions.district_short, f.region[b]),
        pc.if_else(pa.array(nth > 0), cat("第", ordinal), ""),
        "分公司",
    )


def firm_names(rng: np.random.Generator, reg: Registry) -> Any:
    """Distinct names of all firms; a repeated name gets a new brand."""
    f = reg.firms
    names = _main_names(rng, reg, np.arange(f.n_main))
    for _ in range(50):
        idx = np.flatnonzero(duplicated(names))
        if len(idx) == 0:
            break
        f.brand[idx] = draw_brands(rng, len(idx), 1.0)
        names = replace_rows(names, idx, _main_names(rng, reg, idx))
    else:
        raise RuntimeError("could not draw distinct enterprise names")
    return pa.concat_arrays([names, _branch_names(reg, names)])
