"""Saved views on both engines: owner, shares by key and role, notes, picture, bounds,
person names read from the graph (never stored), and the case report's content."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from riskgraph.analytics import views
from riskgraph.analytics.views import Viewer
from riskgraph.graph.store import GraphStore

OWNER = Viewer(key="aaaaaaaaaa", role="analyst", actor="analyst:aaaaaaaaaa")
OTHER = Viewer(key="bbbbbbbbbb", role="investigator", actor="investigator:bbbbbbbbbb")
THIRD = Viewer(key="cccccccccc", role="investigator", actor="investigator:cccccccccc")
ADMIN = Viewer(key="dddddddddd", role="admin", actor="admin:dddddddddd", sees_all=True)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    store.write(
        "CREATE (a:Enterprise {uscc: 'E1', name: '甲公司', risk_class: 'D', risk_score: 0.9}),"
        " (b:Enterprise {uscc: 'E2', name: '乙公司', label_class: 'B'}),"
        " (p:Person {pid: 'pid-1', name: '王小明'}),"
        " (p)-[:LEGAL_REP_OF]->(a), (p)-[:LEGAL_REP_OF]->(b),"
        " (a)-[:HAS_VIOLATION]->"
        "(:Violation {vid: 'v1', kind: '行政处罚', date: date('2024-02-01')}),"
        " (a)-[:HAS_ALERT]->(:Alert {key: 'R02|E1', rule: 'R02', title_zh: '空壳', "
        "severity: 'high', status: 'open', last_seen: '2026-01-01T00:00:00Z'})"
    )
    return store


def state(**extra: Any) -> dict[str, Any]:
    return {
        "version": 1,
        "root": {"kind": "Enterprise", "key": "E1"},
        "nodes": [
            {"kind": "Enterprise", "key": "E1", "x": 0, "y": 0, "label": "甲公司"},
            {"kind": "Enterprise", "key": "E2", "x": 120.5, "y": -40},
            {"kind": "Person", "key": "pid-1", "x": 60, "y": 80, "label": "王小明"},
        ],
        "edges": [
            {"source": "pid-1", "target": "E1", "type": "LEGAL_REP_OF"},
            {"source": "pid-1", "target": "E2", "type": "LEGAL_REP_OF"},
        ],
        "expansions": [
            {"key": "E1", "groups": [{"type": "LEGAL_REP_OF", "direction": "in", "loaded": 1}]}
        ],
        "viewport": {"zoom": 1.2, "pan": {"x": 10, "y": 20}},
        **extra,
    }


def test_owner_creates_reads_updates_and_deletes(graph: GraphStore) -> None:
    made = views.create_view(graph, " 甲公司关系 ", state(), OWNER)
    assert made["vid"].startswith("V-") and made["title"] == "甲公司关系"
    assert made["node_count"] == 3 and made["owner"] == OWNER.key
    view = views.get_view(graph, made["vid"], OWNER)
    assert [n["key"] for n in view["state"]["nodes"]] == ["E1", "E2", "pid-1"]
    assert view["state"]["expansions"][0]["groups"][0]["loaded"] == 1
    assert view["state"]["viewport"] == {"zoom": 1.2, "pan": {"x": 10, "y": 20}}
    # the person's name is not stored, but read from the graph on open
    stored = graph.read("MATCH (v:SavedView {vid: $vid}) RETURN v.state AS s", vid=made["vid"])
    assert "王小明" not in stored[0]["s"]
    assert view["state"]["nodes"][2]["label"] == "王小明"

    updated = views.update_view(
        graph, made["vid"], OWNER, title="新标题", state=state(nodes=state()["nodes"][:2])
    )
    assert updated["title"] == "新标题" and updated["node_count"] == 2
    assert views.list_views(graph, OWNER).items[0]["vid"] == made["vid"]
    views.delete_view(graph, made["vid"], OWNER)
    with pytest.raises(views.ViewNotFound):
        views.get_view(graph, made["vid"], OWNER)


def test_shares_by_key_and_by_role(graph: GraphStore) -> None:
    vid = views.create_view(graph, "共享", state(), OWNER)["vid"]
    other_own = views.create_view(graph, "别人的", state(), OTHER)["vid"]
    with pytest.raises(views.ViewNotFound):
        views.get_view(graph, vid, OTHER)
    assert [v["vid"] for v in views.list_views(graph, OTHER).items] == [other_own]

    shared = views.share_view(graph, vid, OWNER, [OTHER.key], [])
    assert shared["shared_users"] == [OTHER.key] and shared["shared_roles"] == []
    assert views.get_view(graph, vid, OTHER)["vid"] == vid
    assert {v["vid"] for v in views.list_views(graph, OTHER).items} == {vid, other_own}
    with pytest.raises(views.ViewNotFound):
        views.get_view(graph, vid, THIRD)
    # a reader may not change, share or delete
    with pytest.raises(views.NotViewOwner):
        views.update_view(graph, vid, OTHER, title="x")
    with pytest.raises(views.NotViewOwner):
        views.share_view(graph, vid, OTHER, [THIRD.key], [])
    with pytest.raises(views.NotViewOwner):
        views.delete_view(graph, vid, OTHER)

    views.share_view(graph, vid, OWNER, [], ["investigator"])
    assert views.get_view(graph, vid, THIRD)["vid"] == vid
    views.share_view(graph, vid, OWNER, [], [])
    with pytest.raises(views.ViewNotFound):
        views.get_view(graph, vid, OTHER)
    assert {v["vid"] for v in views.list_views(graph, ADMIN).items} == {vid, other_own}


def test_notes_on_nodes_and_links(graph: GraphStore) -> None:
    vid = views.create_view(graph, "批注", state(), OWNER)["vid"]
    views.share_view(graph, vid, OWNER, [OTHER.key], [])
    first = views.add_note(graph, vid, OWNER, {"node": "E1"}, "  注册地址异常 ")
    edge = {"source": "pid-1", "type": "LEGAL_REP_OF", "target": "E2"}
    second = views.add_note(graph, vid, OTHER, {"edge": edge}, "同一法人")
    notes = views.get_view(graph, vid, OWNER)["notes"]
    assert [(n["text"], n["author"], n["target"]) for n in notes] == [
        ("注册地址异常", OWNER.actor, {"node": "E1"}),
        ("同一法人", OTHER.actor, {"edge": edge}),
    ]
    assert all(n["created_at"].endswith("Z") for n in notes)
    assert views.list_views(graph, OWNER).items[0]["note_count"] == 2
    with pytest.raises(views.NotViewOwner):  # OTHER did not write the first note
        views.delete_note(graph, vid, first["nid"], OTHER)
    views.delete_note(graph, vid, second["nid"], OTHER)
    views.delete_note(graph, vid, first["nid"], OWNER)
    assert views.get_view(graph, vid, OWNER)["notes"] == []
    with pytest.raises(views.NoteNotFound):
        views.delete_note(graph, vid, first["nid"], OWNER)
    with pytest.raises(views.ViewNotFound):
        views.add_note(graph, vid, THIRD, {"node": "E1"}, "x")
    with pytest.raises(views.ViewError, match="target"):
        views.add_note(graph, vid, OWNER, {"node": "E1", "x": 1}, "x")
    with pytest.raises(views.ViewError, match="text"):
        views.add_note(graph, vid, OWNER, {"node": "E1"}, "x" * (views.MAX_NOTE_CHARS + 1))
    views.add_note(graph, vid, OWNER, {"node": "E1"}, "留下")
    views.delete_view(graph, vid, OWNER)
    assert graph.read("MATCH (n:ViewNote) RETURN count(n) AS n")[0]["n"] == 0


def test_a_note_on_a_view_deleted_meanwhile_is_refused(
    graph: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The owner deletes the view between the note's checks and its write: not found,
    and no note is left without its view."""
    vid = views.create_view(graph, "将删除", state(), OWNER)["vid"]
    real = views._notes

    def deleted_meanwhile(store: GraphStore, view: str) -> Any:
        found = real(store, view)
        store.write("MATCH (v:SavedView {vid: $vid}) DETACH DELETE v", vid=view)
        return found

    monkeypatch.setattr(views, "_notes", deleted_meanwhile)
    with pytest.raises(views.ViewNotFound):
        views.add_note(graph, vid, OWNER, {"node": "E1"}, "迟到的批注")
    assert graph.read("MATCH (n:ViewNote) RETURN count(n) AS n")[0]["n"] == 0


