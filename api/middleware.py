"""One ASGI middleware for every request: request id, body limit, metrics, access log."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from riskgraph.api.metrics import Metrics

log = logging.getLogger("riskgraph.api")
CONTEXT_KEY = "riskgraph.context"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Risk results must not linger in shared caches or be sniffed into another type.
_SECURITY_HEADERS = ((b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff"))


@dataclass
class RequestContext:
    """Per-request facts that the auth dependency fills in for logs and the audit."""

    request_id: str
    key_id: str | None = None
    role: str | None = None


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a body without Content-Length passes the limit; an
    HTTPException so that FastAPI's body parsing lets it through as a 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body exceeds {limit} bytes")


class ObservabilityMiddleware:
    """Assigns a request id, refuses bodies over ``max_body_bytes`` (413), and records
    each request in the metrics and as one JSON access-log line."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, max_body_bytes: int) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        context = RequestContext(given if _REQUEST_ID.match(given) else uuid.uuid4().hex)
        scope[CONTEXT_KEY] = context
        started = time.perf_counter()
        status = 500
        response_started = False

        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            status = 413
            await _send_json(send, 413, _too_large(self.max_body_bytes), context.request_id)
            self._finish(scope, context, status, started)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge(self.max_body_bytes)
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = int(message["status"])
                response_started = True
                message["headers"] = [
                    *message.get("headers", []),
                    *_SECURITY_HEADERS,
                    (b"x-request-id", context.request_id.encode("latin-1")),
                ]
            await send(message)

        self.metrics.in_flight.inc()
        try:
            await self.app(scope, limited_receive, send_with_id)
        except BodyTooLarge:
            if response_started:
                raise
            status = 413
            await _send_json(send, 413, _too_large(self.max_body_bytes), context.request_id)
        finally:
            self.metrics.in_flight.dec()
            self._finish(scope, context, status, started)

    def _finish(self, scope: Scope, context: RequestContext, status: int, started: float) -> None:
        seconds = time.perf_counter() - started
        route = route_template(scope) or "unmatched"
        method = str(scope.get("method", ""))
        self.metrics.observe(method, route, status, seconds)
        log.info(
            "request",
            extra={
                "request_id": context.request_id,
                "method": method,
                "route": route,
                "path": scope.get("path"),
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
                "key_id": context.key_id,
                "role": context.role,
            },
        )


def route_template(scope: Scope) -> str | None:
    """The matched route as a template (``/api/v1/scores/{uscc}``), or None.

    Routes of included routers know only their own part of the path, so the
    prefix is taken from the request path: as many segments as the template
    does not cover.
    """
    template = getattr(scope.get("route"), "path", None)
    if not isinstance(template, str):
        return None
    parts = str(scope.get("path", "")).split("/")
    covered = template.count("/")
    return "/".join(parts[: len(parts) - covered]) + template


def _too_large(limit: int) -> dict[str, Any]:
    return {"error": "payload_too_large", "message": f"the request body exceeds {limit} bytes"}


async def _send_json(send: Send, status: int, body: dict[str, Any], request_id: str) -> None:
    payload = json.dumps(body).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"x-request-id", request_id.encode("latin-1")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
