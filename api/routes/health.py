"""Liveness, readiness and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from riskgraph.api.deps import MetricsReader, StateDep
from riskgraph.api.metrics import CONTENT_TYPE
from riskgraph.api.schemas import Health, Ready
from riskgraph.errors import RiskgraphError

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="Liveness (no auth)")
def healthz() -> Health:
    """The process is up; says nothing about the database."""
    return Health()


@router.get(
    "/readyz",
    response_model=Ready,
    summary="Readiness (no auth)",
    responses={503: {"model": Ready, "description": "the database is unreachable"}},
)
def readyz(state: StateDep) -> Response:
    """Ready when the graph database answers; 503 with ``Retry-After`` otherwise."""
    try:
        state.holder.ping()
    except RiskgraphError:
        body = Ready(status="unavailable", database="unreachable")
        return JSONResponse(
            body.model_dump(),
            status_code=503,
            headers={"Retry-After": str(state.api.retry_after_s)},
        )
    body = Ready(status="ready", database="reachable", dialect=state.holder.dialect)
    return JSONResponse(body.model_dump())


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE: {}}, "description": "Prometheus text format"}},
)
def metrics(state: StateDep, _: MetricsReader) -> Response:
    """Request counts and latencies per route template, in the Prometheus text format."""
    return Response(state.metrics.render(), media_type=CONTENT_TYPE)
