"""Delivery: real mail to an SMTP server on 127.0.0.1, parsed as it arrives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bs4 import BeautifulSoup

from auditor import config as config_mod
from auditor.checks import all_checks
from auditor.cli import main
from auditor.model import Account, Change, Evidence, Finding, Severity, Status
from auditor.reports.email import header_text
from auditor.reports.render import build_views
from auditor.reports.send import send_run
from auditor.results import AccountOutcome, RunResult
from auditor.store import Store
from tests.conftest import write_archive, write_config

SLT = "slt@islwynhigh.co.uk"
HOSTILE_DEPT = "Art\r\nBcc: spy@evil.example\r\nSubject: you won"


def school(tmp_path: Path, port: int, extra: str = "") -> Path:
    write_archive(tmp_path / "hist", "HistoryIHS", bio="History at Islwyn High")
    write_archive(tmp_path / "sci", "sci_dept", bio="Science")
    write_archive(tmp_path / "art", "ArtIHS", bio="Art")
    return write_config(
        tmp_path,
        f"""
        [[accounts]]
        handle = "@HistoryIHS"
        platform = "x-archive"
        department = "History"
        owner = "history@islwynhigh.co.uk"
        credentials_shared = true
        source = "hist"

        [[accounts]]
        handle = "@sci_dept"
        platform = "x-archive"
        department = "Science"
        owner = "science@islwynhigh.co.uk"
        notified = 2024-09-02
        credentials_shared = true
        source = "sci"

        [[accounts]]
        handle = "@ArtIHS"
        platform = "x-archive"
        department = "Art\\r\\nBcc: spy@evil.example\\r\\nSubject: you won"
        owner = "art@islwynhigh.co.uk"
        credentials_shared = true
        source = "art"

        [departments.History]
        head_email = "head.history@islwynhigh.co.uk"

        [departments.Science]
        head_email = "head.science@islwynhigh.co.uk"

        [departments."Art\\r\\nBcc: spy@evil.example\\r\\nSubject: you won"]
        head_email = "head.art@islwynhigh.co.uk"

        [email]
        host = "127.0.0.1"
        port = {port}
        starttls = false
        sender = "Social Media Auditor <auditor@islwynhigh.co.uk>"
        slt = ["{SLT}"]
        retries = 2
        retry_delay = 0
        {extra}
        """,
    )


def run(cfg: Path, out: Path, *more: str) -> int:
    return main(["run", "--all", "--config", str(cfg), "--out", str(out), "--offline", *more])


def parts(message):  # type: ignore[no-untyped-def]
    body = message.get_body(("plain",)), message.get_body(("html",))
    return body[0].get_content(), body[1].get_content()


def test_each_head_gets_their_department_and_slt_the_summary(tmp_path, inbox):
    cfg = school(tmp_path, inbox.port)
    code = run(cfg, tmp_path / "r1")
    assert code == 1

    history = inbox.to("head.history@islwynhigh.co.uk")
    science = inbox.to("head.science@islwynhigh.co.uk")
    summary = inbox.to(SLT)
    assert len(history) == len(science) == len(summary) == 1
    assert history[0].rcpt_tos == ["head.history@islwynhigh.co.uk"]  # one department's findings reach one head only
    h = history[0].message
    assert h["Subject"].startswith("Islwyn High School social media audit: History:")
    assert "to fix" in h["Subject"]
    assert h["From"] == "Social Media Auditor <auditor@islwynhigh.co.uk>"
    assert h.get_content_type() == "multipart/alternative"
    text, html = parts(h)
    assert "@HistoryIHS" in text and "@sci_dept" not in text
    assert "NEW PROBLEMS SINCE THE LAST AUDIT" in text
    doc = BeautifulSoup(html, "html.parser")
    assert "@HistoryIHS" in doc.get_text() and "@sci_dept" not in doc.get_text()
    assert doc.find_all("script") == [] and doc.find_all(["img", "link", "iframe"]) == []
    # Styles are inlined (mail programs drop <style>); only the @media rules stay in a style block.
    assert doc.find("div", class_="lead")["style"]
    for a in doc.find_all("a", href=True):
        assert a["href"].startswith(("https://", "http://", "mailto:")), a  # no links to files the email lacks
    s_text, _ = parts(summary[0].message)
    assert "School summary" in summary[0].message["Subject"] + s_text
    assert "SMP-2.7" in s_text and "SMP-2.9" in s_text


def test_hostile_department_name_cannot_inject_headers(tmp_path, inbox):
    run(school(tmp_path, inbox.port), tmp_path / "r1")
    art = inbox.to("head.art@islwynhigh.co.uk")
    assert len(art) == 1
    assert art[0].rcpt_tos == ["head.art@islwynhigh.co.uk"]
    assert all("spy@evil.example" not in r.rcpt_tos for r in inbox.received)
    msg = art[0].message
    assert msg["Bcc"] is None
    assert len(msg.get_all("Subject")) == 1
    assert "\r" not in msg["Subject"] and "\n" not in msg["Subject"]
    assert "Art Bcc: spy@evil.example Subject: you won" in msg["Subject"]  # shown, as text, on one line


def test_nothing_sent_when_nothing_changed_unless_configured(tmp_path, inbox):
    cfg = school(tmp_path, inbox.port)
    run(cfg, tmp_path / "r1")
    first = len(inbox.received)
    assert first == 4  # three heads and SLT
    run(cfg, tmp_path / "r2")
    assert len(inbox.received) == first, "a second run with the same findings sends nothing"
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        latest = store.runs(limit=1)[0].id
        statuses = {kind: status for kind, _, _, status, _, _ in store.deliveries(latest)}
    finally:
        store.close()
    assert statuses == {
        "department:History": "skipped",
        "department:Science": "skipped",
        f"department:{HOSTILE_DEPT}": "skipped",
        "school": "skipped",
    }

    cfg.write_text(cfg.read_text().replace("retry_delay = 0", "retry_delay = 0\nsend_when_unchanged = true"))
    run(cfg, tmp_path / "r3")
    assert len(inbox.received) == first + 4


def test_no_email_flag_and_exit_status_unchanged_by_delivery(tmp_path, inbox, closed_port):
    cfg = school(tmp_path, inbox.port)
    assert run(cfg, tmp_path / "r1", "--no-email") == 1
    assert inbox.received == []
    broken = school(tmp_path / "b", closed_port)
    # The audit's exit status says what the audit found; a mail server that is down does not change it.
    assert run(broken, tmp_path / "b" / "r") == 1
    assert (tmp_path / "b" / "r" / "departments" / "History.html").exists()


def test_refused_connection_is_retried_with_backoff_then_recorded(tmp_path, closed_port, capsys):
    cfg_path = school(tmp_path, closed_port)
    cfg_path.write_text(cfg_path.read_text().replace("retry_delay = 0", "retry_delay = 5"))
    config = config_mod.load(cfg_path)
    store = Store(tmp_path / "auditor.sqlite3")
    waits: list[float] = []
    try:
        result = _result(config, [])
        deliveries = send_run(
            result,
            build_views(result, config),
            config,
            store,
            sleep=waits.append,
            environ={"SMTP_PASSWORD": "hunter2-secret"},
        )
        recorded = store.deliveries(result.id)
        queued = store.queued_email()
    finally:
        store.close()
    sent = [d for d in deliveries if d.status != "skipped"]
    assert len(sent) > 1 and all(d.status == "failed" for d in sent)
    # The first message is retried twice, the delay doubling; once the server has failed it that often, the others
    # wait for the next run instead of each waiting out the same retries.
    assert sent[0].attempts == 3 and all(d.attempts == 0 for d in sent[1:])
    assert waits == [5.0, 10.0]
    assert [r[3] for r in recorded if r[3] != "skipped"] == ["failed"]
    assert all("ConnectionRefusedError" in (r[5] or "") for r in recorded if r[3] == "failed")
    # Nothing is lost: every message stays queued for the next run.
    assert sorted(q.kind for q in queued) == sorted(d.kind for d in sent)


def test_password_never_reaches_the_record(tmp_path, inbox):
    cfg_path = school(tmp_path, inbox.port, 'username = "auditor@islwynhigh.co.uk"')
    config = config_mod.load(cfg_path)
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        result = _result(config, [])
        # No password in the environment: refused before connecting, not retried, said plainly.
        deliveries = send_run(result, build_views(result, config), config, store, sleep=lambda s: None, environ={})
        recorded = store.deliveries(result.id)
    finally:
        store.close()
    failed = [d for d in deliveries if d.status == "failed"]
    assert failed and all(d.attempts == 1 and "SMTP_PASSWORD" in (d.error or "") for d in failed)
    assert inbox.received == []
    assert all(r[3] in ("failed", "skipped") for r in recorded)


def test_large_report_is_capped_with_the_full_report_attached(tmp_path, inbox):
    cfg_path = school(tmp_path, inbox.port, "max_kb = 20")
    config = config_mod.load(cfg_path)
    history = next(a for a in config.accounts if a.department == "History")
    many = [
        _finding(history, f"f{n:03d}", "registry.notified", "SMP-2.2", f"Post {n} has a problem " + "x" * 200)
        for n in range(150)
    ]
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        result = _result(config, many)
        deliveries = send_run(result, build_views(result, config), config, store, sleep=lambda s: None, environ={})
    finally:
        store.close()
    assert all(d.status == "sent" for d in deliveries if d.kind == "department:History")
    msg = inbox.to("head.history@islwynhigh.co.uk")[0].message
    assert msg.get_content_type() == "multipart/mixed"
    html = msg.get_body(("html",)).get_content()
    assert len(html.encode()) <= 20 * 1024
    assert "150 affected items: see the attached full report" in BeautifulSoup(html, "html.parser").get_text(" ")
    attachments = list(msg.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["History-full-report.html"]
    full = attachments[0].get_content()
    assert "Post 149 has a problem" in (full.decode() if isinstance(full, bytes) else full)
    text = msg.get_body(("plain",)).get_content()
    assert "see the attached full report" in text


def test_header_text_strips_every_line_break():
    assert header_text("a\r\nb\nc\rd\x00e\u2028f\x85g") == "a b c d e f g"
    assert len(header_text("x" * 500)) == 140


def _finding(account: Account, fid: str, check: str, clause: str, reason: str, **kw: object) -> Finding:
    values: dict[str, object] = {
        "id": fid,
        "account": account.handle,
        "platform": account.platform,
        "department": account.department,
        "check": check,
        "clause": clause,
        "status": Status.FAIL,
        "severity": Severity.HIGH,
        "reason": reason,
        "evidence": Evidence(url=f"https://x.com/i/status/{fid}", post_id=fid),
        "change": Change.NEW,
        "first_seen": NOW,
    }
    values.update(kw)
    return Finding(**values)  # type: ignore[arg-type]


NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)


def _result(config: config_mod.Config, findings: list[Finding]) -> RunResult:
    outcomes = [AccountOutcome(a, "ok") for a in config.accounts]
    if not findings:
        first = config.accounts[0]
        findings = [_finding(first, "f1", "registry.notified", "SMP-2.2", "Not notified.")]
    return RunResult("20261124T020000Z-test", NOW, NOW, outcomes, findings, all_checks())
