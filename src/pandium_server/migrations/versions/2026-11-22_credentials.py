"""connector credentials (sealed) and connector auth settings

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 20:17:48.088380
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # autogenerate does not compare check constraints: widen the auth types by hand
    op.drop_constraint(op.f("ck_connector_auth_type"), "connector", type_="check")
    op.create_check_constraint(
        "auth_type",
        "connector",
        "auth_type IN ('none', 'bearer', 'api_key', 'basic', 'oauth2', 'wsse')",
    )
    op.create_table(
        "credential",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("connector_id", sa.BigInteger(), nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=True),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), server_default="connected", nullable=False),
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
            "status IN ('connected', 'refresh_failed')", name=op.f("ck_credential_status")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_credential_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["connector_id"],
            ["connector.id"],
            name=op.f("fk_credential_connector_id_connector"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_credential_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credential")),
    )
    op.create_index(op.f("ix_credential_account_id"), "credential", ["account_id"], unique=False)
    op.create_index(
        "uq_credential_global_connector",
        "credential",
        ["connector_id"],
        unique=True,
        postgresql_where=sa.text("tenant_id IS NULL"),
    )
    op.create_index(
        "uq_credential_tenant_connector",
        "credential",
        ["tenant_id", "connector_id"],
        unique=True,
        postgresql_where=sa.text("tenant_id IS NOT NULL"),
    )
    op.add_column(
        "connector",
        sa.Column("allowed_hosts", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.add_column("connector", sa.Column("api_key_header", sa.String(length=100), nullable=True))
    op.add_column("connector", sa.Column("api_key_query", sa.String(length=100), nullable=True))
    op.add_column("connector", sa.Column("token_url", sa.String(length=2000), nullable=True))
    op.add_column("connector", sa.Column("client_id", sa.String(length=500), nullable=True))
    op.add_column("connector", sa.Column("client_secret", sa.LargeBinary(), nullable=True))
    op.add_column(
        "connector", sa.Column("client_secret_key_id", sa.String(length=32), nullable=True)
    )
    op.add_column(
        "connector",
        sa.Column("internal", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_connector_auth_type"), "connector", type_="check")
    op.create_check_constraint(
        "auth_type", "connector", "auth_type IN ('none', 'bearer', 'api_key', 'basic', 'oauth2')"
    )
    op.drop_column("connector", "internal")
    op.drop_column("connector", "client_secret_key_id")
    op.drop_column("connector", "client_secret")
    op.drop_column("connector", "client_id")
    op.drop_column("connector", "token_url")
    op.drop_column("connector", "api_key_query")
    op.drop_column("connector", "api_key_header")
    op.drop_column("connector", "allowed_hosts")
    op.drop_index(
        "uq_credential_tenant_connector",
        table_name="credential",
        postgresql_where=sa.text("tenant_id IS NOT NULL"),
    )
    op.drop_index(
        "uq_credential_global_connector",
        table_name="credential",
        postgresql_where=sa.text("tenant_id IS NULL"),
    )
    op.drop_index(op.f("ix_credential_account_id"), table_name="credential")
    op.drop_table("credential")
