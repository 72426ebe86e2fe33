"""journal (chain, actor, kind, at): the lookup rate limit counts an officer's last minute

Revision ID: 0003
Revises: 0002

The per-officer lookup limit used to be a counter in the memory of one process; with
several worker processes (and several instances on PostgreSQL) each would have allowed the
full limit. It now counts the officer's lookup entries of the last minute in the station's
journal chain, which this index answers alone (no table read, no scan of the chain).
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_journal_lookups", "journal", ["chain", "actor", "kind", "at"])


def downgrade() -> None:
    op.drop_index("ix_journal_lookups", table_name="journal")
