"""``generate_registry``: the stages in order, each with its own random stream."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .addresses import stage_addresses
from .arrays import Progress, stage_rng
from .classes import stage_classes
from .entities import stage_entities
from .filings import stage_filings
from .history import stage_lr_history
from .identities import stage_identities
from .investments import stage_investments
from .monitors import stage_monitors
from .patterns import stage_plan
from .people import distinct_offices, stage_people
from .regions import load_regions
from .registry import Registry
from .risk import abnormal_hotspot_firms, stage_risk
from .summary import summary
from .violations import stage_violations
from .write import write_files, write_readme


def _build(reg: Registry, report: Progress) -> None:
    """Run stages 1-9, 11 and 12, filling ``reg``."""
    seed = reg.seed
    reg.firms = stage_entities(stage_rng(seed, 1), reg)
    report("entities", reg.firms.n)
    reg.plan = stage_plan(stage_rng(seed, 2), reg)
    report("patterns planned", int((reg.plan.ring >= 0).sum() + (reg.plan.loop >= 0).sum()))
    reg.sites = stage_addresses(stage_rng(seed, 3), reg)
    report("addresses", len(reg.sites.text))
    reg.people = stage_people(stage_rng(seed, 4), reg)
    report("positions", len(reg.people.slot_firm))
    reg.investments = stage_investments(stage_rng(seed, 5), reg)
    report("investments", len(reg.investments.investee))
    rng = stage_rng(seed, 6)
    reg.abnormal_hot = abnormal_hotspot_firms(rng, reg)
    reg.risk = stage_risk(rng, reg)
    report("risk", reg.firms.n)
    reg.changes = stage_lr_history(stage_rng(seed, 7), reg)
    distinct_offices(reg)
    reg.violations = stage_violations(stage_rng(seed, 8), reg)
    report("violations", len(reg.violations.firm))
    reg.classes, reg.components = stage_classes(stage_rng(seed, 9), reg)
    report("classes", reg.firms.n)
    reg.monitors = stage_monitors(stage_rng(seed, 11), reg)
    report("monitor patterns", sum(len(members) for members in reg.monitors.values()))
    reg.filings = stage_filings(stage_rng(seed, 12), reg)
    report("filings", len(reg.filings.lic_firm) + len(reg.filings.rep_firm))


def generate_registry(
    n_enterprises: int,
    seed: int,
    out_dir: Path,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Generate a synthetic registry of ``n_enterprises`` firms into ``out_dir``.

    Returns a summary: rows per file, class shares, pattern counts and calibration
    statistics. The same ``seed`` gives byte-identical files.
    """
    if n_enterprises < 1000:
        raise ValueError("n_enterprises must be at least 1000")
    if seed < 0:
        raise ValueError("seed must be non-negative")

    def report(stage: str, rows: int) -> None:
        if progress is not None:
            progress(stage, rows)

    out_dir = Path(out_dir)
    (out_dir / "truth").mkdir(parents=True, exist_ok=True)
    reg = Registry(n=n_enterprises, seed=seed, regions=load_regions())
    _build(reg, report)
    rng = stage_rng(seed, 10)
    reg.identities = stage_identities(rng, reg)
    report("identifiers", reg.firms.n + reg.persons.n)
    rows = write_files(rng, out_dir, reg)
    write_readme(out_dir, n_enterprises, seed)
    report("written", sum(rows.values()))
    return summary(reg, rows)
