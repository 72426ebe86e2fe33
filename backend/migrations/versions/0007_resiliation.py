"""résiliation (L75): a request's kind and the proxy it cancels; who is told of it

Revision ID: 0007
Revises: 0006

- `requests.kind`: `proxy` (every existing row) or `resiliation` (docs/protocol.md v1.1).
- `requests.cancels`: the reference of the proxy a résiliation ends (NULL for a proxy).
- `requests.mandataire_email`: where the mandataire is told their proxy was cancelled
  (optional; personal, erased by the purge).
- `communes.email`: where the mairie is told (optional: the commune portal lists it anyway).

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=12), nullable=False, server_default="proxy")
        )
        batch_op.add_column(sa.Column("cancels", sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column("mandataire_email", sa.String(length=320), nullable=True))
        batch_op.create_index(batch_op.f("ix_requests_cancels"), ["cancels"], unique=False)
    with op.batch_alter_table("communes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("communes", schema=None) as batch_op:
        batch_op.drop_column("email")
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_requests_cancels"))
        batch_op.drop_column("mandataire_email")
        batch_op.drop_column("cancels")
        batch_op.drop_column("kind")
