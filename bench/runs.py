"""Run-queue benchmark: trigger-to-start latency and no-op run throughput.

    python bench/runs.py [--samples 100] [--runs 300]

Uses PANDIUM_BENCH_DATABASE_URL, or a throwaway embedded PostgreSQL. Each figure is printed
beside its baseline with the ratio between them:
  * latency, trigger commit -> run start (database clock), p50/p99, with LISTEN/NOTIFY
    against polling only (baseline);
  * no-op runs (/bin/true) per second with 2 worker processes against 1 (baseline).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from pandium_server.auth import service as auth
from pandium_server.db.engine import build_engine
from pandium_server.db.migrate import upgrade_head_async
from pandium_server.db.session import build_sessionmaker, session_scope
from pandium_server.integrations import service as integrations
from pandium_server.integrations.schemas import IntegrationCreate
from pandium_server.releases import service as releases
from pandium_server.releases.schemas import ReleaseCreate
from pandium_server.runs import repository as runs
from pandium_server.tenants import service as tenants
from pandium_server.tenants.schemas import TenantCreate


def database_url() -> str:
    url = os.environ.get("PANDIUM_BENCH_DATABASE_URL")
    if url:
        return url
    from pandium_server.db.embedded import start_embedded

    return start_embedded(Path(tempfile.mkdtemp(prefix="pandium-bench-")))


def start_workers(url: str, count: int, *, notify: bool, concurrency: int) -> list:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANDIUM_")}
    env.update(
        PANDIUM_DATABASE_URL=url,
        PANDIUM_LOG_LEVEL="WARNING",
        PANDIUM_WORKER_POLL_SECONDS="1",
        PANDIUM_SCHEDULER_SECONDS="3600",
    )
    args = [sys.executable, "-m", "pandium_server", "worker", f"--concurrency={concurrency}"]
    if not notify:
        args.append("--no-notify")
    return [subprocess.Popen(args, env=env) for _ in range(count)]


def stop(workers: list) -> None:
    for proc in workers:
        proc.terminate()
    for proc in workers:
        proc.wait(timeout=60)


async def setup(maker, tenant_count: int) -> list:
    async with session_scope(maker) as session:
        account = await auth.create_account(session, f"bench-{time.time_ns()}")
        integration = await integrations.create(
            session, account.id, IntegrationCreate(name="noop", default_release_channel="Latest")
        )
        await releases.create(
            session, account.id, integration.id, ReleaseCreate(name="v1", run_command="/bin/true")
        )
        return [
            await tenants.create(
                session, account.id, TenantCreate(name=f"t{i}", integration_id=integration.id)
            )
            for i in range(tenant_count)
        ]


async def trigger(maker, tenant) -> None:
    async with session_scope(maker) as session:
        await runs.enqueue(
            session,
            account_id=tenant.account_id,
            tenant_id=tenant.id,
            integration_id=tenant.integration_id,
            mode="normal",
            source="api",
            payload=None,
            debounce_seconds=0,
        )


async def wait_idle(maker, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        async with maker() as session:
            busy = await session.execute(
                text("SELECT count(*) FROM run WHERE phase IN ('Pending', 'Running')")
            )
            if busy.scalar_one() == 0:
                return
        await asyncio.sleep(0.01)
    raise TimeoutError("runs did not finish")


async def latency(maker, url: str, tenant, samples: int, *, notify: bool) -> list[float]:
    workers = start_workers(url, 1, notify=notify, concurrency=1)
    try:
        await asyncio.sleep(2)  # let the worker connect and listen
        for _ in range(samples):
            await trigger(maker, tenant)
            await wait_idle(maker)
        async with maker() as session:
            rows = await session.execute(
                text(
                    """
                    SELECT EXTRACT(EPOCH FROM r.started_date - min(t.created_date))
                    FROM run r JOIN trigger t ON t.run_id = r.id
                    WHERE r.tenant_id = :tenant GROUP BY r.id ORDER BY r.id DESC LIMIT :n
                    """
                ),
                {"tenant": tenant.id, "n": samples},
            )
            return [float(v) * 1000 for (v,) in rows]
    finally:
        stop(workers)


async def throughput(maker, url: str, tenant_list, *, worker_count: int) -> float:
    workers = start_workers(url, worker_count, notify=True, concurrency=4)
    try:
        await asyncio.sleep(2)
        started = time.monotonic()
        for tenant in tenant_list:
            await trigger(maker, tenant)
        await wait_idle(maker)
        return len(tenant_list) / (time.monotonic() - started)
    finally:
        stop(workers)


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100, help="latency samples with NOTIFY")
    parser.add_argument("--runs", type=int, default=300, help="no-op runs per throughput pass")
    options = parser.parse_args()

    url = database_url()
    await upgrade_head_async(url)
    engine = build_engine(url, pool_size=4)
    maker = build_sessionmaker(engine)
    tenant_list = await setup(maker, max(options.runs, 2))

    fast = await latency(maker, url, tenant_list[0], options.samples, notify=True)
    slow = await latency(maker, url, tenant_list[1], max(10, options.samples // 5), notify=False)
    one = await throughput(maker, url, tenant_list[: options.runs], worker_count=1)
    two = await throughput(maker, url, tenant_list[: options.runs], worker_count=2)
    await engine.dispose()

    print(f"{'measure':44} {'value':>10} {'baseline':>10} {'ratio':>7}")
    for label, value, base in (
        ("trigger->start p50 ms, NOTIFY vs polling", pct(fast, 50), pct(slow, 50)),
        ("trigger->start p99 ms, NOTIFY vs polling", pct(fast, 99), pct(slow, 99)),
        ("no-op runs/s, 2 workers vs 1", two, one),
    ):
        print(f"{label:44} {value:10.1f} {base:10.1f} {value / base:7.3f}")


if __name__ == "__main__":
    asyncio.run(main())
