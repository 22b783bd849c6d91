"""The trained risk model: current version, selected candidate and metrics.

Read from the version folders ``riskgraph train`` writes (``manifest.json``,
``metrics.json``) under ``RISKGRAPH_API__MODELS_DIR`` (default
``<data_dir>/models``); no model is loaded for these routes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from riskgraph.api.deps import AuditDep, ModelReader, StateDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.errors import ModelFilesError
from riskgraph.api.model_files import VERSION_PATTERN, find_version, models_root, version_folders
from riskgraph.api.schemas import ErrorBody, ModelFigures, ModelInfo
from riskgraph.errors import NotFound

router = APIRouter(prefix="/model", tags=["model"])

VersionQuery = Annotated[
    str | None,
    Query(
        max_length=128,
        pattern=VERSION_PATTERN,
        description="a version on disk (default: the newest)",
        examples=["v20260101T000000Z-s0"],
    ),
]
_NO_MODEL: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "no trained model (or no such version)"}
}
_METRICS_EXAMPLE = {
    "selected": "ensemble",
    "selection": "validation ROC-AUC (ties: macro-F1)",
    "models": {"ensemble": {"available": True, "n": 3000, "roc_auc": 0.91, "macro_f1": 0.62}},
    "validation": {"ensemble": {"available": True, "n": 3000, "roc_auc": 0.9}},
    "split": {"train": 14000, "valid": 3000, "test": 3000},
    "version": "v20260101T000000Z-s0",
}


@router.get("", response_model=ModelInfo, summary="The current risk model", responses=_NO_MODEL)
def model_info(
    state: StateDep, _: ModelReader, audit: AuditDep, version: VersionQuery = None
) -> ModelInfo:
    """The newest version (or ``version``): the selected candidate, classes, split and
    the figures of every candidate on the test and validation splits."""
    root = models_root(state.settings)
    found = find_version(root, version)
    manifest = found.manifest
    try:
        metrics = found.metrics()
    except (NotFound, ModelFilesError):  # a version without metrics still has a manifest
        metrics = {}
    selected = str(manifest.get("selected") or metrics.get("selected") or "")
    thresholds = manifest.get("thresholds") or {}
    info = ModelInfo(
        version=found.version,
        versions=[folder.name for folder in version_folders(root)],
        created_at=manifest.get("created_at"),
        selected=selected,
        selection=metrics.get("selection"),
        candidates=sorted((manifest.get("models") or {}).keys()),
        binary=bool(manifest.get("binary")),
        classes=[str(c) for c in manifest.get("classes") or []],
        threshold=thresholds.get(selected),
        seed=manifest.get("seed"),
        as_of=manifest.get("as_of"),
        label_source=manifest.get("label_source"),
        graph=jsonable(manifest.get("graph")),
        split=jsonable(metrics.get("split")),
        test=_figures(metrics.get("models")),
        validation=_figures(metrics.get("validation")),
    )
    audit("model.read", params={"version": version}, rows=1, model_version=info.version)
    return info


@router.get(
    "/metrics",
    summary="The full metrics.json of the current (or a named) model version",
    responses={200: {"content": {"application/json": {"example": _METRICS_EXAMPLE}}}, **_NO_MODEL},
)
def model_metrics(
    state: StateDep, _: ModelReader, audit: AuditDep, version: VersionQuery = None
) -> dict[str, Any]:
    """Per candidate: test figures (``models``, with how it was trained), validation
    figures, confusion matrices, per-class precision and recall; the split."""
    found = find_version(models_root(state.settings), version)
    metrics: dict[str, Any] = jsonable(found.metrics())
    metrics.setdefault("version", found.version)
    audit("model.metrics", params={"version": version}, rows=1, model_version=found.version)
    return metrics


def _figures(table: Any) -> dict[str, ModelFigures]:
    if not isinstance(table, dict):
        return {}
    return {
        str(name): ModelFigures.model_validate(jsonable(figures))
        for name, figures in table.items()
        if isinstance(figures, dict)
    }
