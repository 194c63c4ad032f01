"""runs, triggers, run logs and server secrets

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 20:02:59.082424
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "server_secret",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_server_secret")),
    )
    op.create_table(
        "run",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.Column("integration_id", sa.BigInteger(), nullable=False),
        sa.Column("release_id", sa.BigInteger(), nullable=True),
        sa.Column("queue", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("phase", sa.String(length=32), server_default="Pending", nullable=False),
        sa.Column(
            "created_date",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "not_before",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("started_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("worker", sa.String(length=255), nullable=True),
        sa.Column("exit_code", sa.Integer(), nullable=True),
        sa.Column("std_out", sa.Text(), nullable=True),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.CheckConstraint("mode IN ('init', 'normal', 'webhook')", name=op.f("ck_run_mode")),
        sa.CheckConstraint(
            "phase IN ('Pending', 'Running', 'Succeeded', 'Failed (Integration Issue)', "
            "'Failed (Timeout)', 'Failed (Refresh)', 'Failed (Platform Issue)')",
            name=op.f("ck_run_phase"),
        ),
        sa.CheckConstraint("queue IN ('default', 'cron')", name=op.f("ck_run_queue")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_run_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["integration.id"],
            name=op.f("fk_run_integration_id_integration"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["release.id"],
            name=op.f("fk_run_release_id_release"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_run_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run")),
    )
    op.create_index(
        "ix_run_claimable",
        "run",
        ["not_before"],
        unique=False,
        postgresql_where=sa.text("phase = 'Pending'"),
    )
    op.create_index(
        "ix_run_heartbeat",
        "run",
        ["heartbeat_at"],
        unique=False,
        postgresql_where=sa.text("phase = 'Running'"),
    )
    op.create_index("ix_run_tenant_id_id", "run", ["tenant_id", "id"], unique=False)
    op.create_index(
        "uq_run_pending_per_queue",
        "run",
        ["tenant_id", "queue"],
        unique=True,
        postgresql_where=sa.text("phase = 'Pending'"),
    )
    op.create_index(
        "uq_run_running_per_tenant",
        "run",
        ["tenant_id"],
        unique=True,
        postgresql_where=sa.text("phase = 'Running'"),
    )
    op.create_table(
        "run_log",
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["run.id"], name=op.f("fk_run_log_run_id_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_run_log")),
    )
    op.create_table(
        "trigger",
        sa.Column("uuid", sa.UUID(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("requeues", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "created_date",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.CheckConstraint("mode IN ('init', 'normal')", name=op.f("ck_trigger_mode")),
        sa.CheckConstraint("source IN ('api', 'cron')", name=op.f("ck_trigger_source")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_trigger_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["run.id"], name=op.f("fk_trigger_run_id_run"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_trigger_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trigger")),
        sa.UniqueConstraint("uuid", name=op.f("uq_trigger_uuid")),
    )
    op.create_index(op.f("ix_trigger_run_id"), "trigger", ["run_id"], unique=False)
    op.create_index(op.f("ix_trigger_tenant_id"), "trigger", ["tenant_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_trigger_tenant_id"), table_name="trigger")
    op.drop_index(op.f("ix_trigger_run_id"), table_name="trigger")
    op.drop_table("trigger")
    op.drop_table("run_log")
    op.drop_index(
        "uq_run_running_per_tenant", table_name="run", postgresql_where=sa.text("phase = 'Running'")
    )
    op.drop_index(
        "uq_run_pending_per_queue", table_name="run", postgresql_where=sa.text("phase = 'Pending'")
    )
    op.drop_index("ix_run_tenant_id_id", table_name="run")
    op.drop_index(
        "ix_run_heartbeat", table_name="run", postgresql_where=sa.text("phase = 'Running'")
    )
    op.drop_index(
        "ix_run_claimable", table_name="run", postgresql_where=sa.text("phase = 'Pending'")
    )
    op.drop_table("run")
    op.drop_table("server_secret")
