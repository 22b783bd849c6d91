"""The supervision pages in headless Chromium: managed lists (#/lists) and credit
repair (#/repairs), against the real server of the web tests (issue 18)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from web_server import WebServer, missing, riskgraph

from riskgraph.graph.store import GraphStore

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")


@pytest.fixture(scope="module")
def analyst_key(web_server: WebServer) -> str:
    created = riskgraph(web_server.env, "keys", "create", "--role", "analyst", "--label", "lists")
    return created.strip().splitlines()[-1]


def sign_in(page: Any, key: str) -> Any:
    page.get_by_test_id("key-input").fill(key)
    page.get_by_test_id("signin-go").click()
    page.get_by_test_id("search-input").wait_for()
    return page


def firms(store: GraphStore, n: int) -> list[str]:
    """Inspectable class A or B firms that are on no list."""
    rows = store.read(
        "MATCH (e:Enterprise) WHERE coalesce(e.risk_class, e.label_class) IN ['A', 'B'] "
        "AND NOT (e)-[:ON_LIST]->() RETURN e.uscc AS uscc ORDER BY uscc LIMIT $n",
        n=n,
    )
    return [row["uscc"] for row in rows]


def test_lists_page_adds_exits_shows_history_and_sweeps(
    page: Any, analyst_key: str, graph_store: GraphStore, web_server: WebServer, shot: Any
) -> None:
    first, second = firms(graph_store, 2)
    sign_in(page, analyst_key)
    page.goto(page.url.split("#")[0] + "#/lists?list=whitelist")
    page.get_by_test_id("add-uscc").fill(first)
    page.get_by_test_id("add-reason").fill("广告信用联盟成员")
    page.get_by_test_id("add-go").click()
    table = page.get_by_test_id("list-entries")
    table.get_by_text("广告信用联盟成员").wait_for()
    shot(page, "added")
    table.locator("tr", has_text="广告信用联盟成员").get_by_test_id("exit-open").click()
    page.get_by_test_id("exit-reason").fill("企业申请退出")
    page.get_by_test_id("exit-go").click()
    history = page.get_by_test_id("history-entries")
    history.get_by_text("企业申请退出", exact=False).wait_for()
    shot(page, "history")

    # A serious violation after the entry: the sweep takes the firm out and says why.
    page.get_by_test_id("tab-sandbox").click()
    page.locator("[data-testid=lists-view][data-list=sandbox]").wait_for()
    page.get_by_test_id("add-uscc").fill(second)
    page.get_by_test_id("add-reason").fill("四新经济")
    page.get_by_test_id("add-go").click()
    page.get_by_test_id("list-entries").get_by_text("四新经济").wait_for()
    graph_store.write(
        "MATCH (e:Enterprise {uscc: $k}) CREATE (e)-[:HAS_VIOLATION]->(:Violation {vid: "
        "'web-late', kind: '严重违法失信', case_no: 'WEB-1', date: date($d), status: '有效'})",
        k=second,
        d=date.today().isoformat(),
    )
    page.get_by_test_id("sweep-go").click()
    exits = page.get_by_test_id("sweep-exits")
    exits.get_by_text("严重违法失信或较重行政处罚").wait_for()
    assert second in exits.inner_text()
    shot(page, "swept")
    answer = web_server.api("GET", f"/lists/history/{second}").json()
    assert [(e["exit_rule"], e["exited_by"]) for e in answer["entries"]] == [
        ("serious_violation", "system")
    ]


def test_repairs_page_applies_reviews_and_decides(
    page: Any, analyst_key: str, graph_store: GraphStore, web_server: WebServer, shot: Any
) -> None:
    [firm] = [
        row["uscc"]
        for row in graph_store.read(
            "MATCH (e:Enterprise)-[:HAS_VIOLATION]->(v:Violation) "
            "WHERE coalesce(v.status, '有效') = '有效' AND NOT (e)-[:HAS_REPAIR]->() "
            "RETURN e.uscc AS uscc ORDER BY uscc LIMIT 1"
        )
    ]
    sign_in(page, web_server.key)  # an investigator applies and reviews
    page.goto(page.url.split("#")[0] + "#/repairs")
    page.get_by_test_id("apply-uscc").fill(firm)
    page.get_by_test_id("apply-find").click()
    page.get_by_test_id("apply-violations").locator("input:not([disabled])").first.check()
    page.get_by_test_id("apply-reason").fill("已缴清罚款并完成整改")
    page.get_by_test_id("apply-go").click()
    detail = page.locator("[data-testid=repair-detail][data-status=submitted]")
    detail.wait_for()
    rid = detail.get_attribute("data-rid")
    page.get_by_test_id("review-text").fill("材料齐全，建议修复")
    page.get_by_test_id("review-go").click()
    page.locator("[data-testid=repair-detail][data-status=reviewed]").wait_for()
    shot(page, "reviewed")

    page.get_by_test_id("sign-out").click()
    sign_in(page, analyst_key)  # another person decides
    page.goto(page.url.split("#")[0] + "#/repairs?status=reviewed")
    page.get_by_test_id("repairs").locator("tr", has_text=rid).click()
    page.get_by_test_id("decide-text").fill("符合信用修复条件")
    page.get_by_test_id("decide-go").click()
    page.locator("[data-testid=repair-detail][data-status=approved]").wait_for(timeout=120_000)
    classes = page.get_by_test_id("repair-classes").inner_text()
    shot(page, "approved")
    answer = web_server.api("GET", f"/repairs/{rid}").json()
    assert answer["class_before"] and answer["class_after"]
    assert classes.replace(" ", "") == f"{answer['class_before']}→{answer['class_after']}"
    assert answer["rescore"].startswith("re-scored with")
    assert {v["status"] for v in answer["items"]} == {"已修复"}
    page.get_by_test_id("repair-stats").wait_for()
