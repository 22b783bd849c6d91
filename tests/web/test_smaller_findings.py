"""Issue 17's smaller findings in the browser: grouped navigation, a 404 that leaves no
"加载中…", Chinese error sentences with the server's English words on a line of their
own, a notice that goes when its page is left, and the controllers table's column of
names (persons included) headed 名称, not 企业名称."""

from __future__ import annotations

import re
from typing import Any

import pytest
from web_server import missing

from riskgraph.graph.store import GraphStore

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")

RESOURCE_ERROR = r"Failed to load resource: the server responded with a status of {}"
MISSING_USCC = "91510100MA0000000X"


def test_navigation_is_grouped_in_dropdowns(signed_in: Any, shot: Any) -> None:
    from playwright.sync_api import expect

    page = signed_in
    nav = page.locator("header nav")
    groups = nav.locator(".nav-group")
    assert groups.count() == 4
    assert [groups.nth(i).get_attribute("data-group") for i in range(4)] == [
        "monitor", "supervise", "model", "analysis",
    ]  # fmt: skip
    # Fewer top-level entries than pages: the rest sit in closed menus.
    assert nav.locator(":scope > a").count() + groups.count() < nav.locator("a").count()
    assert nav.locator(".nav-menu:visible").count() == 0
    page.get_by_test_id("nav-group-monitor").click()
    menu = nav.locator("[data-group=monitor] .nav-menu")
    assert menu.is_visible() and "预警" in menu.inner_text()
    shot(page, "nav-open")
    menu.locator("a[data-nav='#/alerts']").click()
    page.wait_for_url(re.compile(r"#/alerts"))
    assert not menu.is_visible()
    expect(nav.locator("[data-group=monitor]")).to_have_class("nav-group active")
    # Opening one group closes another; Escape closes it.
    page.get_by_test_id("nav-group-supervise").click()
    page.get_by_test_id("nav-group-analysis").click()
    assert nav.locator(".nav-menu:visible").count() == 1
    page.keyboard.press("Escape")
    assert nav.locator(".nav-menu:visible").count() == 0


def test_a_missing_enterprise_leaves_no_spinner_and_says_so_in_chinese(
    signed_in: Any, console: Any, shot: Any
) -> None:
    console.allow(RESOURCE_ERROR.format(404))
    page = signed_in
    page.goto(page.url.split("#")[0] + f"#/enterprise/{MISSING_USCC}/tree")
    error = page.locator("main [data-testid=error]").first
    error.wait_for()
    # (no wait_for_function: the page's CSP forbids the eval it polls with)
    page.locator("main .spinner").first.wait_for(state="detached")
    assert "加载中" not in page.locator("main").inner_text()
    sentence = error.locator(":scope > span").first.inner_text()
    assert sentence == "未找到所请求的对象。"
    assert not re.search(r"[A-Za-z]", sentence)
    # The server's own words stay available, on their own line.
    assert MISSING_USCC in error.get_by_test_id("error-detail").inner_text()
    shot(page, "missing")


def test_a_notice_goes_when_its_page_is_left(signed_in: Any, console: Any, shot: Any) -> None:
    from playwright.sync_api import expect

    console.allow(RESOURCE_ERROR.format(404))
    page = signed_in
    page.route(
        re.compile(r".*/api/v1/screens(\?.*)?$"),
        lambda route: route.fulfill(
            status=404,
            headers={"Content-Type": "application/json"},
            body='{"error": "not_found", "message": "no saved screen with key s-1"}',
        ),
    )
    page.goto(page.url.split("#")[0] + "#/screens")
    notice = page.get_by_test_id("notice")
    notice.wait_for()
    sentence = notice.locator(":scope > span").first.inner_text()
    assert sentence == "未找到所请求的对象。"  # no English inside the Chinese sentence
    assert "no saved screen" in notice.get_by_test_id("error-detail").inner_text()
    shot(page, "notice")
    page.goto(page.url.split("#")[0] + "#/alerts")
    expect(page.get_by_test_id("notice")).to_have_count(0)


def test_the_controllers_table_heads_names_not_enterprise_names(
    signed_in: Any, graph_store: GraphStore
) -> None:
    [row] = graph_store.read(
        "MATCH (:Person)-[:INVESTS_IN]->(e:Enterprise) RETURN e.uscc AS uscc ORDER BY uscc LIMIT 1"
    )
    page = signed_in
    page.goto(page.url.split("#")[0] + f"#/enterprise/{row['uscc']}/tree")
    table = page.get_by_test_id("controllers")
    table.wait_for()
    assert table.locator("th").first.inner_text() == "名称"
    assert "企业名称" not in table.locator("thead").inner_text()
