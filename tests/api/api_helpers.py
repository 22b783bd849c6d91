"""Helpers for the API tests: the scored test graph, settings, and a client wrapper."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from riskgraph.api.auth import Role
from riskgraph.graph.store import GraphStore
from riskgraph.settings import ApiSettings, Settings

ENTERPRISES = 30
SCORED = 20
CLASSES = "ABCD"


def uscc(i: int) -> str:
    return f"91510100MA{i:06d}XY"


def build_graph(store: GraphStore) -> None:
    """30 enterprises (20 scored, the first 5 with a two-entry history), 3 persons,
    officers, investors, violations and an address."""
    rows: list[dict[str, Any]] = []
    for i in range(ENTERPRISES):
        props: dict[str, Any] = {
            "name": f"成都示例{i:02d}科技有限公司",
            "org_type": "有限责任公司",
            "status": "存续",
            "region_code": "510107",
            "industry_code": "I6510",
            "registered_capital": 100.0 + i,
            "phone": "028-8888888",
        }
        if i < SCORED:
            klass = CLASSES[i % 4]
            props.update(
                risk_class=klass,
                risk_score=round(0.1 + i * 0.02, 4),
                p_A=0.4,
                p_B=0.3,
                p_C=0.2,
                p_D=0.1,
                model_version="v2",
                scored_at="2026-01-01T00:00:00.000Z",
            )
        rows.append({"uscc": uscc(i), "props": props})
    store.write(
        "UNWIND $rows AS row CREATE (e:Enterprise {uscc: row.uscc}) SET e += row.props, "
        "e.established = date('2015-03-02')",
        rows=rows,
    )
    history = [
        {
            "uscc": uscc(i),
            "assessments": [
                {
                    "risk_class": "C",
                    "risk_score": 0.5,
                    "p_A": 0.1,
                    "p_B": 0.2,
                    "p_C": 0.6,
                    "p_D": 0.1,
                    "model_version": "v1",
                    "scored_at": "2025-06-01T00:00:00.000Z",
                },
                {
                    "risk_class": CLASSES[i % 4],
                    "risk_score": 0.1 + i * 0.02,
                    "p_A": 0.4,
                    "p_B": 0.3,
                    "p_C": 0.2,
                    "p_D": 0.1,
                    "model_version": "v2",
                    "scored_at": "2026-01-01T00:00:00.000Z",
                },
            ],
        }
        for i in range(5)
    ]
    store.write(
        "UNWIND $rows AS row MATCH (e:Enterprise {uscc: row.uscc}) "
        "UNWIND row.assessments AS a "
        "CREATE (e)-[:HAS_ASSESSMENT]->(r:RiskAssessment) SET r += a",
        rows=history,
    )
    store.write(
        "CREATE (:Person {pid: 'pid-zhang', name: '张三丰'}), "
        "(:Person {pid: 'pid-li', name: '李四'})"
    )
    store.write(
        "MATCH (z:Person {pid: 'pid-zhang'}), (l:Person {pid: 'pid-li'}), "
        "(e:Enterprise {uscc: $e0}), (f:Enterprise {uscc: $e1}) "
        "CREATE (z)-[:LEGAL_REP_OF {since: date('2015-03-02')}]->(e), "
        "(l)-[:HOLDS_POSITION {role: '监事'}]->(e), "
        "(z)-[:INVESTS_IN {ratio: 0.6, amount: 600.0}]->(e), "
        "(f)-[:INVESTS_IN {ratio: 0.4, amount: 400.0}]->(e), "
        "(e)-[:HAS_VIOLATION]->(:Violation {vid: 'v1', kind: '行政处罚', date: date('2023-04-01'), "
        "authority: '成都市武侯区市场监督管理局', amount: 5000.0, status: '有效'}), "
        "(e)-[:HAS_VIOLATION]->(:Violation {vid: 'v2', kind: '经营异常名录', "
        "date: date('2024-01-05')}), "
        "(e)-[:REGISTERED_AT]->(:Address {aid: 'a1', address: '四川省成都市武侯区科华北路1号'})",
        e0=uscc(0),
        e1=uscc(1),
    )


def api_settings(**overrides: Any) -> ApiSettings:
    values: dict[str, Any] = {"rate_per_s": 1000.0, "rate_burst": 1000, "log_json": True}
    values.update(overrides)
    return ApiSettings(**values)


def settings_for(data_dir: Path, api: ApiSettings | None = None, **overrides: Any) -> Settings:
    """Settings for a test app, with the API section's test defaults (high rate limits)."""
    return Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=data_dir, api=api or api_settings(), **overrides
    )


