"""PDF from the report's HTML with headless Chromium (``--print-to-pdf``).

The HTML is written to a private temporary folder and printed from a ``file://`` URL, so
Chromium needs no network and no key. At most two prints run at once; each has a time
limit and its own throw-away profile.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from riskgraph.errors import Timeout, Unavailable

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_slots = threading.BoundedSemaphore(2)


class PdfUnavailable(Unavailable):
    """No Chromium to print the report with (set ``RISKGRAPH_API__CHROMIUM``)."""


class PdfFailed(Unavailable):
    """Chromium ran but made no PDF."""


def find_chromium(configured: Path | None) -> Path:
    """The configured browser, else the first of CANDIDATES on the PATH."""
    if configured is not None:
        if configured.is_file():
            return configured
        raise PdfUnavailable(
            f"PDF reports need Chromium: {configured} (RISKGRAPH_API__CHROMIUM) does not exist; "
            "install it (apt-get install chromium) or use the HTML report"
        )
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise PdfUnavailable(
        "PDF reports need Chromium and none was found (apt-get install chromium, or set "
        "RISKGRAPH_API__CHROMIUM); the HTML report works without it"
    )


def html_to_pdf(html: str, chromium: Path, *, timeout_s: float = 60.0) -> bytes:
    """Print ``html`` to PDF bytes with ``chromium``."""
    with _slots, tempfile.TemporaryDirectory(prefix="riskgraph-report-") as folder:
        work = Path(folder)
        page, out = work / "report.html", work / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            str(chromium),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={work / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, timeout=timeout_s, check=False, cwd=work
            )
        except subprocess.TimeoutExpired as exc:
            raise Timeout(f"Chromium took longer than {timeout_s:.0f} s to print") from exc
        except OSError as exc:
            raise PdfUnavailable(f"cannot start Chromium ({chromium}): {exc}") from exc
        if not out.is_file() or out.stat().st_size == 0:
            tail = done.stderr.decode("utf-8", "replace")[-500:]
            raise PdfFailed(f"Chromium made no PDF (exit {done.returncode}): {tail}")
        return out.read_bytes()
