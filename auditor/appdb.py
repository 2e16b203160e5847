"""The web app's own tables (people, their decisions, sign-in attempts), in SQLAlchemy Core on a MetaData of their
own, kept in the same database as the run history (`[output] store`).

The tables are made by the history's Alembic migrations (auditor/migrations/versions/0003_web_app.py) when the app or
`auditor users` first opens the history; the definitions here must match them (tests/store/test_migrations.py checks).
Every table carries a `school` column (one school, 'default', for now), kept apart on PostgreSQL by row-level
security as the history's tables are. The run
history (runs, findings) is read, never written, from here: the runner and `auditor.store` own it.

This module knows no web framework: the runner reads decisions through it (auditor/decisions.py) without Flask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from auditor.storeurl import StoreTarget

SCHOOL = "default"
# The roles and what each sees: the monitoring lead and SLT every account, a head of department their department, an
# account owner their account.
ROLES = ("lead", "slt", "head", "owner")
ROLE_WORDS = {
    "lead": "Monitoring lead",
    "slt": "Senior leadership (SLT)",
    "head": "Head of department",
    "owner": "Account owner",
}
# What a decision is: a checklist item confirmed, a photo's written consent confirmed, a false alarm (a waiver), an
# abusive comment removed and reported.
KINDS = ("confirm", "consent", "false_alarm", "removed")
KIND_WORDS = {
    "confirm": "Checklist item confirmed",
    "consent": "Written photo consent confirmed",
    "false_alarm": "False alarm (waiver)",
    "removed": "Comment removed and reported",
}

metadata = sa.MetaData()


def _school() -> sa.Column[str]:
    return sa.Column("school", sa.Text, nullable=False, server_default=SCHOOL, default=SCHOOL)


users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    sa.Column("username", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("department", sa.Text),  # a head of department's department
    sa.Column("account", sa.Text),  # an account owner's handle
    sa.Column("password_hash", sa.Text),  # argon2id; never the password
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false(), default=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.UniqueConstraint("school", "username"),
)

decisions = sa.Table(
    "decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("finding_id", sa.Text, nullable=False),
    sa.Column("account", sa.Text, nullable=False),  # the handle, as the findings show it
    sa.Column("account_key", sa.Text, nullable=False),
    sa.Column("department", sa.Text, nullable=False),
    sa.Column("check_id", sa.Text, nullable=False),
    sa.Column("post_id", sa.Text),  # consent: the post whose photos are covered
    sa.Column("pattern", sa.Text),  # false alarm: the text the waiver matches (a post id or address), if any
    sa.Column("reason", sa.Text),  # false alarm: one of auditor.waivers.REASONS
    sa.Column("note", sa.Text, nullable=False),  # why
    sa.Column("made_by", sa.Text, nullable=False),  # who: the person's name
    sa.Column("made_by_user", sa.Integer),
    sa.Column("made_at", sa.Text, nullable=False),  # when (UTC, ISO 8601)
    sa.Column("expires", sa.Date),
    sa.Column("removed_at", sa.Text),  # removed: when the comment was taken down
    sa.Column("reported_to", sa.Text),  # removed: the member of SLT told
    sa.Column("seen_at", sa.Text),  # removed: when the auditor first found the comment
    sa.Column("ended_at", sa.Text),  # reopened, or ended by a later run's real failure
    sa.Column("ended_by", sa.Text),
    sa.Column("ended_why", sa.Text),
)
sa.Index("decisions_by_finding", decisions.c.school, decisions.c.finding_id)

signin_attempts = sa.Table(
    "signin_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    sa.Column("username", sa.Text, nullable=False),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
)
sa.Index("signin_attempts_by_user", signin_attempts.c.school, signin_attempts.c.username, signin_attempts.c.at)


def engine_for(store: StoreTarget) -> Engine:
    """An engine on the history database: the SQLite file (waiting for a lock as the run history does), or the
    PostgreSQL server, each connection bound to the school so row-level security lets it see only that school's
    history."""
    if store.file is not None:
        return sa.create_engine(f"sqlite:///{store.file}", connect_args={"timeout": 30})
    from auditor.store import server_engine

    engine = server_engine(store, application_name="auditor-web")

    @event.listens_for(engine, "connect")
    def _school(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.school', %s, false)", (SCHOOL,))
        dbapi_connection.commit()

    return engine


def create(store: StoreTarget) -> None:
    """Bring the history database up to date: the app's tables are made by its migrations (auditor/migrations,
    revision 0003), as every other table is, on SQLite and PostgreSQL alike."""
    from auditor.store import Store

    Store(store).close()


def has_tables(engine: Engine) -> bool:
    """Whether the app's tables exist (the app or `auditor users` has been used with this history)."""
    return bool(sa.inspect(engine).has_table("decisions"))


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@contextmanager
def begin(engine: Engine) -> Iterator[Connection]:
    with engine.begin() as conn:
        yield conn


@dataclass(frozen=True)
class User:
    id: int
    username: str
    name: str
    role: str
    department: str | None
    account: str | None
    disabled: bool

    @property
    def sees_everything(self) -> bool:
        return self.role in ("lead", "slt")

    def may_see(self, department: str, account: str) -> bool:
        """Whether this person may see a finding of this department and account (handle)."""
        if self.disabled:
            return False
        if self.sees_everything:
            return True
        if self.role == "head":
            return self.department is not None and department.casefold() == self.department.casefold()
        return self.account is not None and bare(account) == bare(self.account)


