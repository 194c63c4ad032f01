from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from pandium_server.db.base import Base, IdMixin, TimestampMixin


class Release(IdMixin, TimestampMixin, Base):
    """A release: one version of an integration's code and its schemas."""

    __tablename__ = "release"
    __table_args__ = (
        UniqueConstraint("integration_id", "name"),
        Index("ix_release_integration_id_created_date", "integration_id", "created_date"),
    )

    account_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    integration_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("integration.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(200))
    tag: Mapped[str | None] = mapped_column(String(200))
    repository_tracking_branch: Mapped[str | None] = mapped_column(String(255))
    run_command: Mapped[str | None] = mapped_column(Text)
    working_directory: Mapped[str | None] = mapped_column(String(1000))
    config_schema: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    config_version: Mapped[str] = mapped_column(String(100))
    metadata_schema: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
