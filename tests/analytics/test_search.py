"""Search on both engines: substrings found as a plain CONTAINS scan finds them, the
ranking exact → prefix → substring, persons and addresses, refresh after a rename."""

from __future__ import annotations

import random

import pytest

from riskgraph.analytics import search
from riskgraph.graph import search_index
from riskgraph.graph.schema import init_schema
from riskgraph.graph.store import GraphStore

ALPHABET = "德城澜海科技商贸成都北京"
SUFFIXES = ("有限公司", "（个体工商户）", "分公司", "Trading Co.", "")


def names(count: int, seed: int = 7) -> list[str]:
    """Random firm names over a small alphabet, so that many 3-character infixes
    occur in several names."""
    rng = random.Random(seed)
    return [
        "".join(rng.choice(ALPHABET) for _ in range(rng.randint(3, 7))) + rng.choice(SUFFIXES)
        for _ in range(count)
    ]


def write_registry(store: GraphStore, firm_names: list[str]) -> None:
    firms = [
        {"uscc": f"T{i:05d}", "name": name, "risk_class": "ABCD"[i % 4], "region": "510107"}
        for i, name in enumerate(firm_names)
    ]
    store.write(
        "UNWIND $rows AS r CREATE (e:Enterprise {uscc: r.uscc, name: r.name, "
        "risk_class: r.risk_class, risk_score: 0.5, region_code: r.region, status: '存续'})",
        rows=firms,
    )
    store.write(
        "UNWIND $rows AS r CREATE (:Person {pid: r.pid, name: r.name})",
        rows=[
            {"pid": "p1", "name": "王德城"},
            {"pid": "p2", "name": "王德城"},
            {"pid": "p3", "name": "李澜"},
        ],
    )
    store.write(
        "MATCH (p:Person {pid: 'p1'}), (e:Enterprise) WHERE e.uscc IN ['T00000', 'T00001'] "
        "CREATE (p)-[:LEGAL_REP_OF]->(e), (p)-[:INVESTS_IN]->(e)"
    )
    store.write(
        "CREATE (a:Address {aid: 'a1', address: '四川省成都市武侯区科华北路1号', "
        "region_code: '510107'}) WITH a MATCH (e:Enterprise) WHERE e.uscc IN ['T00002', "
        "'T00003', 'T00004'] CREATE (e)-[:REGISTERED_AT]->(a)"
    )
    init_schema(store)


def contains_scan(store: GraphStore, text: str) -> set[str]:
    rows = store.read(
        "MATCH (e:Enterprise) WHERE toLower(e.name) CONTAINS $t RETURN e.uscc AS k",
        t=text.lower(),
    )
    return {row["k"] for row in rows}


def test_infixes_find_what_a_contains_scan_finds(store: GraphStore) -> None:
    firm_names = names(400)
    write_registry(store, firm_names)
    rng = random.Random(3)
    infixes: list[str] = []
    while len(infixes) < 12:
        name = rng.choice(firm_names)
        start = rng.randrange(0, max(1, len(name) - 3))
        infix = name[start : start + 3]
        if len(infix) == 3 and len(contains_scan(store, infix)) <= search.MAX_LIMIT:
            infixes.append(infix)
    infixes += ["德城澜", "rad", "TRADING", "ng c", "工商户）"]
    for infix in infixes:
        expected = contains_scan(store, infix)
        if len(expected) > search.MAX_LIMIT:
            continue
        hits = search.search(store, infix, kinds=["enterprise"], limit=search.MAX_LIMIT)
        assert {h.key for h in hits} == expected, infix
        assert all(infix.lower() in h.name.lower() for h in hits)


def test_ranking_exact_then_prefix_then_substring(store: GraphStore) -> None:
    write_registry(store, ["德城澜", "德城澜海科技有限公司", "北京德城澜商贸有限公司", "城澜德"])
    hits = search.search(store, "德城澜", kinds=["enterprise"])
    assert [(h.name, h.match) for h in hits] == [
        ("德城澜", "exact"),
        ("德城澜海科技有限公司", "prefix"),
        ("北京德城澜商贸有限公司", "substring"),
    ]
    first = hits[0]
    assert (first.key, first.risk_class, first.score, first.region, first.status) == (
        "T00000",
        "A",
        0.5,
        "510107",
        "存续",
    )


