"""The graph model (族谱关系) and its schema: labels, keys, relationship types, indexes.

See ``docs/graph-model.md`` for the diagram and the Chinese terms.
"""

from __future__ import annotations

import contextlib
from typing import Any

from riskgraph import cypher
from riskgraph.errors import SchemaRuleExists
from riskgraph.graph import search_index
from riskgraph.graph.store import GraphStore

NODE_KEYS: dict[str, str] = {
    "Enterprise": "uscc",  # 企业, 统一社会信用代码
    "Person": "pid",  # 自然人, keyed HMAC of the resident ID number
    "Address": "aid",  # 住所/经营场所, hash of the normalised address
    "Violation": "vid",  # 违法违规记录
    "Licence": "lid",  # 行政许可证照, hash of kind and licence number
    "AnnualReport": "rid",  # 企业年度报告, "<uscc>|<year>"
}

RELATIONSHIP_TYPES: tuple[str, ...] = (
    "LEGAL_REP_OF",  # 法定代表人: Person -> Enterprise
    "HOLDS_POSITION",  # 任职 {role}: Person -> Enterprise
    "INVESTS_IN",  # 投资 {ratio, amount, since}: Person|Enterprise -> Enterprise
    "BRANCH_OF",  # 分支机构: Enterprise -> Enterprise (branch -> parent)
    "REGISTERED_AT",  # 登记住所: Enterprise -> Address
    "HAS_VIOLATION",  # 违法违规: Enterprise -> Violation
    "HAS_LICENCE",  # 持有许可证照: Enterprise -> Licence
    "HAS_ANNUAL_REPORT",  # 年度报告: Enterprise -> AnnualReport
)


def init_schema(store: GraphStore) -> int:
    """Create indexes (and, on Neo4j, uniqueness constraints); safe to repeat.

    Also writes what the search indexes need on nodes loaded before they existed
    (:func:`riskgraph.graph.search_index.refresh`). Returns how many statements were
    applied (already-present ones count).
    """
    applied = apply_ddl(store, "schema")
    search_index.refresh(store)
    return applied


def apply_ddl(store: GraphStore, name: str) -> int:
    """Apply the dialect's index/constraint file ``name``; safe to repeat, and to run
    from several requests at once (an index or constraint already there is skipped).
    Returns the number of statements."""
    statements = cypher.load(name, store.dialect).statements()
    for statement in statements:
        with contextlib.suppress(SchemaRuleExists):
            store.write(statement)
    return len(statements)


def list_indexes(store: GraphStore) -> list[tuple[str, tuple[str, ...]]]:
    """Every property index as (label, properties), sorted (uniqueness constraints
    on Neo4j bring their own index)."""
    rows = store.read(cypher.text("schema_indexes", store.dialect))
    return sorted((str(row["label"]), tuple(row["properties"])) for row in rows)


def graph_stats(store: GraphStore) -> dict[str, Any]:
    """Node counts per label and relationship counts per type, keys sorted.

    The model's labels and types are always present (0 when empty), so two
    runs compare byte for byte.
    """
    nodes = dict.fromkeys(NODE_KEYS, 0)
    for row in store.read(cypher.text("node_counts", store.dialect)):
        nodes[row["label"]] = int(row["count"])
    relationships = dict.fromkeys(RELATIONSHIP_TYPES, 0)
    for row in store.read(cypher.text("relationship_counts", store.dialect)):
        relationships[row["type"]] = int(row["count"])
    return {
        "nodes": dict(sorted(nodes.items())),
        "relationships": dict(sorted(relationships.items())),
    }
