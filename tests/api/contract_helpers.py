"""Helpers of the HTTP API contract test (``test_api_contract.py``): the request table's
types, the normalisation of what is truly volatile, the recorded files and the diff.

What is normalised, and nothing else (names, classes, scores, counts and orders are
real values and stay as they are):

* timestamps made while the test runs (key, cluster, plan and model creation, alert
  events): an ISO date-time string, alone or inside a text, that falls within the
  test's run (from 10 minutes before it starts to 2 hours after) becomes ``<now>``; the
  fixed timestamps of the test data (2025, mid-2026) stay;
* generated ids: the API keys' ids and secrets and the cluster build id become
  ``<name>`` placeholders wherever they occur, messages included (the recorded model
  version is trained on a fixed clock: its name and creation time are real values);
* the databases' internal ids of nodes and relationships, which graph answers carry
  (``id``, ``start`` and ``end`` of the nodes and relationships of a path, ``#<id>`` of
  a neighbour without a key): FalkorDB numbers them (``"40"``), Neo4j gives element
  ids (``"4:<database uuid>:40"``), and neither is stable across loads. Each distinct
  one becomes ``<node1>``, ``<rel1>``… in order of first appearance within one answer,
  so that a path's relationships still name its nodes;
* durations: ``elapsed_ms`` of a Cypher answer, the latency histogram's buckets and
  sums and the ``_created`` timestamps of the Prometheus text;
* person pseudonyms (``person-…``, ``riskgraph.api.privacy``): their encryption is to
  change (an HMAC-built SIV to AES-SIV), so each distinct token becomes ``<ref1>``,
  ``<ref2>``… in order of first appearance over the whole run: equal tokens stay
  equal, different ones different;
* the order of ``GET /keys`` (``unordered``): it sorts by creation second, then by the
  random key id, so keys created in the same second come in random order; the items
  are compared sorted.

Response headers (``x-request-id`` …) are not compared, the content type is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx2

RECORD_ENV = "RISKGRAPH_RECORD_CONTRACT"
CONTRACT_DIR = Path(__file__).resolve().parent / "contract"
OPENAPI_FILE = CONTRACT_DIR / "openapi.json"
SHARED_FILE = CONTRACT_DIR / "answers.json"
MODEL_DIR = CONTRACT_DIR / "model"
"""The recorded model version (not ``models/``: .gitignore ignores such folders)."""

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Call:
    """One request of the contract and what later requests take from its answer.

    ``path``, ``params`` and ``body`` may hold ``{name}`` placeholders, filled from the
    values earlier answers gave (``take``; a value is URL-encoded in ``path``).
    ``volatile`` values are taken too, and are replaced by ``<name>`` in every answer.
    ``per_engine`` says why the answer differs between the engines; such answers are
    recorded per engine. ``unordered``: the order of the answer's list is random."""

    name: str
    method: str
    path: str
    role: str | None
    params: Mapping[str, Any] | None = None
    body: Any = None
    take: Mapping[str, JsonPath] = field(default_factory=dict)
    volatile: Mapping[str, JsonPath] = field(default_factory=dict)
    per_engine: str = ""
    unordered: bool = False

    def describe(self) -> dict[str, Any]:
        """The request as the recorded file shows it (placeholders unfilled)."""
        out: dict[str, Any] = {"method": self.method, "path": self.path, "role": self.role}
        if self.params is not None:
            out["params"] = dict(self.params)
        if self.body is not None:
            out["body"] = self.body
        return out


def fill(value: Any, context: Mapping[str, str], *, url: bool = False) -> Any:
    """``value`` with ``{name}`` placeholders filled from ``context``."""
    if isinstance(value, str):
        return re.sub(
            r"\{([a-z_0-9]+)\}",
            lambda m: quote(context[m[1]], safe="") if url else context[m[1]],
            value,
        )
    if isinstance(value, list):
        return [fill(v, context, url=url) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, context, url=url) for k, v in value.items()}
    return value


def dig(value: Any, path: JsonPath) -> str:
    for step in path:
        value = value[step]
    return str(value)


_TOKEN = re.compile(r"person-[A-Za-z0-9_-]{16,}")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_PROM_LINE = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?P<labels>\{.*\})? (?P<value>\S+)$")
_DURATION_FIELDS = frozenset({"elapsed_ms"})
_ELEMENT_ID = re.compile(r"#?[45]:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:\d+")
"""A Neo4j element id (4: a node, 5: a relationship), ``#`` first in neighbour lists."""
_FALKOR_REF = re.compile(r"#\d+")
"""A FalkorDB node without a key, as neighbour lists name it."""
_DURATION_HISTOGRAM = "riskgraph_http_request_duration_seconds"


