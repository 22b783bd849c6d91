"""Credit repair (信用修复): application → review → decision.

A firm (through the official who enters it, the applicant) applies to repair some of
its own violations that are not repaired yet; a reviewer gives an opinion; a decider
other than the applicant approves or rejects with reasons. An approval marks the
violations 已修复 (``removed_on`` the decision day) and re-scores the firm at once with
the current model, so its assessment history shows the class before and after; the
application keeps both. Statuses move submitted → reviewed → approved | rejected,
checked in :data:`TRANSITIONS` only.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from riskgraph.analytics.clock import timestamp
from riskgraph.analytics.pages import Page, page_of
from riskgraph.errors import Conflict, Invalid, NotFound
from riskgraph.graph.schema import apply_ddl
from riskgraph.graph.store import GraphStore
from riskgraph.reference import VIOLATION_STATUSES

SUBMITTED, REVIEWED, APPROVED, REJECTED = "submitted", "reviewed", "approved", "rejected"
REPAIR_STATUSES = (SUBMITTED, REVIEWED, APPROVED, REJECTED)
PENDING = (SUBMITTED, REVIEWED)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    SUBMITTED: (REVIEWED,),
    REVIEWED: (APPROVED, REJECTED),
    APPROVED: (),
    REJECTED: (),
}
"""Allowed status changes: a decision needs a review first and is final."""
REPAIRED = VIOLATION_STATUSES[2]  # 已修复
MAX_TEXT = 2000
MAX_VIOLATIONS = 200
NO_MODEL = "not re-scored: no model"


class RepairNotFound(NotFound):
    """No credit repair application has the id, or the firm does not exist."""


class RepairConflict(Conflict):
    """The change is not allowed in the application's status, by this person, or for
    these violations (another firm's, repaired already, claimed by a pending
    application)."""


class RepairError(Invalid):
    """An application, review or decision is malformed (no violations, no reasons)."""


@dataclass(frozen=True)
class RepairFilter:
    """Which applications to list; ``None`` means any."""

    status: str | None = None
    risk_class: str | None = None
    month: str | None = None

    def params(self) -> dict[str, Any]:
        if self.status is not None and self.status not in REPAIR_STATUSES:
            raise RepairError(f"unknown status {self.status!r}; use {', '.join(REPAIR_STATUSES)}")
        return {"status": self.status, "class": self.risk_class, "month": self.month}


def _text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise RepairError(f"{what} is required")
    if len(text) > MAX_TEXT:
        raise RepairError(f"{what} is longer than {MAX_TEXT} characters")
    return text


def _month(moment: datetime | None) -> str:
    return timestamp(moment)[:7]


def firm_violations(store: GraphStore, uscc: str) -> dict[str, Any]:
    """The firm's name, class and violations, each with ``repairable`` (not repaired
    and not claimed by a pending application); raises RepairNotFound."""
    key = uscc.strip().upper()
    rows = store.read(store.query_text("repair_firm_violations"), uscc=key, pending=list(PENDING))
    if not rows:
        raise RepairNotFound(f"no enterprise {key}")
    row = rows[0]
    claimed = {vid for vids in row["claimed"] for vid in vids or ()}
    violations = [
        {**v, "repairable": v["status"] != REPAIRED and v["vid"] not in claimed}
        for v in row["violations"]
    ]
    return {"uscc": key, "name": row["name"], "class": row["class"], "violations": violations}


def apply(
    store: GraphStore,
    uscc: str,
    violations: list[str],
    reason: str,
    *,
    applicant: str,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Record an application to repair ``violations`` (vids or case numbers) of the
    firm; returns it. Violations must be the firm's, not repaired and not in another
    pending application (RepairConflict)."""
    reason = _text(reason, "a reason")
    wanted = list(dict.fromkeys(v.strip() for v in violations if v and v.strip()))
    if not wanted:
        raise RepairError("name at least one violation to repair")
    if len(wanted) > MAX_VIOLATIONS:
        raise RepairError(f"at most {MAX_VIOLATIONS} violations per application")
    firm = firm_violations(store, uscc)
    by_ref = {v["vid"]: v for v in firm["violations"]}
    by_ref.update({v["case_no"]: v for v in firm["violations"] if v["case_no"]})
    vids = []
    for ref in wanted:
        found = by_ref.get(ref)
        if found is None:
            raise RepairConflict(f"{ref!r} is not a violation of {firm['uscc']}")
        if found["status"] == REPAIRED:
            raise RepairConflict(f"violation {ref!r} is repaired already")
        if not found["repairable"]:
            raise RepairConflict(f"violation {ref!r} is in another pending application")
        vids.append(found["vid"])
    apply_ddl(store, "repair_schema")
    rid = f"CR-{timestamp(now)[:10].replace('-', '')}-{uuid.uuid4().hex[:8]}"
    store.write(
        store.query_text("repair_create"),
        rid=rid,
        uscc=firm["uscc"],
        vids=sorted(set(vids)),
        reason=reason,
        applicant=applicant,
        now=timestamp(now),
        month=_month(now),
        status=SUBMITTED,
        class_before=firm["class"],
    )
    return get_repair(store, rid)


