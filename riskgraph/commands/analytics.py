"""Associated-risk analytics: ``riskgraph rules …``, ``clusters …`` and ``inspections …``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from riskgraph.cli_support import (
    JsonFlag,
    connected,
    console,
    err_console,
    handles_errors,
    print_json,
)
from riskgraph.settings import get_settings

if TYPE_CHECKING:
    from riskgraph.analytics.rules import RunSummary

rules_app = typer.Typer(
    help="Early-warning rule pool (风险特征规则池) and alerts.", no_args_is_help=True
)
clusters_app = typer.Typer(help="Associated-risk clusters (关联风险群).", no_args_is_help=True)
inspections_app = typer.Typer(
    help="Random inspection plans (双随机、一公开).", no_args_is_help=True
)

TodayOption = Annotated[
    str | None, typer.Option("--today", help="Time reference YYYY-MM-DD (default: today).")
]


def _day(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not a YYYY-MM-DD date") from exc


def _assignments(items: list[str] | None, what: str) -> dict[str, Any]:
    """``NAME=VALUE`` pairs; values are JSON where they parse, else text."""
    parsed: dict[str, Any] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"{what} {item!r} is not NAME=VALUE")
        try:
            parsed[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            parsed[name.strip()] = value
    return parsed


def _keys_file(path: Path | None) -> list[str]:
    """USCCs from a file, one per line (blank lines and # comments skipped)."""
    if path is None:
        return []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc}") from exc
    return [line.strip().upper() for line in lines if line.strip() and not line.startswith("#")]


# --------------------------------------------------------------------------- rules


@rules_app.command("list")
@handles_errors
def rules_list(as_json: JsonFlag = False) -> None:
    """List the rule pool: id, severity, title and default parameters."""
    from riskgraph.analytics.rules import load_rules

    rules = [rule.summary() for rule in load_rules()]
    if as_json:
        print_json(rules)
        return
    table = Table("id", "severity", "title", "parameters", title="rule pool")
    for rule in rules:
        params = ", ".join(
            f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in rule["params"].items()
        )
        table.add_row(rule["id"], rule["severity"], rule["title_zh"], params[:80])
    console.print(table)


@rules_app.command("run")
@handles_errors
def rules_run(
    rule: Annotated[
        list[str] | None, typer.Option("--rule", help="Rule id to run (repeatable; default all).")
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            help="Override a parameter: NAME=VALUE for every rule having it, or R02.NAME=VALUE "
            "(JSON values).",
        ),
    ] = None,
    today: TodayOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Evaluate rules and record their findings as de-duplicated alerts."""
    from riskgraph.analytics.rules import run_rules

    with connected(get_settings()) as store:
        summary = run_rules(
            store,
            rule_ids=rule or None,
            today=_day(today),
            overrides=_assignments(param, "--param"),
        )
    if as_json:
        print_json(summary.to_dict())
    else:
        _print_run(summary)
    for failed in summary.failed:
        err_console.print(f"[bold red]rule {failed.rule} failed:[/] {failed.error}", soft_wrap=True)
    if summary.failed:
        raise typer.Exit(1)


def _print_run(summary: RunSummary) -> None:
    table = Table(
        "rule",
        "severity",
        "title",
        "matched",
        "new",
        "repeated",
        "not seen",
        "seconds",
        title=f"rule run {summary.run_id} (today {summary.today})",
    )
    for r in summary.results:
        table.add_row(
            r.rule,
            r.severity,
            r.title_zh,
            f"{r.matched:,}",
            f"{r.new:,}",
            f"{r.repeated:,}",
            f"{r.not_seen:,}",
            f"{r.seconds:.2f}" if r.error is None else "failed",
        )
    console.print(table)
    if summary.cases is not None:
        c = summary.cases
        console.print(
            f"{c['alerts']:,} alerts in {c['cases']:,} cases ({c['open_cases']:,} open cases "
            f"for {c['open_alerts']:,} open alerts; largest {c['largest']})"
        )


@rules_app.command("alerts")
@handles_errors
def rules_alerts(
    rule: Annotated[str | None, typer.Option(help="Only this rule.")] = None,
    status: Annotated[str | None, typer.Option(help="Only this case status.")] = None,
    subject: Annotated[str | None, typer.Option(help="Only this enterprise (USCC).")] = None,
    severity: Annotated[str | None, typer.Option(help="Only this severity.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonFlag = False,
) -> None:
    """List alerts, most recently seen first."""
    from riskgraph.analytics.alerts import AlertFilter, list_alerts

    filters = AlertFilter(rule=rule, status=status, severity=severity, subject=subject)
    with connected(get_settings()) as store:
        alerts = list_alerts(store, filters, limit=limit, offset=offset).items
    if as_json:
        print_json(alerts)
        return
    table = Table("key", "severity", "status", "runs", "first seen", "last seen", "evidence")
    for a in alerts:
        table.add_row(
            a["key"],
            a["severity"],
            a["status"],
            str(a["run_count"]),
            a["first_seen"],
            a["last_seen"],
            ", ".join(a["evidence"])[:60],
        )
    console.print(table)


@rules_app.command("status")
@handles_errors
def rules_status(
    key: Annotated[str, typer.Argument(help="Alert key, e.g. R02|91510105MA6DLXYK47.")],
    status: Annotated[str, typer.Argument(help="open, in_progress, confirmed or dismissed.")],
    note: Annotated[str | None, typer.Option(help="Why (required to confirm or dismiss).")] = None,
    actor: Annotated[str | None, typer.Option(help="Who changes it.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Change an alert's case status; the change is kept in its history."""
    from riskgraph.analytics.alerts import alert_history, change_status

    with connected(get_settings()) as store:
        alert = change_status(store, key, status, note=note, actor=actor).alert
        history = alert_history(store, key)
    if as_json:
        print_json({"alert": alert, "history": history})
        return
    console.print(f"{key}: [bold]{alert['status']}[/] ({len(history)} status changes)")


