"""``riskgraph lists …``: the managed whitelist (白名单) and sandbox (沙盒)."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from riskgraph.cli_support import JsonFlag, connected, console, handles_errors, print_json
from riskgraph.settings import get_settings

app = typer.Typer(
    help="Managed lists: whitelist (白名单) and sandbox (沙盒) that inspection plans read.",
    no_args_is_help=True,
)

ListOption = Annotated[str, typer.Option("--list", help="whitelist or sandbox.")]
ActorOption = Annotated[
    str | None, typer.Option("--actor", help="Who makes the change (default cli:<user>).")
]
TodayOption = Annotated[
    str | None, typer.Option("--today", help="Time reference YYYY-MM-DD (default: today).")
]


def _actor(actor: str | None) -> str:
    return actor or f"cli:{getpass.getuser()}"


def _date(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{what} {text!r} is not a YYYY-MM-DD date") from exc


@app.command("show")
@handles_errors
def show(
    name: ListOption,
    exited: Annotated[bool, typer.Option(help="Show exited entries instead.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonFlag = False,
) -> None:
    """List a list's entries, newest first, with the firms' names and classes."""
    from riskgraph.analytics import lists

    status = lists.EXITED if exited else lists.ACTIVE
    with connected(get_settings()) as store:
        page = lists.list_entries(store, name, status=status, limit=limit, offset=offset)
    if as_json:
        print_json({"items": page.items, "next_offset": page.next_offset})
        return
    table = Table("uscc", "name", "class", "reason", "by", "since", "expires", title=name)
    for e in page.items:
        table.add_row(
            e["uscc"],
            e["name"] or "",
            e["risk_class"] or e["label_class"] or "",
            e["reason"],
            e["entered_by"],
            e["entered_on"],
            e.get("expires_on") or "",
        )
    console.print(table)


@app.command("add")
@handles_errors
def add(
    uscc: Annotated[str, typer.Argument(help="The firm's USCC.")],
    name: ListOption,
    reason: Annotated[str, typer.Option(help="Why the firm enters the list.")],
    expires: Annotated[
        str | None, typer.Option(help="Expiry YYYY-MM-DD (sandbox default: a year).")
    ] = None,
    actor: ActorOption = None,
    today: TodayOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Put a firm on a list."""
    from riskgraph.analytics import lists

    with connected(get_settings()) as store:
        entry = lists.add_entry(
            store,
            name,
            uscc,
            reason,
            actor=_actor(actor),
            expires_on=_date(expires, "--expires"),
            today=_date(today, "--today"),
        )
    if as_json:
        print_json(entry)
        return
    console.print(
        f"{entry['uscc']} is on the {name} (expires {entry.get('expires_on') or 'never'})"
    )


@app.command("exit")
@handles_errors
def exit_(
    uscc: Annotated[str, typer.Argument(help="The firm's USCC.")],
    name: ListOption,
    reason: Annotated[str, typer.Option(help="Why the firm leaves the list.")],
    actor: ActorOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Take a firm off a list (the entry is closed, never deleted)."""
    from riskgraph.analytics import lists

    with connected(get_settings()) as store:
        entry = lists.exit_entry(store, name, uscc, reason, actor=_actor(actor))
    if as_json:
        print_json(entry)
        return
    console.print(f"{entry['uscc']} left the {name}: {reason}")


@app.command("history")
@handles_errors
def history(
    uscc: Annotated[str, typer.Argument(help="The firm's USCC.")], as_json: JsonFlag = False
) -> None:
    """Every entry and exit of a firm on the lists."""
    from riskgraph.analytics import lists

    with connected(get_settings()) as store:
        entries = lists.history(store, uscc)
    if as_json:
        print_json(entries)
        return
    table = Table("list", "entered", "by", "reason", "exited", "by", "rule", "exit reason")
    for e in entries:
        table.add_row(
            e["list"],
            e["entered_on"],
            e["entered_by"],
            e["reason"],
            e.get("exited_on") or "",
            e.get("exited_by") or "",
            e.get("exit_rule") or "",
            e.get("exit_reason") or "",
        )
    console.print(table)


@app.command("sweep")
@handles_errors
def sweep(
    name: Annotated[str | None, typer.Option("--list", help="Only this list.")] = None,
    today: TodayOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Apply the automatic exit rules and record who left and why."""
    from riskgraph.analytics import lists

    with connected(get_settings()) as store:
        report = lists.sweep(store, name=name, today=_date(today, "--today"))
    if as_json:
        print_json(report.to_dict())
        return
    console.print(f"{report.checked} entries checked, {len(report.exits)} left")
    for e in report.exits:
        console.print(f"  {e['list']} {e['uscc']}: {e['rule']} ({'; '.join(e['evidence'])})")


@app.command("import")
@handles_errors
def import_(
    file: Annotated[
        Path, typer.Argument(help="One USCC a line, or USCC,reason[,expires]; # comments.")
    ],
    name: ListOption,
    reason: Annotated[
        str | None, typer.Option(help="Reason for rows without one (default: the file name).")
    ] = None,
    expires: Annotated[str | None, typer.Option(help="Expiry for rows without one.")] = None,
    actor: ActorOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Move a list file into the managed list: every row loaded or refused with a reason."""
    from riskgraph.analytics import lists

    with connected(get_settings()) as store:
        report = lists.import_file(
            store,
            name,
            file,
            actor=_actor(actor),
            reason=reason,
            expires_on=_date(expires, "--expires"),
        )
    if as_json:
        print_json(report.to_dict())
    else:
        console.print(f"{len(report.loaded)} loaded, {len(report.refused)} refused")
        for row in report.refused:
            console.print(f"  line {row['line']} {row['uscc']}: {row['reason']}")
    if report.refused:
        raise typer.Exit(1)
