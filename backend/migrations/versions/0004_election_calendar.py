"""the election calendar; the requested scope; one identity key for the L73 cap

Revision ID: 0004
Revises: 0003

- `elections` and `election_rounds`: the calendar a scope resolves to polling days with.
- `requests.scope_spec`: the scope as requested (PROTOCOL.md v1.1); NULL for older rows,
  whose displayed scope (`scope_json`) is resolved instead.
- `requests.mandataire_key` was the digest of the upper-cased names: "LEFÈVRE Zoé" and
  "LEFEVRE Zoe" were two people for the cap. It becomes `person_key`, the digest of the
  roll's folded key; `electors.name_key` is recomputed too (apostrophes now fold alike).
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from backend.storage.names import name_key, person_key

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _create_calendar() -> None:
    op.create_table(
        "elections",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "election_rounds",
        sa.Column("election_id", sa.String(length=40), nullable=False),
        sa.Column("round", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("polling_day", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["election_id"], ["elections.id"]),
        sa.PrimaryKeyConstraint("election_id", "round"),
    )
    op.create_index(
        op.f("ix_election_rounds_polling_day"), "election_rounds", ["polling_day"], unique=False
    )


def _rekey(
    table: str, key_column: str, columns: tuple[str, str, str], keyed: Callable[..., str]
) -> None:
    """Recomputes `key_column` of every row whose identity columns are still there."""
    id_column = "id" if table == "electors" else "reference"
    rows_table = sa.table(
        table, sa.column(id_column), sa.column(key_column), *map(sa.column, columns)
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(rows_table.c[id_column], *(rows_table.c[c] for c in columns)).where(
            rows_table.c[columns[0]].is_not(None)
        )
    ).all()
    if rows:
        connection.execute(
            sa.update(rows_table)
            .where(rows_table.c[id_column] == sa.bindparam("row_id"))
            .values({key_column: sa.bindparam("key")}),
            [{"row_id": row[0], "key": keyed(row[1], row[2], row[3])} for row in rows],
        )


def upgrade() -> None:
    _create_calendar()
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope_spec", sa.Text(), nullable=True))
    _rekey("electors", "name_key", ("birth_name", "first_names", "birth_date"), name_key)
    mandataire = ("mandataire_birth_name", "mandataire_first_names", "mandataire_birth_date")
    _rekey("requests", "mandataire_key", mandataire, person_key)


def downgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_column("scope_spec")
    op.drop_index(op.f("ix_election_rounds_polling_day"), table_name="election_rounds")
    op.drop_table("election_rounds")
    op.drop_table("elections")
