"""Monthly re-classification (月度动态分类): score every firm with the current model,
store the month's classes, the transition matrix against the previous month, class
counts per region, industry and entity kind, and the change feed for downstream
random-inspection (双随机) systems.

What a run of month ``M`` stores:

- each firm's class as usual (``risk_class`` … on the Enterprise) and a
  ``RiskAssessment`` with ``month: M`` in its history;
- ``(:ClassShare {month, dimension, value, kind, A, B, C, D, total})``: class counts per
  province / city / district (2-, 4-, 6-digit region-code prefixes), industry section
  and the whole population, for every entity kind together (``kind: "all"``) and each
  kind on its own;
- the change feed: the month's ``RiskAssessment`` of each firm whose class differs
  from the previous stored month's, or that the previous month did not classify, also
  carries ``feed_month: M``, ``previous`` (absent: new), ``region_code``,
  ``industry_section`` and ``kind``. The feed is written with the classes, not after
  them: on a first month it holds every firm;
- ``(:Reclassification {month, model_version, …, class_counts, transitions})``, written
  last: a month without it did not finish (a rerun completes it).

Rerunning a month first deletes what the month stored, so it replaces its results.
The previous month is the latest finished month before ``M`` (the first has none:
every firm is new).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from riskgraph.analytics import reclass_tables as tables
from riskgraph.analytics.monitoring import MonitoringReport, month_report
from riskgraph.analytics.months import parse_month
from riskgraph.gnn.export import TARGET, export_graph
from riskgraph.gnn.progress import Progress, quiet
from riskgraph.gnn.score import ScoreConfig, Scores, predict_inputs
from riskgraph.gnn.versions import resolve_version
from riskgraph.graph.schema import apply_ddl
from riskgraph.graph.store import GraphStore, Row

if TYPE_CHECKING:  # the model stack loads torch: imported when a run starts
    from riskgraph.gnn.bundle import Bundle
    from riskgraph.gnn.inputs import Inputs

DELETE_BATCH = 200_000
MAX_MONTHS = 240


@dataclass
class ReclassifySummary:
    """What a monthly run did: counts per class, transitions, the feed, stage times."""

    month: str
    model_version: str
    model: str
    previous_month: str | None
    scored: int
    written: int
    class_counts: dict[str, int]
    transitions: dict[str, dict[str, int]]
    new: dict[str, int]
    changed: int
    gone: int
    feed: int
    started_at: str
    finished_at: str
    stages: dict[str, float] = field(default_factory=dict)
    monitoring: MonitoringReport | None = None
    """The month's model monitoring report (drift and calibration, stored as well)."""

    def to_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in _SUMMARY_FIELDS}
        data["stages"] = {k: round(v, 3) for k, v in self.stages.items()}
        data["monitoring"] = self.monitoring.to_dict() if self.monitoring else None
        return data

    def record(self) -> dict[str, Any]:
        """The run's properties as the ``Reclassification`` node stores them."""
        return {
            "model_version": self.model_version,
            "model": self.model,
            "previous_month": self.previous_month,
            "scored": self.scored,
            "written": self.written,
            "changed": self.changed,
            "new_firms": sum(self.new.values()),
            "gone": self.gone,
            "feed": self.feed,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "seconds": round(sum(self.stages.values()), 3),
            "class_counts": json.dumps(self.class_counts),
            "transitions": json.dumps(self.transitions),
            "new_counts": json.dumps(self.new),
        }


_SUMMARY_FIELDS = (
    "month",
    "model_version",
    "model",
    "previous_month",
    "scored",
    "written",
    "class_counts",
    "transitions",
    "new",
    "changed",
    "gone",
    "feed",
    "started_at",
    "finished_at",
)


