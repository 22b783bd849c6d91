"""The riskgraph input format (docs/data-contract.md) mapped onto the graph model."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from riskgraph.graph.store import Row
from riskgraph.ingest import contract
from riskgraph.ingest.loader import Checked, Reference
from riskgraph.ingest.privacy import person_key
from riskgraph.ingest.sources import WIDTH, RawRow

LEGAL_REPRESENTATIVE = "法定代表人"
RATIO_TOLERANCE = 0.001

_ENTERPRISE_PROPS = (
    "name",
    "org_type",
    "status",
    "registered_capital",
    "paid_in_capital",
    "industry_code",
    "region_code",
    "phone",
    "email",
)
_VIOLATION_PROPS = ("kind", "case_no", "authority", "amount", "status")
_LICENCE_PROPS = ("licence_no", "licence_kind", "holder_name", "region_code", "authority")
_REPORT_PROPS = ("employees", "revenue", "total_assets")
_ID_COLUMNS = frozenset({"id_number", "investor_key"})
_ID_LIKE = re.compile(r"^\s*\d{15,17}[\dXx]?\s*$")


def mask_id_number(value: str) -> str:
    """Keep a resident ID number's first 6 and last 2 characters (region and check) only.

    Values that are not ID-shaped (a USCC as ``investor_key``) pass unchanged.
    """
    if not _ID_LIKE.match(value):
        return value
    text = value.strip()
    return text[:6] + "*" * (len(text) - 8) + text[-2:]


def _ref(field: str, target: str, column: str | None = None) -> Reference:
    return Reference(field=field, target=target, column=column or field)


class RegistryFormat:
    """Contract files (enterprises, persons, positions, investments, ...) as graph writes."""

    name = "riskgraph"
    kinds: tuple[str, ...] = tuple(contract.SPECS)

    def __init__(
        self,
        person_secret: bytes,
        *,
        today: date | None = None,
        declared_extra: frozenset[str] = frozenset(),
    ) -> None:
        self._secret = person_secret
        self._today = today or date.today()
        self._extra = declared_extra

    def missing_columns(self, kind: str, header: list[str]) -> list[str]:
        return contract.missing_columns(kind, header)

    def registers(self, kind: str) -> str | None:
        return {"enterprises": "enterprise", "persons": "person"}.get(kind)

    def aggregate_limit(self, kind: str) -> tuple[float, str] | None:
        return (1.0 + RATIO_TOLERANCE, "ratio_sum:ratio") if kind == "investments" else None

    def redact(self, raw: RawRow) -> RawRow:
        """Mask resident ID numbers: the quarantine file must not hold them either."""
        return {
            column: mask_id_number(value) if column in _ID_COLUMNS and value else value
            for column, value in raw.items()
        }

    def check(self, kind: str, raw: RawRow) -> Checked:
        if WIDTH in raw:
            return Checked(reasons=("field_count",))
        result = contract.validate_row(kind, raw, today=self._today, declared_extra=self._extra)
        if result.record is None:
            return Checked(reasons=tuple(result.reasons))
        checked: Checked = getattr(self, f"_{kind}")(result.record)
        return checked

    def _pid(self, id_number: str) -> str:
        return person_key(id_number, self._secret)

    def _enterprises(self, r: dict[str, Any]) -> Checked:
        props = {name: r.get(name) for name in _ENTERPRISE_PROPS}
        code = r.get("industry_code")
        props["industry_section"] = code[0] if code else None
        props["key_kind"] = "uscc"
        props.update(r.get("extra") or {})
        row: Row = {
            "uscc": r["uscc"],
            "props": props,
            "established": r.get("established"),
            "aid": r.get("aid"),
            "address": r.get("address_norm"),
            "region_code": r.get("region_code"),
        }
        return Checked(writes=(("ingest_enterprises", row),), key=r["uscc"])

    def _persons(self, r: dict[str, Any]) -> Checked:
        pid = self._pid(r["id_number"])
        props = {"name": r["name"], **(r.get("extra") or {})}
        return Checked(writes=(("ingest_persons", {"pid": pid, "props": props}),), key=pid)

    def _positions(self, r: dict[str, Any]) -> Checked:
        pid = self._pid(r["id_number"])
        row: Row = {"pid": pid, "uscc": r["uscc"], "since": r.get("since"), "until": r.get("until")}
        if r["role"] == LEGAL_REPRESENTATIVE:
            query = "ingest_legal_reps"
        else:
            query, row["role"] = "ingest_positions", r["role"]
        return Checked(
            writes=((query, row),),
            key="|".join((pid, r["uscc"], r["role"])),
            references=(
                (_ref("id_number", "person"), pid),
                (_ref("uscc", "enterprise"), r["uscc"]),
            ),
        )

    def _investments(self, r: dict[str, Any]) -> Checked:
        person = r["investor_kind"] == "person"
        investor = self._pid(r["investor_key"]) if person else r["investor_key"]
        row: Row = {
            "investor": investor,
            "investee": r["investee_uscc"],
            "props": {"ratio": r.get("ratio"), "amount": r.get("amount")},
            "since": r.get("since"),
        }
        query = "ingest_person_investments" if person else "ingest_enterprise_investments"
        return Checked(
            writes=((query, row),),
            key="|".join((r["investor_kind"], investor, r["investee_uscc"])),
            references=(
                (_ref("investor_key", "person" if person else "enterprise"), investor),
                (_ref("investee_uscc", "enterprise"), r["investee_uscc"]),
            ),
            aggregate=(r["investee_uscc"], r.get("ratio") or 0.0),
        )

    def _branches(self, r: dict[str, Any]) -> Checked:
        row: Row = {"branch": r["branch_uscc"], "parent": r["parent_uscc"], "since": r.get("since")}
        return Checked(
            writes=(("ingest_branches", row),),
            key=r["branch_uscc"],
            references=(
                (_ref("branch_uscc", "enterprise"), r["branch_uscc"]),
                (_ref("parent_uscc", "enterprise"), r["parent_uscc"]),
            ),
        )

    def _violations(self, r: dict[str, Any]) -> Checked:
        vid = hashlib.sha1(f"{r['uscc']}|{r['case_no']}".encode(), usedforsecurity=False)
        row: Row = {
            "vid": vid.hexdigest()[:20],
            "uscc": r["uscc"],
            "props": {name: r.get(name) for name in _VIOLATION_PROPS},
            "date": r["date"],
            "removed_on": r.get("removed_on"),
        }
        return Checked(
            writes=(("ingest_violations", row),),
            key=row["vid"],
            references=((_ref("uscc", "enterprise"), r["uscc"]),),
        )

    def _labels(self, r: dict[str, Any]) -> Checked:
        row: Row = {"uscc": r["uscc"], "class": r["class"], "as_of": r["as_of"]}
        return Checked(
            writes=(("ingest_labels", row),),
            key=f"{r['uscc']}|{r['as_of']}",
            references=((_ref("uscc", "enterprise"), r["uscc"]),),
        )

    def _licences(self, r: dict[str, Any]) -> Checked:
        lid = hashlib.sha1(
            f"{r['licence_kind']}|{r['licence_no']}".encode(), usedforsecurity=False
        ).hexdigest()[:20]
        props = {name: r.get(name) for name in _LICENCE_PROPS}
        props["address"] = r.get("address_norm")
        props["aid"] = r.get("aid")
        row: Row = {
            "lid": lid,
            "uscc": r["uscc"],
            "props": props,
            "issued": r["issued"],
            "valid_until": r.get("valid_until"),
        }
        return Checked(
            writes=(("ingest_licences", row),),
            key=lid,
            references=((_ref("uscc", "enterprise"), r["uscc"]),),
        )

    def _annual_reports(self, r: dict[str, Any]) -> Checked:
        rid = f"{r['uscc']}|{r['report_year']}"
        props = {name: r.get(name) for name in _REPORT_PROPS}
        props["year"] = r["report_year"]
        row: Row = {"rid": rid, "uscc": r["uscc"], "props": props, "filed_on": r.get("filed_on")}
        return Checked(
            writes=(("ingest_annual_reports", row),),
            key=rid,
            references=((_ref("uscc", "enterprise"), r["uscc"]),),
        )
