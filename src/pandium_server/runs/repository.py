"""SQL for the run queue. The concurrency rules are enforced by the database itself:
partial unique indexes (one pending run per tenant and queue, one running run per tenant),
``INSERT … ON CONFLICT`` to join a pending run, and ``FOR UPDATE SKIP LOCKED`` to claim."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.kit.pagination import Page
from pandium_server.models import Run, RunLog, Trigger

CHANNEL = "pandium_runs"
PLATFORM_ISSUE = "Failed (Platform Issue)"

_UPSERT_PENDING = """
    INSERT INTO run (account_id, tenant_id, integration_id, queue, mode, phase, not_before)
    VALUES (:account_id, :tenant_id, :integration_id, :queue, :run_mode, 'Pending',
            now() + make_interval(secs => :debounce))
    ON CONFLICT (tenant_id, queue) WHERE phase = 'Pending'
    DO UPDATE SET mode = CASE WHEN EXCLUDED.mode = 'init' THEN 'init' ELSE run.mode END
    RETURNING id
"""


async def enqueue(
    session: AsyncSession,
    *,
    account_id: int,
    tenant_id: int,
    integration_id: int,
    mode: str,
    source: str,
    payload: dict[str, Any] | None,
    debounce_seconds: float,
) -> uuid.UUID:
    """Record a trigger and join it to the tenant's pending run of its queue (or make one)."""
    trigger_id = uuid.uuid4()
    await session.execute(
        text(
            f"""
            WITH pending AS ({_UPSERT_PENDING})
            INSERT INTO trigger (uuid, account_id, tenant_id, run_id, mode, source, payload)
            SELECT :uuid, :account_id, :tenant_id, pending.id, :mode, :source,
                   CAST(:payload AS jsonb)
            FROM pending
            """  # noqa: S608 - a constant fragment, no input
        ),
        {
            "uuid": trigger_id,
            "account_id": account_id,
            "tenant_id": tenant_id,
            "integration_id": integration_id,
            "queue": "cron" if source == "cron" else "default",
            "run_mode": "init" if mode == "init" else "normal",
            "debounce": float(debounce_seconds),
            "mode": mode,
            "source": source,
            "payload": None if payload is None else json.dumps(payload),
        },
    )
    await notify(session)
    return trigger_id


async def notify(session: AsyncSession) -> None:
    """Wake the workers once this transaction commits."""
    await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


async def claim(session: AsyncSession, worker: str) -> RowMapping | None:
    """Start the next claimable run (cron queue first); None when there is none.

    Raises IntegrityError when another worker started a run of the same tenant at the same
    moment; the unique index on running runs is the referee, and the caller retries.
    """
    result = await session.execute(
        text(
            """
            UPDATE run SET phase = 'Running', started_date = now(), heartbeat_at = now(),
                           worker = :worker
            WHERE id = (
                SELECT r.id FROM run r
                WHERE r.phase = 'Pending' AND r.not_before <= now()
                  AND NOT EXISTS (
                      SELECT 1 FROM run x WHERE x.tenant_id = r.tenant_id AND x.phase = 'Running'
                  )
                ORDER BY (r.queue = 'cron') DESC, r.not_before, r.id
                LIMIT 1
                FOR UPDATE SKIP LOCKED
            )
            RETURNING id, account_id, tenant_id, integration_id, mode, queue, started_date
            """
        ),
        {"worker": worker},
    )
    return result.mappings().first()


async def next_claimable_at(session: AsyncSession) -> datetime | None:
    """When the earliest pending run becomes claimable (debounce), or None."""
    result = await session.execute(text("SELECT min(not_before) FROM run WHERE phase = 'Pending'"))
    return result.scalar_one()


async def set_release(session: AsyncSession, run_id: int, release_id: int | None) -> None:
    await session.execute(
        text("UPDATE run SET release_id = :release WHERE id = :id"),
        {"release": release_id, "id": run_id},
    )


async def heartbeat(session: AsyncSession, run_id: int, worker: str) -> bool:
    """Record that the run is alive; False when it is no longer ours (it was reaped)."""
    result = await session.execute(
        text(
            "UPDATE run SET heartbeat_at = now() "
            "WHERE id = :id AND phase = 'Running' AND worker = :worker"
        ),
        {"id": run_id, "worker": worker},
    )
    return result.rowcount == 1


async def finish(
    session: AsyncSession,
    run_id: int,
    worker: str,
    *,
    phase: str,
    exit_code: int | None,
    std_out: str | None,
    log: str,
) -> bool:
    """Record the outcome; False when the run was reaped meanwhile (the outcome is dropped)."""
    result = await session.execute(
        text(
            """
            UPDATE run SET phase = :phase, completed_date = now(), exit_code = :exit_code,
                           std_out = :std_out
            WHERE id = :id AND phase = 'Running' AND worker = :worker
            """
        ),
        {
            "phase": phase,
            "exit_code": exit_code,
            "std_out": std_out,
            "id": run_id,
            "worker": worker,
        },
    )
    if result.rowcount != 1:
        return False
    session.add(RunLog(run_id=run_id, content=log))
    await session.flush()
    return True


async def fail_and_requeue(
    session: AsyncSession,
    *,
    stale_after_seconds: float | None = None,
    run_ids: Sequence[int] = (),
) -> list[int]:
    """Fail running runs (stale ones, or the given ones) as a platform issue and move each
    of their triggers, once, to a pending run so that no trigger is lost."""
    if stale_after_seconds is not None:
        condition = "heartbeat_at < now() - make_interval(secs => :stale)"
    else:
        condition = "id = ANY(:ids)"
    failed = (
        (
            await session.execute(
                text(
                    f"""
                UPDATE run SET phase = :phase, completed_date = now()
                WHERE phase = 'Running' AND {condition}
                RETURNING id, account_id, tenant_id, integration_id
                """  # noqa: S608 - condition is one of two constants
                ),
                {"phase": PLATFORM_ISSUE, "stale": stale_after_seconds, "ids": list(run_ids)},
            )
        )
        .mappings()
        .all()
    )
    for run in failed:
        session.add(RunLog(run_id=run["id"], content="The worker running this run stopped.\n"))
        groups = (
            await session.execute(
                text(
                    """
                    SELECT source = 'cron' AS is_cron, bool_or(mode = 'init') AS init
                    FROM trigger WHERE run_id = :run AND requeues < 1
                    GROUP BY 1
                    """
                ),
                {"run": run["id"]},
            )
        ).all()
        for is_cron, init in groups:
            await session.execute(
                text(
                    f"""
                    WITH pending AS ({_UPSERT_PENDING})
                    UPDATE trigger SET run_id = (SELECT id FROM pending), requeues = requeues + 1
                    WHERE run_id = :old AND requeues < 1 AND (source = 'cron') = :is_cron
                    """  # noqa: S608 - a constant fragment, no input
                ),
                {
                    "account_id": run["account_id"],
                    "tenant_id": run["tenant_id"],
                    "integration_id": run["integration_id"],
                    "queue": "cron" if is_cron else "default",
                    "run_mode": "init" if init else "normal",
                    "debounce": 0.0,
                    "old": run["id"],
                    "is_cron": is_cron,
                },
            )
    if failed:
        await session.flush()
        await notify(session)
    return [run["id"] for run in failed]


async def triggers_for(session: AsyncSession, run_ids: Sequence[int]) -> dict[int, list[Trigger]]:
    found: dict[int, list[Trigger]] = {i: [] for i in run_ids}
    if not run_ids:
        return found
    stmt = select(Trigger).where(Trigger.run_id.in_(list(run_ids))).order_by(Trigger.id)
    for trigger in (await session.execute(stmt)).scalars():
        found[trigger.run_id].append(trigger)
    return found


async def run_for_trigger(
    session: AsyncSession, account_id: int, trigger_id: uuid.UUID, tenant_id: int | None = None
) -> Run | None:
    stmt = (
        select(Run)
        .join(Trigger, Trigger.run_id == Run.id)
        .where(Trigger.uuid == trigger_id, Trigger.account_id == account_id)
    )
    if tenant_id is not None:
        stmt = stmt.where(Trigger.tenant_id == tenant_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def get(session: AsyncSession, account_id: int, run_id: int) -> Run | None:
    stmt = select(Run).where(Run.id == run_id, Run.account_id == account_id)
    return (await session.execute(stmt)).scalar_one_or_none()


RUN_SORT_COLUMNS = {
    name: getattr(Run, name)
    for name in ("id", "mode", "started_date", "completed_date", "tenant_id", "integration_id")
}


async def runs_page(session: AsyncSession, tenant_id: int, page: Page) -> Sequence[Run]:
    stmt = page.apply(select(Run).where(Run.tenant_id == tenant_id), RUN_SORT_COLUMNS, Run.id)
    return (await session.execute(stmt)).scalars().all()


async def log_of(session: AsyncSession, run_id: int) -> str:
    row = await session.get(RunLog, run_id)
    return row.content if row else ""


async def summaries(session: AsyncSession, tenant_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """For each tenant: its current run (running, else pending), last finished run and last
    successful run."""
    found: dict[int, dict[str, Any]] = {t: {} for t in tenant_ids}
    if not tenant_ids:
        return found
    result = await session.execute(
        text(
            """
            SELECT t.tenant_id, k.kind, r.id, r.mode, r.phase, r.started_date, r.completed_date
            FROM unnest(CAST(:ids AS bigint[])) AS t(tenant_id)
            CROSS JOIN (VALUES ('current_run'), ('last_run'), ('last_successful_run')) AS k(kind)
            CROSS JOIN LATERAL (
                SELECT id, mode, phase, started_date, completed_date FROM run
                WHERE run.tenant_id = t.tenant_id AND CASE k.kind
                    WHEN 'current_run' THEN phase IN ('Running', 'Pending')
                    WHEN 'last_run' THEN phase NOT IN ('Running', 'Pending')
                    ELSE phase = 'Succeeded' END
                ORDER BY (phase = 'Running') DESC, completed_date DESC NULLS LAST, id DESC
                LIMIT 1
            ) r
            """
        ),
        {"ids": list(tenant_ids)},
    )
    for row in result.mappings():
        found[row["tenant_id"]][row["kind"]] = dict(row)
    return found


async def previous_runs(
    session: AsyncSession, tenant_id: int, before_run_id: int
) -> dict[str, RowMapping]:
    """The tenant's last finished run and last successful run, other than ``before_run_id``."""
    result = await session.execute(
        text(
            """
            (SELECT 'last_run' AS kind, started_date, completed_date, phase, std_out FROM run
             WHERE tenant_id = :tenant AND id <> :run AND completed_date IS NOT NULL
             ORDER BY completed_date DESC, id DESC LIMIT 1)
            UNION ALL
            (SELECT 'last_successful_run', started_date, completed_date, phase, std_out FROM run
             WHERE tenant_id = :tenant AND id <> :run AND phase = 'Succeeded'
             ORDER BY completed_date DESC, id DESC LIMIT 1)
            """
        ),
        {"tenant": tenant_id, "run": before_run_id},
    )
    return {row["kind"]: row for row in result.mappings()}


async def set_dynamic_configs(session: AsyncSession, tenant_id: int, configs: dict) -> None:
    await session.execute(
        text("UPDATE tenant SET dynamic_configs = CAST(:configs AS jsonb) WHERE id = :id"),
        {"configs": json.dumps(configs), "id": tenant_id},
    )


SCHEDULER_LOCK = 0x70616E5F63726F6E  # any constant shared by every worker


async def try_scheduler_lock(session: AsyncSession) -> bool:
    """Whether this transaction may fire crons now (one scheduler at a time)."""
    result = await session.execute(
        text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": SCHEDULER_LOCK}
    )
    return bool(result.scalar_one())


async def shared_secret(session: AsyncSession, name: str, candidate: bytes) -> bytes:
    """The server-wide secret ``name``; ``candidate`` becomes it if there is none yet."""
    await session.execute(
        text(
            "INSERT INTO server_secret (name, value) VALUES (:name, :value) "
            "ON CONFLICT (name) DO NOTHING"
        ),
        {"name": name, "value": candidate},
    )
    result = await session.execute(
        text("SELECT value FROM server_secret WHERE name = :name"), {"name": name}
    )
    return result.scalar_one()


async def run_counts(session: AsyncSession) -> dict[str, int]:
    """Runs by phase: pending and running now, finished in the last 24 hours."""
    rows = await session.execute(
        text(
            "SELECT phase, count(*) FROM run WHERE phase IN ('Pending', 'Running') "
            "OR completed_date > now() - interval '24 hours' GROUP BY phase"
        )
    )
    return dict(rows.all())


async def schema_revision(session: AsyncSession) -> str | None:
    result = await session.execute(text("SELECT version_num FROM alembic_version"))
    return result.scalar_one_or_none()
