"""Hand-built registry graphs for the rule, cluster and inspection tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from riskgraph.graph.store import GraphStore
from riskgraph.ingest.identifiers import make_uscc

TODAY = date(2026, 6, 30)


def uscc(n: int) -> str:
    """A valid USCC numbered ``n``."""
    return make_uscc(f"915101077{n:07d}")


@dataclass
class Registry:
    """Collects firms, persons and links, then writes them in a few batched queries."""

    firms: list[dict[str, Any]] = field(default_factory=list)
    persons: set[str] = field(default_factory=set)
    legal_reps: list[dict[str, Any]] = field(default_factory=list)
    officers: list[dict[str, Any]] = field(default_factory=list)
    investments: list[dict[str, Any]] = field(default_factory=list)
    person_investments: list[dict[str, Any]] = field(default_factory=list)
    branches: list[dict[str, Any]] = field(default_factory=list)
    addresses: list[dict[str, Any]] = field(default_factory=list)
    violations: list[dict[str, Any]] = field(default_factory=list)

    def firm(
        self,
        key: str,
        *,
        established: str = "2020-01-01",
        status: str | None = "存续",
        org_type: str = "有限责任公司",
        registered_capital: float = 100.0,
        paid_in_capital: float = 100.0,
        region_code: str = "510107",
        industry_code: str = "I6510",
        address: str | None = None,
        **extra: Any,
    ) -> str:
        props = {
            "name": f"企业{key}",
            "status": status,
            "org_type": org_type,
            "registered_capital": registered_capital,
            "paid_in_capital": paid_in_capital,
            "region_code": region_code,
            "industry_code": industry_code,
            **extra,
        }
        self.firms.append({"uscc": key, "established": established, "props": props})
        if address is not None:
            self.addresses.append({"uscc": key, "aid": address})
        return key

    def legal_rep(
        self, pid: str, key: str, since: str | None = None, until: str | None = None
    ) -> None:
        self.persons.add(pid)
        self.legal_reps.append({"pid": pid, "uscc": key, "since": since, "until": until})

    def officer(self, pid: str, key: str, role: str = "董事", until: str | None = None) -> None:
        self.persons.add(pid)
        self.officers.append({"pid": pid, "uscc": key, "role": role, "until": until})

    def invest(self, investor: str, investee: str, ratio: float | None) -> None:
        self.investments.append({"investor": investor, "investee": investee, "ratio": ratio})

    def person_invest(self, pid: str, investee: str, ratio: float) -> None:
        self.persons.add(pid)
        self.person_investments.append({"pid": pid, "investee": investee, "ratio": ratio})

    def branch(self, branch: str, parent: str) -> None:
        self.branches.append({"branch": branch, "parent": parent})

    def violation(
        self, key: str, kind: str, on: str, status: str = "有效", vid: str | None = None
    ) -> str:
        vid = vid or f"V{len(self.violations):04d}"
        self.violations.append(
            {"vid": vid, "uscc": key, "kind": kind, "date": on, "status": status}
        )
        return vid

    def write(self, store: GraphStore) -> GraphStore:
        store.write(
            "UNWIND $rows AS row MERGE (e:Enterprise {uscc: row.uscc}) "
            "SET e += row.props, e.established = date(row.established)",
            rows=self.firms,
        )
        store.write("UNWIND $rows AS pid MERGE (:Person {pid: pid})", rows=sorted(self.persons))
        store.write(
            "UNWIND $rows AS row MATCH (p:Person {pid: row.pid}) "
            "MATCH (e:Enterprise {uscc: row.uscc}) MERGE (p)-[r:LEGAL_REP_OF]->(e) "
            "SET r.since = date(row.since), r.until = date(row.until)",
            rows=self.legal_reps,
        )
        store.write(
            "UNWIND $rows AS row MATCH (p:Person {pid: row.pid}) "
            "MATCH (e:Enterprise {uscc: row.uscc}) "
            "MERGE (p)-[r:HOLDS_POSITION {role: row.role}]->(e) SET r.until = date(row.until)",
            rows=self.officers,
        )
        store.write(
            "UNWIND $rows AS row MATCH (i:Enterprise {uscc: row.investor}) "
            "MATCH (e:Enterprise {uscc: row.investee}) "
            "MERGE (i)-[r:INVESTS_IN]->(e) SET r.ratio = row.ratio",
            rows=self.investments,
        )
        store.write(
            "UNWIND $rows AS row MATCH (p:Person {pid: row.pid}) "
            "MATCH (e:Enterprise {uscc: row.investee}) "
            "MERGE (p)-[r:INVESTS_IN]->(e) SET r.ratio = row.ratio",
            rows=self.person_investments,
        )
        store.write(
            "UNWIND $rows AS row MATCH (b:Enterprise {uscc: row.branch}) "
            "MATCH (p:Enterprise {uscc: row.parent}) MERGE (b)-[:BRANCH_OF]->(p)",
            rows=self.branches,
        )
        store.write(
            "UNWIND $rows AS row MATCH (e:Enterprise {uscc: row.uscc}) "
            "MERGE (a:Address {aid: row.aid}) MERGE (e)-[:REGISTERED_AT]->(a)",
            rows=self.addresses,
        )
        store.write(
            "UNWIND $rows AS row MATCH (e:Enterprise {uscc: row.uscc}) "
            "MERGE (v:Violation {vid: row.vid}) "
            "SET v.kind = row.kind, v.status = row.status, v.date = date(row.date) "
            "MERGE (e)-[:HAS_VIOLATION]->(v)",
            rows=self.violations,
        )
        return store
