"""SMEsD (Chinese SME bankruptcy graph, ``../shared/datasets/smesd``) mapped onto the model.

SMEsD has no USCCs: its ``company_id`` is kept as the enterprise key (``uscc``)
with ``key_kind = "external"`` and ``source = "smesd"``. Persons carry only a
pseudonymous id, kept as ``pid = "smesd:<person_id>"``. Relation types map onto
ours (SUPERVISOR_OF and EXECUTIVE_OF become HOLDS_POSITION with a role,
INVESTS_IN and BRANCH_OF stay); those ours has no type for stay typed
(SHAREHOLDER_OF, LOAN, DEAL, RENT, CREDITOR). Lawsuits become ``Violation``
nodes of kind 司法涉诉. ``split`` and ``label`` are stored on the enterprise.
"""

from __future__ import annotations

import re
from typing import Any

from riskgraph.graph.store import Row
from riskgraph.ingest.loader import Checked, Reference
from riskgraph.ingest.normalize import clean_text, normalize_name
from riskgraph.ingest.sources import WIDTH, RawRow

COMPANY_ID = re.compile(r"^C\d{4,}$")
PERSON_ID = re.compile(r"^P\d{4,}$")
LAWSUIT_ID = re.compile(r"^L\d+$")
SPLITS = ("train", "valid", "test")
POSITION_ROLES = {"SUPERVISOR_OF": "监事", "EXECUTIVE_OF": "董事/高管"}
TRADE_LINKS = ("LOAN", "DEAL", "RENT", "CREDITOR")
RELATION_TYPES = (*POSITION_ROLES, "SHAREHOLDER_OF", "INVESTS_IN", "BRANCH_OF", *TRADE_LINKS)
LAWSUIT_KIND = "司法涉诉"

REQUIRED = {
    "companies": ("company_id", "name", "split"),
    "persons": ("person_id",),
    "relations": ("src_id", "dst_id", "rel_type"),
    "lawsuits": ("lawsuit_id", "company_id"),
}


def _pid(person_id: str) -> str:
    return f"smesd:{person_id}"


def _number(raw: RawRow, column: str, reasons: list[str], *, integer: bool = False) -> Any:
    text = raw.get(column)
    if text is None:
        return None
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        reasons.append(f"not_a_number:{column}")
        return None
    if value < 0:
        reasons.append(f"negative:{column}")
    return value


def _node_ref(node_id: str, column: str) -> tuple[Reference, str]:
    if node_id.startswith("P"):
        return Reference(field=column, target="person", column=column), _pid(node_id)
    return Reference(field=column, target="enterprise", column=column), node_id


