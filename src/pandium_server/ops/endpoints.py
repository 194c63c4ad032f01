"""Health, readiness and metrics (no API key: for load balancers and Prometheus)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from pandium_server.models.run import PHASES
from pandium_server.ops.metrics import QUEUE_DEPTH, REGISTRY, RUNS
from pandium_server.runs import repository as runs

router = APIRouter(tags=["Operations (extension)"])


@router.get("/healthz", summary="Liveness")
async def healthz() -> dict:
    """The process is up."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness",
    responses={503: {"description": "Database unreachable or not migrated to head"}},
)
async def readyz(request: Request):
    """The database answers and its schema is at the newest migration."""
    try:
        async with request.app.state.sessionmaker() as session:
            current = await runs.schema_revision(session)
    except Exception as exc:
        return JSONResponse(
            {"status": "unavailable", "message": f"database: {type(exc).__name__}"}, 503
        )
    head = request.app.state.migration_head
    if current != head:
        return JSONResponse(
            {"status": "unavailable", "message": f"schema at {current}, expected {head}"}, 503
        )
    return {"status": "ready", "migration": current}


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    """Request counts and latency by route and status, runs by phase, pending runs, proxy
    latency by connector, in Prometheus text format."""
    async with request.app.state.sessionmaker() as session:
        counts = await runs.run_counts(session)
    for phase in PHASES:
        RUNS.labels(phase).set(counts.get(phase, 0))
    QUEUE_DEPTH.set(counts.get("Pending", 0))
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
