"""Rules for syncs, triggers and runs."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.errors import NotFound
from pandium_server.kit.pagination import Page
from pandium_server.models import Run, Tenant
from pandium_server.runs import repository
from pandium_server.runs.schemas import Run as RunOut
from pandium_server.runs.schemas import RunStatus, RunTrigger, iso
from pandium_server.tenants import repository as tenant_repository
from pandium_server.tenants import service as tenants


async def sync_tenant(
    session: AsyncSession,
    account_id: int,
    tenant_id: int,
    mode: str,
    payload: dict[str, Any] | None,
    *,
    debounce_seconds: float,
) -> uuid.UUID:
    """Record a trigger for a live tenant; it joins the pending run or starts one."""
    tenant = await tenants.get(session, account_id, tenant_id)
    if tenant.archived:
        raise NotFound(f"Tenant {tenant_id} not found")
    return await trigger(session, tenant, mode, "api", payload, debounce_seconds)


async def sync_user(
    session: AsyncSession,
    account_id: int,
    integration_id: int,
    user_name: str,
    mode: str,
    payload: dict[str, Any] | None,
    *,
    debounce_seconds: float,
) -> uuid.UUID:
    """Record a trigger for the integration's live tenant installed by ``user_name``."""
    tenant = await tenant_repository.live_by_user_name(
        session, account_id, integration_id, user_name
    )
    if tenant is None:
        raise NotFound(f"No tenant of integration {integration_id} for user {user_name!r}")
    return await trigger(session, tenant, mode, "api", payload, debounce_seconds)


async def trigger(
    session: AsyncSession,
    tenant: Tenant,
    mode: str,
    source: str,
    payload: dict[str, Any] | None,
    debounce_seconds: float,
) -> uuid.UUID:
    return await repository.enqueue(
        session,
        account_id=tenant.account_id,
        tenant_id=tenant.id,
        integration_id=tenant.integration_id,
        mode=mode,
        source=source,
        payload=payload,
        debounce_seconds=debounce_seconds,
    )


def _parse_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(f"Trigger {value} not found") from None


async def trigger_status(session: AsyncSession, account_id: int, trigger_id: str) -> str:
    run = await repository.run_for_trigger(session, account_id, _parse_uuid(trigger_id))
    if run is None:
        raise NotFound(f"Trigger {trigger_id} not found")
    return run.phase


async def run_for_trigger(
    session: AsyncSession, account_id: int, tenant_id: int, trigger_id: str
) -> RunOut:
    await tenants.get(session, account_id, tenant_id)
    run = await repository.run_for_trigger(
        session, account_id, _parse_uuid(trigger_id), tenant_id=tenant_id
    )
    if run is None:
        raise NotFound(f"No run for trigger {trigger_id} of tenant {tenant_id}")
    return (await views(session, [run]))[0]


async def runs_page(
    session: AsyncSession, account_id: int, tenant_id: int, page: Page
) -> list[RunOut]:
    await tenants.get(session, account_id, tenant_id)
    return await views(session, await repository.runs_page(session, tenant_id, page))


async def get_run(session: AsyncSession, account_id: int, run_id: int) -> Run:
    run = await repository.get(session, account_id, run_id)
    if run is None:
        raise NotFound(f"Run {run_id} not found")
    return run


async def views(session: AsyncSession, runs: Sequence[Run]) -> list[RunOut]:
    triggers = await repository.triggers_for(session, [r.id for r in runs])
    return [
        RunOut(
            id=run.id,
            mode=run.mode,
            status=RunStatus(
                phase=run.phase,
                startTime=iso(run.started_date),
                completionTime=iso(run.completed_date),
            ),
            triggers=[
                RunTrigger(
                    id=t.id,
                    created_date=t.created_date,
                    mode=t.mode,
                    source=t.source,
                    payload=t.payload,
                    trigger_id=str(t.uuid),
                )
                for t in triggers[run.id]
            ],
            started_date=run.started_date,
            completed_date=run.completed_date,
            tenant_id=run.tenant_id,
            integration_id=run.integration_id,
        )
        for run in runs
    ]
