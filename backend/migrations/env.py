"""Alembic environment: the application hands over an open connection (see storage.engine)."""

from __future__ import annotations

from alembic import context

from backend.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through backend.storage.engine.migrate()")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
