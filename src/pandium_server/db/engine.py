"""Engine construction and URL normalisation."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def async_url(url: str) -> str:
    """Return ``url`` with the asyncpg driver, whatever driver it named."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql", "postgresql+psycopg2", "postgresql+psycopg"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def build_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    """An async engine for ``url``; call it in a lifespan or command, never at import."""
    return create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        # A connection dropped by a database restart is replaced instead of failing a request.
        pool_pre_ping=True,
        connect_args={"server_settings": {"application_name": "pandium-server"}},
    )
