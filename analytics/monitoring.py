"""Model monitoring, month by month: drift against the training month and calibration.

``month_report(store, bundle, inputs, scores, month)`` measures one month's
population against the reference the model version stored at training
(:mod:`riskgraph.gnn.drift`): the population stability index (PSI) of every
enterprise input feature and of the class shares. It also sets last month's
classes against the inspection findings recorded since (:func:`calibration`),
and stores the report as a ``MonitoringReport`` node (one per month; a rerun
replaces it). ``monitor_month`` does the same from a model folder, exporting,
preparing and predicting itself. See docs/monitoring.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from riskgraph.analytics.clock import timestamp
from riskgraph.analytics.pages import Page, page_of
from riskgraph.errors import Invalid, NotFound
from riskgraph.gnn.drift import (
    BINS,
    EPSILON,
    Thresholds,
    class_share_drift,
    class_shares,
    feature_drift,
    worst,
)
from riskgraph.gnn.feature_names import feature_name
from riskgraph.graph.schema import apply_ddl
from riskgraph.graph.store import GraphStore

if TYPE_CHECKING:  # the model stack (torch) loads only where a model is run
    from riskgraph.gnn.bundle import Bundle
    from riskgraph.gnn.inputs import Inputs
    from riskgraph.gnn.score import Scores

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MONTH_PATTERN = MONTH.pattern
NO_REFERENCE = "no_reference"
FAILED = "不合格"
MIN_INSPECTED = 20
"""A class takes part in the inversion check only with at least this many inspected
enterprises: with 20 the standard error of a finding rate near 0.2 is about 0.09."""
TOP_FEATURES = 10


@dataclass(frozen=True)
class MonitorConfig:
    """PSI thresholds and the smallest class that takes part in the inversion check."""

    thresholds: Thresholds = field(default_factory=Thresholds)
    min_inspected: int = MIN_INSPECTED


class MonitoringError(Invalid):
    """A month is not YYYY-MM, or monitoring settings are impossible."""


class ReportNotFound(NotFound):
    """No monitoring report is stored for the month (or none at all)."""


@dataclass
class MonitoringReport:
    """One month's model health."""

    month: str
    model_version: str
    model: str
    created_at: str
    level: str
    """``stable``, ``watch``, ``drift``, or ``no_reference`` (a version without one)."""
    population: int
    thresholds: dict[str, float]
    class_shares: dict[str, float]
    reference: dict[str, Any] | None = None
    """The training month, its date, population and model; ``None``: no reference."""
    reference_class_shares: dict[str, float] | None = None
    class_share_psi: float | None = None
    class_share_level: str | None = None
    features: list[dict[str, Any]] = field(default_factory=list)
    """Every feature's PSI, the largest first (``feature``, ``name``, ``kind``,
    ``psi``, ``level``)."""
    feature_levels: dict[str, int] = field(default_factory=dict)
    calibration: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MonitoringReport:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})

    def worst_features(self, top: int = TOP_FEATURES) -> list[dict[str, Any]]:
        """The ``top`` features of largest PSI."""
        return self.features[:top]


def check_month(month: str) -> str:
    """``month`` when it is ``YYYY-MM``; else MonitoringError."""
    if not isinstance(month, str) or not MONTH.match(month):
        raise MonitoringError(f"month must be YYYY-MM, not {month!r}")
    return month