class _Stages:
    """Wall time per stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.monotonic() - started


def ensure_reclass_schema(store: GraphStore) -> None:
    """Indexes for the monthly records (idempotent)."""
    apply_ddl(store, "reclass_schema")


def reclassify(
    store: GraphStore,
    model_dir: Path,
    month: str,
    *,
    config: ScoreConfig | None = None,
    as_of: date | None = None,
    progress: Progress | None = None,
) -> ReclassifySummary:
    """Score every firm with the model in ``model_dir`` (a version folder, or the folder
    holding versions: the newest) and store month ``month``'s results (see the module)."""
    month = parse_month(month)
    config = config or ScoreConfig()
    say = progress or quiet
    stage = _Stages()
    started_at = _now()
    ensure_reclass_schema(store)
    with stage("score"):
        bundle, inputs, scores = _score(store, Path(model_dir), config, as_of, say)
    with stage("monitoring"):
        monitoring = month_report(store, bundle, inputs, scores, month)
        say(f"model monitoring: {monitoring.level}")
    with stage("previous"):
        previous_month = previous_stored_month(store, month)
        previous = previous_classes(store, inputs.graph.enterprises, previous_month)
        say(f"previous month: {previous_month or 'none'} ({len(previous):,} classes)")
    frame = tables.with_previous(
        tables.population(scores.keys, scores.predicted, scores.risk, inputs.graph.enterprises),
        previous,
    )
    feed = tables.feed_records(frame, month)
    with stage("write_classes"):
        clear_month(store, month)
        written = _write_classes(store, scores, feed, bundle.version, month, config.batch_size)
        say(f"wrote {written:,} classes of {month}, {len(feed):,} of them in the change feed")
    with stage("aggregates"):
        shares = tables.share_rows(frame, scores.classes)
        _write(store, "reclass_write_shares", shares, config.batch_size, month=month)
        say(f"stored {len(shares):,} class shares")
    matrix = tables.transitions(frame, scores.classes)
    new_firms = frame.loc[frame["previous"].isna(), "current"].value_counts()
    counts = Counter(scores.predicted)
    summary = ReclassifySummary(
        month=month,
        model_version=bundle.version,
        model=bundle.selected,
        previous_month=previous_month,
        scored=len(scores.keys),
        written=written,
        class_counts={c: int(counts.get(c, 0)) for c in scores.classes},
        transitions=matrix,
        new={c: int(new_firms.get(c, 0)) for c in scores.classes},
        changed=sum(n for p, row in matrix.items() for c, n in row.items() if p != c),
        gone=int(len(previous) - previous.index.isin(frame["key"]).sum()),
        feed=len(feed),
        started_at=started_at,
        finished_at=_now(),
        stages=stage.seconds,
        monitoring=monitoring,
    )
    store.write(store.query_text("reclass_write_run"), month=month, props=summary.record())
    return summary


def _now() -> str:
    moment = datetime.now(UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _score(
    store: GraphStore, model_dir: Path, config: ScoreConfig, as_of: date | None, say: Progress
) -> tuple[Bundle, Inputs, Scores]:
    """Export the graph (while the model loads), prepare the features, predict."""
    from riskgraph.gnn.bundle import load_bundle

    folder = resolve_version(model_dir)  # a wrong folder fails now, not after the export
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="load-model") as pool:
        loading = pool.submit(load_bundle, folder, device=config.device)
        graph = export_graph(store, page_size=config.page_size)
        say(f"exported {graph.num_nodes(TARGET):,} enterprises")
        bundle = loading.result()
    inputs = bundle.prepare(graph, as_of=as_of)
    scores = predict_inputs(bundle, inputs, progress=say)
    return bundle, inputs, scores


def previous_stored_month(store: GraphStore, month: str) -> str | None:
    """The latest finished month before ``month``, None when there is none (compared
    here: FalkorDB's index ignores an upper bound on text)."""
    rows = store.read(store.query_text("reclass_runs"), month=None, limit=MAX_MONTHS)
    earlier = [str(row["run"]["month"]) for row in rows if str(row["run"]["month"]) < month]
    return max(earlier, default=None)


