"""Prometheus metrics: requests by route and status, run phases, queue depth, proxy latency."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "pandium_http_requests_total",
    "HTTP requests served, by method, route template and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "pandium_http_request_duration_seconds",
    "Time to serve HTTP requests, by method and route template.",
    ["method", "route"],
    registry=REGISTRY,
)
RUNS = Gauge(
    "pandium_runs",
    "Runs by phase: pending and running now, finished ones over the last 24 hours.",
    ["phase"],
    registry=REGISTRY,
)
QUEUE_DEPTH = Gauge("pandium_pending_runs", "Pending runs waiting for a worker.", registry=REGISTRY)
PROXY_LATENCY = Histogram(
    "pandium_proxy_request_duration_seconds",
    "Time of proxied connector calls, by connector and outcome status.",
    ["connector", "status"],
    registry=REGISTRY,
)
