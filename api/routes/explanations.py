"""Why the risk model put an enterprise in its class (``riskgraph.gnn.explain``).

An explanation reads the enterprise's neighbourhood (the hops the model reads, see
docs/explanations.md) and runs the model on it; answers are cached in memory per
model version, enterprise and ``top_k`` (``riskgraph.api.explanations``). torch is
imported on the first explanation, not at start-up.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from riskgraph.analytics.enterprises import EnterpriseNotFound
from riskgraph.analytics.scores import scores_by_keys
from riskgraph.api.auth import Permission
from riskgraph.api.deps import AuditDep, ExplanationReader, StateDep, StoreDep
from riskgraph.api.encoding import jsonable
from riskgraph.api.errors import ModelFilesError
from riskgraph.api.model_files import find_version, models_root
from riskgraph.api.privacy import mask_explanation
from riskgraph.api.schemas import EXAMPLE_USCC, NO_CONTROL, ErrorBody, Explanation
from riskgraph.errors import NotFound

router = APIRouter(tags=["model"])
log = logging.getLogger("riskgraph.api")

UsccPath = Annotated[
    str, Path(min_length=1, max_length=64, pattern=NO_CONTROL, examples=[EXAMPLE_USCC])
]


@router.get(
    "/enterprises/{uscc}/explanation",
    response_model=Explanation,
    summary="Why the model put this enterprise in its class",
    responses={404: {"model": ErrorBody, "description": "no such enterprise, or no model"}},
)
def explanation(
    uscc: UsccPath,
    state: StateDep,
    holder: StoreDep,
    principal: ExplanationReader,
    audit: AuditDep,
    top_k: Annotated[int, Query(ge=1, le=50, description="features and neighbours each")] = 10,
) -> Explanation:
    """The current model version's explanation (integrated gradients for the GNN,
    TreeSHAP for LightGBM, indicator scores for the scorecard, their mean for the
    ensemble): the enterprise's own features and its neighbours, strongest first.
    Person ids on neighbours and paths are pseudonyms unless the role may see them."""
    key = uscc.strip().upper()
    if not holder.call(lambda store: scores_by_keys(store, [key])):
        raise EnterpriseNotFound(f"no enterprise with USCC {key}")
    version = find_version(models_root(state.settings))

    def compute() -> dict[str, Any]:
        from riskgraph.gnn.explain import ExplainError, explain
        from riskgraph.gnn.versions import ModelError

        try:
            answer = holder.call(lambda store: explain(store, version.folder, key, top_k=top_k))
        except ExplainError as exc:
            raise NotFound(f"the model's graph export has no enterprise {key}") from exc
        except ModelError as exc:
            log.error("cannot explain with the model", extra={"error": str(exc)})
            raise ModelFilesError(f"model version {version.version} cannot be used") from exc
        result: dict[str, Any] = jsonable(answer)
        return result

    cache_key = (str(version.folder), version.version, key, top_k)
    answer, cached = state.explanations.get_or_compute(cache_key, compute)
    unmasked = principal.can(Permission.persons_unmasked)
    if not unmasked:
        answer = mask_explanation(answer)
    result = Explanation(
        uscc=key,
        model=answer["model"],
        model_version=answer["model_version"],
        method=answer["method"],
        risk_class=answer["class"],
        risk_score=answer["risk_score"],
        probabilities=answer["probabilities"],
        explained=answer["explained"],
        features=answer["features"],
        neighbours=answer["neighbours"],
        exact=answer.get("exact", True),
        sampled=answer.get("sampled", []),
        nodes_read=answer.get("nodes_read", {}),
        cached=cached,
        persons_masked=not unmasked,
    )
    audit(
        "enterprises.explanation",
        params={"uscc": key, "top_k": top_k},
        rows=1,
        model_version=result.model_version,
        risk_class=result.risk_class,
        cached=cached,
        persons_unmasked=unmasked,
    )
    return result
