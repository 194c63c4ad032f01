"""SQL for connectors and their sealed credentials."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import and_, delete, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.models import Connector, Credential, Tenant


async def by_name(session: AsyncSession, integration_id: int, name: str) -> Connector | None:
    stmt = select(Connector).where(
        Connector.integration_id == integration_id, Connector.name == name
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def credential(
    session: AsyncSession, connector_id: int, tenant_id: int | None, *, for_update: bool = False
) -> Credential | None:
    stmt = select(Credential).where(Credential.connector_id == connector_id)
    stmt = stmt.where(
        Credential.tenant_id == tenant_id
        if tenant_id is not None
        else Credential.tenant_id.is_(None)
    )
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def for_tenants(session: AsyncSession, tenant_ids: Iterable[int]) -> dict[tuple, Credential]:
    """Credentials of the given tenants, keyed by (tenant id, connector id)."""
    ids = list(tenant_ids)
    if not ids:
        return {}
    stmt = select(Credential).where(Credential.tenant_id.in_(ids))
    return {(c.tenant_id, c.connector_id): c for c in (await session.execute(stmt)).scalars()}


async def remove(session: AsyncSession, connector_id: int, tenant_id: int) -> int:
    result = await session.execute(
        delete(Credential).where(
            Credential.connector_id == connector_id, Credential.tenant_id == tenant_id
        )
    )
    return result.rowcount


async def all_sealed(session: AsyncSession) -> tuple[Sequence[Credential], Sequence[Connector]]:
    """Every credential, and every connector holding a sealed client secret, locked."""
    creds = (
        (await session.execute(select(Credential).order_by(Credential.id).with_for_update()))
        .scalars()
        .all()
    )
    connectors = (
        (
            await session.execute(
                select(Connector)
                .where(Connector.client_secret.is_not(None))
                .order_by(Connector.id)
                .with_for_update()
            )
        )
        .scalars()
        .all()
    )
    return creds, connectors


async def add(session: AsyncSession, obj: object) -> None:
    session.add(obj)
    await session.flush()


def _credential_in_use(tenant_id):
    """Join condition: the credential a connector uses for a tenant (the tenant's own, or
    the integration's for a global connector)."""
    return and_(
        Credential.connector_id == Connector.id,
        or_(
            and_(Connector.is_global, Credential.tenant_id.is_(None)),
            and_(~Connector.is_global, Credential.tenant_id == tenant_id),
        ),
    )


async def proxy_target(
    session: AsyncSession, account_id: int, tenant_id: int, name: str
) -> tuple[bool, Connector | None, Credential | None]:
    """In one round trip: whether the tenant exists, its connector ``name``, and the
    credential that connector uses for it (the tenant's own, or the global one)."""
    stmt = (
        select(Tenant.id, Connector, Credential)
        .select_from(Tenant)
        .outerjoin(
            Connector,
            and_(Connector.integration_id == Tenant.integration_id, Connector.name == name),
        )
        .outerjoin(
            Credential,
            _credential_in_use(Tenant.id),
        )
        .where(Tenant.id == tenant_id, Tenant.account_id == account_id)
    )
    row = (await session.execute(stmt)).first()
    if row is None:
        return False, None, None
    return True, row[1], row[2]


_REFRESH_LOCKS = 0x7044 << 48


async def lock_for_refresh(session: AsyncSession, credential_id: int) -> Credential | None:
    """Take the credential's refresh lock (held until the transaction ends), then read it
    afresh: whoever held the lock before may have refreshed it."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _REFRESH_LOCKS | credential_id}
    )
    stmt = (
        select(Credential)
        .where(Credential.id == credential_id)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def mark_refresh_failed(session: AsyncSession, credential_id: int) -> None:
    await session.execute(
        update(Credential).where(Credential.id == credential_id).values(status="refresh_failed")
    )


async def for_run(
    session: AsyncSession, integration_id: int, tenant_id: int
) -> list[tuple[Connector, Credential]]:
    """In one round trip: each connector of the integration that has credentials for this
    tenant (its own, or the global ones), with those credentials."""
    stmt = (
        select(Connector, Credential)
        .join(
            Credential,
            _credential_in_use(tenant_id),
        )
        .where(Connector.integration_id == integration_id)
        .order_by(Connector.id)
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]