class Normaliser:
    """Replaces the volatile parts of answers (see the module docstring), keeping one
    numbering of pseudonyms for a whole run."""

    def __init__(self, started: datetime) -> None:
        self.window = (started - timedelta(minutes=10), started + timedelta(hours=2))
        self.refs: dict[str, str] = {}
        self.literals: dict[str, str] = {}
        self.internal: dict[tuple[str, str], str] = {}

    def answer(self) -> None:
        """A new answer: internal ids are numbered afresh."""
        self.internal = {}

    def volatile(self, value: str, placeholder: str) -> None:
        """Replace ``value`` by ``<placeholder>`` wherever it occurs."""
        self.literals[value] = f"<{placeholder}>"

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, dict):
            value = self._internal_ids(value)
            return {
                self.text(k): "<duration>" if k in _DURATION_FIELDS else self(v)
                for k, v in value.items()
            }
        return value

    def _internal_ids(self, value: dict[str, Any]) -> dict[str, Any]:
        """A path's node or relationship, or a neighbour, with internal ids numbered."""
        fields: tuple[tuple[str, str], ...] = ()
        if {"id", "labels", "properties"} <= value.keys():
            fields = (("id", "node"),)
        elif {"id", "start", "end", "type", "properties"} <= value.keys():
            fields = (("id", "rel"), ("start", "node"), ("end", "node"))
        elif isinstance(value.get("id"), str) and (
            _FALKOR_REF.fullmatch(value["id"]) or _ELEMENT_ID.fullmatch(value["id"])
        ):
            fields = (("id", "node"),)
        out = dict(value)
        for name, kind in fields:
            if isinstance(out.get(name), str):
                out[name] = self._internal(out[name], kind)
        return out

    def _internal(self, raw: str, kind: str) -> str:
        hashed = raw.startswith("#")
        key = raw.removeprefix("#")
        if _ELEMENT_ID.fullmatch(key):
            kind = "node" if key.startswith("4:") else "rel"
        elif not key.isdigit():
            return raw  # a key (uscc, pid, aid, vid), not an internal id
        count = sum(1 for k in self.internal if k[0] == kind)
        placeholder = self.internal.setdefault((kind, key), f"<{kind}{count + 1}>")
        return "#" + placeholder if hashed else placeholder

    def text(self, value: str) -> str:
        for literal in sorted(self.literals, key=len, reverse=True):
            value = value.replace(literal, self.literals[literal])
        value = _TOKEN.sub(self._ref, value)
        return _DATETIME.sub(self._datetime, value)

    def _ref(self, match: re.Match[str]) -> str:
        return self.refs.setdefault(match[0], f"<ref{len(self.refs) + 1}>")

    def _datetime(self, match: re.Match[str]) -> str:
        text = match[0].replace(" ", "T").replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return match[0]
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        low, high = self.window
        return "<now>" if low <= moment <= high else match[0]

    def prometheus(self, text: str) -> list[str]:
        """The Prometheus text, line by line, with durations and creation times out."""
        lines = []
        for line in text.splitlines():
            found = _PROM_LINE.match(line)
            if found and not line.startswith("#"):
                name = found["name"]
                if name.endswith("_created"):
                    line = f"{name}{found['labels'] or ''} <timestamp>"
                elif name in (f"{_DURATION_HISTOGRAM}_bucket", f"{_DURATION_HISTOGRAM}_sum"):
                    line = f"{name}{found['labels'] or ''} <duration>"
            lines.append(self.text(line))
        return lines


def answer_of(call: Call, response: httpx2.Response, normalise: Normaliser) -> dict[str, Any]:
    """The normalised answer: status, content type and the JSON body (or text lines)."""
    content_type = response.headers.get("content-type", "")
    normalise.answer()
    out: dict[str, Any] = {"status": response.status_code, "content_type": content_type}
    if content_type.startswith("application/json"):
        body = normalise(response.json())
        if call.unordered and isinstance(body, list):
            body.sort(key=dump)
        out["body"] = body
    elif content_type.startswith("text/plain; version="):  # Prometheus
        out["lines"] = normalise.prometheus(response.text)
    else:
        out["lines"] = [normalise.text(line) for line in response.text.splitlines()]
    return out


# ---------------------------------------------------------------- recorded files


def dump(value: Any) -> str:
    """Sorted keys, pretty, non-ASCII kept: readable diffs."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def engine_file(engine: str) -> Path:
    return CONTRACT_DIR / f"answers.{engine}.json"


def entries(calls: list[Call], answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": c.name, "request": c.describe(), "response": answers[c.name]}
        for c in calls
        if c.name in answers
    ]


def load_entries(path: Path) -> dict[str, Any]:
    """A recorded file's responses by request name ({} when there is no file)."""
    if not path.exists():
        return {}
    return {e["name"]: e["response"] for e in json.loads(path.read_text(encoding="utf-8"))}


# ---------------------------------------------------------------- differences


def differences(recorded: Any, actual: Any, where: str = "") -> Iterator[str]:
    """Every field where ``actual`` differs from ``recorded``, as ``path: was → now``."""
    if isinstance(recorded, dict) and isinstance(actual, dict):
        for key in sorted(set(recorded) | set(actual), key=str):
            here = f"{where}.{key}" if where else str(key)
            if key not in actual:
                yield f"{here}: missing (recorded {_short(recorded[key])})"
            elif key not in recorded:
                yield f"{here}: new field {_short(actual[key])}"
            else:
                yield from differences(recorded[key], actual[key], here)
    elif isinstance(recorded, list) and isinstance(actual, list):
        for index, (was, now) in enumerate(zip(recorded, actual, strict=False)):
            yield from differences(was, now, f"{where}[{index}]")
        if len(recorded) != len(actual):
            yield f"{where}: {len(actual)} items instead of {len(recorded)}"
    elif recorded != actual or type(recorded) is not type(actual):
        yield f"{where}: recorded {_short(recorded)}, got {_short(actual)}"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 160 else text[:157] + "..."
