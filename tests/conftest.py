"""A real PostgreSQL for the whole test session.

The embedded server (or ``PANDIUM_TEST_DATABASE_URL``) hosts a template database migrated
by alembic. API tests run inside a transaction that is rolled back; tests that need
committed data or other processes get their own clone of the template.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from pandium_server.app import create_app
from pandium_server.auth import service as auth
from pandium_server.config import Settings
from pandium_server.db.engine import build_engine
from pandium_server.db.migrate import upgrade_head_async
from pandium_server.db.session import session_scope

TEMPLATE = f"pandium_tpl_{os.getpid()}"
TEST_KEY = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMzJieXQ="  # 32 bytes, tests only
FAKE_DNS = {
    "private.test": ["10.1.2.3"],
    "public-and-private.test": ["93.184.216.34", "10.0.0.5"],
    "public.test": ["93.184.216.34"],
}


async def fake_resolver(host: str, port: int) -> list[str]:
    """Names the tests need to resolve to chosen addresses; everything else as usual."""
    if host in FAKE_DNS:
        return FAKE_DNS[host]
    from pandium_server.proxy.guard import system_resolver

    return await system_resolver(host, port)


def settings_for_tests(**values) -> Settings:
    from pydantic import SecretStr

    return Settings(encryption_keys=SecretStr(TEST_KEY), proxy_timeout_seconds=2, **values)


_counter = itertools.count()


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def server_url(tmp_path_factory) -> str:
    """URL of a maintenance database on the test server."""
    configured = os.environ.get("PANDIUM_TEST_DATABASE_URL")
    if configured:
        return configured
    from pandium_server.db.embedded import start_embedded

    return start_embedded(tmp_path_factory.mktemp("pg"))


async def _admin(server_url: str, *statements: str) -> None:
    engine = build_engine(server_url, pool_size=1).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
async def template_url(server_url: str) -> AsyncIterator[str]:
    """A database migrated to head, used as the template for every other one."""
    await _admin(server_url, f"DROP DATABASE IF EXISTS {TEMPLATE}", f"CREATE DATABASE {TEMPLATE}")
    url = _with_database(server_url, TEMPLATE)
    await upgrade_head_async(url)
    yield url
    await _admin(server_url, f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")


@pytest.fixture(scope="session")
async def clone_database(server_url: str, template_url: str):
    """A factory of fresh databases cloned from the migrated template."""
    created: list[str] = []

    async def clone() -> str:
        name = f"pandium_t{os.getpid()}_{next(_counter)}"
        await _admin(server_url, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        created.append(name)
        return _with_database(server_url, name)

    yield clone
    for name in created:
        await _admin(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
async def shared_engine(clone_database) -> AsyncIterator[AsyncEngine]:
    engine = build_engine(await clone_database(), pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
async def maker(shared_engine: AsyncEngine) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions that share one connection whose outer transaction is rolled back."""
    async with shared_engine.connect() as conn:
        outer = await conn.begin()
        yield async_sessionmaker(
            bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        await outer.rollback()


@pytest.fixture
def statements(maker) -> list[str]:
    """Every SQL statement sent on the test connection, in order."""
    seen: list[str] = []
    sync_engine = maker.kw["bind"].sync_engine

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(sync_engine, "before_cursor_execute", record)
    yield seen
    event.remove(sync_engine, "before_cursor_execute", record)


@pytest.fixture
async def app(maker):
    application = create_app(
        settings_for_tests(database_url=None), sessionmaker=maker, resolver=fake_resolver
    )
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def anon(app) -> AsyncIterator[httpx.AsyncClient]:
    """A client that sends no API key."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as c:
        yield c


class Tenancy:
    """An account with a key and a client that uses it."""

    def __init__(self, account_id: int, key: str, client: httpx.AsyncClient) -> None:
        self.account_id = account_id
        self.key = key
        self.client = client


async def make_account(maker, app) -> Tenancy:
    async with session_scope(maker) as session:
        account = await auth.create_account(session, f"acct-{uuid.uuid4().hex[:8]}")
        key = await auth.create_key(session, account, "test")
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"X-API-KEY": key},
    )
    return Tenancy(account.id, key, client)


@pytest.fixture
async def alice(maker, app) -> AsyncIterator[Tenancy]:
    t = await make_account(maker, app)
    async with t.client:
        yield t


@pytest.fixture
async def bob(maker, app) -> AsyncIterator[Tenancy]:
    t = await make_account(maker, app)
    async with t.client:
        yield t


@pytest.fixture
def client(alice: Tenancy) -> httpx.AsyncClient:
    return alice.client


async def count_rows(maker, table: str) -> int:
    async with maker() as session:
        return (await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()


class Live(Tenancy):
    """A tenancy on its own database with real commits, plus what workers need."""

    def __init__(self, tenancy: Tenancy, url: str, app, maker) -> None:
        super().__init__(tenancy.account_id, tenancy.key, tenancy.client)
        self.url = url
        self.app = app
        self.maker = maker


@pytest.fixture
async def committed(clone_database) -> AsyncIterator[Live]:
    """An account on an app over its own database with real commits (for concurrency)."""
    from pydantic import SecretStr

    url = await clone_database()
    application = create_app(
        settings_for_tests(database_url=SecretStr(url), db_pool_size=20), resolver=fake_resolver
    )
    async with application.router.lifespan_context(application):
        maker = application.state.sessionmaker
        tenancy = await make_account(maker, application)
        async with tenancy.client:
            yield Live(tenancy, url, application, maker)


@pytest.fixture(scope="session")
def upstream_server():
    """A real HTTP server on loopback that records what it receives (proxy tests)."""
    from tests.proxy.upstream import Upstream

    server = Upstream()
    yield server
    server.close()


@pytest.fixture
def upstream(upstream_server):
    upstream_server.hits.clear()
    upstream_server.token_requests = 0
    return upstream_server
