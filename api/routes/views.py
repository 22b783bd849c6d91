"""Saved views (我的视图): a relationship view kept on the server per key, notes on its
nodes and links, sharing with keys or roles by link (``#/views/<vid>``), its picture,
and its case report as HTML and PDF.

Persons are stored by pid without names and masked on every read for roles that see
persons masked (:mod:`riskgraph.api.view_privacy`). Saves, shares, notes, pictures and
exports are audited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from riskgraph.analytics import views
from riskgraph.analytics.views import Viewer, ViewError
from riskgraph.api.auth import PERMISSIONS, Permission, Principal, Role
from riskgraph.api.deps import ApiState, AuditDep, GraphReader, ScoreReader, StateDep, StoreDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.report.pdf import find_chromium, html_to_pdf
from riskgraph.api.report.render import render_report
from riskgraph.api.schemas import ErrorBody
from riskgraph.api.store import StoreHolder
from riskgraph.api.view_privacy import mask_view, person_keys, unseal

router = APIRouter(prefix="/views", tags=["views"])

ViewId = Annotated[str, Path(pattern=r"^V-[0-9a-f]{12}$", examples=["V-0a1b2c3d4e5f"])]
NoteId = Annotated[str, Path(pattern=r"^N-[0-9a-f]{12}$", examples=["N-0a1b2c3d4e5f"])]
CONTENT = (Permission.graph_read, Permission.scores_read)
"""What a role needs to see a view's content (its graph and the firms' classes)."""
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)
EXAMPLE_STATE: dict[str, Any] = {
    "version": 1,
    "root": {"kind": "Enterprise", "key": "91510100MA000000XY"},
    "nodes": [{"kind": "Enterprise", "key": "91510100MA000000XY", "x": 0, "y": 0}],
    "edges": [],
    "expansions": [],
}
_Responses = dict[int | str, dict[str, Any]]
_NOT_FOUND: _Responses = {
    404: {"model": ErrorBody, "description": "no such view, or not yours to open"}
}
_OWNER_ONLY: _Responses = {403: {"model": ErrorBody, "description": "only the owner may do this"}}
_BAD: _Responses = {422: {"model": ErrorBody, "description": "malformed or too large (path named)"}}


class ViewCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"title": "张三丰关联企业", "state": EXAMPLE_STATE}]}
    )

    title: str = Field(min_length=1, max_length=views.MAX_TITLE)
    state: dict[str, Any]


class ViewUpdate(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=views.MAX_TITLE)
    state: dict[str, Any] | None = None


class ViewShare(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"users": ["1a2b3c4d5e"], "roles": ["investigator"]}]}
    )

    users: list[Annotated[str, Field(pattern=r"^[0-9a-f]{10}$")]] = Field(
        default=[], max_length=views.MAX_SHARES, description="key ids"
    )
    roles: list[Role] = Field(default=[], max_length=len(Role))


class NoteCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"target": {"node": "91510100MA000000XY"}, "text": "与甲公司同一法人"}]
        }
    )

    target: dict[str, Any] = Field(description='{"node": key} or {"edge": {source, type, target}}')
    text: str = Field(min_length=1, max_length=views.MAX_NOTE_CHARS)


class Picture(BaseModel):
    png: str = Field(description="the PNG as base64 or a data:image/png;base64, URL")


class Note(BaseModel):
    nid: str
    target: dict[str, Any]
    text: str
    author: str
    created_at: str


class ViewSummary(BaseModel):
    vid: str
    title: str
    owner: str
    owner_role: str
    created_by: str
    created_at: str
    updated_at: str
    node_count: int
    shared_users: list[str]
    shared_roles: list[str]
    has_picture: bool
    note_count: int | None = None
    mine: bool = Field(description="whether the caller owns the view")


class ViewDetail(ViewSummary):
    state: dict[str, Any]
    notes: list[Note]


class ViewList(BaseModel):
    items: list[ViewSummary]
    limit: int
    offset: int
    next_offset: int | None


def viewer_of(principal: Principal) -> Viewer:
    """The domain's viewer for an API key (admins open every view)."""
    return Viewer(
        key=principal.key_id,
        role=principal.role.value,
        actor=principal.actor,
        sees_all=principal.role is Role.admin,
    )


