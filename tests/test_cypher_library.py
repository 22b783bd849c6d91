"""The Cypher library: loader rules, and Neo4j's own linter over every file."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest

from riskgraph import cypher
from riskgraph.errors import CypherNotFound

CYPHER_DIR = Path(str(resources.files("riskgraph.cypher"))).resolve()
LINTER = CYPHER_DIR / "lint.mjs"


def neo4j_files() -> list[Path]:
    """Every file Neo4j would run: shared files and the neo4j overrides."""
    return sorted([*CYPHER_DIR.glob("*.cypher"), *(CYPHER_DIR / "neo4j").glob("*.cypher")])


def lint(*paths: Path) -> tuple[int, dict[str, object]]:
    node = shutil.which("node")
    assert node, "node is required for the Cypher lint (make test installs it)"
    assert (CYPHER_DIR.parent / "node_modules" / "@neo4j-cypher").is_dir(), (
        "npm packages missing: run `make test` (it runs npm ci)"
    )
    result = subprocess.run(
        [node, str(LINTER), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=CYPHER_DIR.parent,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_every_query_passes_neo4j_parser_and_semantic_analysis() -> None:
    files = neo4j_files()
    assert len(files) >= 3
    code, report = lint(*files)
    errors = [
        f"{entry['file']}:{d['line']}:{d['column']}: {d['message']}"
        for entry in report["files"]  # type: ignore[attr-defined]
        for d in entry["diagnostics"]
        if d["severity"] == "error"
    ]
    assert errors == [] and code == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("MATCH (n) RETURN m", "not defined"),
        ("RETURN 1 +", "Invalid input"),
        ("CALL algo.SPpaths({sourceNode: 1})", "not present"),
        ("MATCH (n) RETURN n; MATCH (m) RETURN m", "exactly one statement"),
    ],
)
def test_linter_catches_what_neo4j_would_refuse(tmp_path: Path, query: str, expected: str) -> None:
    path = tmp_path / "bad.cypher"
    path.write_text(f"// A broken query\n// :params {{}}\n{query}\n", encoding="utf-8")
    code, report = lint(path)
    messages = [d["message"] for d in report["files"][0]["diagnostics"]]  # type: ignore[index]
    assert code == 1
    assert any(expected in message for message in messages), messages


def test_every_file_has_a_title_and_a_params_example() -> None:
    for dialect in cypher.DIALECTS:
        for name in cypher.names():
            query = cypher.load(name, dialect) if _exists(name, dialect) else None
            if query is None:
                continue
            assert query.title, name
            assert query.params_example is not None, f"{name} lacks a '// :params' line"
            json_like = query.params_example
            assert json_like.startswith("{") and json_like.endswith("}"), name


def test_dialect_override_wins_over_the_shared_file() -> None:
    falkordb = cypher.load("schema", "falkordb")
    neo4j = cypher.load("schema", "neo4j")
    assert falkordb.dialect == "falkordb" and neo4j.dialect == "neo4j"
    assert "IF NOT EXISTS" in neo4j.text and "IF NOT EXISTS" not in falkordb.text
    assert len(neo4j.statements()) >= 4
    shared = cypher.load("node_counts", "neo4j")
    assert shared.dialect is None
    assert cypher.load("node_counts", "neo4j") is shared  # cached


def test_unknown_or_malformed_names_are_refused() -> None:
    with pytest.raises(CypherNotFound):
        cypher.load("no_such_query", "falkordb")
    with pytest.raises(CypherNotFound):
        cypher.load("../etc/passwd", "falkordb")


def test_falkordb_overrides_exist_only_where_neo4j_has_one_or_a_shared_file() -> None:
    """A FalkorDB file overrides a shared or Neo4j one, unless it says it is FalkorDB-only:
    then only FalkorDB-only code reads it, and the file says why."""
    shared = {p.stem for p in CYPHER_DIR.glob("*.cypher")}
    for override in (CYPHER_DIR / "falkordb").glob("*.cypher"):
        twin = CYPHER_DIR / "neo4j" / override.name
        if twin.exists() or override.stem in shared:
            continue
        header = override.read_text(encoding="utf-8").split("\n")[:4]
        assert any(line.startswith("// FalkorDB only: ") for line in header), override.name


#: Modules that read FalkorDB-only files, each after checking the store's dialect.
FALKORDB_ONLY_READERS = {"falkordb_export.py", "score.py", "search_index.py"}


def test_falkordb_only_files_are_read_only_by_falkordb_code() -> None:
    shared = {p.stem for p in CYPHER_DIR.glob("*.cypher")}
    neo4j = {p.stem for p in (CYPHER_DIR / "neo4j").glob("*.cypher")}
    only = {p.stem for p in (CYPHER_DIR / "falkordb").glob("*.cypher")} - shared - neo4j
    assert only, "no FalkorDB-only files: drop this test and the rule above"
    root = CYPHER_DIR.resolve().parent
    sources = [
        p
        for d in ("api", "gnn", "graph", "ingest", "riskgraph", "bench")
        for p in (root / d).rglob("*.py")
    ]
    assert {p.name for p in sources} >= FALKORDB_ONLY_READERS
    for source in sources:
        if source.name in FALKORDB_ONLY_READERS:
            continue
        text = source.read_text(encoding="utf-8")
        for name in only:
            assert name not in text, f"{source} reads FalkorDB-only {name}"


def _exists(name: str, dialect: str) -> bool:
    try:
        cypher.load(name, dialect)
    except CypherNotFound:
        return False
    return True
