"""The screening page (#/screens): build a screen without Cypher, run it, save and load
it, export its matches and try to send it to a plan (an investigator may not)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from test_webapp import RESOURCE_ERROR

from riskgraph.analytics.screening import run_screen
from riskgraph.graph.store import GraphStore


def test_a_screen_is_built_run_saved_loaded_and_exported(
    signed_in: Any, graph_store: GraphStore, console: Any
) -> None:
    page = signed_in
    page.goto(page.url.split("#")[0] + "#/screens")
    page.get_by_test_id("leaf-field").first.wait_for()
    # condition 1 (the default field region_code, op prefix): 51
    page.get_by_test_id("leaf-value").first.fill("51")
    # condition 2: entity kind is an enterprise
    page.get_by_test_id("add-condition").first.click()
    second = page.get_by_test_id("screen-leaf").nth(1)
    second.get_by_test_id("leaf-field").select_option("entity_kind")
    second.get_by_test_id("leaf-op").select_option("eq")
    second.get_by_test_id("leaf-value").select_option("enterprise")
    # a group: any of (registered capital >= 100, violations >= 1 in 24 months)
    page.get_by_test_id("add-group").first.click()
    group = page.get_by_test_id("screen-group").nth(1)
    inner = group.get_by_test_id("screen-leaf").first
    inner.get_by_test_id("leaf-field").select_option("registered_capital")
    inner.get_by_test_id("leaf-op").select_option("gte")
    inner.get_by_test_id("leaf-value").fill("100")
    group.get_by_test_id("add-condition").click()
    other = group.get_by_test_id("screen-leaf").nth(1)
    other.get_by_test_id("leaf-field").select_option("violations")
    other.get_by_test_id("leaf-op").select_option("gte")
    other.get_by_test_id("leaf-value").fill("1")
    other.get_by_test_id("leaf-months").fill("24")
    page.get_by_test_id("screen-run").click()
    page.get_by_test_id("screen-total").wait_for()

    screen = {
        "all": [
            {"field": "region_code", "op": "prefix", "value": "51"},
            {"field": "entity_kind", "op": "eq", "value": "enterprise"},
            {"any": [
                {"field": "registered_capital", "op": "gte", "value": 100},
                {"field": "violations", "op": "gte", "value": 1, "months": 24},
            ]},
        ]
    }  # fmt: skip
    expected = run_screen(graph_store, screen, limit=50)
    assert expected.total > 0
    assert f"{expected.total}" in page.get_by_test_id("screen-total").inner_text()
    shown = page.get_by_test_id("screen-table").locator("tbody tr").count()
    assert shown == len(expected.results)

    page.get_by_test_id("screen-name").fill("浏览器测试")
    page.get_by_test_id("screen-save").click()
    page.get_by_test_id("screen-saved").locator("option", has_text="浏览器测试").wait_for(
        state="attached"
    )
    page.reload()
    page.get_by_test_id("leaf-field").first.wait_for()
    page.get_by_test_id("screen-saved").locator("option", has_text="浏览器测试").wait_for(
        state="attached"
    )
    page.get_by_test_id("screen-saved").select_option(label="浏览器测试")
    page.get_by_test_id("screen-load").click()
    assert page.get_by_test_id("screen-leaf").count() == 4
    page.get_by_test_id("screen-run").click()
    page.get_by_test_id("screen-table").wait_for()
    assert f"{expected.total}" in page.get_by_test_id("screen-total").inner_text()

    with page.expect_download() as download:
        page.get_by_test_id("screen-export").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(text)))) == expected.total

    console.allow(RESOURCE_ERROR.format(403))
    page.get_by_test_id("screen-send-plan").click()
    page.get_by_test_id("screen-plan").locator("[role=alert]").wait_for()
