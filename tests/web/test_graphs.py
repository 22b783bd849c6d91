"""Readable graphs (issue 17): the family tree's boxes and groups without overlapping
labels, class groups on a hub, remove/collapse with undo and redo, the view state,
the time slider, the framed PNG export, the path and cluster views.

The graph is read through the canvas's test hook (``riskgraphCanvas`` on the graph's
container) with ``page.evaluate``: it runs in the page through the DevTools protocol,
which the page's Content-Security-Policy does not restrict.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_server import missing

from riskgraph.graph.store import GraphStore

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")

CAP = 20  # views/relations.js
GROUP_AFTER = 8  # views/tree.js
INVESTEES = 30
PLANTED = "Z17"  # USCC prefix of the planted family (after every generated one)

BOXES = """sel => {
  const c = document.querySelector(sel).riskgraphCanvas;
  const box = (b) => ({ x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 });
  const shown = c.shown();
  const nodes = shown.nodes().map((n) => ({
    id: n.id(), kind: n.data('kind'), caption: n.data('caption'),
    body: box(n.renderedBoundingBox({ includeLabels: false, includeOverlays: false })),
    label: box(n.renderedBoundingBox({ includeLabels: true, includeOverlays: false })) }));
  const edges = shown.edges().filter((e) => e.data('caption')).map((e) => ({
    id: e.id(), caption: e.data('caption'),
    label: box(e.renderedBoundingBox({ includeNodes: false, includeEdges: false,
      includeLabels: true, includeOverlays: false })) }));
  return { nodes, edges };
}"""


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two boxes share area (touching edges do not count)."""
    return a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]


def collisions(boxes: list[tuple[str, dict[str, float]]]) -> list[tuple[str, str]]:
    return [
        (one, other)
        for i, (one, a) in enumerate(boxes)
        for other, b in boxes[i + 1 :]
        if overlap(a, b)
    ]


def nodes_in(page: Any, testid: str) -> int:
    return int(page.get_by_test_id(testid).get_attribute("data-nodes") or 0)


def click_node(page: Any, testid: str, node_id: str) -> None:
    """A real click on the canvas where the node is drawn (panned into view first, as a
    user would: wide trees open at a readable zoom around their root)."""
    at = page.evaluate(
        """([sel, id]) => { const c = document.querySelector(sel).riskgraphCanvas;
          const node = c.cy.getElementById(id); c.cy.center(node);
          return node.renderedPosition(); }""",
        [f"[data-testid={testid}]", node_id],
    )
    box = page.get_by_test_id(testid).bounding_box()
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def family(graph_store: GraphStore) -> Iterator[dict[str, Any]]:
    """A group firm with 30 investees of long names (shares 1 % … 30 %) and two
    shareholders, planted in the web tests' graph and removed afterwards."""
    root = f"{PLANTED}ROOT0000000000001"
    investees = [
        {
            "uscc": f"{PLANTED}SUB{i:013d}",
            "name": f"成都高新技术产业开发区德城澜第{i:02d}号供应链管理服务有限责任公司",
            "ratio": (i + 1) / 100,
            "cls": "ABCD"[i % 4],
        }
        for i in range(INVESTEES)
    ]
    owners = [
        {"uscc": f"{PLANTED}TOP{i:013d}", "name": f"四川德城澜实业投资控股集团股份有限公司{i}"}
        for i in range(2)
    ]
    graph_store.write(
        "CREATE (r:Enterprise {uscc: $root, name: $name, label_class: 'C'}) "
        "WITH r UNWIND $investees AS row "
        "CREATE (r)-[:INVESTS_IN {ratio: row.ratio}]->"
        "(:Enterprise {uscc: row.uscc, name: row.name, label_class: row.cls})",
        root=root,
        name="德城澜（成都）企业管理集团有限公司",
        investees=investees,
    )
    graph_store.write(
        "MATCH (r:Enterprise {uscc: $root}) UNWIND $owners AS row "
        "CREATE (:Enterprise {uscc: row.uscc, name: row.name})-[:INVESTS_IN {ratio: 0.5}]->(r)",
        root=root,
        owners=owners,
    )
    yield {"root": root, "investees": investees, "owners": owners}
    graph_store.write(
        "MATCH (e:Enterprise) WHERE e.uscc STARTS WITH $prefix DETACH DELETE e", prefix=PLANTED
    )


