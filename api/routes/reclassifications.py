"""Monthly re-classification: the runs with their transition matrices, the change feed
for downstream random-inspection (双随机) systems (paged, and as a streamed export), and
the regional and industry review.

The feed lives under ``/scores/changes``: this router is included before the scores
router, whose ``/scores/{uscc}`` would otherwise take ``changes`` for a key.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from riskgraph.analytics import class_changes, review
from riskgraph.analytics.class_changes import ChangeFilter
from riskgraph.analytics.months import MONTH_PATTERN
from riskgraph.analytics.review import ReviewRule
from riskgraph.api.deps import AuditDep, BulkScoreReader, ScoreReader, StatsReader, StoreDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.schemas import ErrorBody
from riskgraph.api.store import StoreHolder
from riskgraph.graph.store import Row

router = APIRouter()

Month = Annotated[str, Query(pattern=MONTH_PATTERN, examples=["2026-06"])]
ClassName = Literal["A", "B", "C", "D"]
Region = Annotated[
    str | None,
    Query(pattern=r"^\d{1,6}$", description="region code prefix (行政区划代码)", examples=["5101"]),
]
EXPORT_COLUMNS = ("month", "key", "name", "previous", "current", "score", "region_code", "kind")


class ClassChangeOut(BaseModel):
    key: str = Field(examples=["91510100MA000001XY"])
    name: str | None = None
    month: str = Field(examples=["2026-06"])
    previous: str | None = Field(description="the previous month's class; null: a new firm")
    current: str = Field(examples=["C"])
    score: float | None = Field(default=None, description="risk score, P(C) + P(D)")
    region_code: str | None = None
    industry_section: str | None = None
    kind: str | None = Field(default=None, examples=["enterprise"])


class ClassChangePage(BaseModel):
    items: list[ClassChangeOut]
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page; null on the last")


class Reclassification(BaseModel):
    month: str = Field(examples=["2026-06"])
    previous_month: str | None = None
    model_version: str | None = None
    model: str | None = None
    scored: int = 0
    written: int = 0
    changed: int = Field(0, description="firms classified both months whose class changed")
    new_firms: int = Field(0, description="firms the previous month did not classify")
    gone: int = Field(0, description="firms the previous month classified, not this one")
    feed: int = Field(0, description="records of the month's change feed")
    started_at: str | None = None
    finished_at: str | None = None
    seconds: float | None = None
    class_counts: dict[str, int] = {}
    transitions: dict[str, dict[str, int]] = Field(
        {}, description="previous class → current class → firms"
    )
    new: dict[str, int] = Field({}, description="new firms per class")


class ReclassificationList(BaseModel):
    runs: list[Reclassification]


class ExportFormat(StrEnum):
    ndjson = "ndjson"
    csv = "csv"


def _filters(
    since: str, until: str | None, risk_class: str | None, region: str | None
) -> ChangeFilter:
    return ChangeFilter(since=since, until=until, current=risk_class, region=region)


@router.get(
    "/scores/changes",
    response_model=ClassChangePage,
    tags=["reclassification"],
    summary="Change feed: firms whose class changed (or that are new) since a month",
    responses={422: {"model": ErrorBody}},
)
def changes(
    holder: StoreDep,
    _: ScoreReader,
    audit: AuditDep,
    since: Month,
    until: Annotated[str | None, Query(pattern=MONTH_PATTERN)] = None,
    risk_class: Annotated[ClassName | None, Query(alias="class")] = None,
    region: Region = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> ClassChangePage:
    """Records of the finished months from ``since`` on (inclusive), month then key
    order; ``previous`` is null for firms new that month. ``class`` filters the new
    class. ``next_offset`` is null on the last page."""
    filters = _filters(since, until, risk_class, region)
    page = holder.call(
        lambda store: class_changes.change_page(store, filters, limit=limit, offset=offset)
    )
    items = [ClassChangeOut.model_validate(jsonable(row)) for row in page.items]
    params = {"since": since, "until": until, "class": risk_class, "region": region}
    audit("scores.changes", params={**params, "limit": limit, "offset": offset}, rows=len(items))
    return ClassChangePage(items=items, limit=limit, offset=offset, next_offset=page.next_offset)


@router.get(
    "/scores/changes:export",
    tags=["reclassification"],
    summary="Stream the change feed since a month (NDJSON or CSV)",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"application/x-ndjson": {}, "text/csv": {}},
            "description": "one change per line, month then key order",
        },
        422: {"model": ErrorBody},
    },
)
def export_changes(
    holder: StoreDep,
    _: BulkScoreReader,
    audit: AuditDep,
    since: Month,
    until: Annotated[str | None, Query(pattern=MONTH_PATTERN)] = None,
    risk_class: Annotated[ClassName | None, Query(alias="class")] = None,
    region: Region = None,
    fmt: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.ndjson,
) -> StreamingResponse:
    """Read month by month, a page at a time (keyset on the key), and streamed."""
    filters = _filters(since, until, risk_class, region)
    # the months are read before the response starts: an unreachable database is a 503
    holder.call(lambda store: filters.months(store))

    def lines() -> Iterator[str]:
        sent, outcome = 0, "aborted"
        try:
            if fmt is ExportFormat.csv:
                yield _csv_line(EXPORT_COLUMNS)
            for page in _stream(holder, filters):
                for row in page:
                    item = ClassChangeOut.model_validate(jsonable(row)).model_dump()
                    if fmt is ExportFormat.csv:
                        yield _csv_line([_csv_safe(item[c]) for c in EXPORT_COLUMNS])
                    else:
                        yield json.dumps(item, ensure_ascii=False) + "\n"
                    sent += 1
            outcome = "ok"
        finally:
            params = {"since": since, "until": until, "class": risk_class, "region": region}
            audit("scores.changes_export", params={**params, "format": fmt.value}, rows=sent,
                  outcome=outcome)  # fmt: skip

    media = "text/csv; charset=utf-8" if fmt is ExportFormat.csv else "application/x-ndjson"
    headers = {"Content-Disposition": f'attachment; filename="changes-{since}.{fmt.value}"'}
    return StreamingResponse(lines(), media_type=media, headers=headers)


def _stream(holder: StoreHolder, filters: ChangeFilter) -> Iterator[list[Row]]:
    """The feed's pages, each read through the store holder as it is needed."""
    pages = holder.call(lambda store: class_changes.change_pages(store, filters))
    while True:
        page = holder.call(lambda store: next(pages, None))
        if page is None:
            return
        yield page


