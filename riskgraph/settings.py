"""One Settings object for the whole process, read from ``RISKGRAPH_*`` variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from riskgraph.errors import ConfigError

Backend = Literal["falkordb", "neo4j"]
DEMO_PERSON_ID_SECRET = "riskgraph-demo-secret-not-for-real-data"  # noqa: S105 (refused outside demo mode)

LOCAL_SERVERS: dict[str, Backend] = {"embedded": "falkordb", "local-neo4j": "neo4j"}
"""The ``graph_uri`` values of the servers riskgraph runs itself, and their engines."""

# The schema procedures both engines have (Neo4j 5 has no db.indexes or db.constraints).
DEFAULT_PROCEDURES = ("db.labels", "db.relationshipTypes", "db.propertyKeys")


class ApiSettings(BaseModel):
    """The HTTP API's section of :class:`Settings` (``RISKGRAPH_API__<FIELD>``)."""

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    keys_file: Path | None = None
    """API key file (hashes only); defaults to ``<data_dir>/api_keys.json``."""
    audit_log: Path | None = None
    """Append-only audit log; defaults to ``<data_dir>/audit.log``."""
    models_dir: Path | None = None
    """Trained model versions (``riskgraph train --out``); default ``<data_dir>/models``."""
    cors_origins: list[str] = []
    """Origins allowed by CORS; empty (the default) sends no CORS headers at all."""
    docs: bool = True
    """Serve the OpenAPI schema and Swagger UI under ``/api/v1``."""

    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    query_timeout_s: float = Field(default=30.0, gt=0)
    """Server-side limit for every query the API runs."""
    cypher_timeout_s: float = Field(default=30.0, gt=0)
    cypher_max_rows: int = Field(default=10_000, ge=1)
    cypher_max_chars: int = Field(default=20_000, ge=100)
    cypher_max_hops: int = Field(default=8, ge=1, le=50)
    """Upper bound required on variable-length relationships in ad-hoc Cypher."""
    cypher_max_range: int = Field(default=1_000_000, ge=1)
    """Most values a ``range()`` call in ad-hoc Cypher may make."""
    cypher_max_nesting: int = Field(default=12, ge=2, le=40)
    """Deepest nesting (brackets, maps, CASE, NOT, unary minus) in ad-hoc Cypher."""
    cypher_max_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    """Largest ad-hoc result (its JSON) the API sends; a larger one is refused."""
    cypher_parser: bool = True
    """Check ad-hoc Cypher with Neo4j's own parser first (node and the npm packages)."""
    cypher_parse_timeout_s: float = Field(default=5.0, gt=0)
    cypher_procedures: list[str] = list(DEFAULT_PROCEDURES)
    """Procedures ad-hoc Cypher may CALL (exact names)."""
    falkordb_query_mem_mb: int = Field(default=1024, ge=0)
    """Per-query memory cap the API gives FalkorDB when the server has none (0: leave it)."""
    export_page_size: int = Field(default=2000, ge=1, le=50_000)
    max_hops: int = Field(default=4, ge=1, le=10)
    """Depth limit for graph traversals."""

    supervise: bool = True
    """Watch the local database server (``embedded``, ``local-neo4j``) and restart it
    when it crashes or hangs."""
    supervise_interval_s: float = Field(default=2.0, gt=0)
    supervise_timeout_s: float = Field(default=3.0, gt=0)
    """A probe query not answered in this time counts as a hang (two in a row restart)."""

    rate_per_s: float = Field(default=20.0, gt=0)
    rate_burst: int = Field(default=100, ge=1)
    retry_after_s: int = Field(default=5, ge=1)
    """``Retry-After`` sent with 503 while the database is unreachable."""
    reconnect_interval_s: float = Field(default=1.0, ge=0)
    shutdown_timeout_s: float = Field(default=30.0, gt=0)
    log_json: bool = True
    chromium: Path | None = None
    """Chromium for PDF case reports (``--print-to-pdf``); default: found on the PATH."""
    report_timeout_s: float = Field(default=60.0, gt=0)

    def keys_path(self, data_dir: Path) -> Path:
        return self.keys_file or data_dir / "api_keys.json"

    def audit_path(self, data_dir: Path) -> Path:
        return self.audit_log or data_dir / "audit.log"


