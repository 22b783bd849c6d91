"""Dispatch batches (派发批次): ``riskgraph dispatch create|list|show|task``."""

from __future__ import annotations

import getpass
from typing import Annotated, Any

import typer
from rich.table import Table

from riskgraph.cli_support import JsonFlag, connected, console, handles_errors, print_json
from riskgraph.settings import get_settings

app = typer.Typer(help="Dispatch batches of tasks from alerts (派发批次).", no_args_is_help=True)

_STATUS_ORDER = ("待签收", "处理中", "已办结", "退回")


def _actor(actor: str | None) -> str:
    return actor or f"cli:{getpass.getuser()}"


def _counts(counts: dict[str, int]) -> str:
    return " ".join(f"{status} {counts.get(status, 0)}" for status in _STATUS_ORDER)


@app.command("create")
@handles_errors
def create(
    rule: Annotated[
        list[str] | None, typer.Option("--rule", help="Rule id (repeatable; default all).")
    ] = None,
    run_id: Annotated[
        str | None, typer.Option("--run", help="Only alerts last seen by this rule run.")
    ] = None,
    min_severity: Annotated[
        str, typer.Option("--min-severity", help="Least severity of the alerts drawn on.")
    ] = "low",
    region: Annotated[
        str | None, typer.Option("--region", help="Region code prefix of the firms.")
    ] = None,
    severity_at_least: Annotated[
        str, typer.Option("--severity-at-least", help="Dispatch every alert this severe.")
    ] = "high",
    min_alerts_in_region: Annotated[
        int,
        typer.Option("--min-alerts-in-region", help="…or of a rule with this many in the region."),
    ] = 5,
    due_days: Annotated[int, typer.Option("--due-days", help="Days until the batch is due.")] = 30,
    include_pending: Annotated[
        bool,
        typer.Option("--include-pending", help="Also dispatch firms with an unfinished task."),
    ] = False,
    actor: Annotated[str | None, typer.Option("--actor", help="Who creates the batch.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Create a batch: one task per firm from the active alerts the thresholds select."""
    from riskgraph.analytics.dispatch import DispatchSource, DispatchThresholds, create_batch

    source = DispatchSource(
        run_id=run_id, rules=tuple(rule) if rule else None, min_severity=min_severity, region=region
    )
    thresholds = DispatchThresholds(
        severity_at_least=severity_at_least,
        min_alerts_in_region=min_alerts_in_region,
        due_days=due_days,
        skip_pending=not include_pending,
    )
    with connected(get_settings()) as store:
        result = create_batch(store, source, thresholds, created_by=_actor(actor))
    summary: dict[str, Any] = {
        "batch": result.batch,
        "alerts_considered": result.alerts_considered,
        "alerts_dispatched": result.alerts_dispatched,
        "skipped_pending": result.skipped_pending,
        "tasks": result.tasks,
    }
    if as_json:
        print_json(summary)
        return
    console.print(
        f"batch {result.batch['bid']}: {result.tasks} tasks from {result.alerts_dispatched} of "
        f"{result.alerts_considered} alerts (due {result.batch['due']}; "
        f"{result.skipped_pending} firms already had a task)"
    )


@app.command("list")
@handles_errors
def list_(
    limit: Annotated[int, typer.Option("--limit", min=1, max=200)] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    as_json: JsonFlag = False,
) -> None:
    """Batches, newest first, with their task counts per status."""
    from riskgraph.analytics.dispatch import list_batches

    with connected(get_settings()) as store:
        page = list_batches(store, limit=limit, offset=offset)
    if as_json:
        print_json({"items": page.items, "next_offset": page.next_offset})
        return
    table = Table("batch", "created", "by", "due", "tasks", "per status", title="dispatch batches")
    for batch in page.items:
        table.add_row(
            batch["bid"],
            str(batch.get("created_at")),
            str(batch.get("created_by")),
            str(batch.get("due")),
            str(batch.get("tasks")),
            _counts(batch["counts"]),
        )
    console.print(table)


@app.command("show")
@handles_errors
def show(
    bid: Annotated[str, typer.Argument(help="The batch id (DB-…).")],
    status: Annotated[
        str | None, typer.Option("--status", help="Only tasks of this status.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    as_json: JsonFlag = False,
) -> None:
    """One batch: its counts per status and a page of its tasks."""
    from riskgraph.analytics.dispatch import get_batch, list_tasks

    with connected(get_settings()) as store:
        batch = get_batch(store, bid)
        page = list_tasks(store, bid, status=status, limit=limit, offset=offset)
    if as_json:
        print_json({"batch": batch, "tasks": page.items, "next_offset": page.next_offset})
        return
    console.print(f"{bid}: {_counts(batch['counts'])} (due {batch.get('due')})")
    table = Table("task", "firm", "unit", "rules", "status", "note")
    for task in page.items:
        table.add_row(
            task["tid"],
            f"{task.get('firm_name') or ''} {task['uscc']}",
            str(task.get("unit_name")),
            ",".join(task.get("rules") or []),
            task["status"],
            task.get("note") or "",
        )
    console.print(table)


@app.command("task")
@handles_errors
def task_status(
    bid: Annotated[str, typer.Argument(help="The batch id.")],
    tid: Annotated[str, typer.Argument(help="The task id.")],
    status: Annotated[str, typer.Argument(help="待签收, 处理中, 已办结 or 退回.")],
    note: Annotated[
        str | None, typer.Option("--note", help="Result or reason (required for 已办结, 退回).")
    ] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Who changes it.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Move a task to another status (recorded in its history)."""
    from riskgraph.analytics.dispatch import change_task_status

    with connected(get_settings()) as store:
        previous, task = change_task_status(store, bid, tid, status, note=note, actor=_actor(actor))
    if as_json:
        print_json({"from_status": previous, "task": task})
        return
    console.print(f"{tid}: {previous} → {task['status']}")
