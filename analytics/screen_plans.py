"""Send a screen to an inspection plan: the screen's matches become the plan's population.

The plan is drawn as every plan is (``riskgraph.analytics.inspections``): per class,
with the seed, ratios, whitelist and sandbox; only the snapshot of inspectable
enterprises is narrowed to those the screen matches on ``as_of``. The plan's inputs
record the screen's definition beside the snapshot, so the plan re-draws (and
verifies) from its own file, and anyone can re-run the screen to see where the
population came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from riskgraph.analytics import inspections
from riskgraph.analytics.screening import matching_rows, parse_screen
from riskgraph.graph.store import GraphStore


def plan_from_screen(
    store: GraphStore,
    definition: Any,
    config: inspections.PlanConfig,
    plans_dir: Path,
    *,
    whitelist: Iterable[str] | None = None,
    sandbox: Iterable[str] | None = None,
    as_of: date | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Draw and store a plan whose population is the screen's matches (evaluated on
    ``as_of``) that are also inspectable under ``config``; returns the plan document."""
    normal = parse_screen(definition)
    config.check()
    day = as_of or date.today()
    population = {row["uscc"] for row in matching_rows(store, normal, today=day)}
    return inspections.create_plan(
        store,
        config,
        plans_dir,
        whitelist=whitelist,
        sandbox=sandbox,
        as_of=day,
        now=now,
        population=inspections.Population(population, normal),
    )
