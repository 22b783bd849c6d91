"""The ``riskgraph`` command line."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from riskgraph import __version__
from riskgraph.cli_support import (
    JsonFlag,
    connected,
    console,
    handles_errors,
    print_json,
    row_progress,
)
from riskgraph.commands import (
    analytics,
    cases,
    dispatch,
    kinds,
    lists,
    model,
    monitoring,
    query,
    repairs,
    screens,
    serve,
)
from riskgraph.commands import reclassify as reclassify_commands
from riskgraph.errors import RiskgraphError
from riskgraph.graph import local_server, open_store
from riskgraph.graph.schema import graph_stats, init_schema
from riskgraph.settings import get_settings

app = typer.Typer(
    name="riskgraph",
    help="Enterprise credit-risk classification on a relationship graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Manage the graph database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.callback()
def private_files() -> None:
    """Enterprise credit-risk classification on a relationship graph."""
    # Everything a command writes (run reports, quarantine files, models, keys,
    # the database servers' files) is readable by its owner only: 0600, folders 0700.
    os.umask(0o077)


@app.command()
def version() -> None:
    """Print the riskgraph version."""
    console.print(__version__)


@db_app.command("start")
@handles_errors
def db_start(as_json: JsonFlag = False) -> None:
    """Start the local database server (no-op if it already runs)."""
    server = local_server(get_settings())
    status = server.start()
    if as_json:
        print_json(status.to_dict())
    else:
        console.print(
            f"{_server_name(server.engine)} listening on [bold]{status.uri}[/] "
            f"(pid {status.pid}, data in {status.data_dir})"
        )


@db_app.command("stop")
@handles_errors
def db_stop() -> None:
    """Stop the local database server cleanly (its data flushed to disk)."""
    server = local_server(get_settings())
    name = _server_name(server.engine)
    if server.stop():
        console.print(f"{name} stopped")
    else:
        console.print(f"{name} was not running")


@db_app.command("status")
@handles_errors
def db_status(as_json: JsonFlag = False) -> None:
    """Report whether the database runs and where it listens."""
    settings = get_settings()
    if settings.is_local:
        status = local_server(settings).status()
        data: dict[str, Any] = {"backend": settings.backend, "embedded": True, **status.to_dict()}
    else:
        data = {"backend": settings.backend, "embedded": False, "uri": settings.graph_uri}
        store = open_store(settings)
        try:
            store.ping()
            data["running"] = True
        except RiskgraphError as exc:
            data.update(running=False, error=str(exc))
        finally:
            store.close()
    if as_json:
        print_json(data)
    elif data["running"]:
        where = f"pid {data['pid']}, data in {data['data_dir']}" if settings.is_local else ""
        console.print(f"[green]running[/] {data['backend']} at [bold]{data['uri']}[/] {where}")
    else:
        note = " (removed a stale state file)" if data.get("stale_state_removed") else ""
        console.print(f"[yellow]not running[/]{note}")
    if not data["running"]:
        raise typer.Exit(3)


def _server_name(engine: str) -> str:
    return "embedded FalkorDB" if engine == "falkordb" else "local Neo4j"


@db_app.command("init")
@handles_errors
def db_init() -> None:
    """Create indexes and (on Neo4j) uniqueness constraints; safe to repeat."""
    with connected(get_settings()) as store:
        applied = init_schema(store)
    console.print(f"schema ready ({applied} index/constraint statements on {store.dialect})")


@db_app.command("stats")
@handles_errors
def db_stats(as_json: JsonFlag = False) -> None:
    """Node counts per label and relationship counts per type."""
    with connected(get_settings()) as store:
        stats = graph_stats(store)
    if as_json:
        print_json(stats)
        return
    table = Table("kind", "name", "count")
    for kind in ("nodes", "relationships"):
        for name, count in stats[kind].items():
            table.add_row(kind, name, f"{count:,}")
    console.print(table)


@app.command()
@handles_errors
def generate(
    enterprises: Annotated[int, typer.Option(min=1000, help="Number of enterprises.")],
    out: Annotated[Path, typer.Option(help="Folder to write the contract files into.")],
    seed: Annotated[int, typer.Option(help="Same seed, byte-identical output.")] = 0,
    as_json: JsonFlag = False,
) -> None:
    """Write a calibrated synthetic registry (contract files plus truth/)."""
    from riskgraph.ingest.generate import generate_registry

    with row_progress(quiet=as_json) as progress:
        summary = generate_registry(enterprises, seed, out, progress=progress)
    if as_json:
        print_json(summary)
    else:
        console.print(f"wrote a registry of {enterprises:,} enterprises to {out}")
        console.print_json(data=summary)


class FormatName(StrEnum):
    riskgraph = "riskgraph"
    smesd = "smesd"


@app.command()
@handles_errors
def ingest(
    folder: Annotated[Path, typer.Argument(help="Folder of input files, one per kind.")],
    input_format: Annotated[
        FormatName, typer.Option("--format", help="Input layout.")
    ] = FormatName.riskgraph,
    batch_size: Annotated[int, typer.Option(min=1, help="Input rows per transaction.")] = 5000,
    declare: Annotated[
        list[str] | None,
        typer.Option("--declare", help="Extra column to keep as a property (repeatable)."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Validate and load an input folder; invalid rows go to a quarantine file."""
    from riskgraph.ingest.loader import InputFormat, Loader

    settings = get_settings()
    chosen: InputFormat
    if input_format is FormatName.smesd:
        from riskgraph.ingest.smesd import SmesdFormat

        chosen = SmesdFormat()
    else:
        from riskgraph.ingest.privacy import person_secret
        from riskgraph.ingest.registry_format import RegistryFormat

        chosen = RegistryFormat(person_secret(settings), declared_extra=frozenset(declare or ()))
    with connected(settings) as store, row_progress(quiet=False) as progress:
        init_schema(store)
        loader = Loader(
            store,
            chosen,
            runs_dir=settings.data_dir / "runs",
            batch_size=batch_size,
            progress=progress,
        )
        report = loader.run(folder)
    if as_json:
        print_json(report.to_dict())
        return
    table = Table("file", "input rows", "loaded", "quarantined", "duplicates", title="ingest")
    rows = [*report.files.items(), ("total", report.total)]
    for kind, counts in rows:
        table.add_row(
            kind,
            *(
                f"{n:,}"
                for n in (counts.input_rows, counts.loaded, counts.quarantined, counts.duplicates)
            ),
        )
    console.print(table)
    console.print(f"run {report.run_id} in {report.seconds:.1f}s; quarantine: {report.quarantine}")


model.register(app)
reclassify_commands.register(app)
app.command("query")(query.query)
app.add_typer(analytics.rules_app, name="rules")
app.add_typer(cases.app, name="cases")
app.add_typer(analytics.clusters_app, name="clusters")
app.add_typer(analytics.inspections_app, name="inspections")
app.add_typer(screens.app, name="screens")
app.add_typer(lists.app, name="lists")
app.add_typer(repairs.app, name="repairs")
app.add_typer(dispatch.app, name="dispatch")
app.add_typer(serve.app)
app.add_typer(monitoring.model_app, name="model")
app.add_typer(serve.keys_app, name="keys")
kinds.register(app)


def main() -> None:  # pragma: no cover - console entry point
    app()
