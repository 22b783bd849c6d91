"""Request and response models of the API (they make the OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from riskgraph.api.auth import Role
from riskgraph.reference import EntityKind, entity_kind

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
    ref: str | None = Field(
        default=None,
        description="names the person in graph and path requests: the pid where the role "
        "sees it, else an opaque pseudonym",
        examples=["person-3q2…"],
    )
    label: str | None = Field(
        default=None,
        description="what to show: the name, or where masked the masked name with the "
        "person's firm count and a stable tag",
        examples=["张**·3家企业·#7f2a"],
    )
    firms: int | None = Field(
        default=None, description="how many firms the person is linked to", examples=[3]
    )


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

    @computed_field(  # type: ignore[prop-decorator]
        description="kind of market entity from the org type: enterprise (企业), "
        "individual (个体工商户), cooperative (农民专业合作社)"
    )
    @property
    def kind(self) -> EntityKind:
        return entity_kind(self.org_type)


class EnterpriseList(BaseModel):
    """One page of enterprises (summaries, as a search gives them: no risk fields);
    ``has_more``: another page follows at ``offset + limit``."""

    items: list[EnterpriseSummary]
    limit: int
    offset: int
    has_more: bool


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


# --------------------------------------------------------------------------- clusters

EXAMPLE_CLUSTER = "RC-91110108123456788E"
EXAMPLE_ALERT = "R02|91110108123456788E"
EXAMPLE_PLAN = "IP-2026-06-30-0a1b2c3d4e5f"


class ClusterSummary(BaseModel):
    """A stored risk cluster (关联风险群)."""

    cid: str = Field(examples=[EXAMPLE_CLUSTER])
    size: int = Field(examples=[6])
    cd_count: int = Field(description="members in class C or D", examples=[3])
    risk_mass: float = Field(description="sum of the members' risk scores", examples=[2.41])
    reasons: list[str] = Field(
        default_factory=list,
        description="link kinds that bind the members, strongest contribution first",
        examples=[["legal_rep", "address"]],
    )
    reason_counts: list[int] = Field(default_factory=list, examples=[[4, 1]])
    split_level: int | None = Field(
        default=None, description="how far an oversized component was split (0: not split)"
    )
    oversize: bool | None = None
    built_at: str | None = Field(default=None, examples=["2026-06-30T08:00:00Z"])


class ClusterList(BaseModel):
    items: list[ClusterSummary]
    limit: int
    min_size: int


class ClusterMember(BaseModel):
    uscc: str = Field(examples=[EXAMPLE_USCC])
    name: str | None = Field(default=None, examples=["示例科技有限公司"])
    status: str | None = None
    region_code: str | None = None
    industry_code: str | None = None
    risk_class: str | None = Field(default=None, examples=["C"])
    risk_score: float | None = Field(default=None, examples=[0.61])
    model_version: str | None = None


class GraphNode(BaseModel):
    """A node of a graph view: its domain key, kind and caption (persons masked: 张**)."""

    id: str = Field(examples=[EXAMPLE_USCC], description="uscc, pid (or its pseudonym), aid")
    kind: Literal["Enterprise", "Person", "Address"]
    label: str | None = Field(default=None, examples=["示例科技有限公司"])
    member: bool = Field(description="true for the cluster's enterprises")
    risk_class: str | None = None
    risk_score: float | None = None


class GraphEdge(BaseModel):
    source: str = Field(examples=["person-1f0c2b9a7d3e4c11"])
    target: str = Field(examples=[EXAMPLE_USCC])
    type: Literal["LEGAL_REP_OF", "HOLDS_POSITION", "REGISTERED_AT", "INVESTS_IN", "BRANCH_OF"]
    ratio: float | None = Field(default=None, examples=[0.6])
    role: str | None = Field(default=None, examples=["监事"])


class ClusterDetail(ClusterSummary):
    """A cluster's members and the links among them, ready for a graph view."""

    members: list[ClusterMember]
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    persons_masked: bool


