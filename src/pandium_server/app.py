"""The FastAPI application; runtime objects are built in the lifespan."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pandium_server import __version__
from pandium_server.auth.service import KeyVerifier
from pandium_server.builds.endpoints import router as builds_router
from pandium_server.config import Settings
from pandium_server.connectors.endpoints import router as connectors_router
from pandium_server.db.engine import build_engine
from pandium_server.db.migrate import migration_head
from pandium_server.db.session import build_sessionmaker
from pandium_server.errors import install_error_handlers
from pandium_server.integrations.endpoints import router as integrations_router
from pandium_server.kit.crypto import Keyring
from pandium_server.metadata.endpoints import router as metadata_router
from pandium_server.ops.docs import install_docs, install_openapi
from pandium_server.ops.endpoints import router as ops_router
from pandium_server.ops.logging import RequestContext
from pandium_server.proxy.endpoints import router as proxy_router
from pandium_server.proxy.guard import Resolver, build_client
from pandium_server.releases.endpoints import router as releases_router
from pandium_server.runs.endpoints import router as runs_router
from pandium_server.tenants.endpoints import router as tenants_router

DESCRIPTION = """\
A self-hostable implementation of the Pandium v2 API. Authenticate every call with an API
key (`pandium-server keys create`) in the `X-API-KEY` header, or as `Authorization: Bearer`.
Operations tagged *(extension)* are ours; the others follow the Pandium reference.
"""


def create_app(
    settings: Settings | None = None,
    *,
    sessionmaker: async_sessionmaker[AsyncSession] | None = None,
    run_worker: bool = False,
    resolver: Resolver | None = None,
) -> FastAPI:
    """Build the app. Pass ``sessionmaker`` to run on a database the caller manages;
    ``run_worker`` also runs a worker (and the scheduler) in this process."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = None
        maker = sessionmaker
        if maker is None:
            url = settings.database_url_value()
            if not url:
                raise RuntimeError("create_app needs PANDIUM_DATABASE_URL or a sessionmaker")
            engine = build_engine(url, pool_size=settings.db_pool_size)
            maker = build_sessionmaker(engine)
        app.state.sessionmaker = maker
        app.state.migration_head = migration_head()
        app.state.settings = settings
        app.state.key_verifier = KeyVerifier(maker, ttl=settings.api_key_cache_seconds)
        app.state.keyring = Keyring.parse(
            settings.encryption_keys.get_secret_value() if settings.encryption_keys else None
        )
        app.state.http = build_client(settings.proxy_timeout_seconds, resolver)
        worker = worker_task = None
        if run_worker:
            from pandium_server.worker.loop import Worker

            worker = Worker(maker, settings, database_url=settings.database_url_value())
            worker_task = asyncio.create_task(worker.run(), name="pandium-worker")
        try:
            yield
        finally:
            if worker is not None and worker_task is not None:
                worker.stop()
                await worker_task
            await app.state.http.aclose()
            if engine is not None:
                await engine.dispose()

    app = FastAPI(
        title="pandium-server",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    install_docs(app)
    install_openapi(app)
    app.add_middleware(RequestContext, max_body=settings.max_body_bytes)
    install_error_handlers(app)
    app.include_router(ops_router)
    app.include_router(integrations_router)
    app.include_router(releases_router)
    app.include_router(tenants_router)
    app.include_router(metadata_router)
    app.include_router(runs_router)
    app.include_router(connectors_router)
    app.include_router(builds_router)
    app.include_router(proxy_router)
    return app
