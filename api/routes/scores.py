"""Risk scores for classification services: one, a batch, the history, the export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response, StreamingResponse

from riskgraph.analytics import scores
from riskgraph.analytics.enterprises import EnterpriseNotFound
from riskgraph.api.deps import AuditDep, BulkScoreReader, ScoreReader, StateDep, StoreDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.routes.enterprises import RISK_FIELDS, risk_fields
from riskgraph.api.schemas import (
    EXAMPLE_USCC,
    NO_CONTROL,
    Assessment,
    BatchRequest,
    BatchResponse,
    ErrorBody,
    Score,
    ScoreHistory,
)
from riskgraph.graph.store import Row

router = APIRouter(prefix="/scores", tags=["scores"])

EXPORT_COLUMNS = (
    "uscc",
    "name",
    "risk_class",
    "risk_score",
    "p_A",
    "p_B",
    "p_C",
    "p_D",
    "model_version",
    "scored_at",
)
UsccPath = Annotated[
    str, Path(min_length=1, max_length=64, pattern=NO_CONTROL, examples=[EXAMPLE_USCC])
]


class ExportFormat(StrEnum):
    ndjson = "ndjson"
    csv = "csv"


def _score(row: Row) -> Score:
    return Score.model_validate(_score_fields(row))


def _score_fields(row: Row) -> dict[str, Any]:
    """A score as plain fields; batches validate them all at once (10,000 models
    built one by one cost more than the database query)."""
    fields = {name: row.get(name) for name in RISK_FIELDS}
    if fields["scored_at"] is not None:
        fields["scored_at"] = str(fields["scored_at"])
    fields.update(uscc=row["uscc"], name=row.get("name"), scored=fields["risk_class"] is not None)
    return fields


@router.get(
    "/{uscc}",
    response_model=Score,
    summary="Current risk result of one enterprise",
    responses={404: {"model": ErrorBody}},
)
def get_score(uscc: UsccPath, holder: StoreDep, _: ScoreReader, audit: AuditDep) -> Score:
    """Null risk fields (and ``scored: false``) until the risk model has scored it."""
    key = uscc.strip().upper()
    rows = holder.call(lambda store: scores.scores_by_keys(store, [key]))
    if not rows:
        raise EnterpriseNotFound(f"no enterprise with USCC {key}")
    score = _score(rows[0])
    audit("scores.read", params={"uscc": key}, rows=1, risk_class=score.risk_class)
    return score


@router.post(
    ":batch",
    response_model=BatchResponse,
    summary="Current risk results of up to 10,000 enterprises",
    responses={422: {"model": ErrorBody}},
)
def batch(body: BatchRequest, holder: StoreDep, _: BulkScoreReader, audit: AuditDep) -> Response:
    """Keys are USCCs (or the external keys of sources without one); duplicates count once."""
    keys = list(dict.fromkeys(key.strip().upper() for key in body.keys))
    rows = holder.call(lambda store: scores.scores_by_keys(store, keys))
    found = {row["uscc"]: _score_fields(row) for row in rows}
    missing = [key for key in keys if key not in found]
    audit("scores.batch", params={"keys": keys}, rows=len(found), missing=len(missing))
    response = BatchResponse.model_validate(
        {"scores": [found[k] for k in keys if k in found], "missing": missing}
    )
    # Serialised here: FastAPI would validate the 10,000 scores a second time.
    return Response(response.model_dump_json(), media_type="application/json")


@router.get(
    "/{uscc}/history",
    response_model=ScoreHistory,
    summary="Risk assessments of one enterprise, newest first",
    responses={404: {"model": ErrorBody}},
)
def history(
    uscc: UsccPath,
    holder: StoreDep,
    _: ScoreReader,
    audit: AuditDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ScoreHistory:
    """Empty when the model has not written ``RiskAssessment`` nodes for it (yet)."""
    key = uscc.strip().upper()
    rows = holder.call(lambda store: scores.score_history(store, key, limit=limit))
    assessments = [
        Assessment.model_validate(risk_fields(row).model_dump())
        for row in rows
        if row.get("risk_class") is not None or row.get("scored_at") is not None
    ]
    audit("scores.history", params={"uscc": key, "limit": limit}, rows=len(assessments))
    return ScoreHistory(uscc=key, assessments=assessments)


@router.get(
    ":export",
    summary="Stream every score (NDJSON or CSV), in key order",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"application/x-ndjson": {}, "text/csv": {}},
            "description": "one score per line",
        },
        422: {"model": ErrorBody},
    },
)
def export(
    state: StateDep,
    holder: StoreDep,
    _: BulkScoreReader,
    audit: AuditDep,
    fmt: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.ndjson,
    as_of: Annotated[
        str | None,
        Query(
            max_length=40,
            description="date or ISO datetime: each enterprise's latest assessment scored by then "
            "(from its history) instead of its current score",
            examples=["2026-01-01"],
        ),
    ] = None,
    model: Annotated[
        str | None, Query(max_length=200, pattern=NO_CONTROL, description="model version")
    ] = None,
    after: Annotated[
        str,
        Query(
            max_length=64,
            pattern=NO_CONTROL,
            description="resume after this key (the last one received)",
        ),
    ] = "",
) -> StreamingResponse:
    """Read page by page (keyset on the key) and streamed, so any size fits in memory.
    Without ``as_of``: the current scores; enterprises never scored are left out."""
    before = scores.as_of_bound(as_of) if as_of else None
    page_size = state.api.export_page_size

    def read(start: str) -> list[Row]:
        return holder.call(
            lambda store: scores.score_page(
                store, after=start, limit=page_size, model=model, before=before
            )
        )

    # The first page is read before the response starts, so an unreachable
    # database is still a 503 rather than a broken stream.
    first = read(after)
    audit_params = {"format": fmt.value, "as_of": as_of, "model": model, "after": after}

    def pages() -> Iterator[list[Row]]:
        page = first
        while page:
            yield [row for row in page if row.get("risk_class") is not None]
            if len(page) < page_size:
                return
            page = read(page[-1]["uscc"])

    def lines() -> Iterator[str]:
        sent = 0
        outcome = "aborted"
        try:
            if fmt is ExportFormat.csv:
                yield _csv_line(EXPORT_COLUMNS)
            for page in pages():
                for row in page:
                    score = _score(row).model_dump(include=set(EXPORT_COLUMNS))
                    if fmt is ExportFormat.csv:
                        yield _csv_line([_csv_safe(score[c]) for c in EXPORT_COLUMNS])
                    else:
                        ordered = {c: jsonable(score[c]) for c in EXPORT_COLUMNS}
                        yield json.dumps(ordered, ensure_ascii=False) + "\n"
                    sent += 1
            outcome = "ok"
        finally:
            audit("scores.export", params=audit_params, rows=sent, outcome=outcome)

    media = "text/csv; charset=utf-8" if fmt is ExportFormat.csv else "application/x-ndjson"
    headers = {"Content-Disposition": f'attachment; filename="scores.{fmt.value}"'}
    return StreamingResponse(lines(), media_type=media, headers=headers)


def _csv_line(values: Any) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def _csv_safe(value: Any) -> Any:
    """Keep spreadsheet programs from reading a text cell as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
