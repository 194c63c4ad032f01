from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pandium_server.db.base import Base, IdMixin, TimestampMixin

AUTH_TYPES = ("none", "bearer", "api_key", "basic", "oauth2")


class Connector(IdMixin, TimestampMixin, Base):
    """A third-party system an integration talks to (definition only, no credentials)."""

    __tablename__ = "connector"
    __table_args__ = (
        UniqueConstraint("integration_id", "name"),
        CheckConstraint(f"auth_type IN {AUTH_TYPES}", name="auth_type"),
    )

    account_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    integration_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("integration.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(100))
    is_global: Mapped[bool] = mapped_column(Boolean)
    base_url: Mapped[str | None] = mapped_column(String(2000))
    auth_type: Mapped[str] = mapped_column(String(16), server_default="none")
