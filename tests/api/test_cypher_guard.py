"""The ad-hoc Cypher guard works on structure, not spellings: nesting, backquoted
names, numbers in every notation, growing values and LIMIT (no database needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskgraph.api.errors import CypherLimitExceeded, CypherMalformed, CypherRefused
from riskgraph.api.readonly import CypherPolicy, check_query, integer_literal

POLICY = CypherPolicy.of(["db.labels"], row_cap=100, max_nesting=12)

# Each wraps an expression in one more level, the ways the issue found to double
# FalkorDB's parse time.
WRAPPERS = [
    lambda e: f"({e})",
    lambda e: f"[{e}]",
    lambda e: f"{{k: {e}}}",
    lambda e: f"NOT {e}",
    lambda e: f"-{e}",
    lambda e: f"CASE WHEN true THEN {e} END",
    lambda e: f"abs({e})",
]


def nested(levels: list[int]) -> str:
    expression = "1"
    for kind in levels:
        expression = WRAPPERS[kind](expression)
    return f"RETURN {expression} AS v"


@settings(max_examples=300, deadline=None)
@given(levels=st.lists(st.integers(0, len(WRAPPERS) - 1), min_size=13, max_size=60))
def test_deep_nesting_never_passes(levels: list[int]) -> None:
    with pytest.raises((CypherLimitExceeded, CypherMalformed)):
        check_query(nested(levels), POLICY)


@settings(max_examples=200, deadline=None)
@given(levels=st.lists(st.integers(0, len(WRAPPERS) - 1), max_size=11))
def test_moderate_nesting_passes(levels: list[int]) -> None:
    assert check_query(nested(levels), POLICY).text.startswith("RETURN")


def test_the_issues_nesting_inputs_are_refused() -> None:
    for query in [
        "RETURN " + "(" * 40 + "1" + ")" * 40 + " AS v",
        "RETURN " + "{a: " * 40 + "1" + "}" * 40 + " AS m",
        "RETURN " + "NOT " * 40 + "true AS v",
        "RETURN " + "- " * 40 + "1 AS v",
    ]:
        with pytest.raises(CypherLimitExceeded, match="nests deeper"):
            check_query(query, POLICY)


def backquoted(name: str, split_at: int) -> str:
    """``name`` in backquotes, whole or as ``a``.``b``."""
    parts = name.split(".")
    if split_at and len(parts) > 1:
        return ".".join(f"`{part}`" for part in parts)
    return f"`{name}`"


@settings(max_examples=100, deadline=None)
@given(
    name=st.sampled_from(["string.join", "apoc.text.join", "db.idx.fulltext.queryNodes"]),
    split_at=st.integers(0, 1),
)
def test_backquoted_functions_meet_the_allow_list(name: str, split_at: int) -> None:
    with pytest.raises(CypherRefused, match="not allowed"):
        check_query(f"RETURN {backquoted(name, split_at)}('a', 'b') AS v", POLICY)


def test_backquoted_range_is_sized_and_reduce_is_refused() -> None:
    with pytest.raises(CypherLimitExceeded, match="range"):
        check_query("RETURN size(`range`(1, 50000000)) AS n", POLICY)
    with pytest.raises(CypherLimitExceeded, match="range"):
        check_query("RETURN size(`RANGE`(1, 1000000000)) AS n", POLICY)
    for query in [
        "RETURN size(reduce(s = 'x', i IN range(1, 40) | s + s)) AS n",
        "RETURN size(`reduce`(s = 'x', i IN range(1, 40) | s + s)) AS n",
    ]:
        with pytest.raises(CypherLimitExceeded, match="reduce"):
            check_query(query, POLICY)


@pytest.mark.parametrize("bound", ["0xFF", "0o777", "1_000", "0XfF", "255"])
def test_hop_bounds_are_read_in_every_notation(bound: str) -> None:
    with pytest.raises(CypherLimitExceeded, match="upper bound"):
        check_query(f"MATCH (a)-[*1..{bound}]->(b) RETURN a", POLICY)
    check_query("MATCH (a)-[*1..0x8]->(b) RETURN a", POLICY)


@pytest.mark.parametrize(
    ("text", "value"), [("0xFF", 255), ("0o17", 15), ("1_000", 1000), ("42", 42)]
)
def test_integer_literals(text: str, value: int) -> None:
    assert integer_literal(text) == value


def test_too_many_tokens_are_refused() -> None:
    query = "RETURN " + " + ".join(["1"] * 3000) + " AS v"
    with pytest.raises(CypherLimitExceeded, match="tokens"):
        check_query(query, POLICY)


def test_the_neo4j_parser_refuses_what_neo4j_would_and_says_where() -> None:
    from riskgraph.api.cypher_check import Neo4jParser

    parser = Neo4jParser(timeout_s=30)
    try:
        parser.check("MATCH (e:Enterprise) RETURN e.uscc LIMIT 5")
        with pytest.raises(CypherMalformed, match=r"line 1, column \d+: .*aggregat"):
            parser.check("MATCH (n) RETURN [x IN [1, 2, 3, 4, 5] | count(*)]")
    finally:
        parser.close()


def test_a_checker_that_cannot_run_says_so(tmp_path: Path) -> None:
    from riskgraph.api.cypher_check import Neo4jParser
    from riskgraph.api.errors import CypherCheckUnavailable

    broken = tmp_path / "node"
    broken.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    parser = Neo4jParser(node=str(broken), start_timeout_s=10)
    with pytest.raises(CypherCheckUnavailable, match="exited"):
        parser.check("RETURN 1")
