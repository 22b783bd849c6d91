"""Every ``RISKGRAPH_*`` variable the docs name is one riskgraph reads: a Settings field,
``<SECTION>__<FIELD>`` of a nested section (two underscores; a name with one, such as
``RISKGRAPH_API_PORT``, is silently ignored by pydantic-settings), or the pseudonym key
that api/privacy.py reads itself."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from riskgraph.api.privacy import PSEUDONYM_KEY_ENV
from riskgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"RISKGRAPH_[A-Z0-9_]*[A-Z0-9_]")
# Read from the environment directly, not through Settings (api/privacy.py).
OTHERS = {PSEUDONYM_KEY_ENV}


def known_names() -> set[str]:
    names = set()
    for field, info in Settings.model_fields.items():
        names.add(f"RISKGRAPH_{field.upper()}")
        kind = info.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            names.add(f"RISKGRAPH_{field.upper()}__")  # the section's prefix, as docs write it
            names.update(f"RISKGRAPH_{field.upper()}__{sub.upper()}" for sub in kind.model_fields)
    return names | OTHERS


def test_docs_name_only_variables_settings_reads() -> None:
    known = known_names()
    assert "RISKGRAPH_API__PORT" in known and "RISKGRAPH_API_PORT" not in known
    wrong = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
        for name in NAME.findall(path.read_text(encoding="utf-8"))
        if name not in known
    }
    assert wrong == set()
