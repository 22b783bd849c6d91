"""Masking of personal data by role.

Person names are shown as the first character followed by one ``*`` per
remaining character (张三丰 → 张**); ``pid`` (derived from the resident ID
number) is withheld, or replaced by a pseudonym where a graph answer needs an
id to link nodes. Roles with ``persons:unmasked`` see both in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any


def mask_name(name: str | None) -> str | None:
    """张三丰 → 张**; one-character names become ``*``."""
    if not name:
        return name
    name = name.strip()
    if len(name) <= 1:
        return "*"
    return name[0] + "*" * (len(name) - 1)


def person_view(pid: str | None, name: str | None, *, unmasked: bool) -> dict[str, Any]:
    """A person as a role may see it."""
    if unmasked:
        return {"pid": pid, "name": name, "masked": False}
    return {"pid": None, "name": mask_name(name), "masked": True}


# A per-process key: pseudonyms are stable within one API process (so a graph
# answer links up) but cannot be joined with pid values or across restarts.
_PSEUDONYM_KEY = secrets.token_bytes(32)
_PERSON_FIELDS = frozenset({"pid", "name"})


def pseudonym(pid: str) -> str:
    """An opaque stand-in for a ``pid`` in answers to roles that may not see it."""
    digest = hmac.new(_PSEUDONYM_KEY, pid.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"person-{digest[:16]}"


def mask_persons(value: Any) -> Any:
    """Mask every person in a named query's answer: names as 张**, ``pid`` (wherever it
    appears: node ids, edge ends, properties) as a pseudonym, other person
    properties dropped."""
    pids: set[str] = set()
    _collect_pids(value, pids)
    return _rewrite(value, {pid: pseudonym(pid) for pid in pids})


def _is_person_node(value: dict[str, Any]) -> bool:
    labels = value.get("labels")
    return (
        isinstance(labels, list)
        and "Person" in labels
        and isinstance(value.get("properties"), dict)
    )


def _collect_pids(value: Any, pids: set[str]) -> None:
    if isinstance(value, dict):
        if value.get("kind") == "Person" and isinstance(value.get("id"), str):
            pids.add(value["id"])
        if _is_person_node(value) and isinstance(value["properties"].get("pid"), str):
            pids.add(value["properties"]["pid"])
        for item in value.values():
            _collect_pids(item, pids)
    elif isinstance(value, list):
        for item in value:
            _collect_pids(item, pids)


def _rewrite(value: Any, mapping: dict[str, str]) -> Any:
    if isinstance(value, str):
        return mapping.get(value, value)
    if isinstance(value, list):
        return [_rewrite(item, mapping) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {
        mapping.get(str(key), str(key)): _rewrite(item, mapping) for key, item in value.items()
    }
    if out.get("kind") == "Person":
        for field in ("label", "name"):
            if isinstance(out.get(field), str):
                out[field] = mask_name(out[field])
    if _is_person_node(out):
        props = {k: v for k, v in out["properties"].items() if k in _PERSON_FIELDS}
        props["name"] = mask_name(props.get("name"))
        out["properties"] = props
    return out


_PERSON_EVIDENCE = frozenset({"legal_rep", "officer", "person"})


def mask_evidence(items: list[str]) -> list[str]:
    """Alert evidence (``kind:key`` strings) with person ids as pseudonyms:
    ``legal_rep:<pid>@2024-01-05`` → ``legal_rep:person-…@2024-01-05``."""
    out = []
    for item in items:
        kind, sep, rest = item.partition(":")
        if sep and kind in _PERSON_EVIDENCE and rest:
            pid, at, suffix = rest.partition("@")
            item = f"{kind}:{pseudonym(pid)}{at}{suffix}"
        out.append(item)
    return out


_PATH_PERSON = re.compile(r"\(person ([^()\s]+)\)")


def mask_explanation(explanation: dict[str, Any]) -> dict[str, Any]:
    """A model explanation with every person id as a pseudonym: person neighbours'
    keys, persons on the readable paths, and hub persons (``via``) of neighbour
    aggregates."""
    out = dict(explanation)
    neighbours = []
    for item in explanation.get("neighbours") or []:
        item = dict(item)
        if item.get("type") == "person" and isinstance(item.get("key"), str):
            item["key"] = pseudonym(item["key"])
        if isinstance(item.get("path"), str):
            item["path"] = _PATH_PERSON.sub(lambda m: f"(person {pseudonym(m[1])})", item["path"])
        if isinstance(item.get("via"), str) and "~person" in str(item.get("relation")):
            item["via"] = pseudonym(item["via"])
        neighbours.append(item)
    out["neighbours"] = neighbours
    return out