class Api:
    """A running app with a key per role."""

    def __init__(self, client: TestClient, data_dir: Path, keys: dict[Role, str]) -> None:
        self.client = client
        self.data_dir = data_dir
        self.keys = keys

    def headers(self, role: Role | str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[Role(role)]}"}

    def key_id(self, role: Role | str) -> str:
        """The id part of the role's key (``rgk_<id>_<secret>``), as the audit log names it."""
        return self.keys[Role(role)].split("_")[1]

    def get(self, path: str, role: Role | str, **kwargs: Any) -> Any:
        headers = {**self.headers(role), **kwargs.pop("headers", {})}
        return self.client.get(path, headers=headers, **kwargs)

    def post(self, path: str, role: Role | str, **kwargs: Any) -> Any:
        headers = {**self.headers(role), **kwargs.pop("headers", {})}
        return self.client.post(path, headers=headers, **kwargs)

    def audit(self) -> list[dict[str, Any]]:
        path = self.data_dir / "audit.log"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# Alerts of the analytics graph: (rule, subject index, severity, evidence)
ALERTS: list[tuple[str, int, str, list[str]]] = [
    ("R02", 0, "high", ["legal_rep:pid-zhang", f"firm:{uscc(2)}"]),
    ("R04", 0, "medium", ["legal_rep:pid-zhang@2025-03-01", "legal_rep:pid-li@2025-09-01"]),
    ("R05", 1, "medium", ["violation:v1"]),
    *[("R12", i, "low", [f"parent:{uscc(0)}"]) for i in range(2, 9)],
]
NOW = "2026-06-30T08:00:00Z"


def alert_key(rule: str, i: int) -> str:
    return f"{rule}|{uscc(i)}"


def build_analytics_graph(store: GraphStore) -> None:
    """The test graph plus links that make two risk clusters, the clusters themselves
    (``riskgraph clusters build``) and alerts as ``riskgraph rules run`` stores them.

    Clusters: {0, 1, 2, 3} (张三丰 represents 0 and 2, 1 invests 40 % in 0, 3 is a
    branch of 0) and {5, 6} (a shared address)."""
    from datetime import date

    from riskgraph import cypher
    from riskgraph.analytics.clusters import ClusterParams, build
    from riskgraph.analytics.rules import ensure_alert_schema

    build_graph(store)
    store.write(
        "MATCH (z:Person {pid: 'pid-zhang'}), (e2:Enterprise {uscc: $e2}), "
        "(e3:Enterprise {uscc: $e3}), (e0:Enterprise {uscc: $e0}), "
        "(e5:Enterprise {uscc: $e5}), (e6:Enterprise {uscc: $e6}) "
        "CREATE (z)-[:LEGAL_REP_OF {since: date('2019-01-01')}]->(e2), "
        "(e3)-[:BRANCH_OF]->(e0), "
        "(a:Address {aid: 'a2', address: '四川省成都市武侯区人民南路4段'}), "
        "(e5)-[:REGISTERED_AT]->(a), (e6)-[:REGISTERED_AT]->(a)",
        e0=uscc(0),
        e2=uscc(2),
        e3=uscc(3),
        e5=uscc(5),
        e6=uscc(6),
    )
    # Two industry sections; the last ten enterprises in another district (锦江区).
    store.write(
        "MATCH (e:Enterprise) SET e.industry_section = CASE WHEN e.uscc < $mid THEN 'I' "
        "ELSE 'C' END, e.region_code = CASE WHEN e.uscc >= $far THEN '510104' "
        "ELSE e.region_code END",
        mid=uscc(15),
        far=uscc(20),
    )
    build(store, ClusterParams(today=date(2026, 6, 30)), now=None)
    ensure_alert_schema(store)
    upsert = cypher.text("alert_upsert", store.dialect)
    for rule, i, severity, evidence in ALERTS:
        store.write(
            upsert,
            rows=[{"key": alert_key(rule, i), "subject": uscc(i), "evidence": evidence}],
            rule=rule,
            title=f"rule {rule}",
            title_zh=f"规则{rule}",
            severity=severity,
            now=f"2026-06-{10 + i:02d}T08:00:00Z",
            run_id="run-1",
            status="open",
        )
