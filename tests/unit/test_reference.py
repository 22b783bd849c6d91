"""Tests for the reference tables other than regions (tests/unit/test_regions.py)."""

from __future__ import annotations

import ast
import json
import re
from importlib import resources
from pathlib import Path

from riskgraph import reference
from riskgraph.ingest import contract

PACKAGE = Path(reference.__file__).parent


def test_industry_sections() -> None:
    sections = reference.industry_sections()
    assert reference.section_letters() == "ABCDEFGHIJKLMNOPQRST"
    assert [s.letter for s in sections] == list(reference.section_letters())
    assert reference.section_name("I") == "信息传输、软件和信息技术服务业"
    assert reference.section_name("T") == "国际组织"
    assert reference.section_name("") is None and reference.section_name("Z") is None
    assert sections[2].divisions[0] == "13" and sections[2].divisions[-1] == "43"


def test_divisions_partition_01_to_98() -> None:
    divisions = [d for s in reference.industry_sections() for d in s.divisions]
    assert divisions == [f"{d:02d}" for d in range(1, 99)]
    assert reference.division_section("13") == "C"
    assert reference.division_section("70") == "K"
    assert reference.division_section("00") is None
    assert reference.division_section("99") is None


def test_section_letter_pattern() -> None:
    pattern = reference.section_letter_pattern()
    assert pattern == "[A-T]"
    assert all(re.fullmatch(pattern, letter) for letter in reference.section_letters())
    assert not re.fullmatch(pattern, "U")


def test_province_abbreviations() -> None:
    assert reference.province_abbreviation("510107") == "川"
    assert reference.province_abbreviation("110000") == "京"
    assert reference.province_abbreviation("810000") is None
    assert reference.province_abbreviation("5101") is None
    provinces = [c for c in reference.known_codes() if c.endswith("0000")]
    abbreviations = [reference.province_abbreviation(c) for c in provinces]
    assert None not in abbreviations and len(set(abbreviations)) == len(provinces)


def test_code_lists_are_the_contracts() -> None:
    assert contract.ORG_TYPES is reference.ORG_TYPES
    assert contract.VIOLATION_KINDS is reference.VIOLATION_KINDS
    assert reference.ORG_TYPES[0] == "有限责任公司" and "分公司" in reference.ORG_TYPES
    assert reference.STATUSES == ("存续", "在业", "吊销", "注销", "迁出")
    assert reference.ROLES[0] == "法定代表人" and reference.ROLES[-1] == "其他"
    assert reference.VIOLATION_KINDS[1] == "经营异常名录"
    assert reference.VIOLATION_STATUSES == ("有效", "已移出", "已修复")
    raw = json.loads(resources.files("riskgraph.reference").joinpath("code_lists.json").read_text())
    assert set(raw) == {"org_types", "statuses", "roles", "violation_kinds", "violation_statuses"}


def test_reference_imports_nothing_of_the_project() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert not (node.module or "").startswith("riskgraph"), path.name
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("riskgraph") for a in node.names), path.name


def test_entity_kinds_follow_org_types() -> None:
    assert reference.entity_kind("个体工商户") == "individual"
    assert reference.entity_kind("农民专业合作社") == "cooperative"
    assert reference.entity_kind("有限责任公司") == "enterprise"
    assert reference.entity_kind(None) == "enterprise"
    assert set(reference.org_types_of("individual")) | set(
        reference.org_types_of("cooperative")
    ) <= set(reference.ORG_TYPES)


def test_new_economy_prefixes_are_industry_codes_of_their_section() -> None:
    prefixes = reference.new_economy_prefixes()
    assert len(set(prefixes)) == len(prefixes) == len(reference.NEW_ECONOMY)
    for prefix in prefixes:
        assert re.fullmatch(r"[A-T]\d{2,4}", prefix), prefix
        assert reference.division_section(prefix[1:3]) == prefix[0], prefix
    assert reference.is_new_economy("I6513") and reference.is_new_economy("D4416")
    assert not reference.is_new_economy("I6") and not reference.is_new_economy("D4411")
    assert not reference.is_new_economy(None) and not reference.is_new_economy("")
