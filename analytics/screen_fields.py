"""The screening tool's field catalogue: six layers, each field with its labels, type,
operators and meaning (Chengdu's 六个层级: 登记信息、审批信息、公示信息、行业与监管标签、
监管执法、信用积分).

Every field reads data the graph holds (``riskgraph.graph.screen_query`` has its
Cypher); ``docs/screening.md`` lists them and the data the graph still lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from riskgraph.reference import (
    ENTITY_KIND_NAMES,
    ORG_TYPES,
    STATUSES,
    section_letters,
)

FieldType = Literal["text", "code", "enum", "number", "integer", "count", "date", "bool", "set"]

LAYERS: Final[dict[str, tuple[str, str]]] = {
    "registration": ("登记信息", "Registration"),
    "approval": ("审批信息", "Approvals (licences, registered changes)"),
    "disclosure": ("公示信息", "Public disclosure"),
    "tags": ("行业与监管标签", "Industry and supervision tags"),
    "enforcement": ("监管执法", "Supervision and enforcement"),
    "credit": ("信用积分", "Credit score and class"),
}

OPS_BY_TYPE: Final[dict[FieldType, tuple[str, ...]]] = {
    "text": ("eq", "in", "prefix", "contains", "missing"),
    "code": ("eq", "in", "prefix", "missing"),
    "enum": ("eq", "in", "missing"),
    "number": ("eq", "gte", "lte", "between", "missing"),
    "integer": ("eq", "gte", "lte", "between", "missing"),
    "count": ("eq", "gte", "lte", "between"),
    "date": ("eq", "gte", "lte", "between", "missing"),
    "bool": ("eq",),
    "set": ("eq", "in"),
}
"""The operators of each field type; ``missing`` (value true or false) asks whether a
stored property is absent."""

CLASSES: Final = ("A", "B", "C", "D")
ALL_TIME: Final = None


@dataclass(frozen=True)
class Field:
    """One screening field. ``window``: the field counts dated records and takes a
    ``months`` window (``default_months`` when none is given; None: all time)."""

    name: str
    zh: str
    en: str
    layer: str
    type: FieldType
    description: str
    choices: tuple[str, ...] = ()
    window: bool = False
    default_months: int | None = None
    stored: bool = True
    """A stored property (``missing`` applies) rather than a count or derived value."""

    @property
    def ops(self) -> tuple[str, ...]:
        ops = OPS_BY_TYPE[self.type]
        return ops if self.stored else tuple(op for op in ops if op != "missing")

    def describe(self) -> dict[str, Any]:
        """The field as ``GET /screens/fields`` lists it."""
        return {
            "name": self.name,
            "zh": self.zh,
            "en": self.en,
            "layer": self.layer,
            "layer_zh": LAYERS[self.layer][0],
            "layer_en": LAYERS[self.layer][1],
            "type": self.type,
            "ops": list(self.ops),
            "choices": list(self.choices),
            "window": self.window,
            "default_months": self.default_months,
            "description": self.description,
        }


def _count(
    name: str,
    zh: str,
    en: str,
    layer: str,
    description: str,
    *,
    window: bool = False,
    default_months: int | None = ALL_TIME,
) -> Field:
    return Field(
        name,
        zh,
        en,
        layer,
        "count",
        description,
        window=window,
        default_months=default_months,
        stored=False,
    )


def _flag(name: str, zh: str, en: str, layer: str, description: str, **kw: Any) -> Field:
    return Field(name, zh, en, layer, "bool", description, stored=False, **kw)


_VIOLATION_WINDOW = "; `months` counts only records dated within the last N months"
_IN_FORCE = "issued on or before today and valid until today or later (or without an end)"

_FIELDS: Final[tuple[Field, ...]] = (
    # ---- 登记信息
    Field("name", "企业名称", "Name", "registration", "text", "registered name"),
    Field("uscc", "统一社会信用代码", "USCC", "registration", "code", "the 18-character key"),
    Field(
        "org_type",
        "企业类型",
        "Organisation type",
        "registration",
        "enum",
        "registered org type",
        ORG_TYPES,
    ),
    Field(
        "entity_kind",
        "主体类别",
        "Kind of entity",
        "registration",
        "enum",
        "企业, 个体工商户 or 农民专业合作社, from the org type (a missing org type is 企业)",
        tuple(ENTITY_KIND_NAMES),
        stored=False,
    ),
    Field(
        "status",
        "登记状态",
        "Registration status",
        "registration",
        "enum",
        "存续, 在业, 吊销 …",
        STATUSES,
    ),
    Field(
        "established",
        "成立日期",
        "Established",
        "registration",
        "date",
        "date of establishment (YYYY-MM-DD)",
    ),
    Field(
        "age_years",
        "成立年限（年）",
        "Age (years)",
        "registration",
        "integer",
        "whole years since establishment, on the day the screen runs",
    ),
    Field(
        "registered_capital",
        "注册资本（万元）",
        "Registered capital (10k yuan)",
        "registration",
        "number",
        "registered capital, 万元",
    ),
    Field(
        "paid_in_capital",
        "实缴资本（万元）",
        "Paid-in capital (10k yuan)",
        "registration",
        "number",
        "paid-in capital, 万元",
    ),
    Field(
        "paid_in_ratio",
        "实缴比例",
        "Paid-in share of capital",
        "registration",
        "number",
        "paid-in ÷ registered capital (missing when either is missing or registered is 0)",
    ),
    Field(
        "industry_code",
        "国民经济行业代码",
        "Industry code",
        "registration",
        "code",
        "GB/T 4754 code such as I6510; prefix matches a section or division",
    ),
    Field(
        "industry_section",
        "行业门类",
        "Industry section",
        "registration",
        "enum",
        "GB/T 4754 section letter A-T",
        tuple(section_letters()),
    ),
    Field(
        "region_code",
        "行政区划代码",
        "Region code",
        "registration",
        "code",
        "6-digit GB/T 2260 code; prefix 51 = 四川, 5101 = 成都",
    ),
    _flag(
        "has_phone", "有联系电话", "Has a phone", "registration", "a contact phone is registered"
    ),
    _flag(
        "has_email", "有电子邮箱", "Has an e-mail", "registration", "a contact e-mail is registered"
    ),
    _flag(
        "has_address",
        "有登记住所",
        "Has an address",
        "registration",
        "a registered address is linked",
    ),
    _flag(
        "is_branch",
        "是分支机构",
        "Is a branch",
        "registration",
        "the entity is a branch of another",
    ),
    _count(
        "branch_count", "分支机构数", "Branches", "registration", "branches belonging to the entity"
    ),
    # ---- 审批信息
    _count(
        "legal_rep_changes",
        "法定代表人变更",
        "Legal representative changes",
        "approval",
        "legal representatives appointed (with a date) within the window",
        window=True,
        default_months=12,
    ),
    _count(
        "investor_changes",
        "股东变更",
        "Shareholder changes",
        "approval",
        "investments into the entity dated within the window",
        window=True,
        default_months=12,
    ),
    _count(
        "officer_changes",
        "主要人员变更",
        "Officer changes",
        "approval",
        "officer appointments, and ends on or before today, dated within the window",
        window=True,
        default_months=12,
    ),
    _count(
        "branches_set_up",
        "新设分支机构",
        "Branches set up",
        "approval",
        "branches set up (with a date) within the window",
        window=True,
        default_months=12,
    ),
    _count(
        "licences",
        "行政许可数",
        "Licences",
        "approval",
        "licences (行政许可) it holds; `months` counts only those issued within the last N months",
        window=True,
    ),
    _count(
        "licences_in_force",
        "有效许可数",
        "Licences in force",
        "approval",
        "licences " + _IN_FORCE,
    ),
    _count(
        "licences_expired",
        "已过期许可数",
        "Expired licences",
        "approval",
        "licences whose validity ended before today; `months` counts only those that "
        "ended within the last N months",
        window=True,
    ),
    _flag(
        "licence_mismatch",
        "证照信息与登记不一致",
        "Licence differs from the registration",
        "approval",
        "a licence in force whose holder name, region or address differs from the "
        "registration (rule R16's test, whatever the status)",
    ),
    # ---- 公示信息
    _count(
        "annual_reports_filed",
        "已报送年报数",
        "Annual reports filed",
        "disclosure",
        "annual reports (年报) with a filing date; `months` counts only those filed within "
        "the last N months",
        window=True,
    ),
    _count(
        "annual_reports_missing",
        "未报送年报数",
        "Annual reports not filed",
        "disclosure",
        "annual-report rows without a filing date (未报)",
    ),
    _count(
        "annual_reports_late",
        "逾期报送年报数",
        "Annual reports filed late",
        "disclosure",
        "annual reports filed after 30 June of the year after the report year; `months` "
        "counts only those filed within the last N months",
        window=True,
    ),
    Field(
        "last_report_year",
        "最近报送年报年度",
        "Latest report year filed",
        "disclosure",
        "integer",
        "the latest report year with a filed annual report (missing when none)",
    ),
    _count(
        "investor_count",
        "股东数",
        "Shareholders",
        "disclosure",
        "shareholders (persons and enterprises)",
    ),
    _count(
        "person_investors",
        "自然人股东数",
        "Person shareholders",
        "disclosure",
        "shareholders who are persons",
    ),
    _count(
        "enterprise_investors",
        "企业股东数",
        "Enterprise shareholders",
        "disclosure",
        "shareholders that are enterprises",
    ),
    _count(
        "outward_investments",
        "对外投资数",
        "Outward investments",
        "disclosure",
        "enterprises this one invests in",
    ),
    _count(
        "officer_count",
        "在任主要人员数",
        "Current officers",
        "disclosure",
        "officers (董事, 监事, 经理 …) whose term has not ended",
    ),
    _flag(
        "has_legal_rep",
        "有在任法定代表人",
        "Has a legal representative",
        "disclosure",
        "a legal representative whose term has not ended",
    ),
    _flag(
        "abnormal_listed",
        "列入经营异常名录",
        "On the abnormal-operation list",
        "disclosure",
        "an in-force (有效) 经营异常名录 listing",
    ),
    _flag(
        "serious_illegal_listed",
        "列入严重违法失信名单",
        "On the serious-violation list",
        "disclosure",
        "an in-force (有效) 严重违法失信 listing",
    ),
    # ---- 行业与监管标签
    _flag(
        "new_economy",
        "四新经济",
        "New economy (四新)",
        "tags",
        "the industry code is one of the strategic emerging industries of "
        "riskgraph.reference.new_economy (a stand-in from industry codes)",
    ),
    _count(
        "legal_rep_other_firms",
        "法定代表人关联企业数",
        "Legal representative's other firms",
        "tags",
        "other firms its legal representative(s) also represent (once per representative)",
    ),
    _count(
        "legal_rep_firms_violations",
        "法定代表人关联企业违法记录数",
        "Violations of the legal representative's other firms",
        "tags",
        "in-force records of those other firms",
    ),
    _count(
        "colocated_firms",
        "同址企业数",
        "Firms at the same address",
        "tags",
        "other firms registered at the same address",
    ),
    _count(
        "investor_violations",
        "企业股东违法记录数",
        "Violations of enterprise shareholders",
        "tags",
        "in-force records of the enterprises that invest in it",
    ),
    _count("open_alerts", "未办结预警数", "Open alerts", "tags", "alerts open or in progress"),
    _count(
        "open_alerts_high",
        "未办结高风险预警数",
        "Open high-severity alerts",
        "tags",
        "open or in-progress alerts of severity high",
    ),
    Field(
        "alert_rules",
        "预警规则",
        "Alert rule",
        "tags",
        "set",
        "has an open or in-progress alert of one of the rules (R01 …)",
        stored=False,
    ),
    # ---- 监管执法
    _count(
        "violations",
        "违法违规记录数",
        "Records (all kinds)",
        "enforcement",
        "violation records of every kind and status" + _VIOLATION_WINDOW,
        window=True,
    ),
    _count(
        "penalties",
        "行政处罚次数",
        "Administrative penalties",
        "enforcement",
        "行政处罚 records" + _VIOLATION_WINDOW,
        window=True,
    ),
    _count(
        "abnormal_listings",
        "列入经营异常名录次数",
        "Abnormal-list entries",
        "enforcement",
        "经营异常名录 records, any status" + _VIOLATION_WINDOW,
        window=True,
    ),
    _count(
        "serious_listings",
        "列入严重违法失信次数",
        "Serious-violation entries",
        "enforcement",
        "严重违法失信 records, any status" + _VIOLATION_WINDOW,
        window=True,
    ),
    _count(
        "failed_checks",
        "抽查检查不合格次数",
        "Failed spot checks",
        "enforcement",
        "抽查检查不合格 records" + _VIOLATION_WINDOW,
        window=True,
    ),
    _count(
        "complaints",
        "投诉举报次数",
        "Complaints",
        "enforcement",
        "投诉举报 records" + _VIOLATION_WINDOW,
        window=True,
    ),
    _count(
        "lawsuits",
        "司法涉诉次数",
        "Lawsuits",
        "enforcement",
        "司法涉诉 records" + _VIOLATION_WINDOW,
        window=True,
    ),
    _count(
        "active_violations",
        "有效违法记录数",
        "In-force records",
        "enforcement",
        "records in force (有效)" + _VIOLATION_WINDOW,
        window=True,
    ),
    _count(
        "repaired_violations",
        "已信用修复记录数",
        "Repaired records",
        "enforcement",
        "records repaired (已修复)" + _VIOLATION_WINDOW,
        window=True,
    ),
    Field(
        "penalty_amount",
        "罚没金额合计（元）",
        "Fines in total (yuan)",
        "enforcement",
        "number",
        "sum of 行政处罚 amounts (missing amounts count 0)" + _VIOLATION_WINDOW,
        window=True,
        stored=False,
    ),
    _count(
        "inspections",
        "检查次数",
        "Inspections",
        "enforcement",
        "inspection results recorded" + _VIOLATION_WINDOW,
        window=True,
    ),
    _count(
        "failed_inspections",
        "检查不合格次数",
        "Failed inspections",
        "enforcement",
        "inspection results 不合格" + _VIOLATION_WINDOW,
        window=True,
    ),
    _count(
        "plan_selections",
        "被抽中次数",
        "Times drawn for inspection",
        "enforcement",
        "inspection plans that selected it",
    ),
    # ---- 信用积分
    Field(
        "risk_class",
        "风险类别（模型）",
        "Risk class (model)",
        "credit",
        "enum",
        "the model's class A-D",
        CLASSES,
    ),
    Field(
        "risk_score",
        "风险分值",
        "Risk score",
        "credit",
        "number",
        "the model's risk score in [0, 1]",
    ),
    Field("p_A", "A类概率", "P(A)", "credit", "number", "probability of class A"),
    Field("p_B", "B类概率", "P(B)", "credit", "number", "probability of class B"),
    Field("p_C", "C类概率", "P(C)", "credit", "number", "probability of class C"),
    Field("p_D", "D类概率", "P(D)", "credit", "number", "probability of class D"),
    Field(
        "model_version",
        "模型版本",
        "Model version",
        "credit",
        "code",
        "version of the model that scored it",
    ),
    Field(
        "label_class",
        "监管分类",
        "Supervisor's class",
        "credit",
        "enum",
        "the class a supervisor gave (labels file)",
        CLASSES,
    ),
    Field(
        "effective_class",
        "适用类别",
        "Class in use",
        "credit",
        "enum",
        "the model's class, else the supervisor's",
        CLASSES,
    ),
    _flag(
        "is_scored", "已模型评分", "Scored by the model", "credit", "the model has given it a class"
    ),
    Field(
        "previous_class",
        "前期类别",
        "Earlier class",
        "credit",
        "enum",
        "class of its latest model assessment dated on or before N months ago (default 1)",
        CLASSES,
        window=True,
        default_months=1,
        stored=False,
    ),
    _flag(
        "class_rose",
        "类别上升",
        "Class rose",
        "credit",
        "its current class is worse than a class it had within the window",
        window=True,
        default_months=12,
    ),
    _flag(
        "class_fell",
        "类别下降",
        "Class fell",
        "credit",
        "its current class is better than a class it had within the window",
        window=True,
        default_months=12,
    ),
    _count(
        "assessments",
        "评估次数",
        "Assessments",
        "credit",
        "model assessments" + _VIOLATION_WINDOW,
        window=True,
    ),
)

FIELDS: Final[dict[str, Field]] = {f.name: f for f in _FIELDS}


def field_catalogue() -> list[dict[str, Any]]:
    """Every field, grouped in layer order."""
    order = list(LAYERS)
    return [f.describe() for f in sorted(_FIELDS, key=lambda f: order.index(f.layer))]
