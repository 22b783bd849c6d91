"""Prometheus metrics of one app: request counts and latencies per route."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    """A registry per app, so that several apps (tests) never share counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "riskgraph_http_requests",
            "HTTP requests by method, route template and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "riskgraph_http_request_duration_seconds",
            "Time to the end of the response, by method and route template.",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "riskgraph_http_requests_in_flight", "Requests being served.", registry=self.registry
        )
        self.cypher_refused = Counter(
            "riskgraph_cypher_refused",
            "Ad-hoc Cypher queries refused by the read-only guard.",
            registry=self.registry,
        )
        self.database_restarts = Counter(
            "riskgraph_database_restarts",
            "Restarts of the local database server after a crash or a hang.",
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
