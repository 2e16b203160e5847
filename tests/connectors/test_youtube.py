"""YouTube connector: real-shaped YouTube Data API v3 answers replayed with `responses`."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
import requests
import responses
from responses import matchers

from auditor.connectors import ConnectorError, FetchContext, get_connector
from auditor.connectors.youtube import API, REPLY_PAGES, YouTubeConnector
from auditor.net.http import AuthFailed, RateLimited
from tests.conftest import account

KEY = "AIzaSyTEST-not-a-real-key-0123456789abc"
CHANNELS, PLAYLIST, VIDEOS = f"{API}/channels", f"{API}/playlistItems", f"{API}/videos"
THREADS, COMMENTS = f"{API}/commentThreads", f"{API}/comments"
CHANNEL_ID, UPLOADS = "UCh1st0ryIHS0000000000aa", "UUh1st0ryIHS0000000000aa"
AUP = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv("YOUTUBE_API_KEY", KEY)


def ago(**delta: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


def google_error(code: int, reason: str, message: str, **extra: Any) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": "youtube.quota", "reason": reason}],
            **extra,
        }
    }


def channel(**snippet: Any) -> dict[str, Any]:
    base_snippet = {
        "title": "History IHS",
        "description": f"History at Islwyn High School.\nOur acceptable use policy: {AUP}",
        "customUrl": "@historyihs",
        "publishedAt": "2020-01-06T09:00:00Z",
        "thumbnails": {"default": {"url": "https://yt3.ggpht.com/abc=s88", "width": 88, "height": 88}},
        "localized": {"title": "History IHS", "description": "..."},
        "country": "GB",
    }
    base_snippet.update(snippet)
    return {
        "kind": "youtube#channelListResponse",
        "etag": "e1",
        "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
        "items": [
            {
                "kind": "youtube#channel",
                "etag": "e2",
                "id": CHANNEL_ID,
                "snippet": {k: v for k, v in base_snippet.items() if v is not None},
                "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": UPLOADS}},
            }
        ],
    }


def playlist(videos: list[tuple[str, str]], next_token: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "youtube#playlistItemListResponse",
        "etag": "p",
        "items": [
            {
                "kind": "youtube#playlistItem",
                "etag": f"pi{vid}",
                "id": f"VVpl{vid}",
                "contentDetails": {"videoId": vid, "videoPublishedAt": when},
            }
            for vid, when in videos
        ],
        "pageInfo": {"totalResults": len(videos), "resultsPerPage": 50},
    }
    if next_token:
        body["nextPageToken"] = next_token
    return body


def video(vid: str, when: str, title: str = "A lesson", description: str = "", thumbs: bool = True) -> dict:
    snippet: dict[str, Any] = {
        "publishedAt": when,
        "channelId": CHANNEL_ID,
        "title": title,
        "description": description,
        "channelTitle": "History IHS",
        "categoryId": "27",
        "liveBroadcastContent": "none",
        "localized": {"title": title, "description": description},
    }
    if thumbs:
        snippet["thumbnails"] = {
            "default": {"url": f"https://i.ytimg.com/vi/{vid}/default.jpg", "width": 120, "height": 90},
            "high": {"url": f"https://i.ytimg.com/vi/{vid}/hqdefault.jpg", "width": 480, "height": 360},
        }
    return {"kind": "youtube#video", "etag": f"v{vid}", "id": vid, "snippet": snippet}


def videos(*items: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "youtube#videoListResponse", "etag": "vl", "items": list(items), "pageInfo": {}}


def comment(cid: str, vid: str, text: str, who: str = "UCparent", parent: str | None = None) -> dict[str, Any]:
    snippet: dict[str, Any] = {
        "channelId": CHANNEL_ID,
        "videoId": vid,
        "textDisplay": text,
        "textOriginal": text,
        "authorDisplayName": f"@{who.lower()}",
        "authorProfileImageUrl": "https://yt3.ggpht.com/x",
        "authorChannelUrl": f"http://www.youtube.com/@{who.lower()}",
        "authorChannelId": {"value": who},
        "canRate": True,
        "viewerRating": "none",
        "likeCount": 0,
        "publishedAt": ago(hours=2),
        "updatedAt": ago(hours=2),
    }
    if parent:
        snippet["parentId"] = parent
    return {"kind": "youtube#comment", "etag": f"c{cid}", "id": cid, "snippet": snippet}


def threads(vid: str, *items: tuple[dict[str, Any], list[dict[str, Any]], int]) -> dict[str, Any]:
    return {
        "kind": "youtube#commentThreadListResponse",
        "etag": "t",
        "pageInfo": {"totalResults": len(items), "resultsPerPage": 100},
        "items": [
            {
                "kind": "youtube#commentThread",
                "etag": "th",
                "id": top["id"],
                "snippet": {
                    "channelId": CHANNEL_ID,
                    "videoId": vid,
                    "topLevelComment": top,
                    "canReply": True,
                    "totalReplyCount": total,
                    "isPublic": True,
                },
                **({"replies": {"comments": replies}} if replies else {}),
            }
            for top, replies, total in items
        ],
    }


def the_account() -> Any:
    return account(handle="@HistoryIHS", platform="youtube")


def add_channel_and_uploads(vids: list[tuple[str, str]]) -> None:
    responses.get(CHANNELS, json=channel())
    responses.get(PLAYLIST, json=playlist(vids))


def no_key_in_urls() -> None:
    for call in responses.calls:
        assert KEY not in call.request.url
        assert "key=" not in call.request.url
        assert call.request.headers.get("X-Goog-Api-Key") == KEY


@responses.activate
def test_full_shapes_become_the_model(caplog):
    caplog.set_level(logging.DEBUG)
    responses.get(
        CHANNELS,
        json=channel(),
        match=[matchers.query_param_matcher({"part": "snippet,contentDetails", "forHandle": "@HistoryIHS"})],
    )
    responses.get(PLAYLIST, json=playlist([("vid1", ago(days=1)), ("vid0", ago(days=30))]))
    description = "Worksheet: https://www.islwynhigh.co.uk/history/ww1.pdf and bit.ly/3xyzABC."
    responses.get(
        VIDEOS,
        json=videos(video("vid1", ago(days=1), "Trenches", description), video("vid0", ago(days=30))),
        match=[matchers.query_param_matcher({"part": "snippet", "id": "vid1,vid0", "maxResults": "50"})],
    )
    top = comment("Ugx1", "vid1", "Great video")
    own = comment("Ugx1.r1", "vid1", "Thanks!", who=CHANNEL_ID, parent="Ugx1")
    rude = comment("Ugx1.r2", "vid1", "worst school ever", who="UCtroll", parent="Ugx1")
    responses.get(THREADS, json=threads("vid1", (top, [own, rude], 2)))

    data = YouTubeConnector().fetch(the_account(), FetchContext())

    profile = data.profile
    assert (profile.username, profile.display_name) == ("historyihs", "History IHS")
    assert [link.url for link in profile.links] == [AUP]
    assert profile.url == "https://www.youtube.com/@historyihs"
    assert profile.website is None
    new, old = data.posts
    assert new.id == "vid1" and new.url == "https://www.youtube.com/watch?v=vid1"
    assert new.text == f"Trenches\n\n{description}"
    assert [link.url for link in new.links] == ["https://www.islwynhigh.co.uk/history/ww1.pdf", "bit.ly/3xyzABC"]
    assert [(m.type, m.url) for m in new.media] == [("video", "https://i.ytimg.com/vi/vid1/hqdefault.jpg")]
    assert [(c.id, c.author, c.text, c.parent_id) for c in new.comments] == [
        ("Ugx1", "@ucparent", "Great video", None),
        ("Ugx1.r2", "@uctroll", "worst school ever", "Ugx1"),
    ]
    assert new.comments[1].url == "https://www.youtube.com/watch?v=vid1&lc=Ugx1.r2"
    assert old.comments == ()  # older than the comment window: not read
    assert len(responses.calls) == 4
    no_key_in_urls()
    assert caplog.records and KEY not in caplog.text


@responses.activate
def test_minimal_shapes_with_optional_fields_absent():
    responses.get(CHANNELS, json=channel(description=None, customUrl=None))
    responses.get(PLAYLIST, json=playlist([("v", ago(days=1))]))
    responses.get(VIDEOS, json=videos(video("v", ago(days=1), "", "", thumbs=False)))
    responses.get(THREADS, json={"kind": "youtube#commentThreadListResponse", "items": []})

    data = YouTubeConnector().fetch(the_account(), FetchContext())

    assert data.profile.bio == "" and data.profile.links == () and data.profile.username == "HistoryIHS"
    assert data.profile.url == f"https://www.youtube.com/channel/{CHANNEL_ID}"
    (post,) = data.posts
    assert (post.text, post.links, post.comments) == ("", (), ())
    assert post.media[0].url is None


@responses.activate
def test_channel_without_uploads_has_no_posts():
    responses.get(CHANNELS, json=channel())
    responses.get(
        PLAYLIST,
        status=404,
        json=google_error(
            404, "playlistNotFound", "The playlist identified with the request's playlistId cannot be found."
        ),
    )

    data = YouTubeConnector().fetch(the_account(), FetchContext())

    assert data.posts == []


@responses.activate
def test_unknown_handle_says_so():
    responses.get(CHANNELS, json={"kind": "youtube#channelListResponse", "etag": "x", "pageInfo": {"totalResults": 0}})

    with pytest.raises(ConnectorError, match="no channel with the handle @HistoryIHS"):
        YouTubeConnector().fetch(the_account(), FetchContext())


@responses.activate
def test_comments_disabled_is_zero_comments_not_an_error():
    add_channel_and_uploads([("v1", ago(days=1))])
    responses.get(VIDEOS, json=videos(video("v1", ago(days=1))))
    message = 'The video identified by the <code><a href="/youtube/v3/docs/commentThreads/list#videoId">videoId</a>'
    responses.get(THREADS, status=403, json=google_error(403, "commentsDisabled", message + " has disabled comments."))

    data = YouTubeConnector().fetch(the_account(), FetchContext())

    assert data.posts[0].comments == ()


@responses.activate
def test_more_replies_than_the_thread_carries_are_read_from_comments_list():
    add_channel_and_uploads([("v1", ago(days=1))])
    responses.get(VIDEOS, json=videos(video("v1", ago(days=1))))
    top = comment("T1", "v1", "question")
    responses.get(THREADS, json=threads("v1", (top, [comment("T1.a", "v1", "first", parent="T1")], 7)))
    every = [comment(f"T1.{n}", "v1", f"reply {n}", parent="T1") for n in range(7)]
    responses.get(
        COMMENTS,
        json={"kind": "youtube#commentListResponse", "items": every},
        match=[matchers.query_param_matcher({"parentId": "T1"}, strict_match=False)],
    )

    data = YouTubeConnector().fetch(the_account(), FetchContext())

    assert [c.text for c in data.posts[0].comments] == ["question"] + [f"reply {n}" for n in range(7)]


@responses.activate
def test_pagination_of_uploads_and_comment_threads():
    responses.get(CHANNELS, json=channel())
    page1 = [(f"a{n}", ago(days=20 + n)) for n in range(50)]
    page2 = [(f"b{n}", ago(days=80 + n)) for n in range(10)]
    responses.get(
        PLAYLIST,
        json=playlist(page1, "TOKEN2"),
        match=[matchers.query_param_matcher({"playlistId": UPLOADS}, strict_match=False)],
    )
    responses.get(
        PLAYLIST,
        json=playlist(page2),
        match=[matchers.query_param_matcher({"pageToken": "TOKEN2"}, strict_match=False)],
    )
    responses.get(VIDEOS, json=videos(*(video(v, w) for v, w in page1)))
    responses.get(VIDEOS, json=videos(*(video(v, w) for v, w in page2)))

    data = YouTubeConnector().fetch(the_account(), FetchContext())

    assert len(data.posts) == 60
    playlist_calls = [c for c in responses.calls if c.request.url.startswith(PLAYLIST)]
    assert len(playlist_calls) == 2 and "pageToken=TOKEN2" in playlist_calls[1].request.url
    video_calls = [c for c in responses.calls if c.request.url.startswith(VIDEOS)]
    assert len(video_calls) == 2  # at most 50 ids a request


@responses.activate
def test_comment_threads_follow_next_page_token():
    add_channel_and_uploads([("v1", ago(days=1))])
    responses.get(VIDEOS, json=videos(video("v1", ago(days=1))))
    first = threads("v1", (comment("A", "v1", "one"), [], 0))
    first["nextPageToken"] = "NEXT"
    responses.get(THREADS, json=first, match=[matchers.query_param_matcher({"videoId": "v1"}, strict_match=False)])
    responses.get(
        THREADS,
        json=threads("v1", (comment("B", "v1", "two"), [], 0)),
        match=[matchers.query_param_matcher({"pageToken": "NEXT"}, strict_match=False)],
    )

    data = YouTubeConnector().fetch(the_account(), FetchContext())

    assert [c.text for c in data.posts[0].comments] == ["one", "two"]


@responses.activate
def test_second_run_of_unchanged_account_makes_few_requests():
    responses.get(CHANNELS, json=channel())
    uploads = [("v3", ago(days=1)), ("v2", ago(days=6)), ("v1", ago(days=50))]
    responses.get(PLAYLIST, json=playlist(uploads))
    responses.get(VIDEOS, json=videos(*(video(v, w) for v, w in uploads)))
    responses.get(THREADS, json=threads("v", (comment("C", "v", "hi"), [], 0)))
    first = YouTubeConnector().fetch(the_account(), FetchContext())
    first_calls = len(responses.calls)
    assert first_calls == 1 + 1 + 1 + 2

    second = YouTubeConnector().fetch(the_account(), FetchContext(state=first.state))

    urls = [c.request.url for c in responses.calls[first_calls:]]
    # The profile, one page of uploads, the watched videos re-read in one request, and their comments.
    assert len(urls) == 1 + 1 + 1 + 2
    assert sum(u.startswith(THREADS) for u in urls) == 2
    assert "id=v3%2Cv2" in next(u for u in urls if u.startswith(VIDEOS))
    assert sorted(p.id for p in second.posts) == ["v2", "v3"]
    no_key_in_urls()


@responses.activate
def test_a_used_up_daily_quota_is_not_retried_and_errors_without_the_key():
    # The quota renews at midnight Pacific time: three more tries within the minute would only spend requests.
    responses.get(CHANNELS, json=channel())
    quota = "The request cannot be completed because you have exceeded your quota."
    responses.get(PLAYLIST, status=403, json=google_error(403, "quotaExceeded", quota))
    slept: list[float] = []

    with pytest.raises(RateLimited) as caught:
        YouTubeConnector(sleep=slept.append).fetch(the_account(), FetchContext())

    assert slept == [] and len(responses.calls) == 2  # the channel, then one refused page
    assert "daily quota is used up" in str(caught.value)
    assert KEY not in str(caught.value)
    no_key_in_urls()


@responses.activate
def test_429_with_and_without_retry_after():
    responses.get(
        CHANNELS, status=429, json=google_error(429, "rateLimitExceeded", "slow"), headers={"Retry-After": "7"}
    )
    responses.get(CHANNELS, status=429, json=google_error(429, "rateLimitExceeded", "slow"))
    responses.get(CHANNELS, json=channel())
    responses.get(PLAYLIST, json=playlist([]))
    slept: list[float] = []

    data = YouTubeConnector(sleep=slept.append).fetch(the_account(), FetchContext())

    assert data.posts == [] and slept == [7.0, 2.0]


@responses.activate
def test_retry_after_beyond_the_bound_is_an_error():
    responses.get(CHANNELS, status=429, json={}, headers={"Retry-After": "3600"})

    with pytest.raises(RateLimited, match="asked us to wait 3600 s"):
        YouTubeConnector(sleep=lambda s: None).fetch(the_account(), FetchContext())


@responses.activate
def test_5xx_then_success_and_a_timeout_then_success():
    responses.get(CHANNELS, status=500, json=google_error(500, "backendError", "Backend Error"))
    responses.get(CHANNELS, json=channel())
    responses.get(PLAYLIST, body=requests.ReadTimeout("read timed out"))
    responses.get(PLAYLIST, json=playlist([]))
    slept: list[float] = []

    data = YouTubeConnector(sleep=slept.append).fetch(the_account(), FetchContext())

    assert data.posts == [] and slept == [1.0, 1.0]


@responses.activate
def test_timeouts_every_time_are_an_error():
    responses.get(CHANNELS, body=requests.ConnectTimeout("timed out"))

    with pytest.raises(ConnectorError, match="did not answer in time after 4 tries"):
        YouTubeConnector(sleep=lambda s: None).fetch(the_account(), FetchContext())


@responses.activate
def test_malformed_json_is_a_clear_error():
    responses.get(CHANNELS, body='{"items": [', content_type="application/json; charset=UTF-8")

    with pytest.raises(ConnectorError, match="not JSON"):
        YouTubeConnector().fetch(the_account(), FetchContext())


@pytest.mark.parametrize(
    "message", ["API key not valid. Please pass a valid API key.", "API key expired. Please renew the API key."]
)
@responses.activate
def test_invalid_or_expired_key_names_the_variable_never_the_value(message):
    details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "g"}]
    body = google_error(400, "badRequest", message, status="INVALID_ARGUMENT", details=details)
    responses.get(CHANNELS, status=400, json=body)

    with pytest.raises(AuthFailed) as caught:
        YouTubeConnector().fetch(the_account(), FetchContext())

    assert "YOUTUBE_API_KEY" in str(caught.value) and KEY not in str(caught.value)
    no_key_in_urls()


@responses.activate
def test_api_not_enabled_is_a_credential_error_with_the_setting_to_change():
    message = "YouTube Data API v3 has not been used in project 123 before or it is disabled."
    responses.get(CHANNELS, status=403, json=google_error(403, "accessNotConfigured", message))

    with pytest.raises(AuthFailed, match="YouTube Data API v3 enabled"):
        YouTubeConnector().fetch(the_account(), FetchContext())


@responses.activate
def test_missing_key_names_the_variable(monkeypatch):
    monkeypatch.delenv("YOUTUBE_API_KEY")

    with pytest.raises(ConnectorError, match="set YOUTUBE_API_KEY"):
        YouTubeConnector().fetch(the_account(), FetchContext())
    assert len(responses.calls) == 0


@responses.activate
def test_offline_is_an_error_without_any_request():
    with pytest.raises(ConnectorError, match="needs the network"):
        get_connector("youtube").fetch(the_account(), FetchContext(offline=True))
    assert len(responses.calls) == 0


def reply_page(items: list[dict[str, Any]], next_token: str | None = None) -> dict[str, Any]:
    """A comments.list answer, shaped on a recorded one: two replies a page and a nextPageToken, none on the last."""
    body: dict[str, Any] = {"kind": "youtube#commentListResponse", "etag": "cl", "pageInfo": {"resultsPerPage": 2}}
    body["items"] = items
    if next_token:
        body["nextPageToken"] = next_token
    return body


@responses.activate
def test_every_page_of_a_threads_replies_is_read():
    add_channel_and_uploads([("v1", ago(days=1))])
    responses.get(VIDEOS, json=videos(video("v1", ago(days=1))))
    top = comment("Ugw5", "v1", "question")
    inline = comment("Ugw5.3", "v1", "this is the third reply!", parent="Ugw5")
    responses.get(THREADS, json=threads("v1", (top, [inline], 3)))
    first = [inline, comment("Ugw5.2", "v1", "this is the second reply!", parent="Ugw5")]
    last = [comment("Ugw5.1", "v1", "you are all idiots", who="UCtroll", parent="Ugw5")]
    responses.get(
        COMMENTS,
        json=reply_page(last),
        match=[matchers.query_param_matcher({"parentId": "Ugw5", "pageToken": "R0FJeVZn"}, strict_match=False)],
    )
    responses.get(
        COMMENTS,
        json=reply_page(first, "R0FJeVZn"),
        match=[matchers.query_param_matcher({"parentId": "Ugw5"}, strict_match=False)],
    )

    data = YouTubeConnector().fetch(the_account(), FetchContext())

    # The reply shown inline and again on the first page is read once; the last page's reply is read at all.
    assert [c.id for c in data.posts[0].comments] == ["Ugw5", "Ugw5.3", "Ugw5.2", "Ugw5.1"]
    assert sum(c.request.url.startswith(COMMENTS) for c in responses.calls) == 2
    no_key_in_urls()


@responses.activate
def test_replies_are_read_up_to_a_stated_number_of_pages(caplog):
    add_channel_and_uploads([("v1", ago(days=1))])
    responses.get(VIDEOS, json=videos(video("v1", ago(days=1))))
    top = comment("T", "v1", "question")
    responses.get(THREADS, json=threads("v1", (top, [], 10_000)))
    # A server that always says there is another page: the connector stops at REPLY_PAGES.
    responses.get(COMMENTS, json=reply_page([comment("T.1", "v1", "again", parent="T")], "MORE"))

    data = YouTubeConnector().fetch(the_account(), FetchContext())

    assert sum(c.request.url.startswith(COMMENTS) for c in responses.calls) == REPLY_PAGES
    assert [c.id for c in data.posts[0].comments] == ["T", "T.1"]
    assert f"more than {REPLY_PAGES} pages of replies" in caplog.text


@responses.activate
def test_a_thread_repeated_on_the_next_page_is_read_once():
    add_channel_and_uploads([("v1", ago(days=1))])
    responses.get(VIDEOS, json=videos(video("v1", ago(days=1))))
    a, b = comment("A", "v1", "one"), comment("B", "v1", "two")
    first = threads("v1", (a, [], 0), (b, [], 0))
    first["nextPageToken"] = "NEXT"
    responses.get(
        THREADS,
        json=threads("v1", (b, [], 0), (comment("C", "v1", "three"), [], 0)),
        match=[matchers.query_param_matcher({"pageToken": "NEXT"}, strict_match=False)],
    )
    responses.get(THREADS, json=first, match=[matchers.query_param_matcher({"videoId": "v1"}, strict_match=False)])

    data = YouTubeConnector().fetch(the_account(), FetchContext())

    assert [c.id for c in data.posts[0].comments] == ["A", "B", "C"]
