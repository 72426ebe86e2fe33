"""checkpoints insert-only, like the journal; login_failures for the login throttle

Revision ID: 0005
Revises: 0004

A deleted checkpoint let a rewritten or truncated chain pass `journal verify`: the
signatures that vouched for the old entries were gone. The guard holds even for the schema
owner unless they drop it, which is what the witness file (`journal witness`) catches.

Failed logins are counted in the database, so that the throttle holds across worker
processes and instances (backend/services/login_throttle.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_SQLITE_GUARDS = [
    "CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints "
    "BEGIN SELECT RAISE(ABORT, 'checkpoints are insert-only'); END",
    "CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints "
    "BEGIN SELECT RAISE(ABORT, 'checkpoints are insert-only'); END",
]

_POSTGRES_GUARDS = [
    "CREATE FUNCTION checkpoints_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'checkpoints are insert-only'; END $$",
    "CREATE TRIGGER checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON checkpoints "
    "FOR EACH ROW EXECUTE FUNCTION checkpoints_insert_only()",
    "CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints "
    "FOR EACH STATEMENT EXECUTE FUNCTION checkpoints_insert_only()",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _POSTGRES_GUARDS if dialect == "postgresql" else _SQLITE_GUARDS:
        op.execute(statement)
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=43), nullable=False),
        sa.Column("at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_failures_key_at", "login_failures", ["key", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_failures_key_at", table_name="login_failures")
    op.drop_table("login_failures")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS checkpoints_no_truncate ON checkpoints")
        op.execute("DROP TRIGGER IF EXISTS checkpoints_no_update_delete ON checkpoints")
        op.execute("DROP FUNCTION IF EXISTS checkpoints_insert_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS checkpoints_no_update")
        op.execute("DROP TRIGGER IF EXISTS checkpoints_no_delete")
