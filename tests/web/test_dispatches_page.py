"""The dispatch page (#/dispatches) in headless Chromium: create a batch from the rule
run's alerts, see its tasks with firm names and counts per status, move a task."""

from __future__ import annotations

from typing import Any

import pytest
from web_server import WebServer, missing

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")


def test_dispatch_a_batch_and_move_a_task(signed_in: Any, web_server: WebServer, shot: Any) -> None:
    page = signed_in
    page.goto(page.url.split("#")[0] + "#/dispatches")
    page.get_by_test_id("dispatch-form").wait_for()
    page.get_by_test_id("dispatch-severity").select_option("high")
    page.get_by_test_id("dispatch-min").fill("100000")  # only the high-severity alerts
    page.get_by_test_id("dispatch-create").click()
    rows = page.get_by_test_id("tasks").locator("tbody tr")
    rows.first.wait_for()
    bid = page.url.split("#/dispatches/")[1].split("?")[0]
    batch = web_server.api("GET", f"/dispatches/{bid}?limit=500").json()
    assert batch["batch"]["counts"]["待签收"] == batch["batch"]["tasks"] > 0
    assert rows.count() == min(50, batch["batch"]["tasks"])
    first = batch["tasks"][0]
    assert first["firm_name"] and first["firm_name"] in rows.first.inner_text()
    shot(page, "batch")

    rows.first.locator("td").first.click()
    detail = page.get_by_test_id("task-detail")
    detail.wait_for()
    assert detail.get_attribute("data-tid") == first["tid"]
    page.get_by_test_id("task-new-status").select_option("处理中")
    page.get_by_test_id("task-note").fill("已签收，安排核查")
    page.get_by_test_id("task-change").click()
    page.locator("[data-testid=task-detail][data-status=处理中]").wait_for()
    page.get_by_test_id("task-new-status").select_option("已办结")
    page.get_by_test_id("task-change").click()  # no note: the browser refuses to submit
    assert page.get_by_test_id("task-detail").get_attribute("data-status") == "处理中"
    shot(page, "task")

    answer = web_server.api("GET", f"/dispatches/{bid}").json()
    assert answer["batch"]["counts"]["处理中"] == 1
    assert answer["tasks"][0]["note"] == "已签收，安排核查"

    page.goto(page.url.split("#")[0] + "#/dispatches")
    listed = page.get_by_test_id("batches")
    listed.wait_for()
    assert bid in listed.inner_text() and "处理中 1" in listed.inner_text()
    shot(page, "list")
