"""The Cypher library: ``.cypher`` files loaded by name.

``load("upsert_enterprises", "neo4j")`` returns ``cypher/neo4j/upsert_enterprises.cypher``
when that dialect override exists, else ``cypher/upsert_enterprises.cypher``.
Overrides exist only where the engines differ (index DDL, shortest paths,
algorithms). Each file opens with a ``//`` title line and a commented
``// :params {...}`` example; queries take parameters only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from riskgraph.errors import CypherNotFound

DIALECTS = ("falkordb", "neo4j")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class CypherQuery:
    """One query file: its name, title, parameter example and text."""

    name: str
    dialect: str | None
    title: str
    params_example: str | None
    text: str

    def statements(self) -> list[str]:
        """The file's statements; only DDL files hold more than one."""
        body = "\n".join(
            line for line in self.text.splitlines() if not line.lstrip().startswith("//")
        )
        return [part.strip() for part in body.split(";") if part.strip()]


@cache
def load(name: str, dialect: str) -> CypherQuery:
    """The query ``name`` for ``dialect``, preferring the dialect's override."""
    if not _NAME.match(name):
        raise CypherNotFound(f"invalid query name {name!r}")
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}")
    root = resources.files(__name__)
    for folder, owner in ((root / dialect, dialect), (root, None)):
        path = folder / f"{name}.cypher"
        if path.is_file():
            return _parse(name, owner, path.read_text(encoding="utf-8"))
    raise CypherNotFound(f"no Cypher file named {name!r}")


def text(name: str, dialect: str) -> str:
    """Shorthand for ``load(name, dialect).text``."""
    return load(name, dialect).text


def names() -> list[str]:
    """Every query name in the library (shared and dialect-specific), sorted."""
    root = resources.files(__name__)
    found: set[str] = set()
    for folder in (root, *(root / dialect for dialect in DIALECTS)):
        if folder.is_dir():
            found.update(
                entry.name.removesuffix(".cypher")
                for entry in folder.iterdir()
                if entry.name.endswith(".cypher")
            )
    return sorted(found)


def _parse(name: str, dialect: str | None, content: str) -> CypherQuery:
    lines = content.splitlines()
    title = lines[0].removeprefix("//").strip() if lines and lines[0].startswith("//") else ""
    if not title:
        raise CypherNotFound(f"{name}.cypher must open with a '// title' comment")
    params = next(
        (
            line.split(":params", 1)[1].strip()
            for line in lines[1:4]
            if line.startswith("//") and ":params" in line
        ),
        None,
    )
    return CypherQuery(name=name, dialect=dialect, title=title, params_example=params, text=content)
