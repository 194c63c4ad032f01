"""SQL for tenants and their metadata rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.kit.pagination import Page
from pandium_server.models import Connector, Tenant, TenantMetadata
from pandium_server.tenants.schemas import SortableFields

SORT_COLUMNS = {name: getattr(Tenant, name) for name in SortableFields}


def _owned(account_id: int, tenant_id: int) -> Select:
    return select(Tenant).where(Tenant.id == tenant_id, Tenant.account_id == account_id)


async def get(
    session: AsyncSession, account_id: int, tenant_id: int, *, for_update: bool = False
) -> Tenant | None:
    stmt = _owned(account_id, tenant_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def list_page(
    session: AsyncSession,
    account_id: int,
    *,
    archived: bool,
    integration_id: int | None,
    user_name: str | None,
    page: Page,
) -> Sequence[Tenant]:
    stmt = select(Tenant).where(Tenant.account_id == account_id, Tenant.archived.is_(archived))
    if integration_id:
        stmt = stmt.where(Tenant.integration_id == integration_id)
    if user_name:
        stmt = stmt.where(Tenant.user_name == user_name)
    stmt = page.apply(stmt, SORT_COLUMNS, Tenant.id)
    return (await session.execute(stmt)).scalars().all()


async def live_name_taken(
    session: AsyncSession, integration_id: int, name: str, except_id: int | None = None
) -> bool:
    stmt = select(Tenant.id).where(
        Tenant.integration_id == integration_id, Tenant.name == name, Tenant.archived.is_(False)
    )
    if except_id is not None:
        stmt = stmt.where(Tenant.id != except_id)
    return (await session.execute(stmt.limit(1))).first() is not None


async def live_by_name(
    session: AsyncSession, account_id: int, integration_id: int, name: str
) -> Tenant | None:
    stmt = select(Tenant).where(
        Tenant.account_id == account_id,
        Tenant.integration_id == integration_id,
        Tenant.name == name,
        Tenant.archived.is_(False),
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def user_connectors(
    session: AsyncSession, integration_ids: Iterable[int]
) -> dict[int, list[Connector]]:
    """The non-global connectors of each integration, in definition order."""
    ids = set(integration_ids)
    found: dict[int, list[Connector]] = {i: [] for i in ids}
    if not ids:
        return found
    stmt = (
        select(Connector)
        .where(Connector.integration_id.in_(ids), Connector.is_global.is_(False))
        .order_by(Connector.id)
    )
    for connector in (await session.execute(stmt)).scalars():
        found[connector.integration_id].append(connector)
    return found


async def metadata(
    session: AsyncSession, tenant_id: int, *, for_update: bool = False
) -> TenantMetadata | None:
    stmt = select(TenantMetadata).where(TenantMetadata.tenant_id == tenant_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def add(session: AsyncSession, obj: object) -> None:
    session.add(obj)
    await session.flush()


async def due_for_schedule(session: AsyncSession, now, limit: int) -> Sequence[Tenant]:
    """Live, unpaused tenants with a schedule that is due (or was never computed)."""
    stmt = (
        select(Tenant)
        .where(
            Tenant.paused.is_(False),
            Tenant.archived.is_(False),
            Tenant.schedule.is_not(None),
            (Tenant.next_run_at.is_(None)) | (Tenant.next_run_at <= now),
        )
        .order_by(Tenant.next_run_at.nulls_first())
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(stmt)).scalars().all()


async def live_by_user_name(
    session: AsyncSession, account_id: int, integration_id: int, user_name: str
) -> Tenant | None:
    """The integration's oldest live tenant installed by ``user_name``."""
    stmt = (
        select(Tenant)
        .where(
            Tenant.account_id == account_id,
            Tenant.integration_id == integration_id,
            Tenant.user_name == user_name,
            Tenant.archived.is_(False),
        )
        .order_by(Tenant.id)
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()
