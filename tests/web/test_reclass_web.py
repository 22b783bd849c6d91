"""The regional and industry review on the overview and the #/changes page, in headless
Chromium, on months stored by hand (ClassShare, feed records on RiskAssessment and
Reclassification nodes as `riskgraph reclassify` writes them): shares, sparklines and
flags as the API rule gives them, a row opening its firms, the transition matrix and the
change feed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from web_server import missing

from riskgraph.analytics.review import ReviewRule, build_review
from riskgraph.graph.store import GraphStore

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")

MONTHS = ("2031-01", "2031-02", "2031-03")


@pytest.fixture(scope="module")
def months(graph_store: GraphStore) -> dict[str, Any]:
    """Three months of city shares over the registry's cities (one rising fast), a
    transition matrix and a change feed of 3 firms in the last month."""
    cities = [
        row["city"]
        for row in graph_store.read(
            "MATCH (e:Enterprise) WHERE e.region_code IS NOT NULL "
            "RETURN substring(e.region_code, 0, 4) AS city, count(*) AS n ORDER BY n DESC LIMIT 3"
        )
    ]
    shares = []
    for m, month in enumerate(MONTHS):
        for c, city in enumerate(cities):
            high = 10 + (15 * m if c == 0 else 2 * m * (c % 2))  # the first city rises fastest
            shares.append(
                {"month": month, "dimension": "city", "value": city, "kind": "all",
                 "A": 60 - high, "B": 40, "C": high, "D": 0, "total": 100}
            )  # fmt: skip
    keys = [
        row["k"]
        for row in graph_store.read("MATCH (e:Enterprise) RETURN e.uscc AS k ORDER BY k LIMIT 3")
    ]
    changes = [
        {"month": MONTHS[-1], "feed_month": MONTHS[-1], "uscc": k, "previous": p,
         "risk_class": c, "risk_score": 0.5, "kind": "enterprise"}
        for k, p, c in zip(keys, ["A", None, "D"], ["C", "B", "B"], strict=True)
    ]  # fmt: skip
    matrix = {p: {c: (5 if p == c else 1) for c in "ABCD"} for p in "ABCD"}
    graph_store.write("UNWIND $rows AS row CREATE (s:ClassShare) SET s = row", rows=shares)
    graph_store.write(
        "UNWIND $rows AS row MATCH (e:Enterprise {uscc: row.uscc}) "
        "CREATE (e)-[:HAS_ASSESSMENT]->(a:RiskAssessment) SET a = row",
        rows=changes,
    )
    graph_store.write(
        "UNWIND $months AS m CREATE (r:Reclassification {month: m, scored: 300, changed: 2, "
        "new_firms: 1, previous_month: null, transitions: $matrix, class_counts: '{}'})",
        months=list(MONTHS),
        matrix=json.dumps(matrix),
    )
    graph_store.write(
        "MATCH (r:Reclassification) WHERE r.month <> $first SET r.previous_month = '2031-01'",
        first=MONTHS[0],
    )
    expected = build_review(
        shares, MONTHS, dimension="region", level="city", kind=None, rule=ReviewRule()
    )
    yield {"cities": cities, "keys": keys, "expected": expected, "matrix": matrix}
    graph_store.write(
        "MATCH (n) WHERE (n:ClassShare OR n:RiskAssessment OR n:Reclassification) "
        "AND n.month STARTS WITH '2031' DETACH DELETE n"
    )


def test_review_on_the_overview_flags_and_opens_firms(
    signed_in: Any, months: dict[str, Any], shot: Any
) -> None:
    page = signed_in
    page.goto(page.url.split("#")[0] + "#/overview?level=city&prefix=")
    table = page.get_by_test_id("review-table")
    table.wait_for()
    rows = table.locator("tbody tr")
    expected = months["expected"]["rows"]
    assert rows.count() == len(expected)
    assert table.locator("[data-testid=sparkline]").count() == len(expected)
    flagged = [r["value"] for r in expected if r["flagged"]]
    assert flagged[0] == months["cities"][0]  # it rises most
    assert page.get_by_test_id("review-flag").count() == len(flagged)
    first = rows.first
    assert f"({flagged[0]})" in first.locator("td").first.inner_text()
    assert "40.0%" in first.inner_text()  # C+D share of the last month: 40 of 100
    shot(page, "review")
    first.locator("td").nth(1).click()
    page.get_by_test_id("list-results").wait_for()
    assert f"region={flagged[0]}" in page.url


def test_changes_page_shows_the_matrix_and_the_feed(
    signed_in: Any, months: dict[str, Any], shot: Any
) -> None:
    page = signed_in
    page.goto(page.url.split("#")[0] + "#/changes")
    matrix = page.get_by_test_id("transition-matrix")
    matrix.wait_for()
    cells = matrix.locator("tbody tr").first.locator("td")
    assert [cells.nth(i).inner_text() for i in range(5)] == ["A", "5", "1", "1", "1"]
    feed = page.get_by_test_id("change-feed")
    feed.wait_for()
    rows = feed.locator("tbody tr")
    assert rows.count() == 3
    assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(3)] == months["keys"]
    assert rows.nth(1).locator("td").nth(3).inner_text() == "新增"
    shot(page, "changes")
    page.get_by_test_id("changes-since").fill("2031-04")
    page.get_by_test_id("changes-since").press("Enter")
    page.get_by_text("该期间没有分类变动。").wait_for()
