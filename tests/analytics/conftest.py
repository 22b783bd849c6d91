"""A small hand-built registry graph whose named-query answers are known exactly.

Shareholding around ROOT (ratios on the arrows, ``?`` = no ratio recorded)::

    P1 -0.8-> G1 -0.75-> H1 -0.5-> ROOT -0.6-> S1 -1.0-> S2 -0.5-> S3
    P2 -0.2-> G1         P3 -?-> H1     H2 -0.3-> ROOT
    P1 -0.2-> ROOT                      BR1 -BRANCH_OF-> ROOT

P1 reaches ROOT through two paths: 0.8 * 0.75 * 0.5 + 0.2 = 0.5. P1 is also
ROOT's legal representative and an officer (监事) of G1. ROOT, CO1 and CO2 share
address A1. Loops: L1 -> L2 -> L3 -> L1 and L4 <-> L5. HUB is legal
representative of F01..F12 and director of F01..F03.
"""

from __future__ import annotations

from typing import Any

import pytest

from riskgraph.graph.store import GraphStore

ENTERPRISES: list[dict[str, Any]] = [
    {
        "uscc": "ROOT",
        "name": "根公司",
        "label_class": "B",
        "region_code": "510107",
        "industry_section": "C",
    },
    {
        "uscc": "H1",
        "name": "控股一",
        "label_class": "C",
        "region_code": "510107",
        "industry_section": "C",
    },
    {"uscc": "G1", "name": "集团一", "label_class": "B"},
    {
        "uscc": "H2",
        "name": "控股二",
        "risk_class": "A",
        "risk_score": 0.05,
        "region_code": "510107",
        "industry_section": "C",
    },
    {"uscc": "S1", "name": "子公司一", "label_class": "B"},
    {
        "uscc": "S2",
        "name": "孙公司二",
        "risk_class": "C",
        "risk_score": 0.6,
        "region_code": "510302",
        "industry_section": "C",
    },
    {"uscc": "S3", "name": "曾孙公司三", "label_class": "D"},
    {
        "uscc": "BR1",
        "name": "根公司武侯分公司",
        "label_class": "A",
        "risk_class": "D",
        "risk_score": 0.9,
        "region_code": "510107",
        "industry_section": "C",
    },
    {
        "uscc": "CO1",
        "name": "同址一",
        "label_class": "D",
        "region_code": "510104",
        "industry_section": "F",
    },
    {
        "uscc": "CO2",
        "name": "同址二",
        "label_class": "D",
        "risk_class": "A",
        "risk_score": 0.1,
        "region_code": "510104",
        "industry_section": "F",
    },
    {"uscc": "L1", "name": "环一", "region_code": "510107", "industry_section": "C"},
    {"uscc": "L2", "name": "环二"},
    {"uscc": "L3", "name": "环三"},
    {"uscc": "L4", "name": "环四"},
    {"uscc": "L5", "name": "环五"},
    *(
        {"uscc": f"F{i:02d}", "name": f"壳公司{i:02d}", "label_class": "D" if i <= 2 else "A"}
        for i in range(1, 13)
    ),
]

PERSONS = [
    {"pid": "P1", "name": "张一"},
    {"pid": "P2", "name": "李二"},
    {"pid": "P3", "name": "王三"},
    {"pid": "HUB", "name": "赵多"},
]

INVESTMENTS: list[tuple[str, str, float | None]] = [
    ("P1", "G1", 0.8),
    ("P2", "G1", 0.2),
    ("G1", "H1", 0.75),
    ("P3", "H1", None),
    ("H1", "ROOT", 0.5),
    ("H2", "ROOT", 0.3),
    ("P1", "ROOT", 0.2),
    ("ROOT", "S1", 0.6),
    ("S1", "S2", 1.0),
    ("S2", "S3", 0.5),
    ("L1", "L2", 0.5),
    ("L2", "L3", 0.5),
    ("L3", "L1", 0.5),
    ("L4", "L5", 0.4),
    ("L5", "L4", 0.4),
]

