"""The shape of the code: lines per top folder, the largest functions, import cycles.

    python bench/code_shape.py [--root DIR] [--most 10]

Reads every tracked ``.py`` file under the project's top folders (``git ls-files``),
counts lines per folder, measures every function and method (first to last line,
decorators included), and builds the graph of imports between modules (names
under ``riskgraph.`` mapped back to their folders, since ``riskgraph/<folder>`` links
to the top folder) to list its strongly connected components of more than one
module, and the imports that go upward between folders against the order
docs/architecture.md states. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

FOLDERS = ("graph", "ingest", "gnn", "analytics", "api", "riskgraph", "bench", "tests")
LINKED = ("api", "cypher", "gnn", "graph", "ingest", "analytics")

# What each folder may import (docs/architecture.md); riskgraph/ itself holds the
# shared base modules (errors, settings, reference) and the CLI.
MAY_IMPORT: dict[str, set[str]] = {
    "graph": {"base"},
    "ingest": {"base", "graph"},
    "gnn": {"base", "graph", "ingest"},
    "analytics": {"base", "graph", "ingest", "gnn"},
    "api": {"base", "graph", "ingest", "gnn", "analytics"},
    "cli": {"base", "graph", "ingest", "gnn", "analytics", "api"},
}
BASE = {"errors", "settings", "reference", "memory", "cypher", "__init__"}


def tracked(root: Path) -> list[Path]:
    """Tracked and untracked-but-not-ignored ``.py`` files under the top folders."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *FOLDERS],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    paths = (root / line for line in out.splitlines() if line.endswith(".py"))
    return [path for path in paths if path.is_file()]  # not deleted in the work tree


def module_name(root: Path, path: Path) -> str:
    """``graph/store.py`` → ``riskgraph.graph.store``; ``tests/x.py`` → ``tests.x``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if parts[0] in LINKED:
        parts = ["riskgraph", *parts]
    return ".".join(parts)


def layer(module: str) -> str | None:
    """The architectural layer of a product module, or None for bench and tests."""
    parts = module.split(".")
    if parts[0] != "riskgraph" or len(parts) == 1:
        return None
    if parts[1] in MAY_IMPORT and parts[1] != "cli":
        return parts[1]
    return "base" if parts[1] in BASE else "cli"


def imports_of(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Absolute names of the modules a file imports (relative imports resolved)."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def functions(tree: ast.AST, rel: str) -> list[tuple[int, str]]:
    """``(lines, "file:line name")`` for every function and method."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            end = node.end_lineno or node.lineno
            out.append((end - first + 1, f"{rel}:{node.lineno} {node.name}"))
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (scipy's routine)."""
    names = sorted(set(edges) | {m for targets in edges.values() for m in targets})
    index = {name: i for i, name in enumerate(names)}
    rows = [index[a] for a, targets in edges.items() for b in targets]
    cols = [index[b] for targets in edges.values() for b in targets]
    matrix = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(names), len(names)))
    _, labels = connected_components(matrix, directed=True, connection="strong")
    groups = Counter(labels.tolist())
    return sorted(
        sorted(name for name, label in zip(names, labels, strict=True) if label == group)
        for group, size in groups.items()
        if size > 1
    )


def measure(root: Path, most: int) -> dict[str, object]:
    """Every figure the JSON line holds."""
    files = tracked(root)
    lines: Counter[str] = Counter()
    sizes: list[tuple[int, str]] = []
    trees: dict[str, tuple[ast.AST, Path]] = {}
    for path in files:
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        lines[rel.split("/")[0]] += text.count("\n")
        parsed = ast.parse(text)
        sizes.extend(functions(parsed, rel))
        trees[module_name(root, path)] = (parsed, path)
    modules = set(trees)
    edges: dict[str, set[str]] = {}
    upward: list[str] = []
    for module, (tree, path) in trees.items():
        targets = {
            name
            for name in imports_of(tree, module, path.name == "__init__.py")
            if name in modules and name != module
        }
        edges[module] = targets
        source_layer = layer(module)
        for target in sorted(targets):
            target_layer = layer(target)
            if source_layer is None or target_layer is None or target_layer == source_layer:
                continue
            if target_layer not in MAY_IMPORT.get(source_layer, {"base"}):
                upward.append(f"{module} -> {target}")
    product = {m: t for m, t in edges.items() if layer(m) is not None}
    sizes.sort(reverse=True)
    return {
        "lines_per_folder": dict(sorted(lines.items())),
        "python_lines": sum(lines.values()),
        "largest_functions": [f"{n} lines {where}" for n, where in sizes[:most]],
        "functions_over_60_lines": sum(1 for n, _ in sizes if n > 60),
        "import_cycles": cycles(product),
        "upward_imports": upward,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--most", type=int, default=10)
    args = parser.parse_args()
    print(json.dumps(measure(args.root.resolve(), args.most), ensure_ascii=False))


if __name__ == "__main__":
    main()
