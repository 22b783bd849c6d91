"""The case inbox (#/alerts) in headless Chromium: counts per status, firm names with
class badges, a case with named evidence, assignment, bulk status change with a note,
and evidence that opens the firm or its relationship view."""

from __future__ import annotations

import re
from typing import Any

import pytest
from web_server import WebServer, missing

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")

USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


def test_the_case_inbox(signed_in: Any, web_server: WebServer, shot: Any) -> None:
    from playwright.sync_api import expect

    page = signed_in
    page.goto(page.url.split("#")[0] + "#/alerts")
    rows = page.get_by_test_id("cases").locator("tbody tr")
    rows.first.wait_for()
    answer = web_server.api("GET", "/cases?limit=200").json()
    counts = page.get_by_test_id("case-counts")
    total = int(counts.locator("[data-status=all]").get_attribute("data-count") or 0)
    assert total == sum(answer["counts"].values()) > 0
    assert (
        int(counts.locator("[data-status=open]").get_attribute("data-count") or 0)
        == (answer["counts"]["open"])
    )
    # High severity first; firms by name, each with a class badge.
    severities = [c["severity"] for c in answer["items"]]
    assert severities == sorted(severities, key=["high", "medium", "low"].index)
    first = rows.first.locator(".case-firm")
    assert first.count() >= 1
    name = first.first.locator("a").inner_text()
    assert name and not USCC.match(name)
    assert first.first.locator(".badge").count() == 1
    shot(page, "inbox")

    # Open the first case: evidence as named entities, firms, alerts.
    rows.first.locator("td").nth(2).click()
    detail = page.get_by_test_id("case-detail")
    detail.wait_for()
    case_id = detail.get_attribute("data-id")
    assert case_id and case_id == answer["items"][0]["id"]
    entities = page.get_by_test_id("case-entities").locator("li")
    assert entities.count() >= 1
    assert not page.get_by_test_id("case-entities").inner_text().count("address:")
    page.get_by_test_id("case-assignee").fill("张警官")
    page.get_by_test_id("case-assign").click()
    expect(page.get_by_test_id("case-history")).to_contain_text("张警官")
    assert web_server.api("GET", f"/cases/{case_id}").json()["assignee"] == "张警官"
    shot(page, "case")

    # Bulk: the next two open cases to in progress, with a note.
    page.goto(page.url.split("#")[0] + "#/alerts?status=open")
    page.locator("[data-testid=case-counts] a.active[data-status=open]").wait_for()
    boxes = page.get_by_test_id("case-select")
    picked = [boxes.nth(i).get_attribute("data-id") for i in (0, 1)]
    boxes.nth(0).check()
    boxes.nth(1).check()
    assert "2" in page.get_by_test_id("bulk-count").inner_text()
    page.get_by_test_id("bulk-status").select_option("in_progress")
    page.get_by_test_id("bulk-note").fill("批量核查")
    page.get_by_test_id("bulk-apply").click()
    page.locator(".notice, [role=status]").filter(has_text="2").first.wait_for()
    for case_id in picked:
        case = web_server.api("GET", f"/cases/{case_id}").json()
        assert case["status"] == "in_progress"
        assert case["history"][-1]["note"] == "批量核查"
    shot(page, "bulk")

    # Evidence opens the firm (family tree) or the relationship view of a citing firm.
    page.goto(page.url.split("#")[0] + "#/alerts")
    page.locator("[data-testid=case-counts] a.active[data-status=all]").wait_for()
    page.get_by_test_id("cases").locator("tbody tr").first.locator("td").nth(2).click()
    link = page.get_by_test_id("case-entities").locator("a.entity-link").first
    link.wait_for()
    link.click()
    page.wait_for_url(re.compile(r"#/(enterprise/[^/]+/(tree|graph)|clusters/RC-)"))