def _csv_line(values: Any) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def _csv_safe(value: Any) -> Any:
    """Keep spreadsheet programs from reading a text cell as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@router.get(
    "/reclassifications",
    response_model=ReclassificationList,
    tags=["reclassification"],
    summary="Monthly re-classification runs, newest first, with counts and transitions",
)
def list_runs(holder: StoreDep, _: ScoreReader, audit: AuditDep) -> ReclassificationList:
    runs = holder.call(class_changes.list_runs)
    audit("reclassifications.list", params={}, rows=len(runs))
    return ReclassificationList(runs=[Reclassification.model_validate(run) for run in runs])


@router.get(
    "/reclassifications/{month}",
    response_model=Reclassification,
    tags=["reclassification"],
    summary="One month's re-classification: counts per class and the transition matrix",
    responses={404: {"model": ErrorBody}},
)
def get_run(
    month: Annotated[str, Path(pattern=MONTH_PATTERN, examples=["2026-06"])],
    holder: StoreDep,
    _: ScoreReader,
    audit: AuditDep,
) -> Reclassification:
    run = holder.call(lambda store: class_changes.get_run(store, month))
    audit("reclassifications.read", params={"month": month}, rows=1)
    return Reclassification.model_validate(run)


@router.get(
    "/review",
    tags=["reclassification"],
    summary="Regional and industry review: class shares over the months, rising ones flagged",
    responses={422: {"model": ErrorBody}},
)
def get_review(
    holder: StoreDep,
    _: StatsReader,
    audit: AuditDep,
    dimension: Literal["region", "industry"] = "region",
    level: Literal["province", "city", "district"] = "city",
    months: Annotated[int, Query(ge=1, le=review.MAX_MONTHS)] = 6,
    kind: Annotated[Literal["enterprise", "individual", "cooperative"] | None, Query()] = None,
    min_firms: Annotated[int, Query(ge=0, le=10_000_000)] = 30,
    top: Annotated[int, Query(ge=0, le=100)] = 5,
    threshold: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
) -> dict[str, Any]:
    """Per region (``level``) or industry section, and optionally one entity ``kind``:
    counts and shares of the latest month, the C+D share per month, its change over the
    last month and over the window (``rise``); ``flagged`` marks the ``top`` rows with
    the largest rise among those with at least ``min_firms`` firms whose rise exceeds
    ``threshold``."""
    rule = ReviewRule(min_firms=min_firms, top=top, threshold=threshold)
    answer = holder.call(
        lambda store: review.review(
            store, dimension=dimension, level=level, months=months, kind=kind, rule=rule
        )
    )
    params = {"dimension": dimension, "level": level, "months": months, "kind": kind}
    audit("review.read", params=params, rows=len(answer["rows"]))
    return answer
