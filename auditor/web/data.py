"""What the web app reads of the run history: the current findings and one finding's history, through plain
SQLAlchemy selects on the history's `runs` and `findings` tables (written by auditor.store, never here)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from auditor.appdb import SCHOOL
from auditor.model import Evidence, Severity, Status

runs = sa.table(
    "runs",
    sa.column("id", sa.Text),
    sa.column("started_at", sa.Text),
    sa.column("finished_at", sa.Text),
    sa.column("status", sa.Text),
    sa.column("kind", sa.Text),
    sa.column("scope", sa.Text),
    sa.column("school", sa.Text),
)
findings = sa.table(
    "findings",
    sa.column("run_id", sa.Text),
    sa.column("id", sa.Text),
    sa.column("account_key", sa.Text),
    sa.column("account", sa.Text),
    sa.column("platform", sa.Text),
    sa.column("department", sa.Text),
    sa.column("check_id", sa.Text),
    sa.column("clause", sa.Text),
    sa.column("status", sa.Text),
    sa.column("severity", sa.Text),
    sa.column("reason", sa.Text),
    sa.column("evidence", sa.Text),
    sa.column("change", sa.Text),
    sa.column("first_seen", sa.Text),
    sa.column("school", sa.Text),
)

# A finding belongs to the run of the same id in the same school: the history is school-scoped (auditor/store.py).
_same_run = sa.and_(findings.c.run_id == runs.c.id, findings.c.school == runs.c.school)

OPEN = (Status.FAIL, Status.ERROR, Status.MANUAL)
SEVERITY_ORDER = [str(s) for s in Severity]


@dataclass(frozen=True)
class Row:
    """One finding as the app shows it: the finding and the run it comes from."""

    id: str
    run_id: str
    run_started: dt.datetime
    account_key: str
    account: str
    platform: str
    department: str
    check: str
    clause: str
    status: Status
    severity: Severity
    reason: str
    evidence: Evidence
    change: str
    first_seen: dt.datetime | None

    @property
    def open(self) -> bool:
        return self.status in OPEN


@dataclass(frozen=True)
class Run:
    id: str
    started_at: dt.datetime
    status: str


def _row(r: Any, started: str) -> Row:  # an SQLAlchemy Row of `findings` and `runs.started_at`
    m = r._mapping
    return Row(
        id=str(m["id"]),
        run_id=str(m["run_id"]),
        run_started=dt.datetime.fromisoformat(started),
        account_key=str(m["account_key"]),
        account=str(m["account"]),
        platform=str(m["platform"]),
        department=str(m["department"]),
        check=str(m["check_id"]),
        clause=str(m["clause"]),
        status=Status(str(m["status"])),
        severity=Severity(str(m["severity"])),
        reason=str(m["reason"]),
        evidence=Evidence.from_dict(json.loads(str(m["evidence"]))),
        change=str(m["change"]),
        first_seen=dt.datetime.fromisoformat(str(m["first_seen"])) if m["first_seen"] else None,
    )


def has_history(conn: Connection) -> bool:
    return bool(sa.inspect(conn).has_table("findings"))


def latest_audit(conn: Connection) -> Run | None:
    row = conn.execute(
        sa.select(runs.c.id, runs.c.started_at, runs.c.status)
        .where(runs.c.school == SCHOOL, runs.c.status != "running", runs.c.kind == "audit")
        .order_by(runs.c.started_at.desc(), runs.c.id.desc())
        .limit(1)
    ).first()
    return Run(str(row[0]), dt.datetime.fromisoformat(str(row[1])), str(row[2])) if row else None


def current(conn: Connection) -> tuple[Run | None, list[Row]]:
    """The latest finished audit's findings, and the failures found by comment sweeps since (a sweep reads only
    comments, so its other results say nothing)."""
    if not has_history(conn):
        return None, []
    audit = latest_audit(conn)
    if audit is None:
        return None, []
    cols = [*findings.c, runs.c.started_at]
    rows = conn.execute(
        sa.select(*cols)
        .join_from(findings, runs, _same_run)
        .where(findings.c.school == SCHOOL, findings.c.run_id == audit.id)
    ).fetchall()
    out = {str(r._mapping["id"]): _row(r, str(r._mapping["started_at"])) for r in rows}
    swept = conn.execute(
        sa.select(*cols)
        .join_from(findings, runs, _same_run)
        .where(
            findings.c.school == SCHOOL,
            runs.c.kind == "comment_sweep",
            runs.c.status != "running",
            runs.c.started_at > audit.started_at.isoformat(),
            findings.c.status == "FAIL",
        )
        .order_by(runs.c.started_at)
    ).fetchall()
    for r in swept:
        out[str(r._mapping["id"])] = _row(r, str(r._mapping["started_at"]))
    return audit, list(out.values())


def history(conn: Connection, finding_id: str) -> list[Row]:
    """Every finished run's judgement of this finding, oldest first."""
    rows = conn.execute(
        sa.select(*findings.c, runs.c.started_at)
        .join_from(findings, runs, _same_run)
        .where(findings.c.school == SCHOOL, findings.c.id == finding_id, runs.c.status != "running")
        .order_by(runs.c.started_at, runs.c.id)
    ).fetchall()
    return [_row(r, str(r._mapping["started_at"])) for r in rows]
