"""Screens compiled to Cypher: fixed fragments owned by this module, values as parameters.

A screen is a tree of :class:`Group` (``all``, ``any``, ``not``) and :class:`Leaf`
conditions (field, op, value, optional window in months), already validated by
``riskgraph.analytics.screening``. :func:`compile_screen` turns it into a
:class:`CompiledScreen`: the query text is built only from the fragments below and
generated names (``$p0``, ``$p1`` …, ``d0``, ``d1`` …); every value a user gave is a
parameter.

Fields over the enterprise's own properties filter in the first ``WHERE`` when they
sit at the top of an ``all`` (so the engines can use their indexes); fields that count
or read neighbours (pattern comprehensions) are computed in a ``WITH`` and filtered
after it: FalkorDB resolves pattern comprehensions in projections, not inside a
``WHERE``. Every comprehension gets variable names of its own (FalkorDB mixes up
comprehensions of one projection that reuse a name).

Missing values: a condition on a missing property is false, also under ``not``
(``not`` wraps its operand in ``coalesce(…, false)``, so the tree is two-valued).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from riskgraph.graph.search_index import prefix_upper
from riskgraph.reference import ENTITY_KINDS, new_economy_prefixes, org_types_of

ACTIVE_VIOLATION = "有效"
REPAIRED_VIOLATION = "已修复"
ACTIVE_ALERTS = ("open", "in_progress")
FAILED_INSPECTION = "不合格"
ABNORMAL = "经营异常名录"
SERIOUS = "严重违法失信"
REPORT_DUE = "-06-30"
"""An annual report is due by 30 June of the year after its report year."""

ValueType = Literal["text", "number", "date", "bool"]


@dataclass(frozen=True)
class Leaf:
    """One condition. ``window_start`` is the first day counted for windowed fields
    (None: all time); ``today`` is the day the screen is evaluated on."""

    field: str
    op: str
    value: Any
    window_start: date | None = None


@dataclass(frozen=True)
class Group:
    """``all`` (and), ``any`` (or) or ``not`` (exactly one child)."""

    kind: Literal["all", "any", "not"]
    children: tuple[Node, ...]


Node = Leaf | Group


class Params:
    """Hands out parameter names for values: ``$p0``, ``$p1`` …"""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def __call__(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value.isoformat() if isinstance(value, date) else value
        return f"${name}"

    def date(self, value: date) -> str:
        return f"date({self(value)})"


@dataclass(frozen=True)
class Context:
    """What a derived fragment needs: its own variable prefix, the parameters, the leaf
    and the evaluation day."""

    alias: str
    params: Params
    leaf: Leaf
    today: date
    dialect: str = "falkordb"

    def since(self, path: str) -> str:
        """`` AND <path> >= <window start>`` when the leaf has a window, else nothing."""
        if self.leaf.window_start is None:
            return ""
        return f" AND {path} >= {self.params.date(self.leaf.window_start)}"


Derived = Callable[[Context], str]


@dataclass(frozen=True)
class FieldExpr:
    """How one field reads: a plain expression over ``e`` (``prop``, which may name
    code constants as ``{p:NAME}`` and its own variables as ``{a}…``) or a fragment
    computed per enterprise in a ``WITH`` (``derived``).

    ``counter``: the same value read from a counter property that
    ``riskgraph.graph.screen_counters`` keeps on the enterprise (used only while the
    counters are fresh). ``records``: for counts of violation records, the filter on
    the record variable ``{a}v`` that lets a screen start from the indexed records.
    ``cost``: a rank for ordering the derived conditions (1 one hop, 2 degrees past a
    hub, 3 several hops)."""

    type: ValueType
    prop: str | None = None
    derived: Derived | None = None
    counter: str | None = None
    records: str | None = None
    cost: int = 1


def _count(pattern: str, where: str = "") -> Derived:
    """``size([pattern WHERE … | 1])``; ``{a}`` in the texts is the fragment's prefix,
    ``{p:NAME}`` a code constant passed as a parameter, ``{since:PATH}`` the window."""

    def build(ctx: Context) -> str:
        condition = _fill(where, ctx)
        clause = f" WHERE {condition}" if condition else ""
        return f"size([{_fill(pattern, ctx)}{clause} | 1])"

    return build


_CONSTANTS: dict[str, Any] = {
    "active": ACTIVE_VIOLATION,
    "repaired": REPAIRED_VIOLATION,
    "active_alerts": list(ACTIVE_ALERTS),
    "failed": FAILED_INSPECTION,
    "abnormal": ABNORMAL,
    "serious": SERIOUS,
    "high": "high",
    "penalty": "行政处罚",
    "check": "抽查检查不合格",
    "complaint": "投诉举报",
    "lawsuit": "司法涉诉",
    "report_due": REPORT_DUE,
    "new_economy": list(new_economy_prefixes()),
}


def _fill(text: str, ctx: Context) -> str:
    """Expand ``{a}`` (the prefix), ``{p:NAME}`` (a code constant as a parameter),
    ``{today}`` and ``{since:PATH}`` (the window) in a fragment."""
    out = text.replace("{a}", ctx.alias)
    while "{p:" in out:
        start = out.index("{p:")
        end = out.index("}", start)
        out = out[:start] + ctx.params(_CONSTANTS[out[start + 3 : end]]) + out[end + 1 :]
    if "{today}" in out:
        out = out.replace("{today}", ctx.params.date(ctx.today))
    while "{since:" in out:
        start = out.index("{since:")
        end = out.index("}", start)
        path = out[start + 7 : end].replace("{a}", ctx.alias)
        since = ctx.since(path)
        out = out[:start] + since + out[end + 1 :]
    return out.replace("WHERE  AND ", "WHERE ").removeprefix(" AND ")


def _records(kind: str | None, status: str | None = None) -> str:
    """The filter on a violation record ``{a}v`` of a kind and status, in the window."""
    parts = [f"{{a}}v.kind = {{p:{kind}}}" if kind else "", ""]
    if status:
        parts[1] = f"{{a}}v.status = {{p:{status}}}"
    return " AND ".join(p for p in parts if p) + "{since:{a}v.date}"


_VIOLATION = "(e)-[:HAS_VIOLATION]->({a}v:Violation)"


def _violations(kind: str | None, status: str | None = None, *, flag: bool = False) -> FieldExpr:
    """A count (or, with ``flag``, the existence) of violation records."""
    records = _records(kind, status)
    derived = _count(_VIOLATION, records)
    if flag:
        return FieldExpr("bool", derived=_exists(derived), records=records)
    return FieldExpr("number", derived=derived, records=records)


def _penalty_amount(ctx: Context) -> str:
    a = ctx.alias
    where = _fill("{a}v.kind = {p:penalty}{since:{a}v.date}", ctx)
    listing = f"[(e)-[:HAS_VIOLATION]->({a}v:Violation) WHERE {where} | coalesce({a}v.amount, 0.0)]"
    return f"reduce({a}s = 0.0, {a}x IN {listing} | {a}s + {a}x)"


def _previous_class(ctx: Context) -> str:
    # The latest assessment on or before the window start: the max of "date + class"
    # strings (ISO dates sort as text), then its last character.
    a = ctx.alias
    start = ctx.leaf.window_start or ctx.today
    listing = (
        f"[(e)-[:HAS_ASSESSMENT]->({a}r:RiskAssessment) WHERE {a}r.date <= "
        f"{ctx.params.date(start)} AND {a}r.risk_class IS NOT NULL "
        f"| toString({a}r.date) + {a}r.risk_class]"
    )
    latest = f"reduce({a}m = '', {a}t IN {listing} | CASE WHEN {a}t > {a}m THEN {a}t ELSE {a}m END)"
    return f"CASE WHEN {latest} = '' THEN null ELSE right({latest}, 1) END"


def _class_moved(direction: str) -> Derived:
    # Rose: the current class is worse (later letter) than a class held in the window.
    compare = "<" if direction == "rose" else ">"
    return _count(
        "(e)-[:HAS_ASSESSMENT]->({a}r:RiskAssessment)",
        f"{{a}}r.risk_class {compare} e.risk_class{{since:{{a}}r.date}}",
    )


def degree(node: str, rel: str, direction: Literal["in", "out"], dialect: str) -> str:
    """The number of enterprises a hub node (an address, a person) is linked to by
    ``rel``: FalkorDB's ``indegree``/``outdegree``, Neo4j's ``COUNT {}`` (neither
    engine has the other's). A degree walks the hub's edges: a hub with thousands of
    firms costs thousands of steps; FalkorDB's ``outdegree`` took ~1 ms a node at 200k
    firms whatever the node (the refresh counts with a pattern comprehension instead,
    which FalkorDB does not resolve nested in another)."""
    if dialect == "falkordb":
        return f"{direction}degree({node}, '{rel}')"
    if direction == "in":
        return f"COUNT {{ ({node})<-[:{rel}]-(:Enterprise) }}"
    return f"COUNT {{ ({node})-[:{rel}]->(:Enterprise) }}"


def _degree_sum(
    hop: str, hub: str, rel: str, direction: Literal["in", "out"], *, stored: str | None = None
) -> Derived:
    """Other enterprises one hop past a hub (an address, a legal representative):
    the hub's degree minus the enterprise itself, summed over its hubs. ``stored``:
    read the degree from the hub's counter property of that name instead (the refresh
    writes it once per hub)."""

    def build(ctx: Context) -> str:
        a = ctx.alias
        node = f"{a}{hub}"
        count = f"{node}.{stored}" if stored else degree(node, rel, direction, ctx.dialect)
        listing = f"[{hop.replace('{a}', a)} | {count}]"
        return f"reduce({a}s = 0, {a}d IN {listing} | {a}s + {a}d - 1)"

    return build


def _exists(derived: Derived) -> Derived:
    return lambda ctx: f"{derived(ctx)} > 0"


COUNTERS: dict[str, Derived] = {
    "sc_colocated_firms": _degree_sum(
        "(e)-[:REGISTERED_AT]->({a}ad:Address)", "ad", "REGISTERED_AT", "in"
    ),
    "sc_legal_rep_other_firms": _degree_sum(
        "(e)<-[:LEGAL_REP_OF]-({a}p:Person)", "p", "LEGAL_REP_OF", "out"
    ),
    "sc_addresses": _count("(e)-[:REGISTERED_AT]->({a}ad:Address)"),
    "sc_parents": _count("(e)-[:BRANCH_OF]->({a}pa:Enterprise)"),
    "sc_branches": _count("(e)<-[:BRANCH_OF]-({a}b:Enterprise)"),
    "sc_investors": _count("(e)<-[:INVESTS_IN]-({a}i)"),
    "sc_person_investors": _count("(e)<-[:INVESTS_IN]-({a}i:Person)"),
    "sc_enterprise_investors": _count("(e)<-[:INVESTS_IN]-({a}i:Enterprise)"),
    "sc_outward_investments": _count("(e)-[:INVESTS_IN]->({a}o:Enterprise)"),
}
"""Per-enterprise counters that take no window and depend only on the registry's
structure (addresses, legal representatives, investments, branches): the property
name and how it is counted, exactly as the live field counts it."""


HUB_COUNTERS: dict[str, tuple[str, str, Literal["in", "out"]]] = {
    "Address": ("sc_firms", "REGISTERED_AT", "in"),
    "Person": ("sc_legal_rep_firms", "LEGAL_REP_OF", "out"),
}
"""Degrees the refresh writes once per hub (label: property, relationship, direction)
before the enterprises' counters, which then read them: on FalkorDB a degree walks the
hub's edges, and counting it once per firm at the hub is quadratic in its size."""

