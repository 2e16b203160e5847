"""Urgent alerts: once per finding, to SLT, the department's head and the monitoring and safeguarding leads, with the
permalink, what was found in plain words, the offending word masked, and steps for the finding's platform only."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from auditor import config as config_mod
from auditor.model import Change, Evidence, Severity, Status
from auditor.reports.alerts import PLATFORMS, found, is_urgent, masked, steps_for
from auditor.reports.render import build_views
from auditor.reports.send import send_run
from auditor.store import Store
from tests.conftest import write_archive
from tests.reports.test_email import SLT, _finding, _result, parts, run, school

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
        "A comment by @troll contains hate or a slur.",
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
    assert got.message["Subject"].strip().startswith("URGENT: abusive language")
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


def test_safeguarding_and_abuse_failures_are_urgent_from_their_thresholds(tmp_path, inbox):
    config = config_mod.load(school(tmp_path, inbox.port))
    a = config.accounts[0]
    crit, high, medium, low = Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW
    assert is_urgent(_finding(a, "1", "comments.inappropriate", "SMP-2.6", "r", severity=crit))
    assert is_urgent(_finding(a, "1h", "comments.inappropriate", "SMP-2.6", "r", severity=high))
    # Mild swearing by a stranger is not abuse: it waits for the report.
    assert not is_urgent(_finding(a, "1m", "comments.inappropriate", "SMP-2.6", "r", severity=medium))
    # The safeguarding checks top out at high: from medium up, each is urgent.
    for check in ("safeguarding.pupil_named", "safeguarding.child_photo_consent", "safeguarding.personal_info"):
        assert is_urgent(_finding(a, "2", check, "SMP-2.4", "r", severity=high)), check
        assert is_urgent(_finding(a, "3", check, "SMP-2.4", "r", severity=medium)), check
        assert not is_urgent(_finding(a, "3l", check, "SMP-2.4", "r", severity=low)), check
        assert not is_urgent(_finding(a, "3m", check, "SMP-2.4", "r", severity=high, status=Status.MANUAL)), check
        assert not is_urgent(_finding(a, "3e", check, "SMP-2.4", "r", severity=high, status=Status.ERROR)), check
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


LEADS = 'monitoring_lead_email = "heather.davies@islwynhigh.co.uk"\nsafeguarding_lead_email = "dsl@islwynhigh.co.uk"'
DSL_ADDRESS = "dsl@islwynhigh.co.uk"


def _named_pupil_school(tmp_path: Path, port: int) -> Path:
    """A school whose History account names a pupil without consent beside a photo, with a roster and both leads."""
    (tmp_path / "roster.csv").write_text("forename,surname,photo_consent\nMegan,Price-Jones,no\n", encoding="utf-8")
    tweet = {
        "id_str": "1862000000000000001",
        "full_text": "Congratulations to Megan Price-Jones on her county medal!",
        "created_at": "Mon Nov 23 09:00:00 +0000 2026",
        "entities": {
            "urls": [],
            "media": [
                {
                    "url": "https://t.co/m",
                    "media_url_https": "https://pbs.twimg.com/media/medal.jpg",
                    "expanded_url": "https://x.com/HistoryIHS/status/1862000000000000001/photo/1",
                    "type": "photo",
                    "id_str": "77",
                }
            ],
        },
    }
    cfg = school(tmp_path, port)
    write_archive(tmp_path / "hist", "HistoryIHS", bio="History at Islwyn High", tweets=[tweet])
    text = cfg.read_text(encoding="utf-8")
    text = text.replace('monitoring_lead = "Heather Davies"', f'monitoring_lead = "Heather Davies"\n{LEADS}')
    cfg.write_text(text + '\n[safeguarding]\nroster = "roster.csv"\n', encoding="utf-8")
    return cfg


def test_a_pupil_named_beside_a_photo_alerts_the_safeguarding_lead_once_across_two_runs(tmp_path, inbox):
    cfg = _named_pupil_school(tmp_path, inbox.port)
    assert run(cfg, tmp_path / "r1") == 1
    alerts = [r for r in inbox.to(DSL_ADDRESS) if str(r.message["Subject"]).startswith("URGENT:")]
    assert len(alerts) == 1
    got = alerts[0]
    # The safeguarding lead, the monitoring lead, SLT and the department's head, in one message.
    assert sorted(got.rcpt_tos) == sorted(
        [DSL_ADDRESS, "heather.davies@islwynhigh.co.uk", SLT, "head.history@islwynhigh.co.uk"]
    )
    subject = str(got.message["Subject"]).strip()
    assert subject == "URGENT: a pupil named without consent beside a photo in a post on @HistoryIHS (History)"
    text = got.message.get_body(("plain",)).get_content()
    assert "Megan Price-Jones" in text and "https://x.com/" in text
    assert "Delete the post: ··· on the post, then Delete." in text
    assert "Facebook" not in text and "Instagram" not in text
    # Delivered first: alerts go before the reports.
    assert inbox.received.index(got) == 0

    assert run(cfg, tmp_path / "r2") == 1
    again = [r for r in inbox.to(DSL_ADDRESS) if str(r.message["Subject"]).startswith("URGENT:")]
    assert len(again) == 1, "the same finding never raises a second alert"


MASTODON_THREAT = (
    'A comment by @angryparent@mastodon.social contains a threat ("waiting for you after school") and profanity '
    '("fucking"). It was posted on 2026-11-23 at 09:00 UTC.'
)


def test_a_mastodon_comment_alert_names_the_threat_masks_the_word_and_gives_mastodon_steps(tmp_path, inbox):
    config = config_mod.load(school(tmp_path, inbox.port))
    history = next(a for a in config.accounts if a.department == "History")
    on_mastodon = dataclasses.replace(history, platform="mastodon", handle="@history@mastodon.school")
    f = _finding(
        on_mastodon,
        "m1",
        "comments.inappropriate",
        "SMP-2.6",
        MASTODON_THREAT,
        severity=Severity.CRITICAL,
        evidence=Evidence(
            url="https://mastodon.social/@angryparent/1134",
            post_id="1133",
            excerpt="I'll be waiting for you after school, you f*cking idiot",
        ),
    )
    assert found(f) == ["a threat", "abusive language"]
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        _send(config, store, [f])
    finally:
        store.close()
    [got] = inbox.received
    subject = str(got.message["Subject"]).strip()
    assert subject.startswith("URGENT: a threat and abusive language in a comment on @history@mastodon.school")
    text, html = parts(got.message)
    steps = steps_for(f)
    assert len(steps) == len(set(steps)) == 5
    for body in (text, html):
        assert "f****** idiot" in body or "f****** i****" in body
        assert "f*cking" not in body and "fucking" not in body
        assert "waiting for you after school" in body  # a threat is quoted as written: the reader must judge it
        assert "Mastodon" in body
        for other in ("Hide reply", "Facebook", "Instagram", " X:", "on X"):
            assert other not in body, other
    numbered = [line for line in text.splitlines() if line[:2] in {f"{n}." for n in range(1, 10)}]
    assert len(numbered) == 5


def test_masking_keeps_the_first_letter_of_each_offensive_word_and_leaves_other_text():
    assert masked("what a load of shit, honestly") == "what a load of s***, honestly"
    assert masked("sh1t happens") == "s*** happens"
    assert masked("Scunthorpe United won") == "Scunthorpe United won"
    assert masked("see you in the car park, you're dead") == "see you in the car park, you're dead"


def test_each_platform_has_its_own_steps_and_none_twice(tmp_path, inbox):
    config = config_mod.load(school(tmp_path, inbox.port))
    a = config.accounts[0]
    for platform in PLATFORMS:
        for check, clause in (
            ("comments.inappropriate", "SMP-2.6"),
            ("safeguarding.personal_info", "SMP-2.4"),
            ("safeguarding.child_photo_consent", "SMP-2.4"),
            ("safeguarding.pupil_named", "SMP-2.4"),
        ):
            f = _finding(dataclasses.replace(a, platform=platform), "z", check, clause, "r")
            steps = steps_for(f)
            assert len(steps) == len(set(steps)) and 3 <= len(steps) <= 6, (platform, check)
            others = {p.name for name, p in PLATFORMS.items() if p.name != PLATFORMS[platform].name}
            assert not any(name in step for step in steps for name in others if name != "X"), (platform, check)


def test_found_names_the_category_from_the_reason(tmp_path, inbox):
    config = config_mod.load(school(tmp_path, inbox.port))
    a = config.accounts[0]

    def comment(reason: str) -> list[str]:
        return found(_finding(a, "c", "comments.inappropriate", "SMP-2.6", reason))

    assert comment('A comment by @x contains a threat ("kill you").') == ["a threat"]
    assert comment(
        'A comment by @x contains hate or a slur ("x") and an insult or mockery aimed at a person ("y").'
    ) == ["abusive language"]
    assert comment("A comment by @x contains a phone number.") == ["personal information"]
    assert comment("A comment by @x contains the name of a pupil whose parents have not consented.") == [
        "a pupil's name"
    ]
    assert found(_finding(a, "p", "safeguarding.personal_info", "SMP-2.4", "r")) == ["personal information"]


def test_many_urgent_findings_on_one_account_make_one_alert_each_recorded_once(tmp_path, inbox):
    """A first audit of a whole history can find dozens of photos with faces: the leads get one alert per account
    and check listing them, not dozens of alerts."""
    config = config_mod.load(school(tmp_path, inbox.port))
    history = next(a for a in config.accounts if a.department == "History")
    science = next(a for a in config.accounts if a.department == "Science")

    def photo(account, n: int):  # type: ignore[no-untyped-def]
        return _finding(
            account,
            f"{account.department}{n}",
            "safeguarding.child_photo_consent",
            "SMP-2.4",
            f"The post's media show {n + 1} faces: confirm that written parental consent is held.",
            severity=Severity.MEDIUM,
            evidence=Evidence(url=f"https://x.com/i/status/{n}", post_id=str(n)),
        )

    findings = [photo(history, n) for n in range(35)] + [photo(science, 1)]
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        first = _send(config, store, findings)
        again = _send(config, store, findings)
        assert all(store.alert_sent(f.id) for f in findings)
    finally:
        store.close()
    assert [d.status for d in first] == ["sent", "sent"] and again == []
    subjects = sorted(str(r.message["Subject"]).strip() for r in inbox.received)
    assert subjects == [
        "URGENT: a child's photo without confirmed consent in 35 posts on @HistoryIHS (History)",
        "URGENT: a child's photo without confirmed consent in a post on @sci_dept (Science)",
    ]
    [many] = [r for r in inbox.received if "35 posts" in str(r.message["Subject"])]
    text = many.message.get_body(("plain",)).get_content()
    assert text.count("What was found:") == 30 and "And 5 more on the account's report." in text
    steps = [line for line in text.splitlines() if line[:3] in {f"{n}. " for n in range(1, 10)}]
    assert len(steps) == len(set(steps)) == 5 and "Designated Safeguarding Lead" in steps[-1]
