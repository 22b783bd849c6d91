"""The investigator web app in headless Chromium against a real server (issue 7).

Every test ends with no console errors and no uncaught page errors (the ``page``
fixture checks); screenshots of each step go to test-artifacts/web/.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from web_server import WebServer, missing

from riskgraph.api.privacy import PSEUDONYM_KEY_FILE, _PseudonymCodec
from riskgraph.graph.store import GraphStore

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")

CAP = 20  # neighbours per relationship type and page (views/relations.js)
RESOURCE_ERROR = r"Failed to load resource: the server responded with a status of {}"


@pytest.fixture(scope="module")
def hub(address_hub: dict[str, Any]) -> dict[str, Any]:
    """The address with the most registered enterprises (a cluster-registration hub)."""
    assert address_hub["n"] > 2 * CAP, "the generated registry should have a hub address"
    return address_hub


@pytest.fixture(scope="module")
def owned(graph_store: GraphStore) -> str:
    """An enterprise held by another enterprise (a family tree with an upper level)."""
    [row] = graph_store.read(
        "MATCH (:Enterprise)-[:INVESTS_IN]->(e:Enterprise)-[:INVESTS_IN]->(:Enterprise) "
        "RETURN e.uscc AS uscc ORDER BY uscc LIMIT 1"
    )
    return str(row["uscc"])


@pytest.fixture(scope="module")
def legal_rep(graph_store: GraphStore) -> dict[str, Any]:
    """A person who represents several enterprises (pid, name, their USCCs)."""
    [row] = graph_store.read(
        "MATCH (p:Person)-[:LEGAL_REP_OF]->(e:Enterprise) "
        "WITH p, collect(e.uscc) AS firms WHERE size(firms) >= 2 "
        "RETURN p.pid AS pid, p.name AS name, firms, size(firms) AS n "
        "ORDER BY n DESC, pid LIMIT 1"
    )
    return row


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def nodes_in(page: Any, testid: str) -> int:
    return int(page.get_by_test_id(testid).get_attribute("data-nodes") or 0)


def test_sign_in_refuses_a_wrong_key(page: Any, console: Any, shot: Any) -> None:
    console.allow(RESOURCE_ERROR.format(401))
    page.get_by_test_id("key-input").fill("rgk_0000000000_" + "x" * 43)
    page.get_by_test_id("signin-go").click()
    error = page.get_by_test_id("error")
    error.wait_for()
    assert "密钥无效" in error.inner_text()
    shot(page, "refused")


def test_sign_in_and_search_keep_the_key_out_of_urls_and_logs(
    signed_in: Any, web_server: WebServer, shot: Any
) -> None:
    page = signed_in
    shot(page, "signed-in")
    page.get_by_test_id("search-input").fill("成都")
    page.get_by_test_id("search-go").click()
    rows = page.get_by_test_id("search-table").locator("tbody tr")
    rows.first.wait_for()
    assert rows.count() > 0
    assert "成都" in rows.first.inner_text()
    shot(page, "results")
    measured = page.evaluate("performance.getEntriesByName('rg:search').length")
    assert measured >= 1  # the figure bench/web_speed.py reports
    rows.first.locator("a").click()
    page.get_by_test_id("detail").wait_for()
    assert web_server.key not in page.url
    assert page.evaluate("sessionStorage.getItem('riskgraph.key')") == web_server.key
    assert web_server.key not in web_server.log.read_text(encoding="utf-8")
    audit = web_server.log.parent / "audit.log"
    assert web_server.key not in audit.read_text(encoding="utf-8")


def test_signing_out_and_in_again_survives_a_late_hashchange(
    signed_in: Any, web_server: WebServer
) -> None:
    """Signing out changes the hash; the browser may deliver that hashchange after the
    key is typed into the sign-in form, which must keep it."""
    page = signed_in
    page.goto(page.url.split("#")[0] + "#/repairs")
    page.get_by_test_id("sign-out").click()
    page.get_by_test_id("key-input").fill(web_server.key)
    page.evaluate("window.dispatchEvent(new HashChangeEvent('hashchange'))")
    assert page.get_by_test_id("key-input").input_value() == web_server.key
    page.get_by_test_id("signin-go").click()
    page.get_by_test_id("search-input").wait_for()
    assert page.evaluate("sessionStorage.getItem('riskgraph.key')") == web_server.key


def test_family_tree_with_controllers_and_collapsible_levels(
    signed_in: Any, owned: str, shot: Any
) -> None:
    page = signed_in
    page.goto(page.url.split("#")[0] + f"#/enterprise/{owned}/tree")
    page.get_by_test_id("controllers").wait_for()
    assert nodes_in(page, "tree-graph") >= 3
    shot(page, "tree")
    level = page.get_by_test_id("level--1")
    level.click()
    assert "off" in (level.get_attribute("class") or "")
    shot(page, "folded")
    level.click()
    assert "off" not in (level.get_attribute("class") or "")


def test_expanding_a_hub_is_capped_per_type_with_show_more(
    signed_in: Any, hub: dict[str, Any], shot: Any
) -> None:
    """A hub's firms come as class groups (issue 17); each opens CAP at a time."""
    page = signed_in
    firm = sorted(hub["firms"])[0]
    page.goto(page.url.split("#")[0] + f"#/enterprise/{firm}/graph")
    page.get_by_test_id("group-REGISTERED_AT-out").wait_for()
    before = nodes_in(page, "relations-graph")
    page.locator(".node-list-box summary").click()
    page.locator(f"[data-testid=node-list] button[data-id='{hub['aid']}']").click()
    group = page.get_by_test_id("group-REGISTERED_AT-in")
    group.wait_for()
    assert group.get_attribute("data-total") == str(hub["n"])
    assert group.get_attribute("data-shown") == "0"
    assert nodes_in(page, "relations-graph") == before
    more = group.get_by_test_id("open-group").first
    assert more.is_visible()
    shot(page, "hub-capped")
    more.click()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=group-REGISTERED_AT-in]')"
        ".dataset.shown) > 0"
    )
    shown = int(group.get_attribute("data-shown") or 0)
    assert shown <= CAP
    assert before < nodes_in(page, "relations-graph") <= before + CAP
    shot(page, "hub-more")


