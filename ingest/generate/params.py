"""Fixed parameters of the generator: dates, shares, weights and index codes."""

from __future__ import annotations

import datetime as dt
from typing import Final

from riskgraph.reference import ROLES as _ALL_ROLES

REFERENCE_DATE: Final = dt.date(2026, 6, 30)
LABEL_AS_OF: Final = dt.date(2025, 12, 31)
CLASS_SHARES: Final = {"A": 0.40, "B": 0.48, "C": 0.09, "D": 0.03}
LABELLED_SHARE: Final = 0.60

_EPOCH: Final = dt.date(1970, 1, 1)
REF: Final = (REFERENCE_DATE - _EPOCH).days
AS_OF: Final = (LABEL_AS_OF - _EPOCH).days
SUBSCRIPTION_REFORM: Final = (dt.date(2014, 3, 1) - _EPOCH).days
USCC_MA_ERA: Final = (dt.date(2015, 10, 1) - _EPOCH).days
YEAR: Final = 365.25

# Org kinds: the rows of org_kinds.tsv, in this order.
LLC, JSC, SOLE, PART, INDIV, COOP = range(6)
COMPANY_KINDS: Final = (LLC, JSC)
INVESTOR_KINDS: Final = (LLC, JSC, PART)

# Registration statuses: indices into riskgraph.reference.STATUSES.
ACTIVE, IN_BUSINESS, REVOKED, CANCELLED, MOVED = range(5)

ROLES: Final = _ALL_ROLES[:7]  # every role but 其他, in the reference order
R_LEGAL, R_EXEC, R_CHAIR, R_DIRECTOR, R_SUPERVISOR, R_MANAGER, R_FINANCE = range(7)

# Violation kinds: indices into riskgraph.reference.VIOLATION_KINDS.
V_PENALTY, V_ABNORMAL, V_SEVERE, V_INSPECTION, V_COMPLAINT, V_LAWSUIT = range(6)
DOC_WORD: Final = ("罚", "异", "严", "检", "诉", "")  # per kind, in document numbers
PATTERNS: Final = (
    "shell_ring",
    "circular_shareholding",
    "address_hotspot",
    "abnormal_region_surge",
    "licence_mismatch",
    "annual_report_missed",
    "officer_churn",
    "young_firm_large_penalty",
    "listed_investors",
    "revoked_parent_branch",
    "paid_in_excess",
)
# The pattern id prefix of each pattern in truth/patterns.csv.
PATTERN_PREFIX: Final = ("SR", "CS", "AH", "RS", "LM", "AR", "OC", "LP", "LI", "RB", "PE")

BRANCH_SHARE: Final = 0.03
GROUP_SHARE: Final = 0.07
CLUSTER_SHARE: Final = 0.07
CHENGDU_SHARE: Final = 0.85
CONTAGION_ROUNDS: Final = 3
CONTAGION_ALPHA: Final = 0.45
# Weights of the five SAMR indicator categories in the classification score.
SCORE_WEIGHTS: Final = {
    "basic": 0.15,
    "dynamic": 0.15,
    "regulatory": 0.35,
    "association": 0.20,
    "social": 0.15,
}
SCORE_NOISE: Final = 0.25

SHELL_INDUSTRIES: Final = ("L7243", "L7297", "F5199", "F5193", "M7519", "L7212", "I6599")
HOLDING_INDUSTRIES: Final = ("L7211", "L7212")
CONSUMER_SECTIONS: Final = frozenset("FHOPQR")
# Round registered-capital amounts (万元) that most firms snap to.
ROUND_CAPITAL: Final = (
    *(1, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500),
    *(1000, 2000, 3000, 5000, 10000, 20000, 50000, 100000),
)
