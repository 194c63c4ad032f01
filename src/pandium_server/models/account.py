from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from pandium_server.db.base import Base, IdMixin


class Account(IdMixin, Base):
    """A customer of this server; every other row belongs to one."""

    __tablename__ = "account"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_date: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
