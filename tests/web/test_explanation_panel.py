"""The explanation panel in words: categories, Chinese labels, readable values, no raw codes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from riskgraph.graph.store import GraphStore

CATEGORIES = {"基础属性", "动态信息", "监管信息", "关联关系", "社会评价"}
# what a raw feature code looks like: nbr[…], viol[…], in[…<-…], snake_case, REL_TYPES, a=b
RAW_CODE = re.compile(r"nbr\[|viol\[|\b(?:in|out)\[|[a-z]+_[a-z_]+|[A-Z]{3,}_[A-Z_]+|\w=\w")


@pytest.fixture(scope="module")
def co_located(graph_store: GraphStore) -> str:
    """A firm registered at the address most firms share (its explanation names them)."""
    [row] = graph_store.read(
        "MATCH (a:Address)<-[:REGISTERED_AT]-(e:Enterprise) WITH a, count(e) AS n "
        "ORDER BY n DESC, a.aid LIMIT 1 "
        "MATCH (a)<-[:REGISTERED_AT]-(f:Enterprise) RETURN f.uscc AS uscc ORDER BY uscc LIMIT 1"
    )
    return str(row["uscc"])


def test_explanation_panel_reads_in_words(signed_in: Any, co_located: str, shot: Any) -> None:
    from playwright.sync_api import expect

    page = signed_in
    page.goto(page.url.split("#")[0] + f"#/enterprise/{co_located}/tree")
    page.get_by_test_id("detail").wait_for()
    page.get_by_test_id("explain").click()
    panel = page.get_by_test_id("explanation")
    panel.wait_for(timeout=60_000)
    groups = panel.get_by_test_id("explain-group")
    assert groups.count() >= 1
    shown = {groups.nth(i).get_attribute("data-category") for i in range(groups.count())}
    assert shown <= CATEGORIES
    for i in range(groups.count()):
        assert groups.nth(i).locator("h5").inner_text().split()[0] in CATEGORIES

    text = _items_text(panel)
    assert RAW_CODE.search(text) is None, RAW_CODE.search(text)
    # counts read as integers (a count once showed as 319.99)
    for cell in panel.locator("[data-unit=count]").all():
        assert re.fullmatch(r"[\d,]+|不适用", cell.inner_text()), cell.inner_text()
    # the contribution column is whole: inside the panel, never cut off
    right = page.locator("aside").bounding_box()
    assert right is not None
    cells = panel.locator("td.contribution")
    assert cells.count() >= 1
    for i in range(cells.count()):
        box = cells.nth(i).bounding_box()
        assert box is not None and box["x"] + box["width"] <= right["x"] + right["width"] + 1
    # neighbours by name, not by id
    reasons = panel.get_by_test_id("neighbour-reasons")
    if reasons.count():
        names = reasons.locator("tbody tr td:first-child").all_inner_texts()
        assert names and not any(re.search(r"[0-9a-f]{32}", n) for n in names)
    shot(page, "explanation")

    page.get_by_test_id("lang-toggle").click()  # the panel follows the language
    expect(groups.first.locator("h5")).not_to_contain_text(re.compile("|".join(CATEGORIES)))
    assert RAW_CODE.search(_items_text(panel)) is None
    shot(page, "explanation-en")
    page.get_by_test_id("lang-toggle").click()


def _items_text(panel: Any) -> str:
    """The text of the feature groups and the neighbour table (not the model's name)."""
    parts = panel.get_by_test_id("explain-group").all_inner_texts()
    parts += panel.get_by_test_id("neighbour-reasons").all_inner_texts()
    return "\n".join(parts)
