"""A trained model version on disk, and predicting with its candidates.

A version folder (``<out_dir>/<version>/``) holds:

- ``manifest.json``: version, classes, the selected model, its decision
  threshold, the fitted neighbour-aggregate columns, every candidate's files;
- ``pipeline.json``: the fitted :class:`~riskgraph.gnn.features.FeaturePipeline`;
- per candidate: ``hetero_sage.pt`` (a ``state_dict``, loaded with
  ``weights_only=True``) with ``hetero_sage.json``; ``lgbm_own.lgbm.txt`` /
  ``lgbm_graph.lgbm.txt`` (LightGBM text format) with their column lists;
  ``scorecard.json``;
- ``metrics.json`` and ``report.md``;
- ``reference.json`` (versions trained since monitoring exists): the training
  population's feature distributions and class shares
  (:mod:`riskgraph.gnn.drift`).

Nothing is pickled, so loading a model folder runs no code from it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import torch

from riskgraph.gnn.baselines import LgbmModel, Scorecard
from riskgraph.gnn.drift import load_reference
from riskgraph.gnn.export import GraphExport
from riskgraph.gnn.features import FeaturePipeline
from riskgraph.gnn.fit import pick_device
from riskgraph.gnn.fit import predict_proba as gnn_predict_proba
from riskgraph.gnn.hetero_sage import HeteroSAGE, HeteroSAGEConfig, edge_types_of
from riskgraph.gnn.inputs import Inputs, prepare
from riskgraph.gnn.versions import MANIFEST, ModelError, resolve_version

PIPELINE = "pipeline.json"
GNN_MODELS: tuple[str, ...] = ("hetero_sage",)
LGBM_MODELS: tuple[str, ...] = ("lgbm_own", "lgbm_graph")
ENSEMBLE = "ensemble"
ENSEMBLE_MEMBERS: tuple[str, ...] = ("lgbm_graph", "hetero_sage")
"""The ensemble averages these members' probabilities (no weight is fitted)."""
ALL_MODELS: tuple[str, ...] = ("scorecard", *LGBM_MODELS, *GNN_MODELS, ENSEMBLE)


#: Rows per chunk when tree models read own features plus neighbour aggregates.
CHUNK_ROWS = 100_000


@dataclass
class Bundle:
    """A loaded model version: manifest, pipeline and every saved candidate."""

    folder: Path
    manifest: dict[str, Any]
    pipeline: FeaturePipeline
    models: dict[str, Any] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(self.manifest["classes"])

    @property
    def selected(self) -> str:
        return str(self.manifest["selected"])

    @property
    def binary(self) -> bool:
        return bool(self.manifest["binary"])

    @property
    def reference(self) -> dict[str, Any] | None:
        """The monitoring reference (``None`` for versions trained without one)."""
        if "reference" not in self._cache:
            self._cache["reference"] = load_reference(self.folder)
        found: dict[str, Any] | None = self._cache["reference"]
        return found

    def threshold(self, name: str | None = None) -> float | None:
        value = self.manifest["thresholds"].get(name or self.selected)
        return None if value is None else float(value)

    def prepare(self, graph: GraphExport, *, as_of: date | None = None) -> Inputs:
        """The inputs of ``graph`` for this version's models (:func:`~riskgraph.gnn.inputs.prepare`
        with the saved pipeline and aggregate columns)."""
        return prepare(
            graph,
            self.pipeline,
            as_of=as_of,
            aggregate_columns=self.manifest["aggregate_columns"],
        )

    def predict_proba(self, inputs: Inputs, name: str | None = None) -> np.ndarray:
        """``[N_enterprise, C]`` probabilities of candidate ``name`` (default: selected)."""
        return predict_with(name or self.selected, self.models[name or self.selected], inputs)


def predict_with(
    name: str, model: Any, inputs: Inputs, rows: np.ndarray | None = None
) -> np.ndarray:
    """Probabilities ``[len(rows), C]`` from one candidate (every enterprise by default)."""
    if name in GNN_MODELS:
        device = next(model.parameters()).device
        proba = gnn_predict_proba(model, inputs.data.to(device))
        return proba if rows is None else proba[np.asarray(rows)]
    if name == "lgbm_own":
        own = inputs.own if rows is None else inputs.own.iloc[np.asarray(rows)]
        return _chunked(len(own), lambda part: model.predict_proba(own.iloc[part]))
    if name in ("lgbm_graph", "scorecard"):
        wanted = np.arange(len(inputs.own)) if rows is None else np.asarray(rows)
        # all rows of a small graph: compute (and keep) them at once; a few rows or a
        # large graph: only the rows asked for, chunk by chunk
        if inputs.has_extended or (rows is None and len(wanted) <= CHUNK_ROWS):
            frame = inputs.extended if rows is None else inputs.extended.iloc[wanted]
            return np.asarray(model.predict_proba(frame))
        return _chunked(
            len(wanted), lambda part: model.predict_proba(inputs.extended_rows(wanted[part]))
        )
    if name == ENSEMBLE:
        members = [predict_with(member, m, inputs, rows) for member, m in model.items()]
        return np.asarray(np.mean(members, axis=0))
    raise ModelError(f"unknown model {name!r}")