# --------------------------------------------------------------------------- alerts

AlertStatus = Literal["open", "in_progress", "confirmed", "dismissed"]


class AlertOut(BaseModel):
    """An early-warning alert (one per rule and subject) and its case status."""

    model_config = ConfigDict(extra="ignore")

    key: str = Field(examples=[EXAMPLE_ALERT])
    rule: str = Field(examples=["R02"])
    subject: str = Field(examples=[EXAMPLE_USCC])
    title: str | None = Field(default=None, examples=["Shell-company ring"])
    title_zh: str | None = Field(default=None, examples=["空壳公司群"])
    severity: str | None = Field(default=None, examples=["high"])
    status: str = Field(examples=["open"])
    evidence: list[str] = Field(
        default_factory=list,
        description="`kind:key` items; person ids are pseudonyms unless the role may see them",
        examples=[["legal_rep:person-1f0c2b9a7d3e4c11", "firm:91510100MA61R8XW2K"]],
    )
    first_seen: str | None = None
    last_seen: str | None = None
    run_count: int | None = None
    events: int | None = Field(default=None, description="status changes so far")
    note: str | None = None
    status_changed_at: str | None = None
    status_changed_by: str | None = None
    case_id: str | None = Field(default=None, description="the case the alert belongs to")
    subject_name: str | None = Field(default=None, description="the firm's name")
    subject_class: str | None = Field(default=None, description="the firm's risk class")
    subject_score: float | None = Field(default=None, description="the firm's risk score")


class AlertPage(BaseModel):
    items: list[AlertOut]
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page; null on the last")


class AlertEvent(BaseModel):
    seq: int
    at: str | None = Field(default=None, examples=["2026-07-01T09:30:00Z"])
    from_status: str | None = Field(default=None, examples=["open"])
    to_status: str | None = Field(default=None, examples=["in_progress"])
    note: str | None = None
    actor: str | None = Field(default=None, examples=["investigator:3f9a1c0b7e"])


class AlertDetail(AlertOut):
    history: list[AlertEvent] = Field(description="status changes, oldest first")


class AlertStatusChange(BaseModel):
    """Move an alert's case: a note is required to confirm or dismiss; a closed case
    (confirmed, dismissed) can only be reopened (open, in_progress)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"status": "in_progress", "note": "assigned to the Wuhou office"},
                {"status": "dismissed", "note": "registered agent, checked on site"},
            ]
        }
    )

    status: AlertStatus
    note: str | None = Field(default=None, max_length=2000, pattern=r"^[^\x00]*$")


# --------------------------------------------------------------------------- inspections

RiskClassName = Literal["A", "B", "C", "D"]


class PlanRequest(BaseModel):
    """A random inspection plan (双随机、一公开): per risk class, ``ratio`` of the
    inspectable enterprises is drawn with ``seed``; the same inputs draw the same plan."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"seed": 2026},
                {
                    "seed": 2026,
                    "ratios": {"C": 0.5, "D": 0.9},
                    "whitelist": [EXAMPLE_USCC],
                    "sandbox": ["91510100MA61R8XW2K"],
                    "as_of": "2026-06-30",
                },
            ]
        }
    )

    seed: int = Field(ge=0, le=2**63 - 1, description="publish it with the plan")
    ratios: dict[RiskClassName, Annotated[float, Field(ge=0.0, le=1.0)]] | None = Field(
        default=None,
        description="share drawn per class; classes not given keep the defaults "
        "A 5 %, B 15 %, C 40 %, D 80 %",
    )
    whitelist: list[Key] | None = Field(
        default=None,
        max_length=100_000,
        description="drawn at the class ratio × whitelist_factor; when neither list is "
        "given the plan sweeps and reads the managed lists (/api/v1/lists/…)",
    )
    sandbox: list[Key] | None = Field(
        default=None,
        max_length=100_000,
        description="包容审慎 sandbox: inspected only when an alert on them is open",
    )
    whitelist_factor: float = Field(default=0.5, ge=0.0, le=1.0)
    unclassified_as: RiskClassName = "B"
    allow_outside_bands: bool = Field(
        default=False, description="accept ratios outside A≤5%, B 5–20%, C 21–60%, D 61–100%"
    )
    as_of: dt.date | None = Field(default=None, description="plan date (default today)")
    kind_ratios: (
        dict[
            Literal["individual", "cooperative"],
            dict[RiskClassName, Annotated[float, Field(ge=0.0, le=1.0)]],
        ]
        | None
    ) = Field(
        default=None,
        description="own ratio tables for individual businesses (个体工商户) and "
        "cooperatives (农民专业合作社), drawn in strata of their own (individual:A …); "
        "classes not given take the plan's ratios",
        examples=[{"individual": {"A": 0.02, "B": 0.08}}],
    )


