"""Random inspection plans (双随机、一公开) drawn per risk class, and their results.

``draw`` is a pure function of a plan's inputs (seed, ratio table, whitelist factor,
class snapshot, whitelist, sandbox and its triggers): every stratum's keys are sorted
and sampled with ``numpy.random.default_rng([seed, stratum number])``, so anyone holding
the inputs re-draws the same selection. ``create_plan`` reads the inputs from the graph,
draws, and stores the plan twice: as JSON (inputs included) in the data directory and
as an ``InspectionPlan`` node with ``SELECTED_FOR`` edges. ``record_results`` ingests
inspection outcomes: every outcome becomes an ``InspectionRecord``; a failure also
becomes a ``Violation`` of kind 抽查检查不合格.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from riskgraph.analytics import lists as managed
from riskgraph.analytics.alerts import ACTIVE_STATUSES
from riskgraph.analytics.clock import timestamp
from riskgraph.analytics.pages import Page, page_of
from riskgraph.errors import Invalid, NotFound
from riskgraph.graph.schema import apply_ddl
from riskgraph.graph.store import GraphStore
from riskgraph.ingest.identifiers import uscc_problem
from riskgraph.ingest.normalize import clean_text
from riskgraph.reference import ENTITY_KINDS, EntityKind, entity_kind

CLASSES = ("A", "B", "C", "D")
DEFAULT_RATIOS: dict[str, float] = {"A": 0.05, "B": 0.15, "C": 0.40, "D": 0.80}
GUIDANCE_BANDS: dict[str, tuple[float, float]] = {
    "A": (0.0, 0.05),
    "B": (0.05, 0.20),
    "C": (0.21, 0.60),
    "D": (0.61, 1.00),
}
"""The usual ratio per class; ``PlanConfig.check`` refuses ratios outside them unless
``allow_outside_bands``."""
PASSED, FAILED = "合格", "不合格"
RESULTS = {PASSED: PASSED, FAILED: FAILED, "pass": PASSED, "fail": FAILED}
FAILURE_KIND = "抽查检查不合格"
ACTIVE_VIOLATION = "有效"
PLAN_FORMAT = 2
"""Format 2 adds ``kinds`` and ``kind_ratios`` to the inputs; format 1 plans (without
them) re-draw as before."""
SEPARATE_KINDS: tuple[EntityKind, ...] = ("individual", "cooperative")
"""Kinds that may be given their own ratio table (their own strata)."""


class InspectionError(Invalid):
    """A plan's inputs are invalid, a plan is missing, or a results file is unusable."""


@dataclass(frozen=True)
class PlanConfig:
    """The policy side of a plan."""

    seed: int
    ratios: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_RATIOS))
    whitelist_factor: float = 0.5
    """Whitelisted entities are drawn at the class ratio times this factor."""
    unclassified_as: str = "B"
    """Class of entities neither scored nor labelled."""
    statuses: tuple[str, ...] = ("存续", "在业")
    """Registration statuses that can be inspected."""
    include_unknown_status: bool = True
    """Whether enterprises without a status (sources such as SMEsD) can be inspected."""
    allow_outside_bands: bool = False
    kind_ratios: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    """Own ratio tables for kinds of market entity (``individual`` 个体工商户,
    ``cooperative`` 农民专业合作社): their entities form strata of their own
    (``individual:A`` …); kinds not named here are drawn with ``ratios``."""

    def check(self) -> None:
        self._check_table(self.ratios, "ratios")
        for kind, table in self.kind_ratios.items():
            if kind not in SEPARATE_KINDS:
                raise InspectionError(
                    f"kind_ratios: unknown kind {kind!r}; choose from {', '.join(SEPARATE_KINDS)}"
                )
            self._check_table(table, f"kind_ratios.{kind}")
        if not 0.0 <= self.whitelist_factor <= 1.0:
            raise InspectionError("whitelist_factor must be within [0, 1]")
        if self.unclassified_as not in CLASSES:
            raise InspectionError(f"unclassified_as must be one of {', '.join(CLASSES)}")

    def _check_table(self, ratios: Mapping[str, float], what: str) -> None:
        if sorted(ratios) != list(CLASSES):
            raise InspectionError(f"{what} must give exactly the classes {', '.join(CLASSES)}")
        for cls, ratio in ratios.items():
            if not 0.0 <= ratio <= 1.0:
                raise InspectionError(f"{what}: ratio for {cls} must be within [0, 1]")
            low, high = GUIDANCE_BANDS[cls]
            if not self.allow_outside_bands and not low <= ratio <= high:
                raise InspectionError(
                    f"{what}: ratio {ratio} for class {cls} is outside {low:.0%}-{high:.0%}"
                    " (allow_outside_bands to override)"
                )


