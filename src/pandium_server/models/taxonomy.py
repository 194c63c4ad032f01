"""Categories, tags and flags: account-wide labels attached to integrations."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from pandium_server.db.base import Base, IdMixin


class _Label(IdMixin):
    """A name unique within its account."""

    account_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(100))

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (UniqueConstraint("account_id", "name"),)


class Category(_Label, Base):
    __tablename__ = "category"

    description: Mapped[str | None] = mapped_column(Text)
    order_index: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")


class Tag(_Label, Base):
    __tablename__ = "tag"

    description: Mapped[str | None] = mapped_column(Text)


class Flag(_Label, Base):
    __tablename__ = "flag"

    flag_color: Mapped[str | None] = mapped_column(String(32))


def _link(name: str, other: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column(
            "integration_id",
            BigInteger,
            ForeignKey("integration.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column(
            f"{other}_id",
            BigInteger,
            ForeignKey(f"{other}.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )


integration_category = _link("integration_category", "category")
integration_tag = _link("integration_tag", "tag")
