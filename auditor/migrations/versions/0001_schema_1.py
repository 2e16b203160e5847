"""Schema 1: the history as auditor stored it before the schema was versioned by Alembic (runs, what happened to each
account, every finding, connector state, email deliveries, alerts, escalations and the outbox), with the columns added
to it since (`runs.kind`, `scope`, `scope_note`, `announced`).

A database made before Alembic (no `alembic_version` table) already holds these tables: only what is missing is
created or added, so its history is kept as it is.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# (table, column, definition) added after schema 1 first shipped; a database from before them gets them here.
ADDED_COLUMNS = (
    ("runs", "kind", sa.Text(), "audit"),
    ("runs", "scope", sa.Text(), "full"),
    ("runs", "scope_note", sa.Text(), ""),
    ("runs", "announced", sa.Integer(), "1"),
)


def _tables() -> list[sa.Table]:
    md = sa.MetaData()
    text, integer = sa.Text, sa.Integer
    return [
        sa.Table(
            "meta", md, sa.Column("key", text, nullable=False), sa.Column("value", text, nullable=False),
            sa.PrimaryKeyConstraint("key", name="meta_pkey"),
        ),
        sa.Table(
            "runs", md,
            sa.Column("id", text, nullable=False),
            sa.Column("started_at", text, nullable=False),
            sa.Column("finished_at", text),
            sa.Column("status", text, nullable=False),
            sa.Column("version", text, nullable=False),
            *(sa.Column(name, kind, nullable=False, server_default=value) for _, name, kind, value in ADDED_COLUMNS),
            sa.PrimaryKeyConstraint("id", name="runs_pkey"),
        ),
        sa.Table(
            "account_runs", md,
            sa.Column("run_id", text, nullable=False),
            sa.Column("account_key", text, nullable=False),
            sa.Column("handle", text, nullable=False),
            sa.Column("platform", text, nullable=False),
            sa.Column("department", text, nullable=False),
            sa.Column("status", text, nullable=False),
            sa.Column("error", text),
            sa.Column("posts_examined", integer, nullable=False),
            sa.Column("comments_examined", integer, nullable=False),
            sa.PrimaryKeyConstraint("run_id", "account_key", name="account_runs_pkey"),
            sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE", name="account_runs_run_id_fkey"),
        ),
        sa.Table(
            "findings", md,
            sa.Column("run_id", text, nullable=False),
            sa.Column("id", text, nullable=False),
            *(sa.Column(name, text, nullable=False) for name in (
                "account_key", "account", "platform", "department", "check_id", "clause", "status", "severity",
                "reason", "evidence", "change",
            )),
            sa.Column("first_seen", text),
            sa.PrimaryKeyConstraint("run_id", "id", name="findings_pkey"),
            sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE", name="findings_run_id_fkey"),
            sa.Index("findings_by_account", "account_key", "run_id"),
        ),
        sa.Table(
            "connector_state", md,
            sa.Column("account_key", text, nullable=False),
            sa.Column("state", text, nullable=False),
            sa.Column("run_id", text, nullable=False),
            sa.PrimaryKeyConstraint("account_key", name="connector_state_pkey"),
        ),
        sa.Table(
            "deliveries", md,
            *(sa.Column(name, text, nullable=False) for name in ("run_id", "kind", "recipients", "subject", "status")),
            sa.Column("attempts", integer, nullable=False),
            sa.Column("error", text),
            sa.Column("at", text, nullable=False),
        ),
        *(
            sa.Table(
                name, md,
                sa.Column("finding_id", text, nullable=False),
                sa.Column("run_id", text, nullable=False),
                sa.Column("at", text, nullable=False),
                sa.PrimaryKeyConstraint("finding_id", name=f"{name}_pkey"),
            )
            for name in ("alerts_sent", "escalations_sent")
        ),
        sa.Table(
            "outbox", md,
            sa.Column("id", integer, primary_key=True, autoincrement=True),
            *(sa.Column(name, text, nullable=False) for name in ("run_id", "kind", "recipients", "subject")),
            sa.Column("message", sa.LargeBinary, nullable=False),
            sa.Column("status", text, nullable=False),
            sa.Column("attempts", integer, nullable=False, server_default="0"),
            sa.Column("error", text),
            sa.Column("queued_at", text, nullable=False),
            sa.Column("done_at", text),
            sa.Index("outbox_pending", "status", "id"),
            sqlite_autoincrement=True,
        ),
    ]  # fmt: skip


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    for table in _tables():
        if table.name not in existing:
            table.create(bind)
    if "runs" in existing:
        have = {c["name"] for c in sa.inspect(bind).get_columns("runs")}
        for table_name, column, kind, default in ADDED_COLUMNS:
            if column not in have:
                op.add_column(table_name, sa.Column(column, kind, nullable=False, server_default=default))
    meta = sa.table("meta", sa.column("key"), sa.column("value"))
    if bind.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).first() is None:
        op.execute(meta.insert().values(key="schema_version", value="1"))


def downgrade() -> None:
    raise NotImplementedError("the history is never downgraded: restore a backup made before the upgrade instead")
