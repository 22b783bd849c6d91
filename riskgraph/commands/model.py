"""``riskgraph train``, ``score`` and ``explain``: the risk model from the command line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from riskgraph.cli_support import (
    JsonFlag,
    connected,
    console,
    handles_errors,
    print_json,
    step_log,
)
from riskgraph.reference import ENTITY_KIND_NAMES, ENTITY_KINDS
from riskgraph.settings import get_settings

if TYPE_CHECKING:  # the model modules load torch: imported when a command runs
    from riskgraph.gnn.score import ScoreSummary
    from riskgraph.gnn.train import TrainResult

ModelDir = Annotated[
    Path, typer.Option("--model", help="A model version folder, or the folder holding versions.")
]


@handles_errors
def train(
    out: Annotated[Path, typer.Option(help="Where model versions are written.")] = Path("models"),
    label_source: Annotated[
        str,
        typer.Option(
            help="'graph' (label properties), 'inspections' (inspection results), "
            "'graph+inspections' (both; see docs/monitoring.md) or a CSV of key,class."
        ),
    ] = "graph",
    labels_since: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Inspection labels: only results from this day."),
    ] = None,
    classes: Annotated[str, typer.Option(help="Class names, lowest risk first.")] = "A,B,C,D",
    binary: Annotated[
        bool, typer.Option(help="Two classes (e.g. SMEsD's bankruptcy label).")
    ] = False,
    timing: Annotated[
        bool, typer.Option(help="Use time-since features (turn off where they leak the label).")
    ] = True,
    seed: Annotated[int, typer.Option(help="Seed for splits and training.")] = 0,
    gnn_minutes: Annotated[
        float | None,
        typer.Option(
            help="Wall-clock budget for each GNN fit; the best epoch so far is kept "
            "(for very large graphs on small machines).",
            min=0.1,
        ),
    ] = None,
    tree_minutes: Annotated[
        float | None,
        typer.Option(
            help="Wall-clock budget for each gradient-boosting fit; boosting stops after the "
            "round that passes it.",
            min=0.1,
        ),
    ] = None,
    high_risk_recall: Annotated[
        float,
        typer.Option(
            help="A–D: predict D wherever p(D) reaches the threshold that recalls this share "
            "of the validation D firms (0: plain argmax).",
            min=0.0,
            max=1.0,
        ),
    ] = 0.9,
    then_score: Annotated[
        bool,
        typer.Option(
            "--score",
            help="Then score every enterprise with the new version, reusing this run's "
            "export and features (what `riskgraph score` does, without reading the graph again).",
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Train the GNN and its baselines, select on validation, write metrics and a report."""
    from riskgraph.gnn.baselines import LgbmConfig
    from riskgraph.gnn.features import FeatureConfig
    from riskgraph.gnn.fit import FitConfig
    from riskgraph.gnn.train import LabelSpec, TrainConfig
    from riskgraph.gnn.train import train as train_models

    config = TrainConfig(
        features=FeatureConfig(timing=timing),
        fit=FitConfig(max_seconds=None if gnn_minutes is None else gnn_minutes * 60),
        lgbm=LgbmConfig(max_seconds=None if tree_minutes is None else tree_minutes * 60),
        high_risk_recall=high_risk_recall or None,
    )
    named = ("graph", "inspections", "graph+inspections")
    source: str | Path = label_source if label_source in named else Path(label_source)
    say = step_log()
    with connected(get_settings()) as store:
        result = train_models(
            store,
            out,
            labels=LabelSpec(
                source=source,
                classes=tuple(c.strip() for c in classes.split(",") if c.strip()),
                binary=binary,
                since=labels_since.date() if labels_since else None,
            ),
            seed=seed,
            config=config,
            progress=say,
            keep_inputs=then_score,
        )
        scored = None
        if then_score:
            from riskgraph.gnn.score import score as score_all

            say(f"version {result.version} written; scoring with it")
            scored = score_all(store, result.model_dir, inputs=result.inputs, progress=say)
    if as_json:
        print_json(
            {
                "version": result.version,
                "model_dir": str(result.model_dir),
                "selected": result.selected,
                "metrics": result.metrics,
                "validation": result.validation,
                "report": str(result.report),
                "score": scored.to_dict() if scored else None,
            }
        )
        return
    _print_training(result)
    if scored is not None:
        _print_scored(scored)


