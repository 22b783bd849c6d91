"""Stage 12, filings: administrative licences (证照) and annual reports (年报).

* Licences: firms of licensed trades hold one (food retail and catering 食品经营, food
  manufacturing 食品生产, pharmacies 药品经营, health trades 医疗器械经营, boiler and
  pressure-vessel makers 特种设备生产, a few other manufacturers 工业产品生产); valid five
  years, re-issued, some expired. About 2 % of the licences in force of operating firms
  are planted inconsistent with the registration (``licence_mismatch``, R16): another
  holder name, another region, or other premises.
* Annual reports for the two years before the reference year, for every firm founded by
  the end of the year and not deregistered or moved out: filed between January and
  June of the next year, some late; not filed at a rate rising with latent risk
  (revoked firms mostly do not file). The missed filings of the last year by firms a
  supervisor classed C or D are ``annual_report_missed`` (R17), written with the labels.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .arrays import Floats, Ints, sigmoid, zscore
from .params import ACTIVE, CANCELLED, IN_BUSINESS, MOVED, REF, REFERENCE_DATE, REVOKED, YEAR
from .registry import Registry
from .tables import INDUSTRIES

_EPOCH = dt.date(1970, 1, 1)
REPORT_YEARS = (REFERENCE_DATE.year - 2, REFERENCE_DATE.year - 1)
# (industry code prefix, licence kind index into ingest.contract.LICENCE_KINDS, share)
_LICENSED = (
    ("F515", 2, 0.9),
    ("F525", 2, 0.9),
    ("C13", 1, 0.8),
    ("C14", 1, 0.8),
    ("C15", 1, 0.8),
    ("C34", 5, 0.3),
    ("C", 4, 0.08),
    ("F", 0, 0.3),
    ("H", 0, 0.8),
    ("Q", 3, 0.3),
)
LICENCE_PREFIX = ("JY", "SC", "YP", "YL", "XK", "TS", "QT")
_VALID_DAYS = int(5 * YEAR)
MISMATCH_SHARE = 0.02


@dataclass
class Filings:
    """Licences (one per licensed firm) and annual-report rows."""

    lic_firm: Ints
    lic_kind: Ints
    lic_issued: Ints
    lic_until: Ints
    lic_mismatch: Ints  # -1 none, 0 name, 1 region, 2 address
    lic_other: Ints  # the firm (name), region or firm (site) the mismatch takes
    rep_firm: Ints
    rep_year: Ints
    rep_filed: Ints  # -1 = not filed
    rep_employees: Ints
    rep_revenue: Ints  # 1/100 万元


def _licence_kind(reg: Registry, u: Floats) -> Ints:
    """The licence kind per firm, -1 for firms of unlicensed trades."""
    codes = np.asarray(INDUSTRIES.codes)[reg.firms.industry]
    kind = np.full(reg.firms.n, -1, dtype=np.int64)
    for prefix, index, share in _LICENSED:
        hit = (kind < 0) & np.char.startswith(codes, prefix)
        kind[hit & (u < share)] = index
        kind[hit & (u >= share)] = -2  # the trade's other firms hold none
    kind[kind == -2] = -1
    return kind


def _licences(rng: np.random.Generator, reg: Registry) -> tuple[Ints, ...]:
    f, status = reg.firms, reg.risk.status
    kind_all = _licence_kind(reg, rng.random(f.n))
    firm = np.flatnonzero((kind_all >= 0) & ~np.isin(status, (CANCELLED, MOVED)))
    kind = kind_all[firm]
    est = f.established[firm]
    # The current licence: issued at founding, re-issued every five years.
    cycles = (REF - est) // _VALID_DAYS
    issued = est + rng.integers(5, 60, len(firm)) + cycles * _VALID_DAYS
    issued = np.where(issued > REF, issued - _VALID_DAYS, issued)
    issued = np.maximum(issued, est)
    lapsed = (rng.random(len(firm)) < 0.06) & (REF - est > _VALID_DAYS + 400)
    issued = np.where(lapsed, REF - _VALID_DAYS - rng.integers(30, 400, len(firm)), issued)
    until = issued + _VALID_DAYS - 1
    in_force = (until >= REF) & np.isin(status[firm], (ACTIVE, IN_BUSINESS))
    mismatch = np.where(
        in_force & (rng.random(len(firm)) < MISMATCH_SHARE), rng.integers(0, 3, len(firm)), -1
    )
    other = rng.integers(0, f.n, len(firm))
    n_regions = len(reg.regions.codes)
    shift = rng.integers(1, n_regions, len(firm))
    other = np.where(mismatch == 1, (f.region[firm] + shift) % n_regions, other)
    # A name or site borrowed from the firm itself would not differ: take the next firm.
    same = (mismatch != 1) & (other == firm)
    other[same] = (other[same] + 1) % f.n
    same_site = (mismatch == 2) & (reg.sites.site[other] == reg.sites.site[firm])
    mismatch[same_site] = 0
    return firm, kind, issued, until, mismatch, other


def _reports(rng: np.random.Generator, reg: Registry) -> tuple[Ints, ...]:
    f, status = reg.firms, reg.risk.status
    z = zscore(reg.risk.latent)
    live = ~np.isin(status, (CANCELLED, MOVED))
    firms, years, filed = [], [], []
    for year in REPORT_YEARS:
        year_end = (dt.date(year, 12, 31) - _EPOCH).days
        due = (dt.date(year + 1, 6, 30) - _EPOCH).days
        firm = np.flatnonzero(live & (f.established <= year_end))
        p_miss = sigmoid(-2.8 + 0.9 * z[firm] + 2.5 * (status[firm] == REVOKED))
        on = year_end + 1 + rng.integers(0, due - year_end, len(firm))
        late = rng.random(len(firm)) < 0.04
        on = np.where(late, due + rng.integers(1, 180, len(firm)), on)
        on = np.where((rng.random(len(firm)) < p_miss) | (on > REF), -1, on)
        firms.append(firm)
        years.append(np.full(len(firm), year))
        filed.append(on)
    firm = np.concatenate(firms).astype(np.int64)
    regcap = np.maximum(f.regcap[firm], 100) / 100.0
    employees = np.maximum(
        1, np.round(np.exp(1.0 + 0.35 * np.log(regcap) + rng.normal(0, 0.8, len(firm))))
    ).astype(np.int64)
    revenue = np.round(regcap * rng.lognormal(-0.5, 1.0, len(firm)) * 100).astype(np.int64)
    return firm, np.concatenate(years).astype(np.int64), np.concatenate(filed), employees, revenue


def stage_filings(rng: np.random.Generator, reg: Registry) -> Filings:
    """Licences with planted inconsistencies, and annual reports with missed filings."""
    return Filings(*_licences(rng, reg), *_reports(rng, reg))


def licence_mismatch_firms(reg: Registry) -> Ints:
    """Firms holding a licence planted inconsistent (R16's ground truth)."""
    fl = reg.filings
    return np.unique(fl.lic_firm[fl.lic_mismatch >= 0]).astype(np.int64)


def missed_reports(reg: Registry, labelled: Ints, label_class: Ints) -> Ints:
    """Operating firms a supervisor classed C or D that did not file last year's report."""
    fl, status = reg.filings, reg.risk.status
    classed_cd = np.zeros(reg.firms.n, dtype=bool)
    classed_cd[labelled[label_class[labelled] >= 2]] = True
    missed = (fl.rep_year == REPORT_YEARS[-1]) & (fl.rep_filed < 0)
    firm = fl.rep_firm[missed]
    keep = classed_cd[firm] & np.isin(status[firm], (ACTIVE, IN_BUSINESS))
    return np.unique(firm[keep]).astype(np.int64)