class SmesdFormat:
    """The four SMEsD CSV files: companies, persons, relations, lawsuits."""

    name = "smesd"
    kinds: tuple[str, ...] = ("companies", "persons", "relations", "lawsuits")

    def missing_columns(self, kind: str, header: list[str]) -> list[str]:
        return [column for column in REQUIRED[kind] if column not in header]

    def registers(self, kind: str) -> str | None:
        return {"companies": "enterprise", "persons": "person"}.get(kind)

    def aggregate_limit(self, kind: str) -> tuple[float, str] | None:
        return None

    def redact(self, raw: RawRow) -> RawRow:
        return raw  # SMEsD persons are already pseudonymous

    def check(self, kind: str, raw: RawRow) -> Checked:
        if WIDTH in raw:
            return Checked(reasons=("field_count",))
        missing = tuple(f"missing:{column}" for column in REQUIRED[kind] if not raw.get(column))
        if missing:
            return Checked(reasons=missing)
        checked: Checked = getattr(self, f"_{kind}")(raw)
        return checked

    def _companies(self, raw: RawRow) -> Checked:
        reasons: list[str] = []
        company_id = str(raw["company_id"])
        if not COMPANY_ID.match(company_id):
            reasons.append("format:company_id")
        split = raw.get("split")
        if split not in SPLITS:
            reasons.append("enum:split")
        label = raw.get("label")
        if label not in (None, "0", "1"):
            reasons.append("enum:label")
        props: dict[str, Any] = {
            "name": normalize_name(str(raw["name"])),
            "registered_capital": _number(raw, "registered_capital", reasons),
            "paid_in_capital": _number(raw, "paid_in_capital", reasons),
            "setup_months": _number(raw, "setup_months", reasons, integer=True),
            "industry_name": clean_text(raw.get("industry") or ""),
            "area": clean_text(raw.get("area") or ""),
            "split": split,
            "original_splits": raw.get("original_splits"),
            "label": int(label) if label in ("0", "1") else None,
            "key_kind": "external",
            "source": "smesd",
        }
        if reasons:
            return Checked(reasons=tuple(reasons))
        row: Row = {
            "uscc": company_id,
            "props": props,
            "established": None,
            "aid": None,
            "address": None,
            "region_code": None,
        }
        return Checked(writes=(("ingest_enterprises", row),), key=company_id)

    def _persons(self, raw: RawRow) -> Checked:
        person_id = str(raw["person_id"])
        if not PERSON_ID.match(person_id):
            return Checked(reasons=("format:person_id",))
        pid = _pid(person_id)
        row: Row = {"pid": pid, "props": {"source": "smesd"}}
        return Checked(writes=(("ingest_persons", row),), key=pid)

    def _relations(self, raw: RawRow) -> Checked:
        src, dst, rel_type = str(raw["src_id"]), str(raw["dst_id"]), str(raw["rel_type"])
        reasons: list[str] = []
        if rel_type not in RELATION_TYPES:
            reasons.append("enum:rel_type")
        if not (COMPANY_ID.match(src) or PERSON_ID.match(src)):
            reasons.append("format:src_id")
        if not COMPANY_ID.match(dst):
            reasons.append("format:dst_id")
        if src == dst:
            reasons.append("self_reference")
        weight = _number(raw, "weight", reasons)
        from_person = src.startswith("P")
        person_only = (*POSITION_ROLES, "SHAREHOLDER_OF")
        if not reasons and (rel_type in person_only) != from_person and rel_type != "INVESTS_IN":
            reasons.append("endpoint:src_id")
        if reasons:
            return Checked(reasons=tuple(reasons))
        src_ref, src_key = _node_ref(src, "src_id")
        references = ((src_ref, src_key), _node_ref(dst, "dst_id"))
        query: str
        row: Row
        if rel_type in POSITION_ROLES:
            query = "ingest_positions"
            row = {"pid": src_key, "uscc": dst, "role": POSITION_ROLES[rel_type]}
            row.update(since=None, until=None)
        elif rel_type == "SHAREHOLDER_OF":
            query, row = "ingest_shareholders", {"pid": src_key, "uscc": dst}
        elif rel_type == "INVESTS_IN":
            query = "ingest_person_investments" if from_person else "ingest_enterprise_investments"
            row = {
                "investor": src_key,
                "investee": dst,
                "props": {"amount": weight, "ratio": None},
                "since": None,
            }
        elif rel_type == "BRANCH_OF":
            query, row = "ingest_branches", {"branch": src, "parent": dst, "since": None}
        else:
            query, row = "ingest_trade_links", {"src": src, "dst": dst, "type": rel_type}
            row["weight"] = weight
        return Checked(writes=((query, row),), key=f"{src}|{rel_type}|{dst}", references=references)

    def _lawsuits(self, raw: RawRow) -> Checked:
        reasons: list[str] = []
        lawsuit_id, company_id = str(raw["lawsuit_id"]), str(raw["company_id"])
        if not LAWSUIT_ID.match(lawsuit_id):
            reasons.append("format:lawsuit_id")
        if not COMPANY_ID.match(company_id):
            reasons.append("format:company_id")
        props = {
            "kind": LAWSUIT_KIND,
            "case_no": lawsuit_id,
            "cause_type": _number(raw, "cause_type", reasons, integer=True),
            "cause_category": raw.get("cause_category_zh"),
            "court_level": _number(raw, "court_level", reasons, integer=True),
            "result": _number(raw, "result", reasons, integer=True),
            "months_before_observation": _number(
                raw, "months_before_observation", reasons, integer=True
            ),
            "status": "有效",
            "source": "smesd",
        }
        if reasons:
            return Checked(reasons=tuple(reasons))
        row: Row = {
            "vid": f"smesd:{lawsuit_id}",
            "uscc": company_id,
            "props": props,
            "date": None,
            "removed_on": None,
        }
        return Checked(
            writes=(("ingest_violations", row),),
            key=lawsuit_id,
            references=((Reference("company_id", "enterprise", "company_id"), company_id),),
        )
