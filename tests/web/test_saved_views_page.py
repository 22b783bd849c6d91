"""Saved views in the browser (issue 17 item 3): save a relationship view with an
expansion and a note, reload, reopen it by its link with the same nodes at the same
positions, list it under 我的视图, open its case report and download the PDF."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from engines import Graphs
from web_server import ENTERPRISES, SEED, WebServer, cli_env, missing, riskgraph, serve

from riskgraph.graph.store import GraphStore

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")

POSITIONS = """() => {
  const area = document.querySelector('[data-testid=relations-graph]');
  const cy = area._cyreg.cy;
  return Object.fromEntries(cy.nodes().map((n) => [n.id(), n.position()]));
}"""
TOLERANCE = 1.0  # pixels: the state keeps positions to 0.1


@pytest.fixture(scope="module")
def web_server(
    graph_store: GraphStore, graphs: Graphs, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebServer]:
    """``riskgraph serve`` on the generated registry without training: saved views need
    no scores, and training is what makes the shared fixture slow. Where another module
    has loaded the registry already, it is used as it is."""
    data_dir = tmp_path_factory.mktemp("views") / "data"
    env = cli_env(graphs.env(graph_store), data_dir)
    if not graph_store.read("MATCH (e:Enterprise) RETURN count(e) AS n")[0]["n"]:
        registry = data_dir / "registry"
        riskgraph(env, "db", "init")
        riskgraph(env, "generate", "--enterprises", str(ENTERPRISES), "--seed", str(SEED),
                  "--out", str(registry), "--json")  # fmt: skip
        riskgraph(env, "ingest", str(registry))
    created = riskgraph(env, "keys", "create", "--role", "investigator", "--label", "views")
    key = created.strip().splitlines()[-1]
    with serve(env, Path(data_dir) / "serve.log", key) as server:
        yield server


@pytest.fixture(scope="module")
def hub_firm(address_hub: dict[str, Any]) -> dict[str, Any]:
    """A firm at the address shared by the most firms, and that address."""
    return {"aid": address_hub["aid"], "uscc": sorted(address_hub["firms"])[0]}


def settled(page: Any) -> dict[str, dict[str, float]]:
    """Node positions once the layout has stopped moving them."""
    before = page.evaluate(POSITIONS)
    for _ in range(20):
        time.sleep(0.3)
        now = page.evaluate(POSITIONS)
        if now == before:
            return dict(now)
        before = now
    raise AssertionError("the layout kept moving nodes")


def test_save_note_reload_reopen_report_and_pdf(
    signed_in: Any, web_server: WebServer, hub_firm: dict[str, Any], shot: Any
) -> None:
    page = signed_in
    base = page.url.split("#")[0]
    page.goto(base + f"#/enterprise/{hub_firm['uscc']}/graph")
    page.get_by_test_id("group-REGISTERED_AT-out").wait_for()
    # an expansion: the shared address
    page.locator(".node-list-box summary").click()
    page.locator(f"[data-testid=node-list] button[data-id='{hub_firm['aid']}']").click()
    page.get_by_test_id("group-REGISTERED_AT-in").wait_for()
    before = settled(page)
    assert hub_firm["aid"] in before and len(before) > 3

    page.get_by_test_id("view-title").fill("集群注册线索")
    page.get_by_test_id("view-save").click()
    page.wait_for_selector("[data-testid=relations-graph][data-saved]")
    vid = page.get_by_test_id("relations-graph").get_attribute("data-saved")
    assert vid and page.url.endswith(f"#/views/{vid}")
    stored = web_server.api("GET", f"/views/{vid}").json()
    assert stored["has_picture"] is True and stored["node_count"] == len(before)
    # a hub's neighbours come as group nodes ("C类企业 42"): the firms are those drawn
    firms_in_view = sum(1 for node in stored["state"]["nodes"] if node["kind"] == "Enterprise")

    # a note on the address
    page.locator(f"[data-testid=node-list] button[data-id='{hub_firm['aid']}']").click()
    page.get_by_test_id("note-text").fill("同一地址注册多家企业，需核实实际经营")
    page.get_by_test_id("note-add").click()
    page.get_by_test_id("note").first.wait_for()
    shot(page, "saved-with-note")

    page.reload()
    page.wait_for_selector(f"[data-testid=relations-graph][data-restored='{vid}']")
    after = page.evaluate(POSITIONS)
    assert set(after) == set(before)
    moved = {
        key: (before[key], after[key])
        for key in before
        if abs(before[key]["x"] - after[key]["x"]) > TOLERANCE
        or abs(before[key]["y"] - after[key]["y"]) > TOLERANCE
    }
    assert moved == {}
    # the expansion came back: its groups and counts, and the note
    assert page.get_by_test_id("view-title").input_value() == "集群注册线索"
    page.get_by_test_id("group-REGISTERED_AT-out").wait_for()
    notes = page.get_by_test_id("note")
    assert notes.count() == 1 and "实际经营" in notes.first.inner_text()
    shot(page, "reopened")

    page.goto(base + "#/views")
    row = page.get_by_test_id("views-table").locator("tr", has_text="集群注册线索")
    row.wait_for()
    shot(page, "list")
    with page.expect_popup() as popup_info:
        row.get_by_test_id("view-report").click()
    report = popup_info.value
    report.wait_for_load_state("load")  # a large page: its picture comes before the tables
    report.get_by_test_id("report-notes").wait_for()
    assert report.get_by_test_id("report-title").inner_text() == "集群注册线索"
    assert "内部资料" in report.get_by_test_id("internal-mark").inner_text()
    assert report.get_by_test_id("report-legend").is_visible()
    firms = report.get_by_test_id("report-firms").locator("tbody tr")
    assert firms.count() == firms_in_view >= 1
    assert hub_firm["uscc"] in report.get_by_test_id("report-firms").inner_text()
    assert report.get_by_test_id("report-picture").is_visible()
    assert "实际经营" in report.get_by_test_id("report-notes").inner_text()
    report.screenshot(path=str(_artifact("report")), full_page=True)
    report.close()

    with page.expect_download() as download_info:
        row.get_by_test_id("view-pdf").click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")


def _artifact(step: str) -> Any:
    from conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"test_saved_views-{step}.png"
