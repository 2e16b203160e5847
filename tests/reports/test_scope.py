"""A partial run says so everywhere and never reads as "all clear" for what it did not check (issue 11, DESIGN.md
`run.scope`): the banner on every page, the email subject, findings.json, `auditor history`, no trend point, no school
summary email, and `auditor status` judging freshness by complete full audits only."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

import auditor.runner as runner
from auditor.cli import main
from auditor.model import AccountData, Comment, Post, Profile
from auditor.store import Store
from tests.reports.conftest import Inbox

BANNER = "Partial run, not a full audit"
PARTIAL_RUNS = {
    "checks": ("--all", "--checks", "naming.ihs_in_username"),
    "account": ("--account", "@ScienceIHS"),
    "department": ("--department", "Science"),
    "since": ("--all", "--since", "2026-01-01"),
}


def with_email(config: Path, port: int) -> Path:
    with config.open("a", encoding="utf-8") as fh:
        fh.write(
            f'\n[email]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
            'sender = "Social Media Auditor <auditor@islwynhigh.co.uk>"\nslt = ["slt.summary@islwynhigh.co.uk"]\n'
            "retries = 0\nretry_delay = 0\n"
        )
    return config


def run(config: Path, out: Path, *args: str) -> int:
    return main(["run", "--config", str(config), "--out", str(out), "--offline", *args])


def pages(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}


def school_summaries(inbox: Inbox) -> list[str]:
    return [str(r.message["Subject"]) for r in inbox.received if "school summary" in str(r.message["Subject"])]


@pytest.mark.parametrize("kind", sorted(PARTIAL_RUNS))
def test_a_partial_run_says_so_everywhere(kind, sample, tmp_path, inbox, capsys):
    config = with_email(sample, inbox.port)
    out = tmp_path / "partial"
    assert run(config, out, *PARTIAL_RUNS[kind]) in (0, 1)
    stdout = capsys.readouterr().out
    assert "Partial run, not a full audit: only" in stdout

    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert doc["run"]["scope"] == "partial" and doc["run"]["scope_note"].startswith("only ")
    written = pages(out)
    assert written and all(BANNER in html for html in written.values()), "every page carries the banner"
    assert "No problems found" not in written["index.html"]
    if kind in ("checks", "since"):
        # Not every check ran on the accounts: none of them may read as all clear.
        assert not any("All clear" in html for html in written.values())
    else:
        # Every check ran on the accounts it covered, but the summary speaks only of those, out of all registered.
        assert "only 1 of the 8 registered accounts was audited" in written["index.html"]
        assert len(doc["accounts"]) == 1

    # Emails: department reports say PARTIAL in the subject; no school summary is sent for part of the school.
    assert school_summaries(inbox) == []
    # (The sample's safeguarding findings also raise urgent alerts: an alert is about one finding, never partial.)
    reports = [r for r in inbox.received if not str(r.message["Subject"]).strip().startswith("URGENT:")]
    subjects = [str(r.message["Subject"]) for r in reports]
    assert subjects and all("PARTIAL social media audit" in s for s in subjects)
    assert all(BANNER.upper() in r.message.get_body(("plain",)).get_content().upper() for r in reports)

    # History and trend: recorded as partial, never a point on the chart.
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        [summary] = store.runs()
        assert (summary.scope, summary.announced) == ("partial", True)
        assert store.open_by_department() == []
        assert store.last_full_audit() is None
    finally:
        store.close()
    assert main(["history", "--config", str(config)]) == 0
    listing = capsys.readouterr().out
    assert "partial" in listing.splitlines()[1] and f"{summary.id}: partial: only" in listing


def test_status_judges_freshness_by_full_audits_only(sample, tmp_path, capsys):
    assert run(sample, tmp_path / "full", "--all") == 1
    assert main(["status", "--config", str(sample)]) == 0
    # The nightly job stops: its last full audit is now 30 hours old ...
    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        old = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=30)).isoformat()
        db.execute("UPDATE runs SET started_at = ?", (old,))
    # ... while someone keeps running one account, some checks or comment sweeps by hand: still stale.
    for args in PARTIAL_RUNS.values():
        assert run(sample, tmp_path / "p", *args) in (0, 1)
    assert run(sample, tmp_path / "sweep", "--all", "--comments-only") in (0, 1)
    capsys.readouterr()
    assert main(["status", "--config", str(sample)]) == 1
    assert "STALE: last complete audit" in capsys.readouterr().out


def test_trend_has_a_point_per_full_audit_only(sample, tmp_path):
    assert run(sample, tmp_path / "a", "--all") == 1
    assert run(sample, tmp_path / "b", "--all", "--checks", "naming.ihs_in_username") in (0, 1)
    assert run(sample, tmp_path / "c", "--all") == 1
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        points = store.open_by_department()
    finally:
        store.close()
    assert len(points) == 2
    # The partial run's lower count (one check's findings) never appears as a dip.
    assert points[0][2] == points[1][2]


def test_a_comment_sweep_writes_a_report_only_of_what_it_found(sample, tmp_path, inbox, monkeypatch, capsys):
    config = with_email(sample, inbox.port)
    assert run(config, tmp_path / "full", "--all") == 1
    first = len(inbox.received)
    now = dt.datetime.now(dt.UTC)

    # Nothing found: no folder, no email, and the last full audit's pages are left as they are.
    assert run(config, tmp_path / "quiet", "--all", "--comments-only") == 0
    assert not (tmp_path / "quiet").exists()
    assert len(inbox.received) == first

    # An abusive reply on one account: a report of that account alone, an alert, and still no school summary.
    class Connector:
        def fetch(self, account, ctx):
            comments = ()
            if account.handle == "@MusicIHS":
                comments = (Comment("c9", "you are all idiots and I know where you live", "@troll", now),)
            return AccountData(
                Profile(account.handle.lstrip("@")), [Post("p1", "Concert tonight", now, None, (), (), comments)]
            )

    monkeypatch.setattr(runner, "get_connector", lambda platform: Connector())
    capsys.readouterr()
    assert run(config, tmp_path / "found", "--all", "--comments-only") == 1
    written = pages(tmp_path / "found")
    assert set(written) == {"index.html", "accounts/MusicIHS.html", "departments/Music.html"}
    assert all(BANNER in html and "comment sweep" in html for html in written.values())
    assert not any("All clear" in html or "No problems found" in html for html in written.values())
    doc = json.loads((tmp_path / "found" / "findings.json").read_text(encoding="utf-8"))
    assert [a["handle"] for a in doc["accounts"]] == ["@MusicIHS"]
    assert {f["check"] for f in doc["findings"]} == {"comments.inappropriate"}
    new = [str(r.message["Subject"]).strip() for r in inbox.received[first:]]
    assert new and all(s.startswith("URGENT:") for s in new)
    assert school_summaries(inbox)[-1:] != [] and len(school_summaries(inbox)) == 1  # only the full audit's
