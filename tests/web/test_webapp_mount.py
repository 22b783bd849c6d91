"""Serving the built web app at ``/`` (no browser needed)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from riskgraph.api.webapp import mount


def client_for(dist: Path) -> TestClient:
    app = FastAPI()

    @app.get("/api/v1/ping")
    def ping() -> dict[str, str]:
        return {"status": "ok"}

    mount(app, dist)
    return TestClient(app)


def test_without_a_build_the_page_says_how_to_build_it(tmp_path: Path) -> None:
    client = client_for(tmp_path / "dist")
    page = client.get("/")
    assert page.status_code == 503
    assert "make install" in page.text and page.headers["retry-after"]
    assert client.get("/assets/app.js").status_code == 404
    assert client.get("/api/v1/ping").json() == {"status": "ok"}


def test_the_built_app_is_served_with_a_strict_policy(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>riskgraph</title>", encoding="utf-8")
    (dist / "assets" / "app-X1.js").write_text("console.log(1)", encoding="utf-8")
    client = client_for(dist)
    page = client.get("/")
    assert page.status_code == 200 and "<title>riskgraph</title>" in page.text
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "connect-src 'self'" in policy and "frame-ancestors 'none'" in policy
    asset = client.get("/assets/app-X1.js")
    assert asset.status_code == 200 and "javascript" in asset.headers["content-type"]
    assert client.get("/assets/../index.html").status_code == 404
    assert client.get("/api/v1/ping").status_code == 200
