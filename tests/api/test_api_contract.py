"""The HTTP API's contract: the OpenAPI schema and the answers to a table of requests
(every route: each GET, the deterministic POSTs and DELETE, refusals) as recorded from
the code before the analytics refactor (commit aa3d5d9).

The requests run in order, on the analytics test graph (two risk clusters, ten
alerts) with a small model trained on it (recorded too, in ``contract/model/``) and
today fixed at the graph's day, once per engine; one test per engine
reports every difference at once (request name, then the field's JSON path). Answers
are compared after the normalisation that ``contract_helpers`` describes (timestamps
of the run, generated and internal ids, durations, pseudonyms), and nothing else.

Answers are shared by both engines in ``contract/answers.json``, except those of the
requests with a ``per_engine`` reason, in ``contract/answers.<engine>.json``.

Record (writes ``tests/api/contract/`` instead of comparing), from a tree at the
reference commit, then copy ``tests/api/contract/`` back::

    git worktree add --detach /work/contract-tree aa3d5d9   # + this file and helper
    cd /work/contract-tree && PYTHONPATH=$PWD RISKGRAPH_RECORD_CONTRACT=1 \
        /work/main/.venv/bin/python -m pytest tests/api/test_api_contract.py -p no:cacheprovider

When recording both engines, the second one's shared answers must equal the first
one's: the test fails and lists what differs otherwise.
"""

from __future__ import annotations

import csv
import importlib
import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

import pytest
from api_helpers import CLASSES, ENTERPRISES, Api, settings_for, uscc
from contract_helpers import (
    CONTRACT_DIR,
    MODEL_DIR,
    OPENAPI_FILE,
    RECORD_ENV,
    SHARED_FILE,
    Call,
    Normaliser,
    answer_of,
    differences,
    dig,
    dump,
    engine_file,
    entries,
    fill,
    load_entries,
)
from fastapi.testclient import TestClient

from riskgraph.analytics import clock
from riskgraph.analytics.cases import rebuild_cases
from riskgraph.api.app import create_app
from riskgraph.api.auth import Role
from riskgraph.graph import search_index
from riskgraph.graph.store import GraphStore

RECORDING = os.environ.get(RECORD_ENV) == "1"
AS_OF = date(2026, 6, 30)
"""The test graph's day (clusters are built on it): the model's and the plans' date."""

E0, E1, E2, E3, E5, E6, E25 = (uscc(i) for i in (0, 1, 2, 3, 5, 6, 25))
V1 = "/api/v1"
FORGED = "person-" + "A" * 44
"""A pseudonym that the server did not issue (404, as an unknown key)."""

SCREEN: dict[str, Any] = {
    "all": [
        {"field": "region_code", "op": "prefix", "value": "510107"},
        {"field": "registered_capital", "op": "gte", "value": 105},
    ]
}
"""A screen of the test graph: 武侯区 (510107) firms of capital ≥ 105 (firms 5 to 19)."""

CHECKED = "91110108123456788E"
"""A USCC whose check characters hold (the API's example), of no firm of the test graph."""

PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="  # noqa: E501
"""A one-pixel PNG (base64): a saved view's picture."""

INV, ANA, SVC, ADM = "investigator", "analyst", "service", "admin"
UNKNOWN_KEY = "unknown-key"
"""Not a role: the request carries a well-formed key that the server never issued."""

