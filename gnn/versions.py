"""Model version folders: how one is found and the error when none fits.

Free of the model stack (torch, PyG, LightGBM), so a command can check the
folder before it spends seconds importing that stack.
"""

from __future__ import annotations

from pathlib import Path

from riskgraph.errors import RiskgraphError

MANIFEST = "manifest.json"


class ModelError(RiskgraphError):
    """A model folder is missing, incomplete or does not fit the graph."""


def resolve_version(model_dir: Path) -> Path:
    """``model_dir`` itself when it is a version folder, else its newest version."""
    model_dir = Path(model_dir)
    if (model_dir / MANIFEST).is_file():
        return model_dir
    versions = sorted(p for p in model_dir.glob("*") if (p / MANIFEST).is_file())
    if not versions:
        raise ModelError(f"no trained model under {model_dir} (no {MANIFEST} found)")
    return versions[-1]
