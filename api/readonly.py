"""The guard in front of ad-hoc Cypher (``POST /api/v1/cypher``).

Layers, each enough on its own against a different attack:

1. The engine's read path: ``GRAPH.RO_QUERY`` on FalkorDB, READ access mode on
   Neo4j plus an ``EXPLAIN`` query-type check (anything but ``r`` is refused).
2. A lexer that sees what the server will see: comments are removed (the text
   sent is the text checked), strings and quoted names are kept whole, and
   outside them only ASCII is allowed, so full-width letters, homoglyph
   keywords and zero-width characters cannot smuggle a keyword past the check.
   Invisible and control characters are refused anywhere in the query.
3. Clause keywords that write, load or administer (``CREATE``, ``LOAD CSV``,
   ``SHOW``, ``USE``, ``IN TRANSACTIONS``…) are refused, as is a second statement;
   ``CALL`` may name only allow-listed procedures; namespaced functions only
   from a few harmless namespaces (``date.``, ``duration.``, ``point.``…).
4. Structure, not spelling: nesting (brackets, maps, ``CASE``, ``NOT``, unary
   minus; parse time doubles with every level on FalkorDB, before any timeout)
   and the token count are capped; backquoted names are resolved before the
   allow-lists (`` `range` ``, `` `string.join` ``); integers are read in every
   notation (``0xFF``, ``0o17``, ``1_000``).
5. Bounds: a server-side timeout; the row cap pushed into the query (``LIMIT
   cap+1`` appended when the final ``RETURN`` has none; a LIMIT of the query's
   own must be a literal or parameter within the cap; each part of a UNION needs
   one), and the result's size checked before it is sent. FalkorDB checks its
   timeout between records, not inside one expression, so what can make one
   expression huge is bounded before the query runs: variable-length
   relationships need an upper bound (``max_hops``), ``range()`` a size known
   from the query (``max_range``, all calls multiplied), and ``reduce()``, which
   can double a value forty times, is refused.

The API then has Neo4j's own parser check the text (``api/cypher_check.py``),
and the engines' per-query memory caps and timeouts are the last wall.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from riskgraph.api.errors import CypherLimitExceeded, CypherMalformed, CypherRefused
from riskgraph.errors import ReadOnlyViolation

if TYPE_CHECKING:
    from riskgraph.graph.store import GraphStore

FORBIDDEN_KEYWORDS = frozenset(
    {
        "CREATE",
        "MERGE",
        "SET",
        "DELETE",
        "DETACH",
        "REMOVE",
        "DROP",
        "FOREACH",
        "INSERT",
        "LOAD",
        "ALTER",
        "RENAME",
        "GRANT",
        "DENY",
        "REVOKE",
        "START",
        "STOP",
        "TERMINATE",
        "ENABLE",
        "DISABLE",
        "SUSPEND",
        "DEALLOCATE",
        "REALLOCATE",
        "IMPERSONATE",
        "USE",
        "SHOW",
        "TRANSACTIONS",
        "PERIODIC",
        "COMMIT",
        "CYPHER",
        "EXPLAIN",
        "PROFILE",
    }
)
"""Words that start writing, loading or administrative clauses, or change how a
query runs. As property keys (``n.set``) and labels (``:Set``) they are fine."""

FUNCTION_NAMESPACES = frozenset(
    {"date", "datetime", "localdatetime", "localtime", "time", "duration", "point"}
)
"""Namespaces whose functions compute one value from their arguments (no ``apoc.``,
``db.``, ``dbms.``, nor list or string builders)."""

_PUNCTUATION = frozenset("()[]{}<>=+-*/%^.,:;|!?&~")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A decimal point needs a digit after it, so that "1..0xFF" reads as 1, "..", 0xFF.
_DIGITS = re.compile(r"\d+")
_NUMBER = re.compile(
    r"0[xX][0-9A-Fa-f_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.\d[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?"
)
_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
_MAX_PARAM_DEPTH = 8
_GROWING_FUNCTIONS = frozenset({"reduce"})
"""Functions that can grow a value exponentially inside one expression (``s + s``
forty times), where no timeout or memory check applies."""
_RESERVED_PARAMS = frozenset({"timeout_s"})  # keyword arguments of GraphStore.read


@dataclass(frozen=True)
class Token:
    kind: str  # ident, qident, string, number, param, punct
    text: str
    depth: int
    start: int = 0
    """Where the token starts in the query (0-based), for error positions."""


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the guard: the text to send and what was found."""

    text: str
    procedures: tuple[str, ...]
    limit_added: bool


