"""The model health panel (模型监测) in headless Chromium against a real server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from web_server import WebServer, missing, riskgraph

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")


def _monitor(server: WebServer, month: str) -> dict[str, Any]:
    models = Path(server.env["RISKGRAPH_DATA_DIR"]) / "models"
    out = riskgraph(
        server.env, "model", "monitor", "--month", month, "--model", str(models), "--json"
    )
    report: dict[str, Any] = json.loads(out)
    return report


def test_model_health_panel(signed_in: Any, web_server: WebServer, shot: Any) -> None:
    june = _monitor(web_server, "2026-06")
    july = _monitor(web_server, "2026-07")
    # the model was just trained on this graph: its reference is the same population
    assert july["reference"] is not None and july["level"] == "stable"
    assert july["class_share_psi"] == pytest.approx(0.0, abs=1e-6)

    page = signed_in
    page.get_by_test_id("nav-group-model").click()  # the 模型 dropdown
    page.locator("header nav a[data-nav='#/model']").click()
    page.get_by_test_id("health-level").wait_for()
    assert "稳定" in page.get_by_test_id("health-level").inner_text()
    assert page.get_by_test_id("health-month").input_value() == "2026-07"
    assert page.get_by_test_id("health-class-psi").inner_text() == "0.0000"
    rows = page.get_by_test_id("health-features").locator("tbody tr")
    assert rows.count() == min(15, len(july["features"]))
    first = july["features"][0]
    assert rows.first.locator("td").first.inner_text() == first["feature"]
    if first["name"]:
        assert rows.first.locator("td").nth(1).inner_text() == first["name"]["zh"]
    calibration = page.get_by_test_id("health-calibration").locator("tbody tr")
    assert calibration.count() == len(july["calibration"]["classes"]) == 4
    shot(page, "model-health")

    page.get_by_test_id("health-month").select_option("2026-06")
    page.wait_for_url("**/#/model?month=2026-06")
    page.locator("[data-testid=model-health][data-month='2026-06']").wait_for()
    assert "2026-05" in page.locator("[data-testid=model-health]").inner_text()
    assert june["calibration"]["previous_month"] == "2026-05"

    page.get_by_test_id("lang-toggle").click()
    assert "stable" in page.get_by_test_id("health-level").inner_text()
    named = next((f for f in june["features"][:15] if f["name"]), None)
    if named is not None:
        assert named["name"]["en"] in page.get_by_test_id("health-features").inner_text()
    shot(page, "model-health-en")
