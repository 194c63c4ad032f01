"""Alembic environment: runs migrations on our async engine."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

import pandium_server.models  # noqa: F401 - registers every table on the metadata
from pandium_server.db.base import Base
from pandium_server.db.engine import build_engine

config = context.config
target_metadata = Base.metadata


# Any constant works; it only has to be the same in every process that migrates.
MIGRATION_LOCK = 0x70616E6469756D


def _run(connection: Connection) -> None:
    # Processes starting together (API, workers, CLI) would otherwise race to create tables.
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
    connection.commit()
    try:
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
        connection.commit()


async def _run_async(url: str) -> None:
    engine = build_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        from pandium_server.config import Settings
        from pandium_server.db.migrate import resolve_database_url

        url = resolve_database_url(Settings())
    asyncio.run(_run_async(url))


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported")
run_migrations_online()
