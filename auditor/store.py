"""Run history in SQLite: runs, what happened to each account, and every finding.

A run is recorded as `running` when it starts and completed in one transaction at the end, so a run that crashes or is
killed part-way leaves all earlier history as it was; the unfinished run stays visible as `running` (interrupted).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.errors import StoreError
from auditor.model import Change, Evidence, Finding, Severity, Status

SCHEMA_VERSION = 1
# How long a write waits for another program's lock on the database (a database browser left open with unsaved
# changes, a backup tool) before the run gives up with a StoreError saying so.
BUSY_TIMEOUT_SECONDS = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    version TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS account_runs (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    account_key TEXT NOT NULL,
    handle TEXT NOT NULL,
    platform TEXT NOT NULL,
    department TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    posts_examined INTEGER NOT NULL,
    comments_examined INTEGER NOT NULL,
    PRIMARY KEY (run_id, account_key)
);
CREATE TABLE IF NOT EXISTS findings (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    account_key TEXT NOT NULL,
    account TEXT NOT NULL,
    platform TEXT NOT NULL,
    department TEXT NOT NULL,
    check_id TEXT NOT NULL,
    clause TEXT NOT NULL,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT NOT NULL,
    change TEXT NOT NULL,
    first_seen TEXT,
    PRIMARY KEY (run_id, id)
);
CREATE INDEX IF NOT EXISTS findings_by_account ON findings(account_key, run_id);
CREATE TABLE IF NOT EXISTS connector_state (
    account_key TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    run_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
    run_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    error TEXT,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts_sent (
    finding_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS escalations_sent (
    finding_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    message BLOB NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    queued_at TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(status, id);
"""

# Columns added after schema 1 without changing its meaning: older versions can still read and write these tables.
# `announced`: 0 while a finished run's reports are being written and its email queued; rows written before the
# column existed were announced.
_ADDED_COLUMNS = (
    ("runs", "kind", "TEXT NOT NULL DEFAULT 'audit'"),
    ("runs", "scope", "TEXT NOT NULL DEFAULT 'full'"),
    ("runs", "scope_note", "TEXT NOT NULL DEFAULT ''"),
    ("runs", "announced", "INTEGER NOT NULL DEFAULT 1"),
)


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


