"""checkpoints insert-only, like the journal

Revision ID: 0006
Revises: 0003 (the integrator re-chains it after 0004 and 0005)

A deleted checkpoint let a rewritten or truncated chain pass `journal verify`: the
signatures that vouched for the old entries were gone. The guard holds even for the schema
owner unless they drop it, which is what the witness file (`journal witness`) catches.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0003"
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


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS checkpoints_no_truncate ON checkpoints")
        op.execute("DROP TRIGGER IF EXISTS checkpoints_no_update_delete ON checkpoints")
        op.execute("DROP FUNCTION IF EXISTS checkpoints_insert_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS checkpoints_no_update")
        op.execute("DROP TRIGGER IF EXISTS checkpoints_no_delete")