def test_family_tree_boxes_groups_and_no_overlapping_labels(
    signed_in: Any, family: dict[str, Any], shot: Any
) -> None:
    page = signed_in
    page.goto(page.url.split("#")[0] + f"#/enterprise/{family['root']}/tree")
    page.get_by_test_id("controllers").wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=tree-graph]').riskgraphCanvas"
        "?.cy.nodes('[kind = \"Group\"]').length === 1"
    )
    seen = page.evaluate(BOXES, "[data-testid=tree-graph]")
    shot(page, "grouped")
    by_id = {n["id"]: n for n in seen["nodes"]}
    investees = sorted(family["investees"], key=lambda i: -i["ratio"])
    shown = [i["uscc"] for i in investees if i["uscc"] in by_id]
    assert shown == [i["uscc"] for i in investees[:GROUP_AFTER]]  # the largest shares
    [group] = [n for n in seen["nodes"] if n["kind"] == "Group"]
    assert f"其余 {INVESTEES - GROUP_AFTER} 家" in group["caption"]
    for owner in family["owners"]:
        assert by_id[owner["uscc"]]["label"]["y2"] < by_id[family["root"]]["label"]["y1"]
    assert_readable(seen, family)

    click_node(page, "tree-graph", group["id"])
    page.wait_for_function(
        "n => document.querySelector('[data-testid=tree-graph]').riskgraphCanvas"
        ".shown().nodes().length === n",
        arg=1 + INVESTEES + len(family["owners"]),
    )
    opened = page.evaluate(BOXES, "[data-testid=tree-graph]")
    assert not [n for n in opened["nodes"] if n["kind"] == "Group"]
    assert_readable(opened, family)
    shot(page, "opened")

    level = page.get_by_test_id("level-1")
    level.click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=tree-graph]').riskgraphCanvas"
        ".shown().nodes().length === 3"
    )
    shot(page, "level-folded")


def assert_readable(seen: dict[str, Any], family: dict[str, Any]) -> None:
    """Full names inside their boxes, no two labels (node or share) overlapping."""
    names = {i["uscc"]: i["name"] for i in family["investees"]}
    for node in seen["nodes"]:
        if node["id"] in names:
            assert node["caption"].startswith(names[node["id"]])  # the full name, not cut
            assert "%" in node["caption"] and "类" in node["caption"]  # share and class badge
        body, label = node["body"], node["label"]
        assert label == pytest.approx(body, abs=0.5), f"{node['id']}: label outside its box"
    boxes = [(n["id"], n["label"]) for n in seen["nodes"]]
    boxes += [(e["id"], e["label"]) for e in seen["edges"] if e["label"]["x2"] > e["label"]["x1"]]
    assert len(boxes) > len(seen["nodes"])  # the share labels were measured too
    assert collisions(boxes) == []


@pytest.fixture(scope="module")
def hub(graph_store: GraphStore, address_hub: dict[str, Any]) -> dict[str, Any]:
    """The address with the most enterprises, with its firms counted per class."""
    rows = graph_store.read(
        "MATCH (:Address {aid: $aid})<-[:REGISTERED_AT]-(e:Enterprise) "
        "RETURN coalesce(e.risk_class, e.label_class, 'none') AS cls, count(*) AS n",
        aid=address_hub["aid"],
    )
    assert address_hub["n"] > CAP
    return {**address_hub, "classes": {r["cls"]: r["n"] for r in rows}}


