"""Signed, expiring URLs for run logs (HMAC-SHA256 with a key shared through the database)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.runs import repository

LOG_URL_SECONDS = 15 * 60
_KEY_NAME = "run-log-url"


async def shared_key(session: AsyncSession) -> bytes:
    """The signing key every API process on this database uses (made on first use)."""
    return await repository.shared_secret(session, _KEY_NAME, secrets.token_bytes(32))


def _signature(key: bytes, run_id: int, expires: int) -> str:
    return hmac.new(key, f"run-log:{run_id}:{expires}".encode(), hashlib.sha256).hexdigest()


def sign(key: bytes, run_id: int, now: float | None = None) -> tuple[int, str]:
    """(expires, signature) for a link to run ``run_id``'s log."""
    expires = int((now or time.time()) + LOG_URL_SECONDS)
    return expires, _signature(key, run_id, expires)


def verify(key: bytes, run_id: int, expires: int, signature: str, now: float | None = None) -> bool:
    if expires < (now or time.time()):
        return False
    return hmac.compare_digest(_signature(key, run_id, expires), signature)