class Settings(BaseSettings):
    """Runtime configuration.

    ``graph_uri`` picks the database: ``embedded`` (default) is the FalkorDB
    server riskgraph runs itself under ``data_dir``; ``local-neo4j`` the Neo4j
    Community server it runs itself there; ``bolt://``/``neo4j://``
    (and their ``+s``/``+ssc`` variants) select Neo4j; ``redis://``/``rediss://``
    an external FalkorDB. Secrets are :class:`SecretStr` so they never appear in
    ``repr`` or logs.
    """

    model_config = SettingsConfigDict(
        env_prefix="RISKGRAPH_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="ignore",
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
    embedded_query_memory_mb: int = Field(default=2048, ge=0)
    """Per-query memory cap of the local server: FalkorDB's QUERY_MEM_CAPACITY, the
    local Neo4j's ``db.memory.transaction.max`` (0: none)."""
    embedded_node_creation_buffer: int = Field(default=1_048_576, ge=128)
    """Node slots FalkorDB adds to every matrix when nodes outgrow them
    (NODE_CREATION_BUFFER; FalkorDB's default is 16,384). Each resize rewrites
    every matrix; on a 14M-node graph that cost ~0.5 s per 20,000 created
    nodes with the default, and ~20 MB more per graph buys it back."""

    neo4j_heap_mb: int = Field(default=4096, ge=512)
    """JVM heap of the local Neo4j (``local-neo4j``)."""
    neo4j_page_cache_mb: int = Field(default=6144, ge=16)
    """Page cache of the local Neo4j: the store files it keeps in memory."""
    neo4j_lib_dir: Path | None = None
    """Neo4j Community's jars; default ``.neo4j/lib`` in the checkout (``make install``)."""

    connect_timeout_s: float = Field(default=5.0, gt=0)
    query_timeout_s: float = Field(default=60.0, gt=0)
    write_timeout_s: float = Field(default=600.0, gt=0)

    person_id_secret: SecretStr = SecretStr(DEMO_PERSON_ID_SECRET)
    """Key of the HMAC that turns resident ID numbers into ``Person.pid``."""
    demo: bool = False
    """Demo mode: allows the shipped person-ID secret (synthetic data only)."""

    log_level: str = "INFO"

    api: ApiSettings = Field(default_factory=ApiSettings)
    """``riskgraph serve``: ``RISKGRAPH_API__PORT=8080`` and so on."""

    @field_validator("graph_uri")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if value not in LOCAL_SERVERS and backend_of(value) is None:
            raise ValueError(
                "graph_uri must be 'embedded', 'local-neo4j', bolt://, neo4j:// (Neo4j) "
                "or redis:// (FalkorDB)"
            )
        return value

    @property
    def backend(self) -> Backend:
        """Which engine ``graph_uri`` selects."""
        return LOCAL_SERVERS.get(self.graph_uri) or backend_of(self.graph_uri) or "falkordb"

    @property
    def is_embedded(self) -> bool:
        """True for the embedded FalkorDB server."""
        return self.graph_uri == "embedded"

    @property
    def is_local(self) -> bool:
        """True when riskgraph runs the database server itself (either engine)."""
        return self.graph_uri in LOCAL_SERVERS

    @property
    def graph_dir(self) -> Path:
        """Where the embedded server keeps its files."""
        return self.data_dir / "graph"

    @property
    def neo4j_dir(self) -> Path:
        """Where the local Neo4j server keeps its files."""
        return self.data_dir / "neo4j"

    @property
    def inspections_dir(self) -> Path:
        """Where inspection plans are stored as JSON documents."""
        return self.data_dir / "inspections"


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
