from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from pandium_server.db.base import Base, IdMixin


class Trigger(IdMixin, Base):
    """A request for a run (API call or cron tick); many debounce into one run."""

    __tablename__ = "trigger"
    __table_args__ = (
        CheckConstraint("mode IN ('init', 'normal')", name="mode"),
        CheckConstraint("source IN ('api', 'cron')", name="source"),
    )

    uuid: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), unique=True)
    account_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.id", ondelete="CASCADE")
    )
    tenant_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("tenant.id", ondelete="CASCADE"), index=True
    )
    run_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("run.id", ondelete="CASCADE"), index=True
    )
    mode: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    requeues: Mapped[int] = mapped_column(Integer, server_default="0")
    created_date: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
