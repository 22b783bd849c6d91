"""Monthly re-classification on both engines: two months with a different model the
second month, the transition matrix and the change feed against the stored
assessments, paging and ``since``, an idempotent rerun, the class shares, and the
regional and industry review against hand-built aggregates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from engines import Graphs
from reclass_registry import CLASSES, FIRMS, REGIONS, build_registry, shifted_labels, train_model

from riskgraph.analytics import class_changes, review
from riskgraph.analytics import reclassify as reclassify_module
from riskgraph.analytics.class_changes import ChangeFilter, ReclassificationNotFound
from riskgraph.analytics.monitoring import read_report
from riskgraph.analytics.months import InvalidMonth, parse_month
from riskgraph.analytics.reclassify import previous_classes, reclassify
from riskgraph.errors import Invalid
from riskgraph.gnn.export import export_graph
from riskgraph.graph.store import GraphStore


@pytest.fixture(scope="module")
def models(graphs: Graphs, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """Two versions: one trained on the registry's labels, one on labels moved one class
    up for every other firm (so that the second month's classes differ)."""
    pytest.importorskip("lightgbm")
    root = tmp_path_factory.mktemp("reclass-models")
    labels = shifted_labels(root / "shifted.csv")
    store = graphs.acquire()
    try:
        build_registry(store)
        first = train_model(store, root / "first")
        second = train_model(store, root / "second", labels=labels)
    finally:
        graphs.release(store)
    yield first, second


def month_classes(store: GraphStore, month: str) -> dict[str, str]:
    """Each firm's class of the month as its assessments store it (one per firm)."""
    rows = store.read(
        "MATCH (e:Enterprise)-[:HAS_ASSESSMENT]->(a:RiskAssessment) WHERE a.month = $month "
        "RETURN e.uscc AS key, a.risk_class AS class",
        month=month,
    )
    classes = {row["key"]: row["class"] for row in rows}
    assert len(classes) == len(rows), "one assessment per firm and month"
    return classes


def stored_feed(store: GraphStore, month: str) -> dict[str, tuple[Any, str]]:
    rows = store.read(
        "MATCH (c:RiskAssessment) WHERE c.feed_month = $month "
        "RETURN c.uscc AS key, c.previous AS previous, c.risk_class AS current",
        month=month,
    )
    feed = {row["key"]: (row["previous"], row["current"]) for row in rows}
    assert len(feed) == len(rows)
    return feed


def all_pages(store: GraphStore, filters: ChangeFilter, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        page = class_changes.change_page(store, filters, limit=limit, offset=offset)
        items.extend(page.items)
        offset = page.next_offset
    return items


def check_paging(store: GraphStore, changed: dict[str, tuple[Any, str]]) -> None:
    """Paging and since: every record once, in month then key order."""
    feb_items = all_pages(store, ChangeFilter(since="2026-02"), limit=7)
    assert [(i["key"], i["previous"], i["current"]) for i in feb_items] == [
        (k, *changed[k]) for k in sorted(changed)
    ]
    assert feb_items[0]["name"].startswith("示例") and feb_items[0]["month"] == "2026-02"
    everything = all_pages(store, ChangeFilter(since="2026-01"), limit=50)
    assert len(everything) == FIRMS + len(changed)
    assert [i["month"] for i in everything] == sorted(i["month"] for i in everything)
    only_jan = all_pages(store, ChangeFilter(since="2026-01", until="2026-01"), limit=50)
    assert len(only_jan) == FIRMS
    risky = all_pages(store, ChangeFilter(since="2026-02", current="D", region="5101"), limit=5)
    assert {i["key"] for i in risky} == {
        k
        for k, (_, c) in changed.items()
        if c == "D" and REGIONS[int(k[10:16]) % 5][:4] == "5101" and int(k[10:16]) != FIRMS - 1
    }
    exported = [
        row
        for page in class_changes.change_pages(store, ChangeFilter(since="2026-01"), page_size=9)
        for row in page
    ]
    assert [(r["month"], r["key"]) for r in exported] == [
        (i["month"], i["key"]) for i in everything
    ]


def check_review(store: GraphStore) -> None:
    """The review reads the stored shares of both months."""
    answer = review.review(store, dimension="region", level="city", months=6)
    assert answer["months"] == ["2026-01", "2026-02"]
    chengdu = next(r for r in answer["rows"] if r["value"] == "5101")
    assert chengdu["name"] == "四川省成都市"
    assert [p["total"] for p in chengdu["series"]] == [
        sum(1 for i in range(FIRMS - 1) if REGIONS[i % 5].startswith("5101"))
    ] * 2


def test_two_months_transitions_feed_shares_and_rerun(
    store: GraphStore, models: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = models
    build_registry(store)
    january = reclassify(store, first, "2026-01")
    assert january.previous_month is None and january.scored == january.written == FIRMS
    assert january.monitoring is not None and january.monitoring.month == "2026-01"
    assert january.monitoring.population == FIRMS
    assert read_report(store, "2026-01").model_version == january.model_version
    assert sum(january.new.values()) == january.feed == FIRMS  # all new: previous null
    assert all(n == 0 for row in january.transitions.values() for n in row.values())
    jan = month_classes(store, "2026-01")
    assert stored_feed(store, "2026-01") == {k: (None, c) for k, c in jan.items()}

    february = reclassify(store, second.parent, "2026-02")  # the folder of versions: newest
    assert february.model_version == second.name and february.previous_month == "2026-01"
    feb = month_classes(store, "2026-02")
    assert set(feb) == set(jan)
    expected = Counter((jan[k], feb[k]) for k in feb)
    matrix = {p: {c: expected[(p, c)] for c in CLASSES} for p in CLASSES}
    assert february.transitions == matrix
    changed = {k: (jan[k], feb[k]) for k in feb if jan[k] != feb[k]}
    assert changed and february.changed == len(changed) == february.feed
    assert stored_feed(store, "2026-02") == changed
    assert february.class_counts == {c: Counter(feb.values())[c] for c in CLASSES}
    current = store.read("MATCH (e:Enterprise) RETURN e.uscc AS key, e.risk_class AS class")
    assert {row["key"]: row["class"] for row in current} == feb

    run = class_changes.get_run(store, "2026-02")
    assert run["transitions"] == matrix and run["class_counts"] == february.class_counts
    assert run["changed"] == len(changed) and run["previous_month"] == "2026-01"
    assert [r["month"] for r in class_changes.list_runs(store)] == ["2026-02", "2026-01"]
    with pytest.raises(ReclassificationNotFound):
        class_changes.get_run(store, "2026-03")

    check_paging(store, changed)

    # class shares: the whole population, cities and kinds add up
    shares = store.read("MATCH (s:ClassShare) WHERE s.month = '2026-02' RETURN properties(s) AS s")
    rows = [row["s"] for row in shares]
    [whole] = [r for r in rows if r["dimension"] == "all" and r["kind"] == "all"]
    assert {c: whole[c] for c in CLASSES} == february.class_counts and whole["total"] == FIRMS
    cities = [r for r in rows if r["dimension"] == "city" and r["kind"] == "all"]
    assert sum(r["total"] for r in cities) == FIRMS - 1  # the last firm has no region
    by_kind = [r for r in rows if r["dimension"] == "all" and r["kind"] != "all"]
    assert {r["kind"] for r in by_kind} == {"enterprise", "individual", "cooperative"}
    assert sum(r["D"] for r in by_kind) == whole["D"]

    # rerun: the month's results are replaced, not added to
    again = reclassify(store, second, "2026-02")
    assert again.previous_month == "2026-01" and again.transitions == matrix
    assert month_classes(store, "2026-02") == feb
    assert stored_feed(store, "2026-02") == changed
    count = store.read("MATCH (s:ClassShare) WHERE s.month = '2026-02' RETURN count(s) AS n")
    assert count[0]["n"] == len(rows)
    assert [r["month"] for r in class_changes.list_runs(store)] == ["2026-02", "2026-01"]

    check_review(store)
    check_previous_from_the_export(store, jan, feb, monkeypatch)


def check_previous_from_the_export(
    store: GraphStore, jan: dict[str, str], feb: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A month's classes come from the export while no firm has a later month (the
    assessments are not read), and from the assessments once one has."""
    enterprises = export_graph(store).enterprises

    def not_read(*_: Any, **__: Any) -> None:
        raise AssertionError("read the assessments")

    with monkeypatch.context() as patched:
        patched.setattr(reclassify_module, "month_classes", not_read)
        assert previous_classes(store, enterprises, "2026-02").to_dict() == feb
        assert previous_classes(store, enterprises, None).empty
    assert previous_classes(store, enterprises, "2026-01").to_dict() == jan
    partial = enterprises.assign(reclass_month=enterprises["reclass_month"].where(
        enterprises.index > 0))  # fmt: skip
    assert previous_classes(store, partial, "2026-02").to_dict() == feb  # one firm short


def test_months_are_checked() -> None:
    assert parse_month(" 2026-02 ") == "2026-02"
    for bad in ("2026-13", "2026-2", "26-02", "2026-02-01", ""):
        with pytest.raises(InvalidMonth):
            parse_month(bad)
    assert issubclass(InvalidMonth, Invalid)


def share(month: str, value: str, a: int, b: int, c: int, d: int) -> dict[str, Any]:
    return {"month": month, "value": value, "A": a, "B": b, "C": c, "D": d, "total": a + b + c + d}


HAND_BUILT = [
    # 5101: C+D 10% → 20% → 40% (rise 0.30); 4401: 30% → 30% → 35% (0.05);
    # 4403: 50% → 20% (falls); 1101: 0% → 60% but only 10 firms; 3301: only the last month
    share("2026-01", "5101", 50, 40, 5, 5),
    share("2026-02", "5101", 40, 40, 10, 10),
    share("2026-03", "5101", 30, 30, 20, 20),
    share("2026-01", "4401", 40, 30, 20, 10),
    share("2026-02", "4401", 40, 30, 20, 10),
    share("2026-03", "4401", 35, 30, 25, 10),
    share("2026-01", "4403", 25, 25, 25, 25),
    share("2026-03", "4403", 40, 40, 10, 10),
    share("2026-01", "1101", 5, 5, 0, 0),
    share("2026-03", "1101", 2, 2, 3, 3),
    share("2026-03", "3301", 10, 10, 40, 40),
]
MONTHS = ["2026-01", "2026-02", "2026-03"]


def test_review_shares_trend_and_flags_from_hand_built_aggregates() -> None:
    rule = review.ReviewRule(min_firms=20, top=1)
    answer = review.build_review(
        HAND_BUILT, MONTHS, dimension="region", level="city", kind=None, rule=rule
    )
    rows = {r["value"]: r for r in answer["rows"]}
    assert rows["5101"]["high_share"] == 0.4 and rows["5101"]["rise"] == 0.3
    assert rows["5101"]["change_month"] == 0.2
    assert rows["5101"]["shares"] == {"A": 0.3, "B": 0.3, "C": 0.2, "D": 0.2}
    assert [p["high_share"] for p in rows["4403"]["series"]] == [0.5, None, 0.2]
    assert rows["4403"]["change_month"] is None and rows["4403"]["rise"] == -0.3
    assert rows["1101"]["rise"] == 0.6 and not rows["1101"]["rising"]  # too few firms
    assert rows["3301"]["rise"] is None and not rows["3301"]["rising"]  # no first month
    assert {v for v, r in rows.items() if r["rising"]} == {"5101", "4401"}
    assert {v for v, r in rows.items() if r["flagged"]} == {"5101"}
    assert answer["rows"][0]["value"] == "5101"
    assert rows["4401"]["name"] == "广东省广州市"

    wider = review.build_review(
        HAND_BUILT,
        MONTHS,
        dimension="region",
        level="city",
        kind=None,
        rule=review.ReviewRule(min_firms=10, top=5, threshold=0.1),
    )
    assert {r["value"] for r in wider["rows"] if r["flagged"]} == {"5101", "1101"}


def test_review_reads_stored_shares_and_kinds(store: GraphStore) -> None:
    rows = [dict(r, dimension="industry", kind="all") for r in HAND_BUILT]
    rows.append(dict(share("2026-03", "C", 1, 1, 1, 1), dimension="industry", kind="individual"))
    store.write("UNWIND $rows AS row CREATE (s:ClassShare) SET s = row", rows=rows)
    store.write(
        "UNWIND $months AS m CREATE (:Reclassification {month: m, model_version: 'v'})",
        months=MONTHS,
    )
    answer = review.review(store, dimension="industry", months=2)
    assert answer["months"] == ["2026-02", "2026-03"] and answer["level"] is None
    assert {r["value"] for r in answer["rows"]} == {"5101", "4401", "4403", "1101", "3301"}
    kinds = review.review(store, dimension="industry", months=3, kind="individual")
    assert [(r["value"], r["name"], r["total"]) for r in kinds["rows"]] == [("C", "制造业", 4)]
    for bad in ({"months": 0}, {"kind": "robot"}, {"level": "street"}):
        with pytest.raises(Invalid):
            review.review(store, **bad)  # type: ignore[arg-type]