def open_relations(page: Any, uscc: str) -> None:
    page.goto(page.url.split("#")[0] + f"#/enterprise/{uscc}/graph")
    page.get_by_test_id("groups").wait_for()
    page.locator(".node-list-box summary").click()


def graph_ids(page: Any) -> list[str]:
    return sorted(
        page.evaluate(
            "() => document.querySelector('[data-testid=relations-graph]').riskgraphCanvas"
            ".cy.nodes().map((n) => n.id())"
        )
    )


def test_a_hub_expands_into_class_groups_that_open_in_pages(
    signed_in: Any, hub: dict[str, Any], shot: Any
) -> None:
    page = signed_in
    firm = sorted(hub["firms"])[0]
    open_relations(page, firm)
    before = nodes_in(page, "relations-graph")
    page.locator(f"[data-testid=node-list] button[data-id='{hub['aid']}']").click()
    group = page.get_by_test_id("group-REGISTERED_AT-in")
    group.wait_for()
    assert group.get_attribute("data-total") == str(hub["n"])
    assert group.get_attribute("data-grouped") == "true"
    classes = group.get_by_test_id("class-group")
    counted = {
        classes.nth(i).get_attribute("data-cls"): int(classes.nth(i).get_attribute("data-total"))
        for i in range(classes.count())
    }
    assert counted == hub["classes"]
    assert nodes_in(page, "relations-graph") == before  # group nodes, not 300 firms
    groups = page.evaluate(
        "() => document.querySelector('[data-testid=relations-graph]').riskgraphCanvas"
        ".cy.nodes('[kind = \"Group\"]').map((n) => [n.id(), n.data('caption')])"
    )
    assert len(groups) == len(counted)
    assert any(caption.startswith(f"{cls}类企业 ") for _, caption in groups for cls in counted)
    shot(page, "class-groups")

    biggest = max(counted, key=lambda cls: counted[cls])
    [group_id] = [gid for gid, _ in groups if gid.endswith(f"|Enterprise|{biggest}")]
    click_node(page, "relations-graph", group_id)
    row = page.locator(f"[data-testid=class-group][data-cls='{biggest}']")
    page.wait_for_function(
        "n => document.querySelector(\"[data-testid=class-group][data-cls='"
        + biggest
        + "']\")?.dataset.shown === String(n)",
        arg=min(CAP, counted[biggest]),
    )
    opened = nodes_in(page, "relations-graph")
    assert before < opened <= before + CAP
    cls_of = page.evaluate(
        "([sel, aid]) => document.querySelector(sel).riskgraphCanvas.cy.getElementById(aid)"
        ".neighborhood('node[kind = \"Enterprise\"]').map((n) => n.data('cls') ?? 'none')",
        ["[data-testid=relations-graph]", hub["aid"]],
    )
    assert cls_of.count(biggest) >= min(CAP, counted[biggest])
    if counted[biggest] > CAP:
        assert "还有" in page.evaluate(
            "([sel, id]) => document.querySelector(sel).riskgraphCanvas.cy.getElementById(id)"
            ".data('caption')",
            ["[data-testid=relations-graph]", group_id],
        )
        row.get_by_test_id("open-group").click()
        page.wait_for_function(
            "n => document.querySelector(\"[data-testid=class-group][data-cls='"
            + biggest
            + "']\")?.dataset.shown === String(n)",
            arg=min(2 * CAP, counted[biggest]),
        )
    shot(page, "group-opened")


