"""The migrations and the models describe the same schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

import pandium_server.models  # noqa: F401
from pandium_server.db.base import Base
from pandium_server.db.engine import build_engine
from pandium_server.db.migrate import upgrade_head_async
from tests.conftest import _admin, _with_database


def _diff(sync_conn):
    context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


async def test_upgrade_head_on_an_empty_database_matches_the_models(server_url):
    name = "pandium_empty_migration_check"
    await _admin(server_url, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    url = _with_database(server_url, name)
    try:
        await upgrade_head_async(url)
        engine = build_engine(url, pool_size=1)
        async with engine.connect() as conn:
            diff = await conn.run_sync(_diff)
            tables = (
                await conn.execute(
                    text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
                )
            ).scalar_one()
        await engine.dispose()
        assert diff == []
        # every model table plus alembic_version
        assert tables == len(Base.metadata.tables) + 1
        await upgrade_head_async(url)  # running it again is a no-op
    finally:
        await _admin(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


async def test_every_migration_downgrades_and_upgrades_again(server_url):
    import asyncio

    from alembic import command

    from pandium_server.db.migrate import alembic_config

    name = "pandium_round_trip_check"
    await _admin(server_url, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    url = _with_database(server_url, name)
    try:
        await upgrade_head_async(url)
        await asyncio.to_thread(command.downgrade, alembic_config(url), "base")
        engine = build_engine(url, pool_size=1)
        async with engine.connect() as conn:
            left = (
                await conn.execute(
                    text(
                        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                        "AND tablename <> 'alembic_version'"
                    )
                )
            ).scalar_one()
        await engine.dispose()
        assert left == 0
        await upgrade_head_async(url)
    finally:
        await _admin(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
