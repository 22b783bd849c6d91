"""Saved views (我的视图): a relationship view's state kept on the server per owner, with
notes on its nodes and links, sharing by key or role, a picture and a case report.

The state is a plain JSON object (see :func:`parse_state`): ``nodes`` (kind + key,
optionally a position and a label), ``edges``, ``positions``, ``expansions``,
``styles``, ``filters``, ``viewport``; other members are kept as given. It is bounded
(bytes, nodes, edges, nesting). Persons are stored by pid and without their names: the
names are read from the graph when a view is opened, and the API masks them (and turns
pids into pseudonyms) for roles that see persons masked, so the stored view never holds
masked or unmasked text of its own.

Who may do what: the owner reads, changes, shares and deletes; keys and roles the view
is shared with read it and add notes; a note is deleted by its author or the owner;
``Viewer.sees_all`` (admins, the command line) reads every view.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from riskgraph.analytics.clock import timestamp
from riskgraph.analytics.pages import Page, page_of
from riskgraph.errors import Forbidden, Invalid, NotFound
from riskgraph.graph.schema import apply_ddl
from riskgraph.graph.store import GraphStore, Row

MAX_TITLE = 200
MAX_STATE_BYTES = 2_000_000
MAX_NODES = 5_000
MAX_EDGES = 20_000
MAX_DEPTH = 12
MAX_KEY = 400
MAX_NOTES = 500
MAX_NOTE_CHARS = 2_000
MAX_SHARES = 50
MAX_PICTURE_BYTES = 2_000_000
REPORT_ROWS = 500
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_LISTS = {"nodes": MAX_NODES, "edges": MAX_EDGES, "expansions": MAX_NODES}
_PERSON_TEXT = ("label", "name", "caption")
_DIRECTIONS = {"in", "out"}


class ViewNotFound(NotFound):
    """No saved view has the id, or the caller may not open it."""


class NoteNotFound(NotFound):
    """The saved view has no note with the id."""


class ViewError(Invalid):
    """A view, its state, a note or a share is malformed; ``path`` names the bad part."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class NotViewOwner(Forbidden):
    """Only the view's owner may change, share or delete it."""


@dataclass(frozen=True)
class Viewer:
    """Who acts: ``key`` owns views, ``role`` receives views shared with a role,
    ``sees_all`` reads every view."""

    key: str
    role: str
    actor: str
    sees_all: bool = False


# --------------------------------------------------------------------------- validation


def parse_title(title: Any) -> str:
    """A title of 1 to MAX_TITLE printable characters; raises ViewError."""
    text = title.strip() if isinstance(title, str) else ""
    if not text or len(text) > MAX_TITLE or any(ord(ch) < 32 for ch in text):
        raise ViewError("title", f"must be 1 to {MAX_TITLE} printable characters")
    return text


def parse_state(state: Any) -> dict[str, Any]:
    """The state as stored: bounded, node and edge entries checked, persons without
    their names; raises ViewError naming the bad part."""
    if not isinstance(state, dict):
        raise ViewError("state", "must be a JSON object")
    size = len(canonical(state).encode("utf-8"))
    if size > MAX_STATE_BYTES:
        raise ViewError("state", f"is {size} bytes; a view holds at most {MAX_STATE_BYTES}")
    _check_depth(state, "state", 1)
    for name, cap in _LISTS.items():
        value = state.get(name, [])
        if not isinstance(value, list):
            raise ViewError(f"state.{name}", "must be a list")
        if len(value) > cap:
            raise ViewError(f"state.{name}", f"has {len(value)} entries; at most {cap}")
    for name in ("positions", "styles", "filters", "viewport"):
        if name in state and not isinstance(state[name], dict):
            raise ViewError(f"state.{name}", "must be an object")
    nodes = [_node(item, f"state.nodes[{i}]") for i, item in enumerate(state.get("nodes", []))]
    for i, edge in enumerate(state.get("edges", [])):
        _edge(edge, f"state.edges[{i}]")
    for i, item in enumerate(state.get("expansions", [])):
        _expansion(item, f"state.expansions[{i}]")
    positions = state.get("positions", {})
    if len(positions) > MAX_NODES:
        raise ViewError("state.positions", f"has {len(positions)} entries; at most {MAX_NODES}")
    for key, point in positions.items():
        _point(point, f"state.positions[{key!r}]")
    return {**state, "nodes": nodes}


