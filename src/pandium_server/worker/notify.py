"""LISTEN/NOTIFY: wakes workers within milliseconds of a trigger's commit.

Notifications are a latency optimisation only; the worker polls as well, so a dropped
connection or a missed notification delays a run by at most the poll interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg
from sqlalchemy.engine import make_url

from pandium_server.runs.repository import CHANNEL

log = logging.getLogger(__name__)


def asyncpg_dsn(url: str) -> str:
    """A DSN asyncpg understands, from any of our PostgreSQL URLs."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Listener:
    """Sets ``event`` whenever a run is queued; reconnects by itself."""

    def __init__(self, url: str, event: asyncio.Event) -> None:
        self._dsn = asyncpg_dsn(url)
        self._event = event
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="pandium-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            conn = None
            try:
                conn = await asyncpg.connect(self._dsn)
                lost = asyncio.Event()
                conn.add_termination_listener(lambda _c, lost=lost: lost.set())
                await conn.add_listener(CHANNEL, lambda *_: self._event.set())
                self._event.set()  # anything queued while we were away
                await lost.wait()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # keep listening whatever happened
                log.warning(
                    "run notifications unavailable (%s); polling meanwhile", type(exc).__name__
                )
            finally:
                if conn is not None and not conn.is_closed():
                    with contextlib.suppress(Exception):
                        await asyncio.shield(conn.close(timeout=2))
            await asyncio.sleep(1)
