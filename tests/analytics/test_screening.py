"""The screening tool: every field and op against an independent Python reading of the
same random registry, groups, windows, paging, validation, saved screens, export, plans."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from screen_fixtures import TODAY, Data, Oracle, build, generate

from riskgraph.analytics import inspections
from riskgraph.analytics import saved_screens as saved
from riskgraph.analytics.rules import evaluate_rule, load_rules
from riskgraph.analytics.screen_fields import FIELDS, LAYERS, field_catalogue
from riskgraph.analytics.screen_plans import plan_from_screen
from riskgraph.analytics.screening import (
    MAX_CONDITIONS,
    MAX_DEPTH,
    ExportTooLarge,
    ScreenError,
    compile_definition,
    counter_state,
    export_csv,
    parse_screen,
    refresh_counters,
    run_screen,
)
from riskgraph.errors import Invalid
from riskgraph.graph.screen_query import FIELD_EXPRESSIONS
from riskgraph.graph.store import GraphStore


@pytest.fixture
def registry(store: GraphStore) -> tuple[GraphStore, Data, Oracle]:
    data = generate()
    build(store, data)
    return store, data, Oracle(data)


@pytest.fixture(params=["live", "counters"])
def either_registry(
    request: pytest.FixtureRequest, registry: tuple[GraphStore, Data, Oracle]
) -> tuple[GraphStore, Data, Oracle]:
    """The registry with the counts taken live, and again with fresh counters."""
    store = registry[0]
    if request.param == "counters":
        assert refresh_counters(store).fresh
    assert counter_state(store).fresh == (request.param == "counters")
    return registry


def matched(store: GraphStore, screen: dict[str, Any]) -> tuple[int, set[str]]:
    result = run_screen(store, screen, limit=500, today=TODAY)
    return result.total, {row["uscc"] for row in result.results}


def _samples(oracle: Oracle, name: str, months: int | None) -> list[Any]:
    start = None
    if months:
        from screen_fixtures import _months_before

        start = _months_before(TODAY, months)
    values = [oracle.value(k, name, start) for k in sorted(oracle.data.firms)]
    return [v for v in values if v is not None and not isinstance(v, set)]


def leaves_for(oracle: Oracle, name: str, rng: random.Random) -> list[dict[str, Any]]:
    """Conditions exercising every op of a field, with values seen in the data."""
    spec = FIELDS[name]
    months = spec.default_months if spec.window else None
    out: list[dict[str, Any]] = []
    base: dict[str, Any] = {"field": name}
    if spec.window:
        base["months"] = rng.choice([6, 12, 36]) if name != "previous_class" else rng.choice([1, 6])
        months = base["months"]
    seen = _samples(oracle, name, months)
    for op in spec.ops:
        leaf = {**base, "op": op}
        if op == "missing":
            out += [{**leaf, "value": True}, {**leaf, "value": False}]
            continue
        if name == "alert_rules":
            value: Any = ["R01", "R03"] if op == "in" else "R02"
        elif spec.type == "bool":
            out += [{**leaf, "value": True}, {**leaf, "value": False}]
            continue
        elif not seen:
            value = spec.choices[0] if spec.choices else 1
        else:
            pick = sorted(seen, key=str)[len(seen) // 2]
            value = {
                "eq": pick,
                "in": sorted({pick, *rng.sample(seen, min(2, len(seen)))}, key=str),
                "prefix": str(pick)[:4] if name != "name" else "成都",
                "contains": "科技",
                "gte": pick,
                "lte": pick,
                "between": sorted([pick, rng.choice(seen)]),
            }[op]
            if spec.type == "date":
                value = (
                    [v.isoformat() for v in value] if isinstance(value, list) else value.isoformat()
                )
        out.append({**leaf, "value": value})
    return out


def test_the_catalogue_covers_six_layers_and_forty_fields() -> None:
    catalogue = field_catalogue()
    assert len(catalogue) >= 40
    assert {f["layer"] for f in catalogue} == set(LAYERS)
    assert set(FIELDS) == set(FIELD_EXPRESSIONS)
    for entry in catalogue:
        assert entry["zh"] and entry["en"] and entry["description"] and entry["ops"]
    required = {
        "region_code",
        "industry_code",
        "org_type",
        "status",
        "established",
        "registered_capital",
        "risk_class",
        "entity_kind",
    }
    assert required <= set(FIELDS)
    ops = {op for f in catalogue for op in f["ops"]}
    assert {"eq", "in", "prefix", "gte", "lte", "between"} <= ops


def test_every_field_and_op_matches_the_python_reading(
    either_registry: tuple[GraphStore, Data, Oracle],
) -> None:
    store, data, oracle = either_registry
    rng = random.Random(5)
    checked = 0
    nonempty = 0
    for name in FIELDS:
        for leaf in leaves_for(oracle, name, rng):
            expected = oracle.select(parse_screen(leaf))
            total, keys = matched(store, leaf)
            assert (total, keys) == (len(expected), expected), leaf
            checked += 1
            nonempty += bool(expected) and len(expected) < len(data.firms)
    assert checked > 150
    assert nonempty > 80  # the conditions separate firms, they are not all-or-nothing


def test_groups_not_any_all_combine_like_python(
    either_registry: tuple[GraphStore, Data, Oracle],
) -> None:
    store, _, oracle = either_registry
    rng = random.Random(9)
    pool = [leaf for name in FIELDS for leaf in leaves_for(oracle, name, rng)]

    def tree(depth: int) -> dict[str, Any]:
        if depth == 0 or rng.random() < 0.3:
            return rng.choice(pool)
        kind = rng.choice(["all", "any", "not"])
        if kind == "not":
            return {"not": tree(depth - 1)}
        return {kind: [tree(depth - 1) for _ in range(rng.randint(1, 3))]}

    for _ in range(40):
        screen = {"all": [tree(3), tree(2)]} if rng.random() < 0.5 else tree(3)
        expected = oracle.select(parse_screen(screen))
        assert matched(store, screen) == (len(expected), expected), screen


def test_licence_mismatch_is_rule_r16s_test(registry: tuple[GraphStore, Data, Oracle]) -> None:
    store, data, oracle = registry
    [r16] = load_rules(["R16"])
    flagged = {f.subject for f in evaluate_rule(store, r16, today=TODAY)}
    excluded = r16.defaults["exclude_statuses"]
    screen = {
        "all": [
            {"field": "licence_mismatch", "op": "eq", "value": True},
            {"not": {"field": "status", "op": "in", "value": excluded}},
        ]
    }
    assert matched(store, screen)[1] == flagged
    assert flagged and any(
        data.firms[k].get("status") in excluded
        for k in oracle.select(parse_screen(screen["all"][0]))
    )


def test_missing_values_are_false_also_under_not(registry: tuple[GraphStore, Data, Oracle]) -> None:
    store, data, _ = registry
    capital = {"field": "registered_capital", "op": "gte", "value": 100.0}
    with_capital = {k for k, f in data.firms.items() if f.get("registered_capital") is not None}
    high = {k for k in with_capital if data.firms[k]["registered_capital"] >= 100.0}
    assert matched(store, capital)[1] == high
    # not: every firm without capital >= 100, those without any capital included
    assert matched(store, {"not": capital})[1] == set(data.firms) - high
    assert len(set(data.firms) - with_capital) > 0


def test_window_counts_only_records_in_the_window(
    either_registry: tuple[GraphStore, Data, Oracle],
) -> None:
    store, data, oracle = either_registry
    all_time = matched(store, {"field": "violations", "op": "gte", "value": 1})[1]
    recent = matched(store, {"field": "violations", "op": "gte", "value": 1, "months": 12})[1]
    assert recent < all_time
    cut = TODAY.replace(year=TODAY.year - 1)
    assert recent == {v["uscc"] for v in data.violations if v["date"] >= cut}
    penalties = {"field": "penalties", "op": "gte", "value": 1, "months": 24}
    assert matched(store, penalties)[1] == oracle.select(parse_screen(penalties))


def test_the_issue_example_and_a_screen_counts_every_status(
    registry: tuple[GraphStore, Data, Oracle],
) -> None:
    store, data, _ = registry
    screen = {
        "all": [
            {"field": "region_code", "op": "prefix", "value": "5101"},
            {"field": "org_type", "op": "in", "value": ["有限责任公司"]},
        ]
    }
    expected = {
        k
        for k, f in data.firms.items()
        if f["region_code"].startswith("5101") and f.get("org_type") == "有限责任公司"
    }
    total, keys = matched(store, screen)
    assert (total, keys) == (len(expected), expected)
    everything = run_screen(store, {"all": []}, limit=1, today=TODAY)
    assert everything.total == len(data.firms)
    assert {f.get("status") for f in data.firms.values()} >= {"注销", "吊销", None}


def test_pages_are_riskiest_first_then_by_key_and_cover_every_match(
    registry: tuple[GraphStore, Data, Oracle],
) -> None:
    store, data, _ = registry
    screen = {"field": "region_code", "op": "prefix", "value": "51"}
    seen: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        page = run_screen(store, screen, limit=7, offset=offset, today=TODAY)
        seen += page.results
        offset = page.next_offset
    expected = sorted(
        (k for k, f in data.firms.items() if f["region_code"].startswith("51")),
        key=lambda k: (
            -(
                data.firms[k].get("risk_score")
                if data.firms[k].get("risk_score") is not None
                else -1.0
            ),
            k,
        ),
    )
    assert [r["uscc"] for r in seen] == expected
    assert all(r["entity_kind"] in ("enterprise", "individual", "cooperative") for r in seen)


@pytest.mark.parametrize(
    ("screen", "path"),
    [
        (
            {
                "all": [
                    {"field": "region_code", "op": "prefix", "value": "51"},
                    {"field": "nope", "op": "eq", "value": 1},
                ]
            },
            "screen.all[1].field",
        ),
        ({"all": [{"field": "org_type", "op": "gte", "value": "x"}]}, "screen.all[0].op"),
        (
            {"any": [{"field": "registered_capital", "op": "between", "value": [5, 1]}]},
            "screen.any[0].value",
        ),
        ({"field": "risk_class", "op": "in", "value": ["E"]}, "screen.value[0]"),
        ({"field": "established", "op": "gte", "value": "2020-13-01"}, "screen.value"),
        ({"field": "region_code", "op": "eq"}, "screen.value"),
        ({"field": "status", "op": "eq", "value": "存续", "months": 3}, "screen.months"),
        ({"field": "penalties", "op": "gte", "value": 1, "months": 0}, "screen.months"),
        ({"field": "penalties", "op": "gte", "value": -1}, "screen.value"),
        ({"all": [], "any": []}, "screen"),
        ({"any": []}, "screen.any"),
        ({"not": [1]}, "screen.not"),
        ("region_code", "screen"),
        ({"field": "has_phone", "op": "eq", "value": "yes"}, "screen.value"),
        ({"field": "name", "op": "contains", "value": "a\x00b"}, "screen.value"),
        ({"field": "region_code", "op": "in", "value": ["51"] * 501}, "screen.value"),
        ({"field": "region_code", "op": "eq", "value": "51", "extra": 1}, "screen"),
    ],
)
def test_bad_screens_are_refused_naming_the_path(screen: Any, path: str) -> None:
    with pytest.raises(ScreenError) as caught:
        parse_screen(screen)
    assert caught.value.path == path
    assert str(caught.value).startswith(path + ":")
    assert isinstance(caught.value, Invalid)


def test_depth_and_size_are_bounded() -> None:
    leaf: dict[str, Any] = {"field": "risk_class", "op": "eq", "value": "A"}
    deep: dict[str, Any] = leaf
    for _ in range(MAX_DEPTH):
        deep = {"not": deep}
    with pytest.raises(ScreenError, match="deeper"):
        parse_screen(deep)
    with pytest.raises(ScreenError, match="at most"):
        parse_screen({"all": [leaf] * (MAX_CONDITIONS + 1)})


def test_user_text_never_enters_the_query() -> None:
    evil = "x' OR 1=1 //"
    compiled = compile_definition(
        {
            "any": [
                {"field": "name", "op": "contains", "value": evil},
                {"field": "region_code", "op": "prefix", "value": "51"},
            ]
        },
        today=TODAY,
    )
    for text in (compiled.count_query(), compiled.page_query(), compiled.keys_query()):
        assert evil not in text and "51" not in text
    assert evil in compiled.params.values()


def test_compiled_screens_pass_neo4j_parser(tmp_path: Path) -> None:
    from test_cypher_library import lint

    rng = random.Random(3)
    oracle = Oracle(generate(firms=30))
    leaves = [leaves_for(oracle, name, rng)[0] for name in FIELDS]
    files = []
    for i in range(0, len(leaves), 30):
        part = leaves[i : i + 30]
        screen = {
            "all": [
                {"field": "region_code", "op": "prefix", "value": "51"},
                {"any": [{"not": part[0]}, *part[1:]]},
            ]
        }
        compiled = compile_definition(screen, today=TODAY, dialect="neo4j")
        for j, text in enumerate(
            (compiled.count_query(), compiled.page_query(), compiled.keys_query())
        ):
            path = tmp_path / f"q{i}_{j}.cypher"
            path.write_text(f"// screen {i}\n// :params {{}}\n{text}\n", encoding="utf-8")
            files.append(path)
    code, report = lint(*files)
    errors = [
        d["message"]
        for entry in report["files"]
        for d in entry["diagnostics"]
        if d["severity"] == "error"
    ]  # type: ignore[attr-defined]
    assert errors == [] and code == 0


def test_saved_screens_belong_to_their_owner(store: GraphStore) -> None:
    alice = saved.Owner("alice", "analyst:alice")
    bob = saved.Owner("bob", "investigator:bob")
    admin = saved.Owner("root", "admin:root", sees_all=True)
    screen = {"all": [{"field": "penalties", "op": "gte", "value": 1}]}
    first = saved.save_screen(store, "有处罚", screen, alice)
    assert first["definition"] == {"all": [{"field": "penalties", "op": "gte", "value": 1}]}
    assert first["created_by"] == "analyst:alice" and first["sid"].startswith("S-")
    saved.save_screen(store, "B's", {"field": "risk_class", "op": "eq", "value": "D"}, bob)
    assert [s["name"] for s in saved.list_screens(store, alice).items] == ["有处罚"]
    assert len(saved.list_screens(store, admin).items) == 2
    assert saved.get_screen(store, first["sid"], admin)["name"] == "有处罚"
    with pytest.raises(saved.ScreenNotFound):
        saved.get_screen(store, first["sid"], bob)
    with pytest.raises(saved.ScreenNotFound):
        saved.delete_screen(store, first["sid"], bob)
    saved.delete_screen(store, first["sid"], alice)
    assert saved.list_screens(store, alice).items == []
    with pytest.raises(ScreenError, match=r"screen\.all"):
        saved.save_screen(store, "bad", {"all": [{"field": "x"}]}, alice)
    with pytest.raises(ScreenError, match="name"):
        saved.save_screen(store, " ", screen, alice)


def test_export_writes_every_match_and_refuses_too_many(
    registry: tuple[GraphStore, Data, Oracle],
) -> None:
    store, _, oracle = registry
    screen = {
        "any": [
            {"field": "risk_class", "op": "in", "value": ["C", "D"]},
            {"field": "abnormal_listed", "op": "eq", "value": True},
        ]
    }
    rows = list(csv.DictReader(io.StringIO("".join(export_csv(store, screen, today=TODAY)))))
    assert [r["uscc"] for r in rows] == sorted(oracle.select(parse_screen(screen)))
    assert rows and set(rows[0]) >= {"uscc", "name", "entity_kind", "risk_class"}
    with pytest.raises(ExportTooLarge):
        export_csv(store, screen, today=TODAY, max_rows=len(rows) - 1)


def test_a_screen_becomes_an_inspection_plan_population(
    registry: tuple[GraphStore, Data, Oracle], tmp_path: Path
) -> None:
    store, data, oracle = registry
    screen = {"all": [{"field": "region_code", "op": "prefix", "value": "5101"}]}
    config = inspections.PlanConfig(seed=3, ratios={"A": 0.05, "B": 0.2, "C": 0.6, "D": 1.0})
    document = plan_from_screen(store, screen, config, tmp_path, as_of=TODAY)
    inspectable = {k for k, f in data.firms.items() if f.get("status") in (None, "存续", "在业")}
    expected = oracle.select(parse_screen(screen)) & inspectable
    assert set(document["inputs"]["snapshot"]) == expected
    assert document["inputs"]["screen"] == parse_screen(screen)
    assert {s["uscc"] for s in document["selected"]} <= expected
    assert inspections.verify_plan(
        json.loads((tmp_path / f"{document['plan_id']}.json").read_text())
    )
    again = plan_from_screen(store, screen, config, tmp_path / "again", as_of=TODAY)
    assert again["plan_id"] == document["plan_id"] and again["selected"] == document["selected"]
    plain = inspections.create_plan(store, config, tmp_path / "plain", as_of=TODAY)
    assert "screen" not in plain["inputs"] and plain["plan_id"] != document["plan_id"]


def test_the_command_line_runs_saves_lists_and_exports(cli_env: GraphStore, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from riskgraph.cli import app

    data = generate(firms=40)
    build(cli_env, data)
    oracle = Oracle(data)
    screen = {
        "all": [
            {"field": "region_code", "op": "prefix", "value": "5101"},
            {"field": "violations", "op": "gte", "value": 1},
        ]
    }
    path = tmp_path / "screen.json"
    path.write_text(json.dumps(screen), encoding="utf-8")
    runner = CliRunner()
    ran = runner.invoke(app, ["screens", "run", "--file", str(path), "--json", "--limit", "500"])
    assert ran.exit_code == 0, ran.output
    body = json.loads(ran.stdout)
    assert {r["uscc"] for r in body["results"]} == oracle.select(parse_screen(screen)) and body[
        "total"
    ] == len(body["results"])
    saved_run = runner.invoke(app, ["screens", "save", "有违法", "--file", str(path), "--json"])
    sid = json.loads(saved_run.stdout)["sid"]
    listed = json.loads(runner.invoke(app, ["screens", "list", "--json"]).stdout)
    assert [s["sid"] for s in listed] == [sid]
    out = tmp_path / "out.csv"
    assert (
        runner.invoke(app, ["screens", "export", "--file", str(path), "--out", str(out)]).exit_code
        == 0
    )
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == body["total"] + 1
    fields = json.loads(runner.invoke(app, ["screens", "fields", "--json"]).stdout)
    assert len(fields) == len(FIELDS)
    path.write_text(
        json.dumps({"all": [{"field": "region_code", "op": "gte", "value": "51"}]}),
        encoding="utf-8",
    )
    bad = runner.invoke(app, ["screens", "run", "--file", str(path)])
    assert bad.exit_code == 1 and "screen.all[0].op" in bad.stderr
