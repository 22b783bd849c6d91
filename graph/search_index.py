"""The full-text indexes behind search, and how each engine is asked for a substring.

Chinese names have no spaces, so neither engine's default word splitting finds an infix
such as 德城澜 inside 北京德城澜商贸有限公司. Each engine gets an index that turns
"contains" into an exact term query, and the query re-checks ``CONTAINS`` on the text:

- **Neo4j**: Lucene full-text indexes with the ``cjk`` analyzer (``enterprise_name_text``,
  ``person_name_text``, ``address_text`` in ``cypher/neo4j/schema.cypher``). The analyzer
  indexes every pair of adjacent Han characters (德城, 城澜, 澜商 …), so the phrase
  ``"德城澜"`` (德城 followed by 城澜) matches exactly the texts that contain 德城澜. Runs
  of Latin letters or digits are whole words to Lucene, so they are asked as ``*run*``.
- **FalkorDB**: RediSearch's tokenizer keeps a whole Chinese name as one term, and its
  infix wildcard (``*德城澜*``) silently gives up on large term sets (it missed most
  matches on a 3,000-name test graph). So each Enterprise, Person and Address carries
  ``search_grams``: the lower-case character bigrams of its name (address), space
  separated, written by :func:`refresh` (after every load and on schema apply), and the
  full-text index of each label holds that property. A query is the bigrams of the
  search text, all required.

Either way every text containing the search text is a candidate (no recall is lost to
tokenisation), and ``CONTAINS`` on the case-folded text removes the rest. A search text
needs two adjacent letters, digits or Han characters to use the index; otherwise
:func:`text_query` answers None and search keeps to exact and prefix matches.
"""

from __future__ import annotations

import re

from riskgraph.graph.store import GraphStore, Row

SEARCH_LABELS = ("enterprise", "person", "address")
"""The kinds of node search finds, as the suffix of their grams queries."""
REFRESH_WINDOW = 50_000
"""Internal ids per grams write on FalkorDB (one transaction each)."""

AWAIT_INDEXES_S = 600
"""How long schema apply waits for Neo4j to populate new indexes on an existing graph."""

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"([{_HAN}]+)|([0-9a-z]+)")


def text_query(dialect: str, text: str) -> str | None:
    """The full-text query that finds every text containing ``text`` (among others,
    which ``CONTAINS`` removes), or None when ``text`` has nothing the index can seek."""
    lowered = text.strip().lower()
    if dialect == "neo4j":
        return _lucene_query(lowered)
    grams = _grams(lowered)
    return " ".join(grams) if grams else None


def _lucene_query(lowered: str) -> str | None:
    parts: list[str] = []
    for han, word in _RUNS.findall(lowered):
        if len(han) >= 2:
            parts.append(f'"{han}"')
        elif len(word) >= 2:
            parts.append(f"*{word}*")
    return " AND ".join(dict.fromkeys(parts)) or None


def _grams(lowered: str) -> list[str]:
    pairs = (lowered[i : i + 2] for i in range(len(lowered) - 1))
    return list(dict.fromkeys(p for p in pairs if p.isalnum()))


def prefix_upper(text: str) -> str | None:
    """The bound ``b`` such that every text that starts with ``text`` is ``< b`` (and at
    least ``text``) in the order of FalkorDB's string index, or None where this module
    cannot tell (:func:`prefix_rows` says what a prefix becomes then). FalkorDB plans
    ``STARTS WITH`` as a scan of every node; a range is an index seek.

    The order, measured on the embedded server, compares UTF-8 bytes as signed numbers
    (ASCII after every other byte); ASCII letters, spaces and punctuation in a bound
    lose matches (letters compare without case, some punctuation is special to the
    index). So only texts of digits and non-ASCII characters (names in Chinese, region
    codes) get a bound: the text with its last character stepped to the next one (a
    last 9 is dropped and the one before it stepped, as 519 → 52). The query still
    checks ``STARTS WITH``."""
    if any(ord(c) < 0x80 and not "0" <= c <= "9" for c in text):
        return None
    stem = text
    while stem:
        last = ord(stem[-1])
        step = 0xE000 if 0xD7FF <= last < 0xE000 else last + 1  # no surrogates
        if last != ord("9") and step <= 0x10FFFF:
            return stem[:-1] + chr(step)
        stem = stem[:-1]
    return None


PREFIX_SCAN = 2000
"""Full-text candidates a prefix without a range bound is looked for among (FalkorDB)."""


def prefix_rows(store: GraphStore, name: str, text: str, limit: int) -> list[Row]:
    """The rows of prefix query ``name`` (``$text``, ``$limit``). On FalkorDB: its
    ``<name>_range`` twin, an index range, where :func:`prefix_upper` gives a bound;
    else its ``<name>_grams`` twin, the names that start with ``text`` among the first
    :data:`PREFIX_SCAN` the full-text index finds containing it (a text with Latin
    letters; more names than that containing it can hide a prefix match); a text
    without two adjacent letters, digits or Han characters scans."""
    if store.dialect != "falkordb":
        return store.read(store.query_text(name), text=text, limit=limit)
    upper = prefix_upper(text)
    if upper is not None:
        query = store.query_text(f"{name}_range")
        return store.read(query, text=text, upper=upper, limit=limit)
    grams = text_query(store.dialect, text)
    if grams is not None:
        query = store.query_text(f"{name}_grams")
        return store.read(query, query=grams, text=text, scan=PREFIX_SCAN, limit=limit)
    return store.read(store.query_text(name), text=text, limit=limit)


def refresh(store: GraphStore, *, run_id: str | None = None) -> int:
    """Write ``search_grams`` where the full-text index needs them (FalkorDB: nodes
    without grams, and those ``run_id`` wrote; Neo4j indexes the text itself, and this
    waits until its indexes are online). Returns the number of nodes written."""
    if store.dialect != "falkordb":
        store.read(
            store.query_text("search_await_indexes"),
            seconds=AWAIT_INDEXES_S,
            timeout_s=AWAIT_INDEXES_S + 30,
        )
        return 0
    written = 0
    for label in SEARCH_LABELS:
        rows = store.read(store.query_text(f"search_grams_{label}_ids"))
        high = rows[0]["high"] if rows else None
        if high is None:
            continue
        query = store.query_text(f"search_grams_{label}")
        for after in range(-1, int(high), REFRESH_WINDOW):
            [row] = store.write(query, after=after, until=after + REFRESH_WINDOW, run_id=run_id)
            written += int(row["written"])
    return written
