"""What every command module shares: consoles, error handling, JSON output, progress."""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress, TaskID, TextColumn, TimeElapsedColumn

from riskgraph.errors import RiskgraphError
from riskgraph.graph import GraphStore, open_store
from riskgraph.settings import Settings

console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def handles_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn riskgraph errors into a one-line message and exit code 1."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except RiskgraphError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from exc

    return wrapper


@contextmanager
def connected(settings: Settings, *, start_embedded: bool = True) -> Iterator[GraphStore]:
    """A store for one command, closed afterwards."""
    store = open_store(settings, start_embedded=start_embedded)
    try:
        yield store
    finally:
        store.close()


def print_json(data: Any) -> None:
    """Stable JSON on stdout (sorted keys, UTF-8)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str) + "\n")


def step_log(*, quiet: bool = False) -> Callable[[str], None]:
    """A callback printing each finished step (stderr) with the time since the first
    call and the process's peak resident memory so far."""
    started = time.monotonic()

    def say(message: str) -> None:
        if not quiet:
            elapsed = time.monotonic() - started
            peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
            err_console.print(
                f"[dim]{elapsed:7.1f} s {peak_gb:5.1f} GB[/] {message}",
                highlight=False,
                soft_wrap=True,
            )

    return say


@contextmanager
def row_progress(*, quiet: bool) -> Iterator[Callable[[str, int], None]]:
    """A rich progress display (on stderr) fed with (label, rows done)."""
    columns = (
        TextColumn("{task.description:<12}"),
        TextColumn("{task.completed:>12,.0f} rows"),
        TextColumn("{task.fields[rate]:>10} rows/s"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, disable=quiet) as progress:
        tasks: dict[str, tuple[TaskID, float]] = {}

        def advance(label: str, rows: int) -> None:
            if label not in tasks:
                tasks[label] = (progress.add_task(label, rate="-"), time.monotonic())
            task, started = tasks[label]
            progress.advance(task, rows)
            elapsed = time.monotonic() - started
            if elapsed >= 0.2:
                done = progress.tasks[task].completed
                progress.update(task, rate=f"{done / elapsed:,.0f}")

        yield advance
