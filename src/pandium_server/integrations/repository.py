"""SQL for integrations, their connectors and their labels."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from pandium_server.integrations.schemas import SortableFields
from pandium_server.kit.pagination import Page
from pandium_server.models import Category, Flag, Integration, Tag

SORT_COLUMNS = {name: getattr(Integration, name) for name in SortableFields}


def _with_children(stmt: Select) -> Select:
    return stmt.options(
        selectinload(Integration.connectors),
        selectinload(Integration.categories),
        selectinload(Integration.tags),
        selectinload(Integration.flag),
    )


async def get(session: AsyncSession, account_id: int, integration_id: int) -> Integration | None:
    stmt = select(Integration).where(
        Integration.id == integration_id, Integration.account_id == account_id
    )
    return (await session.execute(_with_children(stmt))).scalar_one_or_none()


async def exists(session: AsyncSession, account_id: int, integration_id: int) -> bool:
    stmt = select(Integration.id).where(
        Integration.id == integration_id, Integration.account_id == account_id
    )
    return (await session.execute(stmt)).first() is not None


async def by_name(session: AsyncSession, account_id: int, name: str) -> Integration | None:
    stmt = select(Integration).where(Integration.account_id == account_id, Integration.name == name)
    return (await session.execute(_with_children(stmt))).scalar_one_or_none()


async def list_page(
    session: AsyncSession, account_id: int, archived: bool, page: Page
) -> Sequence[Integration]:
    stmt = select(Integration).where(
        Integration.account_id == account_id, Integration.archived.is_(archived)
    )
    stmt = page.apply(stmt, SORT_COLUMNS, Integration.id)
    return (await session.execute(_with_children(stmt))).scalars().all()


async def labels_by_name(
    session: AsyncSession, model: type[Category] | type[Tag] | type[Flag], account_id: int, names
) -> dict[str, Category | Tag | Flag]:
    stmt = select(model).where(model.account_id == account_id, model.name.in_(list(names)))
    return {row.name: row for row in (await session.execute(stmt)).scalars()}


async def add(session: AsyncSession, obj: object) -> None:
    session.add(obj)
    await session.flush()


async def get_row(
    session: AsyncSession, account_id: int, integration_id: int
) -> Integration | None:
    """The integration without its children (connectors, labels): for rule checks."""
    stmt = select(Integration).where(
        Integration.id == integration_id, Integration.account_id == account_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()
