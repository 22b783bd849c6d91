"""``riskgraph repairs …``: credit repair (信用修复) applications, reviews, decisions."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from riskgraph.cli_support import JsonFlag, connected, console, handles_errors, print_json
from riskgraph.settings import get_settings

app = typer.Typer(
    help="Credit repair (信用修复): apply, review, decide, monthly counts.", no_args_is_help=True
)

ActorOption = Annotated[str | None, typer.Option("--actor", help="Who acts (default cli:<user>).")]


def _actor(actor: str | None) -> str:
    return actor or f"cli:{getpass.getuser()}"


def _print(repair: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(repair)
        return
    console.print(
        f"{repair['rid']} {repair['uscc']} [bold]{repair['status']}[/] "
        f"class {repair.get('class_before') or repair['class'] or '-'}"
        + (f" → {repair['class_after']}" if repair.get("class_after") else "")
        + (f" ({repair['rescore']})" if repair.get("rescore") else "")
    )


@app.command("list")
@handles_errors
def list_(
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    risk_class: Annotated[
        str | None, typer.Option("--class", help="Only firms of this class.")
    ] = None,
    month: Annotated[str | None, typer.Option(help="Only applications of YYYY-MM.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonFlag = False,
) -> None:
    """The queue: C and D firms first, then the oldest application."""
    from riskgraph.analytics.repair import RepairFilter, list_repairs

    filters = RepairFilter(status=status, risk_class=risk_class, month=month)
    with connected(get_settings()) as store:
        page = list_repairs(store, filters, limit=limit, offset=offset)
    if as_json:
        print_json({"items": page.items, "next_offset": page.next_offset})
        return
    table = Table("id", "uscc", "name", "class", "status", "applied", "violations")
    for r in page.items:
        table.add_row(
            r["rid"],
            r["uscc"],
            r["name"] or "",
            r["class"] or "",
            r["status"],
            r["applied_at"],
            str(len(r["violations"])),
        )
    console.print(table)


@app.command("apply")
@handles_errors
def apply(
    uscc: Annotated[str, typer.Argument(help="The firm's USCC.")],
    violation: Annotated[
        list[str], typer.Option("--violation", help="Violation id or case number (repeatable).")
    ],
    reason: Annotated[str, typer.Option(help="Why the firm asks for repair.")],
    actor: ActorOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Record a credit repair application for some of the firm's violations."""
    from riskgraph.analytics.repair import apply as apply_for

    with connected(get_settings()) as store:
        repair = apply_for(store, uscc, violation, reason, applicant=_actor(actor))
    _print(repair, as_json)


@app.command("show")
@handles_errors
def show(
    rid: Annotated[str, typer.Argument(help="Application id (CR-…).")], as_json: JsonFlag = False
) -> None:
    """One application with its violations."""
    from riskgraph.analytics.repair import get_repair

    with connected(get_settings()) as store:
        repair = get_repair(store, rid)
    _print(repair, as_json)


@app.command("review")
@handles_errors
def review(
    rid: Annotated[str, typer.Argument(help="Application id.")],
    opinion: Annotated[str, typer.Option(help="The reviewer's opinion.")],
    actor: ActorOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Record the review of a submitted application."""
    from riskgraph.analytics.repair import review as record_review

    with connected(get_settings()) as store:
        repair = record_review(store, rid, opinion, reviewer=_actor(actor))
    _print(repair, as_json)


@app.command("decide")
@handles_errors
def decide(
    rid: Annotated[str, typer.Argument(help="Application id.")],
    approve: Annotated[bool, typer.Option("--approve/--reject", help="The decision.")],
    reasons: Annotated[str, typer.Option(help="Why.")],
    model: Annotated[
        Path, typer.Option("--model", help="Model folder used to re-score an approved firm.")
    ] = Path("models"),
    actor: ActorOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Approve (violations repaired, firm re-scored) or reject a reviewed application."""
    from riskgraph.analytics.repair import decide as record_decision

    with connected(get_settings()) as store:
        repair = record_decision(
            store, rid, approve, reasons, decider=_actor(actor), model_dir=model
        )
    _print(repair, as_json)


@app.command("stats")
@handles_errors
def stats(as_json: JsonFlag = False) -> None:
    """Applications per month: received, approved, rejected, pending."""
    from riskgraph.analytics.repair import monthly_counts

    with connected(get_settings()) as store:
        rows = monthly_counts(store)
    if as_json:
        print_json(rows)
        return
    table = Table("month", "received", "approved", "rejected", "pending", title="信用修复")
    for r in rows:
        table.add_row(
            r["month"],
            str(r["received"]),
            str(r["approved"]),
            str(r["rejected"]),
            str(r["pending"]),
        )
    console.print(table)
