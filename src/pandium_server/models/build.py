from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from pandium_server.db.base import Base, IdMixin


class Build(IdMixin, Base):
    """A build of an integration at a tag; it produces a release of that tag."""

    __tablename__ = "build"
    __table_args__ = (CheckConstraint("mode IN ('init', 'normal')", name="mode"),)

    account_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    integration_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("integration.id", ondelete="CASCADE")
    )
    build_tag: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32))
    release_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("release.id", ondelete="SET NULL")
    )
    created_date: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
