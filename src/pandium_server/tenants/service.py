"""Rules for tenants: validation against the release, schedules, archiving, status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.connectors import repository as connector_repository
from pandium_server.errors import InvalidInput, NotFound
from pandium_server.integrations import repository as integrations
from pandium_server.kit.changes import assign
from pandium_server.kit.jsonschema import fill_dynamic, validation_errors
from pandium_server.kit.pagination import Page
from pandium_server.models import Integration, Release, Tenant, TenantMetadata
from pandium_server.releases import service as releases
from pandium_server.runs import repository as run_repository
from pandium_server.runs.schemas import run_summary
from pandium_server.tenants import repository, schedule
from pandium_server.tenants.schemas import (
    ConnectorStatus,
    TenantAuthStatus,
    TenantCreate,
    TenantStatus,
    TenantUpdate,
)
from pandium_server.tenants.schemas import Tenant as TenantOut


async def get(
    session: AsyncSession, account_id: int, tenant_id: int, *, for_update=False
) -> Tenant:
    tenant = await repository.get(session, account_id, tenant_id, for_update=for_update)
    if tenant is None:
        raise NotFound(f"Tenant {tenant_id} not found")
    return tenant


async def list_page(
    session: AsyncSession,
    account_id: int,
    *,
    archived: bool,
    integration_id: int | None,
    user_name: str | None,
    page: Page,
) -> Sequence[Tenant]:
    return await repository.list_page(
        session,
        account_id,
        archived=archived,
        integration_id=integration_id,
        user_name=user_name,
        page=page,
    )


async def create(session: AsyncSession, account_id: int, data: TenantCreate) -> Tenant:
    integration = await integrations.get_row(session, account_id, data.integration_id)
    if integration is None or integration.archived:
        raise InvalidInput(
            ["body", "integration_id"],
            f"integration_id {data.integration_id} is not an active integration of this account",
        )
    await _check_name_free(session, integration.id, data.name)
    release = await _release_for(
        session, integration, data.integration_release_id, data.integration_release_channel
    )
    _check_configs(release, data.configs, {})
    tenant = Tenant(
        account_id=account_id,
        integration_id=integration.id,
        name=data.name,
        configs=data.configs,
        dynamic_configs={},
        paused=True,
        archived=False,
        source="api",
        user_name=data.user_name,
        user_schedule=data.user_schedule,
        integration_release_id=data.integration_release_id,
        integration_release_channel=data.integration_release_channel,
    )
    await repository.add(session, tenant)
    _apply_schedule(tenant)  # the spread depends on the id, known only now
    await repository.add(
        session, TenantMetadata(tenant_id=tenant.id, account_id=account_id, data={})
    )
    return tenant


async def update(
    session: AsyncSession, account_id: int, tenant: Tenant, data: TenantUpdate
) -> bool:
    """Apply the fields present in ``data``; True when anything changed."""
    fields = data.model_fields_set
    for required in ("name", "paused", "archived", "configs"):
        if required in fields and getattr(data, required) is None:
            raise InvalidInput(["body", required], f"{required} cannot be null")
    integration = await integrations.get_row(session, account_id, tenant.integration_id)
    assert integration is not None  # the foreign key guarantees it

    values: dict = {k: getattr(data, k) for k in ("name", "paused", "user_name") if k in fields}
    if "archived" in fields:
        values["archived"] = data.archived
        if data.archived:
            values["paused"] = True
    if "integration_release_id" in fields or "integration_release_channel" in fields:
        values["integration_release_id"] = data.integration_release_id
        values["integration_release_channel"] = data.integration_release_channel
    if "configs" in fields:
        values["configs"] = data.configs

    will_be_live = not values.get("archived", tenant.archived)
    new_name = values.get("name", tenant.name)
    if will_be_live and (new_name != tenant.name or tenant.archived):
        await _check_name_free(session, tenant.integration_id, new_name, except_id=tenant.id)

    release_fields = ("integration_release_id", "integration_release_channel", "configs")
    if any(k in values for k in release_fields):
        release = await _release_for(
            session,
            integration,
            values.get("integration_release_id", tenant.integration_release_id),
            values.get("integration_release_channel", tenant.integration_release_channel),
        )
        _check_configs(release, values.get("configs", tenant.configs), tenant.dynamic_configs)

    was_paused = tenant.paused
    changed = assign(tenant, values)
    if "user_schedule" in fields and data.user_schedule != tenant.user_schedule:
        tenant.user_schedule = data.user_schedule
        _apply_schedule(tenant)
        changed = True
    elif was_paused and not tenant.paused:
        _apply_schedule(tenant)  # count from now, not from when it was paused
    await session.flush()
    return changed


async def archive(session: AsyncSession, tenant: Tenant) -> None:
    assign(tenant, {"archived": True, "paused": True})
    await session.flush()


async def current_release(session: AsyncSession, account_id: int, tenant_id: int) -> Release:
    """The tenant's release now, with dynamic config options filled into its config schema."""
    tenant = await get(session, account_id, tenant_id)
    integration = await integrations.get_row(session, account_id, tenant.integration_id)
    assert integration is not None
    release = await releases.resolve_for_tenant(
        session, integration, tenant.integration_release_id, tenant.integration_release_channel
    )
    if release is None:
        raise NotFound(f"Tenant {tenant_id} has no release to run")
    session.expunge(release)  # the filled-in schema is for this response only
    release.config_schema = fill_dynamic(release.config_schema, tenant.dynamic_configs)
    return release