@dataclass(frozen=True)
class CypherPolicy:
    """What ad-hoc queries may do."""

    procedures: frozenset[str]
    row_cap: int = 10_000
    max_chars: int = 20_000
    max_hops: int = 8
    max_range: int = 1_000_000
    max_nesting: int = 12
    """Deepest nesting of brackets, maps, CASE and prefix operators (NOT, unary minus):
    parse time doubles with every level on FalkorDB, before any timeout applies."""
    max_tokens: int = 4_000

    @classmethod
    def of(
        cls,
        procedures: Iterable[str],
        row_cap: int = 10_000,
        max_chars: int = 20_000,
        max_hops: int = 8,
        max_range: int = 1_000_000,
        max_nesting: int = 12,
    ) -> CypherPolicy:
        return cls(
            frozenset(p.lower() for p in procedures),
            row_cap,
            max_chars,
            max_hops,
            max_range,
            max_nesting,
        )


def check_query(
    query: str, policy: CypherPolicy, params: dict[str, Any] | None = None
) -> CheckedQuery:
    """Refuse anything but one read-only statement; return the text to run."""
    if len(query) > policy.max_chars:
        raise CypherMalformed(f"the query is longer than {policy.max_chars} characters")
    for index, char in enumerate(query):
        if char not in "\t\n\r" and unicodedata.category(char) in _BAD_CATEGORIES:
            raise CypherMalformed(
                f"the query contains the invisible or control character U+{ord(char):04X}",
                **position(query, index),
            )
    tokens, text = _lex(query)
    while tokens and tokens[-1].text == ";":
        tokens.pop()
        text = text[: text.rstrip().rfind(";")]
    if not tokens:
        raise CypherMalformed("the query is empty")
    if any(t.kind == "punct" and t.text == ";" for t in tokens):
        raise CypherMalformed("only one statement is allowed per request")
    if len(tokens) > policy.max_tokens:
        raise CypherLimitExceeded(f"the query has more than {policy.max_tokens:,} tokens")
    _check_nesting(tokens, policy.max_nesting)
    _check_keywords(tokens, query)
    procedures = _check_calls(tokens, policy)
    _check_hops(tokens, policy.max_hops)
    _check_ranges(tokens, policy.max_range, params or {})
    # Only trailing space goes: what runs keeps every offset of the query as given,
    # so the positions in the parser's and the engines' errors are the query's own.
    text, limit_added = _cap_rows(tokens, text.rstrip(), policy.row_cap, params or {})
    return CheckedQuery(text=text, procedures=procedures, limit_added=limit_added)


def _check_nesting(tokens: list[Token], limit: int) -> None:
    """Refuse nesting deeper than ``limit``: brackets, ``CASE … END`` and prefix
    operators (``NOT``, unary ``-``/``+``) all count, the operators in front of a
    bracket or a CASE for everything inside it too."""
    prefix_run = 0
    # per open bracket or CASE: its kind and the levels it adds beyond bracket depth
    opened: list[tuple[str, int]] = [("", 0)]
    previous: Token | None = None
    for index, token in enumerate(tokens):
        word = token.text.upper() if token.kind == "ident" else None
        following = tokens[index + 1].text if index + 1 < len(tokens) else ""
        if word == "NOT" or (token.text in "-+" and token.kind == "punct" and _opens(previous)):
            prefix_run += 1
        elif word == "CASE":
            opened.append(("CASE", opened[-1][1] + prefix_run + 1))
            prefix_run = 0
        elif token.kind == "punct" and token.text in "([{":
            opened.append(("(", opened[-1][1] + prefix_run))
            prefix_run = 0
        elif token.kind in ("ident", "qident") and following == "(":
            pass  # a function's name: the operators in front apply to its call
        else:
            closes = "CASE" if word == "END" else "(" if token.text in ")]}" else None
            if closes and len(opened) > 1 and opened[-1][0] == closes:
                opened.pop()
            prefix_run = 0
        if token.depth + opened[-1][1] + prefix_run > limit:
            raise CypherLimitExceeded(
                f"the query nests deeper than {limit} levels (brackets, maps, CASE, NOT "
                "and unary minus count)"
            )
        previous = token


def _opens(token: Token | None) -> bool:
    """True when an operator after ``token`` is a prefix one (nothing to its left)."""
    if token is None:
        return True
    if token.kind == "punct":
        return token.text not in ")]}"
    return token.kind == "ident" and token.text.upper() in _OPERATOR_WORDS


_OPERATOR_WORDS = frozenset(
    {
        "RETURN",
        "WITH",
        "WHERE",
        "AND",
        "OR",
        "XOR",
        "NOT",
        "IN",
        "WHEN",
        "THEN",
        "ELSE",
        "CASE",
        "UNWIND",
        "AS",
        "ORDER",
        "BY",
        "SKIP",
        "LIMIT",
        "IS",
        "STARTS",
        "ENDS",
        "CONTAINS",
    }
)


