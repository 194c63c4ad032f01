from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    false,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from pandium_server.db.base import Base, IdMixin, TimestampMixin


class Tenant(IdMixin, TimestampMixin, Base):
    """One customer's installed instance of an integration."""

    __tablename__ = "tenant"
    __table_args__ = (
        # Names are unique among an integration's live tenants; archived ones free the name.
        Index(
            "uq_tenant_integration_id_name_live",
            "integration_id",
            "name",
            unique=True,
            postgresql_where=text("NOT archived"),
        ),
        Index("ix_tenant_account_id_integration_id", "account_id", "integration_id"),
        Index("ix_tenant_account_id_user_name", "account_id", "user_name"),
        Index(
            "ix_tenant_next_run_at_due",
            "next_run_at",
            postgresql_where=text("NOT paused AND NOT archived AND schedule IS NOT NULL"),
        ),
        CheckConstraint(
            "integration_release_channel IN ('Latest', 'Default')",
            name="integration_release_channel",
        ),
        CheckConstraint(
            "NOT (integration_release_id IS NOT NULL AND integration_release_channel IS NOT NULL)",
            name="release_id_or_channel",
        ),
    )

    account_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.id", ondelete="CASCADE")
    )
    integration_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("integration.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(63))
    configs: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    dynamic_configs: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default=text("'{}'::jsonb")
    )
    paused: Mapped[bool] = mapped_column(Boolean, server_default=true())
    archived: Mapped[bool] = mapped_column(Boolean, server_default=false())
    source: Mapped[str] = mapped_column(String(32), server_default="api")
    user_name: Mapped[str | None] = mapped_column(String(255))
    user_schedule: Mapped[str | None] = mapped_column(String(255))
    schedule: Mapped[str | None] = mapped_column(String(255))
    next_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    integration_release_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("release.id", ondelete="SET NULL")
    )
    integration_release_channel: Mapped[str | None] = mapped_column(String(16))
