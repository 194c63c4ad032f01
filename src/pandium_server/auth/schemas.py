from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Principal:
    """Who a request acts for: the account behind a valid API key."""

    account_id: int
    key_id: int


@dataclass(frozen=True)
class KeyInfo:
    prefix: str
    last4: str
    label: str | None
    account: str
    created_date: datetime
    revoked_at: datetime | None
