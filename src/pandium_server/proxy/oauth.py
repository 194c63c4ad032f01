"""OAuth2 access tokens: refreshed when they expire within five minutes, by one caller at a
time per credential (a Postgres advisory lock held while refreshing, and a re-check once it
is ours), so a hundred concurrent calls cause one refresh."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pandium_server.connectors import repository as connectors
from pandium_server.connectors.service import open_client_secret, open_credential, seal_fields
from pandium_server.db.session import session_scope
from pandium_server.models import Connector, Credential
from pandium_server.proxy.guard import POLICY, Blocked, Policy

MARGIN = timedelta(minutes=5)


class RefreshFailed(Exception):
    """The token endpoint did not give a new access token (message has no secrets)."""


def expiring(credential: Credential, now: datetime | None = None) -> bool:
    if credential.expires_at is None:
        return False
    return credential.expires_at - (now or datetime.now(UTC)) < MARGIN


async def fresh_fields(
    session: AsyncSession,
    maker: async_sessionmaker[AsyncSession],
    keyring,
    http: httpx.AsyncClient,
    credential: Credential,
    connector: Connector,
) -> dict:
    """The credential's fields with an access token valid for at least five minutes.

    The lock is taken in the caller's transaction and released when it commits, so other
    callers wait, then find the token already fresh. A failed refresh is recorded in a
    separate transaction, since the caller's will roll back.
    """
    current = await connectors.lock_for_refresh(session, credential.id)
    if current is None:
        raise RefreshFailed("the credentials were removed")
    fields = open_credential(keyring, current, connector)
    if not expiring(current):
        return fields  # refreshed by someone else while we waited for the lock
    try:
        fields = await _refresh(http, keyring, connector, fields)
    except RefreshFailed:
        async with session_scope(maker) as other:
            await connectors.mark_refresh_failed(other, current.id)
        raise
    seal_fields(keyring, current, connector, fields)
    current.expires_at = datetime.fromisoformat(fields["expires_at"])
    current.status = "connected"
    await session.flush()
    return fields


async def _refresh(http: httpx.AsyncClient, keyring, connector: Connector, fields: dict) -> dict:
    if not fields.get("refresh_token"):
        raise RefreshFailed("the access token expired and there is no refresh token")
    if not connector.token_url:
        raise RefreshFailed("the connector has no token_url")
    form = {"grant_type": "refresh_token", "refresh_token": fields["refresh_token"]}
    if connector.client_id:
        form["client_id"] = connector.client_id
    secret = open_client_secret(keyring, connector)
    if secret:
        form["client_secret"] = secret
    host = (urlsplit(connector.token_url).hostname or "").lower()
    try:
        response = await http.post(
            connector.token_url,
            data=form,
            headers={"Accept": "application/json"},
            extensions={POLICY: Policy(frozenset({host}), connector.internal)},
        )
        payload = response.json() if response.status_code == 200 else {}
    except (httpx.HTTPError, Blocked, ValueError) as exc:
        raise RefreshFailed(
            f"the token endpoint could not be used ({type(exc).__name__})"
        ) from None
    token = payload.get("access_token") if isinstance(payload, dict) else None
    if not isinstance(token, str) or not token:
        raise RefreshFailed(f"the token endpoint answered {response.status_code} without a token")
    expires_in = payload.get("expires_in")
    lifetime = float(expires_in) if isinstance(expires_in, int | float) else 3600.0
    return {
        **fields,
        "access_token": token,
        "refresh_token": payload.get("refresh_token") or fields["refresh_token"],
        "expires_at": (datetime.now(UTC) + timedelta(seconds=lifetime)).isoformat(),
    }
