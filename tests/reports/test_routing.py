"""Routing that matches the policy: a head hears of everything open, to confirm or not verified in their department
(at once when something changed, else a reminder every `remind_every_days`), owners can be copied, and a department
with nothing in it is not emailed. Real runs, real mail to an SMTP server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from auditor import config as config_mod
from auditor.cli import main
from auditor.model import Status
from auditor.reports.render import build_views
from auditor.reports.send import send_run
from auditor.runner import run_audit
from auditor.store import Store
from tests.conftest import write_archive, write_config
from tests.reports.test_email import _finding, _result

AUP = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"
SLT = "slt@islwynhigh.co.uk"
HISTORY = "head.history@islwynhigh.co.uk"
MUSIC = "head.music@islwynhigh.co.uk"


def two_departments(tmp_path: Path, port: int, extra: str = "", music_owner: str = "music@islwynhigh.co.uk") -> Path:
    """History has a problem to fix (no IHS in the username); Music has only things to confirm and not verified (an
    X archive holds no replies; no roster is configured): the first-run case that used to reach nobody."""
    write_archive(tmp_path / "hist", "hist_dept", bio=f"History. AUP: {AUP}")
    write_archive(tmp_path / "music", "MusicIHS", bio=f"Music. AUP: {AUP}")
    return write_config(
        tmp_path,
        f"""
        [[accounts]]
        handle = "@hist_dept"
        platform = "x-archive"
        department = "History"
        owner = "teacher.history@islwynhigh.co.uk"
        notified = 2024-09-02
        credentials_shared = true
        source = "hist"

        [[accounts]]
        handle = "@MusicIHS"
        platform = "x-archive"
        department = "Music"
        owner = "{music_owner}"
        notified = 2024-09-02
        credentials_shared = true
        source = "music"

        [departments.History]
        head_email = "{HISTORY}"

        [departments.Music]
        head_email = "{MUSIC}"

        [email]
        host = "127.0.0.1"
        port = {port}
        starttls = false
        sender = "Social Media Auditor <auditor@islwynhigh.co.uk>"
        slt = ["{SLT}"]
        retries = 0
        retry_delay = 0
        {extra}
        """,
    )


def cli_run(cfg: Path, out: Path) -> int:
    return main(["run", "--all", "--config", str(cfg), "--out", str(out), "--offline"])


def run_at(cfg: Path, now: dt.datetime) -> list[str]:
    """A whole audit as `auditor run` does it, with the clock at `now`; the kinds of email it sent."""
    config = config_mod.load(cfg)
    store = Store(config.output.store)
    try:
        result = run_audit(config, list(config.accounts), store, offline=True, now=now)
        views = build_views(result, config, store.open_by_department())
        delivered = send_run(result, views, config, store, sleep=lambda s: None, environ={}, now=now)
    finally:
        store.close()
    return [d.kind for d in delivered if d.status == "sent"]


def skipped_reasons(cfg: Path) -> dict[str, str]:
    store = Store(config_mod.load(cfg).output.store)
    try:
        latest = store.runs(limit=1)[0].id
        return {kind: error or "" for kind, _, _, status, _, error in store.deliveries(latest) if status == "skipped"}
    finally:
        store.close()


def test_first_run_emails_every_head_with_anything_open_or_to_confirm_then_a_weekly_reminder(tmp_path, inbox):
    cfg = two_departments(tmp_path, inbox.port)
    assert cli_run(cfg, tmp_path / "r1") == 1
    history, music = inbox.to(HISTORY), inbox.to(MUSIC)
    assert len(history) == len(music) == len(inbox.to(SLT)) == 1
    # Nothing to fix in Music, and nothing new: it still hears of what it must confirm and what was not verified.
    subject = str(music[0].message["Subject"]).strip()
    assert subject == "Islwyn High School social media audit: Music: 2 to confirm, 1 not verified"
    text = music[0].message.get_body(("plain",)).get_content()
    assert "@MusicIHS" in text
    assert str(history[0].message["Subject"]).strip().endswith("History: 1 to fix, 1 new, 2 to confirm, 1 not verified")

    # The same day, nothing changed: nothing is sent, and the reason says when the reminder is due.
    first = len(inbox.received)
    assert cli_run(cfg, tmp_path / "r2") == 1
    assert len(inbox.received) == first
    reasons = skipped_reasons(cfg)
    assert set(reasons) == {"department:History", "department:Music", "school"}
    assert all("next reminder is due from" in why for why in reasons.values())

    # Eight days on, still nothing changed: each head and SLT get the reminder, once.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=8)
    assert sorted(run_at(cfg, later)) == ["department:History", "department:Music", "school"]
    assert len(inbox.to(HISTORY)) == len(inbox.to(MUSIC)) == len(inbox.to(SLT)) == 2
    reminder = str(inbox.to(MUSIC)[-1].message["Subject"]).strip()
    assert reminder.endswith("Music: 2 to confirm, 1 not verified (reminder: nothing changed)")
    assert run_at(cfg, later + dt.timedelta(hours=1)) == []
    # A week after the reminder, the next.
    assert len(run_at(cfg, later + dt.timedelta(days=7))) == 3


def test_a_change_is_sent_at_once_and_only_to_the_department_it_is_in(tmp_path, inbox):
    cfg = two_departments(tmp_path, inbox.port)
    assert cli_run(cfg, tmp_path / "r1") == 1
    before = {address: len(inbox.to(address)) for address in (HISTORY, MUSIC, SLT)}
    # Music's bio loses its link to the acceptable use policy: a new problem, the next day.
    write_archive(tmp_path / "music", "MusicIHS", bio="Music at Islwyn High")
    sent = run_at(cfg, dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    assert sorted(sent) == ["department:Music", "school"]
    assert len(inbox.to(MUSIC)) == before[MUSIC] + 1 and len(inbox.to(HISTORY)) == before[HISTORY]
    assert "1 new" in str(inbox.to(MUSIC)[-1].message["Subject"])


def test_the_reminder_interval_is_configurable(tmp_path, inbox):
    cfg = two_departments(tmp_path, inbox.port, "remind_every_days = 2")
    now = dt.datetime.now(dt.UTC)
    assert len(run_at(cfg, now)) == 3
    assert run_at(cfg, now + dt.timedelta(days=1, hours=23)) == []
    assert len(run_at(cfg, now + dt.timedelta(days=2, minutes=1))) == 3


def test_a_department_with_nothing_at_all_is_not_emailed_unless_asked(tmp_path, inbox):
    cfg = two_departments(tmp_path, inbox.port)
    config = config_mod.load(cfg)
    history = next(a for a in config.accounts if a.department == "History")
    clean = [_finding(history, "ok1", "naming.ihs_in_username", "SMP-2.1", "Fine.", status=Status.PASS)]
    store = Store(config.output.store)
    try:
        result = _result(config, clean)
        sent = send_run(result, build_views(result, config), config, store, sleep=lambda s: None, environ={})
        reasons = {d.kind: d.error for d in sent if d.status == "skipped"}
    finally:
        store.close()
    assert inbox.to(HISTORY) == []
    assert reasons["department:History"] == (
        "nothing changed since the last audit, and nothing is open, to confirm or not verified"
    )

    forced = two_departments(tmp_path / "f", inbox.port, "send_when_unchanged = true")
    config = config_mod.load(forced)
    store = Store(config.output.store)
    try:
        result = _result(config, clean)
        send_run(result, build_views(result, config), config, store, sleep=lambda s: None, environ={})
    finally:
        store.close()
    assert len(inbox.to(HISTORY)) == 1
    assert str(inbox.to(HISTORY)[0].message["Subject"]).endswith("History: nothing to fix")


def test_owners_at_the_school_domain_are_copied_on_their_department_report(tmp_path, inbox):
    cfg = two_departments(tmp_path, inbox.port, "copy_owners = true", music_owner="someone@gmail.com")
    config = config_mod.load(cfg)
    # The Music owner's address is personal: the report is not copied there, and the config says so.
    assert any("someone@gmail.com is not on islwynhigh.co.uk, so it is not copied" in w for w in config.warnings)
    assert cli_run(cfg, tmp_path / "r1") == 1
    [history] = inbox.to(HISTORY)
    assert sorted(history.rcpt_tos) == sorted([HISTORY, "teacher.history@islwynhigh.co.uk"])
    assert history.message["To"] == HISTORY and history.message["Cc"] == "teacher.history@islwynhigh.co.uk"
    [music] = inbox.to(MUSIC)
    assert music.rcpt_tos == [MUSIC] and music.message["Cc"] is None
    assert all("someone@gmail.com" not in r.rcpt_tos for r in inbox.received)
    # The owner is never copied on another department's report, nor on the school summary.
    assert [r for r in inbox.to("teacher.history@islwynhigh.co.uk")] == [history]


def test_a_partial_run_sends_a_first_report_but_no_reminder(tmp_path, inbox):
    cfg = two_departments(tmp_path, inbox.port)
    music = ["run", "--department", "Music", "--config", str(cfg), "--offline"]
    assert main([*music, "--out", str(tmp_path / "r1")]) == 0
    # Never told before: Music's head gets its first report (marked partial), with only things to confirm.
    [first] = inbox.to(MUSIC)
    assert "PARTIAL social media audit: Music: 2 to confirm, 1 not verified" in str(first.message["Subject"])
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=8)
    config = config_mod.load(cfg)
    store = Store(config.output.store)
    try:
        accounts = [a for a in config.accounts if a.department == "Music"]
        result = run_audit(config, accounts, store, offline=True, now=later)
        sent = send_run(result, build_views(result, config), config, store, sleep=lambda s: None, environ={}, now=later)
    finally:
        store.close()
    # A week on, a partial run is no reminder: it speaks for part of the school only.
    assert [d.error for d in sent if d.kind == "department:Music"] == [
        "nothing changed since the last audit; reminders come from full audits only"
    ]
    assert len(inbox.to(MUSIC)) == 1
