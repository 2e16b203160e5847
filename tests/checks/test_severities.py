"""`auditor checks` lists what a check gives: every severity a check's results carry over the evaluation texts (posts
and comments, with and without a photo, against the evaluation roster) is one its metadata declares."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging

import pytest

from auditor.checks import all_checks
from auditor.model import Comment, Media, Post, Profile, Result, Severity, Status
from auditor.services import Services
from auditor.text.names import Roster
from tests.conftest import REPO, context

EVAL = REPO / "tests" / "data" / "eval"
TEXT_CHECKS = (
    "content.professional",
    "comments.inappropriate",
    "safeguarding.personal_info",
    "safeguarding.pupil_named",
)


def texts() -> list[str]:
    found = []
    for path in sorted(EVAL.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.append(json.loads(line)["text"])
    return found


def test_every_severity_a_text_check_gives_is_declared(school_config):
    roster = Roster.load(EVAL / "safeguarding.roster.csv")
    now = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    photo = (Media("m1", "photo"),)
    posts = [
        Post(
            f"p{n}",
            text,
            now,
            f"https://x.com/HistoryIHS/status/{n}",
            media=photo if n % 2 else (),
            comments=(Comment(f"c{n}", text, "@someone", now),),
        )
        for n, text in enumerate(texts())
    ]
    assert len(posts) > 100
    ctx = dataclasses.replace(
        context(school_config, Profile("HistoryIHS", bio=""), posts, platform="facebook"),
        services=Services(roster=roster),
    )
    checks = all_checks()
    given: dict[str, set[Severity]] = {}
    for check_id in TEXT_CHECKS:
        check = checks[check_id]
        results = check.func(ctx)  # the function itself: the severities as it gives them, before any guard
        given[check_id] = {r.severity or check.severity for r in results if r.status is Status.FAIL}
        assert given[check_id] <= set(check.severities), (check_id, given[check_id], check.severities)
    # The evaluation texts do reach the range: a threat is critical, personal information high, what only the trained
    # model flags medium.
    assert {Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM} <= given["comments.inappropriate"]


def test_an_undeclared_severity_is_logged_and_the_finding_kept(school_config, caplog):
    naming = all_checks()["naming.ihs_in_username"]
    odd = dataclasses.replace(naming, func=lambda ctx: [Result(Status.FAIL, "x", severity=Severity.CRITICAL)])
    with caplog.at_level(logging.WARNING):
        [result] = odd.run(context(school_config))
    # A problem found is never lost over metadata: it stays a FAIL, and the mismatch is reported for a developer.
    assert result.status is Status.FAIL and result.severity is Severity.CRITICAL
    assert "does not declare" in caplog.text and "naming.ihs_in_username" in caplog.text


@pytest.mark.parametrize("check_id", sorted(all_checks()))
def test_the_default_severity_is_among_those_declared(check_id):
    check = all_checks()[check_id]
    assert check.severity in check.severities
    assert list(check.severities) == sorted(check.severities, key=lambda s: s.rank)