def _check_depth(value: Any, path: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ViewError(path, f"nests deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_depth(item, f"{path}.{key}", depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_depth(item, f"{path}[{i}]", depth + 1)


def _text(value: Any, path: str, *, most: int = MAX_KEY) -> str:
    if not isinstance(value, str) or not value or len(value) > most:
        raise ViewError(path, f"must be a string of 1 to {most} characters")
    if any(ord(ch) < 32 for ch in value):
        raise ViewError(path, "must not hold control characters")
    return value


def _number(value: Any, path: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ViewError(path, "must be a finite number")


def _point(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise ViewError(path, "must be an object with x and y")
    _number(value.get("x"), f"{path}.x")
    _number(value.get("y"), f"{path}.y")


def _node(item: Any, path: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ViewError(path, "must be an object with kind and key")
    _text(item.get("kind"), f"{path}.kind", most=40)
    _text(item.get("key"), f"{path}.key")
    for axis in ("x", "y"):
        if axis in item:
            _number(item[axis], f"{path}.{axis}")
    if item["kind"] == "Person":
        return {k: v for k, v in item.items() if k not in _PERSON_TEXT}
    return item


def _edge(item: Any, path: str) -> None:
    if not isinstance(item, dict):
        raise ViewError(path, "must be an object with source, target and type")
    for name in ("source", "target"):
        _text(item.get(name), f"{path}.{name}")
    _text(item.get("type"), f"{path}.type", most=64)


def _expansion(item: Any, path: str) -> None:
    if not isinstance(item, dict):
        raise ViewError(path, "must be an object with key and groups")
    _text(item.get("key"), f"{path}.key")
    groups = item.get("groups", [])
    if not isinstance(groups, list) or len(groups) > 64:
        raise ViewError(f"{path}.groups", "must be a list of at most 64 groups")
    for j, group in enumerate(groups):
        where = f"{path}.groups[{j}]"
        if not isinstance(group, dict):
            raise ViewError(where, "must be an object with type, direction and loaded")
        _text(group.get("type"), f"{where}.type", most=64)
        if group.get("direction") not in _DIRECTIONS:
            raise ViewError(f"{where}.direction", "must be in or out")
        loaded = group.get("loaded", 0)
        if isinstance(loaded, bool) or not isinstance(loaded, int) or not 0 <= loaded <= MAX_NODES:
            raise ViewError(f"{where}.loaded", f"must be an integer from 0 to {MAX_NODES}")


def parse_target(target: Any) -> dict[str, Any]:
    """A note's target: ``{"node": key}`` or ``{"edge": {source, type, target}}``."""
    if isinstance(target, dict) and set(target) == {"node"}:
        return {"node": _text(target["node"], "target.node")}
    if isinstance(target, dict) and set(target) == {"edge"}:
        _edge(target["edge"], "target.edge")
        edge = target["edge"]
        return {"edge": {name: edge[name] for name in ("source", "type", "target")}}
    raise ViewError("target", 'must be {"node": key} or {"edge": {source, type, target}}')


def parse_picture(data: Any) -> bytes:
    """A PNG given as base64 or a ``data:image/png;base64,`` URL; raises ViewError."""
    text = data if isinstance(data, str) else ""
    text = text.removeprefix("data:image/png;base64,")
    if len(text) > MAX_PICTURE_BYTES * 4 // 3 + 4:
        raise ViewError("png", f"the picture is larger than {MAX_PICTURE_BYTES} bytes")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ViewError("png", "must be a PNG as base64") from exc
    if not raw.startswith(PNG_SIGNATURE):
        raise ViewError("png", "is not a PNG image")
    return raw


def canonical(value: Any) -> str:
    """JSON text with sorted keys and no spaces (what is stored)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --------------------------------------------------------------------------- the use cases


def _ensure_schema(store: GraphStore) -> None:
    apply_ddl(store, "view_schema")


def create_view(
    store: GraphStore, title: Any, state: Any, viewer: Viewer, *, now: datetime | None = None
) -> dict[str, Any]:
    """Store a new view for ``viewer``; returns it with its new ``vid``."""
    title = parse_title(title)
    normal = parse_state(state)
    _ensure_schema(store)
    rows = store.write(
        store.query_text("view_create"),
        vid=f"V-{uuid.uuid4().hex[:12]}",
        title=title,
        state=canonical(normal),
        node_count=len(normal["nodes"]),
        owner=viewer.key,
        owner_role=viewer.role,
        created_by=viewer.actor,
        now=timestamp(now),
    )
    return _summary(rows[0])


def _summary(row: Row) -> dict[str, Any]:
    out = dict(row)
    out["shared_users"] = list(out.get("shared_users") or [])
    out["shared_roles"] = list(out.get("shared_roles") or [])
    out.pop("state", None)
    return out


def _may_read(row: Row, viewer: Viewer) -> bool:
    return (
        viewer.sees_all
        or row["owner"] == viewer.key
        or viewer.key in (row.get("shared_users") or [])
        or viewer.role in (row.get("shared_roles") or [])
    )


def _row(store: GraphStore, vid: str, viewer: Viewer) -> Row:
    rows = store.read(store.query_text("view_get"), vid=vid)
    if not rows or not _may_read(rows[0], viewer):
        raise ViewNotFound(f"no saved view {vid!r}")
    return rows[0]


def _owned(store: GraphStore, vid: str, viewer: Viewer) -> Row:
    row = _row(store, vid, viewer)
    if row["owner"] != viewer.key and not viewer.sees_all:
        raise NotViewOwner(f"only the owner may change the saved view {vid!r}")
    return row


def get_view(store: GraphStore, vid: str, viewer: Viewer) -> dict[str, Any]:
    """A view the viewer may open: summary, ``state`` with person names from the graph,
    and ``notes``; raises ViewNotFound."""
    row = _row(store, vid, viewer)
    state = json.loads(row["state"])
    _name_persons(store, state)
    return {**_summary(row), "state": state, "notes": _notes(store, vid)}


def _name_persons(store: GraphStore, state: dict[str, Any]) -> None:
    persons = [node for node in state.get("nodes", []) if node.get("kind") == "Person"]
    if not persons:
        return
    keys = sorted({node["key"] for node in persons})
    names = {
        row["key"]: row["name"] for row in store.read(store.query_text("view_persons"), keys=keys)
    }
    for node in persons:
        node["label"] = names.get(node["key"])


def _notes(store: GraphStore, vid: str) -> list[dict[str, Any]]:
    rows = store.read(store.query_text("view_notes"), vid=vid, limit=MAX_NOTES)
    return [{**row, "target": json.loads(row["target"])} for row in rows]


def list_views(store: GraphStore, viewer: Viewer, *, limit: int = 50, offset: int = 0) -> Page:
    """Views the viewer may open (own and shared with them), latest change first."""
    rows = store.read(
        store.query_text("view_list"),
        owner=None if viewer.sees_all else viewer.key,
        role=viewer.role,
        skip=offset,
        limit=limit + 1,
    )
    return page_of([_summary(row) for row in rows], limit=limit, offset=offset)


def update_view(
    store: GraphStore,
    vid: str,
    viewer: Viewer,
    *,
    title: Any = None,
    state: Any = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Change an own view's title and/or state (None keeps it); returns the view."""
    new_title = None if title is None else parse_title(title)
    normal = None if state is None else parse_state(state)
    _owned(store, vid, viewer)
    store.write(
        store.query_text("view_update"),
        vid=vid,
        title=new_title,
        state=None if normal is None else canonical(normal),
        node_count=None if normal is None else len(normal["nodes"]),
        now=timestamp(now),
    )
    return get_view(store, vid, viewer)


def delete_view(store: GraphStore, vid: str, viewer: Viewer) -> None:
    """Delete an own view with its notes."""
    _owned(store, vid, viewer)
    store.write(store.query_text("view_delete"), vid=vid)


def share_view(
    store: GraphStore,
    vid: str,
    viewer: Viewer,
    users: list[str],
    roles: list[str],
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Share an own view with exactly these keys (by id) and roles (replacing the
    previous shares); the caller has checked that they may see its content."""
    if len(users) + len(roles) > MAX_SHARES:
        raise ViewError("share", f"at most {MAX_SHARES} keys and roles")
    _owned(store, vid, viewer)
    store.write(
        store.query_text("view_share"),
        vid=vid,
        users=sorted(set(users)),
        roles=sorted(set(roles)),
        now=timestamp(now),
    )
    return _summary(_row(store, vid, viewer))


def add_note(
    store: GraphStore,
    vid: str,
    viewer: Viewer,
    target: Any,
    text: Any,
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Add a note (text, author, time) on a node or link of a view the viewer may open."""
    aim = parse_target(target)
    body = text.strip() if isinstance(text, str) else ""
    if not body or len(body) > MAX_NOTE_CHARS:
        raise ViewError("text", f"must be 1 to {MAX_NOTE_CHARS} characters")
    _row(store, vid, viewer)
    if len(_notes(store, vid)) >= MAX_NOTES:
        raise ViewError("notes", f"a view holds at most {MAX_NOTES} notes")
    rows = store.write(
        store.query_text("view_note_add"),
        vid=vid,
        nid=f"N-{uuid.uuid4().hex[:12]}",
        target=canonical(aim),
        text=body,
        author=viewer.actor,
        seq=time.time_ns(),
        now=timestamp(now),
    )
    if not rows:  # deleted since it was read
        raise ViewNotFound(f"no saved view {vid!r}")
    return {**rows[0], "target": aim}


def delete_note(store: GraphStore, vid: str, nid: str, viewer: Viewer) -> None:
    """Delete a note: its author or the view's owner may."""
    row = _row(store, vid, viewer)
    note = next((n for n in _notes(store, vid) if n["nid"] == nid), None)
    if note is None:
        raise NoteNotFound(f"saved view {vid!r} has no note {nid!r}")
    if note["author"] != viewer.actor and row["owner"] != viewer.key and not viewer.sees_all:
        raise NotViewOwner("only the note's author or the view's owner may delete it")
    store.write(store.query_text("view_note_delete"), vid=vid, nid=nid)


def set_picture(
    store: GraphStore, vid: str, viewer: Viewer, png: Any, *, now: datetime | None = None
) -> int:
    """Keep the PNG the browser drew for an own view; returns its size in bytes."""
    raw = parse_picture(png)
    _owned(store, vid, viewer)
    store.write(
        store.query_text("view_picture_set"),
        vid=vid,
        picture=base64.b64encode(raw).decode("ascii"),
        now=timestamp(now),
    )
    return len(raw)


def get_picture(store: GraphStore, vid: str, viewer: Viewer) -> bytes | None:
    """The view's PNG, or None when none was kept."""
    _row(store, vid, viewer)
    rows = store.read(store.query_text("view_picture_get"), vid=vid)
    picture = rows[0]["picture"] if rows else None
    return base64.b64decode(picture) if picture else None


@dataclass(frozen=True)
class ReportData:
    """What a case report shows: the view, its picture, and its firms, persons,
    violations and alerts read from the graph now."""

    view: dict[str, Any]
    picture: bytes | None
    firms: list[dict[str, Any]]
    persons: list[dict[str, Any]]
    violations: list[dict[str, Any]]
    alerts: list[dict[str, Any]]


def report_data(store: GraphStore, vid: str, viewer: Viewer) -> ReportData:
    """The case report's content for a view the viewer may open."""
    view = get_view(store, vid, viewer)
    nodes = view["state"].get("nodes", [])
    firms = sorted({n["key"] for n in nodes if n.get("kind") == "Enterprise"})
    persons = [
        {"key": n["key"], "name": n.get("label")} for n in nodes if n.get("kind") == "Person"
    ]
    query = store.query_text
    return ReportData(
        view=view,
        picture=get_picture(store, vid, viewer),
        firms=store.read(query("view_report_firms"), keys=firms),
        persons=sorted(persons, key=lambda p: (p["name"] or "", p["key"])),
        violations=store.read(query("view_report_violations"), keys=firms, limit=REPORT_ROWS),
        alerts=store.read(query("view_report_alerts"), keys=firms, limit=REPORT_ROWS),
    )