# fmt: off
CALLS: list[Call] = [
    # health (no key)
    Call("healthz", "GET", "/healthz", None),
    Call("readyz", "GET", "/readyz", None, per_engine="names the engine (dialect)"),
    Call("auth.no_key", "GET", f"{V1}/enterprises/{E0}", None),
    # enterprises
    Call("enterprises.search.uscc", "GET", f"{V1}/enterprises", INV, {"uscc": E0.lower()}),
    Call("enterprises.search.prefix", "GET", f"{V1}/enterprises", ANA,
         {"name": "成都示例0", "limit": 4, "offset": 2}),
    Call("enterprises.search.exact", "GET", f"{V1}/enterprises", ADM,
         {"name": "成都示例12科技有限公司", "match": "exact"}),
    Call("enterprises.search.cell", "GET", f"{V1}/enterprises", INV,
         {"region": "510107", "section": "I", "risk_class": "C"}),
    Call("enterprises.search.region_page", "GET", f"{V1}/enterprises", INV,
         {"region": "5101", "limit": 5, "offset": 5}),
    Call("enterprises.search.unclassified", "GET", f"{V1}/enterprises", INV,
         {"region": "510104", "risk_class": "unclassified", "limit": 3}),
    Call("enterprises.search.two_modes_422", "GET", f"{V1}/enterprises", INV,
         {"uscc": E0, "name": "成都示例"}),
    Call("enterprises.search.short_prefix_422", "GET", f"{V1}/enterprises", INV, {"name": "成"}),
    Call("enterprises.search.bad_limit_422", "GET", f"{V1}/enterprises", INV,
         {"region": "5101", "limit": 101}),
    Call("enterprises.detail.masked", "GET", f"{V1}/enterprises/{E0}", INV,
         take={"zhang_ref": ("investors", 0, "person", "ref"),
               "li_ref": ("positions", 0, "person", "ref")}),
    Call("enterprises.detail.unmasked", "GET", f"{V1}/enterprises/{E0}", ANA),
    Call("enterprises.detail.unscored", "GET", f"{V1}/enterprises/{E25}", ADM),
    Call("enterprises.detail.unknown_404", "GET", f"{V1}/enterprises/91510100MA999999XY", INV),
    Call("enterprises.detail.service_403", "GET", f"{V1}/enterprises/{E0}", SVC),
    # scores
    Call("scores.one", "GET", f"{V1}/scores/{E1}", SVC),
    Call("scores.one.unscored", "GET", f"{V1}/scores/{E25}", INV),
    Call("scores.one.unknown_404", "GET", f"{V1}/scores/NOPE", SVC),
    Call("scores.history", "GET", f"{V1}/scores/{E0}/history", SVC),
    Call("scores.history.limit", "GET", f"{V1}/scores/{E3}/history", ANA, {"limit": 1}),
    Call("scores.history.none", "GET", f"{V1}/scores/{E25}/history", SVC),
    Call("scores.batch", "POST", f"{V1}/scores:batch", SVC,
         body={"keys": [E2, "NOPE", E25, E0.lower()]}),
    Call("scores.batch.empty_422", "POST", f"{V1}/scores:batch", SVC, body={"keys": []}),
    Call("scores.batch.investigator_403", "POST", f"{V1}/scores:batch", INV, body={"keys": [E0]}),
    Call("scores.export.ndjson", "GET", f"{V1}/scores:export", SVC),
    Call("scores.export.csv_as_of", "GET", f"{V1}/scores:export", ANA,
         {"format": "csv", "as_of": "2025-12-31"}),
    Call("scores.export.after_model", "GET", f"{V1}/scores:export", ADM,
         {"after": uscc(15), "model": "v2"}),
    Call("scores.export.bad_format_422", "GET", f"{V1}/scores:export", SVC, {"format": "xml"}),
    # monthly re-classification: no month was re-classified on this graph (empty or 404)
    Call("scores.changes", "GET", f"{V1}/scores/changes", SVC, {"since": "2026-01"}),
    Call("scores.changes.filtered", "GET", f"{V1}/scores/changes", INV,
         {"since": "2026-01", "until": "2026-06", "class": "D", "region": "5101", "limit": 5}),
    Call("scores.changes.bad_month_422", "GET", f"{V1}/scores/changes", SVC, {"since": "2026-13"}),
    Call("scores.changes.no_since_422", "GET", f"{V1}/scores/changes", SVC),
    Call("scores.changes.export.ndjson", "GET", f"{V1}/scores/changes:export", SVC,
         {"since": "2026-01"}),
    Call("scores.changes.export.csv", "GET", f"{V1}/scores/changes:export", ANA,
         {"since": "2026-01", "format": "csv", "class": "C"}),
    Call("scores.changes.export.bad_format_422", "GET", f"{V1}/scores/changes:export", SVC,
         {"since": "2026-01", "format": "xml"}),
    Call("scores.changes.export.investigator_403", "GET", f"{V1}/scores/changes:export", INV,
         {"since": "2026-01"}),
    Call("reclassifications.list", "GET", f"{V1}/reclassifications", SVC),
    Call("reclassifications.get.unknown_404", "GET", f"{V1}/reclassifications/2026-06", INV),
    Call("reclassifications.get.bad_month_422", "GET", f"{V1}/reclassifications/2026-6", INV),
    Call("review", "GET", f"{V1}/review", INV),
    Call("review.industry", "GET", f"{V1}/review", ANA,
         {"dimension": "industry", "months": 3, "kind": "enterprise", "min_firms": 0, "top": 2}),
    Call("review.bad_months_422", "GET", f"{V1}/review", INV, {"months": 0}),
    Call("review.service_403", "GET", f"{V1}/review", SVC),
    # ad-hoc Cypher
    Call("cypher.read", "POST", f"{V1}/cypher", ANA, body={
        "query": "MATCH (e:Enterprise) WHERE e.risk_class = $c "
                 "RETURN e.uscc AS uscc, e.name AS name, e.risk_score AS score ORDER BY uscc",
        "params": {"c": "D"}}),
    Call("cypher.aggregate", "POST", f"{V1}/cypher", ADM, body={
        "query": "MATCH (p:Person)-[r]->(e:Enterprise) "
                 "RETURN p.name AS person, type(r) AS rel, count(e) AS firms "
                 "ORDER BY person, rel"}),
    Call("cypher.write_403", "POST", f"{V1}/cypher", ANA,
         body={"query": "MATCH (e:Enterprise) SET e.risk_class = 'A' RETURN e"}),
    Call("cypher.malformed_400", "POST", f"{V1}/cypher", ANA,
         body={"query": "MATCH (e:Enterprise RETURN e"}),
    Call("cypher.two_statements_400", "POST", f"{V1}/cypher", ANA,
         body={"query": "MATCH (e) RETURN e; MATCH (e) RETURN e"}),
    Call("cypher.investigator_403", "POST", f"{V1}/cypher", INV,
         body={"query": "MATCH (e:Enterprise) RETURN count(e) AS n"}),
    Call("cypher.not_json_400", "POST", f"{V1}/cypher", ANA, body="{not json"),
    # API keys
    Call("keys.create", "POST", f"{V1}/keys", ADM, body={"role": "investigator",
         "label": "合同测试 contract"},
         volatile={"new_key_id": ("id",), "new_key": ("key",)}),
    Call("keys.list", "GET", f"{V1}/keys", ADM, unordered=True),
    Call("keys.revoke", "DELETE", f"{V1}/keys/{{new_key_id}}", ADM),
    Call("keys.list.after_revoke", "GET", f"{V1}/keys", ADM, unordered=True),
    Call("keys.revoke.unknown_404", "DELETE", f"{V1}/keys/0000000000", ADM),
    Call("keys.list.analyst_403", "GET", f"{V1}/keys", ANA),
    # risk clusters
    Call("clusters.list", "GET", f"{V1}/clusters", INV,
         take={"cid": ("items", 0, "cid"), "cid2": ("items", 1, "cid")}),
    Call("clusters.list.min_size", "GET", f"{V1}/clusters", ANA, {"min_size": 3, "limit": 1}),
    Call("clusters.get.masked", "GET", f"{V1}/clusters/{{cid}}", INV),
    Call("clusters.get.unmasked", "GET", f"{V1}/clusters/{{cid}}", ANA),
    Call("clusters.get.address", "GET", f"{V1}/clusters/{{cid2}}", INV),
    Call("clusters.get.unknown_404", "GET", f"{V1}/clusters/RC-NOPE", INV),
    Call("clusters.list.bad_limit_422", "GET", f"{V1}/clusters", INV, {"limit": 0}),
    Call("clusters.list.service_403", "GET", f"{V1}/clusters", SVC),
    # alerts
    Call("alerts.list", "GET", f"{V1}/alerts", INV, take={"alert": ("items", 0, "key")}),
    Call("alerts.list.rule_page", "GET", f"{V1}/alerts", INV,
         {"rule": "R12", "limit": 3, "offset": 2}),
    Call("alerts.list.severity", "GET", f"{V1}/alerts", INV, {"severity": "medium"}),
    Call("alerts.list.subject_unmasked", "GET", f"{V1}/alerts", ANA, {"subject": E0.lower()}),
    Call("alerts.get.masked", "GET", f"{V1}/alerts/R02%7C{E0}", INV),
    Call("alerts.get.taken", "GET", f"{V1}/alerts/{{alert}}", INV),
    Call("alerts.status.in_progress", "POST", f"{V1}/alerts/R02%7C{E0}/status", INV,
         body={"status": "in_progress", "note": "分派给武侯区所"}),
    Call("alerts.status.confirm_without_note_422", "POST", f"{V1}/alerts/R02%7C{E0}/status",
         ANA, body={"status": "confirmed"}),
    Call("alerts.status.confirmed", "POST", f"{V1}/alerts/R02%7C{E0}/status", ANA,
         body={"status": "confirmed", "note": "现场核查属实"}),
    Call("alerts.status.again_409", "POST", f"{V1}/alerts/R02%7C{E0}/status", INV,
         body={"status": "dismissed", "note": "x"}),
    Call("alerts.status.unknown_status_422", "POST", f"{V1}/alerts/R05%7C{E1}/status", INV,
         body={"status": "closed"}),
    Call("alerts.status.service_403", "POST", f"{V1}/alerts/R05%7C{E1}/status", SVC,
         body={"status": "in_progress"}),
    Call("alerts.status.unknown_404", "POST", f"{V1}/alerts/R99%7CNOPE/status", INV,
         body={"status": "in_progress"}),
    Call("alerts.get.history_unmasked", "GET", f"{V1}/alerts/R02%7C{E0}", ANA),
    Call("alerts.list.confirmed", "GET", f"{V1}/alerts", INV, {"status": "confirmed"}),
    Call("alerts.get.unknown_404", "GET", f"{V1}/alerts/R99%7CNOPE", INV),
    Call("alerts.get.bad_key_422", "GET", f"{V1}/alerts/R02-{E0}", INV),
    Call("alerts.list.bad_severity_422", "GET", f"{V1}/alerts", INV, {"severity": "urgent"}),
    # inspection plans (a fixed seed and date: the plan id is a digest of the inputs)
    Call("inspections.plan", "POST", f"{V1}/inspections/plans", ANA,
         body={"seed": 2026, "as_of": AS_OF.isoformat()}, take={"plan": ("plan_id",)}),
    Call("inspections.plan.lists", "POST", f"{V1}/inspections/plans", ADM, body={
        "seed": 7, "as_of": AS_OF.isoformat(), "ratios": {"C": 0.6, "D": 1.0},
        "whitelist": [E3, uscc(7)], "sandbox": [E1.lower()], "whitelist_factor": 0.5}),
    Call("inspections.plan.outside_bands_422", "POST", f"{V1}/inspections/plans", ANA,
         body={"seed": 1, "as_of": AS_OF.isoformat(), "ratios": {"A": 0.5}}),
    Call("inspections.plan.investigator_403", "POST", f"{V1}/inspections/plans", INV,
         body={"seed": 1}),
    Call("inspections.list", "GET", f"{V1}/inspections/plans", INV),
    Call("inspections.list.page", "GET", f"{V1}/inspections/plans", INV,
         {"limit": 1, "offset": 1}),
    Call("inspections.get", "GET", f"{V1}/inspections/plans/{{plan}}", INV),
    Call("inspections.get.unknown_404", "GET",
         f"{V1}/inspections/plans/IP-2026-06-30-000000000000", INV),
    Call("inspections.get.bad_id_422", "GET", f"{V1}/inspections/plans/plan-1", INV),
    # statistics
    Call("stats.risk_map", "GET", f"{V1}/stats/risk-map", INV),
    Call("stats.risk_map.city", "GET", f"{V1}/stats/risk-map", ANA,
         {"level": "city", "prefix": "5101"}),
    Call("stats.risk_map.bad_level_422", "GET", f"{V1}/stats/risk-map", INV, {"level": "street"}),
    Call("stats.risk_map.service_403", "GET", f"{V1}/stats/risk-map", SVC),
    Call("stats.kinds", "GET", f"{V1}/stats/kinds", INV),
    Call("stats.kinds.prefix", "GET", f"{V1}/stats/kinds", ANA, {"prefix": "510104"}),
    Call("stats.kinds.bad_prefix_422", "GET", f"{V1}/stats/kinds", INV, {"prefix": "51x"}),
    Call("stats.kinds.service_403", "GET", f"{V1}/stats/kinds", SVC),
    # the model and explanations
    Call("model.info", "GET", f"{V1}/model", INV, take={"model_version": ("version",)}),
    Call("model.info.named", "GET", f"{V1}/model", ADM, {"version": "{model_version}"}),
    Call("model.metrics", "GET", f"{V1}/model/metrics", ANA),
    Call("model.metrics.unknown_404", "GET", f"{V1}/model/metrics", ADM, {"version": "v1"}),
    Call("model.info.bad_version_422", "GET", f"{V1}/model", ADM, {"version": "../x"}),
    Call("model.info.service_403", "GET", f"{V1}/model", SVC),
    # model monitoring: no month was re-classified, so no report (404, an empty list)
    Call("model.monitoring.none_404", "GET", f"{V1}/model/monitoring", INV),
    Call("model.monitoring.month_404", "GET", f"{V1}/model/monitoring", ANA,
         {"month": "2026-06", "top": 5}),
    Call("model.monitoring.bad_month_422", "GET", f"{V1}/model/monitoring", INV,
         {"month": "2026-13"}),
    Call("model.monitoring.service_403", "GET", f"{V1}/model/monitoring", SVC),
    Call("model.monitoring.months", "GET", f"{V1}/model/monitoring/months", INV),
    Call("model.monitoring.months.bad_limit_422", "GET", f"{V1}/model/monitoring/months", INV,
         {"limit": 0}),
    Call("explanation.unmasked", "GET", f"{V1}/enterprises/{E0}/explanation", ANA,
         {"top_k": 5}),
    Call("explanation.masked_cached", "GET", f"{V1}/enterprises/{E0}/explanation", INV,
         {"top_k": 5}),
    Call("explanation.default_top_k", "GET", f"{V1}/enterprises/{E2}/explanation", INV),
    Call("explanation.unknown_404", "GET", f"{V1}/enterprises/NOPE/explanation", INV),
    Call("explanation.service_403", "GET", f"{V1}/enterprises/{E0}/explanation", SVC),
    # named queries and graph routes
    Call("queries.list", "GET", f"{V1}/queries", INV),
    Call("queries.associated_risk", "POST", f"{V1}/queries/associated_risk", INV,
         body={"uscc": E0, "hops": 2}),
    Call("queries.colocated", "POST", f"{V1}/queries/colocated", INV, body={"uscc": E5}),
    Call("queries.hub_persons", "POST", f"{V1}/queries/hub_persons", ANA,
         body={"min_firms": 2}),
    Call("queries.hub_persons.masked", "POST", f"{V1}/queries/hub_persons", INV,
         body={"min_firms": 2}),
    Call("queries.shareholding_loops", "POST", f"{V1}/queries/shareholding_loops", INV,
         body={}),
    Call("queries.family_tree.body", "POST", f"{V1}/queries/family_tree", ADM,
         body={"uscc": E0, "up": 2, "down": 0}),
    Call("queries.paths.pseudonym", "POST", f"{V1}/queries/paths", INV,
         body={"from": "{zhang_ref}", "to": E2, "max_hops": 2}),
    Call("queries.unknown_404", "POST", f"{V1}/queries/nope", INV, body={}),
    Call("queries.bad_params_422", "POST", f"{V1}/queries/associated_risk", INV,
         body={"uscc": E0, "hops": 9}),
    Call("queries.list.service_403", "GET", f"{V1}/queries", SVC),
    Call("graph.family_tree", "GET", f"{V1}/enterprises/{E0}/family-tree", INV),
    Call("graph.family_tree.unmasked", "GET", f"{V1}/enterprises/{E0}/family-tree", ANA,
         {"up": 1, "down": 1, "limit": 10}),
    Call("graph.family_tree.unknown_404", "GET", f"{V1}/enterprises/NOPE/family-tree", INV),
    Call("graph.associated_risk", "GET", f"{V1}/enterprises/{E1}/associated-risk", INV),
    Call("graph.associated_risk.one_hop", "GET", f"{V1}/enterprises/{E0}/associated-risk", ANA,
         {"hops": 1, "limit": 2}),
    Call("graph.associated_risk.bad_hops_422", "GET", f"{V1}/enterprises/{E0}/associated-risk",
         INV, {"hops": 4}),
    Call("graph.neighbours", "GET", f"{V1}/graph/neighbours", INV, {"key": E0}),
    Call("graph.neighbours.typed", "GET", f"{V1}/graph/neighbours", ANA,
         {"key": E0, "type": "INVESTS_IN", "direction": "in", "limit": 1, "offset": 1}),
    Call("graph.neighbours.address", "GET", f"{V1}/graph/neighbours", INV,
         {"key": "a2", "label": "Address"}),
    Call("graph.neighbours.pseudonym", "GET", f"{V1}/graph/neighbours", INV,
         {"key": "{zhang_ref}"}),
    Call("graph.neighbours.forged_404", "GET", f"{V1}/graph/neighbours", INV, {"key": FORGED}),
    Call("graph.neighbours.unknown_404", "GET", f"{V1}/graph/neighbours", INV, {"key": "NOPE"}),
    Call("graph.paths.tied", "GET", f"{V1}/graph/paths", INV, {"from": E1, "to": E2}),
    Call("graph.paths", "GET", f"{V1}/graph/paths", INV, {"from": E1, "to": E3}),
    Call("graph.paths.unmasked", "GET", f"{V1}/graph/paths", ANA,
         {"from": E6, "to": E5, "max_hops": 3, "limit": 5}),
    Call("graph.paths.pseudonym", "GET", f"{V1}/graph/paths", INV,
         {"from": "{li_ref}", "to": E3}),
    Call("graph.paths.none", "GET", f"{V1}/graph/paths", INV,
         {"from": E0, "to": uscc(29), "max_hops": 2}),
    Call("graph.paths.bad_hops_422", "GET", f"{V1}/graph/paths", INV,
         {"from": E0, "to": E1, "max_hops": 7}),
    Call("graph.paths.service_403", "GET", f"{V1}/graph/paths", SVC, {"from": E0, "to": E1}),
    # Below, requests that change the graph (screens' plans, inspection results, lists,
    # repairs, dispatches): after every request whose answer they would change.
    # screens (筛查); their plans select firms, which the graph routes above count (degree);
    # the saved screen is deleted at the end of the block
    Call("screens.fields", "GET", f"{V1}/screens/fields", INV),
    Call("screens.fields.service_403", "GET", f"{V1}/screens/fields", SVC),
    Call("screens.run", "POST", f"{V1}/screens:run", INV,
         body={"screen": SCREEN, "limit": 3, "as_of": AS_OF.isoformat()}),
    Call("screens.run.any_not", "POST", f"{V1}/screens:run", ANA, body={"screen": {"any": [
        {"field": "risk_class", "op": "in", "value": ["C", "D"]},
        {"not": {"field": "region_code", "op": "prefix", "value": "510107"}}]}, "limit": 50}),
    Call("screens.run.bad_field_422", "POST", f"{V1}/screens:run", INV,
         body={"screen": {"all": [{"field": "nope", "op": "eq", "value": 1}]}}),
    Call("screens.run.bad_limit_422", "POST", f"{V1}/screens:run", INV,
         body={"screen": SCREEN, "limit": -1}),
    Call("screens.run.service_403", "POST", f"{V1}/screens:run", SVC, body={"screen": SCREEN}),
    Call("screens.export", "POST", f"{V1}/screens:export", INV,
         body={"screen": SCREEN, "as_of": AS_OF.isoformat()}),
    Call("screens.export.bad_op_422", "POST", f"{V1}/screens:export", INV,
         body={"screen": {"all": [{"field": "region_code", "op": "gte", "value": 5}]}}),
    Call("screens.list.empty", "GET", f"{V1}/screens", ANA),
    Call("screens.save", "POST", f"{V1}/screens", ANA, body={"name": "武侯区有限公司",
         "screen": SCREEN}, volatile={"sid": ("sid",)}),
    Call("screens.save.bad_name_422", "POST", f"{V1}/screens", ANA,
         body={"name": "", "screen": SCREEN}),
    Call("screens.list", "GET", f"{V1}/screens", ANA),
    Call("screens.list.other_owner", "GET", f"{V1}/screens", INV),
    Call("screens.list.admin", "GET", f"{V1}/screens", ADM, {"limit": 1}),
    Call("screens.get", "GET", f"{V1}/screens/{{sid}}", ANA),
    Call("screens.get.other_owner_404", "GET", f"{V1}/screens/{{sid}}", INV),
    Call("screens.get.unknown_404", "GET", f"{V1}/screens/S-000000000000", ANA),
    Call("screens.get.bad_id_422", "GET", f"{V1}/screens/screen-1", ANA),
    Call("screens.plan", "POST", f"{V1}/screens:plan", ANA,
         body={"seed": 2026, "as_of": AS_OF.isoformat(), "screen": SCREEN}),
    Call("screens.plan.saved", "POST", f"{V1}/screens:plan", ADM,
         body={"seed": 3, "as_of": AS_OF.isoformat(), "screen_id": "{sid}",
               "ratios": {"C": 0.5}, "whitelist": [E0]}),
    Call("screens.plan.both_422", "POST", f"{V1}/screens:plan", ANA,
         body={"seed": 1, "screen": SCREEN, "screen_id": "{sid}"}),
    Call("screens.plan.unknown_404", "POST", f"{V1}/screens:plan", ANA,
         body={"seed": 1, "screen_id": "S-000000000000"}),
    Call("screens.plan.investigator_403", "POST", f"{V1}/screens:plan", INV,
         body={"seed": 1, "screen": SCREEN}),
    Call("screens.delete.other_owner_404", "DELETE", f"{V1}/screens/{{sid}}", INV),
    Call("screens.delete", "DELETE", f"{V1}/screens/{{sid}}", ANA),
    Call("screens.get.deleted_404", "GET", f"{V1}/screens/{{sid}}", ANA),
    # inspection results: the route checks a USCC's check characters, which the test
    # graph's keys fail (422), so the one good request names a firm not in the graph
    # (listed as unknown, nothing stored)
    Call("inspections.results.unknown_firm", "POST", f"{V1}/inspections/results", ANA,
         body={"results": [
             {"uscc": CHECKED, "date": "2026-06-15", "result": "不合格", "plan_id": "{plan}",
              "authority": "成都市武侯区市场监督管理局", "note": "未按规定公示"},
             {"uscc": CHECKED.lower(), "date": "2026-06-16", "result": "合格"}]}),
    Call("inspections.results.bad_check_422", "POST", f"{V1}/inspections/results", ADM,
         body={"results": [{"uscc": E5, "date": "2026-06-15", "result": "pass"}]}),
    Call("inspections.results.future_422", "POST", f"{V1}/inspections/results", ANA,
         body={"results": [{"uscc": CHECKED, "date": "2026-07-01", "result": "fail"}]}),
    Call("inspections.results.bad_result_422", "POST", f"{V1}/inspections/results", ANA,
         body={"results": [{"uscc": CHECKED, "date": "2026-06-15", "result": "ok"}]}),
    Call("inspections.results.empty_422", "POST", f"{V1}/inspections/results", ANA,
         body={"results": []}),
    Call("inspections.results.investigator_403", "POST", f"{V1}/inspections/results", INV,
         body={"results": [{"uscc": CHECKED, "date": "2026-06-15", "result": "pass"}]}),
    # managed lists (名单管理): a list holds one active entry whenever it is read (entries
    # made in the same second list in the order of their random ids)
    Call("lists.get.empty", "GET", f"{V1}/lists/whitelist", INV),
    Call("lists.add", "POST", f"{V1}/lists/whitelist", ANA,
         body={"uscc": E0.lower(), "reason": "广告信用联盟成员"}, volatile={"eid": ("eid",)}),
    Call("lists.add.again_409", "POST", f"{V1}/lists/whitelist", ANA,
         body={"uscc": E0, "reason": "again"}),
    Call("lists.add.class_c_409", "POST", f"{V1}/lists/sandbox", ADM,
         body={"uscc": E2, "reason": "四新经济"}),
    Call("lists.add.sandbox", "POST", f"{V1}/lists/sandbox", ADM,
         body={"uscc": uscc(9), "reason": "四新经济"}, volatile={"eid2": ("eid",)}),
    Call("lists.add.past_expiry_422", "POST", f"{V1}/lists/sandbox", ANA,
         body={"uscc": uscc(12), "reason": "x", "expires_on": "2026-06-30"}),
    Call("lists.add.unknown_firm_404", "POST", f"{V1}/lists/whitelist", ANA,
         body={"uscc": "91510100MA999999XY", "reason": "x"}),
    Call("lists.add.unknown_list_422", "POST", f"{V1}/lists/blacklist", ANA,
         body={"uscc": E1, "reason": "x"}),
    Call("lists.add.no_reason_422", "POST", f"{V1}/lists/whitelist", ANA, body={"uscc": E1}),
    Call("lists.add.investigator_403", "POST", f"{V1}/lists/whitelist", INV,
         body={"uscc": E1, "reason": "x"}),
    Call("lists.get", "GET", f"{V1}/lists/whitelist", INV),
    Call("lists.get.sandbox_page", "GET", f"{V1}/lists/sandbox", ANA, {"limit": 1}),
    Call("lists.get.bad_status_422", "GET", f"{V1}/lists/whitelist", INV, {"status": "gone"}),
    Call("lists.get.service_403", "GET", f"{V1}/lists/whitelist", SVC),
    Call("lists.sweep", "POST", f"{V1}/lists:sweep", ANA, body={"list": "sandbox"}),
    Call("lists.sweep.both", "POST", f"{V1}/lists:sweep", ADM),
    Call("lists.sweep.bad_list_422", "POST", f"{V1}/lists:sweep", ANA, body={"list": "black"}),
    Call("lists.sweep.investigator_403", "POST", f"{V1}/lists:sweep", INV),
    Call("lists.exit", "POST", f"{V1}/lists/sandbox/{uscc(9)}:exit", ANA,
         body={"reason": "毕业"}),
    Call("lists.exit.again_404", "POST", f"{V1}/lists/sandbox/{uscc(9)}:exit", ANA,
         body={"reason": "again"}),
    Call("lists.exit.no_reason_422", "POST", f"{V1}/lists/whitelist/{E0}:exit", ANA, body={}),
    Call("lists.exit.investigator_403", "POST", f"{V1}/lists/whitelist/{E0}:exit", INV,
         body={"reason": "x"}),
    Call("lists.add.expiry", "POST", f"{V1}/lists/sandbox", ANA,
         body={"uscc": uscc(8), "reason": "包容审慎", "expires_on": "2026-12-31"},
         volatile={"eid3": ("eid",)}),
    Call("lists.get.sandbox", "GET", f"{V1}/lists/sandbox", INV),
    Call("lists.get.exited", "GET", f"{V1}/lists/sandbox", INV, {"status": "exited"}),
    Call("lists.history", "GET", f"{V1}/lists/history/{uscc(9).lower()}", INV),
    Call("lists.history.none", "GET", f"{V1}/lists/history/{E1}", INV),
    Call("lists.history.service_403", "GET", f"{V1}/lists/history/{E0}", SVC),
    # credit repair (信用修复), on the repairs' clock (see ``fixed_today``)
    Call("repairs.violations", "GET", f"{V1}/repairs/violations/{E0.lower()}", INV),
    Call("repairs.violations.unknown_404", "GET", f"{V1}/repairs/violations/NOPE", INV),
    Call("repairs.violations.service_403", "GET", f"{V1}/repairs/violations/{E0}", SVC),
    Call("repairs.list.empty", "GET", f"{V1}/repairs", INV),
    Call("repairs.apply", "POST", f"{V1}/repairs", ANA,
         body={"uscc": E0, "violations": ["v1"], "reason": "已缴清罚款并整改"},
         volatile={"rid": ("rid",)}),
    Call("repairs.apply.claimed_409", "POST", f"{V1}/repairs", INV,
         body={"uscc": E0, "violations": ["v1", "v2"], "reason": "x"}),
    Call("repairs.apply.other_firm_409", "POST", f"{V1}/repairs", ANA,
         body={"uscc": E1, "violations": ["v2"], "reason": "x"}),
    Call("repairs.apply.unknown_firm_404", "POST", f"{V1}/repairs", ANA,
         body={"uscc": "91510100MA999999XY", "violations": ["v1"], "reason": "x"}),
    Call("repairs.apply.no_violations_422", "POST", f"{V1}/repairs", ANA,
         body={"uscc": E0, "violations": [], "reason": "x"}),
    Call("repairs.apply.service_403", "POST", f"{V1}/repairs", SVC,
         body={"uscc": E0, "violations": ["v2"], "reason": "x"}),
    Call("repairs.get", "GET", f"{V1}/repairs/{{rid}}", INV),
    Call("repairs.get.unknown_404", "GET", f"{V1}/repairs/CR-20260101-00000000", INV),
    Call("repairs.get.bad_id_422", "GET", f"{V1}/repairs/CR-1", INV),
    Call("repairs.decide.unreviewed_409", "POST", f"{V1}/repairs/{{rid}}:decide", ANA,
         body={"decision": "approve", "reasons": "符合条件"}),
    Call("repairs.review.no_opinion_422", "POST", f"{V1}/repairs/{{rid}}:review", INV,
         body={"opinion": ""}),
    Call("repairs.review.service_403", "POST", f"{V1}/repairs/{{rid}}:review", SVC,
         body={"opinion": "材料齐全"}),
    Call("repairs.review.unknown_404", "POST", f"{V1}/repairs/CR-20260101-00000000:review",
         INV, body={"opinion": "材料齐全"}),
    Call("repairs.review", "POST", f"{V1}/repairs/{{rid}}:review", INV,
         body={"opinion": "材料齐全"}),
    Call("repairs.review.again_409", "POST", f"{V1}/repairs/{{rid}}:review", INV,
         body={"opinion": "again"}),
    Call("repairs.decide.own_409", "POST", f"{V1}/repairs/{{rid}}:decide", ANA,
         body={"decision": "approve", "reasons": "符合条件"}),
    Call("repairs.decide.investigator_403", "POST", f"{V1}/repairs/{{rid}}:decide", INV,
         body={"decision": "approve", "reasons": "符合条件"}),
    Call("repairs.decide.bad_decision_422", "POST", f"{V1}/repairs/{{rid}}:decide", ANA,
         body={"decision": "maybe", "reasons": "x"}),
    Call("repairs.decide", "POST", f"{V1}/repairs/{{rid}}:decide", ADM,
         body={"decision": "approve", "reasons": "符合条件"},
         volatile={"rescore_note": ("rescore",)}),
    Call("repairs.decide.again_409", "POST", f"{V1}/repairs/{{rid}}:decide", ANA,
         body={"decision": "reject", "reasons": "x"}),
    Call("repairs.list", "GET", f"{V1}/repairs", INV),
    Call("repairs.list.filtered", "GET", f"{V1}/repairs", ANA,
         {"status": "approved", "class": "A", "month": "2026-06"}),
    Call("repairs.list.bad_month_422", "GET", f"{V1}/repairs", INV, {"month": "2026-13"}),
    Call("repairs.list.service_403", "GET", f"{V1}/repairs", SVC),
    Call("repairs.violations.repaired", "GET", f"{V1}/repairs/violations/{E0}", INV),
    Call("repairs.stats", "GET", f"{V1}/repairs/stats", INV),
    Call("repairs.stats.service_403", "GET", f"{V1}/repairs/stats", SVC),
    Call("scores.history.repaired", "GET", f"{V1}/scores/{E0}/history", SVC, {"limit": 1}),
    # dispatch batches (派发批次)
    Call("dispatches.list.empty", "GET", f"{V1}/dispatches", INV),
    # (a batch id and due day come from the real clock)
    Call("dispatches.create", "POST", f"{V1}/dispatches", INV, body={},
         volatile={"bid": ("batch", "bid"), "due": ("batch", "due")}),
    Call("dispatches.create.again_422", "POST", f"{V1}/dispatches", INV, body={}),
    Call("dispatches.list", "GET", f"{V1}/dispatches", INV),
    Call("dispatches.create.bad_threshold_422", "POST", f"{V1}/dispatches", INV,
         body={"min_alerts_in_region": 0}),
    Call("dispatches.create.unknown_field_422", "POST", f"{V1}/dispatches", INV,
         body={"unknown": 1}),
    Call("dispatches.create.service_403", "POST", f"{V1}/dispatches", SVC, body={}),
    Call("dispatches.get", "GET", f"{V1}/dispatches/{{bid}}", ANA, {"limit": 3}),
    Call("dispatches.task.take", "POST", f"{V1}/dispatches/{{bid}}/tasks/{{bid}}-00001:status",
         INV, body={"status": "处理中"}),
    Call("dispatches.task.done_without_note_422", "POST",
         f"{V1}/dispatches/{{bid}}/tasks/{{bid}}-00001:status", INV, body={"status": "已办结"}),
    Call("dispatches.task.done", "POST", f"{V1}/dispatches/{{bid}}/tasks/{{bid}}-00001:status",
         ANA, body={"status": "已办结", "note": "已现场核查"}),
    Call("dispatches.task.return_409", "POST",
         f"{V1}/dispatches/{{bid}}/tasks/{{bid}}-00001:status", INV,
         body={"status": "退回", "note": "x"}),
    Call("dispatches.task.unknown_status_422", "POST",
         f"{V1}/dispatches/{{bid}}/tasks/{{bid}}-00001:status", INV, body={"status": "closed"}),
    Call("dispatches.task.unknown_404", "POST",
         f"{V1}/dispatches/{{bid}}/tasks/{{bid}}-09999:status", INV, body={"status": "处理中"}),
    Call("dispatches.task.service_403", "POST",
         f"{V1}/dispatches/{{bid}}/tasks/{{bid}}-00002:status", SVC, body={"status": "处理中"}),
    Call("dispatches.get.done", "GET", f"{V1}/dispatches/{{bid}}", INV, {"status": "已办结"}),
    # a second batch (last: batches made in the same second list in random order)
    Call("dispatches.create.medium", "POST", f"{V1}/dispatches", ADM,
         body={"rules": ["R05"], "severity_at_least": "medium", "skip_pending": False,
               "region": "5101", "due_days": 10},
         volatile={"bid2": ("batch", "bid"), "due2": ("batch", "due")}),
    Call("dispatches.list.page", "GET", f"{V1}/dispatches", ANA, {"limit": 1, "offset": 2}),
    Call("dispatches.get.unknown_404", "GET", f"{V1}/dispatches/DB-20260101-deadbeef", INV),
    Call("dispatches.get.bad_id_422", "GET", f"{V1}/dispatches/nonsense", INV),
    Call("dispatches.list.bad_limit_422", "GET", f"{V1}/dispatches", INV, {"limit": 1000}),
    Call("dispatches.list.service_403", "GET", f"{V1}/dispatches", SVC),
    # search (issue 17)
    Call("search.uscc", "GET", f"{V1}/search", INV, {"q": E0}),
    Call("search.infix", "GET", f"{V1}/search", ANA, {"q": "科技", "limit": 5}),
    Call("search.person_403", "GET", f"{V1}/search", INV, {"q": "张", "kind": "person"}),
    Call("search.empty_422", "GET", f"{V1}/search", INV, {"q": " "}),
    # the analyst console's schema
    Call("console.access", "GET", f"{V1}/cypher/access", INV),
    Call("console.schema", "GET", f"{V1}/cypher/schema", ANA, {"fresh": True}),
    Call("console.schema.investigator_403", "GET", f"{V1}/cypher/schema", INV),
    # alert cases
    Call("cases.list", "GET", f"{V1}/cases", INV, {"limit": 3},
         take={"cid": ("items", 0, "id")}),
    Call("cases.get", "GET", f"{V1}/cases/{{cid}}", INV),
    Call("cases.get.unknown_404", "GET", f"{V1}/cases/CASE-000000000000", INV),
    Call("cases.assign", "POST", f"{V1}/cases/{{cid}}:assign", ANA,
         body={"assignee": "李四", "note": "核查"}),
    Call("cases.bulk_status", "POST", f"{V1}/cases:bulk-status", ANA,
         body={"ids": ["{cid}"], "status": "investigating", "note": "现场核查"}),
    Call("cases.bulk_status.empty_422", "POST", f"{V1}/cases:bulk-status", ANA,
         body={"ids": [], "status": "investigating"}),
    # saved views (a view's id comes from the real clock and randomness)
    Call("views.list.empty", "GET", f"{V1}/views", ANA),
    Call("views.create", "POST", f"{V1}/views", ANA,
         body={"title": "合同测试视图", "state": {
             "version": 1, "root": {"kind": "Enterprise", "key": E0},
             "nodes": [{"kind": "Enterprise", "key": E0, "x": 0.0, "y": 0.0},
                       {"kind": "Enterprise", "key": E1, "x": 80.0, "y": 0.0}],
             "edges": [], "expansions": [], "styles": {}, "filters": {}, "viewport": {}}},
         volatile={"vid": ("vid",)}),
    Call("views.create.no_state_422", "POST", f"{V1}/views", ANA, body={"title": "x"}),
    Call("views.get", "GET", f"{V1}/views/{{vid}}", ANA),
    Call("views.get.stranger_404", "GET", f"{V1}/views/{{vid}}", INV),
    Call("views.update", "POST", f"{V1}/views/{{vid}}", ANA, body={"title": "合同测试视图（改）"}),
    Call("views.share", "POST", f"{V1}/views/{{vid}}/share", ANA,
         body={"roles": ["investigator"]}),
    Call("views.get.shared", "GET", f"{V1}/views/{{vid}}", INV),
    Call("views.notes.add", "POST", f"{V1}/views/{{vid}}/notes", INV,
         body={"target": {"node": E0}, "text": "与乙公司同一地址"}, volatile={"nid": ("nid",)}),
    Call("views.notes.delete", "DELETE", f"{V1}/views/{{vid}}/notes/{{nid}}", INV),
    Call("views.picture.add", "POST", f"{V1}/views/{{vid}}/picture", ANA,
         body={"png": PIXEL}),
    Call("views.picture.unknown_404", "GET", f"{V1}/views/V-000000000000/picture", ANA),
    Call("views.report.unknown_404", "GET", f"{V1}/views/V-000000000000/report", ANA),
    Call("views.report_pdf.unknown_404", "GET", f"{V1}/views/V-000000000000/report.pdf", ANA),
    Call("views.list", "GET", f"{V1}/views", INV),
    Call("views.delete", "DELETE", f"{V1}/views/{{vid}}", ANA),
    Call("auth.unknown_key", "GET", f"{V1}/scores/{E0}", UNKNOWN_KEY),
    # last: the counters of everything above
    Call("metrics", "GET", "/metrics", INV),
]
# fmt: on


