"""`auditor status` (health check for monitoring) and `auditor history`."""

from __future__ import annotations

import datetime as dt
import sqlite3

from auditor.cli import main
from auditor.lock import RunLock, lock_path


def status(school, capsys, *extra: str) -> tuple[int, str]:
    code = main(["status", "--config", str(school), *extra])
    return code, capsys.readouterr().out


def audit(school, tmp_path, name: str) -> int:
    return main(["run", "--all", "--offline", "--config", str(school), "--out", str(tmp_path / name)])


def test_no_audit_yet_is_stale(school, capsys):
    code, out = status(school, capsys)
    assert code == 1
    assert out.startswith("auditor status: STALE: no complete audit recorded")


def test_recent_audit_is_ok_and_an_old_one_is_stale(school, tmp_path, capsys):
    assert audit(school, tmp_path, "r") in (0, 1)
    capsys.readouterr()
    code, out = status(school, capsys)
    assert code == 0
    assert out.startswith("auditor status: OK: last complete audit ") and "(2 accounts" in out
    assert "the limit is 26" in out

    old = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=30)).isoformat()
    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        db.execute("UPDATE runs SET started_at = ?", (old,))
    code, out = status(school, capsys)
    assert code == 1
    assert "STALE: last complete audit" in out and "30.0 hours ago; the limit is 26" in out
    code, out = status(school, capsys, "--max-age-hours", "48")
    assert code == 0


def test_max_age_comes_from_the_config(school, tmp_path, capsys):
    with school.open("a", encoding="utf-8") as f:
        f.write("\n[schedule]\nmax_age_hours = 2\n")
    assert audit(school, tmp_path, "r") in (0, 1)
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)).isoformat()
    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        db.execute("UPDATE runs SET started_at = ?", (old,))
    capsys.readouterr()
    code, out = status(school, capsys)
    assert code == 1 and "the limit is 2" in out


def test_an_unfinished_latest_audit_is_mentioned(school, tmp_path, capsys):
    assert audit(school, tmp_path, "r") in (0, 1)
    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        later = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).isoformat()
        db.execute("INSERT INTO runs (id, started_at, status, version) VALUES ('killed', ?, 'running', 'x')", (later,))
    capsys.readouterr()
    code, out = status(school, capsys)
    assert code == 0  # the last complete audit is recent
    assert "did not finish" in out
    with RunLock(lock_path(tmp_path / "auditor.sqlite3"), wait=0, what="audit"):
        code, out = status(school, capsys)
    assert "a run is in progress now (audit by process" in out


def test_history_lists_kind_status_duration_accounts_and_findings(school, tmp_path, capsys):
    assert audit(school, tmp_path, "r") in (0, 1)
    capsys.readouterr()
    assert main(["history", "--config", str(school)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split()
    assert header == [
        "RUN",
        "KIND",
        "SCOPE",
        "STARTED",
        "DURATION",
        "STATUS",
        "ACCOUNTS",
        "ERRORS",
        "FINDINGS",
        "FAILING",
        "EMAIL",
    ]
    row = lines[1].split()
    assert row[1] == "audit" and row[2] == "full" and row[6] == "complete" and row[7] == "2" and row[8] == "0"
    assert row[5].endswith("s") and int(row[9]) > 0
    assert row[-1] == "-"  # no [email] section: the run had no email

    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        later = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).isoformat()
        db.execute("INSERT INTO runs (id, started_at, status, version) VALUES ('now', ?, 'running', 'x')", (later,))
    with RunLock(lock_path(tmp_path / "auditor.sqlite3"), wait=0, what="audit"):
        assert main(["history", "--config", str(school)]) == 0
    assert "in progress" in capsys.readouterr().out
    assert main(["history", "--config", str(school)]) == 0
    assert "did not finish" in capsys.readouterr().out