def test_expand_a_masked_person_and_find_paths_from_it(
    signed_in: Any, web_server: WebServer, legal_rep: dict[str, Any], shot: Any
) -> None:
    """Investigators see persons masked; the pseudonym still expands and finds paths."""
    page = signed_in
    first, second = sorted(legal_rep["firms"])[:2]
    page.goto(page.url.split("#")[0] + f"#/enterprise/{first}/graph")
    page.get_by_test_id("group-LEGAL_REP_OF-in").wait_for()
    page.locator(".node-list-box summary").click()
    # The server sealed the pid with the key in its data directory: the pseudonym.
    key = (web_server.log.parent / PSEUDONYM_KEY_FILE).read_bytes().strip()
    alias = _PseudonymCodec(key).encode(legal_rep["pid"])
    person = page.locator(f"[data-testid=node-list] button[data-id='{alias}']")
    assert person.get_attribute("data-kind") == "Person"
    # masked, with the firm count and a stable tag that tell apart persons of one surname
    masked = legal_rep["name"][0] + "*" * (len(legal_rep["name"]) - 1)
    assert re.search(rf"{re.escape(masked)}·\d+家企业·#[0-9a-f]{{4}}$", person.inner_text())
    person.click()
    group = page.get_by_test_id("group-LEGAL_REP_OF-out")
    group.wait_for()
    assert page.get_by_test_id("groups").get_attribute("data-node") == alias
    assert group.get_attribute("data-total") == str(legal_rep["n"])
    assert group.get_attribute("data-shown") == str(min(legal_rep["n"], CAP))
    if legal_rep["n"] <= CAP:
        for firm in legal_rep["firms"]:
            page.get_by_test_id("node-filter").fill(firm)
            page.locator(f"[data-testid=node-list] button[data-id='{firm}']").wait_for()
    shot(page, "person-expanded")
    for secret in (legal_rep["pid"], legal_rep["name"]):
        assert secret not in page.content()

    page.get_by_test_id("node-detail").get_by_test_id("path-from-here").click()
    assert page.get_by_test_id("path-from").input_value() == alias
    page.get_by_test_id("path-to").fill(second)
    page.get_by_test_id("path-go").click()
    items = page.get_by_test_id("path-item")
    items.first.wait_for()
    assert legal_rep["name"][0] + "*" in items.first.inner_text()
    assert nodes_in(page, "paths-graph") >= 2  # the person represents the second firm
    for secret in (legal_rep["pid"], legal_rep["name"]):
        assert secret not in page.content()
    shot(page, "person-path")