@dataclass(frozen=True)
class Selected:
    """One selected entity."""

    uscc: str
    risk_class: str
    stratum: str
    reason: str


# --------------------------------------------------------------------------- drawing


def stratum_size(ratio: float, population: int) -> int:
    """How many of ``population`` a stratum at ``ratio`` selects (rounded half up)."""
    return min(population, math.floor(ratio * population + 0.5))


def draw(inputs: Mapping[str, Any]) -> tuple[list[Selected], dict[str, dict[str, int]]]:
    """The selection of a plan's inputs (see ``plan_inputs``) and per-stratum counts."""
    seed = int(inputs["seed"])
    ratios: Mapping[str, float] = inputs["ratios"]
    factor = float(inputs["whitelist_factor"])
    snapshot: Mapping[str, str] = inputs["snapshot"]
    whitelist = set(inputs["whitelist"])
    sandbox = set(inputs["sandbox"])
    triggers: Mapping[str, list[str]] = inputs["triggers"]
    kinds: Mapping[str, str] = inputs.get("kinds", {})
    kind_ratios: Mapping[str, Mapping[str, float]] = inputs.get("kind_ratios", {})
    strata: dict[str, list[str]] = {}
    for key in sorted(snapshot):
        if key in sandbox:
            continue
        kind = kinds.get(key, "enterprise")
        head = f"{kind}:" if kind in kind_ratios else ""
        suffix = "/whitelist" if key in whitelist else ""
        strata.setdefault(head + snapshot[key] + suffix, []).append(key)
    selected: list[Selected] = []
    counts: dict[str, dict[str, int]] = {}
    tables: list[tuple[str, Mapping[str, float], list[int]]] = [("", ratios, [seed])]
    tables += [
        (f"{kind}:", kind_ratios[kind], [seed, ENTITY_KINDS.index(kind)])
        for kind in sorted(kind_ratios)
    ]
    for head, table, stream in tables:
        for number, cls in enumerate(CLASSES):
            for offset, suffix in enumerate(("", "/whitelist")):
                name = head + cls + suffix
                keys = strata.get(name, [])
                ratio = table[cls] * (factor if suffix else 1.0)
                k = stratum_size(ratio, len(keys))
                counts[name] = {"population": len(keys), "selected": k}
                if not k:
                    continue
                # [seed, stratum]: the streams of format 1; kinds add their index
                rng = np.random.default_rng([*stream, 2 * number + offset])
                chosen = np.sort(rng.choice(len(keys), size=k, replace=False))
                reason = "whitelist" if suffix else "random"
                selected.extend(Selected(keys[int(i)], cls, name, reason) for i in chosen)
    triggered = sorted(key for key in sandbox if key in snapshot and triggers.get(key))
    counts["sandbox"] = {
        "population": sum(1 for key in sandbox if key in snapshot),
        "selected": len(triggered),
    }
    selected.extend(Selected(key, snapshot[key], "sandbox", "trigger") for key in triggered)
    selected.sort(key=lambda s: s.uscc)
    return selected, counts


def counts_by_kind(
    inputs: Mapping[str, Any], selected: Iterable[Selected]
) -> dict[str, dict[str, dict[str, int]]]:
    """Per kind of market entity and class: the inspectable population (sandbox
    included) and how many the plan selected (for any reason); every kind and class."""
    kinds: Mapping[str, str] = inputs.get("kinds", {})
    out: dict[str, dict[str, dict[str, int]]] = {
        kind: {cls: {"population": 0, "selected": 0} for cls in CLASSES} for kind in ENTITY_KINDS
    }
    for key, cls in inputs["snapshot"].items():
        out[kinds.get(key, "enterprise")][cls]["population"] += 1
    for chosen in selected:
        out[kinds.get(chosen.uscc, "enterprise")][chosen.risk_class]["selected"] += 1
    return {kind: dict(table) for kind, table in out.items()}


