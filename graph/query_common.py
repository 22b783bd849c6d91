"""Shared pieces of the named relationship queries: their errors and node summaries.

Named queries answer with compact node summaries rather than whole nodes::

    {"id": "91110108123456788E", "kind": "Enterprise", "label": "示例科技有限公司",
     "status": "存续", "risk_class": "B", "label_class": None, "risk_score": 0.12}

``id`` is the node's domain key (``uscc``, ``pid``, ``aid``, ``vid``), never the
engine's internal id, so answers compare across engines and reloads.
"""

from __future__ import annotations

from typing import Any

from riskgraph import cypher
from riskgraph.errors import Invalid, NotFound
from riskgraph.graph.store import GraphStore, Row

KEY_PROPERTY = {"Enterprise": "uscc", "Person": "pid", "Address": "aid", "Violation": "vid"}
"""Each keyed label and the property that identifies its nodes."""

RISKY_CLASSES = ("C", "D")
SHARE_DIGITS = 6


class InvalidParameters(Invalid):
    """A named query was given an unknown, missing or out-of-range parameter."""


class EntityNotFound(NotFound):
    """No node exists under the key a named query was asked about."""


def node_kind(node: Row) -> str:
    """The node's primary label: a keyed label if it has one, else its first label."""
    labels: list[str] = node["labels"]
    return next((label for label in labels if label in KEY_PROPERTY), labels[0] if labels else "")


def node_key(node: Row) -> str:
    """The node's domain key, falling back to the engine id for unkeyed nodes."""
    props: dict[str, Any] = node["properties"]
    prop = KEY_PROPERTY.get(node_kind(node))
    value = props.get(prop) if prop else props.get("rid")
    return str(value) if value is not None else f"#{node['id']}"


def summary(node: Row) -> Row:
    """The compact form of a node (see the module docstring)."""
    props: dict[str, Any] = node["properties"]
    kind = node_kind(node)
    label = {
        "Address": props.get("address"),
        "Violation": props.get("kind"),
    }.get(kind, props.get("name"))
    out: Row = {
        "id": node_key(node),
        "kind": kind,
        "label": label,
        "status": props.get("status"),
        "risk_class": props.get("risk_class"),
        "label_class": props.get("label_class"),
        "risk_score": props.get("risk_score"),
    }
    if kind == "Violation":
        out["date"] = props.get("date")
    return out


def round_share(value: float | None) -> float | None:
    """Shares are products of ratios; round away float noise such as 0.30000000000000004."""
    return None if value is None else round(value, SHARE_DIGITS)


def query(store: GraphStore, name: str, **params: Any) -> list[Row]:
    """Run the library query ``name`` in the store's dialect on the read path."""
    return store.read(cypher.text(name, store.dialect), **params)


def find_entities(store: GraphStore, keys: list[str]) -> dict[str, Row]:
    """The nodes that exist under these keys (any keyed label), by key."""
    return {row["key"]: row["node"] for row in query(store, "q_entities", keys=keys)}


def require_entity(store: GraphStore, key: str, kinds: tuple[str, ...]) -> Row:
    """The node under ``key`` whose label is one of ``kinds``, or EntityNotFound."""
    node = find_entities(store, [key]).get(key)
    if node is None or node_kind(node) not in kinds:
        raise EntityNotFound(f"no {' or '.join(kinds)} with key {key!r}")
    return node
