"""The investigator web app: built single-page assets served at ``/``.

``make install`` bundles ``api/webapp/src`` with esbuild into ``api/webapp/dist``
(``build.mjs``); this module only serves that folder. Without a build, ``/``
answers 503 with how to build it, and the API is unaffected.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

DIST = Path(__file__).resolve().parent / "dist"

_INDEX_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_NOT_BUILT = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>riskgraph</title></head>
<body><h1>Web app not built / 网页应用尚未构建</h1>
<p>Run <code>make install</code> (it runs <code>npm ci</code> and builds
<code>api/webapp/dist</code>), then reload. The API is available at
<a href="/api/v1/docs">/api/v1</a>.</p></body></html>
"""


_DOCS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>riskgraph API</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="{assets}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-init.js"></script></body></html>
"""


def mount_docs(app: FastAPI, prefix: str, dist: Path = DIST) -> None:
    """Swagger UI at ``<prefix>/docs`` from the built assets, under the same strict
    Content-Security-Policy as the web app (nothing from a CDN, no inline script)."""
    assets = f"{prefix}/docs-assets"

    @app.get(f"{prefix}/docs", include_in_schema=False)
    def docs() -> Response:
        if not (dist / "swagger" / "swagger-ui-bundle.js").is_file():
            return HTMLResponse(_NOT_BUILT, status_code=503, headers={"Retry-After": "60"})
        return HTMLResponse(_DOCS.format(assets=assets), headers=_INDEX_HEADERS)

    app.mount(assets, _Assets(directory=dist / "swagger", check_dir=False), name="api-docs")


def mount(app: FastAPI, dist: Path = DIST) -> None:
    """Serve ``dist/index.html`` at ``/`` and ``dist/assets`` at ``/assets``.

    Mount after the API routers so that ``/api/v1`` and the health routes win.
    Files are looked up per request, so a build made while the server runs is
    picked up without a restart.
    """

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        page = dist / "index.html"
        if not page.is_file():
            return HTMLResponse(_NOT_BUILT, status_code=503, headers={"Retry-After": "60"})
        return HTMLResponse(page.read_text(encoding="utf-8"), headers=_INDEX_HEADERS)

    app.mount("/assets", _Assets(directory=dist / "assets", check_dir=False), name="webapp-assets")


class _Assets(StaticFiles):
    """Static files that answer 404, not 500, while the folder is not built yet."""

    async def check_config(self) -> None:
        if self.directory is not None and Path(self.directory).is_dir():
            await super().check_config()
