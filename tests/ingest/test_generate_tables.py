"""The generator's data files load and agree with the reference tables."""

from __future__ import annotations

import numpy as np

from riskgraph import reference
from riskgraph.ingest.generate import params, tables


def test_industries() -> None:
    ind = tables.INDUSTRIES
    assert len(set(ind.codes)) == len(ind.codes)
    assert all(reference.division_section(code[1:3]) == code[0] for code in ind.codes)
    n = len(ind.codes)
    assert len(ind.company_words) == len(ind.shop_weight) == len(ind.risk) == n
    assert all(ind.company_words)
    assert set(params.SHELL_INDUSTRIES + params.HOLDING_INDUSTRIES) <= set(ind.codes)


def test_org_kinds() -> None:
    kinds = tables.ORG_KINDS
    assert kinds.names[params.LLC] == "有限责任公司"
    assert kinds.names[params.COOP] == "农民专业合作社"
    assert set(kinds.names) | {tables.BRANCH_ORG_TYPE} <= set(reference.ORG_TYPES)
    assert abs(sum(kinds.share) - 1.0) < 1e-9
    for kind in range(len(kinds.names)):
        weights = kinds.industry_weights(kind, tables.INDUSTRIES)
        assert weights.shape == (len(tables.INDUSTRIES.codes),) and weights.sum() > 0
    assert np.all(np.asarray(kinds.unpaid_share) + np.asarray(kinds.paid_share) <= 1.0)


def test_name_parts_and_places() -> None:
    parts = tables.NAME_PARTS
    assert len(parts.surnames) == len(parts.surname_weights) > 30
    assert len(set(parts.brand_chars)) == len(parts.brand_chars)
    assert set(tables.CHENGDU.weights) == set(reference.known_codes("5101")) - {"510100"}
    assert tables.CHENGDU.rural <= set(tables.CHENGDU.weights)
