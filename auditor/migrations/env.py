"""Alembic's environment for the history database. The store runs it with an open connection, already inside the
transaction the upgrade belongs to (`config.attributes["connection"]`); auditor never connects from here itself."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "auditor's migrations run when auditor opens its history database (auditor.store.Store); they are not run "
        "with an alembic.ini of their own"
    )
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
