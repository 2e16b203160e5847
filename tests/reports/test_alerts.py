"""Urgent alerts: once per finding, to SLT and the department's head, with the permalink and the steps."""

from __future__ import annotations

import dataclasses

from auditor import config as config_mod
from auditor.model import Change, Evidence, Severity, Status
from auditor.store import Store
from reports.alerts import is_urgent
from reports.render import build_views
from reports.send import send_run
from tests.reports.test_email import SLT, _finding, _result, school

PERMALINK = "https://x.com/HistoryIHS/status/123"


def _send(config, store, findings):  # type: ignore[no-untyped-def]
    result = _result(config, findings)
    views = build_views(result, config)
    return send_run(result, views, config, store, sleep=lambda s: None, environ={}, alerts_only=True)


def test_critical_comment_alerts_slt_and_head_once(tmp_path, inbox):
    config = config_mod.load(school(tmp_path, inbox.port))
    history = next(a for a in config.accounts if a.department == "History")
    abuse = _finding(
        history,
        "c0ffee",
        "comments.inappropriate",
        "SMP-2.6",
        "A comment on the post calls a pupil a slur.",
        severity=Severity.CRITICAL,
        evidence=Evidence(url=PERMALINK, post_id="123", excerpt="you are a ***"),
    )
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        first = _send(config, store, [abuse])
        again = _send(config, store, [dataclasses.replace(abuse, change=Change.PERSISTING)])
    finally:
        store.close()
    assert [d.status for d in first] == ["sent"] and again == []  # never repeated on later runs
    assert len(inbox.received) == 1
    got = inbox.received[0]
    assert sorted(got.rcpt_tos) == sorted([SLT, "head.history@islwynhigh.co.uk"])
    assert got.message["Subject"].startswith("URGENT:")
    text = got.message.get_body(("plain",)).get_content()
    html = got.message.get_body(("html",)).get_content()
    for body in (text, html):
        assert PERMALINK in body and "you are a ***" in body
        assert "Hide reply" in body and "Report" in body and "Designated Safeguarding Lead" in body
    assert "<script" not in html


def test_hostile_account_name_in_an_alert_stays_on_one_header_line(tmp_path, inbox):
    config = config_mod.load(school(tmp_path, inbox.port))
    art = next(a for a in config.accounts if a.handle == "@ArtIHS")
    evil = dataclasses.replace(art, handle="@evil\r\nBcc: spy@evil.example")
    f = _finding(
        evil, "bad1", "safeguarding.child_photo_consent", "SMP-2.4", "A child's face.", severity=Severity.CRITICAL
    )
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        _send(config, store, [f])
    finally:
        store.close()
    assert len(inbox.received) == 1
    msg = inbox.received[0].message
    assert "spy@evil.example" not in inbox.received[0].rcpt_tos
    assert msg["Bcc"] is None and "\n" not in msg["Subject"]
    assert "@evil Bcc: spy@evil.example" in msg["Subject"]


def test_only_critical_failing_comment_and_safeguarding_findings_are_urgent(tmp_path, inbox):
    config = config_mod.load(school(tmp_path, inbox.port))
    a = config.accounts[0]
    crit = Severity.CRITICAL
    assert is_urgent(_finding(a, "1", "comments.inappropriate", "SMP-2.6", "r", severity=crit))
    assert is_urgent(_finding(a, "2", "safeguarding.pupil_named", "SMP-2.4", "r", severity=crit))
    assert not is_urgent(_finding(a, "3", "safeguarding.pupil_named", "SMP-2.4", "r", severity=Severity.HIGH))
    assert not is_urgent(_finding(a, "4", "links.external_safe", "SMP-2.5", "r", severity=crit))
    assert not is_urgent(
        _finding(a, "5", "comments.inappropriate", "SMP-2.6", "r", severity=crit, status=Status.WAIVED)
    )


def test_failed_alert_is_tried_again_next_run(tmp_path, closed_port, inbox):
    config = config_mod.load(school(tmp_path, closed_port))
    a = config.accounts[0]
    f = _finding(a, "c1", "comments.inappropriate", "SMP-2.6", "Abuse.", severity=Severity.CRITICAL)
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        assert [d.status for d in _send(config, store, [f])] == ["failed"]
        working = config_mod.load(school(tmp_path / "ok", inbox.port))
        assert [d.status for d in _send(working, store, [f])] == ["sent"]
    finally:
        store.close()
