"""Ad-hoc read-only Cypher for analysts."""

from __future__ import annotations

import json
import math
import time
from typing import Any

from fastapi import APIRouter, Request

from riskgraph.api.deps import AuditDep, CypherRunner, StateDep, StoreDep, request_context
from riskgraph.api.encoding import jsonable
from riskgraph.api.errors import CypherLimitExceeded, CypherMalformed
from riskgraph.api.readonly import check_params, check_query, require_read_plan
from riskgraph.api.schemas import CypherRequest, CypherResult, ErrorBody
from riskgraph.errors import ReadOnlyViolation
from riskgraph.graph.store import GraphStore, Row

router = APIRouter(tags=["cypher"])


@router.post(
    "/cypher",
    response_model=CypherResult,
    summary="Run one read-only Cypher statement",
    responses={
        400: {
            "model": ErrorBody,
            "description": "not one clean statement, refused by Neo4j's parser, past a "
            "limit (nesting, size, hops, range(), LIMIT, result bytes), or a query error",
        },
        403: {"model": ErrorBody, "description": "writes, loads or a forbidden procedure"},
        503: {"model": ErrorBody, "description": "the database or the Cypher checker is down"},
        504: {"model": ErrorBody, "description": "ran past the time limit"},
    },
)
def run_cypher(
    body: CypherRequest,
    request: Request,
    state: StateDep,
    holder: StoreDep,
    _: CypherRunner,
    audit: AuditDep,
) -> CypherResult:
    """One statement that only reads; see docs/api.md for the rules. At most
    ``cypher_max_rows`` rows come back (``truncated`` says when there were more)."""
    started = time.perf_counter()
    cap = state.api.cypher_max_rows
    timeout_s = min(body.timeout_s or math.inf, state.api.cypher_timeout_s)
    logged = {"query": body.query, "params": body.params}
    try:
        check_params(body.params)
        checked = check_query(body.query, state.policy, body.params)
        if state.parser is not None:
            state.parser.check(checked.text)

        def run(store: GraphStore) -> list[Row]:
            require_read_plan(store, checked.text, body.params)
            return store.read(checked.text, timeout_s=timeout_s, **body.params)

        with state.queries.running(request_context(request).request_id, checked.text):
            rows = holder.call(run)
        truncated = len(rows) > cap
        safe: list[dict[str, Any]] = [jsonable(row) for row in rows[:cap]]
        _check_size(safe, state.api.cypher_max_bytes)
    except Exception as exc:  # every outcome is audited, the unexpected ones too
        refused = isinstance(exc, ReadOnlyViolation | CypherMalformed)
        if isinstance(exc, ReadOnlyViolation):
            state.metrics.cypher_refused.inc()
        audit(
            "cypher",
            params=logged,
            rows=0,
            outcome="refused" if refused else "error",
            error=type(exc).__name__,
        )
        raise
    columns = list(safe[0]) if safe else []
    audit("cypher", params=logged, rows=len(safe), truncated=truncated)
    return CypherResult(
        columns=columns,
        rows=safe,
        row_count=len(safe),
        truncated=truncated,
        elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
    )


def _check_size(rows: list[dict[str, Any]], limit: int) -> None:
    size = len(json.dumps(rows, ensure_ascii=False, default=str).encode())
    if size > limit:
        raise CypherLimitExceeded(
            f"the result is {size:,} bytes, more than the {limit:,} an ad-hoc query may "
            "return; select fewer columns or rows"
        )
