"""SQL for accounts and API keys."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pandium_server.auth.schemas import KeyInfo
from pandium_server.models import Account, ApiKey


async def active_key_by_prefix(session: AsyncSession, prefix: str) -> tuple[int, int, str] | None:
    """(key id, account id, hash) of the unrevoked key with ``prefix``."""
    row = (
        await session.execute(
            select(ApiKey.id, ApiKey.account_id, ApiKey.key_hash).where(
                ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None)
            )
        )
    ).first()
    return (row.id, row.account_id, row.key_hash) if row else None


async def account_by_name(session: AsyncSession, name: str) -> Account | None:
    return (await session.execute(select(Account).where(Account.name == name))).scalar_one_or_none()


async def list_accounts(session: AsyncSession) -> list[Account]:
    return list((await session.execute(select(Account).order_by(Account.id))).scalars())


async def add(session: AsyncSession, obj: Account | ApiKey) -> None:
    session.add(obj)
    await session.flush()


async def prefix_taken(session: AsyncSession, prefix: str) -> bool:
    found = await session.execute(select(ApiKey.id).where(ApiKey.prefix == prefix))
    return found.first() is not None


async def list_keys(session: AsyncSession, account_id: int | None) -> list[KeyInfo]:
    stmt = (
        select(ApiKey, Account.name)
        .join(Account, Account.id == ApiKey.account_id)
        .order_by(ApiKey.id)
    )
    if account_id is not None:
        stmt = stmt.where(ApiKey.account_id == account_id)
    return [
        KeyInfo(k.prefix, k.last4, k.label, name, k.created_date, k.revoked_at)
        for k, name in (await session.execute(stmt)).all()
    ]


async def revoke(session: AsyncSession, prefix: str) -> int:
    """Revoke the key with ``prefix``; the number of keys newly revoked (0 or 1)."""
    result = await session.execute(
        update(ApiKey)
        .where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
    return result.rowcount
