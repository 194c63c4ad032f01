"""Categories, tags and flags: account-wide labels attached to integrations."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pandium_server.db.base import Base, IdMixin


class Category(IdMixin, Base):
    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    account_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    order_index: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")


class Tag(IdMixin, Base):
    __tablename__ = "tag"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    account_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)


class Flag(IdMixin, Base):
    __tablename__ = "flag"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    account_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(100))
    flag_color: Mapped[str | None] = mapped_column(String(32))


integration_category = Table(
    "integration_category",
    Base.metadata,
    Column(
        "integration_id",
        BigInteger,
        ForeignKey("integration.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "category_id", BigInteger, ForeignKey("category.id", ondelete="CASCADE"), primary_key=True
    ),
)

integration_tag = Table(
    "integration_tag",
    Base.metadata,
    Column(
        "integration_id",
        BigInteger,
        ForeignKey("integration.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("tag_id", BigInteger, ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)