REFRESH_COUNTERS: dict[str, Derived] = {
    **COUNTERS,
    "sc_colocated_firms": _degree_sum(
        "(e)-[:REGISTERED_AT]->({a}ad:Address)", "ad", "REGISTERED_AT", "in", stored="sc_firms"
    ),
    "sc_legal_rep_other_firms": _degree_sum(
        "(e)<-[:LEGAL_REP_OF]-({a}p:Person)",
        "p",
        "LEGAL_REP_OF",
        "out",
        stored="sc_legal_rep_firms",
    ),
}
"""How the refresh counts each counter: as :data:`COUNTERS`, the hub degrees read from
the hubs' counters."""


def _counted(name: str, *, cost: int = 1) -> FieldExpr:
    return FieldExpr("number", derived=COUNTERS[name], counter=f"e.{name}", cost=cost)


def _counted_flag(name: str) -> FieldExpr:
    return FieldExpr("bool", derived=_exists(COUNTERS[name]), counter=f"(e.{name} > 0)")


_LICENCES = "(e)-[:HAS_LICENCE]->({a}l:Licence)"
_IN_FORCE = "{a}l.issued <= {today} AND ({a}l.valid_until IS NULL OR {a}l.valid_until >= {today})"
_REPORTS = "(e)-[:HAS_ANNUAL_REPORT]->({a}r:AnnualReport)"


