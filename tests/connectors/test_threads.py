"""The Threads connector, replaying Threads API answers with `responses`.

The fixtures follow the shapes of Meta's Threads API documentation (developers.facebook.com/documentation/threads):
"Threads Profiles" (`/me?fields=id,username,name,threads_profile_picture_url,threads_biography,is_verified`),
"Retrieve User Posts" (`/{threads-user-id}/threads`: `data` of posts with `media_type` TEXT_POST, IMAGE, VIDEO,
CAROUSEL_ALBUM, AUDIO or REPOST_FACADE, and `paging.cursors.before/after` with no `next` address) and "Retrieve Media
Replies and Conversations" (`/{media-id}/conversation`: replies at every depth with `replied_to`, `root_post`,
`is_reply_owned_by_me` and `hide_status`). Errors follow Graph's documented `{"error": {"message", "type", "code"}}`.
The ids, names and texts are our own.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from responses import matchers

from auditor import platforms
from auditor.cli import main
from auditor.connectors import ConnectorError, FetchContext, get_connector
from auditor.connectors.threads import ThreadsConnector
from auditor.model import Account
from auditor.net.http import AuthFailed, RateLimited
from tests.conftest import write_config

NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
TOKEN = "THAAFakeThreadsUserToken0123456789"
API = "https://graph.threads.net/v1.0"
USER = "25000000000000001"
ME_URL = f"{API}/me"
THREADS_URL = f"{API}/{USER}/threads"
ACCOUNT = Account(handle="@historyihs", platform="threads", department="History")


def when(days_ago: float) -> str:
    return (NOW - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%S+0000")


PROFILE = {
    "id": USER,
    "username": "historyihs",
    "name": "History at Islwyn High",
    "threads_biography": "Islwyn High History. AUP: https://www.islwynhigh.co.uk/ict-acceptable-use-policy",
}


def thread(tid: str, days_ago: float, **extra: object) -> dict:
    return {
        "id": tid,
        "media_product_type": "THREADS",
        "media_type": "TEXT_POST",
        "permalink": f"https://www.threads.net/@historyihs/post/{tid[-6:]}",
        "username": "historyihs",
        "timestamp": when(days_ago),
        "shortcode": tid[-6:],
        "is_quote_post": False,
        **extra,
    }


def reply(rid: str, text: str, username: str, parent: str, root: str, days_ago: float, **extra: object) -> dict:
    return {
        "id": rid,
        "text": text,
        "username": username,
        "permalink": f"https://www.threads.net/@{username}/post/{rid[-6:]}",
        "timestamp": when(days_ago),
        "media_product_type": "THREADS",
        "media_type": "TEXT_POST",
        "has_replies": False,
        "root_post": {"id": root},
        "replied_to": {"id": parent},
        "is_reply": True,
        "is_reply_owned_by_me": False,
        "hide_status": "NOT_HUSHED",
        **extra,
    }


TRIP = "18050000000000003"
OLD = "18050000000000001"
LISTING = {
    "data": [
        thread(
            TRIP,
            1,
            media_type="CAROUSEL_ALBUM",
            text="Castle trip! Booking: https://castle.example/book",
            has_replies=True,
            children={
                "data": [
                    {
                        "id": "18050000000000031",
                        "media_type": "IMAGE",
                        "media_url": "https://scontent.cdn.example/31.jpg",
                    },
                    {
                        "id": "18050000000000032",
                        "media_type": "VIDEO",
                        "media_url": "https://scontent.cdn.example/32.mp4",
                        "thumbnail_url": "https://scontent.cdn.example/32.jpg",
                    },
                ]
            },
        ),
        thread(
            "18050000000000002",
            2,
            media_type="REPOST_FACADE",
            has_replies=True,
        ),
        thread(OLD, 30, text="Old news", has_replies=True, link_attachment_url="https://news.example/story"),
    ],
    "paging": {"cursors": {"before": "QVFIUmx1", "after": "QVFIUmx2"}},
}
CONVERSATION = {
    "data": [
        reply("18060000000000001", "what a waste of time", "someparent", TRIP, TRIP, 0.5, has_replies=True),
        reply(
            "18060000000000002",
            "Thanks for the feedback",
            "historyihs",
            "18060000000000001",
            TRIP,
            0.4,
            is_reply_owned_by_me=True,
        ),
        reply("18060000000000003", "agreed!!", "auntie", "18060000000000001", TRIP, 0.3),
    ],
    "paging": {"cursors": {"before": "QVFIUmxA", "after": "QVFIUmxB"}},
}


@pytest.fixture
def token(monkeypatch):
    monkeypatch.setenv("THREADS_ACCESS_TOKEN", TOKEN)
    return TOKEN


def fetch(ctx: FetchContext | None = None, account: Account = ACCOUNT, **overrides: object):
    slept: list[float] = []
    values: dict[str, object] = {"sleep": slept.append, "now": lambda: NOW}
    values.update(overrides)
    connector = ThreadsConnector(**values)  # type: ignore[arg-type]
    return connector.fetch(account, ctx or FetchContext()), connector, slept


def query(call) -> dict[str, list[str]]:
    return parse_qs(urlsplit(call.request.url).query)


def after(cursor: str) -> list:
    return [matchers.query_param_matcher({"after": cursor}, strict_match=False)]


@responses.activate
def test_profile_threads_and_replies(token):
    responses.get(ME_URL, json=PROFILE)
    responses.get(THREADS_URL, json={"data": []}, match=after("QVFIUmx2"))
    responses.get(THREADS_URL, json=LISTING)
    responses.get(f"{API}/{TRIP}/conversation", json={"data": []}, match=after("QVFIUmxB"))
    responses.get(f"{API}/{TRIP}/conversation", json=CONVERSATION)
    data, connector, _ = fetch()

    p = data.profile
    assert (p.username, p.display_name, p.url, p.website) == (
        "historyihs",
        "History at Islwyn High",
        "https://www.threads.net/@historyihs",
        None,
    )
    assert [link.url for link in p.links] == ["https://www.islwynhigh.co.uk/ict-acceptable-use-policy"]
    assert query(responses.calls[0])["fields"] == ["id,username,name,threads_biography"]

    trip, repost, old = data.posts
    assert trip.url == "https://www.threads.net/@historyihs/post/000003"
    assert [link.url for link in trip.links] == ["https://castle.example/book"]
    assert [(m.type, m.url) for m in trip.media] == [
        ("photo", "https://scontent.cdn.example/31.jpg"),
        ("video", "https://scontent.cdn.example/32.jpg"),
    ]
    # Replies by others at every depth, each under the reply it answers; the account's own reply is not a comment.
    assert [(c.id, c.author, c.parent_id) for c in trip.comments] == [
        ("18060000000000001", "someparent", TRIP),
        ("18060000000000003", "auntie", "18060000000000001"),
    ]
    assert trip.comments[0].url == "https://www.threads.net/@someparent/post/000001"
    # A repost is someone else's post: marked so, and its replies are not this account's to moderate.
    assert repost.is_repost and repost.comments == ()
    # A thread older than the comment window is audited, but its replies are not fetched again.
    assert [link.url for link in old.links] == ["https://news.example/story"] and old.comments == ()
    conversation_calls = [c for c in responses.calls if "/conversation" in c.request.url]
    assert len(conversation_calls) == 2  # the page and its cursor's empty page; none for the repost or old thread
    assert query(conversation_calls[0])["reverse"] == ["false"]
    fields = query(responses.calls[1])["fields"][0]
    for name in ("text", "permalink", "timestamp", "media_type", "media_url", "children", "has_replies"):
        assert name in fields
    assert connector.requests_made == 5 and data.complete is False
    assert all(TOKEN not in c.request.url for c in responses.calls)
    assert all(c.request.headers["Authorization"] == f"Bearer {TOKEN}" for c in responses.calls)


@responses.activate
def test_cursor_pages_are_followed_and_a_repeated_cursor_stops(token):
    responses.get(ME_URL, json=PROFILE)
    second = {"data": [thread("18050000000000001", 40)], "paging": {"cursors": {"after": "C1"}}}
    responses.get(THREADS_URL, json=second, match=after("C1"))
    first = {"data": [thread("18050000000000002", 30)], "paging": {"cursors": {"before": "C0", "after": "C1"}}}
    responses.get(THREADS_URL, json=first)
    data, connector, _ = fetch()
    assert [p.id for p in data.posts] == ["18050000000000002", "18050000000000001"]
    # The second page names the same cursor again: asking for it would repeat for ever.
    assert connector.requests_made == 3


@responses.activate
def test_minimal_shapes(token):
    responses.get(ME_URL, json={"id": USER})
    responses.get(THREADS_URL, json={"data": [{"id": "18050000000000009"}]})
    data, _, _ = fetch()
    assert data.profile.username == "historyihs" and data.profile.bio == "" and data.profile.display_name is None
    (only,) = data.posts
    assert (only.text, only.url, only.created_at, only.media, only.comments) == ("", None, None, (), ())


@responses.activate
def test_token_of_another_account_is_refused(token):
    responses.get(ME_URL, json={**PROFILE, "username": "someoneelse"})
    with pytest.raises(ConnectorError, match="belongs to the Threads account @someoneelse, not the registered"):
        fetch()


@responses.activate
def test_expired_token(token):
    body = {
        "error": {
            "message": "Error validating access token: Session has expired on Monday, 23-Nov-26 10:00:00 PST.",
            "type": "OAuthException",
            "code": 190,
            "error_subcode": 463,
            "fbtrace_id": "AbCdEf",
        }
    }
    responses.get(ME_URL, status=400, json=body)
    with pytest.raises(
        AuthFailed, match=r"Threads refused the token .*Session has expired.*THREADS_ACCESS_TOKEN"
    ) as info:
        fetch()
    assert TOKEN not in str(info.value)


@responses.activate
def test_permission_missing(token):
    responses.get(ME_URL, json=PROFILE)
    responses.get(THREADS_URL, json=LISTING)
    body = {
        "error": {
            "message": "(#10) Application does not have permission for this action",
            "type": "OAuthException",
            "code": 10,
            "fbtrace_id": "AbCdEf",
        }
    }
    responses.get(f"{API}/{TRIP}/conversation", status=403, json=body)
    with pytest.raises(
        AuthFailed, match=r"lacks a permission this needs .*does not have permission.*threads_read_replies"
    ):
        fetch()


@responses.activate
def test_rate_limited_waits_then_gives_up(token):
    limited = {"error": {"message": "(#4) Application request limit reached", "type": "OAuthException", "code": 4}}
    responses.get(ME_URL, status=400, json=limited)
    responses.get(ME_URL, json=PROFILE)
    responses.get(THREADS_URL, json={"data": []})
    _, _, slept = fetch()
    assert slept == [1.0]

    responses.reset()
    responses.get(ME_URL, status=429, headers={"Retry-After": "3600"})
    with pytest.raises(RateLimited, match="longer than this run waits"):
        fetch()


def test_missing_token(monkeypatch):
    monkeypatch.delenv("THREADS_ACCESS_TOKEN", raising=False)
    with pytest.raises(ConnectorError, match=r"^set THREADS_ACCESS_TOKEN to a Threads user access token"):
        fetch()


def test_offline(token):
    with pytest.raises(ConnectorError, match="needs the network"):
        fetch(FetchContext(offline=True))


def test_registered():
    assert isinstance(get_connector("threads"), ThreadsConnector)
    spec = platforms.get("threads")
    assert spec is not None and spec.display_name == "Threads" and spec.credentials == ("THREADS_ACCESS_TOKEN",)


@responses.activate
def test_second_run_reads_one_page_and_the_watched_replies(token):
    responses.get(ME_URL, json=PROFILE)
    responses.get(THREADS_URL, json={"data": LISTING["data"]})
    responses.get(f"{API}/{TRIP}/conversation", json={"data": CONVERSATION["data"]})
    first, _, _ = fetch()

    responses.reset()
    responses.get(ME_URL, json=PROFILE)
    responses.get(THREADS_URL, json={"data": LISTING["data"]})
    responses.get(f"{API}/{TRIP}/conversation", json={"data": CONVERSATION["data"]})
    second, connector, _ = fetch(FetchContext(state=first.state))
    assert query(responses.calls[1])["limit"] == ["25"]
    assert [p.id for p in second.posts] == [TRIP, "18050000000000002"]
    assert connector.requests_made == 3 and second.comments_examined == 2


@responses.activate
def test_abuse_in_a_reply_fails_the_comments_check_through_the_runner(token, tmp_path):
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
    responses.get(ME_URL, json=PROFILE)
    responses.get(THREADS_URL, json={"data": [{**thread(TRIP, 0, text="Trip!", has_replies=True), "timestamp": today}]})
    rude = {**reply("18060000000000009", "idiots, all of you", "troll", TRIP, TRIP, 0), "timestamp": today}
    responses.get(f"{API}/{TRIP}/conversation", json={"data": [rude]})
    config = write_config(
        tmp_path, '[[accounts]]\nhandle = "@historyihs"\nplatform = "threads"\ndepartment = "History"\n'
    )
    run = ["run", "--all", "--config", str(config), "--out", str(tmp_path / "out"), "--no-email"]

    assert main([*run, "--checks", "comments.inappropriate"]) == 1

    doc = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert doc["accounts"][0]["status"] == "ok" and doc["accounts"][0]["comments_examined"] == 1
    assert [f["status"] for f in doc["findings"]] == ["FAIL"]
    assert TOKEN not in json.dumps(doc)


@responses.activate
def test_an_error_that_echoes_the_token_never_repeats_it(token):
    body = {"error": {"message": f"Invalid OAuth access token - Cannot parse access token: {TOKEN}", "code": 190}}
    responses.get(ME_URL, status=400, json=body)
    with pytest.raises(AuthFailed) as info:
        fetch()
    assert TOKEN not in str(info.value) and "Cannot parse access token" in str(info.value)
