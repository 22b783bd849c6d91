"""Stage 7b, violations: records of six kinds with Poisson counts rising with latent risk,
dates within the last five years, some removed; forced abnormal listings for planted
shells and hotspot firms; and their document numbers and issuers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrays import Floats, Ints, cat, group_rank, int_str, sigmoid, take, zscore
from .params import (
    CONSUMER_SECTIONS,
    DOC_WORD,
    INDIV,
    REF,
    REVOKED,
    V_ABNORMAL,
    V_COMPLAINT,
    V_INSPECTION,
    V_LAWSUIT,
    V_PENALTY,
    V_SEVERE,
    YEAR,
)
from .registry import Registry, Violations
from .tables import INDUSTRIES


def _rates(reg: Registry, z: Floats) -> dict[int, Floats]:
    """The yearly rate of each violation kind per firm."""
    f = reg.firms
    section = np.asarray(INDUSTRIES.sections)[f.industry]
    consumer = np.isin(section, list(CONSUMER_SECTIONS)) | (f.kind == INDIV)
    size = np.log10(np.maximum(f.regcap, 0) / 100.0 + 1.0)
    return {
        V_PENALTY: 0.04 * np.exp(0.9 * z),
        V_ABNORMAL: 0.07 * np.exp(1.2 * z),
        V_SEVERE: 0.003 * np.exp(1.6 * z),
        V_INSPECTION: 0.03 * np.exp(0.7 * z),
        V_COMPLAINT: 0.08 * np.exp(0.6 * z) * np.where(consumer, 1.8, 1.0),
        V_LAWSUIT: 0.05 * np.exp(0.5 * z) * (1.0 + 0.3 * size),
    }


def _records(rng: np.random.Generator, reg: Registry, z: Floats) -> tuple[Ints, Ints, Ints, int]:
    """Firm, kind and date per record (regular ones, then forced ones), and the number of
    regular records.

    Forced records: shells and hotspot firms listed abnormal (住所无法联系), still active;
    revoked firms carry the revocation penalty.
    """
    f, n = reg.firms, reg.firms.n
    frac = np.minimum(REF - f.established, int(5 * YEAR)) / (5 * YEAR)
    firms, kinds = [], []
    for k, lam in _rates(reg, z).items():
        c = rng.poisson(lam * frac)
        firms.append(np.repeat(np.arange(n), c))
        kinds.append(np.full(int(c.sum()), k))
    lo = np.maximum(f.established, REF - int(5 * YEAR))
    firm = np.concatenate(firms).astype(np.int64)
    kind = np.concatenate(kinds).astype(np.int64)
    date = lo[firm] + np.floor(rng.random(len(firm)) * (REF - lo[firm])).astype(np.int64)
    forced = np.flatnonzero((reg.plan.ring >= 0) | reg.abnormal_hot)
    lo_f = np.maximum(f.established[forced] + 90, REF - int(2 * YEAR))
    lo_f = np.minimum(lo_f, REF - 1)
    d_f = lo_f + np.floor(rng.random(len(forced)) * (REF - lo_f)).astype(np.int64)
    revoked = np.flatnonzero(reg.risk.status == REVOKED)
    lo_r = np.maximum(f.established[revoked], REF - int(3 * YEAR))
    d_r = lo_r + np.floor(rng.random(len(revoked)) * (REF - lo_r)).astype(np.int64)
    n_regular = len(firm)
    firm = np.r_[firm, forced, revoked]
    kind = np.r_[kind, np.full(len(forced), V_ABNORMAL), np.full(len(revoked), V_PENALTY)]
    return firm, kind, np.r_[date, d_f, d_r], n_regular


def stage_violations(rng: np.random.Generator, reg: Registry) -> Violations:
    """Violation records with their removal (移出 / 修复) and fine amounts."""
    z = zscore(reg.risk.latent)
    firm, kind, date, n_regular = _records(rng, reg, z)
    is_forced = np.arange(len(firm)) >= n_regular
    status = np.zeros(len(firm), dtype=np.int64)
    removed = np.full(len(firm), -1, dtype=np.int64)
    u = rng.random(len(firm))
    gap = rng.integers(10, 700, len(firm))
    zf = z[firm]
    p_removed = np.select(
        [kind == V_ABNORMAL, kind == V_PENALTY, kind == V_SEVERE, kind == V_INSPECTION],
        [
            sigmoid(0.8 - 1.2 * zf),
            0.35 * np.ones(len(firm)),
            0.1 * np.ones(len(firm)),
            0.4 * np.ones(len(firm)),
        ],
        0.0,
    )
    done = (u < p_removed) & (date + gap < REF) & ~is_forced
    done &= ~((kind == V_PENALTY) & (REF - date < 365))
    status[done] = np.where(np.isin(kind[done], (V_ABNORMAL, V_SEVERE)), 1, 2)
    removed[done] = date[done] + gap[done]

    amount = np.full(len(firm), -1, dtype=np.int64)
    pen = (kind == V_PENALTY) & ~is_forced & (rng.random(len(firm)) < 0.9)
    fine = np.exp(np.log(5000.0) + 1.2 * rng.standard_normal(int(pen.sum())) + 0.3 * zf[pen])
    amount[pen] = np.maximum(np.round(fine / 100.0) * 100, 200).astype(np.int64)
    return Violations(firm, kind, date, status, removed, amount)


def case_numbers(reg: Registry) -> tuple[Any, Any]:
    """Document numbers, numbered per issuing prefix and year in date order, and issuers."""
    vio, regions = reg.violations, reg.regions
    year = vio.date.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    region = reg.firms.region[vio.firm]
    court = vio.kind == V_LAWSUIT
    city_level = vio.kind == V_SEVERE
    # Issuer prefix text per row: district abbreviation, city abbreviation or court code.
    texts = [*regions.doc_abbr, *regions.city_abbr, *regions.court_code]
    m = len(regions.codes)
    text_idx = np.where(court, 2 * m + region, np.where(city_level, m + region, region))
    distinct = {t: i for i, t in enumerate(dict.fromkeys(texts))}
    text_id = np.asarray([distinct[t] for t in texts], dtype=np.int64)[text_idx]
    key = (text_id * 8 + vio.kind) * 1000 + (year - 1900)
    seq = group_rank(key, vio.date) + 1
    prefix = take(texts, text_idx)
    doc = cat(prefix, "市监", take(DOC_WORD, vio.kind), "〔", int_str(year), "〕")
    doc = cat(doc, int_str(seq, 4), "号")
    court_doc = cat("（", int_str(year), "）", prefix, "民初", int_str(seq), "号")
    case_no = pc.if_else(pa.array(court), court_doc, doc)
    authority = pc.if_else(
        pa.array(court),
        take(regions.court, region),
        pc.if_else(
            pa.array(city_level),
            take(regions.city_authority, region),
            take(regions.authority, region),
        ),
    )
    return case_no, authority
