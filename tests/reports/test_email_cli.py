"""`auditor email test`, the EMAIL column and `--deliveries` of `auditor history`, and `auditor status` on stale link
blocklists. Real mail to aiosmtpd on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from auditor.cli import main
from tests.reports.test_email import SLT, school
from tests.reports.test_outbox import use_port
from tests.reports.test_smtp_tls import PASSWORD, certificate, starttls_inbox

__all__ = ["certificate", "starttls_inbox"]  # fixtures the TLS test uses


def email_test(cfg: Path, *more: str) -> int:
    return main(["email", "test", "--config", str(cfg), *more])


def test_email_test_sends_one_plain_message_to_slt(tmp_path, inbox, capsys):
    cfg = school(tmp_path, inbox.port)
    assert email_test(cfg) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"Test email sent to {SLT} through 127.0.0.1:{inbox.port} (no encryption, no login)."
    [got] = inbox.received
    assert got.rcpt_tos == [SLT]
    assert got.message.get_content_type() == "text/plain"
    assert str(got.message["Subject"]).strip() == "Islwyn High School social media auditor: test message"
    assert "Nothing needs to be done." in got.message.get_content()
    # Nothing of a run: no history is written by a test message.
    assert not (tmp_path / "auditor.sqlite3").exists()


def test_email_test_to_another_address_and_refusals(tmp_path, inbox, closed_port, capsys):
    cfg = school(tmp_path, inbox.port)
    assert email_test(cfg, "--to", "it.support@islwynhigh.co.uk") == 0
    assert [r.rcpt_tos for r in inbox.received] == [["it.support@islwynhigh.co.uk"]]
    capsys.readouterr()
    # An address that would add a header of its own is refused before anything is sent.
    assert email_test(cfg, "--to", "it@islwynhigh.co.uk\r\nBcc: spy@evil.example") == 2
    assert "line break or control character" in capsys.readouterr().err
    assert email_test(cfg, "--to", "IT <it@islwynhigh.co.uk>") == 2
    assert len(inbox.received) == 1

    down = school(tmp_path / "down", closed_port)
    assert email_test(down) == 3
    err = capsys.readouterr().err
    assert f"test email NOT sent to {SLT} through 127.0.0.1:{closed_port}" in err and "ConnectionRefusedError" in err
    assert "Traceback" not in err

    bare = tmp_path / "bare"
    bare.mkdir()
    text = cfg.read_text(encoding="utf-8")
    (bare / "config.toml").write_text(text[: text.index("[email]")], encoding="utf-8")
    assert email_test(bare / "config.toml") == 2
    assert "has no [email] section" in capsys.readouterr().err


def _with_login(cfg: Path) -> Path:
    text = cfg.read_text(encoding="utf-8").replace("starttls = false", 'starttls = true\nusername = "auditor"')
    cfg.write_text(text, encoding="utf-8")
    return cfg


def test_email_test_logs_in_over_starttls_and_never_prints_the_password(tmp_path, starttls_inbox, capsys, monkeypatch):
    cfg = _with_login(school(tmp_path, starttls_inbox.port))
    assert email_test(cfg) == 2  # no password in the environment: said before connecting
    err = capsys.readouterr().err
    assert "set the environment variable SMTP_PASSWORD" in err

    monkeypatch.setenv("SMTP_PASSWORD", PASSWORD)
    assert email_test(cfg) == 0
    out = capsys.readouterr()
    assert "(STARTTLS, login as auditor)" in out.out and PASSWORD not in out.out + out.err
    assert len(starttls_inbox.received) == 1

    monkeypatch.setenv("SMTP_PASSWORD", "wrong " + PASSWORD)
    assert email_test(cfg) == 3
    out = capsys.readouterr()
    assert "refused the login for auditor" in out.err
    assert PASSWORD not in out.out + out.err


def history_lines(cfg: Path, capsys, *more: str) -> list[str]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main(["history", "--config", str(cfg), *more]) == 0
    return capsys.readouterr().out.splitlines()


def test_history_shows_what_became_of_each_runs_email(tmp_path, inbox, closed_port, capsys):
    cfg = school(tmp_path, closed_port)
    run = ["run", "--all", "--config", str(cfg), "--offline"]
    assert main([*run, "--out", str(tmp_path / "r1")]) == 1
    lines = history_lines(cfg, capsys)
    assert lines[0].split()[-1] == "EMAIL"
    assert lines[1].endswith("4 waiting")
    assert "`auditor history --deliveries RUN`" in lines[-1]
    first_id = lines[1].split()[0]

    detail = history_lines(cfg, capsys, "--deliveries", first_id[:17])
    assert detail[0] == f"Email of run {first_id}:"
    assert detail[1].split() == ["KIND", "TO", "STATUS", "ATTEMPTS", "ERROR", "OR", "REASON"]
    rows = detail[2:]
    assert len(rows) == 4 and all(" waiting " in r for r in rows)
    assert any(r.startswith("department:History") and "head.history@islwynhigh.co.uk" in r for r in rows)
    tried = [r for r in rows if "ConnectionRefusedError" in r]
    assert len(tried) == 1 and " 3 " in tried[0]  # the first was tried three times; the others waited for it

    # The server is back: the next run delivers the first run's email; nothing changed, so it sends none of its own.
    use_port(cfg, inbox.port)
    assert main([*run, "--out", str(tmp_path / "r2")]) == 1
    lines = history_lines(cfg, capsys)
    assert lines[1].endswith("4 not sent") and lines[2].endswith("4 sent")
    second = history_lines(cfg, capsys, "--deliveries", lines[1].split()[0])
    assert all("not sent" in r and "nothing changed since the last audit" in r for r in second[2:])
    # Delivered messages keep their record but not their body (posts quoted, pupils named).
    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        bodies = db.execute("SELECT status, length(message) FROM outbox").fetchall()
    assert bodies and all(status == "sent" and size == 0 for status, size in bodies)

    capsys.readouterr()
    assert main(["history", "--config", str(cfg), "--deliveries", "19990101"]) == 2
    assert "is not a run in the history" in capsys.readouterr().err


def _lists(tmp_path: Path, dates: dict[str, str]) -> str:
    folder = tmp_path / "lists"
    for category in dates:
        (folder / category).mkdir(parents=True)
        (folder / category / "domains").write_text("casino.example\n", encoding="utf-8")
    (folder / "ut1.json").write_text(
        json.dumps({"categories": {c: {"updated": d} for c, d in dates.items()}}), encoding="utf-8"
    )
    return '\n[links]\nblocked_categories = ["adult", "gambling", "dating"]\nblocklists = "lists"\n'


def test_status_fails_when_the_link_blocklists_are_stale_and_says_how_to_update(tmp_path, inbox, capsys):
    today = dt.datetime.now(dt.UTC).date()
    old = (today - dt.timedelta(days=40)).isoformat()
    cfg = school(tmp_path, inbox.port)
    with cfg.open("a", encoding="utf-8") as fh:
        fh.write(_lists(tmp_path, {"adult": old, "gambling": today.isoformat()}))
    assert main(["run", "--all", "--config", str(cfg), "--offline", "--out", str(tmp_path / "r")]) == 1
    capsys.readouterr()
    assert main(["status", "--config", str(cfg)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("auditor status: LISTS: the link category blocklists are out of date: ")
    assert f"adult ({old}, 40 days old)" in out and "gambling (" not in out
    assert "the limit is 14 days" in out and "auditor blocklists update --config" in out
    assert "dating are not installed" in out

    # A worse problem is said first, and the lists are still named after it.
    store = tmp_path / "auditor.sqlite3"
    with sqlite3.connect(store) as db:
        db.execute("UPDATE runs SET started_at = ?", ((dt.datetime.now(dt.UTC) - dt.timedelta(hours=30)).isoformat(),))
    assert main(["status", "--config", str(cfg)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("auditor status: STALE: last complete audit") and f"adult ({old}, 40 days old)" in out
    with sqlite3.connect(store) as db:
        db.execute("UPDATE runs SET started_at = ?", (dt.datetime.now(dt.UTC).isoformat(),))

    with cfg.open("a", encoding="utf-8") as fh:
        fh.write("blocklists_max_age_days = 60\n")
    assert main(["status", "--config", str(cfg)]) == 0
    assert capsys.readouterr().out.startswith("auditor status: OK")


def test_a_hostile_department_name_stays_on_one_log_line_when_delivery_fails(tmp_path, closed_port, caplog):
    cfg = school(tmp_path, closed_port)
    caplog.set_level("INFO", logger="auditor.reports")
    assert main(["run", "--all", "--config", str(cfg), "--offline", "--out", str(tmp_path / "r")]) == 1
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("auditor.reports")]
    assert any("Art Bcc: spy@evil.example Subject: you won" in m for m in messages)
    assert all("\n" not in m and "\r" not in m for m in messages)
