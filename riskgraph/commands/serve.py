"""``riskgraph serve`` (the HTTP API under uvicorn) and ``riskgraph keys`` (API keys).

The CLI mounts ``app`` (merged: ``riskgraph serve``) and ``keys_app`` (as ``keys``).
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from riskgraph.api.auth import KeyStore, Role
from riskgraph.cli_support import err_console, handles_errors
from riskgraph.settings import Settings, get_settings

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False)
keys_app = typer.Typer(
    help="Manage API keys (stored hashed in the data dir).", no_args_is_help=True
)

console = err_console


@app.command()
@handles_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address [RISKGRAPH_API__HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [RISKGRAPH_API__PORT].")] = None,
    start_db: Annotated[
        bool, typer.Option(help="Start the local database first if it is not running.")
    ] = False,
) -> None:
    """Run the HTTP API (default http://127.0.0.1:8000/api/v1)."""
    import uvicorn

    from riskgraph.api.app import create_app
    from riskgraph.api.logs import log_config
    from riskgraph.graph import local_server

    settings = get_settings()
    api = settings.api
    if start_db and settings.is_local:
        local_server(settings).start()
    bind = host or api.host
    if bind not in ("127.0.0.1", "::1", "localhost"):
        console.print(
            f"[yellow]warning:[/] binding to {bind}: risk results are internal; keep the API "
            "off the public internet",
            highlight=False,
        )
    base = base_url(bind, port or api.port)
    console.print(f"API: {base}/api/v1 · web app: {base}/", highlight=False)
    uvicorn.run(
        create_app(settings),
        host=bind,
        port=port or api.port,
        log_config=log_config(settings.log_level.upper(), json_logs=api.log_json),
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=max(1, int(api.shutdown_timeout_s)),
    )


def base_url(host: str, port: int) -> str:
    """``http://host:port`` (an IPv6 address in brackets)."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@app.command()
def url() -> None:
    """Print the address `riskgraph serve` listens on (RISKGRAPH_API__HOST, __PORT)."""
    api = get_settings().api
    sys.stdout.write(base_url(api.host, api.port) + "\n")


def _key_store(settings: Settings) -> KeyStore:
    return KeyStore(settings.api.keys_path(settings.data_dir))


def _audit(action: str, params: dict[str, str]) -> None:
    from riskgraph.api.audit import AuditLog

    settings = get_settings()
    log = AuditLog(settings.api.audit_path(settings.data_dir))
    try:
        log.record(action=action, key_id=None, role="cli", endpoint=f"cli:{action}", params=params)
    finally:
        log.close()


@keys_app.command("create")
@handles_errors
def keys_create(
    role: Annotated[Role, typer.Option(help="investigator, analyst, service or admin.")],
    label: Annotated[str, typer.Option(help="A note: who or what uses the key.")] = "",
) -> None:
    """Create a key; the key itself is printed alone on the last line, once."""
    key, record = _key_store(get_settings()).create(role, label)
    _audit("keys.create", {"id": record.id, "role": record.role.value, "label": label})
    console.print(f"created key {record.id} with role {record.role.value}; store it now:")
    sys.stdout.write(key + "\n")


@keys_app.command("list")
@handles_errors
def keys_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List keys (ids, roles, labels, dates; never the keys)."""
    records = [r.public() for r in _key_store(get_settings()).list()]
    if as_json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, sort_keys=True) + "\n")
        return
    table = Table("id", "role", "label", "created", "revoked")
    for r in records:
        table.add_row(r["id"], r["role"], r["label"], r["created_at"], r["revoked_at"] or "")
    Console().print(table)


@keys_app.command("revoke")
@handles_errors
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key id (10 hex digits).")]) -> None:
    """Revoke a key; the running API refuses it from its next request on."""
    record = _key_store(get_settings()).revoke(key_id)
    _audit("keys.revoke", {"id": key_id, "role": record.role.value})
    console.print(f"revoked key {record.id} ({record.role.value})")
