"""The history database's schema, versioned by Alembic: `versions/` holds one revision per schema change, applied in
order by `auditor.store.Store` when it opens a database (no alembic.ini is needed). Each revision is written for both
SQLite and PostgreSQL and never changed once shipped; a change to the schema is a new revision."""
