"""Running alembic from code, and resolving which database to use."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from pandium_server.config import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    """An alembic Config pointing at our migrations and ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["database_url"] = url
    return cfg


def upgrade_head(url: str) -> None:
    """``alembic upgrade head`` on ``url``."""
    command.upgrade(alembic_config(url), "head")


def resolve_database_url(settings: Settings) -> str:
    """The configured database URL, or the embedded server's when none is configured."""
    url = settings.database_url_value()
    if url:
        return url
    from pandium_server.db.embedded import start_embedded

    return start_embedded(settings.data_dir)


async def upgrade_head_async(url: str) -> None:
    """``upgrade_head`` from async code (alembic runs its own loop, so in a thread)."""
    import asyncio

    await asyncio.to_thread(upgrade_head, url)


def migration_head() -> str:
    """The newest revision in our migrations (read from the files, no database)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("postgresql://unused")).get_current_head()
