from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pandium_server.db.base import Base, IdMixin, TimestampMixin
from pandium_server.models.taxonomy import integration_category, integration_tag

if TYPE_CHECKING:
    from pandium_server.models.connector import Connector
    from pandium_server.models.taxonomy import Category, Flag, Tag

INTEGRATION_TYPES = ("Internal", "External", "Pandium")
RELEASE_CHANNELS = ("Latest", "Default")


class Integration(IdMixin, TimestampMixin, Base):
    """An integration: the code and connectors that tenants install."""

    __tablename__ = "integration"
    __table_args__ = (
        UniqueConstraint("account_id", "name"),
        CheckConstraint(f"type IN {INTEGRATION_TYPES}", name="type"),
        CheckConstraint(
            f"default_release_channel IN {RELEASE_CHANNELS}", name="default_release_channel"
        ),
    )

    account_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    long_name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(16))
    repository_url: Mapped[str | None] = mapped_column(String(2000))
    repository_path: Mapped[str | None] = mapped_column(String(1000))
    repository_tracking_branch: Mapped[str | None] = mapped_column(String(255))
    default_release_id: Mapped[int | None] = mapped_column(
        BigInteger,
        ForeignKey("release.id", ondelete="SET NULL", use_alter=True),
    )
    default_release_channel: Mapped[str | None] = mapped_column(String(16))
    flag_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("flag.id", ondelete="SET NULL")
    )
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    connectors: Mapped[list[Connector]] = relationship(
        lazy="raise", order_by="Connector.id", cascade="all, delete-orphan"
    )
    categories: Mapped[list[Category]] = relationship(
        secondary=integration_category, lazy="raise", order_by="Category.order_index"
    )
    tags: Mapped[list[Tag]] = relationship(
        secondary=integration_tag, lazy="raise", order_by="Tag.id"
    )
    flag: Mapped[Flag | None] = relationship(lazy="raise")
