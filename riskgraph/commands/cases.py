"""Alert cases (预警案件): ``riskgraph cases rebuild|list|show|assign|status``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from riskgraph.cli_support import JsonFlag, connected, console, handles_errors, print_json
from riskgraph.settings import get_settings

app = typer.Typer(
    help="Alert cases (预警案件): alerts that share evidence, handled as one.",
    no_args_is_help=True,
)

CaseId = Annotated[str, typer.Argument(help="Case id, e.g. CASE-3f9a1c0b7e21.")]


@app.command("rebuild")
@handles_errors
def cases_rebuild(
    max_size: Annotated[
        int, typer.Option(min=1, help="Split cases above this many alerts by weaker links.")
    ] = 500,
    hub_size: Annotated[
        int, typer.Option(min=2, help="A key shared by more alerts is a hub when splitting.")
    ] = 200,
    as_json: JsonFlag = False,
) -> None:
    """Regroup every alert into cases (rules run does this after each run)."""
    from riskgraph.analytics.cases import rebuild_cases

    with connected(get_settings()) as store:
        report = rebuild_cases(store, max_size=max_size, hub_size=hub_size)
    if as_json:
        print_json(report.to_dict())
        return
    console.print(
        f"{report.alerts:,} alerts in {report.cases:,} cases ({report.open_cases:,} open cases "
        f"for {report.open_alerts:,} open alerts; largest {report.largest}; {report.kept:,} kept, "
        f"{report.new:,} new, {report.merged:,} merged, {report.split:,} split) "
        f"in {report.seconds:.1f}s"
    )


@app.command("list")
@handles_errors
def cases_list(
    status: Annotated[
        str | None, typer.Option(help="open, in_progress, confirmed, dismissed.")
    ] = None,
    severity: Annotated[str | None, typer.Option(help="high, medium or low.")] = None,
    assignee: Annotated[str | None, typer.Option(help="Only this assignee.")] = None,
    unassigned: Annotated[bool, typer.Option(help="Only cases nobody holds.")] = False,
    rule: Annotated[str | None, typer.Option(help="Only cases with an alert of this rule.")] = None,
    region: Annotated[str | None, typer.Option(help="Region code prefix, e.g. 5101.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonFlag = False,
) -> None:
    """The case inbox: high severity first, then risk, then time; counts per status."""
    from riskgraph.analytics.cases import CaseFilter, list_cases

    filters = CaseFilter(status, severity, assignee, unassigned, rule, region)
    with connected(get_settings()) as store:
        page, counts = list_cases(store, filters, limit=limit, offset=offset)
    if as_json:
        print_json({"items": page.items, "counts": counts, "next_offset": page.next_offset})
        return
    table = Table("case", "severity", "status", "risk", "alerts", "firms", "rules", "assignee")
    for c in page.items:
        names = ", ".join(f["name"] or f["uscc"] for f in c["lead_firms"][:2])
        table.add_row(
            c["id"],
            c["severity"],
            c["status"],
            "" if c.get("risk") is None else f"{c['risk']:.3f}",
            str(c["alert_count"]),
            f"{c['firm_count']} ({names})",
            ",".join(c["rules"]),
            c.get("assignee") or "",
        )
    console.print(table)
    console.print("  ".join(f"{status}: {n:,}" for status, n in counts.items()))


@app.command("show")
@handles_errors
def cases_show(case_id: CaseId, as_json: JsonFlag = False) -> None:
    """One case: its firms, alerts and history."""
    from riskgraph.analytics.cases import case_detail

    with connected(get_settings()) as store:
        case = case_detail(store, case_id)
    if as_json:
        print_json(case)
        return
    console.print(
        f"{case['id']}: [bold]{case['status']}[/], {case['severity']}, "
        f"{case['alert_count']} alerts on {case['firm_count']} firms, "
        f"assignee {case.get('assignee') or '-'}"
    )
    firms = Table("uscc", "name", "class", "risk score", title="firms")
    for f in case["firms"]:
        score = "" if f["risk_score"] is None else f"{f['risk_score']:.3f}"
        firms.add_row(f["uscc"], f["name"] or "", f["class"] or "", score)
    console.print(firms)
    alerts = Table("alert", "severity", "status", "evidence", title="alerts")
    for a in case["alerts"]:
        alerts.add_row(a["key"], a["severity"], a["status"], ", ".join(a["evidence"])[:60])
    console.print(alerts)
    for event in case["history"]:
        what = event.get("to_status") or event.get("assignee") or event.get("other") or ""
        console.print(
            f"  {event['at']} {event['kind']} {what} {event.get('actor') or ''} "
            f"{event.get('note') or ''}"
        )


@app.command("assign")
@handles_errors
def cases_assign(
    case_id: CaseId,
    assignee: Annotated[str, typer.Argument(help="Who takes the case ('-' to unassign).")],
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
    actor: Annotated[str | None, typer.Option(help="Who assigns it.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Assign a case; the assignment is kept in its history."""
    from riskgraph.analytics.cases import assign_case

    with connected(get_settings()) as store:
        case = assign_case(
            store, case_id, None if assignee == "-" else assignee, note=note, actor=actor
        )
    if as_json:
        print_json(case)
        return
    console.print(f"{case_id}: assignee {case.get('assignee') or '-'}")


@app.command("status")
@handles_errors
def cases_status(
    case_ids: Annotated[list[str], typer.Argument(help="One or more case ids (at most 100).")],
    status: Annotated[
        str, typer.Option(help="open, in_progress, confirmed or dismissed.", show_default=False)
    ],
    note: Annotated[str | None, typer.Option(help="Why (required to confirm or dismiss).")] = None,
    actor: Annotated[str | None, typer.Option(help="Who changes it.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Change cases' status: each alert moves through the alert status model."""
    from riskgraph.analytics.cases import bulk_status

    with connected(get_settings()) as store:
        outcomes = bulk_status(store, case_ids, status, note=note, actor=actor)
    rows = [
        {
            "id": o.case_id,
            "ok": o.change is not None,
            "status": o.change.case["status"] if o.change else None,
            "alerts_changed": o.change.changed if o.change else 0,
            "error": str(o.error) if o.error else None,
        }
        for o in outcomes
    ]
    if as_json:
        print_json(rows)
    else:
        for row in rows:
            console.print(
                f"{row['id']}: {row['status']} ({row['alerts_changed']} alerts changed)"
                if row["ok"]
                else f"{row['id']}: [red]refused[/] {row['error']}"
            )
    if any(not row["ok"] for row in rows):
        raise typer.Exit(1)
