"""Tenant metadata: merge by top-level key, validate the result, all or nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.errors import InvalidInput
from pandium_server.integrations import repository as integrations
from pandium_server.kit.jsonschema import validation_errors
from pandium_server.models import TenantMetadata
from pandium_server.releases import service as releases
from pandium_server.tenants import repository as tenants
from pandium_server.tenants import service as tenant_service


async def get(session: AsyncSession, account_id: int, tenant_id: int) -> TenantMetadata:
    tenant = await tenant_service.get(session, account_id, tenant_id)
    return await _row(session, tenant.id, tenant.account_id)


async def patch(
    session: AsyncSession, account_id: int, tenant_id: int, changes: dict[str, Any]
) -> TenantMetadata:
    """Set each given key (``null`` removes it), then check the whole document."""
    tenant = await tenant_service.get(session, account_id, tenant_id)
    row = await _row(session, tenant.id, account_id, for_update=True)
    merged = dict(row.data or {})
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    integration = await integrations.get_row(session, account_id, tenant.integration_id)
    assert integration is not None
    release = await releases.resolve_for_tenant(
        session, integration, tenant.integration_release_id, tenant.integration_release_channel
    )
    problems = validation_errors(release.metadata_schema if release else None, merged)
    if problems:
        raise InvalidInput.many(
            [
                (["body", *path], f"metadata/{'/'.join(map(str, path))}: {message}")
                for path, message in problems
            ]
        )
    if merged != row.data:
        row.data = merged
        await session.flush()
    return row


async def _row(
    session: AsyncSession, tenant_id: int, account_id: int, *, for_update: bool = False
) -> TenantMetadata:
    row = await tenants.metadata(session, tenant_id, for_update=for_update)
    if row is None:  # tenants made before metadata rows existed, or by other means
        row = TenantMetadata(tenant_id=tenant_id, account_id=account_id, data={})
        await tenants.add(session, row)
    return row