async def views(session: AsyncSession, tenants: Sequence[Tenant]) -> list[TenantOut]:
    """Tenants as the API shows them, status included (one query for all connectors)."""
    connectors = await repository.user_connectors(session, {t.integration_id for t in tenants})
    credentials = await connector_repository.for_tenants(session, [t.id for t in tenants])
    runs = await run_repository.summaries(session, [t.id for t in tenants])
    out = []
    for tenant in tenants:
        run_status = {kind: run_summary(row) for kind, row in runs[tenant.id].items()}
        statuses = []
        for connector in connectors[tenant.integration_id]:
            credential = credentials.get((tenant.id, connector.id))
            statuses.append(
                ConnectorStatus(
                    name=connector.name,
                    status=credential.status if credential else "disconnected",
                    last_change=credential.modified_date if credential else None,
                )
            )
        status = TenantStatus(
            **run_status,
            dynamic_configs=tenant.dynamic_configs,
            auth=TenantAuthStatus(
                connected=all(s.status == "connected" for s in statuses), connectors=statuses
            ),
        )
        out.append(
            TenantOut(
                id=tenant.id,
                name=tenant.name,
                archived=tenant.archived,
                integration_id=tenant.integration_id,
                configs=tenant.configs,
                created_date=tenant.created_date,
                modified_date=tenant.modified_date,
                paused=tenant.paused,
                user_schedule=tenant.user_schedule,
                schedule=tenant.schedule,
                source=tenant.source,
                integration_release_id=tenant.integration_release_id,
                integration_release_channel=tenant.integration_release_channel,
                status=status,
                user_name=tenant.user_name,
                next_run_at=tenant.next_run_at,
            )
        )
    return out


async def view(session: AsyncSession, tenant: Tenant) -> TenantOut:
    return (await views(session, [tenant]))[0]


def _apply_schedule(tenant: Tenant, now: datetime | None = None) -> None:
    if tenant.user_schedule is None:
        tenant.schedule = None
        tenant.next_run_at = None
        return
    tenant.schedule = schedule.derive(tenant.user_schedule, schedule.seed_for(tenant.id))
    tenant.next_run_at = schedule.next_fire(tenant.schedule, now or datetime.now(UTC))


async def _check_name_free(
    session: AsyncSession, integration_id: int, name: str, except_id: int | None = None
) -> None:
    if await repository.live_name_taken(session, integration_id, name, except_id):
        raise InvalidInput(
            ["body", "name"], f"a tenant named {name!r} already exists for this integration"
        )


async def _release_for(
    session: AsyncSession, integration: Integration, release_id: int | None, channel: str | None
) -> Release:
    release = await releases.resolve_for_tenant(session, integration, release_id, channel)
    if release is not None:
        return release
    if release_id is not None:
        raise InvalidInput(
            ["body", "integration_release_id"],
            f"release {release_id} is not a release of integration {integration.id}",
        )
    raise InvalidInput(
        ["body", "integration_release_channel" if channel else "integration_id"],
        f"integration {integration.id} has no release for channel {channel or 'Default'}; "
        "pass integration_release_id or another channel",
    )


def _check_configs(release: Release, configs: dict, dynamic: dict) -> None:
    problems = validation_errors(fill_dynamic(release.config_schema, dynamic), configs)
    if problems:
        raise InvalidInput.many(
            [
                (["body", "configs", *path], f"configs/{'/'.join(map(str, path))}: {message}")
                for path, message in problems
            ]
        )
