"""64-bit device sequences; the delivering session of a validation; request throttle

Revision ID: 0006
Revises: 0005

- `devices.last_seq` and `validations.device_seq` become BIGINT: a signed `device_seq` may
  be any integer up to 2^53-1 (PROTOCOL.md v1.1), a 32-bit column answered 500 on PostgreSQL.
- `validations.delivered_by` / `delivered_kid`: the officer and device of the session that
  delivered the validation (a colleague's session may deliver an offline validation).
- `throttle_hits`: request creations counted per caller and per client address (a digest),
  in the database so that the limit holds across worker processes and instances.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.alter_column("last_seq", existing_type=sa.Integer(), type_=sa.BigInteger())
    with op.batch_alter_table("validations") as batch:
        batch.alter_column("device_seq", existing_type=sa.Integer(), type_=sa.BigInteger())
        batch.add_column(sa.Column("delivered_by", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("delivered_kid", sa.String(length=43), nullable=True))
    op.create_table(
        "throttle_hits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("bucket", sa.String(length=80), nullable=False),
        sa.Column("at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_throttle_hits_bucket_at", "throttle_hits", ["bucket", "at"])


def downgrade() -> None:
    op.drop_index("ix_throttle_hits_bucket_at", table_name="throttle_hits")
    op.drop_table("throttle_hits")
    with op.batch_alter_table("validations") as batch:
        batch.drop_column("delivered_kid")
        batch.drop_column("delivered_by")
        batch.alter_column("device_seq", existing_type=sa.BigInteger(), type_=sa.Integer())
    with op.batch_alter_table("devices") as batch:
        batch.alter_column("last_seq", existing_type=sa.BigInteger(), type_=sa.Integer())
