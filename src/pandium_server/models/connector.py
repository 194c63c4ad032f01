from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from pandium_server.db.base import Base, IdMixin, TimestampMixin

AUTH_TYPES = ("none", "bearer", "api_key", "basic", "oauth2", "wsse")


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
    allowed_hosts: Mapped[list[str] | None] = mapped_column(JSONB)
    api_key_header: Mapped[str | None] = mapped_column(String(100))
    api_key_query: Mapped[str | None] = mapped_column(String(100))
    token_url: Mapped[str | None] = mapped_column(String(2000))
    client_id: Mapped[str | None] = mapped_column(String(500))
    client_secret: Mapped[bytes | None] = mapped_column(LargeBinary)  # sealed
    client_secret_key_id: Mapped[str | None] = mapped_column(String(32))
    internal: Mapped[bool] = mapped_column(Boolean, server_default=false())