def _licence_mismatch(ctx: Context) -> str:
    """A licence in force that differs from the registration: rule R16's test
    (``cypher/rules/R16.cypher``; the test suite holds the two to the same answer). A
    missing name or region on either side is no difference; the licence's address
    differs when it has one, the firm has registered addresses and none is it. The
    address lists are comprehensions inside a list comprehension: FalkorDB does not
    resolve one inside another pattern comprehension's ``WHERE``."""
    registered = "[(e)-[:REGISTERED_AT]->({a}ad:Address) | {a}ad.aid]"
    also = "[(e)-[:REGISTERED_AT]->({a}ae:Address) | {a}ae.aid]"
    differs = (
        "{a}x.holder_name <> e.name"
        " OR ({a}x.region_code IS NOT NULL AND {a}x.region_code <> e.region_code)"
        f" OR ({{a}}x.aid IS NOT NULL AND size({also}) > 0 AND NOT {{a}}x.aid IN {registered})"
    )
    in_force = f"[{_LICENCES} WHERE {_IN_FORCE} | {{a}}l]"
    return _fill(f"size([{{a}}x IN {in_force} WHERE {differs}]) > 0", ctx)


def _last_report_year(ctx: Context) -> str:
    a = ctx.alias
    years = _fill(f"[{_REPORTS} WHERE {{a}}r.filed_on IS NOT NULL | {{a}}r.year]", ctx)
    return (
        f"reduce({a}m = null, {a}y IN {years} | "
        f"CASE WHEN {a}m IS NULL OR {a}y > {a}m THEN {a}y ELSE {a}m END)"
    )


