"""``riskgraph kinds``: risk classes per kind of market entity (企业, 个体工商户, 合作社)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from riskgraph.analytics.kinds import COUNT_KEYS, class_shares
from riskgraph.cli_support import JsonFlag, connected, console, handles_errors, print_json
from riskgraph.settings import get_settings


@handles_errors
def kinds(
    prefix: Annotated[
        str, typer.Option(help="Only region codes starting with these digits (e.g. 5101).")
    ] = "",
    as_json: JsonFlag = False,
) -> None:
    """Risk classes per kind of market entity, counted as the risk map counts them."""
    with connected(get_settings()) as store:
        found = class_shares(store, prefix)
    if as_json:
        print_json({"prefix": prefix, "kinds": [k.to_dict() for k in found]})
        return
    table = Table("kind", *COUNT_KEYS, "total", "C+D share", title=f"prefix {prefix or '(all)'}")
    for k in found:
        risky = k.shares["C"] + k.shares["D"]
        table.add_row(
            f"{k.name} ({k.kind})",
            *(f"{k.counts[c]:,}" for c in COUNT_KEYS),
            f"{k.total:,}",
            f"{risky:.1%}",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the kinds command to the main CLI."""
    app.command()(kinds)
