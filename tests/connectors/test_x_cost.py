"""X cost awareness: requests and resources read per account, and owned reads with the account's own token.

Fixtures follow the X API v2 shapes of `/2/users/me`, `/2/users/:id/tweets` and `/2/users/:id/mentions` (the X API
reference and data dictionary; the minimal shapes as tweepy's recorded cassettes show them), with our own ids and
texts. Prices are X's documented pay-per-use rates (docs.x.com, "X API pay-per-usage pricing and credits").
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from auditor.cli import main
from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.x import XConnector
from auditor.model import Account
from auditor.results import describe_usage
from tests.conftest import write_config

NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
APP_TOKEN = "AAAAAAAAAAAAAAAAAAAAAFakeXAppBearer000000"
USER_TOKEN = "dXNlci10b2tlbi1mb3ItaGlzdG9yeWlocw-fake-user-token"
API = "https://api.twitter.com/2"
APP = Account(handle="@HistoryIHS", platform="x", department="History")
OWNED = Account(
    handle="@HistoryIHS", platform="x", department="History", options={"user_token_env": "X_TOKEN_HISTORYIHS"}
)


def iso(days_ago: float) -> str:
    return (NOW - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


USER = {"data": {"id": "42", "name": "History at IHS", "username": "HistoryIHS", "description": ""}}
TIMELINE = {
    "data": [
        {
            "id": "1900000000000000003",
            "text": "Trip photos",
            "edit_history_tweet_ids": ["1900000000000000003"],
            "created_at": iso(1),
            "conversation_id": "1900000000000000003",
            "author_id": "42",
            "attachments": {"media_keys": ["3_100"]},
        },
        {
            "id": "1900000000000000002",
            "text": "Open evening",
            "edit_history_tweet_ids": ["1900000000000000002"],
            "created_at": iso(2),
            "conversation_id": "1900000000000000002",
            "author_id": "42",
        },
    ],
    "includes": {"media": [{"media_key": "3_100", "type": "photo", "url": "https://pbs.twimg.com/media/p.jpg"}]},
    "meta": {"result_count": 2, "newest_id": "1900000000000000003", "oldest_id": "1900000000000000002"},
}
MENTIONS = {
    "data": [
        {
            "id": "1900000000000000010",
            "text": "@HistoryIHS you are rubbish",
            "edit_history_tweet_ids": ["1900000000000000010"],
            "created_at": iso(0.5),
            "conversation_id": "1900000000000000003",
            "author_id": "77",
            "referenced_tweets": [{"type": "replied_to", "id": "1900000000000000003"}],
        },
        {
            # A mention that is not a reply to one of the account's posts: read (and billed), not a comment.
            "id": "1900000000000000011",
            "text": "Well done @HistoryIHS on the award",
            "edit_history_tweet_ids": ["1900000000000000011"],
            "created_at": iso(0.4),
            "conversation_id": "1900000000000000011",
            "author_id": "78",
        },
    ],
    "includes": {
        "users": [
            {"id": "77", "name": "A Parent", "username": "parent77"},
            {"id": "78", "name": "A Governor", "username": "governor78"},
        ]
    },
    "meta": {"result_count": 2, "newest_id": "1900000000000000011", "oldest_id": "1900000000000000010"},
}


@pytest.fixture
def tokens(monkeypatch):
    monkeypatch.setenv("X_BEARER_TOKEN", APP_TOKEN)
    monkeypatch.setenv("X_TOKEN_HISTORYIHS", USER_TOKEN)


def fetch(account: Account, ctx: FetchContext | None = None):
    x = XConnector(sleep=lambda _: None, now=lambda: NOW)
    return x.fetch(account, ctx or FetchContext()), x


@responses.activate
def test_an_app_token_run_counts_requests_and_resources_at_pay_per_use_prices(tokens):
    responses.get(f"{API}/users/by/username/HistoryIHS", json=USER)
    responses.get(f"{API}/users/42/tweets", json=TIMELINE)
    responses.get(f"{API}/tweets/search/recent", json={**MENTIONS, "data": MENTIONS["data"][:1]})
    data, x = fetch(APP)
    assert data.usage == {
        "requests": 3,
        "posts_read": 3,  # two of the account's posts and one reply
        "users_read": 3,  # the account, and the two authors search expanded
        "media_read": 1,
        "owned_reads": 0,
        # 3 x $0.005 + 3 x $0.010 + 1 x $0.005
        "estimated_cost_microdollars": 50_000,
    }
    assert x.requests_made == 3
    assert all(c.request.headers["Authorization"] == f"Bearer {APP_TOKEN}" for c in responses.calls)


@responses.activate
def test_the_accounts_own_token_reads_through_owned_endpoints(tokens):
    responses.get(f"{API}/users/me", json=USER)
    responses.get(f"{API}/users/42/tweets", json=TIMELINE)
    responses.get(f"{API}/users/42/mentions", json=MENTIONS)
    data, _ = fetch(OWNED)

    paths = [urlsplit(c.request.url).path for c in responses.calls]
    assert paths == ["/2/users/me", "/2/users/42/tweets", "/2/users/42/mentions"]  # no username look-up, no search
    mentions = parse_qs(urlsplit(responses.calls[2].request.url).query)
    assert mentions["start_time"] == [(NOW - dt.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert all(c.request.headers["Authorization"] == f"Bearer {USER_TOKEN}" for c in responses.calls)
    # Only the reply to the account's own post is a comment; the other mention is not.
    trip = next(p for p in data.posts if p.id == "1900000000000000003")
    assert [(c.id, c.author) for c in trip.comments] == [("1900000000000000010", "parent77")]
    assert data.comments_examined == 1
    assert data.usage["owned_reads"] == 1 and data.usage["requests"] == 3
    # 4 posts + 3 users + 1 media at $0.001 each
    assert data.usage["estimated_cost_microdollars"] == 8_000


@responses.activate
def test_an_owned_token_of_another_account_is_refused(tokens):
    responses.get(f"{API}/users/me", json={"data": {"id": "99", "name": "Someone", "username": "SomeoneElse"}})
    with pytest.raises(ConnectorError, match="X_TOKEN_HISTORYIHS holds the token of the X account @SomeoneElse"):
        fetch(OWNED)


def test_an_owned_token_variable_not_set_says_which(monkeypatch):
    monkeypatch.setenv("X_BEARER_TOKEN", APP_TOKEN)
    monkeypatch.delenv("X_TOKEN_HISTORYIHS", raising=False)
    with pytest.raises(ConnectorError, match=r"^set X_TOKEN_HISTORYIHS to @HistoryIHS's own OAuth 2.0 user"):
        fetch(OWNED)


def test_the_usage_line_reads_plainly():
    assert describe_usage({}) == ""
    line = describe_usage(
        {
            "requests": 1,
            "posts_read": 120,
            "users_read": 1,
            "media_read": 0,
            "owned_reads": 0,
            "estimated_cost_microdollars": 610_000,
        }
    )
    assert line == "1 request; 120 posts, 1 user read; about $0.61 at X's pay-per-use prices"


@responses.activate
def test_the_run_reports_usage_in_findings_json_and_the_summary(tokens, tmp_path, capsys):
    responses.get(f"{API}/users/me", json=USER)
    responses.get(f"{API}/users/42/tweets", json={"meta": {"result_count": 0}})
    body = (
        '[[accounts]]\nhandle = "@HistoryIHS"\nplatform = "x"\ndepartment = "History"\n'
        'user_token_env = "X_TOKEN_HISTORYIHS"\n'
    )
    config = write_config(tmp_path, body)
    out = tmp_path / "out"
    main(["run", "--all", "--config", str(config), "--out", str(out), "--no-email", "--checks", "about.aup_link"])
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    usage = doc["accounts"][0]["usage"]
    assert usage["requests"] == 2 and usage["users_read"] == 1 and usage["owned_reads"] == 1
    assert "@HistoryIHS (X): 2 requests; 1 user read; about $0.00 at X's owned-read prices" in capsys.readouterr().out
    assert USER_TOKEN not in json.dumps(doc)


def test_the_variable_name_is_checked_and_a_pasted_token_is_refused(tmp_path):
    from auditor import config as config_mod

    base = '[[accounts]]\nhandle = "@HistoryIHS"\nplatform = "x"\ndepartment = "History"\n'
    with pytest.raises(config_mod.ConfigError, match="user_token_env: expected where the account's own X user token"):
        config_mod.load(write_config(tmp_path, base + 'user_token_env = "dXNlci10b2tlbi1mb3I"\n'))