class StratumCount(BaseModel):
    population: int
    selected: int


class SelectedEnterprise(BaseModel):
    uscc: str = Field(examples=[EXAMPLE_USCC])
    risk_class: str = Field(examples=["C"])
    stratum: str = Field(examples=["C"], description="class, class/whitelist or sandbox")
    reason: str = Field(examples=["random"], description="random, whitelist or trigger")


class PlanProgress(BaseModel):
    linked: int = Field(description="selected enterprises linked to the plan in the graph")
    inspected: int = Field(description="of which have a recorded result")


class PlanOut(BaseModel):
    """A stored plan: its inputs in summary, per-stratum counts and the selection."""

    plan_id: str = Field(examples=[EXAMPLE_PLAN])
    created_at: str
    inputs_sha256: str
    seed: int
    as_of: str = Field(examples=["2026-06-30"])
    ratios: dict[str, float]
    whitelist_factor: float
    unclassified_as: str
    population: int
    whitelist: int = Field(description="whitelisted enterprises the plan used")
    sandbox: int = Field(description="sandbox enterprises the plan used")
    lists_source: str | None = Field(
        default=None, description="managed (the lists in the graph) or given (in the request)"
    )
    counts: dict[str, StratumCount]
    selected_count: int
    selected: list[SelectedEnterprise]
    kind_ratios: dict[str, dict[str, float]] = Field(
        default_factory=dict, description="ratio tables of kinds drawn in their own strata"
    )
    counts_by_kind: dict[str, dict[str, StratumCount]] | None = Field(
        default=None,
        description="per kind of market entity and class: inspectable population and "
        "selected (null for plans drawn before kinds)",
    )
    verified: bool | None = Field(
        default=None, description="re-drawn from the recorded inputs and compared (GET only)"
    )
    progress: PlanProgress | None = None


class PlanSummary(BaseModel):
    plan_id: str = Field(examples=[EXAMPLE_PLAN])
    seed: int | None = None
    as_of: str | None = None
    created_at: str | None = None
    ratios: dict[str, float] | None = None
    whitelist_factor: float | None = None
    selected: int | None = None
    population: int | None = None
    whitelist: int | None = None
    sandbox: int | None = None


class PlanList(BaseModel):
    items: list[PlanSummary]
    limit: int
    offset: int
    next_offset: int | None


# --------------------------------------------------------------------------- statistics

ClassCounts = dict[str, int]


class RiskMapCell(BaseModel):
    region: str = Field(examples=["510107"])
    region_name: str | None = Field(default=None, examples=["四川省成都市武侯区"])
    section: str | None = Field(default=None, examples=["I"], description="GB/T 4754 门类")
    counts: ClassCounts = Field(examples=[{"A": 40, "B": 48, "C": 9, "D": 3, "unclassified": 0}])
    total: int


