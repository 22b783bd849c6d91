"""Reference tables: administrative divisions, industry sections and registry code lists.

The tables are data files of this package, read with ``importlib.resources``:

* ``regions.tsv`` and ``province_abbreviations.tsv`` -- administrative divisions
  (行政区划代码, GB/T 2260, a curated subset); see ``riskgraph.reference.regions``.
* ``industry_sections.tsv`` -- the sections (门类) of GB/T 4754-2017 with their
  divisions; see ``riskgraph.reference.industries``.
* ``entity_kinds.py`` -- kinds of market entity (企业, 个体工商户, 农民专业合作社).
* ``new_economy.py`` -- the 四新 stand-in: GB/T 4754-2017 code prefixes of strategic
  emerging industries; see ``riskgraph.reference.new_economy``.
* ``code_lists.json`` -- org types, registration statuses, roles, violation kinds and
  violation statuses; see ``riskgraph.reference.code_lists``.

This package imports nothing from the rest of riskgraph, so every layer may use it.
"""

from __future__ import annotations

from .code_lists import ORG_TYPES, ROLES, STATUSES, VIOLATION_KINDS, VIOLATION_STATUSES
from .entity_kinds import ENTITY_KIND_NAMES, ENTITY_KINDS, EntityKind, entity_kind, org_types_of
from .industries import (
    IndustrySection,
    division_section,
    industry_sections,
    section_letter_pattern,
    section_letters,
    section_name,
)
from .new_economy import NEW_ECONOMY, NewEconomyItem, is_new_economy, new_economy_prefixes
from .regions import (
    MUNICIPALITIES,
    REGION_PROBLEMS,
    Region,
    division_chain,
    full_name,
    is_known_region,
    known_codes,
    province_abbreviation,
    province_of,
    region,
    region_problem,
)

__all__ = [
    "ENTITY_KINDS",
    "ENTITY_KIND_NAMES",
    "MUNICIPALITIES",
    "NEW_ECONOMY",
    "ORG_TYPES",
    "REGION_PROBLEMS",
    "ROLES",
    "STATUSES",
    "VIOLATION_KINDS",
    "VIOLATION_STATUSES",
    "EntityKind",
    "IndustrySection",
    "NewEconomyItem",
    "Region",
    "division_chain",
    "division_section",
    "entity_kind",
    "full_name",
    "industry_sections",
    "is_known_region",
    "is_new_economy",
    "known_codes",
    "new_economy_prefixes",
    "org_types_of",
    "province_abbreviation",
    "province_of",
    "region",
    "region_problem",
    "section_letter_pattern",
    "section_letters",
    "section_name",
]