# ---------------------------------------------------------------- fixtures


class _AnyDate(type):
    """``isinstance(d, _FixedDate)`` holds for every ``date``, as it did before the patch."""

    def __instancecheck__(cls, instance: object) -> bool:
        return isinstance(instance, date)


class _FixedDate(date, metaclass=_AnyDate):
    """``date`` whose ``today()`` is the test graph's day."""

    @classmethod
    def today(cls) -> _FixedDate:
        return cls(AS_OF.year, AS_OF.month, AS_OF.day)


@pytest.fixture
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is ``AS_OF`` in riskgraph: explanations compute the timing features (ages,
    violations in the last 1 or 3 years) as of today, the cluster view keeps the links
    valid today. Every loaded riskgraph module that imported ``date`` gets the fixed one,
    the explanation's (imported on the first explanation) loaded first.

    Credit repairs and inspection plans also take their clock from the fixed day (noon
    UTC): a repair's id, month and times come from the clock, and a month string
    (``applied_month``, ``decided_month``, the monthly counts) could not be normalised
    otherwise; plans list newest first to the second, then by id, so that two plans
    made by the real clock list in one order or the other as they fall in one second
    or two."""
    importlib.import_module("riskgraph.gnn.explain")
    for name, module in list(sys.modules.items()):
        if name.startswith("riskgraph.") and getattr(module, "date", None) is date:
            monkeypatch.setattr(module, "date", _FixedDate)
    for name in ("riskgraph.analytics.repair", "riskgraph.analytics.inspections"):
        module: Any = importlib.import_module(name)
        monkeypatch.setattr(module, "timestamp", _fixed_timestamp)


def _fixed_timestamp(now: datetime | None = None) -> str:
    """``riskgraph.analytics.clock.timestamp`` on the test graph's day (noon UTC)."""
    return clock.timestamp(now or _TrainingClock.now(UTC))


