"""FastAPI dependencies: app state, the caller's principal, permissions, the audit.

They are ``async def`` although none awaits: FastAPI runs plain ``def``
dependencies in its thread pool, one hop each, and these are cheap in-memory
steps (the key file is re-read only when it changes). Only the endpoints, which
wait on the database, run in the pool.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from riskgraph.api.audit import AuditLog
from riskgraph.api.auth import KeyStore, Permission, Principal
from riskgraph.api.cypher_check import Neo4jParser
from riskgraph.api.errors import PermissionDenied
from riskgraph.api.explanations import ExplanationCache
from riskgraph.api.metrics import Metrics
from riskgraph.api.middleware import CONTEXT_KEY, RequestContext, route_template
from riskgraph.api.ratelimit import RateLimiter
from riskgraph.api.readonly import CypherPolicy
from riskgraph.api.store import StoreHolder
from riskgraph.api.supervisor import RunningQueries
from riskgraph.errors import RiskgraphError, Unauthenticated
from riskgraph.settings import ApiSettings, Settings

T = TypeVar("T")


@dataclass
class ApiState:
    """Everything the app holds for its lifetime (one store, one key file, one audit log)."""

    settings: Settings
    api: ApiSettings
    holder: StoreHolder
    keys: KeyStore
    audit: AuditLog
    limiter: RateLimiter
    policy: CypherPolicy
    metrics: Metrics
    parser: Neo4jParser | None
    """Neo4j's parser in front of ad-hoc Cypher (None: switched off in the settings)."""
    queries: RunningQueries = field(default_factory=RunningQueries)
    """The ad-hoc queries running now (named in the audit when the database restarts)."""
    explanations: ExplanationCache = field(default_factory=ExplanationCache)


async def get_state(request: Request) -> ApiState:
    state: ApiState = request.app.state.riskgraph
    return state


StateDep = Annotated[ApiState, Depends(get_state)]


async def get_holder(state: StateDep) -> StoreHolder:
    return state.holder


StoreDep = Annotated[StoreHolder, Depends(get_holder)]


def request_context(request: Request) -> RequestContext:
    context = request.scope.get(CONTEXT_KEY)
    if not isinstance(context, RequestContext):
        context = request.scope[CONTEXT_KEY] = RequestContext(request_id="-")
    return context


def endpoint_of(request: Request) -> str:
    """The route template (``/api/v1/scores/{uscc}``), not the raw path."""
    return route_template(request.scope) or request.url.path


_bearer = HTTPBearer(auto_error=False, description="An API key: `riskgraph keys create`")


async def get_principal(
    request: Request,
    state: StateDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Principal:
    """Authenticate the bearer key, then charge the key's rate limit."""
    if credentials is None:
        raise Unauthenticated("missing Authorization: Bearer <API key>")
    principal = state.keys.authenticate(credentials.credentials)
    context = request_context(request)
    context.key_id, context.role = principal.key_id, principal.role.value
    state.limiter.acquire(principal.key_id)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(permission: Permission) -> Callable[..., Awaitable[Principal]]:
    """A dependency that lets only roles holding ``permission`` through (403 otherwise)."""

    async def check(request: Request, state: StateDep, principal: PrincipalDep) -> Principal:
        if not principal.can(permission):
            state.audit.record(
                action="denied",
                key_id=principal.key_id,
                role=principal.role.value,
                endpoint=endpoint_of(request),
                params={"permission": permission.value, "method": request.method},
                outcome="denied",
                request_id=request_context(request).request_id,
            )
            raise PermissionDenied(
                f"role {principal.role.value!r} lacks the permission {permission.value!r}"
            )
        return principal

    return check


EnterpriseReader = Annotated[Principal, Depends(require(Permission.enterprises_read))]
ScoreReader = Annotated[Principal, Depends(require(Permission.scores_read))]
BulkScoreReader = Annotated[Principal, Depends(require(Permission.scores_bulk))]
GraphReader = Annotated[Principal, Depends(require(Permission.graph_read))]
CypherRunner = Annotated[Principal, Depends(require(Permission.cypher_run))]
KeyManager = Annotated[Principal, Depends(require(Permission.keys_manage))]
MetricsReader = Annotated[Principal, Depends(require(Permission.metrics_read))]
ClusterReader = Annotated[Principal, Depends(require(Permission.clusters_read))]
AlertReader = Annotated[Principal, Depends(require(Permission.alerts_read))]
AlertManager = Annotated[Principal, Depends(require(Permission.alerts_manage))]
InspectionReader = Annotated[Principal, Depends(require(Permission.inspections_read))]
InspectionPlanner = Annotated[Principal, Depends(require(Permission.inspections_plan))]
StatsReader = Annotated[Principal, Depends(require(Permission.stats_read))]
ModelReader = Annotated[Principal, Depends(require(Permission.model_read))]
ExplanationReader = Annotated[Principal, Depends(require(Permission.explanations_read))]
ListReader = Annotated[Principal, Depends(require(Permission.lists_read))]
ListManager = Annotated[Principal, Depends(require(Permission.lists_manage))]
RepairReader = Annotated[Principal, Depends(require(Permission.repairs_read))]
RepairApplicant = Annotated[Principal, Depends(require(Permission.repairs_apply))]
RepairReviewer = Annotated[Principal, Depends(require(Permission.repairs_review))]
RepairDecider = Annotated[Principal, Depends(require(Permission.repairs_decide))]


class Auditor:
    """Writes audit records for the current request and caller."""

    def __init__(self, request: Request, log: AuditLog) -> None:
        self._request = request
        self._log = log

    def __call__(
        self,
        action: str,
        *,
        params: dict[str, Any] | None = None,
        rows: int | None = None,
        outcome: str = "ok",
        **extra: Any,
    ) -> None:
        context = request_context(self._request)
        self._log.record(
            action=action,
            key_id=context.key_id,
            role=context.role,
            endpoint=endpoint_of(self._request),
            params=params,
            rows=rows,
            outcome=outcome,
            request_id=context.request_id,
            **extra,
        )

    def refusals(self, action: str, params: dict[str, Any], work: Callable[[], T]) -> T:
        """Run ``work``; a refusal (a RiskgraphError) is audited as such and raised again."""
        try:
            return work()
        except RiskgraphError as exc:
            self(action, params=params, outcome="refused", error=str(exc))
            raise


async def get_auditor(request: Request, state: StateDep) -> Auditor:
    return Auditor(request, state.audit)


AuditDep = Annotated[Auditor, Depends(get_auditor)]
