"""Settings: backend selection and secret hygiene."""

from __future__ import annotations

import pytest

from riskgraph.errors import ConfigError
from riskgraph.settings import Settings, backend_of, get_settings


@pytest.mark.parametrize(
    ("uri", "backend"),
    [
        ("bolt://localhost:7687", "neo4j"),
        ("neo4j+s://db.example:7687", "neo4j"),
        ("redis://127.0.0.1:6379", "falkordb"),
        ("http://x", None),
        ("embedded", None),
    ],
)
def test_backend_of(uri: str, backend: str | None) -> None:
    assert backend_of(uri) == backend


def test_embedded_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RISKGRAPH_GRAPH_URI", raising=False)
    settings = Settings()
    assert settings.is_embedded and settings.backend == "falkordb"
    assert settings.graph_dir == settings.data_dir / "graph"


def test_environment_selects_neo4j(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKGRAPH_GRAPH_URI", "bolt://db:7687")
    monkeypatch.setenv("RISKGRAPH_GRAPH_PASSWORD", "s3cret-value")
    settings = Settings()
    assert settings.backend == "neo4j" and not settings.is_embedded
    assert "s3cret-value" not in repr(settings)
    assert "s3cret-value" not in str(settings.model_dump())


def test_invalid_settings_raise_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKGRAPH_GRAPH_URI", "ftp://nowhere")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match="RISKGRAPH_GRAPH_URI"):
            get_settings()
    finally:
        get_settings.cache_clear()
