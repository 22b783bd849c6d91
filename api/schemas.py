"""Request and response models of the API (they make the OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from riskgraph.api.auth import Role

MAX_BATCH_KEYS = 10_000
EXAMPLE_USCC = "91110108123456788E"

NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
"""Text parameters carry no control characters (FalkorDB ends a query at a NUL)."""

Key = Annotated[
    str, Field(min_length=1, max_length=64, pattern=NO_CONTROL, examples=[EXAMPLE_USCC])
]


class ErrorBody(BaseModel):
    """Every error response."""

    error: str = Field(examples=["database_unavailable"])
    message: str = Field(examples=["the graph database is unreachable; retry later"])
    details: list[Any] | None = None


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    status: Literal["ready", "unavailable"]
    database: Literal["reachable", "unreachable"]
    dialect: str | None = None


class RiskFields(BaseModel):
    """The model's output for one enterprise; all null until the model has scored it."""

    risk_class: Literal["A", "B", "C", "D"] | str | None = Field(default=None, examples=["B"])
    risk_score: float | None = Field(default=None, examples=[0.12])
    p_A: float | None = Field(default=None, examples=[0.3])  # noqa: N815 (property names)
    p_B: float | None = Field(default=None, examples=[0.58])  # noqa: N815
    p_C: float | None = Field(default=None, examples=[0.1])  # noqa: N815
    p_D: float | None = Field(default=None, examples=[0.02])  # noqa: N815
    model_version: str | None = Field(default=None, examples=["v20260101T000000Z-s0"])
    scored_at: str | None = Field(default=None, examples=["2026-01-01T00:00:00.000Z"])


class Score(RiskFields):
    """Current risk result of one enterprise."""

    uscc: str = Field(examples=[EXAMPLE_USCC])
    name: str | None = Field(default=None, examples=["示例科技有限公司"])
    scored: bool = Field(description="false until the risk model has scored the enterprise")


class BatchRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"keys": [EXAMPLE_USCC, "91510100MA61R8XW2K"]}]}
    )

    keys: list[Key] = Field(min_length=1, max_length=MAX_BATCH_KEYS)


class BatchResponse(BaseModel):
    scores: list[Score]
    missing: list[str] = Field(description="requested keys with no enterprise in the graph")


class Assessment(RiskFields):
    """One dated ``RiskAssessment`` of an enterprise."""


class ScoreHistory(BaseModel):
    uscc: str = Field(examples=[EXAMPLE_USCC])
    assessments: list[Assessment]


class PersonRef(BaseModel):
    """A person; ``pid`` is null and ``name`` masked (张**) unless the role may see them."""

    pid: str | None = None
    name: str | None = Field(default=None, examples=["张**"])
    masked: bool


class Position(BaseModel):
    person: PersonRef
    role: str | None = Field(default=None, examples=["法定代表人"])
    legal_representative: bool
    since: dt.date | None = None
    until: dt.date | None = None


class Investor(BaseModel):
    kind: Literal["person", "enterprise", "other"]
    uscc: str | None = None
    name: str | None = None
    person: PersonRef | None = None
    ratio: float | None = Field(default=None, examples=[0.6])
    amount: float | None = Field(default=None, examples=[600.0], description="万元")
    since: dt.date | None = None


class ViolationOut(BaseModel):
    vid: str | None = None
    kind: str | None = Field(default=None, examples=["行政处罚"])
    date: dt.date | None = None
    authority: str | None = None
    case_no: str | None = None
    amount: float | None = None
    status: str | None = None
    removed_on: dt.date | None = None


class EnterpriseSummary(BaseModel):
    uscc: str = Field(examples=[EXAMPLE_USCC])
    name: str | None = Field(default=None, examples=["示例科技有限公司"])
    org_type: str | None = Field(default=None, examples=["有限责任公司"])
    status: str | None = Field(default=None, examples=["存续"])
    established: dt.date | None = None
    region_code: str | None = Field(default=None, examples=["510107"])
    industry_code: str | None = Field(default=None, examples=["I6510"])


class SearchResult(BaseModel):
    items: list[EnterpriseSummary]
    limit: int
    offset: int


class EnterpriseDetail(EnterpriseSummary):
    registered_capital: float | None = Field(default=None, description="万元")
    paid_in_capital: float | None = Field(default=None, description="万元")
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    risk: RiskFields
    positions: list[Position]
    investors: list[Investor]
    violations: list[ViolationOut]
    truncated: bool = Field(
        description="true when positions, investors or violations hold more than listed"
    )


class CypherRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "query": "MATCH (e:Enterprise {risk_class: $c}) RETURN e.uscc, e.name LIMIT 10",
                    "params": {"c": "D"},
                }
            ]
        }
    )

    query: str = Field(min_length=1, max_length=100_000)
    params: dict[str, Any] = Field(default_factory=dict)
    timeout_s: float | None = Field(
        default=None, gt=0, le=600, description="lower than the server's limit to take effect"
    )


class CypherResult(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    row_count: int
    truncated: bool = Field(description="true when more rows existed than the row cap")
    elapsed_ms: float


class KeyCreate(BaseModel):
    role: Role
    label: str = Field(default="", max_length=200)


class KeyInfo(BaseModel):
    id: str
    role: Role
    label: str
    created_at: str
    revoked_at: str | None = None


class KeyCreated(KeyInfo):
    key: str = Field(description="the API key; shown this once, stored only as a hash")


class QueryInfo(BaseModel):
    name: str
    title: str
    params_example: str | None = None
