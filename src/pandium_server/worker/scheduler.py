"""Cron: turns due schedules into ``cron`` triggers. One scheduler fires per tick across all
workers (a transaction-level advisory lock); a tenant whose schedule passed several times
while nothing ran fires once, then waits for its next time after ``now``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.runs import repository as runs
from pandium_server.tenants import repository as tenants
from pandium_server.tenants.schedule import next_fire

BATCH = 500


async def tick(session: AsyncSession, now: datetime, *, debounce_seconds: float = 0) -> int:
    """Fire every tenant due at ``now``; the number of cron triggers recorded."""
    if not await runs.try_scheduler_lock(session):
        return 0  # another worker is ticking
    fired = 0
    for tenant in await tenants.due_for_schedule(session, now, BATCH):
        if tenant.next_run_at is not None:
            await runs.enqueue(
                session,
                account_id=tenant.account_id,
                tenant_id=tenant.id,
                integration_id=tenant.integration_id,
                mode="normal",
                source="cron",
                payload=None,
                debounce_seconds=debounce_seconds,
            )
            fired += 1
        tenant.next_run_at = next_fire(tenant.schedule, now)
    await session.flush()
    return fired