def test_prefix_tier_finds_exactly_the_names_that_start_with_the_text(store: GraphStore) -> None:
    """The prefix tier on FalkorDB: an index range where ``prefix_upper`` gives a bound
    (texts of digits and non-ASCII characters; characters of any plane or ASCII after
    the prefix are in, neighbours either side are out), else the full-text candidates
    (德城A), else a scan (a single letter)."""
    inside = ["德城", "德城澜", "德城\uffee有限公司", "德城\U00020000商贸", "德城\U0010fffd"]
    inside += ["德城9号", "德城ABC", "德城abc", "德城Ab 1"]
    outside = ["德坊", "德基", "德\U00020000", "北京德城", "德", "徳城", "德A城", "Abc", "xAb"]
    write_registry(store, inside + outside)
    persons = [{"pid": f"q{i}", "name": name} for i, name in enumerate(inside + outside)]
    store.write("UNWIND $rows AS r CREATE (:Person {pid: r.pid, name: r.name})", rows=persons)
    search_index.refresh(store)
    for text in ("德城", "德城A", "德城ab", "德城9", "德", "A", "Ab"):
        expected = sorted(n for n in inside + outside if n.startswith(text))
        for query in ("search_enterprises_prefix", "search_persons_prefix"):
            rows = search_index.prefix_rows(store, query, text, search.MAX_LIMIT)
            assert sorted(row["name"] for row in rows) == expected, (query, text)
    assert search_index.prefix_upper("德城") == "德埏"
    assert search_index.prefix_upper("5199") == "52"
    assert search_index.prefix_upper("德城A") is None and search_index.prefix_upper("99") is None


def test_uscc_exact_key(store: GraphStore) -> None:
    write_registry(store, ["甲公司"])
    store.write("CREATE (:Enterprise {uscc: '91510107MA6CKWAA1X', name: '乙科技有限公司'})")
    hits = search.search(store, "91510107ma6ckwaa1x")
    assert [(h.kind, h.key, h.match) for h in hits] == [
        ("enterprise", "91510107MA6CKWAA1X", "exact")
    ]


def test_persons_and_addresses(store: GraphStore) -> None:
    write_registry(store, ["德城一号", "德城二号", "某某", "其他", "别的"])
    persons = search.search(store, "王德城", kinds=["person"])
    assert sorted((h.key, h.match, h.firms) for h in persons) == [
        ("p1", "exact", 2),
        ("p2", "exact", 0),
    ]
    assert sorted(h.key for h in search.search(store, "德城", kinds=["person"])) == ["p1", "p2"]
    addresses = search.search(store, "科华北路", kinds=["address"])
    assert [(h.key, h.match, h.firms, h.region) for h in addresses] == [
        ("a1", "substring", 3, "510107")
    ]
    mixed = search.search(store, "德城")
    kinds = [h.kind for h in mixed]
    assert kinds.count("enterprise") == 2 and kinds.count("person") == 2
    assert kinds.index("person") > kinds.index("enterprise")  # prefix firms before persons


def test_renamed_firm_is_found_after_a_refresh(store: GraphStore) -> None:
    write_registry(store, ["旧名称有限公司"])
    store.write(
        "MATCH (e:Enterprise {uscc: 'T00000'}) "
        "SET e.name = '新澜德城有限公司', e.lastupdated = 'r2'"
    )
    search_index.refresh(store, run_id="r2")
    assert [h.key for h in search.search(store, "澜德城")] == ["T00000"]
    assert search.search(store, "旧名称") == []


@pytest.mark.parametrize(
    ("text", "kinds", "limit", "message"),
    [
        ("  ", ["enterprise"], 10, "empty"),
        ("德" * 101, ["enterprise"], 10, "longer than 100"),
        ("德城", ["firm"], 10, "unknown kind firm"),
        ("德城", [], 10, "unknown kind"),
        ("德城", ["enterprise"], 0, "limit"),
        ("德城", ["enterprise"], 51, "limit"),
    ],
)
def test_bad_input(text: str, kinds: list[str], limit: int, message: str) -> None:
    with pytest.raises(search.InvalidSearch, match=message):
        search.search(None, text, kinds=kinds, limit=limit)  # type: ignore[arg-type]


def test_text_query_per_engine() -> None:
    assert search_index.text_query("neo4j", "北京德城澜(Trading)") == '"北京德城澜" AND *trading*'
    assert search_index.text_query("falkordb", "德城澜") == "德城 城澜"
    assert search_index.text_query("falkordb", "德") is None
    assert search_index.text_query("neo4j", "德") is None
    assert search_index.text_query("neo4j", "a-b") is None