def test_remove_collapse_hide_with_undo_redo_and_the_view_state(
    signed_in: Any, hub: dict[str, Any], shot: Any
) -> None:
    page = signed_in
    firm = sorted(hub["firms"])[0]
    open_relations(page, firm)
    start = graph_ids(page)
    address = hub["aid"]
    page.locator(f"[data-testid=node-list] button[data-id='{address}']").click()
    page.get_by_test_id("group-REGISTERED_AT-in").wait_for()
    expanded = graph_ids(page)
    assert set(start) < set(expanded)

    # remove the address: it goes; Ctrl+Z brings it back, Ctrl+Shift+Z removes it again
    page.get_by_test_id("remove-node").click()
    page.wait_for_function(
        "id => !document.querySelector('[data-testid=relations-graph]').riskgraphCanvas.has(id)",
        arg=address,
    )
    shot(page, "removed")
    page.locator("body").press("Control+z")
    page.wait_for_function(
        "id => document.querySelector('[data-testid=relations-graph]').riskgraphCanvas.has(id)",
        arg=address,
    )
    assert graph_ids(page) == expanded
    page.locator("body").press("Control+Shift+z")
    page.wait_for_function(
        "id => !document.querySelector('[data-testid=relations-graph]').riskgraphCanvas.has(id)",
        arg=address,
    )
    page.get_by_test_id("undo").click()
    page.wait_for_function(
        "id => document.querySelector('[data-testid=relations-graph]').riskgraphCanvas.has(id)",
        arg=address,
    )

    # collapse the address's expansion: exactly what it added goes (the address stays)
    page.locator(f"[data-testid=node-list] button[data-id='{address}']").click()
    page.get_by_test_id("collapse-node").click()
    page.wait_for_function(
        "n => document.querySelector('[data-testid=relations-graph]').riskgraphCanvas"
        ".cy.nodes().length === n",
        arg=len(start),
    )
    assert graph_ids(page) == start
    shot(page, "collapsed")
    page.get_by_test_id("undo").click()
    page.wait_for_function(
        "n => document.querySelector('[data-testid=relations-graph]').riskgraphCanvas"
        ".cy.nodes().length === n",
        arg=len(expanded),
    )
    assert graph_ids(page) == expanded

    # hide and pin; the state is plain JSON that setState puts back exactly
    page.locator(f"[data-testid=node-list] button[data-id='{address}']").click()
    page.get_by_test_id("pin-node").click()
    page.get_by_test_id("hide-node").click()
    state = page.evaluate(
        "() => JSON.parse(JSON.stringify(document.querySelector('[data-testid=relations-graph]')"
        ".riskgraphView.getState()))"
    )
    assert state["version"] == 1 and state["view"] == "relations" and state["root"] == firm
    [saved] = [n for n in state["nodes"] if n["data"]["id"] == address]
    assert {"pinned", "hidden"} <= set(saved["classes"])
    assert {e["id"] for e in state["expansions"]} >= {firm, address}
    page.get_by_test_id("show-hidden").click()
    page.locator("body").press("Control+z")  # hidden again
    page.evaluate(
        "s => document.querySelector('[data-testid=relations-graph]').riskgraphView.setState(s)",
        state,
    )
    again = page.evaluate(
        "() => JSON.parse(JSON.stringify(document.querySelector('[data-testid=relations-graph]')"
        ".riskgraphView.getState()))"
    )
    assert again["nodes"] == state["nodes"] and again["expansions"] == state["expansions"]
    assert page.evaluate(
        "id => document.querySelector('[data-testid=relations-graph]').riskgraphCanvas"
        ".cy.getElementById(id).locked()",
        address,
    )
    shot(page, "state-restored")


@pytest.fixture(scope="module")
def dated(graph_store: GraphStore) -> dict[str, Any]:
    """An enterprise with 2–20 violations on at least two dates."""
    rows = graph_store.read(
        "MATCH (e:Enterprise)-[:HAS_VIOLATION]->(v:Violation) WHERE v.date IS NOT NULL "
        "WITH e, count(DISTINCT v.date) AS dates, count(v) AS n "
        "WHERE n <= 20 AND dates >= 2 RETURN e.uscc AS uscc ORDER BY n DESC, uscc LIMIT 1"
    )
    assert rows, "the generated registry should have firms with violations on several dates"
    uscc = rows[0]["uscc"]
    found = graph_store.read(
        "MATCH (:Enterprise {uscc: $uscc})-[:HAS_VIOLATION]->(v:Violation) "
        "RETURN v.vid AS vid, v.date AS date",
        uscc=uscc,
    )
    violations = [
        {"vid": v["vid"], "date": None if v["date"] is None else str(v["date"])[:10]} for v in found
    ]
    return {"uscc": uscc, "violations": violations}