def _as_seen(view: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """The view as the caller's role may see it (persons masked where it must)."""
    out = {**jsonable(view), "mine": view["owner"] == principal.key_id}
    if principal.can(Permission.persons_unmasked):
        return out
    return mask_view(out, person_keys(view.get("state") or {}))


def _detail(view: dict[str, Any], principal: Principal) -> ViewDetail:
    return ViewDetail.model_validate(_as_seen(view, principal))


@router.get("", response_model=ViewList, summary="Saved views: your own and those shared with you")
def list_views(
    holder: StoreDep,
    principal: GraphReader,
    audit: AuditDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> ViewList:
    """Latest change first; admins see every view."""
    viewer = viewer_of(principal)
    page = holder.call(lambda store: views.list_views(store, viewer, limit=limit, offset=offset))
    audit("views.list", params={"limit": limit, "offset": offset}, rows=len(page.items))
    items = [
        ViewSummary.model_validate({**item, "mine": item["owner"] == principal.key_id})
        for item in page.items
    ]
    return ViewList(items=items, limit=limit, offset=offset, next_offset=page.next_offset)


@router.post(
    "",
    response_model=ViewDetail,
    status_code=201,
    summary="Save a view (its state: nodes, positions, expansions, styles, filters)",
    responses=_BAD,
)
def create_view(
    body: ViewCreate, holder: StoreDep, principal: GraphReader, audit: AuditDep
) -> ViewDetail:
    """Bounded: at most 5,000 nodes, 20,000 edges and 2,000,000 bytes of JSON (the
    request body limit, ``RISKGRAPH_API__MAX_BODY_BYTES``, applies first: 413)."""
    viewer = viewer_of(principal)
    params = {"title": body.title}

    def save() -> dict[str, Any]:
        state = unseal(body.state)
        made = holder.call(lambda store: views.create_view(store, body.title, state, viewer))
        return holder.call(lambda store: views.get_view(store, made["vid"], viewer))

    view = audit.refusals("views.save", params, save)
    audit("views.save", params=params, vid=view["vid"], nodes=view["node_count"])
    return _detail(view, principal)


@router.get(
    "/{vid}",
    response_model=ViewDetail,
    summary="One saved view with its notes",
    responses=_NOT_FOUND,
)
def get_view(vid: ViewId, holder: StoreDep, principal: GraphReader, audit: AuditDep) -> ViewDetail:
    viewer = viewer_of(principal)
    view = audit.refusals(
        "views.read", {"vid": vid}, lambda: holder.call(lambda s: views.get_view(s, vid, viewer))
    )
    audit("views.read", params={"vid": vid}, rows=1, owner=view["owner"])
    return _detail(view, principal)


@router.post(
    "/{vid}",
    response_model=ViewDetail,
    summary="Change your view's title and/or state",
    responses={**_NOT_FOUND, **_OWNER_ONLY, **_BAD},
)
def update_view(
    vid: ViewId, body: ViewUpdate, holder: StoreDep, principal: GraphReader, audit: AuditDep
) -> ViewDetail:
    viewer = viewer_of(principal)
    params = {"vid": vid, "title": body.title, "state": body.state is not None}

    def change() -> dict[str, Any]:
        state = None if body.state is None else unseal(body.state)
        return holder.call(
            lambda store: views.update_view(store, vid, viewer, title=body.title, state=state)
        )

    view = audit.refusals("views.update", params, change)
    audit("views.update", params=params, nodes=view["node_count"])
    return _detail(view, principal)


@router.delete(
    "/{vid}",
    status_code=204,
    summary="Delete your view and its notes",
    responses={**_NOT_FOUND, **_OWNER_ONLY},
)
def delete_view(vid: ViewId, holder: StoreDep, principal: GraphReader, audit: AuditDep) -> None:
    viewer = viewer_of(principal)
    audit.refusals(
        "views.delete",
        {"vid": vid},
        lambda: holder.call(lambda store: views.delete_view(store, vid, viewer)),
    )
    audit("views.delete", params={"vid": vid})


@router.post(
    "/{vid}/share",
    response_model=ViewSummary,
    summary="Share your view with keys (by id) and roles; replaces the previous shares",
    responses={**_NOT_FOUND, **_OWNER_ONLY, **_BAD},
)
def share_view(
    vid: ViewId,
    body: ViewShare,
    state: StateDep,
    holder: StoreDep,
    principal: GraphReader,
    audit: AuditDep,
) -> ViewSummary:
    """Only keys and roles that may see the view's content (graph and risk classes) can
    be named; whoever opens it sees persons as their own role allows. The link to send
    is ``#/views/<vid>``."""
    viewer = viewer_of(principal)
    users, roles = sorted(set(body.users)), sorted({role.value for role in body.roles})
    params = {"vid": vid, "users": users, "roles": roles}

    def share() -> dict[str, Any]:
        _check_audience(state.keys.list(include_revoked=False), users, body.roles)
        return holder.call(lambda store: views.share_view(store, vid, viewer, users, roles))

    shared = audit.refusals("views.share", params, share)
    audit("views.share", params=params)
    return ViewSummary.model_validate({**shared, "mine": shared["owner"] == principal.key_id})


def _check_audience(keys: list[Any], users: list[str], roles: list[Role]) -> None:
    def sees(role: Role) -> bool:
        return all(p in PERMISSIONS[role] for p in CONTENT)

    for i, role in enumerate(roles):
        if not sees(role):
            raise ViewError(f"roles[{i}]", f"role {role.value!r} may not see a view's content")
    active: dict[str, Role] = {record.id: record.role for record in keys}
    for i, user in enumerate(users):
        held = active.get(user)
        if held is None:
            raise ViewError(f"users[{i}]", f"no active API key {user!r}")
        if not sees(held):
            raise ViewError(f"users[{i}]", f"key {user!r} ({held.value}) may not see a view")


@router.post(
    "/{vid}/notes",
    response_model=Note,
    status_code=201,
    summary="Add a note on a node or link of a view you may open",
    responses={**_NOT_FOUND, **_BAD},
)
def add_note(
    vid: ViewId, body: NoteCreate, holder: StoreDep, principal: GraphReader, audit: AuditDep
) -> Note:
    """The author (``role:key id``) and the time are the server's."""
    viewer = viewer_of(principal)
    params = {"vid": vid, "target": body.target}

    def add() -> tuple[dict[str, Any], list[str]]:
        target = unseal(body.target, "target")
        note = holder.call(lambda s: views.add_note(s, vid, viewer, target, body.text))
        pids = person_keys(holder.call(lambda s: views.get_view(s, vid, viewer))["state"])
        return note, pids

    note, pids = audit.refusals("views.note", params, add)
    audit("views.note", params=params, nid=note["nid"])
    if not principal.can(Permission.persons_unmasked):
        note = mask_view(note, pids)
    return Note.model_validate(note)


@router.delete(
    "/{vid}/notes/{nid}",
    status_code=204,
    summary="Delete a note (its author or the view's owner)",
    responses={**_NOT_FOUND, **_OWNER_ONLY},
)
def delete_note(
    vid: ViewId, nid: NoteId, holder: StoreDep, principal: GraphReader, audit: AuditDep
) -> None:
    viewer = viewer_of(principal)
    params = {"vid": vid, "nid": nid}
    audit.refusals(
        "views.note_delete",
        params,
        lambda: holder.call(lambda store: views.delete_note(store, vid, nid, viewer)),
    )
    audit("views.note_delete", params=params)


@router.post(
    "/{vid}/picture",
    summary="Keep the PNG the browser drew of your view (for its report)",
    responses={**_NOT_FOUND, **_OWNER_ONLY, **_BAD},
)
def set_picture(
    vid: ViewId, body: Picture, holder: StoreDep, principal: GraphReader, audit: AuditDep
) -> dict[str, int]:
    """At most 2,000,000 bytes (and the request body limit)."""
    viewer = viewer_of(principal)
    size = audit.refusals(
        "views.picture",
        {"vid": vid},
        lambda: holder.call(lambda store: views.set_picture(store, vid, viewer, body.png)),
    )
    audit("views.picture", params={"vid": vid}, bytes=size)
    return {"bytes": size}


@router.get(
    "/{vid}/picture",
    summary="The view's kept PNG",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **_NOT_FOUND},
)
def get_picture(vid: ViewId, holder: StoreDep, principal: GraphReader, audit: AuditDep) -> Response:
    viewer = viewer_of(principal)
    picture = holder.call(lambda store: views.get_picture(store, vid, viewer))
    if picture is None:
        raise views.ViewNotFound(f"saved view {vid!r} has no picture")
    audit("views.picture_read", params={"vid": vid})
    return Response(picture, media_type="image/png")


def _report_html(
    vid: str, state: ApiState, holder: StoreHolder, principal: Principal
) -> tuple[str, dict[str, Any]]:
    viewer = viewer_of(principal)
    data = holder.call(lambda store: views.report_data(store, vid, viewer))
    seen = _as_seen(data.view, principal)
    pids = person_keys(data.view["state"])
    unmasked = principal.can(Permission.persons_unmasked)
    persons = [{"name": p["name"], "ref": p["key"]} for p in data.persons]
    if not unmasked:
        persons = mask_view({"persons": [{**p, "kind": "Person"} for p in persons]}, pids)[
            "persons"
        ]
    labels = {record.id: record.label for record in state.keys.list()}
    owner = data.view["owner"]
    author = f"{labels.get(owner) or data.view['created_by']} ({data.view['created_by']})"
    html = render_report(
        _plain(data),
        view=seen,
        persons=persons,
        author=author,
        reader=principal.actor,
        masked=not unmasked,
    )
    return html, data.view


def _plain(data: views.ReportData) -> views.ReportData:
    return views.ReportData(
        view=data.view,
        picture=data.picture,
        firms=jsonable(data.firms),
        persons=data.persons,
        violations=jsonable(data.violations),
        alerts=jsonable(data.alerts),
    )


@router.get(
    "/{vid}/report",
    response_class=HTMLResponse,
    summary="The view's case report (内部资料) as printable HTML",
    responses={200: {"content": {"text/html": {}}}, **_NOT_FOUND},
)
def report(
    vid: ViewId, state: StateDep, holder: StoreDep, principal: ScoreReader, audit: AuditDep
) -> HTMLResponse:
    """Title, author, date, legend, the kept picture, tables of firms (name, USCC, class,
    score), persons (masked for the reader's role) and evidence (violations, alerts),
    and the notes; print CSS for A4."""
    html, view = audit.refusals(
        "views.report", {"vid": vid}, lambda: _report_html(vid, state, holder, principal)
    )
    audit("views.report", params={"vid": vid, "format": "html"}, nodes=view["node_count"])
    return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_CSP})


@router.get(
    "/{vid}/report.pdf",
    response_class=Response,
    summary="The view's case report as PDF (headless Chromium)",
    responses={
        200: {"content": {"application/pdf": {}}},
        **_NOT_FOUND,
        503: {"model": ErrorBody, "description": "no Chromium on the server"},
    },
)
def report_pdf(
    vid: ViewId, state: StateDep, holder: StoreDep, principal: ScoreReader, audit: AuditDep
) -> Response:
    """The HTML report printed by Chromium (``RISKGRAPH_API__CHROMIUM``, else found on
    the PATH); 503 with what to install where there is none."""
    api = state.api

    def make() -> tuple[bytes, dict[str, Any]]:
        chromium = find_chromium(api.chromium)
        html, view = _report_html(vid, state, holder, principal)
        return html_to_pdf(html, chromium, timeout_s=api.report_timeout_s), view

    pdf, _ = audit.refusals("views.report", {"vid": vid, "format": "pdf"}, make)
    audit("views.report", params={"vid": vid, "format": "pdf"}, bytes=len(pdf))
    headers = {"Content-Disposition": f'attachment; filename="riskgraph-{vid}.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)