def test_detail_panel_shows_risk_people_and_the_explanation(
    signed_in: Any, owned: str, shot: Any
) -> None:
    page = signed_in
    page.goto(page.url.split("#")[0] + f"#/enterprise/{owned}/tree")
    detail = page.get_by_test_id("detail")
    detail.wait_for()
    assert detail.get_attribute("data-uscc") == owned
    text = detail.inner_text()
    for heading in ("风险分类", "模型版本", "基本信息", "主要人员", "股东及出资", "违法违规记录"):
        assert heading in text
    assert page.get_by_test_id("probabilities").locator(".prob-row").count() == 4
    # officers are masked but reachable: each links to a path search from its pseudonym
    person_link = page.get_by_test_id("officers").get_by_test_id("person-path").first
    href = person_link.get_attribute("href") or ""
    assert href.startswith("#/paths?from=person-")
    page.get_by_test_id("explain").click()
    page.get_by_test_id("features").first.wait_for(timeout=120_000)  # one table per category
    assert page.get_by_test_id("features").locator("tbody tr").count() > 0
    shot(page, "explained")


def test_path_finder_highlights_a_path(signed_in: Any, hub: dict[str, Any], shot: Any) -> None:
    page = signed_in
    first, second = sorted(hub["firms"])[:2]
    page.goto(page.url.split("#")[0] + "#/paths")
    page.get_by_test_id("path-from").fill(first)
    page.get_by_test_id("path-to").fill(second)
    page.get_by_test_id("path-go").click()
    items = page.get_by_test_id("path-item")
    items.first.wait_for()
    assert nodes_in(page, "paths-graph") >= 3
    items.first.click()
    assert "active" in (items.first.get_attribute("class") or "")
    shot(page, "path")


def test_open_a_cluster_as_a_graph(signed_in: Any, shot: Any) -> None:
    page = signed_in
    page.goto(page.url.split("#")[0] + "#/clusters")
    page.get_by_test_id("clusters").locator("tbody tr a").first.click()
    members = page.get_by_test_id("members").locator("tbody tr")
    members.first.wait_for()
    assert members.count() >= 2
    assert nodes_in(page, "cluster-graph") >= members.count()
    shot(page, "cluster")


def test_change_an_alert_status_with_a_note(
    signed_in: Any, web_server: WebServer, shot: Any
) -> None:
    page = signed_in
    page.goto(page.url.split("#")[0] + "#/alerts/list?status=open")
    page.get_by_test_id("alerts").locator("tbody tr td").first.click()
    detail = page.get_by_test_id("alert-detail")
    detail.wait_for()
    key = detail.get_attribute("data-key")
    assert key and detail.get_attribute("data-status") == "open"
    page.get_by_test_id("alert-new-status").select_option("in_progress")
    page.get_by_test_id("alert-note").fill("已分派武侯所核查")
    page.get_by_test_id("alert-change").click()
    page.locator("[data-testid=alert-detail][data-status=in_progress]").wait_for()
    shot(page, "changed")
    answer = web_server.api("GET", f"/alerts/{key.replace('|', '%7C')}").json()
    assert answer["status"] == "in_progress"
    assert answer["history"][-1]["note"] == "已分派武侯所核查"


