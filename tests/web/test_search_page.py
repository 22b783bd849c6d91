"""The search page finds firms by an infix of the name and shows kind and class; the path
finder takes names through autocomplete (issue 17, item 1)."""

from __future__ import annotations

from typing import Any

import pytest

from riskgraph.graph.store import GraphStore


@pytest.fixture(scope="module")
def hub(address_hub: dict[str, Any]) -> dict[str, Any]:
    """An address where several enterprises are registered (so a path joins them)."""
    assert address_hub["n"] >= 2
    return address_hub


def infix_firm(store: GraphStore) -> tuple[str, str, set[str]]:
    """A firm, a 3-character infix from the middle of its name (not its start) and the
    names of every firm that contains the infix (at most 20)."""
    rows = store.read(
        "MATCH (e:Enterprise) WHERE size(e.name) >= 8 RETURN e.uscc AS uscc, e.name AS name "
        "ORDER BY uscc LIMIT 200"
    )
    for row in rows:
        name = str(row["name"])
        infix = name[3:6]
        found = store.read(
            "MATCH (e:Enterprise) WHERE e.name CONTAINS $t RETURN e.name AS name", t=infix
        )
        names = {str(f["name"]) for f in found}
        if 1 <= len(names) <= 20 and not name.startswith(infix):
            return str(row["uscc"]), infix, names
    raise AssertionError("no firm with a rare infix in the generated registry")


def test_search_finds_an_infix_with_kind_and_class(
    signed_in: Any, graph_store: GraphStore, shot: Any
) -> None:
    page = signed_in
    uscc, infix, names = infix_firm(graph_store)
    page.get_by_test_id("search-input").fill(infix)
    suggestions = page.get_by_test_id("ac-item")
    suggestions.first.wait_for()  # the box proposes while typing
    assert infix in suggestions.first.inner_text()
    page.get_by_test_id("search-go").click()
    rows = page.get_by_test_id("search-table").locator("tbody tr")
    rows.first.wait_for()
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    firms = [t for t in texts if "企业" in t]
    assert {name for name in names if any(name in t for t in firms)} == names
    assert all(infix in t for t in texts)
    row = rows.filter(has=page.locator(f"a[href*='{uscc}']")).first
    assert row.locator(".badge").count() == 1  # the class badge (or 未分类)
    assert "包含" in row.inner_text()
    shot(page, "infix")


def test_path_finder_takes_names_through_autocomplete(
    signed_in: Any, hub: dict[str, Any], graph_store: GraphStore, shot: Any
) -> None:
    from playwright.sync_api import expect

    page = signed_in
    first, second = sorted(hub["firms"])[:2]
    rows = graph_store.read(
        "MATCH (e:Enterprise) WHERE e.uscc IN $keys RETURN e.uscc AS k, e.name AS n",
        keys=[first, second],
    )
    name = {row["k"]: str(row["n"]) for row in rows}
    page.goto(page.url.split("#")[0] + "#/paths")
    source = page.get_by_test_id("path-from")
    source.fill("")
    source.press_sequentially(name[first][2:], delay=30)  # an infix, not the start
    pick = page.get_by_test_id("ac-from").get_by_test_id("ac-item").filter(has_text=name[first])
    pick.first.click()
    assert source.input_value() == name[first]
    target = page.get_by_test_id("path-to")
    target.fill(name[second])  # one input event: one question, so one list
    expect(page.get_by_test_id("ac-to").get_by_test_id("ac-item").first).to_contain_text(
        name[second]
    )
    target.press("ArrowDown")
    target.press("Enter")  # the exact name is the first suggestion
    assert target.input_value() == name[second]
    page.get_by_test_id("path-go").click()
    page.get_by_test_id("path-item").first.wait_for()
    assert f"from={first}" in page.url and f"to={second}" in page.url
    shot(page, "path-by-name")

    page.goto(page.url.split("#")[0] + "#/paths")
    page.get_by_test_id("path-from").fill("没有这家企业的名字")
    page.get_by_test_id("path-to").fill(second)
    page.get_by_test_id("path-go").click()
    message = page.get_by_test_id("path-unresolved")
    message.wait_for()
    assert "未找到" in message.inner_text() and "with key" not in message.inner_text()
