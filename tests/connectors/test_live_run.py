"""A whole `auditor run` over live X, Facebook and Instagram accounts (replayed with `responses`): one account fails,
the run goes on, exits 3, and the tokens appear nowhere: no log line, report, findings.json, database row, error
message or request URL."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from pathlib import Path

import responses

from auditor.cli import main
from tests.conftest import write_config

X_TOKEN = "AAAAAAAAAAAAAAAAAAAAAE2eFakeXToken9f8e7d6c5b4a"
META_TOKEN = "EAAGFakeMetaToken1a2b3c4d5e6f7a8b9c0d"
GRAPH = "https://graph.facebook.com/v26.0"
X_API = "https://api.twitter.com/2"

ACCOUNTS = """
[[accounts]]
handle = "@HistoryIHS"
platform = "x"
department = "History"
owner = "h@islwynhigh.co.uk"
notified = 2024-09-02
credentials_shared = true

[[accounts]]
handle = "@ScienceIHS"
platform = "facebook"
department = "Science"
page_id = "1234"

[[accounts]]
handle = "@musicihs"
platform = "instagram"
department = "Music"
ig_user_id = "17841400000000001"
"""


def stamp(days_ago: float, graph: bool = False) -> str:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000" if graph else "%Y-%m-%dT%H:%M:%S.000Z")


def mock_platforms() -> None:
    responses.get(
        f"{X_API}/users/by/username/HistoryIHS",
        json={"data": {"id": "42", "name": "History", "username": "HistoryIHS", "description": "History at IHS"}},
    )
    responses.get(
        f"{X_API}/users/42/tweets",
        json={
            "data": [
                {
                    "id": "1900000000000000001",
                    "text": "Homework is on the portal",
                    "edit_history_tweet_ids": ["1900000000000000001"],
                    "created_at": stamp(1),
                    "conversation_id": "1900000000000000001",
                }
            ],
            "meta": {"result_count": 1},
        },
    )
    responses.get(
        f"{X_API}/tweets/search/recent",
        json={
            "data": [
                {
                    "id": "1900000000000000002",
                    "text": "@HistoryIHS thanks",
                    "edit_history_tweet_ids": ["1900000000000000002"],
                    "created_at": stamp(0.5),
                    "conversation_id": "1900000000000000001",
                    "author_id": "7",
                }
            ],
            "includes": {"users": [{"id": "7", "name": "P", "username": "parent7"}]},
            "meta": {"result_count": 1},
        },
    )
    responses.get(
        f"{GRAPH}/1234",
        json={"id": "1234", "username": "ScienceIHS", "name": "Science", "about": "Science at IHS"},
    )
    responses.get(
        f"{GRAPH}/1234/posts",
        json={
            "data": [{"id": "1234_1", "message": "Science fair on Friday", "created_time": stamp(2, graph=True)}],
            "paging": {"cursors": {"before": "a", "after": "b"}},
        },
    )
    # The Instagram account's token has expired: that account fails, the others are audited.
    responses.get(
        f"{GRAPH}/17841400000000001",
        status=400,
        json={
            "error": {
                "message": f"Error validating access token: Session has expired. ({META_TOKEN})",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 463,
                "fbtrace_id": "Ab",
            }
        },
    )


@responses.activate
def test_live_run_with_one_failing_account_leaks_no_token(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("X_BEARER_TOKEN", X_TOKEN)
    monkeypatch.setenv("META_ACCESS_TOKEN", META_TOKEN)
    monkeypatch.delenv("META_GRAPH_VERSION", raising=False)
    caplog.set_level(logging.DEBUG)
    mock_platforms()
    config = write_config(tmp_path, ACCOUNTS)
    out = tmp_path / "out"

    code = main(["-vv", "run", "--all", "--config", str(config), "--out", str(out), "--no-email"])

    assert code == 3
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    status = {a["handle"]: (a["status"], a["error"]) for a in doc["accounts"]}
    assert status["@HistoryIHS"][0] == "ok" and status["@ScienceIHS"][0] == "ok"
    assert status["@musicihs"][0] == "error"
    assert "META_ACCESS_TOKEN" in status["@musicihs"][1] and "Session has expired" in status["@musicihs"][1]
    counts = {a["handle"]: (a["posts_examined"], a["comments_examined"]) for a in doc["accounts"]}
    assert counts["@HistoryIHS"] == (1, 1) and counts["@ScienceIHS"] == (1, 0)

    assert "Facebook GET" in caplog.text  # debug logging was on, so a leak would have shown
    for secret in (X_TOKEN, META_TOKEN):
        assert secret not in caplog.text
        for path in out.rglob("*"):
            if path.is_file():
                assert secret not in path.read_text(encoding="utf-8", errors="replace"), path
        for db in tmp_path.glob("*.sqlite3"):
            with sqlite3.connect(db) as conn:
                assert secret not in "\n".join(conn.iterdump())
        assert all(secret not in call.request.url for call in responses.calls)
    assert list(tmp_path.glob("*.sqlite3")), "the run history was stored"
    assert Path(out / "index.html").exists()
