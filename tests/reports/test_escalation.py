"""Escalation to SLT: a critical or high problem still open `[email] escalate_after_days` after it was first seen is
sent to senior leaders once, through the outbox like every message."""

from __future__ import annotations

import dataclasses
import datetime as dt

from auditor import config as config_mod
from auditor.model import Change, Severity, Status
from auditor.reports.render import build_views
from auditor.reports.send import send_run
from auditor.store import Store
from tests.reports.test_email import SLT, _finding, _result, parts, school

T0 = dt.datetime.now(dt.UTC).replace(microsecond=0)


def escalations(inbox):  # type: ignore[no-untyped-def]
    return [r for r in inbox.to(SLT) if "still open after" in str(r.message["Subject"])]


def test_a_serious_problem_open_past_the_limit_is_escalated_to_slt_once(tmp_path, inbox):
    config = config_mod.load(school(tmp_path, inbox.port))
    history = next(a for a in config.accounts if a.department == "History")
    science = next(a for a in config.accounts if a.department == "Science")
    serious = _finding(
        history,
        "open1",
        "registry.credentials_shared",
        "SMP-2.2",
        "The login has not been shared with the monitoring lead.",
        severity=Severity.HIGH,
        change=Change.PERSISTING,
        first_seen=T0,
    )
    minor = _finding(science, "open2", "naming.ihs_in_username", "SMP-2.1", "No IHS.", severity=Severity.MEDIUM)
    minor = dataclasses.replace(minor, change=Change.PERSISTING, first_seen=T0)
    waived = dataclasses.replace(serious, id="open3", status=Status.WAIVED)
    findings = [serious, minor, waived]
    store = Store(tmp_path / "auditor.sqlite3")

    def at(days: float) -> None:
        result = _result(config, [dataclasses.replace(f) for f in findings])
        now = T0 + dt.timedelta(days=days)
        send_run(result, build_views(result, config), config, store, sleep=lambda s: None, environ={}, now=now)

    try:
        at(13.9)
        assert escalations(inbox) == []
        at(14)
        assert len(escalations(inbox)) == 1
        at(15)
        at(40)
        assert len(escalations(inbox)) == 1, "each problem is escalated once"
    finally:
        store.close()
    [got] = escalations(inbox)
    assert got.rcpt_tos == [SLT]
    assert str(got.message["Subject"]).strip() == (
        "Islwyn High School social media audit: 1 serious problem still open after 14 days"
    )
    text, html = parts(got.message)
    for body in (text, html):
        assert "The login has not been shared with the monitoring lead." in body and "@HistoryIHS" in body
        assert "Open for 14 days" in body
        assert "No IHS." not in body  # medium: not escalated
        # Each problem is named by what is wrong (its failure title), never by the requirement, which reads as met.
        assert "The login has not been shared with the monitoring lead</" in html or "lead (SMP-2.2" in body
        assert "The login is shared with the monitoring lead" not in body
    assert "<script" not in html


def test_escalation_waits_in_the_outbox_when_the_mail_server_is_down(tmp_path, closed_port, inbox):
    config = config_mod.load(school(tmp_path, closed_port, "escalate_after_days = 3"))
    history = next(a for a in config.accounts if a.department == "History")
    f = _finding(
        history,
        "crit1",
        "links.external_safe",
        "SMP-2.5",
        "A link leads to a phishing site.",
        severity=Severity.CRITICAL,
        change=Change.PERSISTING,
        first_seen=T0,
    )
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        result = _result(config, [f])
        now = T0 + dt.timedelta(days=3)
        send_run(result, build_views(result, config), config, store, sleep=lambda s: None, environ={}, now=now)
        assert "escalation" in {q.kind for q in store.queued_email()}
        assert store.escalation_sent("crit1")
        working = config_mod.load(school(tmp_path / "ok", inbox.port, "escalate_after_days = 3"))
        result = _result(working, [f])
        now = T0 + dt.timedelta(days=4)
        send_run(result, build_views(result, working), working, store, sleep=lambda s: None, environ={}, now=now)
    finally:
        store.close()
    assert len(escalations(inbox)) == 1
    assert "3 days" in str(escalations(inbox)[0].message["Subject"])