def test_risk_overview_opens_the_enterprises_behind_a_cell(
    signed_in: Any, graph_store: GraphStore, shot: Any
) -> None:
    page = signed_in
    page.goto(page.url.split("#")[0] + "#/overview?level=district&prefix=")
    cell = page.get_by_test_id("region").get_by_test_id("region-cell-D").first
    cell.wait_for()
    count = int(cell.inner_text())
    shot(page, "overview")
    cell.click()
    rows = page.get_by_test_id("list-table").locator("tbody tr")
    rows.first.wait_for()
    assert rows.count() == min(count, 20)
    assert page.get_by_test_id("list-next").count() == (1 if count > 20 else 0)
    region = re.search(r"region=(\d+)", page.url)
    assert region and "risk_class=D" in page.url
    listed = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())]
    found = graph_store.read(
        "MATCH (e:Enterprise) WHERE e.uscc IN $keys "
        "RETURN e.region_code AS region, coalesce(e.risk_class, e.label_class) AS cls",
        keys=listed,
    )
    assert len(found) == len(listed)
    assert all(r["region"].startswith(region[1]) and r["cls"] == "D" for r in found)
    shot(page, "list")
    rows.first.locator("a").click()
    detail = page.get_by_test_id("detail")
    detail.wait_for()
    assert detail.get_attribute("data-uscc") == listed[0]

    # A bar of the industry chart opens its list too.
    page.go_back()
    page.go_back()
    page.locator("[data-testid=bar-link]").first.wait_for()
    industry = page.get_by_test_id("industry-distribution").locator("svg.chart")
    industry.locator("[data-testid=bar-link]").first.click()
    page.get_by_test_id("list-table").locator("tbody tr").first.wait_for()
    assert "section=" in page.url and "risk_class=" in page.url
    shot(page, "bar-list")


def test_export_png_and_csv(signed_in: Any, owned: str, shot: Any) -> None:
    page = signed_in
    page.goto(page.url.split("#")[0] + f"#/enterprise/{owned}/tree")
    page.get_by_test_id("controllers").wait_for()
    count = nodes_in(page, "tree-graph")
    with page.expect_download() as png:
        page.get_by_test_id("export-png").click()
    assert png.value.suggested_filename.endswith(".png")
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as nodes:
        page.get_by_test_id("export-nodes").click()
    text = Path(nodes.value.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeffid,kind,label")
    rows = read_csv(text)
    assert len(rows) == count and owned in {row["id"] for row in rows}
    with page.expect_download() as edges:
        page.get_by_test_id("export-edges").click()
    edge_rows = read_csv(Path(edges.value.path()).read_text(encoding="utf-8"))
    assert edge_rows and {"source", "target", "type", "ratio"} <= set(edge_rows[0])
    shot(page, "exported")


def test_english_toggle(signed_in: Any, shot: Any) -> None:
    page = signed_in
    nav = page.locator("header nav")  # text_content: the entries in closed dropdowns too
    assert "企业查询" in nav.text_content()
    page.get_by_test_id("lang-toggle").click()
    assert "Search" in nav.text_content() and "Alerts" in nav.text_content()
    assert "Monitoring" in nav.inner_text()  # a group's name
    assert page.evaluate("document.documentElement.lang") == "en"
    shot(page, "english")
    page.reload()
    page.locator("header nav").wait_for()
    assert "Risk overview" in page.locator("header nav").text_content()
    page.get_by_test_id("lang-toggle").click()
    assert "风险概览" in page.locator("header nav").text_content()


@pytest.mark.parametrize(
    ("status", "expected"),
    [(403, "无权"), (429, "7 秒后再试"), (503, "暂时不可用"), (401, "密钥无效")],
)
def test_api_errors_are_explained(
    signed_in: Any, console: Any, status: int, expected: str, shot: Any
) -> None:
    console.allow(RESOURCE_ERROR.format(status))
    page = signed_in
    page.route(
        re.compile(r".*/api/v1/(enterprises|search)\?.*"),
        lambda route: route.fulfill(
            status=status,
            headers={"Retry-After": "7", "Content-Type": "application/json"},
            body='{"error": "x", "message": "refused"}',
        ),
    )
    # by the address, not by typing: the autocomplete's own question (200 ms after a
    # keystroke) would be refused too, and a 401 there could end the session first
    page.goto(page.url.split("#")[0] + "#/search?q=成都")
    message = page.locator("[role=alert]").first
    message.wait_for()
    assert expected in message.inner_text()
    if status == 401:
        page.get_by_test_id("signin").wait_for()  # the session is over
    shot(page, str(status))


def test_the_api_docs_load_from_local_assets_under_the_strict_policy(
    page: Any, web_server: WebServer, shot: Any
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(web_server.base + "/api/v1/docs")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 20  # the API's operations are listed
    shot(page, "docs")
    assert requested and all(url.startswith(web_server.base) for url in requested), requested
