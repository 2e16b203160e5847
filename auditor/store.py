"""Run history: runs, what happened to each account, and every finding, kept in SQLite (one file, the default) or
PostgreSQL (`[output] store = "postgresql://..."`), through SQLAlchemy Core.

A run is recorded as `running` when it starts and completed in one transaction at the end, so a run that crashes or is
killed part-way leaves all earlier history as it was; the unfinished run stays visible as `running` (interrupted).

The schema is versioned by the Alembic revisions in auditor/migrations, applied when a Store opens a database that is
behind (a database made before Alembic is adopted as revision 0001 with its history kept). A database ahead of this
version of auditor is refused with a StoreError, never changed.

Every row carries its school, and a Store belongs to one school: it reads and writes that school's rows only. On
PostgreSQL row-level security holds the same line in the server (the session setting `app.school`, set on connect).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import re
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.pool import NullPool

from auditor.errors import StoreError
from auditor.history_read import FULL_AUDIT, HEAD_REVISION, REVISIONS, RUNS, UNDELIVERED, RunSummary, run_summary
from auditor.model import Evidence, Finding, Status
from auditor.storeurl import StoreTarget, StoreURLError, mask, secrets
from auditor.storeurl import parse as parse_target

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
MIGRATIONS = Path(__file__).resolve().with_name("migrations")
DEFAULT_SCHOOL = "default"
# How long a write waits for another program's lock on the database (a database browser left open with unsaved
# changes, a backup tool) before the run gives up with a StoreError saying so.
BUSY_TIMEOUT_SECONDS = 30.0
# How long opening a PostgreSQL store waits for the server to answer.
CONNECT_TIMEOUT_SECONDS = 10
_PG_UPGRADE_LOCK = 0x617564_69746F72  # pg_advisory_xact_lock key: one upgrade at a time ("auditor")

# SQLite's own words for a fault of the machine, not of auditor, and what to tell the person who runs it. Anything
# else (a constraint, a syntax error) is a bug and is left as it is.
_FAULTS = (
    (
        ("database is locked", "database table is locked"),
        "the history database {path} is locked by another program (a database browser with unsaved changes, a "
        "backup tool or a second copy of auditor) and stayed locked for {timeout:g} s; close that program and run "
        "again. Nothing from this run was stored; earlier history is intact",
    ),
    (
        ("readonly database",),
        "the history database {path} is read-only for this user; let the user that runs auditor write the file and "
        "its folder (chmod/chown), or point [output] store at a writable place. Nothing was changed",
    ),
    (
        ("unable to open database file",),
        "the history database {path} cannot be opened; SQLite creates files beside it ({name}-wal, {name}-shm), so "
        "the folder {folder} must exist and be writable by the user that runs auditor (chmod/chown), or point "
        "[output] store at a writable place",
    ),
    (
        ("database or disk is full",),
        "the disk holding the history database {path} is full; free some space and run again. Nothing from this "
        "run was stored; earlier history is intact",
    ),
    (
        ("disk i/o error",),
        "reading or writing the history database {path} failed (disk I/O error); check the disk and the file, and "
        "restore the file from a backup if it is damaged",
    ),
    (
        ("file is not a database", "database disk image is malformed", "file is encrypted"),
        "the history database {path} cannot be used: it is not an auditor history database, or is damaged "
        "(SQLite: {error}); it was left untouched. Restore it from a backup, or move it aside and a new, empty "
        "history will be started",
    ),
)


def store_error(exc: sqlite3.Error, path: Path, timeout: float = BUSY_TIMEOUT_SECONDS) -> StoreError | None:
    """The plain-words StoreError for an SQLite error caused by the machine (locks, permissions, a full or failing
    disk, a damaged file), or None when the error is auditor's own."""
    if isinstance(exc, (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)):
        return None
    error = str(exc)
    lowered = error.lower()
    for needles, message in _FAULTS:
        if any(needle in lowered for needle in needles):
            text = message.format(path=path, name=path.name, folder=path.parent, timeout=timeout, error=error)
            return StoreError(text)
    return None


# PostgreSQL's words for a fault of the server or of the settings, and what to tell the person who runs auditor. The
# server's own text is quoted only after every secret of the URL is taken out of it.
_PG_FAULTS = (
    (
        (r"authentication failed", r"no password supplied", r'role ".*" does not exist'),
        "the history database server at {where} refused auditor's login ({detail}); check the user name and password "
        "in [output] store (the password is not shown here). Nothing was changed",
    ),
    (
        (r'database ".*" does not exist',),
        "the history database {where} does not exist on its server ({detail}); create it (createdb, or CREATE "
        "DATABASE) or correct the database name in [output] store. Nothing was changed",
    ),
    (
        ("connection refused", "could not translate host name", "timeout expired", "no route to host",
         "network is unreachable", "could not connect", "connection to server", "name or service not known"),
        "cannot connect to the history database server at {where} ({detail}); check that PostgreSQL is running there "
        "and that [output] store names the right host and port. Nothing was changed",
    ),
    (
        ("server closed the connection", "terminating connection", "consuming input failed", "connection is lost",
         "the connection is closed", "ssl connection has been closed"),
        "the connection to the history database server at {where} was lost ({detail}); nothing from this run was "
        "stored and earlier history is intact. Check the server and run again",
    ),
    (
        ("could not extend file", "no space left on device"),
        "the history database server at {where} has run out of disk space ({detail}); free some space there and run "
        "again. Nothing from this run was stored; earlier history is intact",
    ),
    (
        ("read-only transaction", "recovery is in progress", "hot standby"),
        "the history database server at {where} accepts no writes ({detail}: a read-only replica or a server still "
        "recovering); point [output] store at the primary server",
    ),
)  # fmt: skip
_PG_CLASSES = {"08": 2, "28": 0, "3D": 1, "57": 3, "53": 4, "25": 5}  # SQLSTATE class -> the fault above