_CURRENT = "({a}h.until IS NULL OR {a}h.until > {today})"
_OFFICER_CHANGE = (
    "(({a}h.since IS NOT NULL{since:{a}h.since}) OR ({a}h.until <= {today}{since:{a}h.until}))"
)
_ALERTS = "(e)-[:HAS_ALERT]->({a}al:Alert)"

FIELD_EXPRESSIONS: dict[str, FieldExpr] = {
    # 登记信息
    "name": FieldExpr("text", prop="e.name"),
    "uscc": FieldExpr("text", prop="e.uscc"),
    "org_type": FieldExpr("text", prop="e.org_type"),
    "entity_kind": FieldExpr("text", prop="coalesce(e.org_type, '')"),
    "status": FieldExpr("text", prop="e.status"),
    "established": FieldExpr("date", prop="e.established"),
    "age_years": FieldExpr("number", prop="e.established"),
    "registered_capital": FieldExpr("number", prop="e.registered_capital"),
    "paid_in_capital": FieldExpr("number", prop="e.paid_in_capital"),
    "paid_in_ratio": FieldExpr(
        "number",
        prop="(CASE WHEN e.registered_capital > 0 "
        "THEN toFloat(e.paid_in_capital) / e.registered_capital END)",
    ),
    "industry_code": FieldExpr("text", prop="e.industry_code"),
    "industry_section": FieldExpr("text", prop="e.industry_section"),
    "region_code": FieldExpr("text", prop="e.region_code"),
    "has_phone": FieldExpr("bool", prop="(e.phone IS NOT NULL)"),
    "has_email": FieldExpr("bool", prop="(e.email IS NOT NULL)"),
    "has_address": _counted_flag("sc_addresses"),
    "is_branch": _counted_flag("sc_parents"),
    "branch_count": _counted("sc_branches"),
    # 审批信息 (registration changes the registry approved)
    "legal_rep_changes": FieldExpr(
        "number",
        derived=_count(
            "(e)<-[{a}h:LEGAL_REP_OF]-({a}p:Person)", "{a}h.since IS NOT NULL{since:{a}h.since}"
        ),
    ),
    "investor_changes": FieldExpr(
        "number",
        derived=_count("(e)<-[{a}h:INVESTS_IN]-({a}i)", "{a}h.since IS NOT NULL{since:{a}h.since}"),
    ),
    "officer_changes": FieldExpr(
        "number", derived=_count("(e)<-[{a}h:HOLDS_POSITION]-({a}p:Person)", _OFFICER_CHANGE)
    ),
    "branches_set_up": FieldExpr(
        "number",
        derived=_count(
            "(e)<-[{a}h:BRANCH_OF]-({a}b:Enterprise)", "{a}h.since IS NOT NULL{since:{a}h.since}"
        ),
    ),
    "licences": FieldExpr("number", derived=_count(_LICENCES, "{since:{a}l.issued}")),
    "licences_in_force": FieldExpr("number", derived=_count(_LICENCES, _IN_FORCE)),
    "licences_expired": FieldExpr(
        "number",
        derived=_count(_LICENCES, "{a}l.valid_until < {today}{since:{a}l.valid_until}"),
    ),
    "licence_mismatch": FieldExpr("bool", derived=_licence_mismatch),
    # 公示信息
    "annual_reports_filed": FieldExpr(
        "number",
        derived=_count(_REPORTS, "{a}r.filed_on IS NOT NULL{since:{a}r.filed_on}"),
    ),
    "annual_reports_missing": FieldExpr(
        "number", derived=_count(_REPORTS, "{a}r.filed_on IS NULL")
    ),
    # ISO dates compare as text: filed after "<year + 1>-06-30"
    "annual_reports_late": FieldExpr(
        "number",
        derived=_count(
            _REPORTS,
            "{a}r.filed_on IS NOT NULL AND toString({a}r.filed_on) > "
            "toString({a}r.year + 1) + {p:report_due}{since:{a}r.filed_on}",
        ),
    ),
    "last_report_year": FieldExpr("number", derived=_last_report_year),
    "investor_count": _counted("sc_investors"),
    "person_investors": _counted("sc_person_investors"),
    "enterprise_investors": _counted("sc_enterprise_investors"),
    "outward_investments": _counted("sc_outward_investments"),
    "officer_count": FieldExpr(
        "number", derived=_count("(e)<-[{a}h:HOLDS_POSITION]-({a}p:Person)", _CURRENT)
    ),
    "has_legal_rep": FieldExpr(
        "bool", derived=_exists(_count("(e)<-[{a}h:LEGAL_REP_OF]-({a}p:Person)", _CURRENT))
    ),
    "abnormal_listed": _violations("abnormal", "active", flag=True),
    "serious_illegal_listed": _violations("serious", "active", flag=True),
    # 行业与监管标签
    "new_economy": FieldExpr(
        "bool",
        prop="any({a}c IN {p:new_economy} WHERE coalesce(e.industry_code, '') STARTS WITH {a}c)",
    ),
    "legal_rep_other_firms": _counted("sc_legal_rep_other_firms", cost=2),
    "legal_rep_firms_violations": FieldExpr(
        "number",
        derived=_count(
            "(e)<-[:LEGAL_REP_OF]-({a}p:Person)-[:LEGAL_REP_OF]->({a}o:Enterprise)"
            "-[:HAS_VIOLATION]->({a}v:Violation)",
            "{a}o.uscc <> e.uscc AND {a}v.status = {p:active}",
        ),
        cost=3,
    ),
    "colocated_firms": _counted("sc_colocated_firms", cost=2),
    "investor_violations": FieldExpr(
        "number",
        derived=_count(
            "(e)<-[:INVESTS_IN]-({a}i:Enterprise)-[:HAS_VIOLATION]->({a}v:Violation)",
            "{a}i.uscc <> e.uscc AND {a}v.status = {p:active}",
        ),
        cost=3,
    ),
    "open_alerts": FieldExpr(
        "number", derived=_count(_ALERTS, "{a}al.status IN {p:active_alerts}")
    ),
    "open_alerts_high": FieldExpr(
        "number",
        derived=_count(_ALERTS, "{a}al.status IN {p:active_alerts} AND {a}al.severity = {p:high}"),
    ),
    "alert_rules": FieldExpr("text"),  # compiled by _alert_rules: it depends on the value
    # 监管执法
    "violations": _violations(None),
    "penalties": _violations("penalty"),
    "abnormal_listings": _violations("abnormal"),
    "serious_listings": _violations("serious"),
    "failed_checks": _violations("check"),
    "complaints": _violations("complaint"),
    "lawsuits": _violations("lawsuit"),
    "active_violations": _violations(None, "active"),
    "repaired_violations": _violations(None, "repaired"),
    "penalty_amount": FieldExpr("number", derived=_penalty_amount),
    "inspections": FieldExpr(
        "number",
        derived=_count(
            "(e)-[:HAS_INSPECTION]->({a}r:InspectionRecord)",
            "{a}r.date IS NOT NULL{since:{a}r.date}",
        ),
    ),
    "failed_inspections": FieldExpr(
        "number",
        derived=_count(
            "(e)-[:HAS_INSPECTION]->({a}r:InspectionRecord)",
            "{a}r.result = {p:failed}{since:{a}r.date}",
        ),
    ),
    "plan_selections": FieldExpr(
        "number", derived=_count("(e)-[:SELECTED_FOR]->({a}pl:InspectionPlan)")
    ),
    # 信用积分
    "risk_class": FieldExpr("text", prop="e.risk_class"),
    "risk_score": FieldExpr("number", prop="e.risk_score"),
    "p_A": FieldExpr("number", prop="e.p_A"),
    "p_B": FieldExpr("number", prop="e.p_B"),
    "p_C": FieldExpr("number", prop="e.p_C"),
    "p_D": FieldExpr("number", prop="e.p_D"),
    "model_version": FieldExpr("text", prop="e.model_version"),
    "label_class": FieldExpr("text", prop="e.label_class"),
    "effective_class": FieldExpr("text", prop="coalesce(e.risk_class, e.label_class)"),
    "is_scored": FieldExpr("bool", prop="(e.risk_class IS NOT NULL)"),
    "previous_class": FieldExpr("text", derived=_previous_class),
    "class_rose": FieldExpr("bool", derived=_exists(_class_moved("rose"))),
    "class_fell": FieldExpr("bool", derived=_exists(_class_moved("fell"))),
    "assessments": FieldExpr(
        "number",
        derived=_count(
            "(e)-[:HAS_ASSESSMENT]->({a}r:RiskAssessment)", "{a}r.date IS NOT NULL{since:{a}r.date}"
        ),
    ),
}