def check_params(params: dict[str, Any]) -> None:
    """Parameter names must be plain identifiers (FalkorDB sends them in a header)."""
    for name, value in params.items():
        if not _PARAM_NAME.match(name) or name in _RESERVED_PARAMS:
            raise CypherMalformed(f"invalid or reserved parameter name {name!r}")
        _check_depth(value, 1)


def _check_depth(value: Any, depth: int) -> None:
    if depth > _MAX_PARAM_DEPTH:
        raise CypherMalformed(f"parameters nest deeper than {_MAX_PARAM_DEPTH} levels")
    if isinstance(value, dict):
        for item in value.values():
            _check_depth(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_depth(item, depth + 1)


def position(query: str, offset: int) -> dict[str, int]:
    """The 1-based ``line`` and ``column`` of ``offset`` in ``query``."""
    line_start = query.rfind("\n", 0, offset) + 1
    return {"line": query.count("\n", 0, offset) + 1, "column": offset - line_start + 1}


def _lex(query: str) -> tuple[list[Token], str]:
    """Tokens, and the query with every comment blanked (same length, same lines)."""
    tokens: list[Token] = []
    out: list[str] = []
    depth = 0
    i = 0
    while i < len(query):
        skipped = _skip(query, i)
        if skipped is not None:
            i, text = skipped
            out.append(text)
            continue
        kind, text, end = _token(query, i)
        if kind == "punct" and text in ")]}":
            depth -= 1
            if depth < 0:
                raise CypherMalformed(f"unbalanced {text!r}", **position(query, i))
        tokens.append(Token(kind, text, depth, i))
        if kind == "punct" and text in "([{":
            depth += 1
        out.append(query[i:end])
        i = end
    if depth != 0:
        raise CypherMalformed("unbalanced brackets", **position(query, len(query)))
    return tokens, "".join(out)


def _skip(query: str, i: int) -> tuple[int, str] | None:
    """Whitespace or a comment at ``i``: where it ends and what stands for it."""
    char = query[i]
    if char in " \t\n\r":
        return i + 1, char
    if query.startswith("//", i):
        # Ending a line comment at \r as well as \n is the cautious choice: if
        # the server reads further, it still only sees what was checked.
        ends = (query.find("\n", i), query.find("\r", i))
        end = min((p for p in ends if p >= 0), default=len(query))
        return end, " " * (end - i)
    if query.startswith("/*", i):
        end = query.find("*/", i + 2)
        if end < 0:
            raise CypherMalformed("unterminated /* comment", **position(query, i))
        return end + 2, _blank(query[i : end + 2])
    return None


def _blank(comment: str) -> str:
    """A block comment as spaces, its line breaks kept."""
    return "".join(c if c in "\n\r" else " " for c in comment)


def _token(query: str, i: int) -> tuple[str, str, int]:
    """The token at ``i``: its kind, its text (a quoted name unquoted) and its end."""
    char = query[i]
    if char in "'\"":
        end = _string_end(query, i)
        return "string", query[i:end], end
    if char == "`":
        end = _quoted_end(query, i)
        return "qident", query[i + 1 : end - 1].replace("``", "`"), end
    if char == "$":
        match = _IDENT.match(query, i + 1) or _DIGITS.match(query, i + 1)
        if match is None:
            raise CypherMalformed("a parameter must be $name", **position(query, i))
        return "param", match.group(), match.end()
    if query.startswith("..", i):  # a range, as in *1..3; never part of a number
        return "punct", "..", i + 2
    for kind, pattern in (("ident", _IDENT), ("number", _NUMBER)):
        if (match := pattern.match(query, i)) is not None:
            return kind, match.group(), match.end()
    if char in _PUNCTUATION:
        return "punct", char, i + 1
    raise CypherMalformed(
        f"unexpected character {char!r} (U+{ord(char):04X}) outside a string; "
        "names with other characters need `backquotes`, values belong in params",
        **position(query, i),
    )


def _string_end(query: str, start: int) -> int:
    quote = query[start]
    i = start + 1
    while i < len(query):
        if query[i] == "\\":
            i += 2
        elif query[i] == quote:
            return i + 1
        else:
            i += 1
    raise CypherMalformed("unterminated string literal", **position(query, start))


def _quoted_end(query: str, start: int) -> int:
    i = start + 1
    while i < len(query):
        if query[i] == "`":
            if query.startswith("``", i):
                i += 2
                continue
            return i + 1
        i += 1
    raise CypherMalformed("unterminated `quoted name`", **position(query, start))


def _check_keywords(tokens: list[Token], query: str) -> None:
    for index, token in enumerate(tokens):
        if token.kind != "ident" or token.text.upper() not in FORBIDDEN_KEYWORDS:
            continue
        before = tokens[index - 1] if index else None
        if before is not None and before.kind == "punct" and before.text in ".:":
            continue  # a property key or a label, not a clause
        raise CypherRefused(
            f"{token.text.upper()} is not allowed in read-only queries",
            **position(query, token.start),
        )


def _dotted_name(tokens: list[Token], start: int) -> tuple[list[str], int]:
    """The parts of ``a.b.c`` starting at ``start``, and the index after it."""
    parts: list[str] = []
    i = start
    while i < len(tokens) and tokens[i].kind in ("ident", "qident"):
        # `string.join` in backquotes names the same function as string.join
        parts.extend(tokens[i].text.split(".") if tokens[i].kind == "qident" else [tokens[i].text])
        if i + 2 < len(tokens) and tokens[i + 1].text == "." and tokens[i + 1].kind == "punct":
            i += 2
            continue
        i += 1
        break
    return parts, i


def _check_calls(tokens: list[Token], policy: CypherPolicy) -> tuple[str, ...]:
    procedures: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind == "ident" and token.text.upper() == "CALL":
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if following is not None and following.text in ("{", "("):
                index += 1
                continue  # a subquery; its clauses are checked like any other
            parts, after = _dotted_name(tokens, index + 1)
            name = ".".join(parts)
            if not parts or name.lower() not in policy.procedures:
                allowed = ", ".join(sorted(policy.procedures)) or "none"
                raise CypherRefused(
                    f"procedure {name or '?'!r} is not allowed (allowed: {allowed})"
                )
            procedures.append(name)
            index = after
            continue
        if token.kind in ("ident", "qident"):
            parts, after = _dotted_name(tokens, index)
            is_call = after < len(tokens) and tokens[after].text == "("
            if len(parts) > 1 and is_call:
                # A property access is never followed by "(": this is a function.
                namespace = ".".join(parts[:-1]).lower()
                if namespace not in FUNCTION_NAMESPACES:
                    raise CypherRefused(f"function {'.'.join(parts)!r} is not allowed")
            if len(parts) == 1 and is_call and parts[0].lower() in _GROWING_FUNCTIONS:
                raise CypherLimitExceeded(
                    f"{parts[0]}() is not allowed in ad-hoc queries: it can grow a value "
                    "exponentially inside one expression"
                )
            index = max(after, index + 1)
            continue
        index += 1
    return tuple(procedures)


def _check_hops(tokens: list[Token], max_hops: int) -> None:
    """Variable-length relationships need an upper bound of at most ``max_hops``."""
    for index, token in enumerate(tokens):
        if token.text != "[" or index == 0 or tokens[index - 1].text not in ("-", "<"):
            continue  # not a relationship pattern
        inside = token.depth + 1
        for position in range(index + 1, len(tokens)):
            current = tokens[position]
            if current.depth == token.depth and current.text == "]":
                break
            if current.depth == inside and current.kind == "punct" and current.text == "*":
                _check_length(tokens[position + 1 :], inside, max_hops)


def _check_length(following: list[Token], depth: int, max_hops: int) -> None:
    """Read ``2``, ``1..3``, ``..4``, ``2..`` or nothing after a ``*``."""
    spec = []
    for token in following:
        if token.depth != depth or token.kind not in ("number", "punct") or token.text in "]{":
            break
        spec.append(token.text)
    match = re.fullmatch(r"([0-9A-Za-z_]*)(\.\.([0-9A-Za-z_]*))?", "".join(spec))
    if match is None:
        raise CypherMalformed("cannot read the length of a variable-length relationship")
    upper = match.group(3) if match.group(2) else match.group(1)
    if not upper or integer_literal(upper) > max_hops:
        raise CypherLimitExceeded(
            f"variable-length relationships need an upper bound of at most {max_hops} "
            "hops, e.g. [:INVESTS_IN*1..4]"
        )


def _check_ranges(tokens: list[Token], max_range: int, params: dict[str, Any]) -> None:
    """``range()`` builds its whole list inside one expression, where FalkorDB checks
    neither the timeout nor the memory cap, so its size must be known from the query:
    bounds are integer literals or integer parameters, and the sizes of all calls
    multiplied (they may nest) stay within ``max_range``."""
    total = 1
    for index, token in enumerate(tokens):
        if token.kind not in ("ident", "qident") or token.text.lower() != "range":
            continue
        if index and tokens[index - 1].text == ".":
            continue
        if index + 1 >= len(tokens) or tokens[index + 1].text != "(":
            continue
        values: list[int] = []
        current: list[Token] = []
        depth = tokens[index + 1].depth
        for arg in tokens[index + 2 :]:
            if arg.depth == depth and arg.text == ")":
                break
            if arg.depth == depth + 1 and arg.text == ",":
                values.append(_range_bound(current, params))
                current = []
            else:
                current.append(arg)
        values.append(_range_bound(current, params))
        if len(values) not in (2, 3):
            raise CypherMalformed("range() takes 2 or 3 arguments")
        start, end = values[0], values[1]
        step = values[2] if len(values) == 3 else 1
        if step == 0:
            raise CypherRefused("range() needs a step other than 0")
        total *= max(0, (end - start) // step + 1)
        if total > max_range:
            raise CypherLimitExceeded(
                f"range() calls may make at most {max_range:,} values together"
            )


def _range_bound(parts: list[Token], params: dict[str, Any]) -> int:
    sign = 1
    if len(parts) == 2 and parts[0].text == "-":
        sign, parts = -1, parts[1:]
    if len(parts) == 1 and parts[0].kind == "number" and _is_integer(parts[0].text):
        return sign * integer_literal(parts[0].text)
    if len(parts) == 1 and parts[0].kind == "param":
        value = params.get(parts[0].text)
        if isinstance(value, int) and not isinstance(value, bool):
            return sign * value
    raise CypherRefused(
        "range() bounds must be integer literals or integer parameters "
        "(its size is checked before the query runs)"
    )


def integer_literal(text: str) -> int:
    """An integer literal as Cypher reads it: decimal, ``0x`` hex or ``0o`` octal,
    underscores allowed; CypherMalformed for anything else."""
    lowered = text.lower().replace("_", "")
    try:
        if lowered.startswith("0x"):
            return int(lowered[2:], 16)
        if lowered.startswith("0o"):
            return int(lowered[2:], 8)
        return int(lowered, 10)
    except ValueError:
        raise CypherMalformed(f"{text!r} is not an integer") from None


def _is_integer(text: str) -> bool:
    try:
        integer_literal(text)
    except CypherMalformed:
        return False
    return True


def _cap_rows(tokens: list[Token], text: str, cap: int, params: dict[str, Any]) -> tuple[str, bool]:
    """Push the row cap into the query: ``LIMIT cap+1`` is appended when the final
    RETURN has none; a LIMIT of its own must be a literal or parameter of at most
    ``cap``, and each part of a UNION needs one."""
    top = [t for t in tokens if t.depth == 0]
    returns = [i for i, t in enumerate(top) if t.kind == "ident" and t.text.upper() == "RETURN"]
    if not returns:
        return text, False
    union = any(t.kind == "ident" and t.text.upper() == "UNION" for t in top)
    ends = [
        *(i for i, t in enumerate(top) if t.kind == "ident" and t.text.upper() == "UNION"),
        len(top),
    ]
    for position in returns if union else returns[-1:]:
        end = min(e for e in ends if e > position)
        limit = _limit_of(top[position:end], params)
        if limit is None and not union:
            return f"{text}\nLIMIT {cap + 1}", True
        if limit is None:
            raise CypherLimitExceeded(
                f"each part of a UNION needs its own LIMIT of at most {cap:,}"
            )
        if limit > cap + 1:
            raise CypherLimitExceeded(f"LIMIT may be at most {cap:,} (the row cap)")
    return text, False


def _limit_of(clause: list[Token], params: dict[str, Any]) -> int | None:
    """The value of a RETURN's LIMIT, None without one; refused unless it is an integer
    literal or an integer parameter."""
    words = [t.text.upper() if t.kind == "ident" else None for t in clause]
    if "LIMIT" not in words:
        return None
    value = clause[words.index("LIMIT") + 1 :]
    if len(value) == 1 and value[0].kind == "number" and _is_integer(value[0].text):
        return integer_literal(value[0].text)
    if len(value) == 1 and value[0].kind == "param":
        given = params.get(value[0].text)
        if isinstance(given, int) and not isinstance(given, bool):
            return given
    raise CypherLimitExceeded("LIMIT must be an integer literal or an integer parameter")


def require_read_plan(store: GraphStore, query: str, params: dict[str, Any]) -> None:
    """Refuse a query the engine would plan as a write (where it checks plans)."""
    try:
        store.check_read_only(query, params)
    except ReadOnlyViolation as exc:
        raise CypherRefused(str(exc)) from exc
