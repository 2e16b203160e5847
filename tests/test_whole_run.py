"""Every run is whole: what an account's data provokes stays with that account, and one problem met twice in a run
is one finding, never a crash of the whole run (issue 11).

The connector is replaced by one that returns the data a platform sent (a reply shown under two posts of a thread,
one address written two ways), and the real command line runs the audit, stores it and writes the reports.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

import auditor.checks as checks_mod
import auditor.runner as runner
from auditor.cli import main
from auditor.connectors import FetchContext
from auditor.model import Account, AccountData, Comment, Link, Post, Profile
from auditor.store import Store
from tests.conftest import write_config

NOW = dt.datetime.now(dt.UTC)
PROFILE = Profile(
    "HistoryIHS",
    bio="History at Islwyn High. ICT Acceptable Use Policy: https://www.islwynhigh.co.uk/ict-acceptable-use-policy",
)


def school(tmp_path: Path) -> Path:
    body = ""
    for handle, dept in (("@HistoryIHS", "History"), ("@MusicIHS", "Music")):
        body += f"""
        [[accounts]]
        handle = "{handle}"
        platform = "x-archive"
        department = "{dept}"
        owner = "teacher@islwynhigh.co.uk"
        notified = 2024-09-02
        credentials_shared = true
        source = "unused"
        """
    return write_config(tmp_path, body)


def serve(monkeypatch: pytest.MonkeyPatch, data_for: Callable[[Account, FetchContext], AccountData]) -> None:
    class Connector:
        def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
            return data_for(account, ctx)

    monkeypatch.setattr(runner, "get_connector", lambda platform: Connector())


def run(cfg: Path, out: Path, *more: str) -> int:
    return main(["run", "--config", str(cfg), "--out", str(out), "--offline", *(more or ("--all",))])


def findings(out: Path) -> list[dict]:
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def thread_with_stranger(text: str) -> list[Post]:
    """The school's two-post thread; a stranger's reply to the second post, which the platform shows under both."""
    reply = Comment("stranger-1", text, author="@stranger", created_at=NOW - dt.timedelta(hours=1))
    first = Post("p1", "Our trip to Big Pit, a thread", NOW - dt.timedelta(hours=3), comments=(reply,))
    second = Post("p2", "Part two: the museum", NOW - dt.timedelta(hours=2), in_reply_to="p1", comments=(reply,))
    return [first, second]


@pytest.mark.parametrize("sweep", [False, True], ids=["full audit", "comment sweep"])
def test_a_strangers_reply_shown_under_two_posts_is_one_finding(tmp_path, monkeypatch, sweep):
    cfg = school(tmp_path)
    posts = thread_with_stranger("you are all idiots and I know where you live")
    serve(monkeypatch, lambda account, ctx: AccountData(PROFILE, list(posts)))
    more = ("--all", "--comments-only") if sweep else ()
    assert run(cfg, tmp_path / "r", *more) == 1  # audited, the abuse found: not exit 4
    [abuse] = [
        f
        for f in findings(tmp_path / "r")
        if f["check"] == "comments.inappropriate" and f["status"] == "FAIL" and f["account"] == "@HistoryIHS"
    ]
    # Both places it was shown are kept on the one finding.
    places = {abuse["evidence"]["post_id"], *(e["post_id"] for e in abuse["evidence"].get("also", []))}
    assert places == {"p1", "p2"}
    db = tmp_path / "auditor.sqlite3"
    assert rows(db, "SELECT status FROM runs") == [("complete",)]
    # Each account has exactly one FAIL for the reply: the same id is never stored twice in a run.
    per_account = rows(
        db,
        "SELECT account_key, COUNT(*), COUNT(DISTINCT id) FROM findings "
        "WHERE check_id = 'comments.inappropriate' AND status = 'FAIL' GROUP BY account_key",
    )
    assert len(per_account) == 2 and all(total == distinct == 1 for _, total, distinct in per_account)
    # And it keeps working night after night: the second run sees the same problem, persisting.
    assert run(cfg, tmp_path / "r2", *more) == 1
    [again] = [f for f in findings(tmp_path / "r2") if f["id"] == abuse["id"]]
    assert again["change"] == "persisting"


@pytest.mark.parametrize(
    ("where", "spellings"),
    [
        ("post", ("http://10.9.8.7/a", "http://0x0a090807/a")),
        ("post", ("http://93.184.215.14/page", "http://93.184.215.14/page#section")),
        ("reply", ("http://10.9.8.7/a", "http://0x0a090807/a")),
    ],
)
def test_one_address_written_two_ways_is_one_finding(tmp_path, monkeypatch, where, spellings):
    cfg = school(tmp_path)
    text = f"Worksheet: {spellings[0]} (mirror {spellings[1]})"
    if where == "post":
        posts = [Post("p1", text, NOW, links=(Link(spellings[0]),))]
    else:
        posts = [Post("p1", "Homework", NOW, comments=(Comment("c1", text, author="@stranger"),))]
    serve(monkeypatch, lambda account, ctx: AccountData(PROFILE, list(posts)))
    assert run(cfg, tmp_path / "r") == 1
    links = [f for f in findings(tmp_path / "r") if f["check"] == "links.external_safe" and f["status"] == "FAIL"]
    assert len(links) == 2  # one per account, each for the one address
    assert len({f["id"] for f in links}) == 2
    assert all(f["evidence"]["post_id"] == "p1" for f in links)
    accounts = rows(tmp_path / "auditor.sqlite3", "SELECT handle, status FROM account_runs ORDER BY handle")
    assert accounts == [("@HistoryIHS", "ok"), ("@MusicIHS", "ok")]


def test_a_check_that_fails_on_one_accounts_data_makes_that_account_error_and_the_run_goes_on(
    tmp_path, monkeypatch, capsys
):
    cfg = school(tmp_path)
    serve(monkeypatch, lambda account, ctx: AccountData(PROFILE, [Post("p1", "Hello", NOW)]))
    check = checks_mod.all_checks()["content.professional"]

    def fragile(ctx):  # a bug met only on the Music account's data
        if ctx.account.handle == "@MusicIHS":
            raise KeyError("surprise")
        return check.func(ctx)

    monkeypatch.setitem(checks_mod._REGISTRY, check.id, dataclasses.replace(check, func=fragile))
    assert run(cfg, tmp_path / "r") == 3  # an account could not be (wholly) audited: not exit 4
    out = capsys.readouterr().out
    assert "@MusicIHS: could not be audited: the check content.professional failed on its data (KeyError)" in out
    doc = json.loads((tmp_path / "r" / "findings.json").read_text(encoding="utf-8"))
    states = {a["handle"]: (a["status"], a["error"]) for a in doc["accounts"]}
    assert states["@HistoryIHS"] == ("ok", None)
    assert states["@MusicIHS"][0] == "error"
    music = [f for f in doc["findings"] if f["account"] == "@MusicIHS" and f["check"] == "content.professional"]
    assert [f["status"] for f in music] == ["ERROR"]  # never a pass for the check that failed
    # The other checks still judged the Music account.
    assert any(f["account"] == "@MusicIHS" and f["check"] == "naming.ihs_in_username" for f in doc["findings"])
    assert rows(tmp_path / "auditor.sqlite3", "SELECT status FROM runs") == [("partial",)]


def test_text_the_database_cannot_hold_is_stored_all_the_same(tmp_path, monkeypatch):
    """JSON from a platform may carry a lone surrogate; it must not stop the run from being stored."""
    cfg = school(tmp_path)
    broken = json.loads('"you are all idiots \\ud83d and more"')
    posts = [Post("p1", "Hello", NOW, comments=(Comment("c1", broken, author="@x\ud800"),))]
    serve(monkeypatch, lambda account, ctx: AccountData(PROFILE, list(posts)))
    assert run(cfg, tmp_path / "r") == 1
    abuse = [f for f in findings(tmp_path / "r") if f["check"] == "comments.inappropriate" and f["status"] == "FAIL"]
    assert len(abuse) == 2  # one per account, both stored
    assert all("\ufffd" in f["evidence"]["excerpt"] for f in abuse)
    assert rows(tmp_path / "auditor.sqlite3", "SELECT status FROM runs") == [("complete",)]


def test_a_store_refusing_one_accounts_results_keeps_the_rest(tmp_path, monkeypatch, capsys):
    cfg = school(tmp_path)
    serve(monkeypatch, lambda account, ctx: AccountData(PROFILE, [Post("p1", "Hello", NOW)]))
    original = Store._write_account

    def refusing(self, run_id, account_run, found, state):
        if account_run.handle == "@MusicIHS" and account_run.status == "ok":
            raise sqlite3.IntegrityError("UNIQUE constraint failed: findings.run_id, findings.id")
        return original(self, run_id, account_run, found, state)

    monkeypatch.setattr(Store, "_write_account", refusing)
    assert run(cfg, tmp_path / "r") == 3
    assert (
        "@MusicIHS: could not be audited: its results could not be stored (IntegrityError)" in capsys.readouterr().out
    )
    db = tmp_path / "auditor.sqlite3"
    assert rows(db, "SELECT handle, status FROM account_runs ORDER BY handle") == [
        ("@HistoryIHS", "ok"),
        ("@MusicIHS", "error"),
    ]
    assert rows(db, "SELECT COUNT(*) FROM findings WHERE account = '@MusicIHS'") == [(0,)]
    assert rows(db, "SELECT COUNT(*) FROM findings WHERE account = '@HistoryIHS'")[0][0] > 0
    assert rows(db, "SELECT status FROM runs") == [("partial",)]