# --------------------------------------------------------------------------- compiling


@dataclass(frozen=True)
class Stage:
    """Derived values (``expr AS dN``) computed in one ``WITH`` and the condition that
    filters on them right after it, so later stages run only on the survivors."""

    derived: tuple[str, ...]
    condition: str


@dataclass(frozen=True)
class Driver:
    """A count of violation records that must be at least 1: the query starts from
    the records (``records`` filters the record variable ``var``, through the
    Violation indexes), counts them per enterprise as ``target``, then applies the
    enterprise's own conditions; the first stage holds the condition on the count."""

    var: str
    records: str
    target: str


@dataclass
class CompiledScreen:
    """The parts of a compiled screen; :meth:`count_query`, :meth:`page_query` and
    :meth:`keys_query` put them together."""

    prefilter: list[str]
    stages: list[Stage]
    driver: Driver | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def _match(self, extra: str | None = None) -> str:
        filters = [*self.prefilter, *([extra] if extra else [])]
        stages = list(self.stages)
        driver = self.driver
        if driver is None:
            text = "MATCH (e:Enterprise)"
            if filters:
                text += "\nWHERE " + "\n  AND ".join(filters)
        else:
            # The enterprise's own conditions wait until after the count: in the MATCH,
            # FalkorDB would start from the enterprises they select (all of them, for
            # a status condition) instead of the records.
            text = (
                f"MATCH ({driver.var}:Violation)\nWHERE {driver.records}\n"
                f"MATCH (e:Enterprise)-[:HAS_VIOLATION]->({driver.var})\n"
                f"WITH e, count({driver.var}) AS {driver.target}"
            )
            stages[0] = Stage((), "\n  AND ".join([*filters, stages[0].condition]))
        for stage in stages:
            if stage.derived:
                text += "\nWITH e, " + ", ".join(stage.derived)
            text += f"\nWHERE {stage.condition}"
        return text

    def count_query(self) -> str:
        """Every match counted: ``total``."""
        return self._match() + "\nRETURN count(e) AS total"

    def page_query(self) -> str:
        """One page of matches (``$skip``, ``$limit``), riskiest first, then by key."""
        return (
            self._match()
            + f"\nRETURN {RESULT_COLUMNS}"
            + "\nORDER BY coalesce(e.risk_score, -1.0) DESC, e.uscc\nSKIP $skip\nLIMIT $limit"
        )

    def keys_query(self) -> str:
        """Matches after the key ``$after`` in key order (``$limit``): for exports."""
        return (
            self._match("e.uscc > $after")
            + f"\nRETURN {RESULT_COLUMNS}"
            + "\nORDER BY e.uscc\nLIMIT $limit"
        )


