"""`riskgraph url` (what the `make demo` banner prints) follows the settings: the
environment's RISKGRAPH_API__HOST and __PORT, or a .env file, not a fixed 8000."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def url(cwd: Path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RISKGRAPH_API__")}
    done = subprocess.run(
        [sys.executable, "-m", "riskgraph", "url"],
        cwd=cwd, env={**clean, **env}, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return done.stdout.strip()


def test_url_follows_the_environment_and_dot_env(tmp_path: Path) -> None:
    assert url(tmp_path) == "http://127.0.0.1:8000"
    assert url(tmp_path, RISKGRAPH_API__PORT="8123") == "http://127.0.0.1:8123"
    assert url(tmp_path, RISKGRAPH_API__HOST="::1", RISKGRAPH_API__PORT="9") == "http://[::1]:9"
    (tmp_path / ".env").write_text("RISKGRAPH_API__PORT=8765\n", encoding="utf-8")
    assert url(tmp_path) == "http://127.0.0.1:8765"


def test_the_demo_banner_asks_riskgraph_for_the_address() -> None:
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text(encoding="utf-8")
    banner = makefile[makefile.index("demo: install") :]
    banner = banner[: banner.index("\n\n")]
    assert "url=$$($(BIN)/riskgraph url)" in banner
    assert "8000" not in banner and "$$url/api/v1" in banner