def server_error(exc: BaseException, target: StoreTarget) -> StoreError | None:
    """The plain-words StoreError for a PostgreSQL driver error caused by the server, the network or the settings
    (cannot connect, login refused, no such database, connection lost, disk full), never holding the password; None
    when the error is auditor's own (a constraint, a syntax error)."""
    text = str(exc)
    for secret in secrets(target.url):
        text = text.replace(secret, "***")
    first = " ".join(text.split())[:300]
    lowered = first.lower()
    state = str(getattr(exc, "sqlstate", None) or "")
    chosen = None
    for index, (needles, _) in enumerate(_PG_FAULTS):
        if any(re.search(needle, lowered) for needle in needles):
            chosen = index
            break
    if chosen is None and state[:2] in _PG_CLASSES and state != "25P02":
        chosen = _PG_CLASSES[state[:2]]
    if chosen is None:
        return None
    detail = re.sub(r"^(connection failed: )", "", first)
    return StoreError(_PG_FAULTS[chosen][1].format(where=mask(target.url), detail=detail))


@dataclass(frozen=True)
class Prior:
    """The most recent judgement of one finding id in an earlier finished run; an ERROR only where there is no other.

    `told` is True when the latest *announced* judgement (a run whose reports were written and whose email was queued)
    was a FAIL: only then has anyone been told of the problem, so only then is it "persisting" rather than new."""

    finding: Finding
    run_id: str
    told: bool = True


@dataclass(frozen=True)
class QueuedEmail:
    """A message in the outbox: queued when its run was announced, removed from the queue only once delivered."""

    id: int
    run_id: str
    kind: str
    recipients: tuple[str, ...]
    subject: str
    message: bytes
    attempts: int
    queued_at: dt.datetime


@dataclass(frozen=True)
class EmailRecord:
    """One email of a run as `auditor history --deliveries` lists it."""

    kind: str
    recipients: str
    subject: str
    status: str  # sent | waiting | given up | not sent | failed (before the outbox)
    attempts: int
    error: str | None


@dataclass(frozen=True)
class Skipped:
    """An email deliberately not sent (nothing changed), recorded with the run that decided so."""

    kind: str
    recipients: tuple[str, ...]
    subject: str
    reason: str


@dataclass(frozen=True)
class AccountRun:
    key: str
    handle: str
    platform: str
    department: str
    status: str  # ok | error
    error: str | None
    posts_examined: int
    comments_examined: int


def _q(sql: str) -> sa.TextClause:
    return sa.text(sql)


_INSERT_FINDING = (
    "INSERT INTO findings (school, run_id, id, account_key, account, platform, department, check_id, clause, status, "
    "severity, reason, evidence, change, first_seen) VALUES ({marks})"
)
_INSERT_ACCOUNT = _q(
    "INSERT INTO account_runs (school, run_id, account_key, handle, platform, department, status, error, "
    "posts_examined, comments_examined) VALUES (:school, :run_id, :account_key, :handle, :platform, :department, "
    ":status, :error, :posts, :comments)"
)
_SAVE_STATE = _q(
    "INSERT INTO connector_state (school, account_key, state, run_id) VALUES (:school, :key, :state, :run_id) "
    "ON CONFLICT (school, account_key) DO UPDATE SET state = excluded.state, run_id = excluded.run_id"
)
_INSERT_DELIVERY = _q(
    "INSERT INTO deliveries (school, run_id, kind, recipients, subject, status, attempts, error, at) "
    "VALUES (:school, :run_id, :kind, :recipients, :subject, :status, :attempts, :error, :at)"
)
_INSERT_OUTBOX = _q(
    "INSERT INTO outbox (school, run_id, kind, recipients, subject, message, status, attempts, queued_at) "
    "VALUES (:school, :run_id, :kind, :recipients, :subject, :message, 'pending', 0, :at)"
)
_ALERTED = _q(
    "INSERT INTO alerts_sent (school, finding_id, run_id, at) VALUES (:school, :fid, :run_id, :at) "
    "ON CONFLICT (school, finding_id) DO NOTHING"
)
_ESCALATED = _q(
    "INSERT INTO escalations_sent (school, finding_id, run_id, at) VALUES (:school, :fid, :run_id, :at) "
    "ON CONFLICT (school, finding_id) DO NOTHING"
)
_TRIED_PENDING = _q(
    "UPDATE outbox SET status = :status, attempts = :attempts, error = :error, done_at = :done "
    "WHERE school = :school AND id = :id"
)
_TRIED_DONE = _q(  # the message is dropped once done with
    "UPDATE outbox SET status = :status, attempts = :attempts, error = :error, done_at = :done, message = :empty "
    "WHERE school = :school AND id = :id"
)
_PRIORS = _q(
    """
    SELECT f.run_id, r.announced, f.id, f.account, f.platform, f.department, f.check_id, f.clause, f.status,
           f.severity, f.reason, f.evidence, f.change, f.first_seen
    FROM findings f JOIN runs r ON r.school = f.school AND r.id = f.run_id
    WHERE f.school = :school AND f.account_key = :key AND r.status != 'running'
    ORDER BY r.started_at, r.id
    """
)
_PRUNE = _q(
    """
    DELETE FROM runs WHERE school = :school AND started_at < :before AND id NOT IN (
        SELECT id FROM (SELECT id FROM runs WHERE school = :school AND status != 'running'
                        ORDER BY started_at DESC, id DESC LIMIT 1) AS latest
        UNION
        SELECT (SELECT a2.run_id FROM account_runs a2 JOIN runs r2 ON r2.school = a2.school AND r2.id = a2.run_id
                WHERE a2.school = :school AND a2.account_key = a.account_key AND r2.status != 'running'
                ORDER BY r2.started_at DESC, r2.id DESC LIMIT 1)
        FROM (SELECT DISTINCT account_key FROM account_runs WHERE school = :school) AS a
    )
    """
)


