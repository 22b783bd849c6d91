"""Fixtures for loader tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import smesd_folder


@pytest.fixture
def small_smesd(tmp_path: Path) -> Path:
    return smesd_folder(tmp_path / "in", companies=300, persons=120)