RESULT_COLUMNS = (
    "e.uscc AS uscc, e.name AS name, e.org_type AS org_type, e.status AS status, "
    "e.region_code AS region_code, e.industry_code AS industry_code, "
    "e.established AS established, e.registered_capital AS registered_capital, "
    "e.risk_class AS risk_class, e.risk_score AS risk_score, e.label_class AS label_class"
)


def is_plain(name: str, *, counters: bool = False) -> bool:
    """Whether a field reads only the enterprise's own properties (no neighbours);
    with fresh ``counters``, the counted fields read their counter property."""
    expr = FIELD_EXPRESSIONS[name]
    if counters and expr.counter is not None:
        return True
    return expr.derived is None and name not in _BY_VALUE


_BY_VALUE = frozenset({"alert_rules"})


def compile_screen(
    root: Node, *, today: date, dialect: str = "falkordb", counters: bool = False
) -> CompiledScreen:
    """Compile a validated screen tree evaluated on ``today`` for an engine's dialect.

    ``counters``: the enterprises' counter properties are fresh
    (``riskgraph.graph.screen_counters``), so counted fields read them instead of
    counting neighbours. The top ``all``'s conditions run cheapest first: plain ones
    in the first ``WHERE`` (indexes), one count of violation records that must be at
    least 1 as the starting point, then each derived condition in its own stage by
    cost, so costlier counts run only on the enterprises still left.
    """
    builder = _Builder(today, dialect, counters)
    top = list(root.children) if isinstance(root, Group) and root.kind == "all" else [root]
    plain = [node for node in top if _plain(node, counters)]
    rest = sorted((node for node in top if not _plain(node, counters)), key=_cost)
    driver_leaf = next((node for node in rest if _drives(node)), None)
    prefilter = [builder.node(node) for node in plain]
    stages: list[Stage] = []
    driver: Driver | None = None
    if driver_leaf is not None:
        assert isinstance(driver_leaf, Leaf)
        rest.remove(driver_leaf)
        driver, condition = builder.driver(driver_leaf)
        stages.append(Stage((), condition))
    for node in rest:
        first = len(builder.derived)
        condition = builder.node(node)
        items = tuple(f"{expr} AS d{i}" for i, expr in enumerate(builder.derived) if i >= first)
        if items or stages:
            stages.append(Stage(items, condition))
        else:
            prefilter.append(condition)
    return CompiledScreen(prefilter, stages, driver, builder.params.values)