def get_repair(store: GraphStore, rid: str) -> dict[str, Any]:
    """One application with its firm's name, current class and violations."""
    rows = store.read(store.query_text("repair_get"), rid=rid)
    if not rows:
        raise RepairNotFound(f"no credit repair application {rid!r}")
    row = rows[0]
    return {**row["repair"], "name": row["name"], "class": row["class"], "items": row["violations"]}


def list_repairs(
    store: GraphStore, filters: RepairFilter | None = None, *, limit: int = 50, offset: int = 0
) -> Page:
    """The queue: C and D firms first, then the oldest application."""
    rows = store.read(
        store.query_text("repair_page"),
        skip=offset,
        limit=limit + 1,
        **(filters or RepairFilter()).params(),
    )
    items = [{**row["repair"], "name": row["name"], "class": row["class"]} for row in rows]
    return page_of(items, limit=limit, offset=offset)


def _check(current: str, target: str, rid: str) -> None:
    """The one place transitions are checked."""
    allowed = TRANSITIONS[current]
    if target not in allowed:
        raise RepairConflict(
            f"application {rid} is {current}; it cannot become {target} "
            f"(allowed from {current}: {', '.join(allowed) or 'none'})"
        )


def review(
    store: GraphStore, rid: str, opinion: str, *, reviewer: str, now: datetime | None = None
) -> dict[str, Any]:
    """Record the reviewer's opinion: submitted → reviewed."""
    opinion = _text(opinion, "an opinion")
    current = get_repair(store, rid)
    _check(current["status"], REVIEWED, rid)
    rows = store.write(
        store.query_text("repair_review"),
        rid=rid,
        from_status=current["status"],
        to_status=REVIEWED,
        opinion=opinion,
        reviewer=reviewer,
        now=timestamp(now),
    )
    if not rows:
        raise RepairConflict(f"application {rid} changed meanwhile; read it again")
    return get_repair(store, rid)


def decide(
    store: GraphStore,
    rid: str,
    approve: bool,
    reasons: str,
    *,
    decider: str,
    model_dir: Path | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Approve or reject a reviewed application with reasons; the applicant cannot
    decide their own. An approval marks the violations 已修复 and re-scores the firm
    with the newest model under ``model_dir`` (recorded as not re-scored when there is
    none)."""
    reasons = _text(reasons, "the reasons")
    current = get_repair(store, rid)
    target = APPROVED if approve else REJECTED
    _check(current["status"], target, rid)
    if decider == current["applicant"]:
        raise RepairConflict("the applicant cannot decide their own application")
    rows = store.write(
        store.query_text("repair_decide"),
        rid=rid,
        from_status=current["status"],
        to_status=target,
        approve=approve,
        reasons=reasons,
        decider=decider,
        now=timestamp(now),
        today=timestamp(now)[:10],
        month=_month(now),
        repaired=REPAIRED,
        class_before=current["class"],
    )
    if not rows:
        raise RepairConflict(f"application {rid} changed meanwhile; read it again")
    if approve:
        _rescore(store, rid, current["uscc"], model_dir)
    return get_repair(store, rid)


def _rescore(store: GraphStore, rid: str, uscc: str, model_dir: Path | None) -> None:
    from riskgraph.gnn.versions import ModelError, resolve_version

    note, version, after = NO_MODEL, None, None
    if model_dir is not None:
        try:
            resolve_version(model_dir)
        except ModelError:
            pass
        else:
            from riskgraph.gnn.rescore import rescore_keys

            result = rescore_keys(store, model_dir, [uscc])
            version = result.model_version
            after = result.results.get(uscc, {}).get("class")
            note = f"re-scored with {version} in {result.seconds:.1f} s"
    store.write(
        store.query_text("repair_rescored"),
        rid=rid,
        class_after=after,
        rescore=note,
        model_version=version,
    )


def monthly_counts(store: GraphStore) -> list[dict[str, Any]]:
    """Per month: applications received, approved and rejected (by decision month),
    and still pending (by month received), oldest month first."""
    received: Counter[str] = Counter()
    decided: dict[str, Counter[str]] = {APPROVED: Counter(), REJECTED: Counter()}
    pending: Counter[str] = Counter()
    for row in store.read(store.query_text("repair_stats")):
        n = int(row["n"])
        received[row["applied_month"]] += n
        if row["status"] in decided and row["decided_month"]:
            decided[row["status"]][row["decided_month"]] += n
        elif row["status"] in PENDING:
            pending[row["applied_month"]] += n
    months = sorted(set(received) | set(decided[APPROVED]) | set(decided[REJECTED]))
    return [
        {
            "month": month,
            "received": received[month],
            "approved": decided[APPROVED][month],
            "rejected": decided[REJECTED][month],
            "pending": pending[month],
        }
        for month in months
    ]