def nested(names: str) -> dict[str, Any]:
    return {names[0]: nested(names[1:]) if len(names) > 1 else {}}


@pytest.mark.parametrize(
    ("bad", "path"),
    [
        ([], "state"),
        ({"nodes": "x"}, "state.nodes"),
        ({"nodes": [{"kind": "Enterprise"}]}, "state.nodes[0].key"),
        ({"nodes": [{"kind": "Enterprise", "key": "E1", "x": "left"}]}, "state.nodes[0].x"),
        ({"nodes": [{"kind": "Enterprise", "key": "E\x01"}]}, "state.nodes[0].key"),
        ({"edges": [{"source": "a", "target": "b"}]}, "state.edges[0].type"),
        ({"positions": {"E1": {"x": 1}}}, "state.positions['E1'].y"),
        ({"expansions": [{"key": "E1", "groups": [{"type": "T", "direction": "up"}]}]},
         "state.expansions[0].groups[0].direction"),
        ({"styles": nested("abcdefghijk")}, "state.styles.a.b.c.d.e.f.g.h.i.j.k"),
    ],
)  # fmt: skip
def test_malformed_states_name_the_bad_part(bad: Any, path: str) -> None:
    with pytest.raises(views.ViewError) as caught:
        views.parse_state(bad)
    assert caught.value.path == path


