"""One Settings object for the whole process, read from ``RISKGRAPH_*`` variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from riskgraph.errors import ConfigError

Backend = Literal["falkordb", "neo4j"]
DEMO_PERSON_ID_SECRET = "riskgraph-demo-secret-not-for-real-data"  # noqa: S105 (refused outside demo mode)


class Settings(BaseSettings):
    """Runtime configuration.

    ``graph_uri`` picks the database: ``embedded`` (default) is the FalkorDB
    server riskgraph runs itself under ``data_dir``; ``bolt://``/``neo4j://``
    (and their ``+s``/``+ssc`` variants) select Neo4j; ``redis://``/``rediss://``
    an external FalkorDB. Secrets are :class:`SecretStr` so they never appear in
    ``repr`` or logs.
    """

    model_config = SettingsConfigDict(
        env_prefix="RISKGRAPH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    graph_uri: str = "embedded"
    graph_user: str | None = None
    graph_password: SecretStr | None = None
    graph_name: str = Field(default="riskgraph", pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,62}$")
    neo4j_database: str | None = None
    data_dir: Path = Path("./data")

    embedded_port: int = Field(default=0, ge=0, le=65535)
    """TCP port for the embedded server; 0 picks a free one."""
    embedded_start_timeout_s: float = Field(default=120.0, gt=0)

    connect_timeout_s: float = Field(default=5.0, gt=0)
    query_timeout_s: float = Field(default=60.0, gt=0)
    write_timeout_s: float = Field(default=600.0, gt=0)

    person_id_secret: SecretStr = SecretStr(DEMO_PERSON_ID_SECRET)
    """Key of the HMAC that turns resident ID numbers into ``Person.pid``."""
    demo: bool = False
    """Demo mode: allows the shipped person-ID secret (synthetic data only)."""

    log_level: str = "INFO"

    @field_validator("graph_uri")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if value != "embedded" and backend_of(value) is None:
            raise ValueError(
                "graph_uri must be 'embedded', bolt://, neo4j:// (Neo4j) or redis:// (FalkorDB)"
            )
        return value

    @property
    def backend(self) -> Backend:
        """Which engine ``graph_uri`` selects."""
        return backend_of(self.graph_uri) or "falkordb"

    @property
    def is_embedded(self) -> bool:
        return self.graph_uri == "embedded"

    @property
    def graph_dir(self) -> Path:
        """Where the embedded server keeps its files."""
        return self.data_dir / "graph"


def backend_of(uri: str) -> Backend | None:
    """Return the engine a URI names, or None for an unknown scheme."""
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme in {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}:
        return "neo4j"
    if scheme in {"redis", "rediss", "falkordb"}:
        return "falkordb"
    return None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"RISKGRAPH_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from exc
