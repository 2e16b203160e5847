"""Nothing announced is lost (issue 11): a run's email is queued as part of announcing it, a failure while writing the
reports or building the email leaves its problems "new" for the next run, and mail that could not be delivered is
delivered by a later run."""

from __future__ import annotations

import datetime as dt
import errno
import sqlite3
from pathlib import Path

from auditor import config as config_mod
from auditor.cli import main
from auditor.reports import send
from auditor.store import Store
from tests.reports.test_email import school

HEADS = {"head.history@islwynhigh.co.uk", "head.science@islwynhigh.co.uk", "head.art@islwynhigh.co.uk"}


def run(cfg: Path, out: Path) -> int:
    return main(["run", "--all", "--config", str(cfg), "--out", str(out), "--offline"])


def use_port(cfg: Path, port: int) -> None:
    text = cfg.read_text(encoding="utf-8")
    start = text.index("port = ")
    end = text.index("\n", start)
    cfg.write_text(text[:start] + f"port = {port}" + text[end:], encoding="utf-8")


def runs(tmp_path: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        return db.execute("SELECT status, announced FROM runs ORDER BY started_at").fetchall()


def test_reports_that_cannot_be_written_leave_the_problems_new_for_the_next_run(tmp_path, inbox, monkeypatch, capsys):
    cfg = school(tmp_path, inbox.port)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr("auditor.reports.render.write_reports", full_disk)
        assert run(cfg, tmp_path / "r1") == 2
    err = capsys.readouterr().err
    assert "could not be written to" in err and "No space left on device" in err and "Traceback" not in err
    assert "the next run reports them as new" in err
    assert runs(tmp_path) == [("complete", 0)]  # stored, but nobody was told
    assert inbox.received == []

    assert main(["history", "--config", str(cfg)]) == 0
    assert "complete, reports not written" in capsys.readouterr().out

    # The next run tells everyone: its problems are new, and the heads get their email.
    assert run(cfg, tmp_path / "r2") == 1
    assert {r.rcpt_tos[0] for r in inbox.received} >= HEADS
    history = [r for r in inbox.received if r.rcpt_tos == ["head.history@islwynhigh.co.uk"]]
    assert history and " new" in str(history[0].message["Subject"])
    assert runs(tmp_path)[-1] == ("complete", 1)


def test_email_that_cannot_be_built_is_built_by_the_next_run(tmp_path, inbox, monkeypatch, capsys):
    cfg = school(tmp_path, inbox.port)

    def broken(*args, **kwargs):
        raise ValueError("a header the mail library refuses")

    with monkeypatch.context() as patch:
        patch.setattr(send, "report_emails", broken)
        assert run(cfg, tmp_path / "r1") == 4  # a bug, said as one ...
    assert runs(tmp_path) == [("complete", 0)]  # ... but the findings were not announced
    assert inbox.received == []
    assert run(cfg, tmp_path / "r2") == 1
    assert {r.rcpt_tos[0] for r in inbox.received} >= HEADS


def test_mail_not_delivered_stays_queued_and_a_later_run_delivers_it(tmp_path, inbox, closed_port, capsys):
    cfg = school(tmp_path, closed_port)
    assert run(cfg, tmp_path / "r1") == 1  # delivery never changes the exit status
    out = capsys.readouterr().out
    assert "stays queued for the next run" in out and "waiting to be sent again" in out
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        queued = store.queued_email()
    finally:
        store.close()
    kinds = {q.kind for q in queued}
    assert {"department:History", "department:Science", "school"} <= kinds and len(kinds) == 4
    assert main(["status", "--config", str(cfg)]) == 0  # fresh audit; mail waiting only for minutes
    assert "email(s) not delivered yet" in capsys.readouterr().out

    # The mail server is back. Nothing changed since the first run, so this run has no email of its own, but the
    # first run's email, with its new problems, is delivered now.
    use_port(cfg, inbox.port)
    assert run(cfg, tmp_path / "r2") == 1
    assert {r.rcpt_tos[0] for r in inbox.received} >= HEADS | {"slt@islwynhigh.co.uk"}
    assert len(inbox.received) == len(queued)
    assert all(" new" in str(r.message["Subject"]) for r in inbox.received if "History" in str(r.message["Subject"]))
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        assert store.queued_email() == []
        assert store.undelivered() == (0, None)
    finally:
        store.close()
    # Delivered once: a third run sends nothing more.
    assert run(cfg, tmp_path / "r3") == 1
    assert len(inbox.received) == len(queued)


def test_mail_stuck_for_longer_than_the_limit_fails_the_health_check(tmp_path, closed_port, capsys):
    cfg = school(tmp_path, closed_port)
    assert run(cfg, tmp_path / "r1") == 1
    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        old = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=30)).isoformat()
        db.execute("UPDATE outbox SET queued_at = ?", (old,))
    capsys.readouterr()
    assert main(["status", "--config", str(cfg)]) == 1
    assert "MAIL: reports are not reaching people" in capsys.readouterr().out


def test_mail_queued_for_over_a_week_is_given_up_and_said(tmp_path, closed_port):
    cfg = school(tmp_path, closed_port)
    assert run(cfg, tmp_path / "r1") == 1
    config = config_mod.load(cfg)
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        waiting = len(store.queued_email())
        later = dt.datetime.now(dt.UTC) + send.MAX_QUEUE_AGE + dt.timedelta(hours=1)
        results = send.deliver_queued(config, store, sleep=lambda s: None, environ={}, now=later)
        assert [d.status for d in results] == ["expired"] * waiting
        assert store.queued_email() == []
    finally:
        store.close()
