"""tenants and tenant metadata

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 19:52:52.162535
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tenant",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("integration_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column(
            "configs",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "dynamic_configs",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("paused", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("archived", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("source", sa.String(length=32), server_default="api", nullable=False),
        sa.Column("user_name", sa.String(length=255), nullable=True),
        sa.Column("user_schedule", sa.String(length=255), nullable=True),
        sa.Column("schedule", sa.String(length=255), nullable=True),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("integration_release_id", sa.BigInteger(), nullable=True),
        sa.Column("integration_release_channel", sa.String(length=16), nullable=True),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "created_date",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "modified_date",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "integration_release_channel IN ('Latest', 'Default')",
            name=op.f("ck_tenant_integration_release_channel"),
        ),
        sa.CheckConstraint(
            "NOT (integration_release_id IS NOT NULL AND integration_release_channel IS NOT NULL)",
            name=op.f("ck_tenant_release_id_or_channel"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_tenant_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["integration.id"],
            name=op.f("fk_tenant_integration_id_integration"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["integration_release_id"],
            ["release.id"],
            name=op.f("fk_tenant_integration_release_id_release"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenant")),
    )
    op.create_index(
        "ix_tenant_account_id_integration_id",
        "tenant",
        ["account_id", "integration_id"],
        unique=False,
    )
    op.create_index(
        "ix_tenant_account_id_user_name", "tenant", ["account_id", "user_name"], unique=False
    )
    op.create_index(
        "ix_tenant_next_run_at_due",
        "tenant",
        ["next_run_at"],
        unique=False,
        postgresql_where=sa.text("NOT paused AND NOT archived AND schedule IS NOT NULL"),
    )
    op.create_index(
        "uq_tenant_integration_id_name_live",
        "tenant",
        ["integration_id", "name"],
        unique=True,
        postgresql_where=sa.text("NOT archived"),
    )
    op.create_table(
        "tenant_metadata",
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "data",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "created_date",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "modified_date",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_tenant_metadata_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_tenant_metadata_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_tenant_metadata")),
    )
    op.create_index(
        op.f("ix_tenant_metadata_account_id"), "tenant_metadata", ["account_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_tenant_metadata_account_id"), table_name="tenant_metadata")
    op.drop_table("tenant_metadata")
    op.drop_index(
        "uq_tenant_integration_id_name_live",
        table_name="tenant",
        postgresql_where=sa.text("NOT archived"),
    )
    op.drop_index(
        "ix_tenant_next_run_at_due",
        table_name="tenant",
        postgresql_where=sa.text("NOT paused AND NOT archived AND schedule IS NOT NULL"),
    )
    op.drop_index("ix_tenant_account_id_user_name", table_name="tenant")
    op.drop_index("ix_tenant_account_id_integration_id", table_name="tenant")
    op.drop_table("tenant")