def bare(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


def _user(row: Any) -> User:
    return User(row.id, row.username, row.name, row.role, row.department, row.account, bool(row.disabled))


def get_user(conn: Connection, user_id: int) -> User | None:
    row = conn.execute(sa.select(users).where(users.c.id == user_id, users.c.school == SCHOOL)).first()
    return _user(row) if row else None


def user_by_name(conn: Connection, username: str) -> tuple[User, str | None] | None:
    row = conn.execute(
        sa.select(users).where(users.c.username == username.strip().casefold(), users.c.school == SCHOOL)
    ).first()
    return (_user(row), row.password_hash) if row else None


def add_user(
    conn: Connection,
    username: str,
    name: str,
    role: str,
    password_hash: str,
    department: str | None = None,
    account: str | None = None,
) -> int:
    """Add a person, or give an existing (perhaps disabled) one a new role and password and enable them again."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    values = {
        "name": name,
        "role": role,
        "department": department,
        "account": account,
        "password_hash": password_hash,
        "disabled": False,
    }
    found = user_by_name(conn, username)
    if found:
        conn.execute(sa.update(users).where(users.c.id == found[0].id).values(**values))
        return found[0].id
    result = conn.execute(
        sa.insert(users).values(
            school=SCHOOL, username=username.strip().casefold(), created_at=utcnow().isoformat(), **values
        )
    )
    return int(result.inserted_primary_key[0]) if result.inserted_primary_key else 0


def set_password_hash(conn: Connection, user_id: int, password_hash: str) -> None:
    conn.execute(sa.update(users).where(users.c.id == user_id).values(password_hash=password_hash))


def disable_user(conn: Connection, username: str) -> bool:
    result = conn.execute(
        sa.update(users)
        .where(users.c.username == username.strip().casefold(), users.c.school == SCHOOL)
        .values(disabled=True)
    )
    return bool(result.rowcount)


def record_attempt(conn: Connection, username: str, address: str, ok: bool, at: dt.datetime | None = None) -> None:
    when = (at or utcnow()).isoformat()
    conn.execute(
        sa.insert(signin_attempts).values(
            school=SCHOOL, username=username.strip().casefold()[:200], address=address[:100], at=when, ok=ok
        )
    )


def failed_attempts(
    conn: Connection, since: dt.datetime, username: str | None = None, address: str | None = None
) -> int:
    """Failed sign-ins since `since`, for one user name or from one address."""
    query = sa.select(sa.func.count()).where(
        signin_attempts.c.school == SCHOOL,
        signin_attempts.c.ok == sa.false(),
        signin_attempts.c.at >= since.isoformat(),
    )
    if username is not None:
        query = query.where(signin_attempts.c.username == username.strip().casefold()[:200])
    if address is not None:
        query = query.where(signin_attempts.c.address == address[:100])
    return int(conn.execute(query).scalar_one())


@dataclass(frozen=True)
class Decision:
    id: int
    kind: str
    finding_id: str
    account: str
    account_key: str
    department: str
    check_id: str
    post_id: str | None
    pattern: str | None
    reason: str | None
    note: str
    made_by: str
    made_at: dt.datetime
    expires: dt.date | None
    removed_at: dt.datetime | None
    reported_to: str | None
    seen_at: dt.datetime | None
    ended_at: dt.datetime | None
    ended_by: str | None
    ended_why: str | None

    def live(self, today: dt.date) -> bool:
        """Not reopened or ended, and not past its expiry date (good up to and including it)."""
        return self.ended_at is None and (self.expires is None or today <= self.expires)

    @property
    def time_to_removal(self) -> dt.timedelta | None:
        if self.kind != "removed" or self.removed_at is None or self.seen_at is None:
            return None
        return max(self.removed_at - self.seen_at, dt.timedelta(0))


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _decision(row: Any) -> Decision:
    return Decision(
        row.id,
        row.kind,
        row.finding_id,
        row.account,
        row.account_key,
        row.department,
        row.check_id,
        row.post_id,
        row.pattern,
        row.reason,
        row.note,
        row.made_by,
        dt.datetime.fromisoformat(row.made_at),
        row.expires,
        _time(row.removed_at),
        row.reported_to,
        _time(row.seen_at),
        _time(row.ended_at),
        row.ended_by,
        row.ended_why,
    )


def add_decision(conn: Connection, **values: Any) -> int:
    if values.get("kind") not in KINDS:
        raise ValueError(f"unknown decision kind {values.get('kind')!r}")
    values.setdefault("made_at", utcnow().isoformat())
    result = conn.execute(sa.insert(decisions).values(school=SCHOOL, **values))
    return int(result.inserted_primary_key[0]) if result.inserted_primary_key else 0


def all_decisions(conn: Connection, finding_id: str | None = None) -> list[Decision]:
    """Every decision (newest first), or those about one finding."""
    query = sa.select(decisions).where(decisions.c.school == SCHOOL)
    if finding_id is not None:
        query = query.where(decisions.c.finding_id == finding_id)
    return [_decision(r) for r in conn.execute(query.order_by(decisions.c.made_at.desc(), decisions.c.id.desc()))]


def get_decision(conn: Connection, decision_id: int) -> Decision | None:
    row = conn.execute(sa.select(decisions).where(decisions.c.id == decision_id, decisions.c.school == SCHOOL)).first()
    return _decision(row) if row else None


def end_decision(conn: Connection, decision_id: int, who: str, why: str, at: dt.datetime | None = None) -> bool:
    """Reopen: the decision stops applying from the next run; it stays in the history with who ended it and why."""
    result = conn.execute(
        sa.update(decisions)
        .where(decisions.c.id == decision_id, decisions.c.school == SCHOOL, decisions.c.ended_at.is_(None))
        .values(ended_at=(at or utcnow()).isoformat(), ended_by=who, ended_why=why)
    )
    return bool(result.rowcount)