def server_engine(target: StoreTarget, *, application_name: str) -> sa.Engine:
    """An engine on the PostgreSQL history at `target.url` (psycopg 3, no pool: each user of the history holds one
    connection), for the store and for the web app's tables; a URL that cannot be read, or a missing driver, is a
    StoreError in plain words without the password."""
    try:
        url = sa.make_url(target.url).set(drivername="postgresql+psycopg")
    except (sa_exc.ArgumentError, ValueError):
        raise StoreError(
            f"[output] store {mask(target.url)} is not a database URL auditor can read; write "
            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
        ) from None
    try:
        return sa.create_engine(
            url,
            poolclass=NullPool,
            connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "application_name": application_name},
        )
    except ImportError:
        raise StoreError(
            "[output] store is a PostgreSQL URL but the PostgreSQL driver (psycopg) is not installed; install "
            "auditor's dependencies again (pip install 'psycopg[binary]')"
        ) from None


class Store:
    """The history database of one school, opened and checked.

    `target` is a path (SQLite), `sqlite:///PATH`, a `postgresql://` URL, or the `StoreTarget` the config made of
    `[output] store`. Every read and write is of `school`'s rows only.

    An existing SQLite file is checked with `PRAGMA quick_check` before anything is written to it, so a damaged file
    is reported (and left as it is) before a run starts, not found by the run's last write. quick_check reads every
    page once without comparing indexes to tables (0.1 s for a 117 MB history already in the page cache; a cold read
    costs what reading the file from disk costs)."""

    def __init__(
        self, target: StoreTarget | Path | str, *, school: str = DEFAULT_SCHOOL, busy_timeout: float | None = None
    ) -> None:
        self.target = _target(target)
        if not isinstance(school, str) or not school.strip() or len(school) > 200:
            raise ValueError(f"a school's name in the store is 1 to 200 characters, got {school!r}")
        self.school = school
        self.path: Path | None = self.target.file
        self.timeout = BUSY_TIMEOUT_SECONDS if busy_timeout is None else busy_timeout
        self._writing = False
        mark = "?" if self.path is not None else "%s"  # sqlite3's and psycopg's marks for values in order
        self._insert_finding = _INSERT_FINDING.format(marks=", ".join([mark] * 15))
        existed = False
        if self.path is not None:
            existed = _existing_file(self.path)
            _make_folder(self.path)
        self._engine = self._create_engine()
        try:
            with self._plain_words():
                self._conn = self._engine.connect()
        except BaseException:
            self._engine.dispose()
            raise
        try:
            if self.is_sqlite:
                if existed:
                    self._quick_check()
                self._driver_sql("PRAGMA foreign_keys = ON")
            else:
                self._start_session()
            current = self._known_revision()  # a database from a newer auditor is refused before anything changes
            if self.is_sqlite:
                self._driver_sql("PRAGMA journal_mode = WAL")
            if current != HEAD_REVISION:
                self._upgrade()
        except BaseException:
            self.close()
            raise

    # --- Connecting, faults, transactions -----------------------------------------------------------------------

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def _create_engine(self) -> sa.Engine:
        if self.path is not None:
            engine = sa.create_engine(
                sa.URL.create("sqlite", database=str(self.path)),
                poolclass=NullPool,
                connect_args={"timeout": self.timeout, "check_same_thread": False},
            )

            # SQLite's own transaction handling, not the driver's: reads run as they come (as before SQLAlchemy), and a
            # write transaction takes the write lock at once (BEGIN IMMEDIATE), so a locked database stops a write
            # before it starts rather than at its end.
            @event.listens_for(engine, "connect")
            def _autocommit(dbapi_connection: Any, _record: Any) -> None:
                dbapi_connection.isolation_level = None

            @event.listens_for(engine, "begin")
            def _begin(connection: sa.Connection) -> None:
                if self._writing:
                    connection.exec_driver_sql("BEGIN IMMEDIATE")

            return engine
        return server_engine(self.target, application_name="auditor")

    def _start_session(self) -> None:
        """Bind this connection to the school (row-level security reads `app.school`) and warn when the login is one
        that row-level security does not bind."""
        with self._plain_words():
            self._conn.execute(_q("SELECT set_config('app.school', :school, false)"), {"school": self.school})
            row = self._conn.execute(
                _q("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
            ).first()
            self._conn.commit()
        if row is not None and row[0]:
            log.warning(
                "the history database login is a superuser or may bypass row-level security: the server does not "
                "keep schools apart for it (auditor's own queries still do); give auditor an ordinary login"
            )

    def _where(self) -> str:
        return str(self.path) if self.path is not None else mask(self.target.url)

    def _fault(self, exc: sa_exc.DBAPIError) -> StoreError | None:
        orig = exc.orig
        if isinstance(orig, sqlite3.Error) and self.path is not None:
            return store_error(orig, self.path, self.timeout)
        if orig is not None and type(orig).__module__.startswith("psycopg"):
            return server_error(orig, self.target)
        return None

    @contextlib.contextmanager
    def _plain_words(self) -> Iterator[None]:
        """Turns a database error caused by the machine, the server or the network into a StoreError in plain words,
        so no caller (the runner, retention, the commands) has to know a driver's messages."""
        try:
            yield
        except sa_exc.DBAPIError as exc:
            fault = self._fault(exc)
            if fault is None:
                raise
            raise fault from None

    def _driver_sql(self, sql: str) -> list[Any]:
        with self._plain_words():
            result = self._conn.exec_driver_sql(sql)
            return list(result.fetchall()) if result.returns_rows else []

    def _all(self, sql: sa.TextClause | str, params: Mapping[str, Any] | None = None) -> list[Any]:
        """Every row of a read, with this store's school bound as :school; the read ends with it."""
        statement = _q(sql) if isinstance(sql, str) else sql
        with self._plain_words():
            try:
                return list(self._conn.execute(statement, {"school": self.school, **(params or {})}).fetchall())
            finally:
                if not self._writing:
                    self._conn.rollback()

    def _rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Iterator[Any]:
        """The rows of a read one by one, as the database hands them over (reading them can fail too: a lock, a page
        that cannot be read)."""
        try:
            with self._plain_words():
                result = self._conn.execute(_q(sql), {"school": self.school, **(params or {})})
            while result.returns_rows:
                with self._plain_words():
                    row = result.fetchone()
                if row is None:
                    return
                yield row
        finally:
            if not self._writing:
                with self._plain_words():
                    self._conn.rollback()

    def _write(self, sql: sa.TextClause, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> int:
        """A statement in the current write transaction (several rows at once when given a list: one executemany);
        returns how many rows it changed."""
        if not self._writing:
            raise RuntimeError("the store writes only inside `with store.transaction()`")
        if isinstance(params, Sequence):
            if not params:
                return 0
            rows = [{"school": self.school, **_storable(p)} for p in params]
            # Straight to the driver (one executemany for a list): SQLAlchemy's handling of each row's values would
            # double the time a run of tens of thousands of findings takes to store.
            with self._plain_words():
                return int(self._conn.exec_driver_sql(self._native(sql.text), rows).rowcount)
        with self._plain_words():
            row = {"school": self.school, **_storable(params)}
            return int(self._conn.exec_driver_sql(self._native(sql.text), row).rowcount)

    def _native(self, sql: str) -> str:
        """A statement of this module with :name marks in the driver's own style: sqlite3 reads :name itself, psycopg
        reads %(name)s."""
        if self.is_sqlite:
            return sql
        if "%" in sql:
            raise ValueError("a statement sent to the driver as it is may not hold %")
        return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql)

    def _all_native(self, sql: sa.TextClause, params: Mapping[str, Any]) -> list[Any]:
        """`_all` for the reads a run makes once an account (the account's earlier findings), sent to the driver as
        they are."""
        with self._plain_words():
            try:
                result = self._conn.exec_driver_sql(self._native(sql.text), {"school": self.school, **params})
                return list(result.fetchall())
            finally:
                if not self._writing:
                    self._conn.rollback()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, rolled back on any exception: the database never holds half a run. On SQLite it
        takes the write lock at once (BEGIN IMMEDIATE). A transaction inside another is part of it."""
        if self._writing:
            yield
            return
        conn = self._conn
        with self._plain_words():
            if conn.in_transaction():
                conn.rollback()
            self._writing = True
            try:
                tx = conn.begin()
            except BaseException:
                self._writing = False
                raise
        try:
            yield
        except BaseException:
            self._writing = False
            # SQLite ends the transaction itself on some errors (a full disk, I/O); a lost server connection too.
            with contextlib.suppress(sa_exc.DBAPIError, sa_exc.InvalidRequestError):
                tx.rollback()
            raise
        try:
            with self._plain_words():
                tx.commit()
        finally:
            self._writing = False

    def hold_run_lock(self, *, wait: float, what: str) -> None:
        """On a database server, also hold the school's run lock in the server for as long as this store is open: the
        lock file beside config.toml keeps one run at a time on one machine only, and several machines may run the
        audits of one database (a second scheduler, a run started by hand elsewhere). PostgreSQL releases a session's
        advisory lock when the session ends, however it ends. Raises Busy (auditor/lock.py) after `wait` seconds. A
        SQLite file needs nothing more: its lock file is beside it, on the one machine that can write it."""
        if self.is_sqlite:
            return
        from auditor.lock import Busy, wait_for, waited

        if not wait_for(self._try_run_lock, wait):
            raise Busy(
                f"another run of this school's audits holds the history database {self._where()} (started on "
                f"another machine, or by another scheduler); this {what} gave up {waited(wait)}. It was not started, "
                "so nothing was audited or written"
            )

    def _try_run_lock(self) -> bool:
        with self._plain_words():
            got = self._conn.execute(
                _q("SELECT pg_try_advisory_lock(hashtext(:key))"), {"key": f"auditor-run:{self.school}"}
            ).scalar()
            self._conn.commit()
        return bool(got)

    def close(self) -> None:
        with contextlib.suppress(sa_exc.DBAPIError, AttributeError):
            self._conn.close()
        self._engine.dispose()

    # --- The schema ------------------------------------------------------------------------------------------------

    def _quick_check(self) -> None:
        try:
            problems = [str(row[0]) for row in self._conn.exec_driver_sql("PRAGMA quick_check(5)").fetchall()]
        except sa_exc.DBAPIError as exc:  # damage bad enough that the check itself stops part-way
            fault = self._fault(exc)
            if fault is not None:
                raise fault from None
            if not isinstance(exc.orig, sqlite3.DatabaseError):
                raise
            problems = [str(exc.orig)]
        if problems != ["ok"]:
            found = "; ".join(problems)[:300]
            raise StoreError(
                f"the history database {self.path} cannot be used: it is damaged (SQLite quick_check: {found}); it "
                "was left untouched. Restore it from a backup, or move it aside and a new, empty history will be "
                "started"
            )

    def revision(self) -> str | None:
        """The Alembic revision the database is at; None for a database made before Alembic, or a new one."""
        with self._plain_words():
            try:
                if not sa.inspect(self._conn).has_table("alembic_version"):
                    return None
                row = self._conn.execute(_q("SELECT version_num FROM alembic_version")).first()
            finally:
                if not self._writing:
                    self._conn.rollback()
        return str(row[0]) if row else None

    def _legacy_version(self) -> int | None:
        with self._plain_words():
            try:
                if not sa.inspect(self._conn).has_table("meta"):
                    return None
                row = self._conn.execute(_q("SELECT value FROM meta WHERE key = 'schema_version'")).first()
            finally:
                if not self._writing:
                    self._conn.rollback()
        try:
            return int(row[0]) if row else None
        except ValueError:
            return None

    def _newer(self, schema: str) -> StoreError:
        return StoreError(
            f"the history database {self._where()} was written by a newer version of auditor (schema {schema}); "
            "upgrade auditor rather than let this version change it"
        )

    def _known_revision(self) -> str | None:
        """The database's revision, refused with a StoreError when it is one this version does not know."""
        current = self.revision()
        if current is not None and current not in REVISIONS:
            raise self._newer(current)
        if current is None and (legacy := self._legacy_version()) is not None and legacy > 1:
            raise self._newer(str(legacy))
        return current

    def _upgrade(self) -> None:
        """Apply the revisions the database lacks, in one transaction. SQLite rebuilds tables to change their keys:
        foreign keys are off meanwhile (they cannot be turned off inside a transaction) and all checked before the
        upgrade commits."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = self._conn
        before = self.revision() or "none (made before versioned schemas)"
        if self.is_sqlite:
            self._driver_sql("PRAGMA foreign_keys = OFF")
        try:
            with self.transaction():
                if not self.is_sqlite:
                    self._write(_q("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_UPGRADE_LOCK})
                with self._plain_words():
                    command.upgrade(config, HEAD_REVISION)
                if self.is_sqlite and (broken := self._driver_sql("PRAGMA foreign_key_check")):
                    raise StoreError(
                        f"the history database {self._where()} could not be upgraded: {len(broken)} row(s) refer to "
                        "runs that are not there. Nothing was changed; restore it from a backup"
                    )
        finally:
            if self.is_sqlite:
                self._driver_sql("PRAGMA foreign_keys = ON")
        log.info("history database %s upgraded from schema %s to %s", self._where(), before, HEAD_REVISION)

    # --- Runs ------------------------------------------------------------------------------------------------------

    def begin_run(
        self,
        run_id: str,
        started_at: dt.datetime,
        version: str,
        kind: str = "audit",
        scope: str = "full",
        scope_note: str = "",
    ) -> None:
        with self.transaction():
            self._write(
                _q(
                    "INSERT INTO runs (school, id, started_at, status, version, kind, scope, scope_note, announced) "
                    "VALUES (:school, :id, :started, 'running', :version, :kind, :scope, :note, 0)"
                ),
                {
                    "id": run_id,
                    "started": started_at.isoformat(),
                    "version": version,
                    "kind": kind,
                    "scope": scope,
                    "note": scope_note,
                },
            )

    def connector_state(self, account_key: str) -> dict[str, Any]:
        """What the account's connector saved at the end of the last finished run that read it ({} if none)."""
        rows = self._all(
            "SELECT state FROM connector_state WHERE school = :school AND account_key = :key", {"key": account_key}
        )
        return dict(json.loads(rows[0][0])) if rows else {}

    def finish_run(
        self,
        run_id: str,
        finished_at: dt.datetime,
        status: str,
        accounts: Iterable[AccountRun],
        findings: Iterable[tuple[str, Finding]],
        states: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> dict[str, str]:
        """Record everything a run found in one transaction. `findings` pairs each finding with its account key;
        `states` holds each successfully read account's new connector state.

        Each account is written under its own savepoint: should one account's results be refused (a value the
        database cannot hold, two findings with one id), that account alone is recorded as ERROR with the reason and
        the rest of the run is kept. Returns {account key: reason} for the accounts so refused. The run stays
        unannounced until `announce` records that its reports were written and its email queued."""
        by_account: dict[str, list[Finding]] = {}
        for key, f in findings:
            by_account.setdefault(key, []).append(f)
        states = states or {}
        refused: dict[str, str] = {}
        any_error = status != "complete"
        with self.transaction():
            for a in accounts:
                self._driver_sql("SAVEPOINT account")
                try:
                    self._write_account(run_id, a, by_account.get(a.key, ()), states.get(a.key))
                except _REFUSED as exc:
                    self._driver_sql("ROLLBACK TO SAVEPOINT account")
                    self._driver_sql("RELEASE SAVEPOINT account")
                    why = f"its results could not be stored ({type(exc).__name__}); please report it"
                    refused[a.key] = why
                    any_error = True
                    self._write_account(run_id, dataclasses.replace(a, status="error", error=why), (), None)
                else:
                    self._driver_sql("RELEASE SAVEPOINT account")
            self._write(
                _q("UPDATE runs SET finished_at = :at, status = :status WHERE school = :school AND id = :id"),
                {"at": finished_at.isoformat(), "status": "partial" if any_error else status, "id": run_id},
            )
        return refused

    def _write_account(
        self, run_id: str, a: AccountRun, findings: Iterable[Finding], state: Mapping[str, Any] | None
    ) -> None:
        if state is not None:
            self._write(_SAVE_STATE, {"key": a.key, "state": json.dumps(state, sort_keys=True), "run_id": run_id})
        self._write(
            _INSERT_ACCOUNT,
            {
                "run_id": run_id,
                "account_key": a.key,
                "handle": a.handle,
                "platform": a.platform,
                "department": a.department,
                "status": a.status,
                "error": a.error,
                "posts": a.posts_examined,
                "comments": a.comments_examined,
            },
        )
        rows = [
            _stored_row(
                self.school,
                run_id,
                f.id,
                a.key,
                f.account,
                f.platform,
                f.department,
                f.check,
                f.clause,
                str(f.status),
                str(f.severity),
                f.reason,
                json.dumps(f.evidence.as_dict()),
                str(f.change),
                f.first_seen.isoformat() if f.first_seen else None,
            )
            for f in findings
        ]
        if rows:  # the run's bulk: straight to the driver's executemany, values in the order of the columns
            with self._plain_words():
                self._conn.exec_driver_sql(self._insert_finding, rows)

    def priors(self, account_key: str) -> dict[str, Prior]:
        """For each finding id ever recorded for this account, its latest judgement in a finished run."""
        latest: dict[str, tuple[Finding, str]] = {}
        told: dict[str, Status] = {}
        for row in self._all_native(_PRIORS, {"key": account_key}):
            finding = _finding(tuple(row[2:]))
            # "Could not verify" says nothing about whether a problem is still there: it never hides the last verdict.
            current = latest.get(finding.id)
            if not (finding.status is Status.ERROR and current and current[0].status is not Status.ERROR):
                latest[finding.id] = (finding, str(row[0]))
            if row[1] and not (finding.status is Status.ERROR and finding.id in told):
                told[finding.id] = finding.status
        return {fid: Prior(finding, run_id, told.get(fid) is Status.FAIL) for fid, (finding, run_id) in latest.items()}

    def open_by_department(self, limit: int = 10) -> list[tuple[str, dt.datetime, dict[str, int]]]:
        """For the last `limit` finished full audits, oldest first: (run id, start, open FAIL count per department).
        Comment sweeps and other partial runs are left out: they judge less, so their counts would dip."""
        runs = self._all(
            "SELECT id, started_at FROM runs WHERE school = :school AND status != 'running' AND kind = 'audit' "
            "AND scope = 'full' ORDER BY started_at DESC, id DESC LIMIT :limit",
            {"limit": limit},
        )
        out = []
        for run_id, started in reversed(runs):
            counts = self._all(
                """
                SELECT a.department, (SELECT COUNT(*) FROM findings f
                                      WHERE f.school = :school AND f.run_id = :run AND f.department = a.department
                                      AND f.status = 'FAIL')
                FROM account_runs a WHERE a.school = :school AND a.run_id = :run GROUP BY a.department
                """,
                {"run": run_id},
            )
            out.append((str(run_id), dt.datetime.fromisoformat(started), {str(d): int(n) for d, n in counts}))
        return out

    # --- Email -------------------------------------------------------------------------------------------------------

    def record_delivery(
        self,
        run_id: str,
        kind: str,
        recipients: Iterable[str],
        subject: str,
        status: str,
        attempts: int,
        error: str | None,
    ) -> None:
        """What happened to one email (sent or failed, after how many attempts); the error never holds a secret."""
        with self.transaction():
            self._write(
                _INSERT_DELIVERY,
                {
                    "run_id": run_id,
                    "kind": kind,
                    "recipients": ", ".join(recipients),
                    "subject": subject,
                    "status": status,
                    "attempts": attempts,
                    "error": error,
                    "at": _utcnow(),
                },
            )

    def deliveries(self, run_id: str) -> list[tuple[str, str, str, str, int, str | None]]:
        """(kind, recipients, subject, status, attempts, error) of a run's emails, in the order they were tried."""
        rows = self._rows(
            "SELECT kind, recipients, subject, status, attempts, error FROM deliveries "
            "WHERE school = :school AND run_id = :run ORDER BY seq",
            {"run": run_id},
        )
        return [(str(a), str(b), str(c), str(d), int(e), None if f is None else str(f)) for a, b, c, d, e, f in rows]

    def announce(
        self,
        run_id: str,
        queued: Iterable[tuple[str, Sequence[str], str, bytes]] = (),
        skipped: Iterable[Skipped] = (),
        alerted: Iterable[str] = (),
        escalated: Iterable[str] = (),
        at: dt.datetime | None = None,
    ) -> None:
        """In one transaction: queue the run's email (kind, recipients, subject, message bytes), record the emails not
        sent and the alerts and escalations raised, and mark the run announced. Until this commits, the run's new
        problems stay "new" for the next run, so a failure while writing reports or building email never hides them.
        `at` is the time recorded (the clock the run's routing used); now by default."""
        now = at.astimezone(dt.UTC).isoformat() if at else _utcnow()
        with self.transaction():
            self._write(
                _INSERT_OUTBOX,
                [
                    {
                        "run_id": run_id,
                        "kind": kind,
                        "recipients": ", ".join(to),
                        "subject": subject,
                        "message": message,
                        "at": now,
                    }
                    for kind, to, subject, message in queued
                ],
            )
            self._write(
                _INSERT_DELIVERY,
                [
                    {
                        "run_id": run_id,
                        "kind": k.kind,
                        "recipients": ", ".join(k.recipients),
                        "subject": k.subject,
                        "status": "skipped",
                        "attempts": 0,
                        "error": k.reason,
                        "at": now,
                    }
                    for k in skipped
                ],
            )
            self._write(_ALERTED, [{"fid": fid, "run_id": run_id, "at": now} for fid in alerted])
            self._write(_ESCALATED, [{"fid": fid, "run_id": run_id, "at": now} for fid in escalated])
            self._write(
                _q("UPDATE runs SET announced = 1 WHERE school = :school AND id = :id"),
                {"id": run_id},
            )

    def queued_email(self) -> list[QueuedEmail]:
        """Messages waiting to be delivered, oldest first, whichever run queued them."""
        rows = self._all(
            "SELECT id, run_id, kind, recipients, subject, message, attempts, queued_at FROM outbox "
            "WHERE school = :school AND status = 'pending' ORDER BY id"
        )
        return [
            QueuedEmail(
                int(i),
                str(r),
                str(k),
                tuple(t for t in str(to).split(", ") if t),
                str(subj),
                bytes(m),
                int(n),
                dt.datetime.fromisoformat(str(q)),
            )
            for i, r, k, to, subj, m, n, q in rows
        ]

    def email_tried(self, email_id: int, status: str, attempts: int, error: str | None) -> None:
        """After a delivery attempt: `sent`, still `pending` (tried again next run) or `expired` (given up). A message
        done with keeps its row (for `auditor history`) but not its body: reports quote posts and name pupils, and a
        year of them would only make the history large."""
        done = _utcnow() if status != "pending" else None
        with self.transaction():
            self._write(
                _TRIED_PENDING if status == "pending" else _TRIED_DONE,
                {"status": status, "attempts": attempts, "error": error, "done": done, "id": email_id, "empty": b""},
            )

    def undelivered(self) -> tuple[int, dt.datetime | None]:
        """How many queued messages are still waiting, and when the oldest was queued."""
        [(count, oldest)] = self._all(UNDELIVERED)
        return int(count), dt.datetime.fromisoformat(oldest) if oldest else None

    def last_queued(self, kind: str) -> dt.datetime | None:
        """When an email of this kind ("department:History", "school") was last queued to be sent, or sent before the
        outbox existed; one given up undelivered does not count. The reminder of an unchanged report counts from it."""
        rows = self._all(
            "SELECT MAX(at) FROM (SELECT queued_at AS at FROM outbox WHERE school = :school AND kind = :kind "
            "AND status IN ('pending', 'sent') UNION ALL SELECT at FROM deliveries WHERE school = :school "
            "AND kind = :kind AND status = 'sent') AS times",
            {"kind": kind},
        )
        return dt.datetime.fromisoformat(rows[0][0]) if rows and rows[0][0] else None

    def run_email(self, run_id: str) -> list[EmailRecord]:
        """What became of each email a run queued or decided not to send: sent, waiting (to be tried again), given
        up, or not sent (with the reason). Runs from before the outbox show their recorded deliveries."""
        queued = self._all(
            "SELECT kind, recipients, subject, status, attempts, error FROM outbox "
            "WHERE school = :school AND run_id = :run ORDER BY id",
            {"run": run_id},
        )
        words = {"pending": "waiting", "expired": "given up"}
        if queued:
            out = [EmailRecord(str(k), str(r), str(s), words.get(st, st), int(n), e) for k, r, s, st, n, e in queued]
            rows = self._all(
                "SELECT kind, recipients, subject, error FROM deliveries WHERE school = :school AND run_id = :run "
                "AND status = 'skipped' ORDER BY seq",
                {"run": run_id},
            )
            return out + [EmailRecord(str(k), str(r), str(s), "not sent", 0, e) for k, r, s, e in rows]
        return [
            EmailRecord(kind, to, subject, "not sent" if status == "skipped" else status, attempts, error)
            for kind, to, subject, status, attempts, error in self.deliveries(run_id)
        ]

    def alert_sent(self, finding_id: str) -> bool:
        query = "SELECT 1 FROM alerts_sent WHERE school = :school AND finding_id = :fid"
        return bool(self._all(query, {"fid": finding_id}))

    def escalation_sent(self, finding_id: str) -> bool:
        query = "SELECT 1 FROM escalations_sent WHERE school = :school AND finding_id = :fid"
        return bool(self._all(query, {"fid": finding_id}))

    def record_alert(self, finding_id: str, run_id: str) -> None:
        with self.transaction():
            self._write(
                _ALERTED,
                {"fid": finding_id, "run_id": run_id, "at": _utcnow()},
            )

    # --- Reading runs ----------------------------------------------------------------------------------------------

    def interrupted_runs(self, before: str) -> list[RunSummary]:
        """Runs that never finished (killed, power cut) since the last run that did, other than the one now running:
        each is reported by the run after it, not by every run for ever after (a sweep runs every 15 minutes)."""
        unfinished = []
        for r in self.runs(limit=1000):  # newest first
            if r.id == before:
                continue
            if r.status != "running":
                break
            unfinished.append(r)
        return unfinished

    def run_ids(self, prefix: str) -> list[str]:
        """The ids of runs that are `prefix` or start with it, newest first (run ids start with their time)."""
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._all(
            "SELECT id FROM runs WHERE school = :school AND id LIKE :pattern ESCAPE '\\' "
            "ORDER BY started_at DESC, id DESC",
            {"pattern": pattern},
        )
        # LIKE ignores letter case in SQLite; an id is matched exactly as written.
        return [str(row[0]) for row in rows if str(row[0]).startswith(prefix)]

    def last_run(self, kind: str, status: str) -> RunSummary | None:
        """The most recent run of this kind that ended with this status (e.g. the last complete audit)."""
        found = self.runs(limit=1, where="r.kind = ? AND r.status = ?", params=(kind, status))
        return found[0] if found else None

    def last_full_audit(self) -> RunSummary | None:
        """The most recent audit that read every registered account with every check, without an error, and whose
        reports were written: the only kind of run that can say the school's accounts were all checked."""
        found = self.runs(limit=1, where=FULL_AUDIT)
        return found[0] if found else None

    def prune(self, before: dt.datetime) -> int:
        """Delete runs started before `before`, with their accounts and findings; returns how many.

        Never the latest finished run, nor the latest finished run of any account: what each account was last seen
        to have stays, so a problem first seen long ago keeps its history and is not reported as new.
        """
        with self.transaction():
            return self._write(_PRUNE, {"before": before.isoformat()})

    def runs(self, limit: int = 20, where: str = "1 = 1", params: tuple[str, ...] = ()) -> list[RunSummary]:
        """The school's runs, newest first. `where` is a condition on `r` (runs) written in this module or by its
        callers, never from input; its values are bound from `params` in the order of its `?` marks."""
        pieces = where.split("?")
        if len(pieces) != len(params) + 1:
            raise ValueError("`where` needs one value in `params` for each ?")
        condition = "".join(p + (f":p{n}" if n < len(params) else "") for n, p in enumerate(pieces))
        values: dict[str, Any] = {f"p{n}": value for n, value in enumerate(params)}
        rows = self._all(RUNS.format(where=condition), {**values, "limit": limit})
        return [run_summary(row) for row in rows]


# What makes one account's results unstorable (a value the database cannot hold, two findings with one id) rather
# than the database unusable: that account alone is recorded as ERROR.
_REFUSED = (
    sa_exc.IntegrityError,
    sa_exc.InterfaceError,
    sa_exc.DataError,
    sqlite3.IntegrityError,
    UnicodeError,
    ValueError,
    TypeError,
)


def _target(target: StoreTarget | Path | str) -> StoreTarget:
    if isinstance(target, StoreTarget):
        return target
    if isinstance(target, os.PathLike):
        path = Path(target)
        return StoreTarget(file=path, anchor=path)
    try:
        return parse_target(target, Path.cwd())
    except StoreURLError as exc:
        raise StoreError(f"[output] store: {exc}") from None


def _make_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise StoreError(
            f"the folder {path.parent} for the history database cannot be created: a part of that path is a "
            "file, not a folder; point [output] store at a place in a folder"
        ) from None
    except OSError as exc:
        raise StoreError(
            f"the folder {path.parent} for the history database cannot be created ({exc.strerror}); create it "
            "with write access for the user that runs auditor, or point [output] store at another place"
        ) from None


def _existing_file(path: Path) -> bool:
    """Whether the database file exists; a folder, device or pipe in its place is refused before SQLite opens it."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        raise StoreError(
            f"the history database {path} cannot be created: a part of its path is a file, not a folder; point "
            "[output] store at a place in a folder"
        ) from None
    except OSError as exc:
        raise StoreError(
            f"the history database {path} cannot be reached ({exc.strerror}); let the user that runs auditor read "
            "its folder (chmod/chown), or point [output] store at another place"
        ) from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise StoreError(f"the history database {path} is {kind}; point [output] store at a database file")
    return True


# A NUL character, which no post or page shows, cannot be held in PostgreSQL's text (SQLite keeps it): anyone can put
# one in a reply or a page title, so it is stored as U+FFFD, the character that stands for one that cannot be shown,
# in either database, instead of failing the account.
_NUL, _SHOWN_FOR_NUL = "\x00", "\ufffd"


def _storable_value(value: Any) -> Any:
    return value.replace(_NUL, _SHOWN_FOR_NUL) if isinstance(value, str) and _NUL in value else value


def _storable(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _storable_value(v) for k, v in params.items()}


def _stored_row(*values: object) -> tuple[object, ...]:
    return tuple(map(_storable_value, values))


def _utcnow() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


# The columns of a finding's row as the store selects them, named as `Finding.from_record` reads them.
_FINDING_COLUMNS = (
    "id", "account", "platform", "department", "check", "clause", "status", "severity", "reason", "evidence", "change",
    "first_seen",
)  # fmt: skip


def _finding(row: tuple[object, ...]) -> Finding:
    record = dict(zip(_FINDING_COLUMNS, row, strict=True))
    return Finding.from_record(record, Evidence.from_dict(json.loads(str(record["evidence"]))))


__all__ = [
    "AccountRun", "EmailRecord", "Prior", "QueuedEmail", "RunSummary", "Skipped", "Store", "StoreError", "server_error",
    "store_error",
]  # fmt: skip