def test_bounds_on_nodes_and_bytes() -> None:
    nodes = [{"kind": "Enterprise", "key": f"E{i}"} for i in range(views.MAX_NODES + 1)]
    with pytest.raises(views.ViewError, match="5001 entries"):
        views.parse_state({"nodes": nodes})
    views.parse_state({"nodes": nodes[:-1]})
    with pytest.raises(views.ViewError, match="bytes"):
        views.parse_state({"filters": {"blob": "x" * views.MAX_STATE_BYTES}})
    with pytest.raises(views.ViewError, match="title"):
        views.parse_title("x" * (views.MAX_TITLE + 1))


def test_picture_and_report_content(graph: GraphStore) -> None:
    vid = views.create_view(graph, "报告", state(), OWNER)["vid"]
    assert views.get_picture(graph, vid, OWNER) is None
    data_url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert views.set_picture(graph, vid, OWNER, data_url) == len(PNG)
    assert views.get_picture(graph, vid, OWNER) == PNG
    assert views.list_views(graph, OWNER).items[0]["has_picture"] is True
    with pytest.raises(views.ViewError, match="not a PNG"):
        views.set_picture(graph, vid, OWNER, base64.b64encode(b"GIF89a....").decode())
    report = views.report_data(graph, vid, OWNER)
    assert report.picture == PNG
    assert [(f["uscc"], f["name"], f["risk_class"]) for f in report.firms] == [
        ("E1", "甲公司", "D"),
        ("E2", "乙公司", None),
    ]
    assert report.persons == [{"key": "pid-1", "name": "王小明"}]
    assert [v["vid"] for v in report.violations] == ["v1"]
    assert [(a["key"], a["status"]) for a in report.alerts] == [("R02|E1", "open")]
    assert json.loads(json.dumps(report.view["state"]["root"])) == {
        "kind": "Enterprise",
        "key": "E1",
    }
