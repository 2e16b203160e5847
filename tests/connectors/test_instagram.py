"""The live Instagram connector, replaying Instagram Graph API answers in their real shapes with `responses`."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from responses import matchers

from auditor.cli import main
from auditor.connectors import ConnectorError, FetchContext, get_connector
from auditor.connectors.instagram import InstagramConnector
from auditor.model import Account
from auditor.net.http import AuthFailed, RateLimited
from tests.conftest import write_config

NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
TOKEN = "EAAGFakeInstagramPageToken0123456789"
GRAPH = "https://graph.facebook.com/v26.0"
IG = "17841400000000001"
ME_URL = f"{GRAPH}/me"
USER_URL = f"{GRAPH}/{IG}"
MEDIA_URL = f"{GRAPH}/{IG}/media"
ACCOUNT = Account(handle="@historyihs", platform="instagram", department="History")
WITH_ID = Account(handle="@historyihs", platform="instagram", department="History", ig_user_id=IG)


def when(days_ago: float) -> str:
    return (NOW - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%S+0000")


FULL_USER = {
    "id": IG,
    "username": "historyihs",
    "name": "History at Islwyn High",
    "biography": "Islwyn High School History. Our AUP: https://www.islwynhigh.co.uk/ict-acceptable-use-policy",
    "website": "https://www.islwynhigh.co.uk/",
}
MINIMAL_USER = {"id": IG, "username": "historyihs"}


def reply(rid: str, text: str, username: str, days_ago: float) -> dict:
    return {"id": rid, "text": text, "username": username, "timestamp": when(days_ago)}


def media(mid: str, days_ago: float, **extra: object) -> dict:
    return {
        "id": mid,
        "media_type": "IMAGE",
        "media_url": f"https://scontent.cdninstagram.com/{mid}.jpg",
        "permalink": f"https://www.instagram.com/p/{mid}/",
        "timestamp": when(days_ago),
        **extra,
    }


FULL_MEDIA = {
    "data": [
        media(
            "18000000000000003",
            1,
            media_type="CAROUSEL_ALBUM",
            caption="Castle trip! Booking: https://castle.example/book #history",
            children={
                "data": [
                    {
                        "id": "18000000000000031",
                        "media_type": "IMAGE",
                        "media_url": "https://scontent.cdninstagram.com/31.jpg",
                    },
                    {
                        "id": "18000000000000032",
                        "media_type": "VIDEO",
                        "media_url": "https://scontent.cdninstagram.com/32.mp4",
                        "thumbnail_url": "https://scontent.cdninstagram.com/32.jpg",
                    },
                ]
            },
            comments={
                "data": [
                    {
                        **reply("17900000000000001", "what a waste of time", "someparent", 0.5),
                        "replies": {"data": [reply("17900000000000002", "Thanks for the feedback", "historyihs", 0.4)]},
                    },
                    {
                        **reply("17900000000000003", "lovely", "gran_of_y8", 0.3),
                        "replies": {"data": [reply("17900000000000004", "agreed!!", "auntie", 0.2)]},
                    },
                ]
            },
        ),
        media("18000000000000002", 30, caption="Old news"),
    ],
    "paging": {"cursors": {"before": "QVFIa", "after": "QVFIb"}},
}
EMPTY = {"data": []}


@pytest.fixture
def token(monkeypatch):
    monkeypatch.setenv("META_ACCESS_TOKEN", TOKEN)
    monkeypatch.delenv("META_GRAPH_VERSION", raising=False)
    return TOKEN


def fetch(ctx: FetchContext | None = None, account: Account = WITH_ID, **overrides: object):
    slept: list[float] = []
    values: dict[str, object] = {"sleep": slept.append, "now": lambda: NOW}
    values.update(overrides)
    ig = InstagramConnector(**values)  # type: ignore[arg-type]
    return ig.fetch(account, ctx or FetchContext()), ig, slept


def query(call) -> dict[str, list[str]]:
    return parse_qs(urlsplit(call.request.url).query)


@responses.activate
def test_full_shapes(token):
    responses.get(USER_URL, json=FULL_USER)
    responses.get(MEDIA_URL, json=FULL_MEDIA)
    data, ig, _ = fetch()
    p = data.profile
    assert (p.username, p.display_name, p.url) == (
        "historyihs",
        "History at Islwyn High",
        "https://www.instagram.com/historyihs/",
    )
    assert p.website is not None and p.website.url == "https://www.islwynhigh.co.uk/"
    assert [link.url for link in p.links] == ["https://www.islwynhigh.co.uk/ict-acceptable-use-policy"]
    assert query(responses.calls[0])["fields"] == ["id,username,name,biography,website"]

    trip, old = data.posts
    assert trip.url == "https://www.instagram.com/p/18000000000000003/"
    assert [link.url for link in trip.links] == ["https://castle.example/book"]
    assert [(m.type, m.url) for m in trip.media] == [
        ("photo", "https://scontent.cdninstagram.com/31.jpg"),
        ("video", "https://scontent.cdninstagram.com/32.jpg"),
    ]
    # Comments and replies by others; the account's own reply is not a comment.
    assert [(c.id, c.author, c.parent_id) for c in trip.comments] == [
        ("17900000000000001", "someparent", "18000000000000003"),
        ("17900000000000003", "gran_of_y8", "18000000000000003"),
        ("17900000000000004", "auntie", "17900000000000003"),
    ]
    assert [(m.type, m.url) for m in old.media] == [
        ("photo", "https://scontent.cdninstagram.com/18000000000000002.jpg")
    ]
    fields = query(responses.calls[1])["fields"][0]
    for name in ("caption", "media_type", "media_url", "permalink", "timestamp", "children", "replies"):
        assert name in fields
    assert ig.requests_made == 2 and data.complete is False
    assert all(TOKEN not in c.request.url for c in responses.calls)
    assert all(c.request.headers["Authorization"] == f"Bearer {TOKEN}" for c in responses.calls)


@responses.activate
def test_minimal_shapes(token):
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(MEDIA_URL, json={"data": [{"id": "18000000000000009", "media_type": "IMAGE"}]})
    data, _, _ = fetch()
    assert data.profile.bio == "" and data.profile.website is None and data.profile.display_name is None
    (only,) = data.posts
    assert (only.text, only.url, only.created_at, only.comments) == ("", None, None, ())
    assert [(m.type, m.url) for m in only.media] == [("photo", None)]


@responses.activate
def test_account_found_through_the_page_and_remembered(token):
    responses.get(ME_URL, json={"instagram_business_account": {"id": IG, "username": "historyihs"}, "id": "1234"})
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(MEDIA_URL, json=EMPTY)
    data, ig, _ = fetch(account=ACCOUNT)
    assert ig.requests_made == 3 and data.state["ig_user_id"] == IG

    responses.reset()
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(MEDIA_URL, json=EMPTY)
    _, ig2, _ = fetch(FetchContext(state=data.state), account=ACCOUNT)
    assert ig2.requests_made == 2


@responses.activate
def test_no_linked_account(token):
    responses.get(ME_URL, json={"id": "1234"})
    with pytest.raises(ConnectorError, match="no linked Instagram professional account; add ig_user_id"):
        fetch(account=ACCOUNT)


@responses.activate
def test_wrong_account(token):
    responses.get(USER_URL, json={"id": IG, "username": "someoneelse"})
    with pytest.raises(ConnectorError, match="is @someoneelse, not the registered @historyihs"):
        fetch()


@responses.activate
def test_pagination_across_pages(token):
    responses.get(USER_URL, json=MINIMAL_USER)
    page2 = {"data": [media("18000000000000001", 50)]}
    responses.get(MEDIA_URL, json=page2, match=[matchers.query_param_matcher({"after": "A2"}, strict_match=False)])
    next_url = f"{MEDIA_URL}?access_token={TOKEN}&limit=1&after=A2"
    responses.get(MEDIA_URL, json={"data": [media("18000000000000002", 40)], "paging": {"next": next_url}})
    data, ig, _ = fetch()
    assert [p.id for p in data.posts] == ["18000000000000002", "18000000000000001"]
    assert ig.requests_made == 3
    assert all(TOKEN not in c.request.url for c in responses.calls)


@responses.activate
def test_429_with_and_without_headers(token):
    responses.get(USER_URL, status=429, headers={"Retry-After": "4"})
    responses.get(USER_URL, status=429)
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(MEDIA_URL, json=EMPTY)
    _, _, slept = fetch()
    assert slept == [4.0, 2.0]


@responses.activate
def test_429_beyond_the_bound(token):
    responses.get(USER_URL, status=429, headers={"Retry-After": "3600"})
    with pytest.raises(RateLimited, match="longer than this run waits"):
        fetch()


@responses.activate
def test_graph_throttle_code(token):
    responses.get(
        USER_URL,
        status=400,
        json={"error": {"message": "(#4) Application request limit reached", "type": "OAuthException", "code": 4}},
    )
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(MEDIA_URL, json=EMPTY)
    _, _, slept = fetch()
    assert slept == [1.0]


@responses.activate
def test_5xx_then_success(token):
    responses.get(MEDIA_URL, status=502)
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(MEDIA_URL, json=EMPTY)
    _, ig, slept = fetch()
    assert slept == [1.0] and ig.requests_made == 3


@responses.activate
def test_timeout_then_success(token):
    responses.get(USER_URL, body=requests.ConnectTimeout("slow"))
    responses.get(USER_URL, json=MINIMAL_USER)
    responses.get(MEDIA_URL, json=EMPTY)
    _, _, slept = fetch()
    assert slept == [1.0]


@responses.activate
def test_malformed_json(token):
    responses.get(USER_URL, body='{"id": "1784', content_type="application/json")
    with pytest.raises(ConnectorError, match="not JSON"):
        fetch()


@responses.activate
def test_expired_token(token):
    responses.get(
        USER_URL,
        status=400,
        json={
            "error": {
                "message": "Error validating access token: The session has been invalidated because the user changed "
                "their password or Facebook has changed the session for security reasons.",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 460,
                "fbtrace_id": "Abc",
            }
        },
    )
    with pytest.raises(AuthFailed, match="META_ACCESS_TOKEN") as info:
        fetch()
    assert TOKEN not in str(info.value)


def test_missing_token(monkeypatch):
    monkeypatch.delenv("META_ACCESS_TOKEN", raising=False)
    with pytest.raises(ConnectorError, match=r"^set META_ACCESS_TOKEN"):
        fetch()


def test_offline(token):
    with pytest.raises(ConnectorError, match="needs the network"):
        fetch(FetchContext(offline=True))


def test_registered():
    assert isinstance(get_connector("instagram"), InstagramConnector)


@responses.activate
def test_second_run_of_an_unchanged_account_makes_few_requests(token):
    responses.get(USER_URL, json=FULL_USER)
    responses.get(MEDIA_URL, json=FULL_MEDIA)
    first, _, _ = fetch()

    responses.reset()
    responses.get(USER_URL, json=FULL_USER)
    responses.get(MEDIA_URL, json=FULL_MEDIA)
    second, ig, _ = fetch(FetchContext(state=first.state))
    # The profile and one page, which re-reads the media inside the comment window with their comments.
    assert ig.requests_made == 2
    assert query(responses.calls[1])["limit"] == ["25"]
    assert [p.id for p in second.posts] == ["18000000000000003"]
    assert second.comments_examined == 3
    assert second.state == first.state


@responses.activate
def test_later_run_stops_at_known_time_when_the_newest_post_was_deleted(token):
    state = {"newest_id": "18000000000000099", "newest_time": when(20), "ig_user_id": IG}
    responses.get(USER_URL, json=MINIMAL_USER)
    newer = media("18000000000000100", 2)
    older = media("18000000000000050", 25)
    next_url = f"{MEDIA_URL}?limit=25&after=Z"
    responses.get(MEDIA_URL, json={"data": [newer, older], "paging": {"next": next_url}})
    data, ig, _ = fetch(FetchContext(state=state))
    assert [p.id for p in data.posts] == ["18000000000000100"]
    assert ig.requests_made == 2
    assert data.state["newest_id"] == "18000000000000100"


@responses.activate
def test_a_post_a_comment_and_a_reply_repeated_across_pages_are_read_once(token):
    """Cursor pages shift when a post or comment is added between two requests: the next page repeats one."""
    responses.get(USER_URL, json=MINIMAL_USER)
    more = f"{GRAPH}/18000000000000002/comments"
    rude = {
        **reply("17900000000000011", "idiots, all of you", "troll", 1),
        "replies": {"data": [reply("17900000000000012", "be kind", "parent", 1)] * 2},
    }
    repeated = media(
        "18000000000000002",
        2,
        comments={
            "data": [rude],
            "paging": {"cursors": {"after": "C2"}, "next": f"{more}?access_token={TOKEN}&limit=1&after=C2"},
        },
    )
    responses.get(more, json={"data": [rude, reply("17900000000000013", "lovely", "gran", 1)]})
    page2 = {"data": [repeated, media("18000000000000001", 3)]}
    responses.get(MEDIA_URL, json=page2, match=[matchers.query_param_matcher({"after": "A2"}, strict_match=False)])
    next_url = f"{MEDIA_URL}?access_token={TOKEN}&limit=2&after=A2"
    page1 = {"data": [media("18000000000000003", 1), repeated], "paging": {"next": next_url}}
    responses.get(MEDIA_URL, json=page1)

    data, _, _ = fetch()

    assert [p.id for p in data.posts] == ["18000000000000003", "18000000000000002", "18000000000000001"]
    assert [c.id for c in data.posts[1].comments] == ["17900000000000011", "17900000000000012", "17900000000000013"]
    assert all(TOKEN not in c.request.url for c in responses.calls)


@responses.activate
def test_a_repeated_page_with_abuse_on_it_is_audited_once_through_the_runner(token, tmp_path):
    responses.get(USER_URL, json=MINIMAL_USER)
    today = dt.datetime.now(dt.UTC)
    rude = {**reply("17900000000000021", "idiots, all of you", "troll", 1), "timestamp": today.isoformat()}
    repeated = {**media("18000000000000002", 2, comments={"data": [rude]}), "timestamp": today.isoformat()}
    page2 = {"data": [repeated, media("18000000000000001", 3)]}
    responses.get(MEDIA_URL, json=page2, match=[matchers.query_param_matcher({"after": "A2"}, strict_match=False)])
    next_url = f"{MEDIA_URL}?access_token={TOKEN}&limit=2&after=A2"
    responses.get(MEDIA_URL, json={"data": [media("18000000000000003", 1), repeated], "paging": {"next": next_url}})
    body = (
        f'[[accounts]]\nhandle = "@historyihs"\nplatform = "instagram"\ndepartment = "History"\nig_user_id = "{IG}"\n'
    )
    config = write_config(tmp_path, body)
    run = ["run", "--all", "--config", str(config), "--out", str(tmp_path / "out"), "--no-email"]

    assert main([*run, "--checks", "comments.inappropriate"]) == 1

    doc = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert doc["accounts"][0]["status"] == "ok" and doc["accounts"][0]["posts_examined"] == 3
    assert [f["status"] for f in doc["findings"]] == ["FAIL"]
