"""A small registry for monthly re-classification: firms whose label follows their
serious violations, across regions, industry sections and entity kinds."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from riskgraph.graph.store import GraphStore

FIRMS = 160
CLASSES = "ABCD"
REGIONS = ("510107", "510104", "440106", "440305", "110105")
SECTIONS = ("C", "F", "I", "A")
ORG_TYPES = ("有限责任公司", "个体工商户", "农民专业合作社", "股份有限公司")
RUN = "reclass-test"


def key(i: int) -> str:
    return f"91510100RC{i:06d}XY"


def level(i: int) -> int:
    """The firm's true risk level: its number of serious violations."""
    return (i * 7) % 4


def build_registry(store: GraphStore) -> None:
    """FIRMS firms; firm ``i`` has ``level(i)`` serious violations and the label to match
    (the last firm has no region, section nor org type)."""
    rows: list[dict[str, Any]] = []
    for i in range(FIRMS):
        props: dict[str, Any] = {
            "name": f"示例{i:03d}有限公司",
            "status": "存续",
            "registered_capital": float(100 + (i * 37) % 900),
            "label_class": CLASSES[level(i)],
        }
        last = i == FIRMS - 1
        if not last:
            props.update(
                region_code=REGIONS[i % len(REGIONS)],
                industry_section=SECTIONS[(i // 2) % len(SECTIONS)],
                org_type=ORG_TYPES[i % len(ORG_TYPES)],
            )
        rows.append(
            {
                "uscc": key(i),
                "props": props,
                "established": "2015-03-02",
                "aid": None,
                "address": None,
                "region_code": None,
            }
        )
    store.write_batches(store.query_text("ingest_enterprises"), rows, 500, run_id=RUN)
    add_violations(store, [(i, level(i)) for i in range(FIRMS)])


def add_violations(store: GraphStore, firms: Sequence[tuple[int, int]], *, tag: str = "") -> None:
    """``count`` serious violations (严重违法失信) for each ``(firm, count)``."""
    rows = [
        {
            "vid": f"v{tag}{i:04d}-{n}",
            "uscc": key(i),
            "props": {"kind": "严重违法失信", "status": "有效"},
            "date": "2024-01-01",
            "removed_on": None,
        }
        for i, count in firms
        for n in range(count)
    ]
    if rows:
        store.write_batches(store.query_text("ingest_violations"), rows, 500, run_id=RUN)


def shifted_labels(path: Path) -> Path:
    """A labels CSV with every other firm one class higher than its level (a model
    trained on it classifies those firms differently)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["key", "class"])
        writer.writerows([key(i), CLASSES[(level(i) + i % 2) % 4]] for i in range(FIRMS))
    return path


def train_model(store: GraphStore, out: Path, *, labels: Path | None = None) -> Path:
    """A small gradient-boosting model on the registry; its version folder."""
    from riskgraph.gnn.baselines import LgbmConfig
    from riskgraph.gnn.train import LabelSpec, TrainConfig, train

    config = TrainConfig(
        models=("lgbm_own",),
        lgbm=LgbmConfig(n_estimators=60, early_stopping_rounds=20, min_child_samples=3),
        min_aggregate_edges=1,
        device="cpu",
    )
    spec = LabelSpec(source=labels) if labels is not None else LabelSpec()
    return train(store, out, labels=spec, seed=0, config=config).model_dir