def previous_classes(
    store: GraphStore, enterprises: pd.DataFrame, previous_month: str | None
) -> pd.Series:
    """The classes of ``previous_month`` by key (empty when None). Each firm carries its
    latest monthly class and month (``reclass_class``, ``reclass_month``), so the
    export holds them: they are used when no firm has a later month and as many firms
    have the month as its run wrote; otherwise (a rerun of an earlier month, a month
    written before these properties) they are read from the month's assessments."""
    if previous_month is None:
        return pd.Series(dtype=object)
    months = enterprises.get("reclass_month")
    if months is not None and "reclass_class" in enterprises and "key" in enterprises:
        stored = months.dropna().astype(str)
        in_month = (months == previous_month).to_numpy()
        run = store.read(store.query_text("reclass_runs"), month=previous_month, limit=1)
        written = int(run[0]["run"].get("written", -1)) if run else -1
        if (stored <= previous_month).all() and int(in_month.sum()) == written:
            keys = enterprises["key"].to_numpy(dtype=object)[in_month]
            classes = enterprises["reclass_class"].to_numpy(dtype=object)[in_month]
            return pd.Series(classes, index=pd.Index(keys, dtype=object), dtype=object)
    return month_classes(store, previous_month)


def month_classes(store: GraphStore, month: str, *, page_size: int = 100_000) -> pd.Series:
    """Every firm's class of ``month`` (its assessments carry the key), indexed by key."""
    query = store.query_text("reclass_month_classes")
    keys: list[str] = []
    classes: list[str] = []
    after = ""
    while True:
        page = store.read_values(query, month=month, after=after, limit=page_size)
        keys.extend(str(row["key"]) for row in page)
        classes.extend(str(row["class"]) for row in page)
        if len(page) < page_size:
            return pd.Series(classes, index=pd.Index(keys, dtype=object), dtype=object)
        after = keys[-1]


def clear_month(store: GraphStore, month: str) -> dict[str, int]:
    """Delete what a run of ``month`` stored (the run record first; the feed goes with
    the assessments); counts per kind."""
    deleted = {
        "runs": _delete_all(store, "reclass_delete_run", month),
        "shares": _delete_all(store, "reclass_delete_shares", month),
    }
    deleted["assessments"] = _delete_all(
        store, "reclass_delete_assessments", month, limit=DELETE_BATCH
    )
    return deleted


def _delete_all(store: GraphStore, query: str, month: str, *, limit: int | None = None) -> int:
    text = store.query_text(query)
    params: dict[str, Any] = {"month": month}
    if limit is None:
        [row] = store.write(text, **params)
        return int(row["deleted"])
    total = 0
    while True:
        [row] = store.write(text, limit=limit, **params)
        total += int(row["deleted"])
        if int(row["deleted"]) < limit:
            return total


def _write_classes(
    store: GraphStore,
    scores: Scores,
    feed: dict[str, Row],
    model_version: str,
    month: str,
    batch_size: int,
) -> int:
    """Write every firm's class and its assessment of ``month`` in batches (by node id
    where the export has them, as :func:`riskgraph.gnn.score.write_back`), the feed's
    fields on the assessments of the firms in ``feed``."""
    by_id = scores.node_ids is not None
    query = "reclass_write_classes_by_id" if by_id else "reclass_write_classes"
    scored_at = _now()
    with store.bulk_load(compact=False):
        return _write(
            store,
            query,
            _with_feed(scores.rows(), feed),
            batch_size,
            counted="written",
            model_version=model_version,
            scored_at=scored_at,
            scored_on=scored_at[:10],
            month=month,
        )


def _with_feed(rows: Iterator[Row], feed: dict[str, Row]) -> Iterator[Row]:
    for row in rows:
        row["feed"] = feed.get(row["key"], _NOT_IN_FEED)
        yield row


_NOT_IN_FEED: Row = {}


def _write(
    store: GraphStore,
    query: str,
    rows: Any,
    batch_size: int,
    *,
    counted: str = "written",
    **params: Any,
) -> int:
    """Send ``rows`` in batches; the sum of the batches' ``counted`` column."""
    written = 0

    def count(result: list[Row]) -> None:
        nonlocal written
        written += sum(int(row[counted]) for row in result)

    store.write_batches(store.query_text(query), rows, batch_size, on_result=count, **params)
    return written