@rules_app.command("history")
@handles_errors
def rules_history(
    key: Annotated[str, typer.Argument(help="Alert key.")], as_json: JsonFlag = False
) -> None:
    """Show an alert and its status changes."""
    from riskgraph.analytics.alerts import alert_history, get_alert

    with connected(get_settings()) as store:
        alert = get_alert(store, key)
        history = alert_history(store, key)
    if as_json:
        print_json({"alert": alert, "history": history})
        return
    console.print(f"{key}: [bold]{alert['status']}[/], evidence {', '.join(alert['evidence'])}")
    table = Table("#", "at", "from", "to", "actor", "note")
    for event in history:
        table.add_row(
            str(event["seq"]),
            event["at"],
            event["from_status"],
            event["to_status"],
            event["actor"] or "",
            event["note"] or "",
        )
    console.print(table)


# --------------------------------------------------------------------------- clusters


@clusters_app.command("build")
@handles_errors
def clusters_build(
    min_ratio: Annotated[float, typer.Option(help="Investment ratio that links two firms.")] = 0.2,
    max_size: Annotated[int, typer.Option(help="Split components above this size.")] = 100,
    hub_size: Annotated[
        int, typer.Option(help="Persons/addresses linking more firms are weak links.")
    ] = 20,
    min_size: Annotated[int, typer.Option(help="Smallest cluster stored.")] = 2,
    today: TodayOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Recompute the risk clusters, replacing the stored ones."""
    from riskgraph.analytics.clusters import ClusterParams, build

    params = ClusterParams(
        min_ratio=min_ratio,
        max_size=max_size,
        hub_size=hub_size,
        min_size=min_size,
        today=_day(today),
    )
    with connected(get_settings()) as store:
        report = build(store, params)
    if as_json:
        print_json(report.to_dict())
        return
    console.print(
        f"{report.clusters:,} clusters covering {report.clustered:,} of {report.enterprises:,} "
        f"enterprises (largest {report.largest}, {report.split_components} split, "
        f"{report.deleted_clusters} stale removed) in {report.seconds:.1f}s"
    )


@clusters_app.command("list")
@handles_errors
def clusters_list(
    limit: Annotated[int, typer.Option(min=1)] = 20,
    min_size: Annotated[int, typer.Option(min=2)] = 2,
    as_json: JsonFlag = False,
) -> None:
    """Clusters ranked by C/D members, risk mass and size."""
    from riskgraph.analytics.clusters import list_clusters

    with connected(get_settings()) as store:
        rows = list_clusters(store, limit=limit, min_size=min_size)
    if as_json:
        print_json(rows)
        return
    table = Table("cluster", "size", "C/D", "risk mass", "bound by", title="risk clusters")
    for row in rows:
        reasons = ", ".join(
            f"{kind} {count}"
            for kind, count in zip(row["reasons"], row["reason_counts"], strict=True)
        )
        table.add_row(
            row["cid"], str(row["size"]), str(row["cd_count"]), f"{row['risk_mass']:.2f}", reasons
        )
    console.print(table)


@clusters_app.command("show")
@handles_errors
def clusters_show(
    cid: Annotated[str, typer.Argument(help="Cluster id, e.g. RC-91510105MA6DLXYK47.")],
    as_json: JsonFlag = False,
) -> None:
    """The members of one cluster."""
    from riskgraph.analytics.clusters import cluster_members

    with connected(get_settings()) as store:
        members = cluster_members(store, cid)
    if as_json:
        print_json(members)
        return
    table = Table("uscc", "name", "class", "risk score", title=cid)
    for m in members:
        score = "" if m["risk_score"] is None else f"{m['risk_score']:.3f}"
        table.add_row(m["uscc"], m["name"] or "", m["class"] or "", score)
    console.print(table)


# --------------------------------------------------------------------------- inspections


@inspections_app.command("plan")
@handles_errors
def inspections_plan(
    seed: Annotated[int, typer.Option(help="Random seed; publish it with the plan.")],
    ratio: Annotated[
        list[str] | None,
        typer.Option("--ratio", help="Class ratio CLASS=R (repeatable), e.g. C=0.5."),
    ] = None,
    whitelist: Annotated[
        Path | None,
        typer.Option(
            help="One-off file of whitelisted USCCs instead of the managed lists "
            "(`riskgraph lists import` moves a file in for good)."
        ),
    ] = None,
    sandbox: Annotated[
        Path | None,
        typer.Option(help="One-off file of sandbox USCCs instead of the managed lists."),
    ] = None,
    whitelist_factor: Annotated[
        float, typer.Option(help="Whitelist ratio = class ratio × this.")
    ] = 0.5,
    unclassified_as: Annotated[str, typer.Option(help="Class of unclassified firms.")] = "B",
    allow_outside_bands: Annotated[
        bool, typer.Option(help="Accept ratios outside A≤5%, B 5–20%, C 21–60%, D 61–100%.")
    ] = False,
    as_of: Annotated[str | None, typer.Option(help="Plan date YYYY-MM-DD (default today).")] = None,
    kind_ratio: Annotated[
        list[str] | None,
        typer.Option(
            "--kind-ratio",
            help="Own strata for a kind: KIND:CLASS=R (repeatable), KIND individual "
            "(个体工商户) or cooperative (农民专业合作社); its other classes take --ratio's.",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Draw a reproducible random inspection plan per risk class and store it."""
    from riskgraph.analytics.inspections import DEFAULT_RATIOS, PlanConfig, create_plan

    ratios = dict(DEFAULT_RATIOS)
    for cls, value in _assignments(ratio, "--ratio").items():
        if cls not in ratios or not isinstance(value, int | float):
            raise typer.BadParameter(f"--ratio {cls}={value!r}: use A, B, C or D with a number")
        ratios[cls] = float(value)
    config = PlanConfig(
        seed=seed,
        ratios=ratios,
        whitelist_factor=whitelist_factor,
        unclassified_as=unclassified_as,
        allow_outside_bands=allow_outside_bands,
        kind_ratios=_kind_ratios(kind_ratio, ratios),
    )
    settings = get_settings()
    with connected(settings) as store:
        document = create_plan(
            store,
            config,
            settings.inspections_dir,
            whitelist=_keys_file(whitelist) if whitelist or sandbox else None,
            sandbox=_keys_file(sandbox) if whitelist or sandbox else None,
            as_of=_day(as_of),
        )
    summary = {
        k: document[k]
        for k in (
            "plan_id",
            "created_at",
            "inputs_sha256",
            "counts",
            "counts_by_kind",
            "path",
            "lists",
        )
    }
    summary["selected"] = len(document["selected"])
    if as_json:
        print_json(summary)
        return
    _print_counts(summary["plan_id"], document["counts"])
    _print_kind_counts(document.get("counts_by_kind"))
    console.print(f"{summary['selected']:,} selected; plan written to {summary['path']}")
    if swept := document["lists"]["swept"]:
        console.print(f"{len(swept)} left the managed lists first (riskgraph lists sweep)")


def _kind_ratios(items: list[str] | None, ratios: dict[str, float]) -> dict[str, dict[str, float]]:
    """``--kind-ratio KIND:CLASS=R`` options as ratio tables per kind."""
    tables: dict[str, dict[str, float]] = {}
    for item in items or []:
        kind, _, assignment = item.partition(":")
        cls, _, value = assignment.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if cls not in ratios or not 0.0 <= number <= 1.0:
            raise typer.BadParameter(
                f"--kind-ratio {item!r}: use KIND:CLASS=R, e.g. individual:C=0.3"
            )
        tables.setdefault(kind, dict(ratios))[cls] = number
    return tables


def _print_kind_counts(counts: dict[str, dict[str, dict[str, int]]] | None) -> None:
    """Population and selected per kind of market entity and class."""
    if not counts:
        return
    from riskgraph.reference import ENTITY_KIND_NAMES

    table = Table("kind", *(f"{c} selected/population" for c in next(iter(counts.values()))))
    for kind, row in counts.items():
        name = ENTITY_KIND_NAMES.get(kind, kind)  # type: ignore[call-overload]
        table.add_row(name, *(f"{c['selected']:,}/{c['population']:,}" for c in row.values()))
    console.print(table)


def _print_counts(plan_id: str, counts: dict[str, dict[str, int]]) -> None:
    table = Table("stratum", "population", "selected", "share", title=plan_id)
    for name, c in counts.items():
        share = c["selected"] / c["population"] if c["population"] else 0.0
        table.add_row(name, f"{c['population']:,}", f"{c['selected']:,}", f"{share:.1%}")
    console.print(table)


@inspections_app.command("show")
@handles_errors
def inspections_show(
    plan: Annotated[str, typer.Argument(help="Plan id or path to its JSON file.")],
    verify: Annotated[bool, typer.Option(help="Re-draw from the recorded inputs.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Show a stored plan; --verify re-draws it and compares."""
    from riskgraph.analytics.inspections import read_plan

    settings = get_settings()
    with connected(settings) as store:
        view = read_plan(store, settings.inspections_dir, plan, verify=verify)
    document = view.document
    summary: dict[str, Any] = {
        k: document[k] for k in ("plan_id", "created_at", "inputs_sha256", "counts")
    }
    summary["counts_by_kind"] = document.get("counts_by_kind")
    summary["seed"] = document["inputs"]["seed"]
    summary["ratios"] = document["inputs"]["ratios"]
    summary["selected"] = [s["uscc"] for s in document["selected"]]
    if verify:
        summary["verified"] = view.verified
    summary["progress"] = view.progress
    if as_json:
        print_json(summary)
    else:
        _print_counts(summary["plan_id"], summary["counts"])
        _print_kind_counts(summary["counts_by_kind"])
        console.print(f"seed {summary['seed']}, ratios {summary['ratios']}")
        if progress := summary["progress"]:
            console.print(f"results recorded for {progress['inspected']} of {progress['linked']}")
        else:
            console.print("[yellow]this plan is not in the graph[/]")
        if verify:
            verdict = "[green]re-draw matches[/]" if summary["verified"] else "[red]MISMATCH[/]"
            console.print(verdict)
    if verify and not summary["verified"]:
        raise typer.Exit(2)


@inspections_app.command("record")
@handles_errors
def inspections_record(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV: uscc, date, result (合格/不合格); optional plan_id, "
            "case_no, authority, note."
        ),
    ],
    as_json: JsonFlag = False,
) -> None:
    """Ingest inspection results: failures become 抽查检查不合格 violations."""
    from riskgraph.analytics.inspections import parse_results, record_results

    rows = parse_results(file)
    with connected(get_settings()) as store:
        report = record_results(store, rows)
    data = {
        "records": report.records,
        "passed": report.passed,
        "failed": report.failed,
        "unknown_enterprises": report.unknown_enterprises,
    }
    if as_json:
        print_json(data)
    else:
        console.print(
            f"{report.records} results stored ({report.passed} 合格, {report.failed} 不合格 "
            f"recorded as violations); unknown enterprises: {len(report.unknown_enterprises)}"
        )
    if report.unknown_enterprises:
        raise typer.Exit(1)
