"""The loader on generated registries in the riskgraph contract format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from engines import Graphs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import SECRET, TODAY, dump, load

from riskgraph.graph.schema import graph_stats, init_schema
from riskgraph.graph.store import GraphStore
from riskgraph.ingest.generate import generate_registry
from riskgraph.ingest.identifiers import USCC_ALPHABET
from riskgraph.ingest.loader import Loader
from riskgraph.ingest.privacy import person_key
from riskgraph.ingest.registry_format import RegistryFormat


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("registry") / "in"
    generate_registry(1000, 11, folder)
    return folder


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def test_a_clean_registry_loads_completely_without_storing_id_numbers(
    store: GraphStore, registry: Path, tmp_path: Path
) -> None:
    report = load(store, registry, tmp_path / "runs")
    assert report.total.quarantined == 0 and report.total.duplicates == 0
    assert report.total.loaded == report.total.input_rows
    header, enterprises = read_csv(registry / "enterprises.csv")
    _, persons = read_csv(registry / "persons.csv")
    stats = graph_stats(store)
    assert stats["nodes"]["Enterprise"] == len(enterprises)
    assert stats["nodes"]["Person"] == len(persons)
    assert stats["relationships"]["REGISTERED_AT"] == sum(
        1 for row in enterprises if row[header.index("address")]
    )
    id_number, name = persons[0]
    [person] = store.read(
        "MATCH (p:Person {pid: $pid}) RETURN p", pid=person_key(id_number, SECRET)
    )
    assert person["p"]["properties"]["name"] == name
    everything = json.dumps(dump(store), ensure_ascii=False)
    assert all(row[0] not in everything for row in persons[:200])  # no raw ID number stored


def test_positions_split_into_legal_representatives_and_officers(
    store: GraphStore, registry: Path, tmp_path: Path
) -> None:
    load(store, registry, tmp_path / "runs")
    header, positions = read_csv(registry / "positions.csv")
    role = header.index("role")
    legal = {
        (r[header.index("id_number")], r[header.index("uscc")])
        for r in positions
        if r[role] == "法定代表人"
    }
    officers = {
        (r[header.index("id_number")], r[header.index("uscc")], r[role])
        for r in positions
        if r[role] != "法定代表人"
    }
    stats = graph_stats(store)
    assert stats["relationships"]["LEGAL_REP_OF"] == len(legal)
    assert stats["relationships"]["HOLDS_POSITION"] == len(officers)


# (file, column, replacement or None to blank, expected reason)
CORRUPTIONS = [
    ("positions", "uscc", None, "missing:uscc"),
    ("positions", "role", "宇航员", "enum:role"),
    ("positions", "since", "2021-13-45", "invalid_date:since"),
    ("positions", "id_number", "check", "id_check:id_number"),
    ("violations", "kind", "罚站", "enum:kind"),
    ("violations", "date", "2099-01-01", "future_date:date"),
    ("violations", "case_no", None, "missing:case_no"),
    ("violations", "uscc", "check", "uscc_check:uscc"),
    ("labels", "class", "E", "enum:class"),
    ("investments", "ratio", "1.5", "ratio_range:ratio"),
    ("investments", "investor_kind", "robot", "enum:investor_kind"),
    ("branches", "parent_uscc", "check", "uscc_check:parent_uscc"),
]


def _break_check_char(value: str) -> str:
    alphabet = USCC_ALPHABET if not value[:-1].isdigit() else "0123456789X"
    return value[:-1] + next(c for c in alphabet if c != value[-1])


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    picks=st.lists(
        st.tuples(st.integers(0, len(CORRUPTIONS) - 1), st.integers(0, 10**6)),
        min_size=1,
        max_size=12,
    ),
    duplicates=st.lists(st.sampled_from(["positions", "violations", "investments"]), max_size=3),
)
def test_random_corruptions_are_quarantined_and_counts_reconcile(
    graphs: Graphs,
    registry: Path,
    tmp_path_factory: pytest.TempPathFactory,
    picks: list[tuple[int, int]],
    duplicates: list[str],
) -> None:
    folder = tmp_path_factory.mktemp("corrupt")
    tables = {p.stem: read_csv(p) for p in registry.glob("*.csv")}
    expected: dict[tuple[str, int], str] = {}
    for corruption, position in picks:
        kind, column, replacement, reason = CORRUPTIONS[corruption]
        header, rows = tables[kind]
        index = position % len(rows)
        if (kind, index) in expected:
            continue
        cell = header.index(column)
        if replacement == "check":
            rows[index][cell] = _break_check_char(rows[index][cell])
        else:
            rows[index][cell] = replacement or ""
        expected[(kind, index)] = reason
    extra_rows = {kind: 0 for kind in tables}
    for kind in duplicates:
        header, rows = tables[kind]
        clean = next(i for i in range(len(rows)) if (kind, i) not in expected)
        rows.append(list(rows[clean]))
        extra_rows[kind] += 1
    for kind, (header, rows) in tables.items():
        with (folder / f"{kind}.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, *rows])

    store = graphs.acquire()
    try:
        report = load(store, folder, folder / "runs")
    finally:
        graphs.release(store)

    with open(report.quarantine, encoding="utf-8") as handle:
        quarantined = {
            (row["file"], int(row["line"])): row["reasons"] for row in csv.DictReader(handle)
        }
    wanted = {(f"{kind}.csv", index + 2): reason for (kind, index), reason in expected.items()}
    assert set(quarantined) == set(wanted)
    for place, reason in wanted.items():
        assert reason in quarantined[place].split(";"), (place, quarantined[place])
    for kind, counts in report.files.items():
        assert counts.input_rows == len(tables[kind][1])
        assert counts.duplicates == extra_rows[kind]
        assert counts.quarantined == sum(1 for k, _ in expected if k == kind)
        assert counts.input_rows == counts.loaded + counts.quarantined + counts.duplicates


def test_parquet_input_loads_the_same_graph_as_csv(
    graphs: Graphs, registry: Path, tmp_path: Path
) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    parquet = tmp_path / "parquet"
    parquet.mkdir()
    for path in registry.glob("*.csv"):
        # Every column as text, as a registry extract would hand it over.
        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types={name: "string" for name in read_csv(path)[0]}
            ),
        )
        pq.write_table(table, parquet / f"{path.stem}.parquet")
    dumps = []
    for folder in (registry, parquet):
        store = graphs.acquire()
        try:
            report = load(store, folder, tmp_path / "runs")
            assert report.total.loaded == report.total.input_rows
            dumps.append(dump(store, drop=("lastupdated",)))
        finally:
            graphs.release(store)
    assert len(dumps[0]) > 1000
    assert dumps[0] == dumps[1]


def test_a_later_delivery_updates_status_and_adds_firms(
    store: GraphStore, registry: Path, tmp_path: Path
) -> None:
    first = load(store, registry, tmp_path / "runs")
    header, rows = read_csv(registry / "enterprises.csv")
    status = header.index("status")
    changed = list(rows[0])
    changed[status] = "注销"
    update = tmp_path / "update"
    update.mkdir()
    with (update / "enterprises.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, changed])
    second = load(store, update, tmp_path / "runs")
    assert second.total.loaded == 1
    [row] = store.read(
        "MATCH (e:Enterprise {uscc: $k}) RETURN e.status AS status, e.lastupdated AS run",
        k=changed[header.index("uscc")],
    )
    assert row == {"status": "注销", "run": second.run_id}
    [untouched] = store.read(
        "MATCH (e:Enterprise {uscc: $k}) RETURN e.lastupdated AS run",
        k=rows[1][header.index("uscc")],
    )
    assert untouched["run"] == first.run_id
    assert graph_stats(store)["nodes"]["Enterprise"] == len(rows)


def test_a_first_load_builds_the_graph_that_upserts_build_and_reloading_changes_nothing(
    store: GraphStore, registry: Path, tmp_path: Path, graphs: Graphs
) -> None:
    first = load(store, registry, tmp_path / "runs")
    assert first.first_load  # an empty graph: the CREATE variants ran
    created = dump(store, drop=("lastupdated",))

    upserted_store = graphs.acquire()
    try:
        init_schema(upserted_store)
        upsert = Loader(
            upserted_store,
            RegistryFormat(SECRET, today=TODAY),
            runs_dir=tmp_path / "runs-upsert",
            batch_size=500,
            first_load=False,
        ).run(registry)
        assert not upsert.first_load
        assert dump(upserted_store, drop=("lastupdated",)) == created
    finally:
        graphs.release(upserted_store)

    again = load(store, registry, tmp_path / "runs")
    assert not again.first_load  # the graph has data now: MERGE
    assert again.total.loaded == first.total.loaded
    assert dump(store, drop=("lastupdated",)) == created
