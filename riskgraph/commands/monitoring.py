"""``riskgraph model monitor`` and ``model monitoring``: the model's health month by month."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from riskgraph.cli_support import JsonFlag, connected, console, handles_errors, print_json
from riskgraph.settings import get_settings

model_app = typer.Typer(help="Model monitoring (模型监测): drift and calibration.")

MonthOption = Annotated[str, typer.Option("--month", help="The month, YYYY-MM.")]


@model_app.command("monitor")
@handles_errors
def monitor(
    month: MonthOption,
    model: Annotated[
        Path, typer.Option("--model", help="A model version folder, or the folder of versions.")
    ] = Path("models"),
    as_of: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Reference date of the features (default today)."),
    ] = None,
    watch: Annotated[float, typer.Option(help="PSI from which a feature is watched.")] = 0.1,
    drift: Annotated[float, typer.Option(help="PSI above which a feature has drifted.")] = 0.25,
    min_inspected: Annotated[
        int, typer.Option(min=1, help="Inspected firms a class needs for the inversion check.")
    ] = 20,
    save: Annotated[bool, typer.Option(help="Store the report in the graph.")] = True,
    top: Annotated[int, typer.Option(min=1, max=500, help="Features to list.")] = 10,
    as_json: JsonFlag = False,
) -> None:
    """Measure a month against the model's training month (PSI) and last month's classes
    against inspection findings; store the report."""
    from riskgraph.analytics.monitoring import MonitorConfig, MonitoringError, monitor_month
    from riskgraph.gnn.drift import Thresholds

    try:
        thresholds = Thresholds(watch=watch, drift=drift)
    except ValueError as exc:
        raise MonitoringError(str(exc)) from exc
    config = MonitorConfig(thresholds=thresholds, min_inspected=min_inspected)
    with connected(get_settings()) as store:
        report = monitor_month(
            store,
            model,
            month,
            as_of=as_of.date() if as_of else None,
            config=config,
            save=save,
        )
    if as_json:
        print_json(report.to_dict())
        return
    _print_report(report.to_dict(), top)


@model_app.command("monitoring")
@handles_errors
def show(
    month: Annotated[
        str | None, typer.Option("--month", help="YYYY-MM (default: the latest).")
    ] = None,
    months: Annotated[bool, typer.Option("--months", help="List the months instead.")] = False,
    top: Annotated[int, typer.Option(min=1, max=500, help="Features to list.")] = 10,
    as_json: JsonFlag = False,
) -> None:
    """Show a stored monitoring report, or the months that have one."""
    from riskgraph.analytics.monitoring import list_reports, read_report

    with connected(get_settings()) as store:
        if months:
            page = list_reports(store, limit=500)
            if as_json:
                print_json(page.items)
                return
            table = Table("month", "level", "model version", "created")
            for row in page.items:
                table.add_row(row["month"], row["level"], row["model_version"], row["created_at"])
            console.print(table)
            return
        report = read_report(store, month)
    if as_json:
        print_json(report.to_dict())
        return
    _print_report(report.to_dict(), top)


def _print_report(report: dict[str, Any], top: int) -> None:
    reference = report.get("reference")
    since = f"against {reference['month']}" if isinstance(reference, dict) else "(no reference)"
    console.print(
        f"[bold]{report['month']}[/] model {report['model_version']} {since}: "
        f"level [bold]{report['level']}[/], class-share PSI {report['class_share_psi']}"
    )
    features = report.get("features")
    if isinstance(features, list) and features:
        table = Table("feature", "name", "kind", "PSI", "level", title="worst features")
        for item in features[:top]:
            name = item.get("name") or {}
            table.add_row(
                item["feature"],
                name.get("zh", ""),
                item["kind"],
                f"{item['psi']:.4f}",
                item["level"],
            )
        console.print(table)
    calibration = report.get("calibration")
    if isinstance(calibration, dict):
        table = Table(
            "class", "inspected", "with findings", "rate",
            title=f"classes of {calibration['previous_month']} against inspections",
        )  # fmt: skip
        for row in calibration["classes"]:
            rate = "-" if row["rate"] is None else f"{row['rate']:.1%}"
            table.add_row(row["class"], str(row["inspected"]), str(row["with_findings"]), rate)
        console.print(table)
    for warning in report.get("warnings") or []:
        console.print(f"[yellow]warning:[/] {warning}")
