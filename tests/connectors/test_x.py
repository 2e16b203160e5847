"""The live X connector, replaying X API v2 answers in their real shapes (full and minimal) with `responses`."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from responses import matchers

from auditor.cli import main
from auditor.connectors import ConnectorError, FetchContext, get_connector
from auditor.connectors.x import XConnector
from auditor.model import Account
from auditor.net.http import AuthFailed, RateLimited
from tests.conftest import write_config

NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
TOKEN = "AAAAAAAAAAAAAAAAAAAAAFakeXBearerToken0123456789"
API = "https://api.twitter.com/2"
USER_URL = f"{API}/users/by/username/HistoryIHS"
TWEETS_URL = f"{API}/users/42/tweets"
SEARCH_URL = f"{API}/tweets/search/recent"
ACCOUNT = Account(handle="@HistoryIHS", platform="x", department="History")


def iso(days_ago: float) -> str:
    return (NOW - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


FULL_USER = {
    "data": {
        "id": "42",
        "name": "History at IHS",
        "username": "HistoryIHS",
        "description": "History dept &amp; more. Rules: https://t.co/aup1 #history",
        "url": "https://t.co/site1",
        "entities": {
            "url": {
                "urls": [
                    {
                        "start": 0,
                        "end": 23,
                        "url": "https://t.co/site1",
                        "expanded_url": "https://www.islwynhigh.co.uk",
                        "display_url": "islwynhigh.co.uk",
                    }
                ]
            },
            "description": {
                "urls": [
                    {
                        "start": 32,
                        "end": 50,
                        "url": "https://t.co/aup1",
                        "expanded_url": "https://www.islwynhigh.co.uk/ict-acceptable-use-policy",
                        "display_url": "islwynhigh.co.uk/ict-acceptable…",
                    }
                ],
                "hashtags": [{"start": 51, "end": 59, "tag": "history"}],
            },
        },
    }
}
MINIMAL_USER = {"data": {"id": "42", "name": "HistoryIHS", "username": "HistoryIHS"}}


def tweet(tweet_id: str, days_ago: float, text: str = "A post", **extra: object) -> dict:
    return {
        "id": tweet_id,
        "text": text,
        "edit_history_tweet_ids": [tweet_id],
        "created_at": iso(days_ago),
        "conversation_id": tweet_id,
        "author_id": "42",
        **extra,
    }


FULL_TIMELINE = {
    "data": [
        tweet(
            "1900000000000000003",
            1,
            "Trip photos &amp; notes https://t.co/link1 https://t.co/photo1",
            entities={
                "urls": [
                    {
                        "start": 23,
                        "end": 46,
                        "url": "https://t.co/link1",
                        "expanded_url": "https://museum.example/visit",
                        "display_url": "museum.example/visit",
                        "status": 200,
                        "unwound_url": "https://museum.example/visit?from=x",
                    },
                    {
                        "start": 47,
                        "end": 70,
                        "url": "https://t.co/photo1",
                        "expanded_url": "https://x.com/HistoryIHS/status/1900000000000000003/photo/1",
                        "display_url": "pic.x.com/photo1",
                        "media_key": "3_100",
                    },
                ]
            },
            attachments={"media_keys": ["3_100", "7_200"]},
        ),
        tweet(
            "1900000000000000002",
            3,
            "The first 280 characters…",
            note_tweet={
                "text": "The whole long post about the castle, see https://t.co/long1",
                "entities": {
                    "urls": [
                        {
                            "start": 42,
                            "end": 60,
                            "url": "https://t.co/long1",
                            "expanded_url": "https://castle.example/",
                            "display_url": "castle.example",
                        }
                    ]
                },
            },
        ),
        tweet(
            "1900000000000000001",
            40,
            "RT @cadw: Open day",
            referenced_tweets=[{"type": "retweeted", "id": "1800000000000000000"}],
        ),
    ],
    "includes": {
        "media": [
            {
                "media_key": "3_100",
                "type": "photo",
                "url": "https://pbs.twimg.com/media/photo1.jpg",
                "alt_text": "Year 8 at the museum",
            },
            {"media_key": "7_200", "type": "video", "preview_image_url": "https://pbs.twimg.com/thumb/v.jpg"},
        ]
    },
    "meta": {"result_count": 3, "newest_id": "1900000000000000003", "oldest_id": "1900000000000000001"},
}

REPLIES = {
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
            "id": "1900000000000000011",
            "text": "@parent thanks, we will pass it on",
            "edit_history_tweet_ids": ["1900000000000000011"],
            "created_at": iso(0.4),
            "conversation_id": "1900000000000000003",
            "author_id": "42",
            "referenced_tweets": [{"type": "replied_to", "id": "1900000000000000010"}],
        },
    ],
    "includes": {
        "users": [
            {"id": "77", "name": "A Parent", "username": "parent77"},
            {"id": "42", "name": "History", "username": "HistoryIHS"},
        ]
    },
    "meta": {"result_count": 2, "newest_id": "1900000000000000011", "oldest_id": "1900000000000000010"},
}
EMPTY = {"meta": {"result_count": 0}}


@pytest.fixture
def token(monkeypatch):
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    return TOKEN


def connector(**overrides: object) -> tuple[XConnector, list[float]]:
    slept: list[float] = []
    values: dict[str, object] = {"sleep": slept.append, "now": lambda: NOW}
    values.update(overrides)
    return XConnector(**values), slept  # type: ignore[arg-type]


def fetch(ctx: FetchContext | None = None, **overrides: object):
    x, slept = connector(**overrides)
    return x.fetch(ACCOUNT, ctx or FetchContext()), x, slept


def after(token: str):
    return matchers.query_param_matcher({"pagination_token": token}, strict_match=False)


def query(call) -> dict[str, list[str]]:
    return parse_qs(urlsplit(call.request.url).query)


@responses.activate
def test_full_shapes(token):
    responses.get(USER_URL, json=FULL_USER)
    responses.get(TWEETS_URL, json=FULL_TIMELINE)
    responses.get(SEARCH_URL, json=REPLIES)
    data, x, _ = fetch()

    p = data.profile
    assert (p.username, p.display_name, p.url) == ("HistoryIHS", "History at IHS", "https://x.com/HistoryIHS")
    assert p.bio == "History dept & more. Rules: https://t.co/aup1 #history"
    assert p.website is not None and p.website.target == "https://www.islwynhigh.co.uk"
    assert [link.target for link in p.links] == ["https://www.islwynhigh.co.uk/ict-acceptable-use-policy"]

    assert [post.id for post in data.posts] == ["1900000000000000003", "1900000000000000002", "1900000000000000001"]
    trip, long, repost = data.posts
    assert trip.text.startswith("Trip photos & notes")
    assert trip.url == "https://x.com/HistoryIHS/status/1900000000000000003"
    assert trip.created_at == NOW - dt.timedelta(days=1)
    # The photo's own t.co link is the photo, not an external link; unwound_url is the final target.
    assert [link.target for link in trip.links] == ["https://museum.example/visit?from=x"]
    assert [(m.type, m.url, m.alt_text) for m in trip.media] == [
        ("photo", "https://pbs.twimg.com/media/photo1.jpg", "Year 8 at the museum"),
        ("video", "https://pbs.twimg.com/thumb/v.jpg", None),
    ]
    assert long.text == "The whole long post about the castle, see https://t.co/long1"
    assert [link.target for link in long.links] == ["https://castle.example/"]
    assert repost.is_repost and repost.comments == ()

    # Replies by others only; the account's own answer is not a comment.
    assert [(c.id, c.author, c.parent_id) for c in trip.comments] == [
        ("1900000000000000010", "parent77", "1900000000000000003")
    ]
    assert trip.comments[0].url == "https://x.com/parent77/status/1900000000000000010"
    assert data.comments_examined == 1
    assert data.complete is False

    # Replies are searched for the two posts inside the 14-day window, in one query.
    search = [c for c in responses.calls if c.request.url.startswith(SEARCH_URL)]
    assert len(search) == 1
    assert query(search[0])["query"] == ["conversation_id:1900000000000000003 OR conversation_id:1900000000000000002"]
    user_query = query(responses.calls[0])
    assert set(user_query["user.fields"][0].split(",")) >= {"description", "entities", "url"}
    timeline = query(responses.calls[1])
    assert set(timeline["tweet.fields"][0].split(",")) >= {
        "created_at",
        "entities",
        "attachments",
        "conversation_id",
        "note_tweet",
    }
    assert timeline["expansions"] == ["attachments.media_keys"]
    assert set(timeline["media.fields"][0].split(",")) == {"type", "url", "preview_image_url", "alt_text"}
    assert x.requests_made == 3
    assert all(c.request.headers["Authorization"] == f"Bearer {TOKEN}" for c in responses.calls)
    assert all(TOKEN not in c.request.url for c in responses.calls)
    assert data.state == {"newest_id": "1900000000000000003", "newest_time": (NOW - dt.timedelta(days=1)).isoformat()}


@responses.activate
def test_minimal_shapes(token):
    # What X sends when no optional field is asked for or present (see shared/reference/x-api-v2).
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(
        TWEETS_URL,
        json={
            "data": [{"edit_history_tweet_ids": ["1577730467436138524"], "id": "1577730467436138524", "text": "hi"}],
            "meta": {"result_count": 1, "newest_id": "1577730467436138524", "oldest_id": "1577730467436138524"},
        },
    )
    data, x, _ = fetch()
    assert data.profile.bio == "" and data.profile.website is None and data.profile.links == ()
    (post,) = data.posts
    assert (post.text, post.created_at, post.links, post.media, post.comments) == ("hi", None, (), (), ())
    assert x.requests_made == 2  # no post is known to be inside the window, so no reply search


@responses.activate
def test_account_with_no_posts(token):
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(TWEETS_URL, json=EMPTY)
    data, _, _ = fetch()
    assert data.posts == [] and data.state == {}


@responses.activate
def test_unknown_user(token):
    responses.get(
        USER_URL,
        json={
            "errors": [
                {
                    "value": "HistoryIHS",
                    "detail": "Could not find user with username: [HistoryIHS].",
                    "title": "Not Found Error",
                    "resource_type": "user",
                    "parameter": "username",
                    "resource_id": "HistoryIHS",
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                }
            ]
        },
    )
    with pytest.raises(ConnectorError, match=r"X has no account @HistoryIHS \(Could not find user"):
        fetch()


@responses.activate
def test_pagination_across_pages(token):
    responses.get(USER_URL, json=MINIMAL_USER)
    page2 = {"data": [tweet("1900000000000000001", 40)], "meta": {"result_count": 1}}
    responses.get(TWEETS_URL, json=page2, match=[after("p2")])
    page1 = {"data": [tweet("1900000000000000002", 30)], "meta": {"result_count": 1, "next_token": "p2"}}
    responses.get(TWEETS_URL, json=page1)
    data, x, _ = fetch(first_run_posts=200)
    assert [p.id for p in data.posts] == ["1900000000000000002", "1900000000000000001"]
    assert x.requests_made == 3


@responses.activate
def test_first_run_stops_at_the_cap(token):
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(TWEETS_URL, json={"data": [tweet("1900000000000000002", 30)], "meta": {"next_token": "more"}})
    _, x, _ = fetch(first_run_posts=50)
    assert x.requests_made == 2
    assert query(responses.calls[1])["max_results"] == ["50"]


@responses.activate
def test_429_with_reset_header_waits_then_succeeds(token):
    responses.get(USER_URL, status=429, headers={"x-rate-limit-reset": str(int(time.time()) + 5)})
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(TWEETS_URL, json=EMPTY)
    _, x, slept = fetch()
    assert len(slept) == 1 and 3 <= slept[0] <= 6
    assert x.requests_made == 3


@responses.activate
def test_429_reset_beyond_the_bound_gives_up_without_waiting(token):
    responses.get(USER_URL, status=429, headers={"x-rate-limit-reset": str(int(time.time()) + 900)})
    with pytest.raises(RateLimited, match=r"longer than this run waits \(60 s\)") as info:
        fetch()
    assert info.value.__class__ is RateLimited
    assert len(responses.calls) == 1


@responses.activate
def test_429_without_reset_header_is_bounded(token):
    # tweepy's own wait would retry this forever; ours backs off and gives up.
    responses.get(USER_URL, status=429, json={"title": "Too Many Requests", "status": 429})
    x, slept = connector(retries=2)
    with pytest.raises(RateLimited, match="still limiting requests after 3 tries"):
        x.fetch(ACCOUNT, FetchContext())
    assert slept == [1.0, 2.0] and len(responses.calls) == 3


@responses.activate
def test_5xx_then_success(token):
    responses.get(USER_URL, status=503, body="<html>Over capacity</html>", content_type="text/html")
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(TWEETS_URL, json=EMPTY)
    data, _, slept = fetch()
    assert data.profile.username == "HistoryIHS" and slept == [1.0]


@responses.activate
def test_5xx_every_time(token):
    responses.get(USER_URL, status=500)
    with pytest.raises(ConnectorError, match=r"X kept failing \(HTTP 500 after 4 tries\)"):
        fetch()


@responses.activate
def test_timeout_then_success_and_every_request_has_a_timeout(token, monkeypatch):
    timeouts: list[object] = []
    original = requests.Session.request

    def spy(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def]
        timeouts.append(kwargs.get("timeout"))
        return original(self, method, url, *args, **kwargs)

    monkeypatch.setattr(requests.Session, "request", spy)
    responses.get(USER_URL, body=requests.ReadTimeout("slow"))
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(TWEETS_URL, json=EMPTY)
    data, _, slept = fetch()
    assert data.profile.username == "HistoryIHS" and slept == [1.0]
    assert timeouts and all(t == (5.0, 20.0) for t in timeouts)


@responses.activate
def test_timeouts_every_time(token):
    responses.get(USER_URL, body=requests.ConnectTimeout("no"))
    with pytest.raises(ConnectorError, match="X did not answer in time after 4 tries"):
        fetch()


@responses.activate
def test_malformed_json(token):
    responses.get(USER_URL, body='{"data": {"id": "42", ', content_type="application/json")
    with pytest.raises(ConnectorError, match="not JSON"):
        fetch()


@responses.activate
def test_expired_token(token, caplog):
    caplog.set_level(logging.DEBUG)
    responses.get(
        USER_URL,
        status=401,
        json={"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
    )
    with pytest.raises(AuthFailed) as info:
        fetch()
    assert "X_BEARER_TOKEN" in str(info.value) and TOKEN not in str(info.value)
    # tweepy logs request headers at DEBUG; those records never get through.
    assert TOKEN not in caplog.text


@responses.activate
def test_forbidden_plan(token):
    responses.get(
        USER_URL,
        status=403,
        json={
            "client_id": "1",
            "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens "
            "from a Twitter developer App that is attached to a Project.",
            "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
            "title": "Client Forbidden",
            "required_enrollment": "Appropriate Level of API Access",
            "reason": "client-not-enrolled",
            "type": "https://api.twitter.com/2/problems/client-forbidden",
        },
    )
    with pytest.raises(AuthFailed, match=r"HTTP 403.*X_BEARER_TOKEN"):
        fetch()


def test_missing_token(monkeypatch):
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    with pytest.raises(ConnectorError, match=r"^set X_BEARER_TOKEN to"):
        fetch()


@responses.activate
def test_offline_is_an_error_not_an_empty_success(token):
    with pytest.raises(ConnectorError, match="needs the network"):
        fetch(FetchContext(offline=True))
    assert len(responses.calls) == 0


def test_registered():
    assert isinstance(get_connector("x"), XConnector)


@responses.activate
def test_second_run_of_an_unchanged_account_makes_few_requests(token):
    responses.get(USER_URL, json=FULL_USER)
    responses.get(TWEETS_URL, json=FULL_TIMELINE)
    responses.get(SEARCH_URL, json=REPLIES)
    first, x1, _ = fetch()
    assert x1.requests_made == 3

    responses.reset()
    responses.get(USER_URL, json=FULL_USER)
    # The listing from the start of the comment window: the posts whose replies are watched, nothing new.
    window = {k: v for k, v in FULL_TIMELINE.items() if k != "meta"}
    window["data"] = FULL_TIMELINE["data"][:2]
    responses.get(TWEETS_URL, json=window)
    responses.get(SEARCH_URL, json=REPLIES)
    second, x2, _ = fetch(FetchContext(state=first.state))
    # At most the profile, one page of posts and the comment-window search.
    assert x2.requests_made == 3
    assert [c.request.url.split("?")[0] for c in responses.calls] == [USER_URL, TWEETS_URL, SEARCH_URL]
    assert query(responses.calls[1])["start_time"] == [(NOW - dt.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert "since_id" not in query(responses.calls[1])
    assert [p.id for p in second.posts] == ["1900000000000000003", "1900000000000000002"]
    assert second.comments_examined == 1
    assert second.state == first.state


@responses.activate
def test_later_run_of_a_quiet_account_asks_only_for_newer_posts(token):
    # The newest known post is older than the comment window: nothing is watched, only newer posts are asked for.
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(TWEETS_URL, json=EMPTY)
    old_state = {"newest_id": "1900000000000000003", "newest_time": iso(20)}
    data, x, _ = fetch(FetchContext(state=old_state))
    assert x.requests_made == 2
    assert query(responses.calls[1])["since_id"] == ["1900000000000000003"]
    assert data.state == old_state


@responses.activate
def test_unreadable_state_is_ignored(token):
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(TWEETS_URL, json=EMPTY)
    data, x, _ = fetch(FetchContext(state={"newest_id": 5, "recent": [["x"], "junk", [1, 2]]}))
    assert x.requests_made == 2 and data.posts == []


@responses.activate
def test_since_reads_from_that_date_and_keeps_no_state(token):
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(TWEETS_URL, json={"data": [tweet("1900000000000000002", 30)], "meta": {}})
    data, _, _ = fetch(FetchContext(since=dt.date(2026, 10, 1)))
    assert query(responses.calls[1])["start_time"] == ["2026-10-01T00:00:00Z"]
    assert data.state == {}


def rude_reply(reply_id: str, to: str, text: str = "@HistoryIHS you are all idiots") -> dict:
    return {
        "id": reply_id,
        "text": text,
        "edit_history_tweet_ids": [reply_id],
        "created_at": iso(0.5),
        "conversation_id": to,
        "author_id": "77",
        "referenced_tweets": [{"type": "replied_to", "id": to}],
    }


@responses.activate
def test_a_post_and_a_reply_repeated_on_the_next_page_are_read_once(token):
    """A post published between two requests shifts the pages tweepy's Paginator reads: the next page repeats the
    last post of the one before, and the same happens to replies found by search."""
    responses.get(USER_URL, json=MINIMAL_USER)
    newest, middle, oldest = (
        tweet("1900000000000000003", 1),
        tweet("1900000000000000002", 2),
        tweet("1900000000000000001", 3),
    )
    responses.get(TWEETS_URL, json={"data": [middle, oldest], "meta": {"result_count": 2}}, match=[after("p2")])
    responses.get(TWEETS_URL, json={"data": [newest, middle], "meta": {"result_count": 2, "next_token": "p2"}})
    users = {"users": [{"id": "77", "name": "Troll", "username": "troll77"}]}
    first, second = (
        rude_reply("1900000000000000010", middle["id"]),
        rude_reply("1900000000000000011", middle["id"], "bye"),
    )
    page2 = {"data": [first, second], "includes": users, "meta": {"result_count": 2}}
    responses.get(
        SEARCH_URL, json=page2, match=[matchers.query_param_matcher({"next_token": "s2"}, strict_match=False)]
    )
    page1 = {"data": [first], "includes": users, "meta": {"result_count": 1, "next_token": "s2"}}
    responses.get(SEARCH_URL, json=page1)

    data, _, _ = fetch(first_run_posts=200)

    assert [p.id for p in data.posts] == [newest["id"], middle["id"], oldest["id"]]
    assert [c.id for c in data.posts[1].comments] == [first["id"], second["id"]]
    assert data.comments_examined == 2


@responses.activate
def test_a_repeated_page_with_abuse_on_it_is_audited_once_through_the_runner(token, tmp_path):
    responses.get(USER_URL, json=MINIMAL_USER)
    # Dated from today: the runner reads with the real clock, and replies are read only inside the comment window.
    today = dt.datetime.now(dt.UTC)
    stamp = {"created_at": (today - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")}
    middle = {**tweet("1900000000000000002", 1), **stamp}
    newest, oldest = {**tweet("1900000000000000003", 1), **stamp}, {**tweet("1900000000000000001", 1), **stamp}
    responses.get(TWEETS_URL, json={"data": [middle, oldest], "meta": {"result_count": 2}}, match=[after("p2")])
    responses.get(TWEETS_URL, json={"data": [newest, middle], "meta": {"result_count": 2, "next_token": "p2"}})
    users = {"users": [{"id": "77", "name": "Troll", "username": "troll77"}]}
    rude = {**rude_reply("1900000000000000010", middle["id"]), **stamp}
    page2 = {"data": [rude], "includes": users, "meta": {"result_count": 1}}
    responses.get(
        SEARCH_URL, json=page2, match=[matchers.query_param_matcher({"next_token": "s2"}, strict_match=False)]
    )
    page1 = {"data": [rude], "includes": users, "meta": {"result_count": 1, "next_token": "s2"}}
    responses.get(SEARCH_URL, json=page1)
    config = write_config(tmp_path, '[[accounts]]\nhandle = "@HistoryIHS"\nplatform = "x"\ndepartment = "History"\n')
    run = ["run", "--all", "--config", str(config), "--out", str(tmp_path / "out"), "--no-email"]

    # --since reads every page of the period (a first run reads one page of 100).
    since = (today - dt.timedelta(days=7)).date().isoformat()
    assert main([*run, "--since", since, "--checks", "comments.inappropriate"]) == 1

    doc = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert doc["accounts"][0]["status"] == "ok" and doc["accounts"][0]["posts_examined"] == 3
    assert doc["accounts"][0]["comments_examined"] == 1
    assert [f["status"] for f in doc["findings"]] == ["FAIL"]
