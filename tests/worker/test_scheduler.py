"""Cron with an injected clock: the tick is a function of "now"."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from pandium_server.db.session import session_scope
from pandium_server.worker.scheduler import tick
from tests.helpers import create_tenant, setup_integration
from tests.worker.helpers import scalar


async def _cron_triggers(maker, tenant_id):
    return await scalar(
        maker,
        "SELECT count(*) FROM trigger WHERE tenant_id = :t AND source = 'cron'",
        t=tenant_id,
    )


async def test_every_five_minutes_fires_once_per_five_minutes(client, maker):
    integration, _ = await setup_integration(client)
    active = await create_tenant(client, integration["id"], "active", user_schedule="*/5 * * * *")
    paused = await create_tenant(client, integration["id"], "paused", user_schedule="*/5 * * * *")
    resumed = await client.patch(f"/v2/tenants/{active['id']}", json={"paused": False})
    start = datetime.fromisoformat(resumed.json()["next_run_at"])
    fired = 0
    for minute in range(60):  # one simulated hour, one tick a minute
        async with session_scope(maker) as session:
            fired += await tick(session, start + timedelta(minutes=minute))
    assert fired == 12
    assert await _cron_triggers(maker, active["id"]) == 12
    assert await _cron_triggers(maker, paused["id"]) == 0
    # All twelve were bundled into one pending cron run: nothing ran them meanwhile.
    assert (
        await scalar(
            maker,
            "SELECT count(*) FROM run WHERE tenant_id = :t AND queue = 'cron'",
            t=active["id"],
        )
        == 1
    )


async def test_after_downtime_a_tenant_fires_once(client, maker):
    integration, _ = await setup_integration(client)
    tenant = await create_tenant(client, integration["id"], "sleepy", user_schedule="*/5 * * * *")
    resumed = await client.patch(f"/v2/tenants/{tenant['id']}", json={"paused": False})
    later = datetime.fromisoformat(resumed.json()["next_run_at"]) + timedelta(hours=3)
    async with session_scope(maker) as session:
        assert await tick(session, later) == 1
    async with session_scope(maker) as session:
        assert await tick(session, later) == 0
    view = (await client.get(f"/v2/tenants/{tenant['id']}")).json()
    assert datetime.fromisoformat(view["next_run_at"]) > later


async def test_only_one_scheduler_ticks_at_a_time(committed):
    live = committed
    integration, _ = await setup_integration(live.client)
    tenant = await create_tenant(
        live.client, integration["id"], "shared", user_schedule="*/5 * * * *"
    )
    resumed = await live.client.patch(f"/v2/tenants/{tenant['id']}", json={"paused": False})
    when = datetime.fromisoformat(resumed.json()["next_run_at"])
    holding = asyncio.Event()
    release = asyncio.Event()

    async def first():
        async with session_scope(live.maker) as session:
            fired = await tick(session, when)
            holding.set()
            await release.wait()  # keep the transaction (and its lock) open
            return fired

    task = asyncio.create_task(first())
    await holding.wait()
    async with session_scope(live.maker) as session:
        assert await tick(session, when) == 0  # the lock is taken: this one stands aside
    release.set()
    assert await task == 1
    assert await _cron_triggers(live.maker, tenant["id"]) == 1


async def test_unpausing_waits_for_the_next_fire_time(client, maker):
    integration, _ = await setup_integration(client)
    tenant = await create_tenant(client, integration["id"], "late", user_schedule="@daily")
    async with maker() as session:  # created long ago, paused ever since
        await session.execute(
            text("UPDATE tenant SET next_run_at = now() - interval '3 days' WHERE id = :id"),
            {"id": tenant["id"]},
        )
        await session.commit()
    resumed = (await client.patch(f"/v2/tenants/{tenant['id']}", json={"paused": False})).json()
    assert datetime.fromisoformat(resumed["next_run_at"]) > datetime.now(UTC)
    async with session_scope(maker) as session:
        assert await tick(session, datetime.now(UTC)) == 0