class Distribution(BaseModel):
    """Class counts and shares of one region or industry section."""

    key: str | None = Field(examples=["510107"])
    name: str | None = None
    counts: ClassCounts
    total: int
    shares: dict[str, float] = Field(description="counts / total, per class")


class RiskMap(BaseModel):
    """风险地图: enterprises per region and industry section, counted per risk class
    (``risk_class`` where scored, else the supervisor's ``label_class``)."""

    level: str = Field(examples=["district"])
    prefix: str = Field(examples=["5101"])
    totals: ClassCounts
    by_region: list[Distribution]
    by_industry: list[Distribution]
    cells: list[RiskMapCell]


# --------------------------------------------------------------------------- model


class KindFigures(BaseModel):
    """Figures of one candidate on the rows of one kind of market entity."""

    model_config = ConfigDict(extra="ignore")

    available: bool | None = None
    n: int | None = None
    support: dict[str, int] | None = Field(default=None, description="rows per true class")
    accuracy: float | None = None
    balanced_accuracy: float | None = None
    macro_f1: float | None = None
    roc_auc: float | None = None
    high_risk_recall: float | None = None


class ModelFigures(BaseModel):
    """Figures of one candidate on one split (``available`` false when the split is empty)."""

    model_config = ConfigDict(extra="ignore")

    available: bool | None = None
    n: int | None = None
    accuracy: float | str | None = None
    macro_f1: float | str | None = None
    roc_auc: float | str | None = None
    pr_auc: float | str | None = None
    high_risk_class: str | None = None
    high_risk_recall: float | str | None = None
    ece: float | str | None = None
    threshold: float | str | None = None
    by_kind: dict[str, KindFigures] | None = Field(
        default=None,
        description="the same figures per kind of market entity (enterprise, individual, "
        "cooperative); absent for versions trained before kinds",
    )


class ModelInfo(BaseModel):
    """The current (newest) trained model version and a summary of its metrics."""

    version: str = Field(examples=["v20260101T000000Z-s0"])
    versions: list[str] = Field(description="every version on disk, oldest first")
    created_at: str | None = None
    selected: str = Field(examples=["ensemble"], description="the candidate that scores")
    selection: str | None = Field(default=None, examples=["validation ROC-AUC (ties: macro-F1)"])
    candidates: list[str] = Field(examples=[["scorecard", "lgbm_graph", "hetero_sage"]])
    binary: bool
    classes: list[str] = Field(examples=[["A", "B", "C", "D"]])
    threshold: float | None = Field(default=None, description="decision threshold (binary)")
    seed: int | None = None
    as_of: str | None = None
    label_source: str | None = None
    graph: dict[str, Any] | None = Field(default=None, description="nodes and edges trained on")
    split: dict[str, Any] | None = None
    test: dict[str, ModelFigures] = Field(description="per candidate, on the test split")
    validation: dict[str, ModelFigures] = Field(description="per candidate, on validation")


class Words(BaseModel):
    """The same words in Chinese and English."""

    zh: str = Field(examples=["近1年违法记录数"])
    en: str = Field(examples=["violations in the last 1 year(s)"])


class ExplainedNode(BaseModel):
    """A node behind an explained feature, named (persons masked for roles that may
    not see them)."""

    model_config = ConfigDict(extra="ignore")

    type: str = Field(examples=["enterprise"])
    key: str = Field(examples=["91510100MA61R8XW2K"])
    name: str | None = Field(default=None, examples=["成都示例科技有限公司"])


