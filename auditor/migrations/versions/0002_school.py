"""Schema 2: every row carries its school, so one database can hold several schools' history without one school's
reports, emails or history ever showing another's.

- `school TEXT NOT NULL DEFAULT 'default'` on every table of history (rows already there become the 'default'
  school's, which is the school of a deployment with one school); `meta` and `alembic_version` describe the database
  itself and have none.
- Keys that could collide between schools start with the school: runs (school, id), account_runs (school, run_id,
  account_key), findings (school, run_id, id), connector_state (school, account_key), alerts_sent and
  escalations_sent (school, finding_id); account_runs and findings reference runs by (school, run_id).
- `deliveries.seq` keeps the order emails were tried in (SQLite's hidden rowid did that; PostgreSQL has none).
- PostgreSQL: row-level security on every table of history, keyed on the session setting `app.school`, which the
  store sets when it connects: a query that forgets to filter by school still sees, and may write, only its own
  school's rows. FORCE makes it hold for the tables' owner too (a superuser, or a role with BYPASSRLS, is never
  bound by it: the store's role must be neither).
- `meta.schema_version` becomes 2, so an auditor from before this revision refuses the database ("written by a newer
  version") rather than writing rows without a school.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHOOL_TABLES = (
    "runs", "account_runs", "findings", "connector_state", "deliveries", "alerts_sent", "escalations_sent", "outbox",
)  # fmt: skip

# SQLite cannot change a table's primary key in place: each table is made anew with the school in its key and its
# rows copied across (the store turns foreign keys off for the upgrade and checks them all before it commits).
_SQLITE_TABLES = {
    "runs": (
        "id, started_at, finished_at, status, version, kind, scope, scope_note, announced",
        """id TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, version TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'audit', scope TEXT NOT NULL DEFAULT 'full', scope_note TEXT NOT NULL DEFAULT '',
        announced INTEGER NOT NULL DEFAULT 1, school TEXT NOT NULL DEFAULT 'default',
        CONSTRAINT runs_pkey PRIMARY KEY (school, id)""",
    ),
    "account_runs": (
        "run_id, account_key, handle, platform, department, status, error, posts_examined, comments_examined",
        """run_id TEXT NOT NULL, account_key TEXT NOT NULL, handle TEXT NOT NULL, platform TEXT NOT NULL,
        department TEXT NOT NULL, status TEXT NOT NULL, error TEXT, posts_examined INTEGER NOT NULL,
        comments_examined INTEGER NOT NULL, school TEXT NOT NULL DEFAULT 'default',
        CONSTRAINT account_runs_pkey PRIMARY KEY (school, run_id, account_key),
        CONSTRAINT account_runs_run_id_fkey FOREIGN KEY (school, run_id) REFERENCES runs (school, id)
            ON DELETE CASCADE""",
    ),
    "findings": (
        "run_id, id, account_key, account, platform, department, check_id, clause, status, severity, reason, "
        "evidence, change, first_seen",
        """run_id TEXT NOT NULL, id TEXT NOT NULL, account_key TEXT NOT NULL, account TEXT NOT NULL,
        platform TEXT NOT NULL, department TEXT NOT NULL, check_id TEXT NOT NULL, clause TEXT NOT NULL,
        status TEXT NOT NULL, severity TEXT NOT NULL, reason TEXT NOT NULL, evidence TEXT NOT NULL,
        change TEXT NOT NULL, first_seen TEXT, school TEXT NOT NULL DEFAULT 'default',
        CONSTRAINT findings_pkey PRIMARY KEY (school, run_id, id),
        CONSTRAINT findings_run_id_fkey FOREIGN KEY (school, run_id) REFERENCES runs (school, id) ON DELETE CASCADE""",
    ),
    "connector_state": (
        "account_key, state, run_id",
        """account_key TEXT NOT NULL, state TEXT NOT NULL, run_id TEXT NOT NULL, school TEXT NOT NULL DEFAULT 'default',
        CONSTRAINT connector_state_pkey PRIMARY KEY (school, account_key)""",
    ),
    "deliveries": (
        "run_id, kind, recipients, subject, status, attempts, error, at",
        """run_id TEXT NOT NULL, kind TEXT NOT NULL, recipients TEXT NOT NULL, subject TEXT NOT NULL,
        status TEXT NOT NULL, attempts INTEGER NOT NULL, error TEXT, at TEXT NOT NULL,
        school TEXT NOT NULL DEFAULT 'default', seq INTEGER NOT NULL CONSTRAINT deliveries_pkey PRIMARY KEY
        AUTOINCREMENT""",
    ),
    **{
        name: (
            "finding_id, run_id, at",
            f"""finding_id TEXT NOT NULL, run_id TEXT NOT NULL, at TEXT NOT NULL,
            school TEXT NOT NULL DEFAULT 'default', CONSTRAINT {name}_pkey PRIMARY KEY (school, finding_id)""",
        )
        for name in ("alerts_sent", "escalations_sent")
    },
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite()
    else:
        _postgresql()
    op.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")


def _sqlite() -> None:
    op.execute("DROP INDEX IF EXISTS findings_by_account")
    for table, (columns, definition) in _SQLITE_TABLES.items():
        op.execute(f"CREATE TABLE {table}_v2 ({definition})")
        copied = f"{columns}, seq" if table == "deliveries" else columns
        source = f"{columns}, rowid" if table == "deliveries" else columns
        op.execute(f"INSERT INTO {table}_v2 ({copied}) SELECT {source} FROM {table}")  # noqa: S608 - names above
        op.execute(f"DROP TABLE {table}")
        op.execute(f"ALTER TABLE {table}_v2 RENAME TO {table}")
    op.add_column("outbox", sa.Column("school", sa.Text(), nullable=False, server_default="default"))
    _indexes()


def _postgresql() -> None:
    for table in SCHOOL_TABLES:
        op.add_column(table, sa.Column("school", sa.Text(), nullable=False, server_default="default"))
    for table in ("account_runs", "findings"):
        op.drop_constraint(f"{table}_run_id_fkey", table, type_="foreignkey")
    keys = {
        "runs": ("school", "id"),
        "account_runs": ("school", "run_id", "account_key"),
        "findings": ("school", "run_id", "id"),
        "connector_state": ("school", "account_key"),
        "alerts_sent": ("school", "finding_id"),
        "escalations_sent": ("school", "finding_id"),
    }
    for table, columns in keys.items():
        op.drop_constraint(f"{table}_pkey", table, type_="primary")
        op.create_primary_key(f"{table}_pkey", table, list(columns))
    for table in ("account_runs", "findings"):
        op.create_foreign_key(
            f"{table}_run_id_fkey", table, "runs", ["school", "run_id"], ["school", "id"], ondelete="CASCADE"
        )
    op.execute("ALTER TABLE deliveries ADD COLUMN seq BIGINT GENERATED BY DEFAULT AS IDENTITY")
    op.create_primary_key("deliveries_pkey", "deliveries", ["seq"])
    op.drop_index("findings_by_account", table_name="findings")
    op.drop_index("outbox_pending", table_name="outbox")
    _indexes()
    for table in SCHOOL_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY school_only ON {table} USING (school = current_setting('app.school', true)) "
            "WITH CHECK (school = current_setting('app.school', true))"
        )


def _indexes() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP INDEX IF EXISTS outbox_pending")
    op.create_index("findings_by_account", "findings", ["school", "account_key", "run_id"])
    op.create_index("outbox_pending", "outbox", ["school", "status", "id"])


def downgrade() -> None:
    raise NotImplementedError("the history is never downgraded: restore a backup made before the upgrade instead")