def _print_training(result: TrainResult) -> None:
    table = Table(
        "model",
        "valid macro-F1",
        "valid ROC-AUC",
        "test macro-F1",
        "test ROC-AUC",
        title=f"model {result.version}",
    )
    for name, test in result.metrics["models"].items():
        valid = result.validation.get(name, {})
        marker = " (selected)" if name == result.selected else ""
        table.add_row(
            name + marker,
            *(
                _fmt(figures.get(key))
                for figures in (valid, test)
                for key in ("macro_f1", "roc_auc")
            ),
        )
    console.print(table)
    _print_by_kind(result.validation, result.selected)
    console.print(f"selected [bold]{result.selected}[/] on validation; report: {result.report}")


def _print_by_kind(validation: dict[str, dict[str, Any]], selected: str) -> None:
    """Validation figures per kind of market entity, every candidate."""
    table = Table(
        "model", "kind", "n", "macro-F1", "balanced acc.", "ROC-AUC", title="validation per kind"
    )
    for name, figures in validation.items():
        by_kind = figures.get("by_kind") or {}
        for kind in ENTITY_KINDS:
            row = by_kind.get(kind, {})
            table.add_row(
                name + (" (selected)" if name == selected else ""),
                ENTITY_KIND_NAMES[kind],
                str(row.get("n", 0)),
                *(_fmt(row.get(key)) for key in ("macro_f1", "balanced_accuracy", "roc_auc")),
            )
    if table.row_count:
        console.print(table)


@handles_errors
def score(
    model: ModelDir = Path("models"),
    export: Annotated[
        Path | None, typer.Option(help="Also write key,class,risk_score,p_<class> to this CSV.")
    ] = None,
    write: Annotated[bool, typer.Option(help="Write scores back onto the graph.")] = True,
    as_json: JsonFlag = False,
) -> None:
    """Score every enterprise with a trained model and write the results back."""
    from riskgraph.gnn.score import score as score_all

    with connected(get_settings()) as store:
        summary = score_all(store, model, export=export, write=write, progress=step_log())
    if as_json:
        print_json(summary.to_dict())
        return
    _print_scored(summary)


def _print_scored(summary: ScoreSummary) -> None:
    console.print(
        f"scored {summary.scored:,} enterprises with {summary.model} "
        f"({summary.model_version}), wrote {summary.written:,}; classes {summary.class_counts}"
    )
    if summary.export:
        console.print(f"export: {summary.export}")


@handles_errors
def explain(
    key: Annotated[str, typer.Argument(help="The enterprise key (USCC or external key).")],
    model: ModelDir = Path("models"),
    top: Annotated[int, typer.Option(min=1, max=100, help="How many causes to list.")] = 10,
) -> None:
    """The features and neighbours that pushed an enterprise's class up or down."""
    from riskgraph.gnn.explain import explain as explain_one

    with connected(get_settings()) as store:
        print_json(explain_one(store, model, key, top_k=top))


def _fmt(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else "-"


@handles_errors
def prune_history(
    before: Annotated[
        datetime,
        typer.Option(formats=["%Y-%m-%d"], help="Delete assessments dated before this day."),
    ],
    batch_size: Annotated[int, typer.Option(min=1, help="Records per transaction.")] = 500_000,
    as_json: JsonFlag = False,
) -> None:
    """Delete risk assessments (scoring history) older than a day; current scores stay."""
    from riskgraph.gnn.score import prune_history as prune

    with connected(get_settings()) as store:
        deleted = prune(store, before.date(), batch_size=batch_size, progress=step_log())
    if as_json:
        print_json({"deleted": deleted, "before": before.date().isoformat()})
        return
    console.print(f"deleted {deleted:,} assessments dated before {before.date().isoformat()}")


def register(app: typer.Typer) -> None:
    """Add the model commands to the main CLI."""
    app.command()(train)
    app.command()(score)
    app.command()(explain)
    app.command("prune-history")(prune_history)