class _TrainingClock(datetime):
    """``datetime`` whose ``now()`` is noon (UTC) of the test graph's day."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _TrainingClock:
        noon = cls(AS_OF.year, AS_OF.month, AS_OF.day, 12, tzinfo=UTC)
        return noon if tz is None else noon.astimezone(tz)


_trained: list[Path] = []
"""The model version trained in this recording session (by the first engine)."""


@pytest.fixture
def models_dir(analytics_store: GraphStore, tmp_path: Path) -> Path:
    """The recorded model version, ``contract/model/<version>``: a small GraphSAGE model
    trained on the analytics graph (labels from a CSV file, as ``test_model.py`` trains
    it, timing features as of ``AS_OF``). Recording trains it anew; comparing serves the
    recorded files, so that the answers check how the API serves and explains a model
    version written by the reference code, not how training changes. A recording keeps
    the recorded model: delete ``contract/model`` to train it anew (with the reference
    commit's code)."""
    if RECORDING and not _trained and not MODEL_DIR.is_dir():
        _trained.append(train_model(analytics_store, tmp_path))
    assert MODEL_DIR.is_dir(), f"no recorded model: record it with {RECORD_ENV}=1"
    return MODEL_DIR


def train_model(store: GraphStore, tmp_path: Path) -> Path:
    """Train the model to record with the reference commit's training API (aa3d5d9:
    ``riskgraph.gnn.train.train(..., label_source=...)``, ``riskgraph.gnn.trainer``),
    looked up by name so that the test type-checks on later trees, which only serve the
    recorded files; copy the version to ``contract/model/``."""
    torch = pytest.importorskip("torch")
    train_module: Any = importlib.import_module("riskgraph.gnn.train")
    trainer: Any = importlib.import_module("riskgraph.gnn.trainer")
    sage: Any = importlib.import_module("riskgraph.gnn.hetero_sage")

    torch.set_num_threads(1)
    with (tmp_path / "labels.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["key", "class"])
        writer.writerows([uscc(i), CLASSES[i % 4]] for i in range(ENTERPRISES))
    config = train_module.TrainConfig(
        models=("hetero_sage",),
        gnn=(sage.HeteroSAGEConfig(hidden_channels=16),),
        fit=trainer.FitConfig(max_epochs=20, patience=5),
        min_aggregate_edges=1,
        device="cpu",
        as_of=AS_OF,
    )
    with pytest.MonkeyPatch.context() as patch:
        # The version's name and created_at come from the clock: a fixed one. The
        # manifest keeps the label file's path as given: a relative one.
        patch.setattr(train_module, "datetime", _TrainingClock)
        patch.chdir(tmp_path)
        result = train_module.train(
            store, Path("models"), label_source="labels.csv", seed=0, config=config
        )
    shutil.rmtree(MODEL_DIR, ignore_errors=True)
    shutil.copytree(tmp_path / "models" / result.version, MODEL_DIR / result.version)
    return MODEL_DIR


@pytest.fixture
def contract_api(
    make_api: Callable[..., Api], analytics_store: GraphStore, models_dir: Path, fixed_today: None
) -> Api:
    # the alerts grouped into cases, as ``riskgraph rules run`` leaves them, and the
    # search grams a load writes (the test graph is written without the loader)
    rebuild_cases(analytics_store, now=datetime(2026, 6, 30, 8, tzinfo=UTC))
    search_index.refresh(analytics_store)
    api: Api = make_api(store=analytics_store, models_dir=models_dir)
    return api


# ---------------------------------------------------------------- the tests


def test_openapi_schema(tmp_path: Path) -> None:
    """``GET /api/v1/openapi.json`` is the recorded schema (no database needed)."""
    app = create_app(settings_for(tmp_path / "data"))
    response = TestClient(app).get(f"{V1}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    if RECORDING:
        CONTRACT_DIR.mkdir(exist_ok=True)
        OPENAPI_FILE.write_text(dump(schema), encoding="utf-8")
        return
    assert OPENAPI_FILE.exists(), f"no recorded schema: record it with {RECORD_ENV}=1"
    recorded = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
    found = list(differences(recorded, schema))
    assert not found, report("the OpenAPI schema differs from the recorded one", found)


def test_every_operation_is_requested(tmp_path: Path) -> None:
    """Each operation of the OpenAPI schema has a request in ``CALLS``: a new route
    needs one here."""
    schema = create_app(settings_for(tmp_path / "data")).openapi()
    missing = []
    for path, operations in schema["paths"].items():
        parts = re.split(r"\{[^}]+\}", path)
        pattern = re.compile("^" + "[^/]+".join(re.escape(part) for part in parts) + "$")
        for method in operations:
            if not any(c.method == method.upper() and pattern.match(c.path) for c in CALLS):
                missing.append(f"{method.upper()} {path}")
    assert not missing, f"operations without a request in CALLS: {missing}"


_recorded_shared: dict[str, Any] = {}
"""Shared answers recorded in this session (by the first engine), to hold the second to."""


def test_answers(contract_api: Api, analytics_store: GraphStore, engine: str) -> None:
    """Every request of ``CALLS`` in order; the answers equal the recorded ones."""
    names = [call.name for call in CALLS]
    assert len(set(names)) == len(names), "request names must be unique"
    normalise = Normaliser(datetime.now(UTC))
    [build] = analytics_store.read("MATCH (c:RiskCluster) RETURN DISTINCT c.build AS build")
    normalise.volatile(str(build["build"]), "cluster_build")  # a random id per build
    for role in Role:
        normalise.volatile(contract_api.keys[role], f"key:{role.value}")
        normalise.volatile(contract_api.key_id(role), f"key-id:{role.value}")
    context: dict[str, str] = {}
    answers: dict[str, Any] = {}
    for call in CALLS:
        response = send(contract_api, call, context)
        if response.content and response.headers.get("content-type", "").startswith(
            "application/json"
        ):
            body = response.json()
            for name, path in {**call.take, **call.volatile}.items():
                try:
                    context[name] = dig(body, path)
                except (KeyError, IndexError, TypeError):
                    pytest.fail(f"{call.name}: no {name} at {path} in {response.text[:500]}")
            for name in call.volatile:
                normalise.volatile(context[name], name)
        answers[call.name] = answer(call, response, normalise)

    shared = {c.name: answers[c.name] for c in CALLS if not c.per_engine}
    own = {c.name: answers[c.name] for c in CALLS if c.per_engine}
    if RECORDING:
        CONTRACT_DIR.mkdir(exist_ok=True)
        engine_file(engine).write_text(dump(entries(CALLS, own)), encoding="utf-8")
        if not _recorded_shared:
            SHARED_FILE.write_text(dump(entries(CALLS, shared)), encoding="utf-8")
            _recorded_shared.update(shared)
            return
        expected_shared = _recorded_shared
        title = f"{engine} answers differently from the engine recorded first"
    else:
        assert SHARED_FILE.exists(), f"no recorded answers: record them with {RECORD_ENV}=1"
        expected_shared = load_entries(SHARED_FILE)
        title = f"{engine}: answers differ from the recorded ones"
    expected_own = load_entries(engine_file(engine))
    found = []
    for call in CALLS:
        expected = expected_own if call.per_engine else expected_shared
        if call.name not in expected:
            where = engine_file(engine).name if call.per_engine else SHARED_FILE.name
            found.append(f"{call.name}: not recorded in {where}")
            continue
        found += [f"{call.name}: {d}" for d in differences(expected[call.name], answers[call.name])]
    found += [
        f"{n}: recorded but not requested" for n in sorted(set(expected_shared) - set(shared))
    ]
    found += [
        f"{n}: recorded for {engine} but not requested as per_engine"
        for n in sorted(set(expected_own) - set(own))
    ]
    assert not found, report(title, found)


def send(api: Api, call: Call, context: dict[str, str]) -> Any:
    headers: dict[str, str] = {}
    if call.role == UNKNOWN_KEY:
        headers = {"Authorization": "Bearer rgk_0123456789_" + "x" * 43}
    elif call.role is not None:
        headers = api.headers(call.role)
    kwargs: dict[str, Any] = {"headers": headers}
    if call.params is not None:
        kwargs["params"] = fill(dict(call.params), context)
    if isinstance(call.body, str):
        kwargs["content"] = call.body.encode()
        headers["Content-Type"] = "application/json"
    elif call.body is not None:
        kwargs["json"] = fill(call.body, context)
    path = fill(call.path, context, url=True)
    return api.client.request(call.method, path, **kwargs)


def answer(call: Call, response: Any, normalise: Normaliser) -> dict[str, Any]:
    """``answer_of``, and for an answer without a body (a 204, which FastAPI sends with
    the route's JSON content type) the status and content type alone."""
    if not response.content:
        return {
            "status": response.status_code,
            "content_type": response.headers.get("content-type", ""),
        }
    return answer_of(call, response, normalise)


def report(title: str, found: list[str], limit: int = 200) -> str:
    shown = found[:limit]
    more = f"\n… and {len(found) - limit} more" if len(found) > limit else ""
    hint = f"\n(if the change is intended, record again with {RECORD_ENV}=1)"
    return f"{title} ({len(found)}):\n" + "\n".join(shown) + more + hint
