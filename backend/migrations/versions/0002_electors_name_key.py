"""electors.name_key: an indexed, folded identity key for roll lookups

Revision ID: 0002
Revises: 0001

The register check used to compare upper() of the names: a full scan of the roll per check
(under the write lock) and, on SQLite, an ASCII-only fold. The key is computed in Python by
`backend.storage.names.name_key`, the function the lookup uses.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.storage.names import name_key

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("electors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.Text(), nullable=True))
    electors = sa.table(
        "electors",
        sa.column("id", sa.Integer()),
        sa.column("birth_name", sa.String()),
        sa.column("first_names", sa.String()),
        sa.column("birth_date", sa.String()),
        sa.column("name_key", sa.Text()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            electors.c.id, electors.c.birth_name, electors.c.first_names, electors.c.birth_date
        )
    ).all()
    if rows:
        connection.execute(
            sa.update(electors)
            .where(electors.c.id == sa.bindparam("row_id"))
            .values(name_key=sa.bindparam("key")),
            [{"row_id": row[0], "key": name_key(row[1], row[2], row[3])} for row in rows],
        )
    with op.batch_alter_table("electors", schema=None) as batch_op:
        batch_op.alter_column("name_key", existing_type=sa.Text(), nullable=False)
        batch_op.drop_index("ix_electors_identity")
        batch_op.create_index("ix_electors_name_key", ["name_key", "insee"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("electors", schema=None) as batch_op:
        batch_op.drop_index("ix_electors_name_key")
        batch_op.create_index(
            "ix_electors_identity", ["birth_name", "first_names", "birth_date"], unique=False
        )
        batch_op.drop_column("name_key")
