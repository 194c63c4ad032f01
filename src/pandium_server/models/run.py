from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from pandium_server.db.base import Base, IdMixin

PHASES = (
    "Pending",
    "Running",
    "Succeeded",
    "Failed (Integration Issue)",
    "Failed (Timeout)",
    "Failed (Refresh)",
    "Failed (Platform Issue)",
)
FINISHED = PHASES[2:]


class Run(IdMixin, Base):
    """One execution of a release's code for a tenant; Postgres is the queue."""

    __tablename__ = "run"
    __table_args__ = (
        # The debounce rules live here: at most one pending run per tenant and queue,
        # and at most one running run per tenant.
        Index(
            "uq_run_pending_per_queue",
            "tenant_id",
            "queue",
            unique=True,
            postgresql_where=text("phase = 'Pending'"),
        ),
        Index(
            "uq_run_running_per_tenant",
            "tenant_id",
            unique=True,
            postgresql_where=text("phase = 'Running'"),
        ),
        Index("ix_run_claimable", "not_before", postgresql_where=text("phase = 'Pending'")),
        Index("ix_run_heartbeat", "heartbeat_at", postgresql_where=text("phase = 'Running'")),
        Index("ix_run_tenant_id_id", "tenant_id", "id"),
        CheckConstraint("queue IN ('default', 'cron')", name="queue"),
        CheckConstraint("mode IN ('init', 'normal', 'webhook')", name="mode"),
        CheckConstraint(f"phase IN {PHASES}", name="phase"),
    )

    account_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.id", ondelete="CASCADE")
    )
    tenant_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("tenant.id", ondelete="CASCADE"))
    integration_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("integration.id", ondelete="CASCADE")
    )
    release_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("release.id", ondelete="SET NULL")
    )
    queue: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    phase: Mapped[str] = mapped_column(String(32), server_default="Pending")
    created_date: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    not_before: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_date: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_date: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker: Mapped[str | None] = mapped_column(String(255))
    exit_code: Mapped[int | None] = mapped_column(Integer)
    std_out: Mapped[str | None] = mapped_column(Text)


class RunLog(Base):
    """The run's stderr, kept apart so run rows stay small."""

    __tablename__ = "run_log"

    run_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("run.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[str] = mapped_column(Text)
