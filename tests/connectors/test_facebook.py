"""The live Facebook Page connector, replaying Graph API answers in their real shapes with `responses`."""

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
from auditor.connectors.facebook import FacebookConnector
from auditor.connectors.graph import strip_token
from auditor.model import Account
from auditor.net.http import AuthFailed, RateLimited
from tests.conftest import write_config

NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
TOKEN = "EAAGFakeMetaPageToken0123456789abcdef"
GRAPH = "https://graph.facebook.com/v26.0"
PAGE_URL = f"{GRAPH}/HistoryIHS"
POSTS_URL = f"{GRAPH}/1234/posts"
ACCOUNT = Account(handle="@HistoryIHS", platform="facebook", department="History")


def when(days_ago: float) -> str:
    return (NOW - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%S+0000")


FULL_PAGE = {
    "id": "1234",
    "username": "HistoryIHS",
    "name": "History at Islwyn High",
    "about": "History department. AUP: https://www.islwynhigh.co.uk/ict-acceptable-use-policy",
    "description": "News from the History department.",
    "website": "https://www.islwynhigh.co.uk https://history.islwynhigh.co.uk",
    "link": "https://www.facebook.com/HistoryIHS",
}
MINIMAL_PAGE = {"id": "1234", "name": "HistoryIHS"}


def comment(cid: str, text: str, author: tuple[str, str] | None, days_ago: float, parent: str | None = None) -> dict:
    c: dict = {
        "id": cid,
        "message": text,
        "created_time": when(days_ago),
        "permalink_url": f"https://www.facebook.com/HistoryIHS/posts/5678?comment_id={cid}",
    }
    if author:
        c["from"] = {"id": author[0], "name": author[1]}
    if parent:
        c["parent"] = {"id": parent}
    return c


def post(pid: str, days_ago: float, message: str | None = "A post", **extra: object) -> dict:
    p: dict = {
        "id": pid,
        "permalink_url": f"https://www.facebook.com/HistoryIHS/posts/{pid.split('_')[1]}",
        "created_time": when(days_ago),
        **extra,
    }
    if message is not None:
        p["message"] = message
    return p


FULL_POSTS = {
    "data": [
        post(
            "1234_5678",
            1,
            "Our trip to St Fagans! More at https://museum.example/visit",
            attachments={
                "data": [
                    {
                        "type": "album",
                        "url": "https://www.facebook.com/media/set/?set=a.1",
                        "target": {"id": "1", "url": "https://www.facebook.com/media/set/?set=a.1"},
                        "subattachments": {
                            "data": [
                                {
                                    "type": "photo",
                                    "url": "https://www.facebook.com/photo.php?fbid=11",
                                    "media": {
                                        "image": {"height": 720, "src": "https://scontent.example/11.jpg", "width": 960}
                                    },
                                    "target": {"id": "11", "url": "https://www.facebook.com/photo.php?fbid=11"},
                                }
                            ]
                        },
                    }
                ]
            },
            comments={
                "data": [
                    comment("5678_1", "Shame on you lot", ("99", "A Parent"), 0.5),
                    comment("5678_2", "Please message us", ("1234", "History at Islwyn High"), 0.4, "5678_1"),
                    comment("5678_3", "Great trip", None, 0.3),
                ],
                "paging": {"cursors": {"before": "QVFIb", "after": "QVFIa"}},
            },
        ),
        post(
            "1234_5600",
            30,
            None,
            attachments={
                "data": [
                    {
                        "type": "share",
                        "url": "https://l.facebook.com/l.php?u=https%3A%2F%2Fcadw.example%2Fopen-day&h=AT0x",
                        "title": "Open day",
                        "media": {"image": {"height": 630, "src": "https://external.example/og.jpg", "width": 1200}},
                        "target": {"url": "https://l.facebook.com/l.php?u=https%3A%2F%2Fcadw.example%2Fopen-day"},
                    }
                ]
            },
        ),
    ],
    "paging": {"cursors": {"before": "QVFIUx", "after": "QVFIUy"}},
}
EMPTY = {"data": []}


@pytest.fixture
def token(monkeypatch):
    monkeypatch.setenv("META_ACCESS_TOKEN", TOKEN)
    monkeypatch.delenv("META_GRAPH_VERSION", raising=False)
    return TOKEN


def fetch(ctx: FetchContext | None = None, account: Account = ACCOUNT, **overrides: object):
    slept: list[float] = []
    values: dict[str, object] = {"sleep": slept.append, "now": lambda: NOW}
    values.update(overrides)
    fb = FacebookConnector(**values)  # type: ignore[arg-type]
    return fb.fetch(account, ctx or FetchContext()), fb, slept


def query(call) -> dict[str, list[str]]:
    return parse_qs(urlsplit(call.request.url).query)


def no_token_in_urls() -> None:
    assert all(TOKEN not in c.request.url for c in responses.calls)
    assert all(c.request.headers.get("Authorization") == f"Bearer {TOKEN}" for c in responses.calls)


@responses.activate
def test_full_shapes(token):
    responses.get(PAGE_URL, json=FULL_PAGE)
    responses.get(POSTS_URL, json=FULL_POSTS)
    data, fb, _ = fetch()
    p = data.profile
    assert (p.username, p.display_name, p.url) == ("HistoryIHS", "History at Islwyn High", FULL_PAGE["link"])
    assert p.website is not None and p.website.url == "https://www.islwynhigh.co.uk"
    assert [link.url for link in p.links] == [
        "https://www.islwynhigh.co.uk/ict-acceptable-use-policy",
        "https://history.islwynhigh.co.uk",
    ]
    assert "History department" in (p.bio or "") and "News from" in (p.bio or "")
    assert query(responses.calls[0])["fields"] == ["id,username,name,about,description,website,link"]

    trip, share = data.posts
    assert trip.url == "https://www.facebook.com/HistoryIHS/posts/5678"
    assert trip.created_at == NOW - dt.timedelta(days=1)
    assert [link.url for link in trip.links] == ["https://museum.example/visit"]
    assert [(m.id, m.type, m.url) for m in trip.media] == [("11", "photo", "https://scontent.example/11.jpg")]
    # The Page's own answer is not a comment; a comment without `from` still counts.
    assert [(c.id, c.author, c.parent_id) for c in trip.comments] == [
        ("5678_1", "A Parent", "1234_5678"),
        ("5678_3", None, "1234_5678"),
    ]
    assert share.text == ""
    assert [link.target for link in share.links] == ["https://cadw.example/open-day"]
    assert data.complete is False and fb.requests_made == 2
    fields = query(responses.calls[1])["fields"][0]
    assert "attachments{type,url,media,target" in fields and "comments.filter(stream)" in fields
    assert data.state["newest_id"] == "1234_5678"
    no_token_in_urls()


@responses.activate
def test_minimal_shapes(token):
    responses.get(PAGE_URL, json=MINIMAL_PAGE)
    responses.get(POSTS_URL, json={"data": [{"id": "1234_1", "created_time": when(2)}]})
    data, _, _ = fetch()
    assert data.profile.username == "HistoryIHS" and data.profile.bio == "" and data.profile.website is None
    (only,) = data.posts
    assert (only.text, only.url, only.links, only.media, only.comments) == ("", None, (), (), ())


@responses.activate
def test_page_id_from_the_config(token):
    responses.get(f"{GRAPH}/1234", json=MINIMAL_PAGE)
    responses.get(POSTS_URL, json=EMPTY)
    data, _, _ = fetch(account=Account("@HistoryIHS", "facebook", "History", page_id="1234"))
    assert data.profile.username == "HistoryIHS"


@responses.activate
def test_pagination_strips_the_token_from_next(token):
    responses.get(PAGE_URL, json=MINIMAL_PAGE)
    page2 = {"data": [post("1234_2", 40)], "paging": {}}
    responses.get(POSTS_URL, json=page2, match=[matchers.query_param_matcher({"after": "CUR2"}, strict_match=False)])
    page1 = {
        "data": [post("1234_3", 20)],
        "paging": {
            "cursors": {"before": "B", "after": "CUR2"},
            "next": f"{POSTS_URL}?access_token={TOKEN}&fields=id%2Cmessage&limit=1&after=CUR2",
        },
    }
    responses.get(POSTS_URL, json=page1)
    data, fb, _ = fetch(first_run_posts=2)
    assert [p.id for p in data.posts] == ["1234_3", "1234_2"]
    assert fb.requests_made == 3
    no_token_in_urls()


@responses.activate
def test_comment_pages_are_followed(token):
    responses.get(PAGE_URL, json=MINIMAL_PAGE)
    more = f"{GRAPH}/1234_1/comments"
    first = post(
        "1234_1",
        1,
        comments={
            "data": [comment("c1", "one", ("9", "A"), 0.5)],
            "paging": {"next": f"{more}?access_token={TOKEN}&limit=1&after=X"},
        },
    )
    responses.get(POSTS_URL, json={"data": [first]})
    responses.get(more, json={"data": [comment("c2", "two", ("9", "A"), 0.4)]})
    data, _, _ = fetch()
    assert [c.id for c in data.posts[0].comments] == ["c1", "c2"]
    no_token_in_urls()


@responses.activate
def test_next_page_on_another_host_is_not_followed(token):
    responses.get(PAGE_URL, json=MINIMAL_PAGE)
    responses.get(POSTS_URL, json={"data": [post("1234_1", 1)], "paging": {"next": "https://evil.example/steal"}})
    data, fb, _ = fetch()
    assert len(data.posts) == 1 and fb.requests_made == 2


def test_strip_token():
    url = f"{POSTS_URL}?access_token={TOKEN}&limit=25&after=QVF"
    assert strip_token(url) == f"{POSTS_URL}?limit=25&after=QVF"


@responses.activate
def test_429_with_and_without_headers(token):
    responses.get(PAGE_URL, status=429, headers={"Retry-After": "3"})
    responses.get(PAGE_URL, status=429)
    responses.get(PAGE_URL, json=MINIMAL_PAGE)
    responses.get(POSTS_URL, json=EMPTY)
    _, _, slept = fetch()
    assert slept == [3.0, 2.0]  # the header's 3 s, then backoff for the second try


@responses.activate
def test_graph_throttle_code_is_bounded(token):
    throttle = {
        "error": {
            "message": "(#32) Page request limit reached",
            "type": "OAuthException",
            "is_transient": True,
            "code": 32,
            "fbtrace_id": "AbCdEf",
        }
    }
    responses.get(PAGE_URL, status=403, json=throttle)
    with pytest.raises(RateLimited):
        fetch(retries=1)


@responses.activate
def test_5xx_then_success(token):
    responses.get(PAGE_URL, status=500, json={"error": {"message": "An unknown error occurred", "code": 1}})
    responses.get(PAGE_URL, json=MINIMAL_PAGE)
    responses.get(POSTS_URL, json=EMPTY)
    _, _, slept = fetch()
    assert slept == [1.0]


@responses.activate
def test_timeout(token):
    responses.get(PAGE_URL, body=requests.ReadTimeout("slow"))
    with pytest.raises(ConnectorError, match="did not answer in time after 4 tries"):
        fetch()


@responses.activate
def test_malformed_json(token):
    responses.get(PAGE_URL, body="<html><body>Sorry, something went wrong.</body></html>", content_type="text/html")
    with pytest.raises(ConnectorError, match="not JSON"):
        fetch()


@responses.activate
def test_expired_token(token):
    expired = {
        "error": {
            "message": "Error validating access token: Session has expired on Monday, 23-Nov-26 09:00:00 PST. "
            f"The current time is Monday, 23-Nov-26 18:00:00 PST. token={TOKEN}",
            "type": "OAuthException",
            "code": 190,
            "error_subcode": 463,
            "fbtrace_id": "A1b2",
        }
    }
    responses.get(PAGE_URL, status=400, json=expired)
    with pytest.raises(AuthFailed) as info:
        fetch()
    assert "META_ACCESS_TOKEN" in str(info.value) and "Session has expired" in str(info.value)
    assert TOKEN not in str(info.value)


def test_missing_token(monkeypatch):
    monkeypatch.delenv("META_ACCESS_TOKEN", raising=False)
    with pytest.raises(ConnectorError, match=r"^set META_ACCESS_TOKEN to a Page access token"):
        fetch()


def test_offline(token):
    with pytest.raises(ConnectorError, match="needs the network"):
        fetch(FetchContext(offline=True))


@responses.activate
def test_graph_version_is_configurable(token, monkeypatch):
    monkeypatch.setenv("META_GRAPH_VERSION", "v25.0")
    responses.get("https://graph.facebook.com/v25.0/HistoryIHS", json=MINIMAL_PAGE)
    responses.get("https://graph.facebook.com/v25.0/1234/posts", json=EMPTY)
    fetch()
    monkeypatch.setenv("META_GRAPH_VERSION", "latest")
    with pytest.raises(ConnectorError, match="META_GRAPH_VERSION should look like"):
        fetch()


def test_registered():
    assert isinstance(get_connector("facebook"), FacebookConnector)


@responses.activate
def test_second_run_of_an_unchanged_page_makes_few_requests(token):
    responses.get(PAGE_URL, json=FULL_PAGE)
    responses.get(POSTS_URL, json=FULL_POSTS)
    first, _, _ = fetch()
    assert first.state["newest_id"] == "1234_5678"

    responses.reset()
    responses.get(PAGE_URL, json=FULL_PAGE)
    responses.get(POSTS_URL, json=FULL_POSTS)
    second, fb, _ = fetch(FetchContext(state=first.state))
    # The profile and one page: it re-reads the post inside the comment window with its comments, and stops at the
    # first post that is both known and older than the window.
    assert fb.requests_made == 2
    assert query(responses.calls[1])["limit"] == ["25"]
    assert [p.id for p in second.posts] == ["1234_5678"]
    assert second.comments_examined == first.posts[0].comments.__len__() == 2
    assert second.state == first.state


@responses.activate
def test_later_run_reads_on_through_the_window(token):
    state = {"newest_id": "1234_9", "newest_time": when(2)}
    responses.get(PAGE_URL, json=MINIMAL_PAGE)
    page2 = {"data": [post("1234_7", 5), post("1234_1", 30), post("1234_0", 31)]}
    responses.get(POSTS_URL, json=page2, match=[matchers.query_param_matcher({"after": "N"}, strict_match=False)])
    page1 = {
        "data": [post("1234_10", 1), post("1234_9", 2), post("1234_8", 3)],
        "paging": {"next": f"{POSTS_URL}?access_token={TOKEN}&limit=3&after=N"},
    }
    responses.get(POSTS_URL, json=page1)
    data, fb, _ = fetch(FetchContext(state=state))
    assert [p.id for p in data.posts] == ["1234_10", "1234_9", "1234_8", "1234_7"]
    assert fb.requests_made == 3
    assert data.state == {"newest_id": "1234_10", "newest_time": parse(when(1))}
    no_token_in_urls()


def parse(value: str) -> str:
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z").isoformat()


@responses.activate
def test_a_post_and_a_comment_repeated_on_the_next_page_are_read_once(token):
    """A post published between two requests shifts Graph's cursor pages: the next page repeats the last post of the
    previous one, and a comment page repeats a comment."""
    responses.get(PAGE_URL, json=MINIMAL_PAGE)
    more = f"{GRAPH}/1234_2/comments"
    second = post(
        "1234_2",
        2,
        comments={
            "data": [comment("2_1", "You lot are idiots", ("9", "Troll"), 1), comment("2_2", "Hi", ("8", "B"), 1)],
            "paging": {"cursors": {"before": "b", "after": "a"}, "next": f"{more}?access_token={TOKEN}&after=a"},
        },
    )
    responses.get(more, json={"data": [comment("2_2", "Hi", ("8", "B"), 1), comment("2_3", "Bye", ("7", "C"), 1)]})
    shifted = f"{POSTS_URL}?access_token={TOKEN}&fields=id&limit=2&after=CUR2"
    page2 = {"data": [second, post("1234_1", 3)], "paging": {"cursors": {"before": "x"}}}
    responses.get(POSTS_URL, json=page2, match=[matchers.query_param_matcher({"after": "CUR2"}, strict_match=False)])
    page1 = {
        "data": [post("1234_3", 1), second],
        "paging": {"cursors": {"before": "B", "after": "CUR2"}, "next": shifted},
    }
    responses.get(POSTS_URL, json=page1)

    data, _, _ = fetch(first_run_posts=3)

    # The repeat neither counts towards the first run's three posts nor is judged twice.
    assert [p.id for p in data.posts] == ["1234_3", "1234_2", "1234_1"]
    assert [c.id for c in data.posts[1].comments] == ["2_1", "2_2", "2_3"]
    no_token_in_urls()


@responses.activate
def test_a_repeated_page_with_abuse_on_it_is_audited_once_through_the_runner(token, tmp_path):
    responses.get(PAGE_URL, json=MINIMAL_PAGE)
    rude = post("1234_2", 2, comments={"data": [comment("2_1", "You lot are idiots", ("9", "Troll"), 1)]})
    later = f"{POSTS_URL}?access_token={TOKEN}&limit=2&after=CUR2"
    page2 = {"data": [rude, post("1234_1", 3)]}
    responses.get(POSTS_URL, json=page2, match=[matchers.query_param_matcher({"after": "CUR2"}, strict_match=False)])
    responses.get(POSTS_URL, json={"data": [post("1234_3", 1), rude], "paging": {"next": later}})
    config = write_config(
        tmp_path, '[[accounts]]\nhandle = "@HistoryIHS"\nplatform = "facebook"\ndepartment = "History"\n'
    )
    run = ["run", "--all", "--config", str(config), "--out", str(tmp_path / "out"), "--no-email"]

    assert main([*run, "--checks", "comments.inappropriate"]) == 1

    doc = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert doc["accounts"][0]["status"] == "ok" and doc["accounts"][0]["posts_examined"] == 3
    assert [f["status"] for f in doc["findings"]] == ["FAIL"]
    no_token_in_urls()
