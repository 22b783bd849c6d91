"""Helpers for loader tests: input folders written on the fly and a canonical graph dump."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from riskgraph.graph.schema import init_schema
from riskgraph.graph.store import GraphStore
from riskgraph.ingest.loader import IngestReport, Loader
from riskgraph.ingest.registry_format import RegistryFormat

SECRET = b"test-secret-0123456789"
TODAY = date(2026, 11, 1)


def load(store: GraphStore, folder: Path, runs: Path) -> IngestReport:
    """Load a registry folder with the real loader (schema first, 500 rows a batch)."""
    init_schema(store)
    loader = Loader(store, RegistryFormat(SECRET, today=TODAY), runs_dir=runs, batch_size=500)
    return loader.run(folder)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    return path


def smesd_folder(folder: Path, companies: int, persons: int, *, seed: int = 1) -> Path:
    """A synthetic folder in SMEsD's layout (not SMEsD data)."""
    import random

    rng = random.Random(seed)
    write_csv(
        folder / "companies.csv",
        [
            "company_id",
            "name",
            "registered_capital",
            "paid_in_capital",
            "setup_months",
            "industry",
            "area",
            "split",
            "original_splits",
            "label",
        ],
        (
            [
                f"C{i:05d}",
                f"测试{i}有限公司",
                rng.randint(10, 5000),
                rng.randint(0, 10),
                rng.randint(1, 300),
                "批发业",
                "成都市",
                split,
                split,
                "" if split == "test" else rng.randint(0, 1),
            ]
            for i in range(companies)
            for split in [rng.choice(["train", "valid", "test"])]
        ),
    )
    write_csv(folder / "persons.csv", ["person_id"], ([f"P{i:05d}"] for i in range(persons)))
    relations: dict[tuple[str, str, str], int] = {}
    while len(relations) < companies * 2:
        kind = rng.choice(["EXECUTIVE_OF", "SUPERVISOR_OF", "INVESTS_IN", "LOAN"])
        person = kind != "LOAN"
        src = f"P{rng.randrange(persons):05d}" if person else f"C{rng.randrange(companies):05d}"
        dst = f"C{rng.randrange(companies):05d}"
        if src != dst:
            relations[(src, dst, kind)] = rng.randint(1, 100)
    write_csv(
        folder / "relations.csv",
        ["src_id", "dst_id", "rel_type", "weight"],
        ([*key, weight] for key, weight in sorted(relations.items())),
    )
    write_csv(
        folder / "lawsuits.csv",
        [
            "lawsuit_id",
            "company_id",
            "cause_type",
            "cause_category_zh",
            "cause_category_en",
            "court_level",
            "result",
            "months_before_observation",
            "time_label",
        ],
        (
            [
                f"L{i:06d}",
                f"C{rng.randrange(companies):05d}",
                1,
                "买卖合同纠纷",
                "sales",
                0,
                2,
                12,
                0,
            ]
            for i in range(companies)
        ),
    )
    return folder


KEYS = ("uscc", "pid", "aid", "vid", "lid", "rid", "run_id", "fid")


def node_key(node: dict[str, Any]) -> str:
    props = node["properties"]
    key = next((f"{k}={props[k]}" for k in KEYS if k in props), json.dumps(props, default=str))
    return f"{':'.join(node['labels'])}[{key}]"


def dump(
    store: GraphStore,
    *,
    skip_labels: tuple[str, ...] = ("IngestRun", "IngestFile", "ScreenCounters"),
    drop: tuple[str, ...] = (),
) -> list[str]:
    """Every node and relationship as sorted JSON lines (ids replaced by keys).

    ``drop`` names properties to leave out (e.g. ``lastupdated`` across runs).
    """

    def props(entity: dict[str, Any]) -> str:
        kept = {k: v for k, v in entity["properties"].items() if k not in drop}
        return json.dumps(kept, sort_keys=True, default=str)

    lines = []
    for row in store.read("MATCH (n) RETURN n"):
        node = row["n"]
        if set(node["labels"]) & set(skip_labels):
            continue
        lines.append(f"{node_key(node)} {props(node)}")
    for row in store.read("MATCH (a)-[r]->(b) RETURN a, r, b"):
        if set(row["a"]["labels"]) & set(skip_labels):
            continue
        lines.append(
            f"{node_key(row['a'])} -{row['r']['type']}-> {node_key(row['b'])} {props(row['r'])}"
        )
    return sorted(lines)
