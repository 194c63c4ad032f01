from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from pandium_server.db.base import Base, IdMixin, TimestampMixin


class Credential(IdMixin, TimestampMixin, Base):
    """A connector's secrets for one tenant (or, for a global connector, the integration),
    sealed with AES-GCM; plaintext exists only at the moment of use."""

    __tablename__ = "credential"
    __table_args__ = (
        Index(
            "uq_credential_tenant_connector",
            "tenant_id",
            "connector_id",
            unique=True,
            postgresql_where=text("tenant_id IS NOT NULL"),
        ),
        Index(
            "uq_credential_global_connector",
            "connector_id",
            unique=True,
            postgresql_where=text("tenant_id IS NULL"),
        ),
        CheckConstraint("status IN ('connected', 'refresh_failed')", name="status"),
    )

    account_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    connector_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("connector.id", ondelete="CASCADE")
    )
    tenant_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("tenant.id", ondelete="CASCADE")
    )
    key_id: Mapped[str] = mapped_column(String(32))
    secret: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), server_default="connected")