def previous_month(month: str) -> str:
    """The month before ``YYYY-MM``."""
    year, number = (int(part) for part in check_month(month).split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


# --------------------------------------------------------------------------- building


def month_report(
    store: GraphStore,
    bundle: Bundle,
    inputs: Inputs,
    scores: Scores,
    month: str,
    *,
    config: MonitorConfig | None = None,
    save: bool = True,
    now: datetime | None = None,
) -> MonitoringReport:
    """The monitoring report of ``month`` for a population already prepared and scored
    with ``bundle``; stored as the month's ``MonitoringReport`` unless ``save`` is false."""
    check_month(month)
    config = config or MonitorConfig()
    limits = config.thresholds
    shares = class_shares(scores.predicted, scores.classes)
    report = MonitoringReport(
        month=month,
        model_version=bundle.version,
        model=bundle.selected,
        created_at=timestamp(now),
        level=NO_REFERENCE,
        population=len(scores.keys),
        thresholds={"watch": limits.watch, "drift": limits.drift},
        class_shares=shares,
    )
    reference = bundle.reference
    if reference is None:
        report.warnings.append(
            f"no reference: model version {bundle.version} was trained before monitoring "
            "stored one; retrain to measure drift"
        )
    else:
        _drift(report, reference, inputs, scores.classes, limits)
    report.calibration = calibration(
        store, month, bundle.classes, min_inspected=config.min_inspected
    )
    for inversion in report.calibration["inversions"]:
        report.warnings.append(
            f"calibration: class {inversion['lower']} had a higher finding rate "
            f"({inversion['lower_rate']:.0%}) than class {inversion['higher']} "
            f"({inversion['higher_rate']:.0%})"
        )
    if save:
        save_report(store, report)
    return report


def _drift(
    report: MonitoringReport,
    reference: Mapping[str, Any],
    inputs: Inputs,
    classes: Sequence[str],
    limits: Thresholds,
) -> None:
    """Fill the drift part of ``report`` from the stored reference."""
    report.reference = {
        "month": reference.get("month"),
        "as_of": reference.get("as_of"),
        "population": reference.get("population"),
        "model": reference.get("model"),
        "bins": reference.get("bins", BINS),
        "epsilon": reference.get("epsilon", EPSILON),
    }
    report.reference_class_shares = {
        c: float(reference["class_shares"].get(c, 0.0)) for c in classes
    }
    report.class_share_psi = class_share_drift(reference, report.class_shares, classes)
    report.class_share_level = limits.level(report.class_share_psi)
    drifts = feature_drift(reference, inputs.own, limits)
    report.features = [
        {
            "feature": d.feature,
            "name": feature_name(d.feature),
            "kind": d.kind,
            "psi": d.psi,
            "level": d.level,
        }
        for d in drifts
    ]
    report.feature_levels = {
        level: sum(1 for d in drifts if d.level == level) for level in ("stable", "watch", "drift")
    }
    report.level = worst([report.class_share_level, *(d.level for d in drifts)])
    if report.class_share_level != "stable":
        report.warnings.append(
            f"class shares: PSI {report.class_share_psi:.3f} ({report.class_share_level})"
        )
    drifted = [d for d in drifts if d.level == "drift"]
    if drifted:
        names = ", ".join(f"{d.feature} ({d.psi:.3f})" for d in drifted[:5])
        report.warnings.append(f"{len(drifted)} features drifted (PSI > {limits.drift}): {names}")


def calibration(
    store: GraphStore, month: str, classes: Sequence[str], *, min_inspected: int = MIN_INSPECTED
) -> dict[str, Any]:
    """Last month's classes against the inspection findings recorded since.

    Each inspected enterprise's class is that of its assessment for the previous
    month (``RiskAssessment.month``), else of its latest assessment dated before
    ``month`` starts; its inspections count from the first day of that previous month
    (or from the assessment's date) up to the day before ``month`` starts. Per class:
    enterprises inspected, those with findings (an inspection ``不合格``) and their share.
    An inversion is a lower class with a higher finding rate than a higher class, both
    with at least ``min_inspected`` enterprises inspected.
    """
    if min_inspected < 1:
        raise MonitoringError("min_inspected must be at least 1")
    previous = previous_month(month)
    rows = store.read(
        store.query_text("monitoring_calibration"),
        previous=previous,
        month=month,
        start=f"{month}-01",
        failed=FAILED,
    )
    found = {str(row["risk_class"]): row for row in rows if row["risk_class"] is not None}
    order = [*classes, *sorted(set(found) - set(classes))]
    table = []
    for cls in order:
        row = found.get(cls, {})
        inspected = int(row.get("inspected") or 0)
        findings = int(row.get("with_findings") or 0)
        rate = round(findings / inspected, 6) if inspected else None
        table.append(
            {"class": cls, "inspected": inspected, "with_findings": findings, "rate": rate}
        )
    return {
        "previous_month": previous,
        "until": (date.fromisoformat(f"{month}-01")).isoformat(),
        "min_inspected": min_inspected,
        "classes": table,
        "inversions": _inversions(table, classes, min_inspected),
    }


def _inversions(
    table: Sequence[Mapping[str, Any]], classes: Sequence[str], min_inspected: int
) -> list[dict[str, Any]]:
    """Pairs (lower class, higher class) where the lower one's finding rate is higher."""
    ranked = [row for row in table if row["class"] in classes and row["inspected"] >= min_inspected]
    found = []
    for i, low in enumerate(ranked):
        for high in ranked[i + 1 :]:
            if low["rate"] > high["rate"]:
                found.append(
                    {
                        "lower": low["class"],
                        "higher": high["class"],
                        "lower_rate": low["rate"],
                        "higher_rate": high["rate"],
                    }
                )
    return found


def monitor_month(
    store: GraphStore,
    model: Path | Bundle,
    month: str,
    *,
    as_of: date | None = None,
    config: MonitorConfig | None = None,
    save: bool = True,
) -> MonitoringReport:
    """:func:`month_report` from a model folder (or loaded bundle): export the graph,
    prepare it with the version's pipeline (features as of ``as_of``, default today) and
    predict, without writing scores."""
    from riskgraph.gnn.bundle import load_bundle
    from riskgraph.gnn.export import export_graph
    from riskgraph.gnn.score import predict_inputs

    check_month(month)
    bundle = load_bundle(Path(model), device="cpu") if isinstance(model, (str, Path)) else model
    inputs = bundle.prepare(export_graph(store), as_of=as_of)
    scores = predict_inputs(bundle, inputs)
    return month_report(
        store,
        bundle,
        inputs,
        scores,
        month,
        config=config,
        save=save,
    )


# --------------------------------------------------------------------------- storing


def save_report(store: GraphStore, report: MonitoringReport) -> None:
    """Store ``report`` as its month's ``MonitoringReport`` node (replacing an older one)."""
    apply_ddl(store, "monitoring_schema")
    store.write(
        store.query_text("monitoring_report_upsert"),
        month=report.month,
        model_version=report.model_version,
        created_at=report.created_at,
        level=report.level,
        json=json.dumps(report.to_dict(), ensure_ascii=False, separators=(",", ":")),
    )


def read_report(store: GraphStore, month: str | None = None) -> MonitoringReport:
    """The stored report of ``month`` (the latest when ``None``); ReportNotFound if none."""
    if month is not None:
        check_month(month)
    rows = store.read(store.query_text("monitoring_report_get"), month=month)
    if not rows:
        raise ReportNotFound(
            f"no monitoring report for {month}" if month else "no monitoring report yet"
        )
    try:
        data = json.loads(str(rows[0]["json"]))
    except ValueError as exc:
        raise ReportNotFound(f"the monitoring report of {rows[0]['month']} is unreadable") from exc
    return MonitoringReport.from_dict(data)


def list_reports(store: GraphStore, *, limit: int = 50, offset: int = 0) -> Page:
    """Months with a stored report, newest first (month, model version, level, created)."""
    if not 1 <= limit <= 500 or offset < 0:
        raise MonitoringError("limit must be within 1-500 and offset not negative")
    rows = store.read(store.query_text("monitoring_report_list"), skip=offset, limit=limit + 1)
    return page_of(rows, limit=limit, offset=offset)