def _chunked(n: int, predict: Callable[[slice], Any]) -> np.ndarray:
    """``predict`` over ``CHUNK_ROWS``-row slices of ``range(n)``, stacked."""
    parts = [np.asarray(predict(slice(i, i + CHUNK_ROWS))) for i in range(0, n, CHUNK_ROWS)]
    return np.concatenate(parts) if parts else np.zeros((0, 0))


def save_model(folder: Path, name: str, model: Any) -> dict[str, Any]:
    """Write one candidate; returns its manifest entry."""
    if name in GNN_MODELS:
        torch.save(model.state_dict(), folder / f"{name}.pt")
        spec = {
            "config": model.config.to_dict(),
            "node_types": model.node_types,
            "edge_types": [list(et) for et in model.edge_types],
            "in_channels": {t: int(model.inputs[t].in_features) for t in model.node_types},
            "out_channels": int(model.head[-1].out_features),
        }
        (folder / f"{name}.json").write_text(json.dumps(spec, ensure_ascii=False), "utf-8")
        return {"kind": "gnn", "files": [f"{name}.pt", f"{name}.json"]}
    if name in LGBM_MODELS:
        model.save(folder, name)
        return {"kind": "lightgbm", "files": [f"{name}.lgbm.txt", f"{name}.columns.json"]}
    if name == "scorecard":
        text = json.dumps(model.to_dict(), ensure_ascii=False)
        (folder / "scorecard.json").write_text(text, "utf-8")
        return {"kind": "scorecard", "files": ["scorecard.json"]}
    if name == ENSEMBLE:
        return {"kind": "ensemble", "files": [], "members": list(model)}
    raise ModelError(f"unknown model {name!r}")


def load_model(folder: Path, name: str, *, device: str = "auto") -> Any:
    """Read one candidate back."""
    try:
        if name in GNN_MODELS:
            spec = json.loads((folder / f"{name}.json").read_text("utf-8"))
            model = HeteroSAGE(
                (list(spec["node_types"]), edge_types_of(spec["edge_types"])),
                {k: int(v) for k, v in spec["in_channels"].items()},
                int(spec["out_channels"]),
                HeteroSAGEConfig.from_dict(spec["config"]),
            )
            state = torch.load(folder / f"{name}.pt", map_location="cpu", weights_only=True)
            model.load_state_dict(state)
            model.eval()
            return model.to(pick_device(device))
        if name in LGBM_MODELS:
            return LgbmModel.load(folder, name)
        if name == "scorecard":
            return Scorecard.from_dict(json.loads((folder / "scorecard.json").read_text("utf-8")))
        if name == ENSEMBLE:
            return {
                member: load_model(folder, member, device=device) for member in ENSEMBLE_MEMBERS
            }
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise ModelError(f"cannot load model {name!r} from {folder}: {exc}") from exc
    raise ModelError(f"unknown model {name!r}")


def load_bundle(
    model_dir: Path, *, models: Sequence[str] | None = None, device: str = "auto"
) -> Bundle:
    """Load a version folder (or the newest version under ``model_dir``)."""
    folder = resolve_version(model_dir)
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {folder / MANIFEST}: {exc}") from exc
    pipeline = FeaturePipeline.load(folder / PIPELINE)
    wanted = list(models) if models is not None else [str(manifest["selected"])]
    loaded = {name: load_model(folder, name, device=device) for name in wanted}
    return Bundle(folder=folder, manifest=manifest, pipeline=pipeline, models=loaded)


def risk_score(proba: np.ndarray, classes: Sequence[str], binary: bool) -> np.ndarray:
    """P(positive) for binary; else the summed probability of the upper half (C+D of A–D)."""
    if binary:
        return np.asarray(proba[:, -1])
    upper = len(classes) // 2
    return np.asarray(proba[:, len(classes) - upper :].sum(axis=1))
