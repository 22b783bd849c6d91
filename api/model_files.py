"""Trained model versions on disk, read as JSON without loading a model (no torch).

``riskgraph train --out DIR`` writes one folder per version under ``DIR``
(``manifest.json``, ``metrics.json``, ``report.md`` and the model files). The
API's models directory is ``RISKGRAPH_API__MODELS_DIR`` (default
``<data_dir>/models``); like ``riskgraph score --model``, it may also be one
version folder itself. The current version is the newest, by name (names start
with the UTC training time).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskgraph.api.errors import ModelFilesError
from riskgraph.errors import NotFound
from riskgraph.settings import Settings

MANIFEST = "manifest.json"
METRICS = "metrics.json"
VERSION_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
_VERSION = re.compile(VERSION_PATTERN)


def models_root(settings: Settings) -> Path:
    """Where the API looks for trained model versions."""
    return settings.api.models_dir or settings.data_dir / "models"


@dataclass(frozen=True)
class ModelVersion:
    """One version folder and its manifest."""

    folder: Path
    manifest: dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.manifest.get("version") or self.folder.name)

    def metrics(self) -> dict[str, Any]:
        """The version's ``metrics.json``; NotFound when it has none."""
        path = self.folder / METRICS
        if not path.is_file():
            raise NotFound(f"model version {self.version} has no {METRICS}")
        return _read_json(path)


def version_folders(root: Path) -> list[Path]:
    """Every version folder under ``root`` (or ``root`` itself), oldest first."""
    if (root / MANIFEST).is_file():
        return [root]
    try:
        entries = list(root.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise ModelFilesError(f"cannot list the models directory {root}: {exc}") from exc
    return sorted(p for p in entries if (p / MANIFEST).is_file())


def find_version(root: Path, version: str | None = None) -> ModelVersion:
    """The newest version, or the one named; NotFound (with what to do) otherwise."""
    folders = version_folders(root)
    if not folders:
        raise NotFound(
            "no trained risk model: train one with `riskgraph train --out <dir>` and point "
            "RISKGRAPH_API__MODELS_DIR at <dir> (default <data_dir>/models)"
        )
    if version is None:
        folder = folders[-1]
    else:
        if not _VERSION.match(version):
            raise NotFound(f"no model version {version!r}")
        named = [p for p in folders if p.name == version]
        if not named:
            raise NotFound(f"no model version {version!r}; known: {_names(folders)}")
        folder = named[0]
    return ModelVersion(folder, _read_json(folder / MANIFEST))


def _names(folders: list[Path]) -> str:
    names = [p.name for p in folders]
    return ", ".join(names[-10:]) + (f" (and {len(names) - 10} older)" if len(names) > 10 else "")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFilesError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelFilesError(f"{path} does not hold a JSON object")
    return data
