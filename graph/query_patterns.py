"""Patterns the supervisor watches: co-located firms (集群注册), hub persons (一人多企),
circular shareholding (循环持股) and the region × industry risk map (风险地图).
"""

from __future__ import annotations

from riskgraph.graph.query_common import node_key, query, require_entity, summary
from riskgraph.graph.store import GraphStore, Row
from riskgraph.reference import MUNICIPALITIES, full_name

REGION_WIDTH = {"province": 2, "city": 4, "district": 6}
CLASSES = ("A", "B", "C", "D")


def colocated(store: GraphStore, uscc: str, limit: int = 50, offset: int = 0) -> Row:
    """Enterprises registered at the same address(es), riskiest first, with totals."""
    enterprise = require_entity(store, uscc, ("Enterprise",))
    rows = query(store, "q_colocated", uscc=uscc, offset=offset, limit=limit)
    addresses = [
        {
            "address": summary(row["address"]),
            "total": row["total"],
            "offset": offset,
            "enterprises": [summary(node) for node in row["enterprises"]],
        }
        for row in rows
    ]
    return {
        "enterprise": summary(enterprise),
        "total": sum(a["total"] for a in addresses),
        "addresses": addresses,
    }


def hub_persons(store: GraphStore, min_firms: int = 10, limit: int = 50) -> Row:
    """Persons who are legal representative or officer of at least ``min_firms`` enterprises."""
    rows = query(store, "q_hub_persons", min_firms=min_firms, limit=limit)
    persons = [
        {
            **summary(row["person"]),
            "firms": row["firms"],
            "legal_rep_of": row["legal_rep_of"],
            "officer_of": row["officer_of"],
            "risky_firms": row["risky_firms"],
        }
        for row in rows
    ]
    return {"min_firms": min_firms, "persons": persons}


def shareholding_loops(store: GraphStore, max_length: int = 4, limit: int = 100) -> Row:
    """Simple INVESTS_IN cycles of at most ``max_length`` enterprises, each listed once.

    ``members`` run along the cycle from its smallest key; ``edges`` follow them.
    """
    loops = []
    for row in query(store, "q_shareholding_loops", max_length=max_length, limit=limit):
        by_id = {node["id"]: node for node in row["nodes"]}
        step = {rel["start"]: rel for rel in row["rels"]}
        # Walk the relationships: FalkorDB may list a cycle's nodes reversed.
        current = min(by_id, key=lambda node_id: node_key(by_id[node_id]))
        members, edges = [], []
        for _ in row["rels"]:
            rel = step[current]
            members.append(summary(by_id[current]))
            edges.append(
                {
                    "source": node_key(by_id[rel["start"]]),
                    "target": node_key(by_id[rel["end"]]),
                    "ratio": rel["properties"].get("ratio"),
                }
            )
            current = rel["end"]
        loops.append({"length": len(edges), "members": members, "edges": edges})
    return {"max_length": max_length, "loops": loops}


def risk_map(store: GraphStore, level: str = "district", prefix: str = "") -> Row:
    """Enterprises per region and industry section (门类), counted per risk class.

    ``level`` groups region codes by province, city or district; ``prefix``
    restricts to one area (e.g. ``"5101"``, Chengdu). The class is ``risk_class``
    where scored, else ``label_class``; others count as ``unclassified``.
    """
    rows = query(store, "q_risk_map", width=REGION_WIDTH[level], prefix=prefix)
    cells = []
    for row in rows:
        counts = {cls: row[cls.lower()] for cls in CLASSES}
        counts["unclassified"] = row["total"] - sum(counts.values())
        code = str(row["region"]).ljust(6, "0")
        cells.append(
            {
                "region": code,
                "region_name": _region_name(code),
                "section": row["section"],
                "counts": counts,
                "total": row["total"],
            }
        )
    cells.sort(key=lambda c: (c["region"], c["section"] or ""))
    totals = {key: sum(c["counts"][key] for c in cells) for key in (*CLASSES, "unclassified")}
    return {"level": level, "prefix": prefix, "cells": cells, "totals": totals}


def _region_name(code: str) -> str | None:
    try:
        return full_name(code)
    except KeyError:
        province = code[:2] + "0000"
        # A municipality's districts group under the municipality at city level.
        if province in MUNICIPALITIES and code[4:] == "00":
            return full_name(province)
        return None
