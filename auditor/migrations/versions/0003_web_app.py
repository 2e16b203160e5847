"""Schema 3: the web app's tables (`auditor serve`, issue 17) in the history database, each row with its school.

- `users`: the people who may sign in, their role (lead, slt, head, owner), department or account, and an argon2
  hash of their password (never the password).
- `decisions`: what people decided in the app, with who, when and why: a confirmed checklist item, a photo's written
  consent, a false alarm (read by runs as a waiver), an abusive comment removed and reported, and when a decision
  ended (reopened, or ended by a later run's real failure).
- `signin_attempts`: the sign-in throttle's memory.
- PostgreSQL: row-level security keyed on `app.school`, as for the history's tables (revision 0002).

A database whose app tables were made before this revision (by an early build of the app, with `create_all`) keeps
them as they are.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

APP_TABLES = ("users", "decisions", "signin_attempts")


def _school() -> sa.Column[str]:
    return sa.Column("school", sa.Text(), nullable=False, server_default="default")


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "users" not in existing:
        op.create_table(
            "users",
            sa.Column("id", sa.Integer(), primary_key=True),
            _school(),
            sa.Column("username", sa.Text(), nullable=False),
            sa.Column("name", sa.Text(), nullable=False),
            sa.Column("role", sa.Text(), nullable=False),
            sa.Column("department", sa.Text()),
            sa.Column("account", sa.Text()),
            sa.Column("password_hash", sa.Text()),
            sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()),
            sa.Column("created_at", sa.Text(), nullable=False),
            sa.UniqueConstraint("school", "username"),
        )
    if "decisions" not in existing:
        op.create_table(
            "decisions",
            sa.Column("id", sa.Integer(), primary_key=True),
            _school(),
            sa.Column("kind", sa.Text(), nullable=False),
            sa.Column("finding_id", sa.Text(), nullable=False),
            sa.Column("account", sa.Text(), nullable=False),
            sa.Column("account_key", sa.Text(), nullable=False),
            sa.Column("department", sa.Text(), nullable=False),
            sa.Column("check_id", sa.Text(), nullable=False),
            sa.Column("post_id", sa.Text()),
            sa.Column("pattern", sa.Text()),
            sa.Column("reason", sa.Text()),
            sa.Column("note", sa.Text(), nullable=False),
            sa.Column("made_by", sa.Text(), nullable=False),
            sa.Column("made_by_user", sa.Integer()),
            sa.Column("made_at", sa.Text(), nullable=False),
            sa.Column("expires", sa.Date()),
            sa.Column("removed_at", sa.Text()),
            sa.Column("reported_to", sa.Text()),
            sa.Column("seen_at", sa.Text()),
            sa.Column("ended_at", sa.Text()),
            sa.Column("ended_by", sa.Text()),
            sa.Column("ended_why", sa.Text()),
        )
        op.create_index("decisions_by_finding", "decisions", ["school", "finding_id"])
    if "signin_attempts" not in existing:
        op.create_table(
            "signin_attempts",
            sa.Column("id", sa.Integer(), primary_key=True),
            _school(),
            sa.Column("username", sa.Text(), nullable=False),
            sa.Column("address", sa.Text(), nullable=False),
            sa.Column("at", sa.Text(), nullable=False),
            sa.Column("ok", sa.Boolean(), nullable=False),
        )
        op.create_index("signin_attempts_by_user", "signin_attempts", ["school", "username", "at"])
    if op.get_bind().dialect.name == "postgresql":
        for table in APP_TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            op.execute(f"DROP POLICY IF EXISTS school_only ON {table}")
            op.execute(
                f"CREATE POLICY school_only ON {table} USING (school = current_setting('app.school', true)) "
                "WITH CHECK (school = current_setting('app.school', true))"
            )
