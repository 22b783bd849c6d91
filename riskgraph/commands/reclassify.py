"""``riskgraph reclassify`` and ``review``: monthly re-classification with its change
feed, and the regional and industry review of class shares over the months."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from riskgraph.cli_support import (
    JsonFlag,
    connected,
    console,
    handles_errors,
    print_json,
    step_log,
)
from riskgraph.settings import get_settings

if TYPE_CHECKING:  # the run loads the model stack (torch): imported when it runs
    from riskgraph.analytics.reclassify import ReclassifySummary

ModelDir = Annotated[
    Path, typer.Option("--model", help="A model version folder, or the folder holding versions.")
]


@handles_errors
def reclassify(
    month: Annotated[str, typer.Option(help="The month classified, YYYY-MM.")],
    model: ModelDir = Path("models"),
    as_json: JsonFlag = False,
) -> None:
    """Score every firm, store the month's classes, the transitions and the change feed."""
    from riskgraph.analytics.reclassify import reclassify as run

    with connected(get_settings()) as store:
        summary = run(store, model, month, progress=step_log())
    if as_json:
        print_json(summary.to_dict())
        return
    _print_summary(summary)


def _print_summary(summary: ReclassifySummary) -> None:
    classes = list(summary.class_counts)
    console.print(
        f"{summary.month}: classified {summary.scored:,} firms with {summary.model} "
        f"({summary.model_version}); previous month {summary.previous_month or 'none'}"
    )
    counts = Table("", *classes, title="classes")
    counts.add_row("firms", *(f"{summary.class_counts[c]:,}" for c in classes))
    counts.add_row("new", *(f"{summary.new.get(c, 0):,}" for c in classes))
    console.print(counts)
    if summary.previous_month:
        matrix = Table("from \\ to", *classes, title=f"transitions from {summary.previous_month}")
        for previous, row in summary.transitions.items():
            matrix.add_row(previous, *(f"{row[c]:,}" for c in classes))
        console.print(matrix)
    console.print(
        f"changed class: {summary.changed:,}; new: {sum(summary.new.values()):,}; "
        f"gone: {summary.gone:,}; change feed: {summary.feed:,} records"
    )
    stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in summary.stages.items())
    console.print(f"stages: {stages}")
    if summary.monitoring is not None:
        console.print(f"model monitoring: {summary.monitoring.level} (riskgraph model monitoring)")


@handles_errors
def review(
    dimension: Annotated[str, typer.Option(help="region or industry.")] = "region",
    level: Annotated[str, typer.Option(help="province, city or district (regions).")] = "city",
    months: Annotated[int, typer.Option(min=1, max=36, help="The latest months shown.")] = 6,
    kind: Annotated[
        str | None, typer.Option(help="enterprise, individual or cooperative (default all).")
    ] = None,
    min_firms: Annotated[int, typer.Option(min=0, help="Flag only rows this large.")] = 30,
    top: Annotated[int, typer.Option(min=0, help="How many rising rows to flag.")] = 5,
    as_json: JsonFlag = False,
) -> None:
    """Class shares per region or industry over the months; the fastest-rising flagged."""
    from riskgraph.analytics.review import ReviewRule
    from riskgraph.analytics.review import review as build

    rule = ReviewRule(min_firms=min_firms, top=top)
    with connected(get_settings()) as store:
        answer = build(
            store,
            dimension=dimension,  # type: ignore[arg-type]  # checked by review()
            level=level,  # type: ignore[arg-type]
            months=months,
            kind=kind,
            rule=rule,
        )
    if as_json:
        print_json(answer)
        return
    _print_review(answer)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _print_review(answer: dict[str, Any]) -> None:
    if not answer["months"]:
        console.print("no re-classified month yet: run `riskgraph reclassify --month YYYY-MM`")
        return
    table = Table(
        "", "value", "name", "firms", "A", "B", "C", "D", "C+D", "last month", "window",
        title=f"{answer['dimension']} review, {answer['months'][0]} – {answer['months'][-1]}",
    )  # fmt: skip
    for row in answer["rows"]:
        table.add_row(
            "▲" if row["flagged"] else ("↑" if row["rising"] else ""),
            row["value"],
            row["name"] or "",
            f"{row['total']:,}",
            *(f"{row['counts'][c]:,}" for c in "ABCD"),
            _percent(row["high_share"]),
            _percent(row["change_month"]),
            _percent(row["rise"]),
        )
    console.print(table)
    console.print("▲ flagged: the fastest-rising C+D share (see docs/reclassification.md)")


def register(app: typer.Typer) -> None:
    """Add the re-classification commands to the main CLI."""
    app.command()(reclassify)
    app.command()(review)