def _plain(node: Node, counters: bool) -> bool:
    return all(is_plain(leaf.field, counters=counters) for leaf in leaves(node))


def _cost(node: Node) -> int:
    return max((FIELD_EXPRESSIONS[leaf.field].cost for leaf in leaves(node)), default=1)


def _drives(node: Node) -> bool:
    """A count of violation records that is at least 1 whenever the condition holds,
    over records an index narrows (a kind, a status or a window)."""
    if not isinstance(node, Leaf) or not FIELD_EXPRESSIONS[node.field].records:
        return False
    if FIELD_EXPRESSIONS[node.field].records == "{since:{a}v.date}" and node.window_start is None:
        return False
    if FIELD_EXPRESSIONS[node.field].type == "bool":
        return node.op == "eq" and node.value is True
    low, _ = _bounds(node.op, node.value)
    return isinstance(low, int | float) and low >= 1


class _Builder:
    def __init__(self, today: date, dialect: str, counters: bool) -> None:
        self.today = today
        self.dialect = dialect
        self.counters = counters
        self.params = Params()
        self.derived: list[str] = []
        self.fragments = 0

    def node(self, node: Node) -> str:
        if isinstance(node, Leaf):
            return self.leaf(node)
        parts = [self.node(child) for child in node.children]
        if node.kind == "not":
            return f"NOT coalesce({parts[0]}, false)"
        if not parts:
            return "true" if node.kind == "all" else "false"
        joiner = " AND " if node.kind == "all" else " OR "
        return "(" + joiner.join(parts) + ")"

    def _context(self, leaf: Leaf) -> Context:
        return Context(f"x{len(self.derived)}", self.params, leaf, self.today, self.dialect)

    def leaf(self, leaf: Leaf) -> str:
        expr = FIELD_EXPRESSIONS[leaf.field]
        if leaf.field == "age_years":
            return self._age(leaf)
        if leaf.field == "entity_kind":
            return self._entity_kind(leaf)
        if leaf.field == "alert_rules":
            return self._alert_rules(leaf)
        if self.counters and expr.counter is not None:
            target = expr.counter
        elif expr.derived is not None:
            self.derived.append(expr.derived(self._context(leaf)))
            target = f"d{len(self.derived) - 1}"
        else:
            assert expr.prop is not None
            target = self._prop(expr.prop, leaf)
        ranged = self.dialect == "falkordb"
        return _compare(
            target, leaf.op, leaf.value, self.params, is_date=expr.type == "date", ranged=ranged
        )

    def _prop(self, prop: str, leaf: Leaf) -> str:
        """A property expression; one with code constants (``{p:NAME}``) gets them as
        parameters and a variable prefix of its own (``k0``, ``k1`` …)."""
        if "{" not in prop:
            return prop
        self.fragments += 1
        ctx = Context(f"k{self.fragments - 1}", self.params, leaf, self.today, self.dialect)
        return _fill(prop, ctx)

    def driver(self, leaf: Leaf) -> tuple[Driver, str]:
        """The starting records of a violation count and the condition on their count."""
        expr = FIELD_EXPRESSIONS[leaf.field]
        assert expr.records is not None
        ctx = self._context(leaf)
        target = f"d{len(self.derived)}"
        self.derived.append("")  # the name is taken; the count is the driver's aggregate
        driver = Driver(f"{ctx.alias}v", _fill(expr.records, ctx), target)
        if expr.type == "bool":
            return driver, f"{target} > 0"
        return driver, _compare(target, leaf.op, leaf.value, self.params, is_date=False)

    def _age(self, leaf: Leaf) -> str:
        # Age in whole years: age >= n when established on or before today - n years;
        # age <= n when established after today - (n + 1) years.
        low, high = _bounds(leaf.op, leaf.value)
        if leaf.op == "missing":
            return _compare("e.established", "missing", leaf.value, self.params, is_date=True)
        parts = []
        if low is not None:
            parts.append(f"e.established <= {self.params.date(years_before(self.today, low))}")
        if high is not None:
            start = years_before(self.today, int(high) + 1)
            parts.append(f"e.established > {self.params.date(start)}")
        return "(" + " AND ".join(parts) + ")"

    def _entity_kind(self, leaf: Leaf) -> str:
        wanted = set(leaf.value if leaf.op == "in" else [leaf.value])
        if "enterprise" in wanted:
            others = [
                org for kind in ENTITY_KINDS if kind not in wanted for org in org_types_of(kind)
            ]
            return f"NOT coalesce(e.org_type, '') IN {self.params(others)}"
        orgs = [org for kind in ENTITY_KINDS if kind in wanted for org in org_types_of(kind)]
        return f"coalesce(e.org_type, '') IN {self.params(orgs)}"

    def _alert_rules(self, leaf: Leaf) -> str:
        rules = list(leaf.value) if leaf.op == "in" else [leaf.value]
        ctx = self._context(leaf)
        where = f"{{a}}al.status IN {{p:active_alerts}} AND {{a}}al.rule IN {self.params(rules)}"
        self.derived.append(_count(_ALERTS, where)(ctx))
        return f"d{len(self.derived) - 1} > 0"


