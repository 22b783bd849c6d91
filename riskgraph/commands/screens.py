"""The screening tool on the command line: ``riskgraph screens fields|run|export|save|list…``.

A screen is a JSON file: ``{"all": [{"field": "region_code", "op": "prefix", "value":
"5101"}, …]}`` (``docs/screening.md``). The command line is the operator: it sees and
deletes every owner's saved screens and saves its own under the owner ``cli``.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from riskgraph.cli_support import JsonFlag, connected, console, handles_errors, print_json
from riskgraph.errors import InputError
from riskgraph.settings import get_settings

app = typer.Typer(
    help="Screening tool (筛查): combine conditions over six layers.", no_args_is_help=True
)

ScreenFile = Annotated[Path, typer.Option("--file", "-f", help="JSON file holding the screen.")]
AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Day windows count back from, YYYY-MM-DD.")
]
CLI_OWNER = "cli"


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the screen {path}: {exc}") from exc


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD") from exc


def _owner() -> Any:
    from riskgraph.analytics.saved_screens import Owner

    return Owner(CLI_OWNER, "cli", sees_all=True)


@app.command("fields")
@handles_errors
def fields(as_json: JsonFlag = False) -> None:
    """List the fields a screen can use, by layer."""
    from riskgraph.analytics.screen_fields import field_catalogue

    catalogue = field_catalogue()
    if as_json:
        print_json(catalogue)
        return
    table = Table("layer", "field", "中文", "type", "ops", "window")
    for f in catalogue:
        window = "" if not f["window"] else f"months (default {f['default_months'] or 'all time'})"
        table.add_row(f["layer_zh"], f["name"], f["zh"], f["type"], " ".join(f["ops"]), window)
    console.print(table)


@app.command("run")
@handles_errors
def run(
    file: ScreenFile,
    limit: Annotated[int, typer.Option(min=0, max=500, help="Rows shown.")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Rows skipped.")] = 0,
    as_of: AsOf = None,
    as_json: JsonFlag = False,
) -> None:
    """Count the enterprises a screen matches and show the riskiest."""
    from riskgraph.analytics.screening import run_screen

    with connected(get_settings()) as store:
        result = run_screen(store, _read(file), limit=limit, offset=offset, today=_day(as_of))
    if as_json:
        print_json(
            {"total": result.total, "results": result.results, "next_offset": result.next_offset}
        )
        return
    table = Table(
        "uscc",
        "name",
        "kind",
        "status",
        "region",
        "class",
        "score",
        title=f"{result.total:,} match",
    )
    for r in result.results:
        score = "" if r.get("risk_score") is None else f"{r['risk_score']:.3f}"
        table.add_row(
            r["uscc"],
            r.get("name") or "",
            r["entity_kind"],
            r.get("status") or "",
            r.get("region_code") or "",
            r.get("risk_class") or "",
            score,
        )
    console.print(table)


@app.command("export")
@handles_errors
def export(
    file: ScreenFile,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="CSV file (default: stdout).")
    ] = None,
    as_of: AsOf = None,
) -> None:
    """Write every match of a screen as CSV, in key order."""
    from riskgraph.analytics.screening import export_csv

    with connected(get_settings()) as store:
        chunks = export_csv(store, _read(file), today=_day(as_of))
        if out is None:
            for chunk in chunks:
                sys.stdout.write(chunk)
            return
        with out.open("w", encoding="utf-8-sig", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
    console.print(f"written to {out}")


@app.command("save")
@handles_errors
def save(
    name: Annotated[str, typer.Argument(help="Name of the saved screen.")],
    file: ScreenFile,
    as_json: JsonFlag = False,
) -> None:
    """Save a screen under a name."""
    from riskgraph.analytics.saved_screens import save_screen

    with connected(get_settings()) as store:
        row = save_screen(store, name, _read(file), _owner())
    if as_json:
        print_json(row)
        return
    console.print(f"saved {row['sid']} ({row['name']})")


@app.command("list")
@handles_errors
def list_saved(
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    as_json: JsonFlag = False,
) -> None:
    """List saved screens, newest first (every owner's)."""
    from riskgraph.analytics.saved_screens import list_screens

    with connected(get_settings()) as store:
        items = list_screens(store, _owner(), limit=limit).items
    if as_json:
        print_json(items)
        return
    table = Table("sid", "name", "created by", "created at")
    for s in items:
        table.add_row(s["sid"], s["name"], s["created_by"], s["created_at"])
    console.print(table)


@app.command("show")
@handles_errors
def show(sid: Annotated[str, typer.Argument(help="Saved screen id (S-…).")]) -> None:
    """Print a saved screen as JSON."""
    from riskgraph.analytics.saved_screens import get_screen

    with connected(get_settings()) as store:
        print_json(get_screen(store, sid, _owner()))


@app.command("delete")
@handles_errors
def delete(sid: Annotated[str, typer.Argument(help="Saved screen id (S-…).")]) -> None:
    """Delete a saved screen."""
    from riskgraph.analytics.saved_screens import delete_screen

    with connected(get_settings()) as store:
        delete_screen(store, sid, _owner())
    console.print(f"deleted {sid}")


@app.command("refresh")
@handles_errors
def refresh(
    status_only: Annotated[
        bool, typer.Option("--status", help="Only show whether the counters are fresh.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Recount the per-enterprise counters screens read (ingest runs it at its end)."""
    from riskgraph.analytics.screening import counter_state, refresh_counters

    with connected(get_settings()) as store:
        state = counter_state(store) if status_only else refresh_counters(store)
    if as_json:
        print_json(state.to_dict())
        return
    if not state.fresh:
        console.print(f"counters {state.state}: screens count neighbours live")
        return
    console.print(
        f"counters fresh: {state.enterprises:,} enterprises, refreshed {state.refreshed_at} "
        f"in {state.seconds} s"
    )
