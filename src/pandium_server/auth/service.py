"""Accounts, API keys, and verifying a presented key (with a short-lived cache)."""

from __future__ import annotations

import time
from collections import OrderedDict

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pandium_server.auth import repository
from pandium_server.auth.keys import (
    PREFIX_LENGTH,
    generate_key,
    hash_key,
    hashes_match,
    looks_like_key,
)
from pandium_server.auth.schemas import KeyInfo, Principal
from pandium_server.errors import Conflict, NotFound, Unauthorized
from pandium_server.models import Account, ApiKey


async def create_account(session: AsyncSession, name: str) -> Account:
    if await repository.account_by_name(session, name) is not None:
        raise Conflict(f"account {name!r} already exists")
    account = Account(name=name)
    await repository.add(session, account)
    return account


async def get_account(session: AsyncSession, name: str) -> Account:
    account = await repository.account_by_name(session, name)
    if account is None:
        raise NotFound(f"no account named {name!r}")
    return account


async def list_accounts(session: AsyncSession) -> list[Account]:
    return await repository.list_accounts(session)


async def create_key(session: AsyncSession, account: Account, label: str | None) -> str:
    """Create a key for ``account``; the plaintext is returned once and never stored."""
    new = generate_key()
    while await repository.prefix_taken(session, new.prefix):
        new = generate_key()
    await repository.add(
        session,
        ApiKey(
            account_id=account.id,
            prefix=new.prefix,
            key_hash=new.key_hash,
            last4=new.last4,
            label=label,
        ),
    )
    return new.plaintext


async def list_keys(session: AsyncSession, account_name: str | None) -> list[KeyInfo]:
    account_id = (await get_account(session, account_name)).id if account_name else None
    return await repository.list_keys(session, account_id)


async def revoke_key(session: AsyncSession, prefix: str) -> None:
    if await repository.revoke(session, prefix) == 0:
        raise NotFound(f"no active key with prefix {prefix!r}")


class KeyVerifier:
    """Checks presented keys; remembers good ones for ``ttl`` seconds.

    The cache is keyed by the key's SHA-256, so plaintext never sits in memory longer than
    the request. Revocation from any process takes effect once the entry expires.
    """

    def __init__(
        self, maker: async_sessionmaker[AsyncSession], ttl: float, max_entries: int = 10_000
    ) -> None:
        self._maker = maker
        self._ttl = ttl
        self._max = max_entries
        self._cache: OrderedDict[str, tuple[float, Principal]] = OrderedDict()

    async def verify(self, presented: str | None) -> Principal:
        if not presented:
            raise Unauthorized("Missing API key: send it in the X-API-KEY header")
        if not looks_like_key(presented):
            raise Unauthorized("Invalid API key")
        digest = hash_key(presented)
        now = time.monotonic()
        hit = self._cache.get(digest)
        if hit is not None and hit[0] > now:
            return hit[1]
        async with self._maker() as session:
            row = await repository.active_key_by_prefix(session, presented[:PREFIX_LENGTH])
        if row is None or not hashes_match(row[2], digest):
            self._cache.pop(digest, None)
            raise Unauthorized("Invalid API key")
        principal = Principal(account_id=row[1], key_id=row[0])
        if self._ttl > 0:
            self._cache[digest] = (now + self._ttl, principal)
            self._cache.move_to_end(digest)
            while len(self._cache) > self._max:
                self._cache.popitem(last=False)
        return principal
