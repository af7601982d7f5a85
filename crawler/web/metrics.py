"""Prometheus metrics of the app (GET /metrics), in a registry of its own per app."""
from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("news_web_requests", "HTTP requests answered", ["method", "route", "status"],
                                registry=self.registry)
        self.latency = Histogram("news_web_request_seconds", "Time to answer a request", ["route"],
                                 registry=self.registry)
        self.documents = Counter("news_web_normalised_documents", "Documents normalised by POST /normalise",
                                 ["outcome"], registry=self.registry)
        self.in_progress = Gauge("news_web_normalise_in_progress", "POST /normalise requests being served",
                                 registry=self.registry)


class MetricsMiddleware:
    """Counts every request by its route template (not the raw path: URLs are unbounded)."""

    def __init__(self, app, metrics: Metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        status = {"code": 500}
        started = time.perf_counter()

        async def tracking_send(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.requests.labels(scope["method"], route, str(status["code"])).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - started)
