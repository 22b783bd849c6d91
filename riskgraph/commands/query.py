"""``riskgraph query NAME --param k=v ...``: run a named relationship query, print JSON."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from riskgraph.cli_support import connected, handles_errors, print_json
from riskgraph.graph.queries import InvalidParameters, describe, get, run_named
from riskgraph.settings import get_settings

app = typer.Typer(pretty_exceptions_enable=False)


@app.command()
@handles_errors
def query(
    name: Annotated[str | None, typer.Argument(help="Named query, e.g. family_tree.")] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="k=v (repeatable); values are JSON where they parse."),
    ] = None,
    list_queries: Annotated[
        bool, typer.Option("--list", help="List the named queries and their parameters.")
    ] = False,
) -> None:
    """Run a named relationship query (族谱, 查关系, 关联风险, ...) and print its JSON answer."""
    if list_queries:
        print_json(describe())
        return
    if name is None:
        raise InvalidParameters("give a query name, or --list to see them")
    named = get(name)
    params = parse_params(param or [], {p.name: p.kind for p in named.params})
    named.validate(params)  # fail before connecting
    with connected(get_settings()) as store:
        print_json(run_named(store, name, params))


def parse_params(pairs: list[str], kinds: dict[str, type]) -> dict[str, Any]:
    """``k=v`` pairs as a dict; text parameters stay text, others are JSON when they parse."""
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidParameters(f"--param expects k=v, got {pair!r}")
        key = key.strip()
        if key in params:
            raise InvalidParameters(f"parameter {key!r} given twice")
        params[key] = raw if kinds.get(key) is str and raw != "null" else _json_or_text(raw)
    return params


def _json_or_text(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw
