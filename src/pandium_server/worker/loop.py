"""The worker: claims runs, executes them, heartbeats, reaps the dead, fires crons."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pandium_server.config import Settings
from pandium_server.connectors import repository as connector_repository
from pandium_server.connectors.service import open_credential
from pandium_server.db.session import session_scope
from pandium_server.kit.crypto import CryptoError, Keyring
from pandium_server.models import Integration, Tenant
from pandium_server.proxy import oauth
from pandium_server.proxy.guard import build_client
from pandium_server.proxy.oauth import RefreshFailed
from pandium_server.releases import service as releases
from pandium_server.runs import repository as runs
from pandium_server.worker import executor, scheduler
from pandium_server.worker.notify import Listener

log = logging.getLogger(__name__)


@dataclass
class Claimed:
    run_id: int
    context: executor.RunContext | None  # None: nothing to run (reason in ``problem``)
    problem: str = ""
    phase: str = "Failed (Integration Issue)"


class Worker:
    """One worker process (or the in-process worker of ``serve``)."""

    def __init__(
        self,
        maker: async_sessionmaker[AsyncSession],
        settings: Settings,
        *,
        database_url: str | None = None,
        concurrency: int | None = None,
        listen: bool = True,
        schedule: bool = True,
    ) -> None:
        self.maker = maker
        self.settings = settings
        self.name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.concurrency = concurrency or settings.worker_concurrency
        self.schedule = schedule
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._active: dict[int, asyncio.Task] = {}
        self._next_at: datetime | None = None
        self._listener = Listener(database_url, self._wake) if listen and database_url else None
        self._background: list[asyncio.Task] = []
        self.keyring = Keyring.parse(
            settings.encryption_keys.get_secret_value() if settings.encryption_keys else None
        )
        self.http = build_client(settings.proxy_timeout_seconds)

    async def run(self) -> None:
        """Work until ``stop()``; then let running runs finish within the grace period."""
        if self._listener:
            self._listener.start()
        self._background = [asyncio.create_task(self._reaper(), name="pandium-reaper")]
        if self.schedule:
            self._background.append(asyncio.create_task(self._scheduler(), name="pandium-cron"))
        log.info("worker %s started (concurrency %d)", self.name, self.concurrency)
        try:
            await self._claim_loop()
        finally:
            await self._shutdown()

    def stop(self) -> None:
        """Stop claiming new runs (safe to call from a signal handler)."""
        self._stopping.set()
        self._wake.set()

    async def _claim_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self._next_at = None
                while len(self._active) < self.concurrency and not self._stopping.is_set():
                    claimed = await self._claim()
                    if claimed is None:
                        break
                    task = asyncio.create_task(self._execute(claimed))
                    self._active[claimed.run_id] = task
                    task.add_done_callback(lambda _t, run_id=claimed.run_id: self._done(run_id))
                await self._sleep()
            except Exception:
                # The database may be restarting: keep the worker, try again shortly.
                log.warning("claiming runs failed; retrying", exc_info=True)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.settings.worker_poll_seconds)

    def _done(self, run_id: int) -> None:
        self._active.pop(run_id, None)
        self._wake.set()

    async def _sleep(self) -> None:
        timeout = self.settings.worker_poll_seconds
        when = self._next_at  # noted by the last empty claim: a debounced run's start
        if len(self._active) < self.concurrency and when is not None:
            wait = (when - datetime.now(UTC)).total_seconds()
            timeout = max(0.0, min(timeout, wait + 0.005))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)
        self._wake.clear()

    async def _claim(self) -> Claimed | None:
        try:
            async with session_scope(self.maker) as session:
                row = await runs.claim(session, self.name)
                if row is None:
                    self._next_at = await runs.next_claimable_at(session)
                    return None
                return await self._load(session, row)
        except IntegrityError:
            # Another worker started a run of this tenant at the same moment.
            self._wake.set()
            return None

    async def _load(self, session: AsyncSession, row) -> Claimed:
        tenant = await session.get(Tenant, row["tenant_id"])
        integration = await session.get(Integration, row["integration_id"])
        if tenant is None or integration is None:
            return Claimed(row["id"], None, "The tenant or integration no longer exists.")
        release = await releases.resolve_for_tenant(
            session, integration, tenant.integration_release_id, tenant.integration_release_channel
        )
        if release is None:
            return Claimed(row["id"], None, "The tenant has no release to run.")
        await runs.set_release(session, row["id"], release.id)
        try:
            secrets = await self._secrets(session, tenant)
        except RefreshFailed as exc:
            return Claimed(row["id"], None, f"Token refresh failed: {exc}\n", "Failed (Refresh)")
        except CryptoError as exc:  # our configuration (keys), not the integration's fault
            return Claimed(
                row["id"], None, f"Credentials unreadable: {exc}\n", "Failed (Platform Issue)"
            )
        triggers = (await runs.triggers_for(session, [row["id"]]))[row["id"]]
        previous = await runs.previous_runs(session, tenant.id, row["id"])
        return Claimed(
            row["id"],
            executor.RunContext(
                run_id=row["id"],
                mode=row["mode"],
                run_command=release.run_command,
                working_directory=release.working_directory,
                integration_id=integration.id,
                integration_name=integration.name,
                tenant_id=tenant.id,
                tenant_name=tenant.name,
                configs=dict(tenant.configs or {}),
                secrets=secrets,
                triggers=[
                    {"mode": t.mode, "source": t.source, "payload": t.payload} for t in triggers
                ],
                env_name=self.settings.run_env,
                last_run=_last(previous.get("last_run")),
                last_successful_run=_last(previous.get("last_successful_run")),
            ),
        )

    async def _secrets(self, session: AsyncSession, tenant: Tenant) -> dict[str, dict[str, str]]:
        """Every connected connector's fields, opened now (OAuth2 tokens refreshed)."""
        found: dict[str, dict[str, str]] = {}
        for connector, credential in await connector_repository.for_run(
            session, tenant.integration_id, tenant.id
        ):
            if connector.auth_type == "oauth2" and oauth.expiring(credential):
                fields = await oauth.fresh_fields(
                    session, self.maker, self.keyring, self.http, credential, connector
                )
            else:
                fields = open_credential(self.keyring, credential, connector)
            found[connector.name] = {k: str(v) for k, v in fields.items()}
        return found

    async def _execute(self, claimed: Claimed) -> None:
        if claimed.context is None:
            outcome = executor.Outcome(claimed.phase, None, None, claimed.problem)
        else:
            heartbeat = asyncio.create_task(self._heartbeat(claimed.run_id))
            try:
                outcome = await executor.execute(
                    claimed.context,
                    time_limit=self.settings.run_timeout_seconds,
                    memory_mb=self.settings.run_memory_mb,
                )
            except asyncio.CancelledError:
                raise  # shutdown or reaped: the process group is already killed
            except Exception as exc:
                log.exception("run %s failed inside the worker", claimed.run_id)
                outcome = executor.Outcome(
                    "Failed (Platform Issue)", None, None, f"[pandium] {type(exc).__name__}\n"
                )
            finally:
                heartbeat.cancel()
        async with session_scope(self.maker) as session:
            recorded = await runs.finish(
                session,
                claimed.run_id,
                self.name,
                phase=outcome.phase,
                exit_code=outcome.exit_code,
                std_out=outcome.std_out,
                log=outcome.log,
            )
            if (
                recorded
                and claimed.context is not None
                and claimed.context.mode == "init"
                and outcome.phase == "Succeeded"
                and outcome.dynamic_configs is not None
            ):
                await runs.set_dynamic_configs(
                    session, claimed.context.tenant_id, outcome.dynamic_configs
                )
        log.info("run %s: %s", claimed.run_id, outcome.phase)

    async def _heartbeat(self, run_id: int) -> None:
        while True:
            await asyncio.sleep(self.settings.heartbeat_seconds)
            try:
                async with session_scope(self.maker) as session:
                    alive = await runs.heartbeat(session, run_id, self.name)
            except Exception:
                log.warning("heartbeat for run %s failed; retrying", run_id, exc_info=True)
                continue
            if not alive:  # reaped elsewhere: stop the process, its triggers moved on
                log.warning("run %s was taken over; stopping it", run_id)
                task = self._active.get(run_id)
                if task is not None:
                    task.cancel()
                return

    async def _reaper(self) -> None:
        interval = min(self.settings.heartbeat_seconds, self.settings.heartbeat_timeout_seconds / 2)
        while True:
            try:
                async with session_scope(self.maker) as session:
                    reaped = await runs.fail_and_requeue(
                        session, stale_after_seconds=self.settings.heartbeat_timeout_seconds
                    )
                if reaped:
                    log.warning("runs %s stopped reporting; failed and re-queued", reaped)
            except Exception:
                log.warning("reaper pass failed", exc_info=True)
            await asyncio.sleep(interval)

    async def _scheduler(self) -> None:
        while True:
            try:
                async with session_scope(self.maker) as session:
                    await scheduler.tick(
                        session,
                        datetime.now(UTC),
                        debounce_seconds=self.settings.debounce_seconds,
                    )
            except Exception:
                log.warning("scheduler pass failed", exc_info=True)
            await asyncio.sleep(self.settings.scheduler_seconds)

    async def _shutdown(self) -> None:
        await self._drain()
        await self.http.aclose()

    async def _drain(self) -> None:
        for task in self._background:
            task.cancel()
        if self._listener:
            await self._listener.stop()
        active = dict(self._active)
        if active:
            log.info(
                "waiting up to %g s for %d run(s)", self.settings.worker_grace_seconds, len(active)
            )
            _, pending = await asyncio.wait(
                active.values(), timeout=self.settings.worker_grace_seconds
            )
            late = [run_id for run_id, task in active.items() if task in pending]
            for run_id in late:
                active[run_id].cancel()
            if late:
                await asyncio.wait([active[r] for r in late])
                async with session_scope(self.maker) as session:
                    await runs.fail_and_requeue(session, run_ids=late)
                log.warning("runs %s did not finish in time; failed and re-queued", late)
        for task in self._background:
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _last(row) -> executor.LastRun | None:
    if row is None:
        return None
    return executor.LastRun(
        start_time=row["started_date"].isoformat() if row["started_date"] else None,
        completion_time=row["completed_date"].isoformat() if row["completed_date"] else None,
        phase=row["phase"],
        std_out=row["std_out"],
    )