def plan_inputs(
    config: PlanConfig,
    *,
    as_of: date,
    snapshot: Mapping[str, str],
    whitelist: Iterable[str] = (),
    sandbox: Iterable[str] = (),
    triggers: Mapping[str, list[str]] | None = None,
    kinds: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The canonical inputs of a plan: everything ``draw`` needs, lists sorted.

    ``kinds`` gives the kind of market entity of snapshot keys that are not
    enterprises (individual businesses, cooperatives); others are enterprises."""
    config.check()
    kinds = kinds or {}
    return {
        "format": PLAN_FORMAT,
        "seed": config.seed,
        "ratios": {cls: float(config.ratios[cls]) for cls in CLASSES},
        "whitelist_factor": float(config.whitelist_factor),
        "unclassified_as": config.unclassified_as,
        "statuses": list(config.statuses),
        "include_unknown_status": config.include_unknown_status,
        "as_of": as_of.isoformat(),
        "snapshot": {key: snapshot[key] for key in sorted(snapshot)},
        "whitelist": sorted(set(whitelist)),
        "sandbox": sorted(set(sandbox)),
        "triggers": {key: sorted(v) for key, v in sorted((triggers or {}).items()) if v},
        "kinds": {
            key: kinds[key]
            for key in sorted(kinds)
            if key in snapshot and kinds[key] != "enterprise"
        },
        "kind_ratios": {
            kind: {cls: float(table[cls]) for cls in CLASSES}
            for kind, table in sorted(config.kind_ratios.items())
        },
    }


def inputs_digest(inputs: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the inputs."""
    text = json.dumps(inputs, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plan_id(inputs: Mapping[str, Any]) -> str:
    """Same inputs, same id: ``IP-<as_of>-<digest prefix>``."""
    return f"IP-{inputs['as_of']}-{inputs_digest(inputs)[:12]}"


# --------------------------------------------------------------------------- the graph side


def read_snapshot(
    store: GraphStore, config: PlanConfig, *, page_size: int = 10_000
) -> dict[str, str]:
    """The class of every inspectable enterprise: risk_class, else label_class, else
    ``unclassified_as``."""
    return read_population(store, config, page_size=page_size)[0]


def read_population(
    store: GraphStore, config: PlanConfig, *, page_size: int = 10_000
) -> tuple[dict[str, str], dict[str, str]]:
    """The class of every inspectable enterprise (as :func:`read_snapshot`) and the
    kind of market entity of those that are not enterprises."""
    query = store.query_text("inspection_population_page")
    snapshot: dict[str, str] = {}
    kinds: dict[str, str] = {}
    after = ""
    while True:
        rows = store.read(
            query,
            after=after,
            limit=page_size,
            statuses=list(config.statuses),
            include_unknown_status=config.include_unknown_status,
        )
        for row in rows:
            cls = row["class"]
            snapshot[row["uscc"]] = cls if cls in CLASSES else config.unclassified_as
            kind = entity_kind(row.get("org_type"))
            if kind != "enterprise":
                kinds[row["uscc"]] = kind
        if len(rows) < page_size:
            return snapshot, kinds
        after = rows[-1]["uscc"]


def read_triggers(store: GraphStore, keys: Iterable[str]) -> dict[str, list[str]]:
    """Open alerts (open, in progress) of the given enterprises, by enterprise."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    rows = store.read(
        store.query_text("inspection_triggers"),
        keys=wanted,
        statuses=list(ACTIVE_STATUSES),
    )
    return {row["uscc"]: sorted(row["alerts"]) for row in rows if row["alerts"]}


@dataclass(frozen=True)
class Population:
    """A narrower population for a plan: the keys a screen matched, and the screen."""

    keys: Collection[str]
    screen: Mapping[str, Any]


def create_plan(
    store: GraphStore,
    config: PlanConfig,
    plans_dir: Path,
    *,
    whitelist: Iterable[str] | None = None,
    sandbox: Iterable[str] | None = None,
    as_of: date | None = None,
    now: datetime | None = None,
    population: Population | None = None,
) -> dict[str, Any]:
    """Draw a plan from the graph's current classes and store it (JSON and graph).

    Without ``whitelist`` and ``sandbox`` the plan reads the managed lists
    (:mod:`riskgraph.analytics.lists`) after sweeping them as of the plan date; the
    lists it used are recorded in its inputs either way, and the sweep's exits in
    ``lists``. ``population`` narrows the inspectable enterprises to a screen's
    matches (the screen is recorded in the inputs). Returns the plan document (as
    written to ``plans_dir/<plan_id>.json``).
    """
    config.check()
    day = as_of or date.today()
    lists_used: dict[str, Any] = {"source": "given", "swept": []}
    if whitelist is None and sandbox is None:
        swept = managed.sweep(store, today=day, now=now)
        whitelist = managed.active_keys(store, managed.WHITELIST)
        sandbox = managed.active_keys(store, managed.SANDBOX)
        lists_used = {"source": "managed", "swept": swept.exits}
    sandbox = sorted(set(sandbox or ()))
    snapshot, kinds = read_population(store, config)
    if population is not None:
        snapshot = {key: cls for key, cls in snapshot.items() if key in population.keys}
    inputs = plan_inputs(
        config,
        as_of=day,
        snapshot=snapshot,
        whitelist=whitelist or (),
        sandbox=sandbox,
        triggers=read_triggers(store, sandbox),
        kinds=kinds,
    )
    if population is not None:
        inputs["screen"] = dict(population.screen)
    selected, counts = draw(inputs)
    document = {
        "plan_id": plan_id(inputs),
        "created_at": timestamp(now),
        "inputs_sha256": inputs_digest(inputs),
        "counts": counts,
        "counts_by_kind": counts_by_kind(inputs, selected),
        "selected": [asdict(s) for s in selected],
        "inputs": inputs,
        "lists": lists_used,
    }
    plans_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = plans_dir / f"{document['plan_id']}.json"
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    # The plan holds a class snapshot: risk results stay readable by the owner only.
    with os.fdopen(
        os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8"
    ) as handle:
        handle.write(text + "\n")
    _store_plan(store, document, path)
    document["path"] = str(path)
    return document


def _store_plan(store: GraphStore, document: Mapping[str, Any], path: Path) -> None:
    apply_ddl(store, "inspection_schema")
    inputs = document["inputs"]
    store.write(
        store.query_text("inspection_plan_upsert"),
        plan_id=document["plan_id"],
        seed=inputs["seed"],
        as_of=inputs["as_of"],
        created_at=document["created_at"],
        ratios=json.dumps(inputs["ratios"], sort_keys=True),
        whitelist_factor=inputs["whitelist_factor"],
        counts=json.dumps(document["counts"], sort_keys=True),
        inputs_sha256=document["inputs_sha256"],
        selected=len(document["selected"]),
        population=len(inputs["snapshot"]),
        whitelist=len(inputs["whitelist"]),
        sandbox=len(inputs["sandbox"]),
        path=str(path),
    )
    query = store.query_text("inspection_select")
    rows = [
        {
            "uscc": s["uscc"],
            "class": s["risk_class"],
            "stratum": s["stratum"],
            "reason": s["reason"],
        }
        for s in document["selected"]
    ]
    for start in range(0, len(rows), 5000):
        store.write(query, plan_id=document["plan_id"], rows=rows[start : start + 5000])


class PlanNotFound(NotFound):
    """No stored plan has the id, or its file cannot be read."""


def load_plan(plans_dir: Path, plan: str) -> dict[str, Any]:
    """A stored plan document by id (or a path to its JSON)."""
    path = Path(plan) if plan.endswith(".json") else plans_dir / f"{plan}.json"
    if not path.is_file():
        raise PlanNotFound(f"no inspection plan {plan!r}")
    try:
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PlanNotFound(f"the inspection plan {plan!r} is unreadable") from exc
    return document


@dataclass(frozen=True)
class PlanView:
    """A stored plan as investigators read it: the document, whether its recorded
    inputs re-draw its selection (None when not checked), and its progress (None if
    the plan is not in the graph)."""

    document: dict[str, Any]
    verified: bool | None
    progress: dict[str, int] | None


def read_plan(store: GraphStore, plans_dir: Path, plan: str, *, verify: bool = True) -> PlanView:
    """A stored plan with its progress, verified by re-drawing it unless ``verify`` is
    false; raises PlanNotFound."""
    document = load_plan(plans_dir, plan)
    verified = verify_plan(document) if verify else None
    return PlanView(document, verified, plan_progress(store, document["plan_id"]))


def list_plans(store: GraphStore, *, limit: int = 50, offset: int = 0) -> Page:
    """Stored plans, newest first (``ratios`` parsed; None where unreadable)."""
    rows = store.read(store.query_text("inspection_plan_list"), skip=offset, limit=limit + 1)
    for row in rows:
        if isinstance(row.get("ratios"), str):
            try:
                row["ratios"] = json.loads(row["ratios"])
            except ValueError:
                row["ratios"] = None
    return page_of(rows, limit=limit, offset=offset)


def plan_progress(store: GraphStore, plan: str) -> dict[str, int] | None:
    """How many of a stored plan's selected enterprises are linked and have a result."""
    rows = store.read(store.query_text("inspection_plan_get"), plan_id=plan)
    if not rows:
        return None
    return {"linked": int(rows[0]["linked"]), "inspected": int(rows[0]["inspected"])}


def verify_plan(document: Mapping[str, Any]) -> bool:
    """Whether the plan's recorded inputs re-draw exactly its recorded selection."""
    inputs = document["inputs"]
    if inputs_digest(inputs) != document["inputs_sha256"] or plan_id(inputs) != document["plan_id"]:
        return False
    selected, counts = draw(inputs)
    return [asdict(s) for s in selected] == list(document["selected"]) and counts == dict(
        document["counts"]
    )


# --------------------------------------------------------------------------- results


@dataclass
class RecordReport:
    """What ``record_results`` stored."""

    records: int
    passed: int
    failed: int
    unknown_enterprises: list[str]


def parse_results(path: Path, *, today: date | None = None) -> list[dict[str, Any]]:
    """Read a results CSV (uscc, date, result; optional plan_id, case_no, authority, note).

    ``result`` is 合格/不合格 (or pass/fail); ``date`` is YYYY-MM-DD, not in the future.
    Raises InspectionError listing every bad line.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = set(reader.fieldnames or ())
            missing = {"uscc", "date", "result"} - header
            if missing:
                raise InspectionError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
            raw = list(reader)
    except (OSError, UnicodeDecodeError) as exc:
        raise InspectionError(f"cannot read {path}: {exc}") from exc
    return check_results(raw, today=today, where=path.name, first=2, unit="line")


def check_results(
    records: Sequence[Mapping[str, Any]],
    *,
    today: date | None = None,
    where: str = "results",
    first: int = 0,
    unit: str = "item",
) -> list[dict[str, Any]]:
    """Validate inspection results (as read from a file or sent to the API).

    Raises InspectionError naming every bad record (``<unit> <n>``, counted from
    ``first``) with its reasons; nothing is stored unless every record is valid.
    """
    today = today or date.today()
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, record in enumerate(records, start=first):
        cells = {k: clean_text(None if v is None else str(v)) for k, v in record.items() if k}
        row, why = _result_row(cells, today)
        if why:
            problems.append(f"{unit} {number}: {'; '.join(why)}")
        else:
            rows.append(row)
    if problems:
        raise InspectionError(f"{where}: " + " | ".join(problems[:20]))
    return rows


def _result_row(cells: Mapping[str, str | None], today: date) -> tuple[dict[str, Any], list[str]]:
    why: list[str] = []
    uscc = (cells.get("uscc") or "").upper().replace(" ", "")
    if problem := uscc_problem(uscc):
        why.append(f"uscc {problem}")
    result = RESULTS.get((cells.get("result") or "").lower())
    if result is None:
        why.append("result must be 合格 or 不合格 (pass/fail)")
    on: date | None = None
    try:
        on = date.fromisoformat(cells.get("date") or "")
        if on > today:
            why.append("date is in the future")
    except ValueError:
        why.append("date must be YYYY-MM-DD")
    plan = cells.get("plan_id")
    case_no = cells.get("case_no") or (
        f"{plan or 'inspection'}/{uscc}/{on.isoformat()}" if on else None
    )
    row = {
        "uscc": uscc,
        "date": on.isoformat() if on else None,
        "result": result,
        "plan_id": plan,
        "case_no": case_no,
        "authority": cells.get("authority"),
        "note": cells.get("note"),
    }
    return row, why


def record_results(
    store: GraphStore,
    rows: list[dict[str, Any]],
    *,
    now: datetime | None = None,
) -> RecordReport:
    """Store inspection outcomes; failures also become 抽查检查不合格 violations."""
    apply_ddl(store, "inspection_schema")
    stamp = timestamp(now)
    prepared = []
    for row in rows:
        rid = _digest(f"{row['plan_id'] or ''}|{row['uscc']}|{row['date']}|{row['case_no']}")
        # The loader's violation key (uscc|case_no): the same case arriving later in a
        # registry extract updates this node instead of doubling it.
        vid = _digest(f"{row['uscc']}|{row['case_no']}")
        prepared.append({**row, "rid": rid, "vid": vid, "failed": row["result"] == FAILED})
    stored: set[str] = set()
    for start in range(0, len(prepared), 2000):
        batch = prepared[start : start + 2000]
        found = store.write(store.query_text("inspection_record_results"), rows=batch, now=stamp)
        stored.update(r["uscc"] for r in found)
        failures = [r for r in batch if r["failed"] and r["uscc"] in stored]
        if failures:
            store.write(
                store.query_text("inspection_record_failures"),
                rows=failures,
                kind=FAILURE_KIND,
                status=ACTIVE_VIOLATION,
                now=stamp,
            )
    kept = [r for r in prepared if r["uscc"] in stored]
    return RecordReport(
        records=len(kept),
        passed=sum(1 for r in kept if not r["failed"]),
        failed=sum(1 for r in kept if r["failed"]),
        unknown_enterprises=sorted({r["uscc"] for r in prepared} - stored),
    )


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:20]