def _bounds(op: str, value: Any) -> tuple[Any, Any]:
    if op == "eq":
        return value, value
    if op == "gte":
        return value, None
    if op == "lte":
        return None, value
    if op == "between":
        return value[0], value[1]
    return None, None


def _compare(
    target: str, op: str, value: Any, params: Params, *, is_date: bool, ranged: bool = False
) -> str:
    """``target`` compared as ``op`` says. ``ranged``: a prefix also as the range up to
    :func:`~riskgraph.graph.search_index.prefix_upper` where it gives a bound, which
    FalkorDB answers from its index (it scans every enterprise for a bare ``STARTS
    WITH``)."""

    def param(item: Any) -> str:
        return params.date(item) if is_date else params(item)

    if op == "missing":
        return f"({target} IS {'' if value else 'NOT '}NULL)"
    if op == "in":
        return f"{target} IN {params(list(value))}"
    upper = prefix_upper(value) if op == "prefix" and ranged and isinstance(value, str) else None
    if upper is not None:
        low, high = params(value), params(upper)
        return f"({target} >= {low} AND {target} < {high} AND {target} STARTS WITH {low})"
    if op == "prefix":
        return f"{target} STARTS WITH {params(value)}"
    if op == "contains":
        return f"{target} CONTAINS {params(value)}"
    if op == "eq":
        return f"{target} = {param(value)}"
    if op == "gte":
        return f"{target} >= {param(value)}"
    if op == "lte":
        return f"{target} <= {param(value)}"
    if op == "between":
        return f"({target} >= {param(value[0])} AND {target} <= {param(value[1])})"
    raise ValueError(f"unknown op {op!r}")  # validation refuses it first


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return _clamped(year, month + 1, day.day)


def years_before(day: date, years: int) -> date:
    """The same day ``years`` years earlier (29 February becomes 28 February)."""
    return _clamped(day.year - years, day.month, day.day)


def _clamped(year: int, month: int, day: int) -> date:
    for candidate in range(day, 27, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, min(day, 28))


def leaves(node: Node) -> Sequence[Leaf]:
    """Every leaf of a tree, depth first."""
    if isinstance(node, Leaf):
        return [node]
    return [leaf for child in node.children for leaf in leaves(child)]