def test_the_time_slider_hides_what_came_later(
    signed_in: Any, dated: dict[str, Any], shot: Any
) -> None:
    page = signed_in
    open_relations(page, dated["uscc"])
    page.get_by_test_id("group-HAS_VIOLATION-out").wait_for()
    slider = page.get_by_test_id("time-slider")
    steps = page.evaluate(
        "() => document.querySelector('[data-testid=relations-graph]').riskgraphView.slider.dates()"
    )
    first = min(v["date"] for v in dated["violations"] if v["date"])
    assert first in steps
    assert slider.get_attribute("max") == str(len(steps))
    shot(page, "all-dates")
    slider.fill(str(steps.index(first)))
    assert page.get_by_test_id("time-value").inner_text() == first
    seen = page.evaluate(
        """() => { const c = document.querySelector('[data-testid=relations-graph]')
            .riskgraphCanvas; const shown = c.shown();
          return {
            violations: shown.nodes('[kind = "Violation"]').map((n) => n.id()),
            dated: shown.edges().filter((e) => e.data('since')).map((e) => e.data('since')),
          }; }""",
    )
    expected = sorted(
        v["vid"] for v in dated["violations"] if v["date"] is None or v["date"] <= first
    )
    assert sorted(seen["violations"]) == expected
    assert len(expected) < len(dated["violations"])  # something was hidden
    assert all(since[:10] <= first for since in seen["dated"])
    shot(page, "as-of")
    slider.fill(str(len(steps)))
    visible = page.evaluate(
        "() => document.querySelector('[data-testid=relations-graph]').riskgraphCanvas"
        ".shown().nodes('[kind = \"Violation\"]').length"
    )
    assert visible == len(dated["violations"])


def test_png_export_is_framed_and_twice_the_scale(
    signed_in: Any, family: dict[str, Any], shot: Any
) -> None:
    page = signed_in
    page.goto(page.url.split("#")[0] + f"#/enterprise/{family['root']}/tree")
    page.get_by_test_id("controllers").wait_for()
    bounds = page.evaluate(
        "() => document.querySelector('[data-testid=tree-graph]').riskgraphCanvas"
        ".cy.elements().boundingBox()"
    )
    with page.expect_download() as png:
        page.get_by_test_id("export-png").click()
    width, height = png_size(Path(png.value.path()).read_bytes())
    # twice the graph's size, plus the title above and the legend below (export.js FRAME)
    assert width >= 2 * bounds["w"] and width >= 1280
    assert height >= 2 * bounds["h"] + 2 * (64 + 44)
    shot(page, "exported")


def test_paths_read_left_to_right_and_clusters_draw_without_warnings(
    signed_in: Any, hub: dict[str, Any], shot: Any
) -> None:
    page = signed_in
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    first, second = sorted(hub["firms"])[:2]
    page.goto(page.url.split("#")[0] + f"#/paths?from={first}&to={second}&max_hops=4")
    page.get_by_test_id("path-item").first.wait_for()
    xs = page.evaluate(
        "([a, b]) => { const c = document.querySelector('[data-testid=paths-graph]')"
        ".riskgraphCanvas; return [a, b].map((id) => c.cy.getElementById(id).position('x')); }",
        [first, second],
    )
    assert xs[0] < xs[1]
    shot(page, "path")
    page.goto(page.url.split("#")[0] + "#/clusters")
    page.get_by_test_id("clusters").locator("tbody tr a").first.click()
    page.get_by_test_id("members").locator("tbody tr").first.wait_for()
    page.locator("[data-testid=cluster-graph][data-nodes]").wait_for()
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    shot(page, "cluster")  # two frames drawn: any overlap warning has been logged
    assert [w for w in warnings if "overlap" in w] == []
