"""Saved screens: a screen definition stored in the graph under a name, per owner.

An owner sees their own saved screens; callers that may see every owner's (admins,
the command line) pass ``owner=None``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from riskgraph.analytics.clock import timestamp
from riskgraph.analytics.pages import Page, page_of
from riskgraph.analytics.screening import ScreenError, canonical_json, parse_screen
from riskgraph.errors import NotFound
from riskgraph.graph.schema import apply_ddl
from riskgraph.graph.store import GraphStore, Row

MAX_NAME = 100


class ScreenNotFound(NotFound):
    """No saved screen has the id, or it belongs to another owner."""


@dataclass(frozen=True)
class Owner:
    """Who saves and reads: ``key`` owns screens, ``sees_all`` reads every owner's."""

    key: str
    actor: str
    sees_all: bool = False


def _screen(row: Row) -> dict[str, Any]:
    return {**row, "definition": json.loads(row["definition"])}


def save_screen(
    store: GraphStore, name: str, definition: Any, owner: Owner, *, now: datetime | None = None
) -> dict[str, Any]:
    """Validate and store a screen under ``name``; returns it with its new ``sid``."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME or any(ord(ch) < 32 for ch in name):
        raise ScreenError("name", f"must be 1 to {MAX_NAME} printable characters")
    normal = parse_screen(definition)
    apply_ddl(store, "screen_schema")
    rows = store.write(
        store.query_text("screen_save"),
        sid=f"S-{uuid.uuid4().hex[:12]}",
        name=name,
        definition=canonical_json(normal),
        owner=owner.key,
        created_by=owner.actor,
        created_at=timestamp(now),
    )
    return _screen(rows[0])


def get_screen(store: GraphStore, sid: str, owner: Owner) -> dict[str, Any]:
    """A saved screen the owner may see; raises ScreenNotFound."""
    rows = store.read(store.query_text("screen_get"), sid=sid)
    if not rows or not (owner.sees_all or rows[0]["owner"] == owner.key):
        raise ScreenNotFound(f"no saved screen {sid!r}")
    return _screen(rows[0])


def list_screens(store: GraphStore, owner: Owner, *, limit: int = 50, offset: int = 0) -> Page:
    """The saved screens the owner may see, newest first."""
    rows = store.read(
        store.query_text("screen_list"),
        owner=None if owner.sees_all else owner.key,
        skip=offset,
        limit=limit + 1,
    )
    return page_of([_screen(r) for r in rows], limit=limit, offset=offset)


def delete_screen(store: GraphStore, sid: str, owner: Owner) -> None:
    """Delete a saved screen the owner may see; raises ScreenNotFound."""
    get_screen(store, sid, owner)
    store.write(store.query_text("screen_delete"), sid=sid)
