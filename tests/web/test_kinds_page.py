"""Kinds of market entity in the web app: the overview's table per kind, the list's
kind filter, and the detail panel naming an individual business's operator."""

from __future__ import annotations

import re
from typing import Any

import pytest
from web_server import WebServer, missing

from riskgraph.graph.store import GraphStore

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")

NAMES = {"enterprise": "企业", "individual": "个体工商户", "cooperative": "农民专业合作社"}
KIND_OF_ORG_TYPE = {"个体工商户": "individual", "农民专业合作社": "cooperative"}


@pytest.fixture(scope="module")
def kind_totals(graph_store: GraphStore) -> dict[str, int]:
    """Enterprises per kind (with a region code, as the overview counts them)."""
    rows = graph_store.read(
        "MATCH (e:Enterprise) WHERE e.region_code IS NOT NULL "
        "RETURN e.org_type AS org_type, count(*) AS n"
    )
    totals = dict.fromkeys(NAMES, 0)
    for row in rows:
        totals[KIND_OF_ORG_TYPE.get(row["org_type"] or "", "enterprise")] += int(row["n"])
    return totals


def first_of(graph_store: GraphStore, org_type: str) -> str:
    [row] = graph_store.read(
        "MATCH (p:Person)-[:LEGAL_REP_OF]->(e:Enterprise {org_type: $t}) "
        "RETURN e.uscc AS uscc ORDER BY uscc LIMIT 1",
        t=org_type,
    )
    return str(row["uscc"])


def test_overview_counts_per_kind_and_opens_the_list_of_a_kind(
    signed_in: Any, web_server: WebServer, kind_totals: dict[str, int], shot: Any
) -> None:
    page = signed_in
    assert kind_totals["individual"] > 0 and kind_totals["cooperative"] > 0
    page.goto(web_server.base + "/#/overview")
    table = page.get_by_test_id("kind")
    table.wait_for()
    rows = table.locator("tbody tr")
    assert rows.count() == 3
    shown = {}
    for i in range(3):
        cells = rows.nth(i).locator("td")
        shown[cells.nth(0).inner_text().strip()] = int(cells.nth(6).inner_text().strip())
    assert shown == {NAMES[k]: n for k, n in kind_totals.items()}
    shot(page, "overview")

    individual_row = rows.filter(has_text="个体工商户")
    individual_row.get_by_test_id("kind-cell-total").click()
    page.wait_for_url(re.compile(r"#/enterprises\?kind=individual"))
    listing = page.get_by_test_id("list-table")
    listing.wait_for()
    kinds = listing.locator("tbody tr .entity-kind")
    assert kinds.count() > 0
    assert set(kinds.all_inner_texts()) == {"个体工商户"}
    assert page.get_by_test_id("list-kind").input_value() == "individual"
    assert "市场主体名单" in page.locator("h1").inner_text()
    page.get_by_test_id("list-kind").select_option("cooperative")
    page.wait_for_url(re.compile(r"kind=cooperative$"))
    # The first row of the new list (a locator wait: the page's CSP forbids eval).
    page.locator("[data-testid=list-table] tbody tr .entity-kind").first.and_(
        page.locator("[data-kind=cooperative]")
    ).wait_for()
    coop = page.get_by_test_id("list-table").locator("tbody tr .entity-kind")
    assert set(coop.all_inner_texts()) == {"农民专业合作社"}
    shot(page, "list")


def test_the_detail_names_the_operator_of_an_individual_business(
    signed_in: Any, web_server: WebServer, graph_store: GraphStore, shot: Any
) -> None:
    page = signed_in
    shop = first_of(graph_store, "个体工商户")
    page.goto(web_server.base + f"/#/enterprise/{shop}/tree")
    detail = page.get_by_test_id("detail")
    detail.wait_for()
    assert detail.get_attribute("data-kind") == "individual"
    text = detail.inner_text()
    assert "个体工商户" in text and "资金数额" in text
    officers = detail.get_by_test_id("officers")
    assert "经营者" in officers.locator("thead").inner_text()
    assert "法定代表人" not in officers.inner_text()
    shot(page, "individual")

    coop = first_of(graph_store, "农民专业合作社")
    page.goto(web_server.base + f"/#/enterprise/{coop}/tree")
    page.locator(f'[data-testid="detail"][data-uscc="{coop}"]').wait_for()
    detail = page.get_by_test_id("detail")
    assert detail.get_attribute("data-kind") == "cooperative"
    assert "农民专业合作社" in detail.inner_text()
    assert "法定代表人" in detail.get_by_test_id("officers").locator("thead").inner_text()
    shot(page, "cooperative")
