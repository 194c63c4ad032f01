"""SQL for releases. Callers have already checked the integration's account."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.models import Release


async def get(session: AsyncSession, integration_id: int, release_id: int) -> Release | None:
    stmt = select(Release).where(Release.id == release_id, Release.integration_id == integration_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def exists(session: AsyncSession, integration_id: int, release_id: int) -> bool:
    stmt = select(Release.id).where(
        Release.id == release_id, Release.integration_id == integration_id
    )
    return (await session.execute(stmt)).first() is not None


async def by_name(session: AsyncSession, integration_id: int, name: str) -> Release | None:
    stmt = select(Release).where(Release.integration_id == integration_id, Release.name == name)
    return (await session.execute(stmt)).scalar_one_or_none()


async def list_for(session: AsyncSession, integration_id: int) -> Sequence[Release]:
    stmt = select(Release).where(Release.integration_id == integration_id).order_by(Release.id)
    return (await session.execute(stmt)).scalars().all()


async def latest(session: AsyncSession, integration_id: int) -> Release | None:
    stmt = (
        select(Release)
        .where(Release.integration_id == integration_id)
        .order_by(Release.created_date.desc(), Release.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def add(session: AsyncSession, release: Release) -> None:
    session.add(release)
    await session.flush()
