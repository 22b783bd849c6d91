"""Every feature code in words: a label, an SAMR category and a unit; values in their units."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from gnn_helpers import assemble

from riskgraph.gnn.baselines import neighbour_aggregates
from riskgraph.gnn.explain_words import describe_item, format_value
from riskgraph.gnn.feature_names import CATEGORIES, UNITS, describe
from riskgraph.gnn.features import FeaturePipeline

AS_OF = date(2025, 1, 1)


def _graph():  # type: ignore[no-untyped-def]
    records = [
        {
            "key": f"F{i}",
            "org_type": "有限责任公司" if i % 3 else "个体工商户",
            "status": "存续",
            "established": "2015-03-02",
            "registered_capital": 100.0 * (i + 1),
            "paid_in_capital": 50.0 * i,
            "industry_section": "C",
            "region_code": "510107",
        }
        for i in range(8)
    ]
    violations = [
        {"key": f"F{i}", "vid": f"v{i}{k}", "kind": kind, "date": "2024-06-01", "status": "有效"}
        for i in range(6)
        for k, kind in enumerate(("经营异常名录", "投诉举报", "行政处罚")[: 1 + i % 3])
    ]
    edges = [("person", f"p{i % 3}", "LEGAL_REP_OF", "enterprise", f"F{i}") for i in range(8)]
    edges += [("person", f"p{i % 2}", "HOLDS_POSITION", "enterprise", f"F{i}") for i in range(8)]
    edges += [("enterprise", f"F{i}", "REGISTERED_AT", "address", f"a{i % 2}") for i in range(8)]
    edges += [("enterprise", "F1", "INVESTS_IN", "enterprise", f"F{i}") for i in range(2, 5)]
    roles = [(f"F{i}", "董事") for i in range(8)]
    return assemble(records, violations, edges, roles)


def test_every_feature_code_has_words() -> None:
    graph = _graph()
    pipeline = FeaturePipeline()
    encoded = pipeline.fit_transform(graph, as_of=AS_OF)
    aggregates = neighbour_aggregates(graph, encoded.raw, pipeline.edge_types, min_edges=0)
    codes = [*pipeline.columns["enterprise"], *aggregates.columns]
    codes += pipeline.columns["person"] + pipeline.columns["address"]
    assert any(c.startswith("nbr[REGISTERED_AT~address]") for c in codes)
    unknown = [code for code in codes if describe(code) is None]
    assert unknown == []
    for code in codes:
        words = describe(code)
        assert words is not None
        assert words.category in CATEGORIES and words.unit in UNITS, code
        assert "[" not in words.zh and "_" not in words.zh, (code, words.zh)


@pytest.mark.parametrize(
    ("code", "zh", "category"),
    [
        (
            "nbr[REGISTERED_AT~address]:mean:viol_total",
            "同一注册地址的其他企业：违法记录数（平均）",
            "关联关系",
        ),
        (
            "nbr[LEGAL_REP_OF~person]:max:viol[kind=行政处罚]",
            "同一法定代表人的其他企业：违法记录数：行政处罚（最高）",
            "关联关系",
        ),
        ("nbr[INVESTS_IN<-]:count", "投资本企业的企业：企业数", "关联关系"),
        ("viol[kind=投诉举报]", "违法记录数：投诉举报", "社会评价"),
        ("viol[kind=经营异常名录]", "违法记录数：经营异常名录", "监管信息"),
        ("viol[kind=行政处罚]_1y", "近1年违法记录数：行政处罚", "动态信息"),
        ("region=5101", "地区：四川省成都市（5101）", "基础属性"),
        ("industry=C", "行业门类：C 制造业", "基础属性"),
        ("status=__missing__", "登记状态：缺失", "基础属性"),
        ("entity_kind=individual", "主体类型：个体工商户", "基础属性"),
        ("log_registered_capital", "注册资本", "基础属性"),
    ],
)
def test_labels_read_as_words(code: str, zh: str, category: str) -> None:
    words = describe(code)
    assert words is not None and words.zh == zh and words.category == category


def test_values_in_their_units() -> None:
    pipeline = FeaturePipeline()
    pipeline.fit_transform(_graph(), as_of=AS_OF)
    count = describe_item(
        {"feature": "viol_total", "raw": np.log1p(320.0) - 1e-7, "contribution": 0.1},
        pipeline,
        AS_OF,
    )
    assert count["value"] == 320 and isinstance(count["value"], int)
    assert count["text"]["zh"] == "320" and count["label"]["zh"] == "违法记录数"
    assert count["category"] == {"zh": "监管信息", "en": "supervision records"}
    capital = describe_item(
        {"feature": "log_registered_capital", "raw": np.log1p(1234.5), "contribution": 0.0},
        pipeline,
        AS_OF,
    )
    assert capital["text"]["zh"] == "1,234.50 万元" and capital["unit"] == "amount"
    days = describe_item(
        {"feature": "days_since_last_violation", "raw": np.log1p(31.0), "contribution": 0.0},
        pipeline,
        AS_OF,
    )
    assert days["value"] == 31 and days["text"]["zh"] == "31 天（2024-12-01）"
    shared = describe_item(
        {"feature": "nbr[REGISTERED_AT~address]:count", "raw": np.log1p(12.0), "contribution": 0},
        pipeline,
        AS_OF,
    )
    assert shared["value"] == 12
    assert format_value("flag", 1.0, AS_OF)[1:] == ("是", "yes")
    assert format_value("ratio", 0.5, AS_OF)[1] == "50.0%"
    assert format_value("count", None, AS_OF) == (None, "不适用", "not applicable")
    assert format_value("days", 3650.0 * 3, AS_OF)[1] == "无违法记录"
