"""Request and answer shapes of the case routes (``/api/v1/cases``)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from riskgraph.analytics.cases import BULK_MAX
from riskgraph.api.schemas import NO_CONTROL, AlertOut, AlertStatus

CASE_ID_PATTERN = r"^CASE-[0-9a-f]{12}$"
EXAMPLE_CASE = "CASE-3f9a1c0b7e21"


class CaseFirm(BaseModel):
    """A firm of a case: name, class (the model's, else the supervisor's) and score."""

    uscc: str
    name: str | None = None
    class_: str | None = Field(default=None, alias="class", examples=["D"])
    scored: bool = Field(default=False, description="the class is the model's")
    risk_score: float | None = None
    region_code: str | None = None

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class CaseOut(BaseModel):
    """A case: alerts that share evidence (an address, a person, a firm, a risk cluster)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(examples=[EXAMPLE_CASE])
    status: AlertStatus = Field(description="derived from its alerts: open if any is open, …")
    severity: str | None = Field(default=None, examples=["high"])
    risk: float | None = Field(default=None, description="the riskiest member firm's score")
    alert_count: int = 0
    open_alerts: int = Field(default=0, description="alerts still open or in progress")
    firm_count: int = 0
    rules: list[str] = Field(default_factory=list, examples=[["R02", "R03"]])
    regions: list[str] = Field(default_factory=list, examples=[["510107"]])
    keys: list[str] = Field(
        default_factory=list,
        description="the evidence keys its alerts share, most shared first (person keys "
        "are pseudonyms unless the role may see them)",
    )
    title: str | None = None
    title_zh: str | None = None
    assignee: str | None = None
    assigned_at: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    created_at: str | None = None
    events: int | None = None
    lead_firms: list[CaseFirm] = Field(
        default_factory=list, description="its riskiest firms (at most 5)"
    )


class CasePage(BaseModel):
    items: list[CaseOut]
    counts: dict[str, int] = Field(
        description="cases per status under the other filters", examples=[{"open": 12}]
    )
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page; null on the last")


class CaseEntity(BaseModel):
    """An entity the case's evidence names, with the firms whose alerts cite it."""

    kind: str = Field(examples=["address"], description="firm, person, address, violation, cluster")
    key: str = Field(description="USCC, person pseudonym (or pid), address id, record id")
    name: str | None = Field(default=None, description="firm name, masked person, address text")
    found: bool = True
    detail: dict[str, Any] = Field(default_factory=dict)
    roles: list[str] = Field(default_factory=list, examples=[["legal_rep"]])
    alerts: int = 0
    cited_by: list[str] = Field(default_factory=list)
    href: str | None = Field(default=None, description="the API resource for the entity")


class CaseEvent(BaseModel):
    at: str | None = None
    seq: int | None = None
    kind: str = Field(examples=["status"], description="assign, status, merged, split")
    actor: str | None = None
    note: str | None = None
    from_status: str | None = None
    to_status: str | None = None
    assignee: str | None = None
    other: str | None = Field(default=None, description="the other case of a merge or split")
    alerts: int | None = None
    moved_from: str | None = None


class CaseDetail(CaseOut):
    alerts: list[AlertOut]
    firms: list[CaseFirm]
    entities: list[CaseEntity]
    history: list[CaseEvent]


class CaseAssign(BaseModel):
    """Assign a case (``assignee`` null or absent: unassign)."""

    assignee: str | None = Field(default=None, min_length=1, max_length=64, pattern=NO_CONTROL)
    note: str | None = Field(default=None, max_length=2000, pattern=r"^[^\x00]*$")


class BulkStatus(BaseModel):
    """Move up to 100 cases; each alert follows the alert status model."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"ids": [EXAMPLE_CASE], "status": "dismissed", "note": "agent address"}]
        }
    )

    ids: list[Annotated[str, Field(pattern=CASE_ID_PATTERN)]] = Field(
        min_length=1, max_length=BULK_MAX
    )
    status: AlertStatus
    note: str | None = Field(default=None, max_length=2000, pattern=r"^[^\x00]*$")


class BulkResult(BaseModel):
    id: str
    ok: bool
    from_status: str | None = None
    status: str | None = None
    alerts_changed: int = 0
    error: str | None = Field(default=None, examples=["not_found", "invalid_transition"])
    message: str | None = None


class BulkAnswer(BaseModel):
    status: AlertStatus
    changed: int
    refused: int
    results: list[BulkResult]