LEGAL_REPS = [("P1", "ROOT"), *(("HUB", f"F{i:02d}") for i in range(1, 13))]
POSITIONS = [("P1", "G1", "监事"), *(("HUB", f"F{i:02d}", "董事") for i in range(1, 4))]
BRANCHES = [("BR1", "ROOT")]
ADDRESSES = [("ROOT", "A1"), ("CO1", "A1"), ("CO2", "A1")]
VIOLATIONS = [
    # vid, enterprise, status, date
    ("V0", "ROOT", "有效", "2024-01-05"),
    ("V1", "H1", "有效", "2024-03-01"),
    ("V2", "CO1", "已移出", "2023-02-01"),
    ("V4", "CO2", "有效", "2024-06-30"),
    ("V5", "S1", "已修复", "2022-11-11"),
]


def build_graph(store: GraphStore) -> None:
    """Write the graph described in the module docstring."""
    store.write(
        "UNWIND $rows AS row MERGE (e:Enterprise {uscc: row.uscc}) SET e += row",
        rows=ENTERPRISES,
    )
    store.write("UNWIND $rows AS row MERGE (p:Person {pid: row.pid}) SET p += row", rows=PERSONS)
    store.write(
        "UNWIND $rows AS row MATCH (i:Enterprise {uscc: row.i}) "
        "MATCH (e:Enterprise {uscc: row.e}) "
        "MERGE (i)-[r:INVESTS_IN]->(e) SET r.ratio = row.ratio",
        rows=[{"i": i, "e": e, "ratio": ratio} for i, e, ratio in INVESTMENTS if i[0] != "P"],
    )
    store.write(
        "UNWIND $rows AS row MATCH (i:Person {pid: row.i}) MATCH (e:Enterprise {uscc: row.e}) "
        "MERGE (i)-[r:INVESTS_IN]->(e) SET r.ratio = row.ratio",
        rows=[{"i": i, "e": e, "ratio": ratio} for i, e, ratio in INVESTMENTS if i[0] == "P"],
    )
    store.write(
        "UNWIND $rows AS row MATCH (p:Person {pid: row.p}) MATCH (e:Enterprise {uscc: row.e}) "
        "MERGE (p)-[:LEGAL_REP_OF]->(e)",
        rows=[{"p": p, "e": e} for p, e in LEGAL_REPS],
    )
    store.write(
        "UNWIND $rows AS row MATCH (p:Person {pid: row.p}) MATCH (e:Enterprise {uscc: row.e}) "
        "MERGE (p)-[:HOLDS_POSITION {role: row.role}]->(e)",
        rows=[{"p": p, "e": e, "role": role} for p, e, role in POSITIONS],
    )
    store.write(
        "UNWIND $rows AS row MATCH (b:Enterprise {uscc: row.b}) MATCH (p:Enterprise {uscc: row.p}) "
        "MERGE (b)-[:BRANCH_OF]->(p)",
        rows=[{"b": b, "p": p} for b, p in BRANCHES],
    )
    store.write(
        "UNWIND $rows AS row MATCH (e:Enterprise {uscc: row.e}) "
        "MERGE (a:Address {aid: row.a}) SET a.address = '成都市武侯区示例路1号' "
        "MERGE (e)-[:REGISTERED_AT]->(a)",
        rows=[{"e": e, "a": a} for e, a in ADDRESSES],
    )
    store.write(
        "UNWIND $rows AS row MATCH (e:Enterprise {uscc: row.e}) "
        "MERGE (v:Violation {vid: row.vid}) "
        "SET v.kind = '行政处罚', v.status = row.status, v.date = date(row.date) "
        "MERGE (e)-[:HAS_VIOLATION]->(v)",
        rows=[{"vid": v, "e": e, "status": s, "date": d} for v, e, s, d in VIOLATIONS],
    )


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    """A fresh FalkorDB graph holding the hand-built registry."""
    build_graph(store)
    return store
