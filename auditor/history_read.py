"""What `auditor status` reads of a school's history, without loading the database layer.

`auditor status` runs from monitoring every few minutes and must start as fast as a bare interpreter allows (issue 12:
within 5x). The history store (auditor/store.py) loads SQLAlchemy and Alembic, which alone take several times that. So
for the usual case, a SQLite history already at this version's schema, status reads its three answers here with the
standard library's sqlite3, read-only, using the store's own SQL and row shapes (defined here, used by both). Anything
else (a PostgreSQL history, a file that needs upgrading, any SQLite error) returns None and status opens the store as
before, which upgrades or explains in its plain words.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# The Alembic revisions this version knows, oldest first (auditor/migrations/versions); the last is the schema it
# writes. `meta.schema_version` follows them, for auditors from before Alembic (they refuse a schema above 1).
REVISIONS = ("0001", "0002", "0003")
HEAD_REVISION = REVISIONS[-1]


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


RUNS = """
    SELECT r.id, r.started_at, r.finished_at, r.status, r.version,
           (SELECT COUNT(*) FROM account_runs a WHERE a.school = r.school AND a.run_id = r.id),
           (SELECT COUNT(*) FROM account_runs a WHERE a.school = r.school AND a.run_id = r.id AND a.status = 'error'),
           (SELECT COUNT(*) FROM findings f WHERE f.school = r.school AND f.run_id = r.id AND f.status = 'FAIL'),
           r.kind,
           (SELECT COUNT(*) FROM findings f WHERE f.school = r.school AND f.run_id = r.id),
           r.scope, r.scope_note, r.announced
    FROM runs r WHERE r.school = :school AND ({where}) ORDER BY r.started_at DESC, r.id DESC LIMIT :limit
"""
# Only a full audit says the school's accounts were checked: one that read every registered account with every check,
# without an error, and whose reports were written.
FULL_AUDIT = "r.kind = 'audit' AND r.status = 'complete' AND r.scope = 'full' AND r.announced = 1"
LATEST_FULL_AUDIT = "r.kind = 'audit' AND r.scope = 'full'"
UNDELIVERED = "SELECT COUNT(*), MIN(queued_at) FROM outbox WHERE school = :school AND status = 'pending'"


def run_summary(row: Sequence[object]) -> RunSummary:
    """One row of RUNS."""
    return RunSummary(
        id=str(row[0]),
        started_at=dt.datetime.fromisoformat(str(row[1])),
        finished_at=dt.datetime.fromisoformat(str(row[2])) if row[2] else None,
        status=str(row[3]),
        version=str(row[4]),
        accounts=int(str(row[5])),
        account_errors=int(str(row[6])),
        failing=int(str(row[7])),
        kind=str(row[8]),
        findings=int(str(row[9])),
        scope=str(row[10]),
        scope_note=str(row[11]),
        announced=bool(row[12]),
    )


@dataclass(frozen=True)
class StatusFacts:
    last_full_audit: RunSummary | None  # the last audit that checked everything
    latest_full_audit: RunSummary | None  # the latest full audit, finished or not
    queued: int  # emails still waiting to be delivered
    oldest_queued: dt.datetime | None


def status_facts(path: Path, school: str) -> StatusFacts | None:
    """The status facts of `school` in the SQLite history at `path`, read-only; None when the store must be opened
    instead (the file is at another schema version, or cannot be read as it is)."""
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)) as db:
            version = db.execute("SELECT version_num FROM alembic_version").fetchall()
            if version != [(HEAD_REVISION,)]:
                return None
            last = db.execute(RUNS.format(where=FULL_AUDIT), {"school": school, "limit": 1}).fetchall()
            latest = db.execute(RUNS.format(where=LATEST_FULL_AUDIT), {"school": school, "limit": 1}).fetchall()
            [(count, oldest)] = db.execute(UNDELIVERED, {"school": school}).fetchall()
    except (sqlite3.Error, ValueError, OSError):
        return None
    return StatusFacts(
        run_summary(last[0]) if last else None,
        run_summary(latest[0]) if latest else None,
        int(count),
        dt.datetime.fromisoformat(oldest) if oldest else None,
    )
