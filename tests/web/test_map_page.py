"""The overview's risk map (风险地图) in headless Chromium against a real server: one
coloured region per region of the test graph at the chosen level (outlines from the
app's own assets), the colour of its C+D share, a hover tooltip with name, firms and
C+D count and share, a click opening the region's firms, and bars that show counts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from web_server import WebServer, missing

from riskgraph.graph.store import GraphStore

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")

# The bins of region_map.js (upper bounds of the C+D share) and their colours.
BINS = [(0.05, "#fef0d9"), (0.1, "#fdd49e"), (0.15, "#fdbb84"), (0.2, "#fc8d59"), (0.3, "#e34a33")]
TOP = "#b30000"
WIDTH = {"province": 2, "city": 4, "district": 6}


def colour(share: float) -> str:
    return next((c for upper, c in BINS if share < upper), TOP)


def inside(page: Any, key: str) -> tuple[float, float]:
    """A point of the screen that lies on the region ``key`` (its outline is concave)."""
    point = page.evaluate(
        """(key) => {
          const group = document.querySelector(`g[data-region="${key}"]`);
          const paths = [...group.querySelectorAll("path")];
          const area = (r) => r.width * r.height;
          const boxes = paths.map((p) => p.getBoundingClientRect());
          const box = boxes.sort((a, b) => area(b) - area(a))[0];
          for (let i = 1; i < 40; i++) for (let j = 1; j < 40; j++) {
            const x = box.left + (box.width * i) / 40, y = box.top + (box.height * j) / 40;
            if (document.elementFromPoint(x, y)?.closest("g") === group) return [x, y];
          }
          return null;
        }""",
        key,
    )
    assert point, f"no visible point of {key}"
    return point[0], point[1]


@pytest.mark.parametrize("level", ["district", "city"])
def test_map_colours_every_region_and_opens_its_firms(
    signed_in: Any, web_server: WebServer, graph_store: GraphStore, level: str, shot: Any
) -> None:
    page = signed_in
    page.goto(page.url.split("#")[0] + f"#/overview?level={level}&prefix=")
    page.locator("[data-testid=map-region].has-firms path").first.wait_for()
    answer = web_server.api("GET", f"/stats/risk-map?level={level}").json()
    rows = {row["key"]: row for row in answer["by_region"]}
    groups = page.locator("[data-testid=map-region].has-firms")
    drawn = {
        groups.nth(i).get_attribute("data-region"): groups.nth(i).get_attribute("fill")
        for i in range(groups.count())
    }
    # Every region of the graph at this level has an outline, coloured by its C+D share.
    assert set(drawn) == set(rows)
    assert page.get_by_test_id("map-missing").count() == 0
    for key, row in rows.items():
        high = row["counts"]["C"] + row["counts"]["D"]
        assert drawn[key] == colour(high / row["total"]), key
    assert page.get_by_test_id("map-legend").locator(".legend-item").count() == len(BINS) + 2
    shot(page, f"map-{level}")

    # Hover the region with the most firms: its name, firms and C+D count and share.
    key = max(rows, key=lambda k: rows[k]["total"])
    row = rows[key]
    page.mouse.move(*inside(page, key))
    tip = page.get_by_test_id("map-tip")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    high = row["counts"]["C"] + row["counts"]["D"]
    assert row["name"] in text and key in text
    assert f": {row['total']}" in text and f": {high} · " in text
    shot(page, f"map-{level}-hover")

    # A click opens the list of that region's firms.
    page.mouse.click(*inside(page, key))
    listed = page.get_by_test_id("list-table").locator("tbody tr")
    listed.first.wait_for()
    prefix = key[: WIDTH[level]]
    assert f"region={prefix}" in page.url
    keys = [listed.nth(i).locator("td").nth(1).inner_text() for i in range(listed.count())]
    found = graph_store.read(
        "MATCH (e:Enterprise) WHERE e.uscc IN $keys RETURN e.region_code AS region", keys=keys
    )
    assert len(found) == len(keys) and all(r["region"].startswith(prefix) for r in found)


def test_bars_show_counts(signed_in: Any, web_server: WebServer, shot: Any) -> None:
    page = signed_in
    page.goto(page.url.split("#")[0] + "#/overview?level=city&prefix=")
    chart = page.get_by_test_id("region-distribution").locator("svg.chart")
    chart.locator("[data-testid=bar-count]").first.wait_for()
    answer = web_server.api("GET", "/stats/risk-map?level=city").json()
    expected = {
        f"{r['total']} · C+D {r['counts']['C'] + r['counts']['D']}" for r in answer["by_region"]
    }
    labels = chart.locator("[data-testid=bar-count]").all_text_contents()  # SVG: no innerText
    assert labels and set(labels) <= expected
    # One scale for every row: a bar's length follows its count, so the largest row is longest.
    widths = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=region-distribution] svg.chart')[0]
              .querySelectorAll('text.bar-count')].map((t) => +t.getAttribute('x'))"""
    )
    totals = [int(re.match(r"\d+", label)[0]) for label in labels]  # type: ignore[index]
    assert widths[totals.index(max(totals))] == max(widths)
    shot(page, "bars")