class ExplainedFeature(BaseModel):
    """One feature the model read: its code and label, its SAMR indicator category,
    its value in its unit (typed, and as text), and its contribution."""

    model_config = ConfigDict(extra="ignore")

    feature: str = Field(examples=["viol_1y"], description="the feature code (as `code`)")
    code: str = Field(examples=["viol_1y"])
    label: Words
    category: Words = Field(description="基础属性、动态信息、监管信息、关联关系 or 社会评价")
    unit: Literal["count", "amount", "ratio", "flag", "years", "days", "mean"] = Field(
        description="amount: 万元; days: since the event (``text`` adds the date); "
        "mean: an average of counts"
    )
    value: bool | int | float | None = Field(
        default=None, description="in its unit: counts and days as integers, flags as booleans"
    )
    text: Words = Field(description="the value formatted for reading")
    contribution: float = Field(examples=[0.21])
    effect: Literal["up", "down"]
    neighbours: list[ExplainedNode] = Field(
        default_factory=list,
        description="for a neighbour aggregate: the neighbours behind it (largest shares)",
    )


class ExplainedNeighbour(BaseModel):
    model_config = ConfigDict(extra="ignore")

    key: str = Field(examples=["91510100MA61R8XW2K"])
    type: str = Field(examples=["enterprise"])
    name: str | None = Field(default=None, description="firm name, masked person, address")
    relation: str | None = Field(default=None, examples=["INVESTS_IN"])
    relation_label: Words | None = None
    hops: int | None = None
    path: str | None = None
    via: str | None = None
    via_name: str | None = Field(default=None, description="the shared person's or address's")
    contribution: float
    effect: Literal["up", "down"]
    top_features: list[dict[str, Any]] | None = None


class Explanation(BaseModel):
    """Why the model put the enterprise in its class: the own features and the
    neighbours that pushed the explained score up or down."""

    uscc: str = Field(examples=[EXAMPLE_USCC])
    model: str = Field(examples=["hetero_sage"])
    model_version: str
    method: str = Field(examples=["integrated gradients"])
    risk_class: str = Field(examples=["C"], description="the class the model predicts now")
    risk_score: float
    probabilities: dict[str, float]
    explained: str = Field(examples=["log-probability of class C"])
    features: list[ExplainedFeature]
    neighbours: list[ExplainedNeighbour]
    exact: bool = Field(
        default=True,
        description="false where a hub's links were sampled (see `sampled`): the "
        "figures are then approximate",
    )
    sampled: list[dict[str, Any]] = Field(
        default_factory=list, description="hubs whose links were read in part"
    )
    nodes_read: dict[str, int] = Field(
        default_factory=dict, description="nodes per type of the neighbourhood read"
    )
    cached: bool = Field(description="served from the per-version cache")
    persons_masked: bool


# --------------------------------------------------------------------------- kinds of market entity


class KindDistribution(BaseModel):
    """Class counts and shares of one kind of market entity."""

    kind: EntityKind
    name: str = Field(examples=["个体工商户"])
    counts: ClassCounts
    total: int
    shares: dict[str, float] = Field(description="counts / total, per class")


class KindShares(BaseModel):
    """Risk classes per kind of market entity (企业, 个体工商户, 农民专业合作社),
    counted as the risk map counts them."""

    prefix: str
    kinds: list[KindDistribution]


class SearchHit(BaseModel):
    """One search result: an enterprise (key: USCC), a person (key: pid; only for roles
    that see persons) or an address (key: address id)."""

    model_config = ConfigDict(populate_by_name=True)

    kind: Literal["enterprise", "person", "address"]
    key: str = Field(examples=[EXAMPLE_USCC])
    name: str = Field(examples=["成都德城澜科技有限公司"])
    match: Literal["exact", "prefix", "substring"] = Field(
        description="how the name (or key) matched: exact, prefix or substring"
    )
    risk_class: str | None = Field(
        default=None,
        alias="class",
        description="the model's class, else the supervisor's (enterprises only)",
        examples=["C"],
    )
    score: float | None = Field(default=None, description="the model's risk score")
    region: str | None = Field(default=None, examples=["510107"])
    status: str | None = Field(default=None, examples=["存续"])
    firms: int | None = Field(
        default=None, description="a person's or an address's number of enterprises"
    )


class SearchPage(BaseModel):
    """Search results, best first."""

    q: str
    kinds: list[str]
    limit: int
    items: list[SearchHit]