class _Connection(sqlite3.Connection):
    """A connection whose every statement, and every row read, turns an SQLite error caused by the machine into a
    StoreError, so no caller (the runner, retention, the commands) has to know SQLite's messages, and none reaches the
    user as a bug."""

    def __init__(self, database: str | os.PathLike[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self.where = Path(database)
        self.busy_timeout = float(kwargs.get("timeout", BUSY_TIMEOUT_SECONDS))

    def execute(self, *args: Any) -> sqlite3.Cursor:
        return self.cursor(_Cursor).execute(*args)

    def executemany(self, *args: Any) -> sqlite3.Cursor:
        return self.cursor(_Cursor).executemany(*args)


class _Cursor(sqlite3.Cursor):
    """Rows are read step by step, so reading them can fail too (a lock, a page that cannot be read)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        if not isinstance(connection, _Connection):
            raise TypeError("a _Cursor belongs to a _Connection")
        super().__init__(connection)
        self._where = connection.where
        self._timeout = connection.busy_timeout

    def execute(self, *args: Any) -> _Cursor:
        with self._plain_words():
            super().execute(*args)
        return self

    def executemany(self, *args: Any) -> _Cursor:
        with self._plain_words():
            super().executemany(*args)
        return self

    def fetchone(self) -> Any:
        with self._plain_words():
            return super().fetchone()

    def fetchmany(self, *args: Any) -> list[Any]:
        with self._plain_words():
            return super().fetchmany(*args)

    def fetchall(self) -> list[Any]:
        with self._plain_words():
            return super().fetchall()

    def __next__(self) -> Any:
        with self._plain_words():
            return super().__next__()

    @contextlib.contextmanager
    def _plain_words(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise (store_error(exc, self._where, self._timeout) or exc) from None


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


@dataclass(frozen=True)
class RunSummary:
    id: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    version: str
    accounts: int
    account_errors: int
    failing: int
    kind: str = "audit"  # audit | comment_sweep
    findings: int = 0
    scope: str = "full"  # full | partial
    scope_note: str = ""
    announced: bool = True


class Store:
    """The history database, opened and checked: an existing file is checked with `PRAGMA quick_check` before
    anything is written to it, so a damaged file is reported (and left as it is) before a run starts, not found by
    the run's last write. quick_check reads every page once without comparing indexes to tables (0.1 s for a
    117 MB history already in the page cache; a cold read costs what reading the file from disk costs)."""

    def __init__(self, path: Path, *, busy_timeout: float | None = None) -> None:
        self.path = path
        timeout = BUSY_TIMEOUT_SECONDS if busy_timeout is None else busy_timeout
        existed = _existing_file(path)
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
        try:
            self.db = sqlite3.connect(path, timeout=timeout, isolation_level=None, factory=_Connection)
        except sqlite3.Error as exc:
            raise (store_error(exc, path, timeout) or exc) from None
        try:
            if existed:
                self._quick_check()
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except BaseException:
            self.db.close()
            raise

    def _quick_check(self) -> None:
        try:
            problems = [str(row[0]) for row in self.db.execute("PRAGMA quick_check(5)").fetchall()]
        except sqlite3.DatabaseError as exc:  # damage bad enough that the check itself stops part-way
            problems = [str(exc)]
        if problems != ["ok"]:
            found = "; ".join(problems)[:300]
            raise StoreError(
                f"the history database {self.path} cannot be used: it is damaged (SQLite quick_check: {found}); it "
                "was left untouched. Restore it from a backup, or move it aside and a new, empty history will be "
                "started"
            )

    def _migrate(self) -> None:
        with self.transaction():
            for statement in filter(str.strip, _SCHEMA.split(";")):
                self.db.execute(statement)
            for table, column, definition in _ADDED_COLUMNS:
                if column not in {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise StoreError(
                    f"the history database {self.path} was written by a newer version of auditor "
                    f"(schema {row[0]}); upgrade auditor rather than let this version change it"
                )

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

    def close(self) -> None:
        self.db.close()

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
            self.db.execute(
                "INSERT INTO runs (id, started_at, status, version, kind, scope, scope_note, announced) "
                "VALUES (?, ?, 'running', ?, ?, ?, ?, 0)",
                (run_id, started_at.isoformat(), version, kind, scope, scope_note),
            )

    def connector_state(self, account_key: str) -> dict[str, Any]:
        """What the account's connector saved at the end of the last finished run that read it ({} if none)."""
        row = self.db.execute("SELECT state FROM connector_state WHERE account_key = ?", (account_key,)).fetchone()
        return dict(json.loads(row[0])) if row else {}

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
                self.db.execute("SAVEPOINT account")
                try:
                    self._write_account(run_id, a, by_account.get(a.key, ()), states.get(a.key))
                except (sqlite3.IntegrityError, sqlite3.InterfaceError, UnicodeError, ValueError, TypeError) as exc:
                    self.db.execute("ROLLBACK TO account")
                    why = f"its results could not be stored ({type(exc).__name__}); please report it"
                    refused[a.key] = why
                    any_error = True
                    self._write_account(run_id, dataclasses.replace(a, status="error", error=why), (), None)
                finally:
                    self.db.execute("RELEASE account")
            self.db.execute(
                "UPDATE runs SET finished_at = ?, status = ? WHERE id = ?",
                (finished_at.isoformat(), "partial" if any_error else status, run_id),
            )
        return refused

    def _write_account(
        self, run_id: str, a: AccountRun, findings: Iterable[Finding], state: Mapping[str, Any] | None
    ) -> None:
        if state is not None:
            self.db.execute(
                "INSERT INTO connector_state VALUES (?, ?, ?) ON CONFLICT(account_key) DO UPDATE SET "
                "state = excluded.state, run_id = excluded.run_id",
                (a.key, json.dumps(state, sort_keys=True), run_id),
            )
        self.db.execute(
            "INSERT INTO account_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                a.key,
                a.handle,
                a.platform,
                a.department,
                a.status,
                a.error,
                a.posts_examined,
                a.comments_examined,
            ),
        )
        self.db.executemany(
            "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
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
            ],
        )

    def priors(self, account_key: str) -> dict[str, Prior]:
        """For each finding id ever recorded for this account, its latest judgement in a finished run."""
        rows = self.db.execute(
            """
            SELECT f.run_id, r.announced, f.id, f.account, f.platform, f.department, f.check_id, f.clause, f.status,
                   f.severity, f.reason, f.evidence, f.change, f.first_seen
            FROM findings f JOIN runs r ON r.id = f.run_id
            WHERE f.account_key = ? AND r.status != 'running'
            ORDER BY r.started_at, r.id
            """,
            (account_key,),
        )
        latest: dict[str, tuple[Finding, str]] = {}
        told: dict[str, Status] = {}
        for row in rows:
            finding = _finding(row[2:])
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
        runs = self.db.execute(
            "SELECT id, started_at FROM runs WHERE status != 'running' AND kind = 'audit' AND scope = 'full' "
            "ORDER BY started_at DESC, id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        out = []
        for run_id, started in reversed(runs):
            counts = self.db.execute(
                """
                SELECT a.department, (SELECT COUNT(*) FROM findings f
                                      WHERE f.run_id = a.run_id AND f.department = a.department AND f.status = 'FAIL')
                FROM account_runs a WHERE a.run_id = ? GROUP BY a.department
                """,
                (run_id,),
            ).fetchall()
            out.append((str(run_id), dt.datetime.fromisoformat(started), {str(d): int(n) for d, n in counts}))
        return out

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
            self.db.execute(
                "INSERT INTO deliveries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, kind, ", ".join(recipients), subject, status, attempts, error, _utcnow()),
            )

    def deliveries(self, run_id: str) -> list[tuple[str, str, str, str, int, str | None]]:
        """(kind, recipients, subject, status, attempts, error) of a run's emails, in the order they were tried."""
        rows = self.db.execute(
            "SELECT kind, recipients, subject, status, attempts, error FROM deliveries WHERE run_id = ? ORDER BY rowid",
            (run_id,),
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
            self.db.executemany(
                "INSERT INTO outbox (run_id, kind, recipients, subject, message, status, queued_at) "
                "VALUES (?, ?, ?, ?, ?, 'pending', ?)",
                [(run_id, kind, ", ".join(to), subject, message, now) for kind, to, subject, message in queued],
            )
            self.db.executemany(
                "INSERT INTO deliveries VALUES (?, ?, ?, ?, 'skipped', 0, ?, ?)",
                [(run_id, k.kind, ", ".join(k.recipients), k.subject, k.reason, now) for k in skipped],
            )
            self.db.executemany(
                "INSERT OR IGNORE INTO alerts_sent VALUES (?, ?, ?)", [(fid, run_id, now) for fid in alerted]
            )
            self.db.executemany(
                "INSERT OR IGNORE INTO escalations_sent VALUES (?, ?, ?)", [(fid, run_id, now) for fid in escalated]
            )
            self.db.execute("UPDATE runs SET announced = 1 WHERE id = ?", (run_id,))

    def queued_email(self) -> list[QueuedEmail]:
        """Messages waiting to be delivered, oldest first, whichever run queued them."""
        rows = self.db.execute(
            "SELECT id, run_id, kind, recipients, subject, message, attempts, queued_at FROM outbox "
            "WHERE status = 'pending' ORDER BY id"
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
            self.db.execute(
                "UPDATE outbox SET status = ?, attempts = ?, error = ?, done_at = ?, "
                "message = CASE WHEN ? = 'pending' THEN message ELSE X'' END WHERE id = ?",
                (status, attempts, error, done, status, email_id),
            )

    def undelivered(self) -> tuple[int, dt.datetime | None]:
        """How many queued messages are still waiting, and when the oldest was queued."""
        count, oldest = self.db.execute(
            "SELECT COUNT(*), MIN(queued_at) FROM outbox WHERE status = 'pending'"
        ).fetchone()
        return int(count), dt.datetime.fromisoformat(oldest) if oldest else None

    def last_queued(self, kind: str) -> dt.datetime | None:
        """When an email of this kind ("department:History", "school") was last queued to be sent, or sent before the
        outbox existed; one given up undelivered does not count. The reminder of an unchanged report counts from it."""
        row = self.db.execute(
            "SELECT MAX(at) FROM (SELECT queued_at AS at FROM outbox WHERE kind = ? AND status IN ('pending', 'sent') "
            "UNION ALL SELECT at FROM deliveries WHERE kind = ? AND status = 'sent')",
            (kind, kind),
        ).fetchone()
        return dt.datetime.fromisoformat(row[0]) if row and row[0] else None

    def run_email(self, run_id: str) -> list[EmailRecord]:
        """What became of each email a run queued or decided not to send: sent, waiting (to be tried again), given
        up, or not sent (with the reason). Runs from before the outbox show their recorded deliveries."""
        queued = self.db.execute(
            "SELECT kind, recipients, subject, status, attempts, error FROM outbox WHERE run_id = ? ORDER BY id",
            (run_id,),
        ).fetchall()
        words = {"pending": "waiting", "expired": "given up"}
        if queued:
            out = [EmailRecord(str(k), str(r), str(s), words.get(st, st), int(n), e) for k, r, s, st, n, e in queued]
            rows = self.db.execute(
                "SELECT kind, recipients, subject, error FROM deliveries WHERE run_id = ? AND status = 'skipped' "
                "ORDER BY rowid",
                (run_id,),
            ).fetchall()
            return out + [EmailRecord(str(k), str(r), str(s), "not sent", 0, e) for k, r, s, e in rows]
        return [
            EmailRecord(kind, to, subject, "not sent" if status == "skipped" else status, attempts, error)
            for kind, to, subject, status, attempts, error in self.deliveries(run_id)
        ]

    def alert_sent(self, finding_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM alerts_sent WHERE finding_id = ?", (finding_id,)).fetchone() is not None

    def escalation_sent(self, finding_id: str) -> bool:
        query = "SELECT 1 FROM escalations_sent WHERE finding_id = ?"
        return self.db.execute(query, (finding_id,)).fetchone() is not None

    def record_alert(self, finding_id: str, run_id: str) -> None:
        with self.transaction():
            self.db.execute("INSERT OR IGNORE INTO alerts_sent VALUES (?, ?, ?)", (finding_id, run_id, _utcnow()))

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
        rows = self.db.execute(
            "SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY started_at DESC, id DESC", (pattern,)
        )
        # LIKE ignores letter case; an id is matched exactly as written.
        return [str(row[0]) for row in rows if str(row[0]).startswith(prefix)]

    def last_run(self, kind: str, status: str) -> RunSummary | None:
        """The most recent run of this kind that ended with this status (e.g. the last complete audit)."""
        found = self.runs(limit=1, where="r.kind = ? AND r.status = ?", params=(kind, status))
        return found[0] if found else None

    def last_full_audit(self) -> RunSummary | None:
        """The most recent audit that read every registered account with every check, without an error, and whose
        reports were written: the only kind of run that can say the school's accounts were all checked."""
        found = self.runs(
            limit=1, where="r.kind = 'audit' AND r.status = 'complete' AND r.scope = 'full' AND r.announced"
        )
        return found[0] if found else None

    def prune(self, before: dt.datetime) -> int:
        """Delete runs started before `before`, with their accounts and findings; returns how many.

        Never the latest finished run, nor the latest finished run of any account: what each account was last seen
        to have stays, so a problem first seen long ago keeps its history and is not reported as new.
        """
        with self.transaction():
            cursor = self.db.execute(
                """
                DELETE FROM runs WHERE started_at < ? AND id NOT IN (
                    SELECT id FROM (SELECT id FROM runs WHERE status != 'running'
                                    ORDER BY started_at DESC, id DESC LIMIT 1)
                    UNION
                    SELECT (SELECT a2.run_id FROM account_runs a2 JOIN runs r2 ON r2.id = a2.run_id
                            WHERE a2.account_key = a.account_key AND r2.status != 'running'
                            ORDER BY r2.started_at DESC, r2.id DESC LIMIT 1)
                    FROM (SELECT DISTINCT account_key FROM account_runs) a
                )
                """,
                (before.isoformat(),),
            )
            return cursor.rowcount

    def runs(self, limit: int = 20, where: str = "1", params: tuple[str, ...] = ()) -> list[RunSummary]:
        rows = self.db.execute(
            f"""
            SELECT r.id, r.started_at, r.finished_at, r.status, r.version,
                   (SELECT COUNT(*) FROM account_runs a WHERE a.run_id = r.id),
                   (SELECT COUNT(*) FROM account_runs a WHERE a.run_id = r.id AND a.status = 'error'),
                   (SELECT COUNT(*) FROM findings f WHERE f.run_id = r.id AND f.status = 'FAIL'),
                   r.kind,
                   (SELECT COUNT(*) FROM findings f WHERE f.run_id = r.id),
                   r.scope, r.scope_note, r.announced
            FROM runs r WHERE {where} ORDER BY r.started_at DESC, r.id DESC LIMIT ?
            """,  # noqa: S608 - `where` is written in this module, never from input; values are bound
            (*params, limit),
        )
        return [
            RunSummary(
                id=row[0],
                started_at=dt.datetime.fromisoformat(row[1]),
                finished_at=dt.datetime.fromisoformat(row[2]) if row[2] else None,
                status=row[3],
                version=row[4],
                accounts=row[5],
                account_errors=row[6],
                failing=row[7],
                kind=row[8],
                findings=row[9],
                scope=row[10],
                scope_note=row[11],
                announced=bool(row[12]),
            )
            for row in rows
        ]


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


def _utcnow() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _finding(row: tuple[object, ...]) -> Finding:
    (fid, account, platform, department, check_id, clause, status, severity, reason, evidence, change, first) = row
    ev = json.loads(str(evidence))
    return Finding(
        id=str(fid),
        account=str(account),
        platform=str(platform),
        department=str(department),
        check=str(check_id),
        clause=str(clause),
        status=Status(str(status)),
        severity=Severity(str(severity)),
        reason=str(reason),
        evidence=Evidence.from_dict(ev),
        change=Change(str(change)),
        first_seen=dt.datetime.fromisoformat(str(first)) if first else None,
    )


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception: the database never holds half a run."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        elif self.db.in_transaction:  # SQLite ends the transaction itself on some errors (a full disk, I/O)
            self.db.execute("ROLLBACK")


__all__ = ["AccountRun", "Prior", "QueuedEmail", "RunSummary", "Skipped", "Store", "StoreError", "store_error"]
