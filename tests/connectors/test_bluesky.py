"""Bluesky connector: real-shaped public AppView answers replayed with `responses`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import time
from typing import Any

import pytest
import requests
import responses
from responses import matchers

from auditor.checks import all_checks
from auditor.cli import main
from auditor.connectors import ConnectorError, FetchContext, get_connector
from auditor.connectors.bluesky import APPVIEW, BlueskyConnector, parse_handle
from auditor.connectors.incremental import FIRST_RUN_POSTS
from auditor.net.http import RateLimited
from tests.checks.test_links import FakeEngine
from tests.conftest import account, context, write_config

PROFILE = f"{APPVIEW}/app.bsky.actor.getProfile"
FEED = f"{APPVIEW}/app.bsky.feed.getAuthorFeed"
THREAD = f"{APPVIEW}/app.bsky.feed.getPostThread"
DID = "did:plc:hist0ryihs4abcdefghijklm"
HANDLE = "historyihs.bsky.social"
AUP = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"


def ago(**delta: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def author(did: str = DID, handle: str = HANDLE) -> dict[str, Any]:
    return {
        "did": did,
        "handle": handle,
        "displayName": "History IHS",
        "avatar": f"https://cdn.bsky.app/img/avatar/plain/{did}/bafkreiavatar@jpeg",
        "associated": {"chat": {"allowIncoming": "following"}},
        "labels": [],
        "createdAt": "2024-09-01T10:00:00.000Z",
    }


def profile(**overrides: Any) -> dict[str, Any]:
    body = {
        **author(),
        "description": f"History at Islwyn High School. Acceptable use: {AUP}",
        "banner": f"https://cdn.bsky.app/img/banner/plain/{DID}/bafkreibanner@jpeg",
        "followersCount": 212,
        "followsCount": 14,
        "postsCount": 88,
        "indexedAt": "2025-01-10T09:00:00.000Z",
        "viewer": {"muted": False, "blockedBy": False},
    }
    body.update(overrides)
    return body


def view(rkey: str, created: str, text: str = "Hello", who: dict[str, Any] | None = None, **record: Any) -> dict:
    who = who or author()
    return {
        "uri": f"at://{who['did']}/app.bsky.feed.post/{rkey}",
        "cid": f"bafyrei{rkey}",
        "author": who,
        "record": {"$type": "app.bsky.feed.post", "createdAt": created, "langs": ["en"], "text": text, **record},
        "replyCount": 0,
        "repostCount": 0,
        "likeCount": 0,
        "quoteCount": 0,
        "indexedAt": created,
        "labels": [],
    }


def uri(rkey: str, did: str = DID) -> str:
    return f"at://{did}/app.bsky.feed.post/{rkey}"


def thread(post: dict[str, Any], replies: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"$type": "app.bsky.feed.defs#threadViewPost", "post": post, "replies": replies or []}


def add_thread(post: dict[str, Any], replies: list[dict[str, Any]] | None = None) -> None:
    responses.get(
        THREAD,
        json={"thread": thread(post, replies)},
        match=[matchers.query_param_matcher({"uri": post["uri"]}, strict_match=False)],
    )


def the_account() -> Any:
    return account(handle=f"@{HANDLE}", platform="bluesky")


@responses.activate
def test_full_shapes_become_the_model():
    responses.get(PROFILE, json=profile(), match=[matchers.query_param_matcher({"actor": HANDLE})])
    text = "Our castle trip: cadw.gov.wales/caerp... and photos"
    post = view(
        "3lbtrip",
        ago(days=1),
        text,
        facets=[
            {
                "$type": "app.bsky.richtext.facet",
                "index": {"byteStart": 17, "byteEnd": 40},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://cadw.gov.wales/caerphilly"}],
            },
            {
                "index": {"byteStart": 0, "byteEnd": 3},
                "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "history"}],
            },
        ],
    )
    post["embed"] = {
        "$type": "app.bsky.embed.images#view",
        "images": [
            {
                "thumb": f"https://cdn.bsky.app/img/feed_thumbnail/plain/{DID}/bafkreiimg1@jpeg",
                "fullsize": f"https://cdn.bsky.app/img/feed_fullsize/plain/{DID}/bafkreiimg1@jpeg",
                "alt": "Pupils on the castle walls",
                "aspectRatio": {"height": 800, "width": 1200},
            }
        ],
    }
    card = view("3lbcard", ago(days=2), "Read this")
    card["embed"] = {
        "$type": "app.bsky.embed.external#view",
        "external": {"uri": "https://example.org/article", "title": "Article", "description": "", "thumb": ""},
    }
    museum = author("did:plc:museum", "museum.bsky.social")
    shared = view("3lbmuse", ago(days=30), "Museum news", who=museum)
    responses.get(
        FEED,
        json={
            "cursor": "2026-11-01T00:00:00.000Z",
            "feed": [
                {"post": post},
                {"post": card},
                {
                    "post": shared,
                    "reason": {"$type": "app.bsky.feed.defs#reasonRepost", "by": author(), "indexedAt": ago(days=3)},
                },
            ],
        },
        match=[matchers.query_param_matcher({"actor": DID}, strict_match=False)],
    )
    responses.get(FEED, json={"feed": []})
    nice = view("3lbr1", ago(hours=5), "Lovely!", who=author("did:plc:parent", "parent.bsky.social"))
    own = view("3lbr2", ago(hours=4), "Thanks", who=author())
    rude = view("3lbr3", ago(hours=3), "rubbish school", who=author("did:plc:troll", "troll.bsky.social"))
    add_thread(
        post,
        [
            thread(nice, [thread(own, [thread(rude)])]),
            {"$type": "app.bsky.feed.defs#notFoundPost", "uri": uri("gone", "did:plc:x"), "notFound": True},
            {"$type": "app.bsky.feed.defs#blockedPost", "uri": uri("b", "did:plc:y"), "blocked": True, "author": {}},
        ],
    )
    add_thread(card)

    data = BlueskyConnector().fetch(the_account(), FetchContext())

    assert data.profile.username == HANDLE
    assert data.profile.display_name == "History IHS"
    assert [link.url for link in data.profile.links] == [AUP]
    assert data.profile.url == f"https://bsky.app/profile/{HANDLE}"
    first, second, repost = data.posts
    assert first.id == uri("3lbtrip")
    assert first.url == f"https://bsky.app/profile/{HANDLE}/post/3lbtrip"
    assert first.text == text
    assert [link.url for link in first.links] == ["https://cadw.gov.wales/caerphilly"]
    (image,) = first.media
    assert image.type == "photo" and image.alt_text == "Pupils on the castle walls"
    assert image.url and "feed_fullsize" in image.url
    assert [(c.author, c.text, c.parent_id) for c in first.comments] == [
        ("@parent.bsky.social", "Lovely!", None),
        ("@troll.bsky.social", "rubbish school", uri("3lbr2")),
    ]
    assert first.comments[1].url == "https://bsky.app/profile/troll.bsky.social/post/3lbr3"
    assert [link.url for link in second.links] == ["https://example.org/article"]
    assert repost.is_repost and repost.url == "https://bsky.app/profile/museum.bsky.social/post/3lbmuse"
    # A repost appears when it was reposted; its replies are not read.
    assert repost.created_at is not None and repost.created_at > dt.datetime.now(dt.UTC) - dt.timedelta(days=4)
    assert sum(THREAD in c.request.url for c in responses.calls) == 2


@responses.activate
def test_minimal_shapes_with_optional_fields_absent():
    responses.get(PROFILE, json={"did": DID, "handle": HANDLE})
    bare = {"uri": uri("3lbmin"), "cid": "c", "author": {"did": DID, "handle": HANDLE}, "record": {"text": ""}}
    responses.get(FEED, json={"feed": [{"post": bare}]})
    add_thread(bare)

    data = BlueskyConnector().fetch(the_account(), FetchContext())

    assert data.profile.display_name is None and data.profile.bio == "" and data.profile.links == ()
    (post,) = data.posts
    assert (post.text, post.links, post.media, post.comments, post.created_at) == ("", (), (), (), None)


@responses.activate
def test_video_and_record_with_media_embeds():
    responses.get(PROFILE, json=profile())
    clip = view("3lbvid", ago(days=40))
    clip["embed"] = {
        "$type": "app.bsky.embed.video#view",
        "cid": "bafkreivid",
        "playlist": "https://video.bsky.app/watch/x/playlist.m3u8",
        "thumbnail": "https://video.bsky.app/watch/x/thumbnail.jpg",
        "alt": "Year 7 drama",
    }
    quote = view("3lbquo", ago(days=41))
    quote["embed"] = {
        "$type": "app.bsky.embed.recordWithMedia#view",
        "record": {"record": {"$type": "app.bsky.embed.record#viewRecord", "uri": uri("q", "did:plc:z")}},
        "media": {"$type": "app.bsky.embed.images#view", "images": [{"thumb": "t", "fullsize": "f", "alt": ""}]},
    }
    responses.get(FEED, json={"feed": [{"post": clip}, {"post": quote}]})

    data = BlueskyConnector().fetch(the_account(), FetchContext())

    video, with_media = data.posts
    assert [(m.type, m.url, m.alt_text) for m in video.media] == [
        ("video", "https://video.bsky.app/watch/x/thumbnail.jpg", "Year 7 drama")
    ]
    assert [(m.type, m.url, m.alt_text) for m in with_media.media] == [("photo", "f", None)]


@responses.activate
def test_pagination_follows_the_cursor_up_to_the_first_run_cap():
    responses.get(PROFILE, json=profile())
    for n, cursor in enumerate([None, "c1", "c2"]):
        params = {"actor": DID, "limit": "50", "filter": "posts_with_replies"}
        if cursor:
            params["cursor"] = cursor
        feed = [{"post": view(f"p{n}-{i}", ago(days=20 + n * 50 + i))} for i in range(50)]
        responses.get(FEED, json={"feed": feed, "cursor": f"c{n + 1}"}, match=[matchers.query_param_matcher(params)])

    data = BlueskyConnector().fetch(the_account(), FetchContext())

    assert len(data.posts) == FIRST_RUN_POSTS
    assert len(responses.calls) == 1 + 2  # profile, two pages: the cap is reached on the second


@responses.activate
def test_second_run_of_unchanged_account_makes_few_requests():
    responses.get(PROFILE, json=profile())
    posts = [view("p3", ago(days=1)), view("p2", ago(days=6)), view("p1", ago(days=60))]
    responses.get(
        FEED,
        json={"feed": [{"post": p} for p in posts], "cursor": "next"},
        match=[matchers.query_param_matcher({"actor": DID, "limit": "50", "filter": "posts_with_replies"})],
    )
    old = {"feed": [{"post": view("p0", ago(days=90))}]}  # the end of the feed: no cursor
    responses.get(FEED, json=old, match=[matchers.query_param_matcher({"cursor": "next"}, strict_match=False)])
    for p in posts[:2]:
        add_thread(p)
    first = BlueskyConnector().fetch(the_account(), FetchContext())
    first_calls = len(responses.calls)
    assert first_calls == 1 + 2 + 2  # profile, both pages, the threads of the two posts inside the comment window
    assert len(first.posts) == 4

    second = BlueskyConnector().fetch(the_account(), FetchContext(state=first.state))

    calls = [c.request.url for c in responses.calls[first_calls:]]
    assert len(calls) == 1 + 1 + 2  # profile, one page, the two threads inside the comment window
    assert sorted(p.id for p in second.posts) == [uri("p2"), uri("p3")]


@responses.activate
def test_deleted_watched_post_is_dropped():
    responses.get(PROFILE, json=profile())
    responses.get(FEED, json={"feed": []})
    responses.get(THREAD, status=400, json={"error": "NotFound", "message": f"Post not found: {uri('gone')}"})
    state = {"newest_id": uri("gone"), "newest_time": ago(days=2), "recent": [[uri("gone"), ago(days=2)]]}

    data = BlueskyConnector().fetch(the_account(), FetchContext(state=state))

    assert data.posts == [] and data.state["recent"] == []


@responses.activate
def test_rate_limit_with_and_without_reset_header():
    responses.get(
        PROFILE,
        status=429,
        json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
        headers={"ratelimit-limit": "3000", "ratelimit-remaining": "0", "ratelimit-reset": str(int(time.time()) + 9)},
    )
    responses.get(PROFILE, status=429, json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"})
    responses.get(PROFILE, json=profile())
    responses.get(FEED, json={"feed": []})
    slept: list[float] = []

    BlueskyConnector(sleep=slept.append).fetch(the_account(), FetchContext())

    assert len(slept) == 2 and 7 <= slept[0] <= 10 and slept[1] == 2.0


@responses.activate
def test_rate_limit_longer_than_the_bound_is_an_error():
    headers = {"ratelimit-reset": str(int(time.time()) + 3600)}
    responses.get(PROFILE, status=429, json={"error": "RateLimitExceeded"}, headers=headers)

    with pytest.raises(RateLimited):
        BlueskyConnector(sleep=lambda s: None).fetch(the_account(), FetchContext())


@responses.activate
def test_5xx_then_success_and_timeout():
    responses.get(PROFILE, status=503, json={"error": "InternalServerError"})
    responses.get(PROFILE, json=profile())
    responses.get(FEED, body=requests.ConnectTimeout("timed out"))
    responses.get(FEED, json={"feed": []})
    slept: list[float] = []

    data = BlueskyConnector(sleep=slept.append).fetch(the_account(), FetchContext())

    assert data.posts == [] and slept == [1.0, 1.0]


@responses.activate
def test_timeouts_every_time_are_an_error():
    responses.get(PROFILE, body=requests.ReadTimeout("timed out"))

    with pytest.raises(ConnectorError, match="did not answer in time"):
        BlueskyConnector(sleep=lambda s: None).fetch(the_account(), FetchContext())


@responses.activate
def test_malformed_json_and_unexpected_shape():
    responses.get(PROFILE, json=profile())
    responses.get(FEED, body="{not json", content_type="application/json")
    with pytest.raises(ConnectorError, match="not JSON"):
        BlueskyConnector().fetch(the_account(), FetchContext())

    responses.replace(responses.GET, FEED, json={"feed": "nope"})
    with pytest.raises(ConnectorError, match="unexpected shape"):
        BlueskyConnector().fetch(the_account(), FetchContext())


@responses.activate
def test_unknown_handle_says_so():
    responses.get(PROFILE, status=400, json={"error": "InvalidRequest", "message": "Profile not found"})

    with pytest.raises(ConnectorError, match=f"@{HANDLE} was not found on Bluesky"):
        BlueskyConnector().fetch(the_account(), FetchContext())


@responses.activate
def test_offline_is_an_error_without_any_request():
    with pytest.raises(ConnectorError, match="needs the network"):
        get_connector("bluesky").fetch(the_account(), FetchContext(offline=True))
    assert len(responses.calls) == 0


def test_handles():
    assert parse_handle("@HistoryIHS.bsky.social") == "historyihs.bsky.social"
    assert parse_handle("@history.islwynhigh.co.uk") == "history.islwynhigh.co.uk"
    for bad in ("@HistoryIHS", "@a b.bsky.social", "@-x.bsky.social"):
        with pytest.raises(ConnectorError, match="not a Bluesky handle"):
            parse_handle(bad)


@responses.activate
def test_nightly_runs_keep_their_state_in_the_history_store(tmp_path):
    responses.get(PROFILE, json=profile())
    posts = [view("p2", ago(days=2)), view("p1", ago(days=50))]
    first_page = matchers.query_param_matcher({"actor": DID, "limit": "50", "filter": "posts_with_replies"})
    responses.get(FEED, json={"feed": [{"post": p} for p in posts], "cursor": "next"}, match=[first_page])
    older = {"feed": [{"post": view("p0", ago(days=90))}]}
    responses.get(FEED, json=older, match=[matchers.query_param_matcher({"cursor": "next"}, strict_match=False)])
    add_thread(posts[0])
    config = write_config(
        tmp_path, f'[[accounts]]\nhandle = "@{HANDLE}"\nplatform = "bluesky"\ndepartment = "History"\n'
    )

    def nightly(out: str) -> int:
        before = len(responses.calls)
        main(["run", "--all", "--config", str(config), "--out", str(tmp_path / out), "--checks", "about.aup_link"])
        return len(responses.calls) - before

    assert nightly("first") == 1 + 2 + 1  # profile, both pages, the thread of the post inside the comment window
    assert nightly("second") == 1 + 1 + 1  # the store handed back the state: one page, one watched thread
    doc = json.loads((tmp_path / "second" / "findings.json").read_text(encoding="utf-8"))
    assert doc["accounts"][0]["status"] == "ok" and doc["accounts"][0]["posts_examined"] == 1


def self_thread() -> tuple[dict[str, Any], dict[str, Any]]:
    """The school posts A, then B in reply to A; a stranger answers B and someone answers the stranger; a parent
    answers A itself. getPostThread of A holds the whole tree; of B, the branch under B."""
    responses.get(PROFILE, json=profile())
    a = view("3lsa", ago(hours=6), "Part 1 of our trip")
    root = {"root": {"uri": a["uri"], "cid": a["cid"]}, "parent": {"uri": a["uri"], "cid": a["cid"]}}
    b = view("3lsb", ago(hours=5), "Part 2 of our trip", reply=root)
    rude = view("3lsc", ago(hours=4), "you are all idiots", who=author("did:plc:troll", "troll.bsky.social"))
    kind = view("3lsd", ago(hours=3), "Be kind", who=author("did:plc:parent2", "parent2.bsky.social"))
    nice = view("3lse", ago(hours=2), "Lovely!", who=author("did:plc:parent", "parent.bsky.social"))
    responses.get(FEED, json={"feed": [{"post": b, "reply": root}, {"post": a}]})
    add_thread(a, [thread(b, [thread(rude, [thread(kind)])]), thread(nice)])
    add_thread(b, [thread(rude, [thread(kind)])])
    return a, b


@responses.activate
@pytest.mark.parametrize("comments_only", [False, True])
def test_a_strangers_reply_in_the_schools_own_thread_is_read_once_under_the_post_it_answers(comments_only):
    a, b = self_thread()
    if comments_only:
        # The frequent comment sweep: both posts are known from the nightly run and watched for replies.
        recent = [[b["uri"], ago(hours=5)], [a["uri"], ago(hours=6)]]
        context = FetchContext(
            state={"newest_id": b["uri"], "newest_time": ago(hours=5), "recent": recent}, comments_only=True
        )
    else:
        context = FetchContext()

    data = BlueskyConnector().fetch(the_account(), context)

    by_id = {p.id: p for p in data.posts}
    assert set(by_id) == {a["uri"], b["uri"]}
    assert [(c.id, c.parent_id) for c in by_id[b["uri"]].comments] == [
        (uri("3lsc", "did:plc:troll"), None),
        (uri("3lsd", "did:plc:parent2"), uri("3lsc", "did:plc:troll")),
    ]
    # The school's own reply B is its post, never a comment on A.
    assert [c.id for c in by_id[a["uri"]].comments] == [uri("3lse", "did:plc:parent")]


@responses.activate
def test_a_reply_the_thread_repeats_is_read_once():
    responses.get(PROFILE, json=profile())
    post = view("3lrp", ago(hours=3))
    responses.get(FEED, json={"feed": [{"post": post}, {"post": post}]})
    again = view("3lrq", ago(hours=2), "Same reply", who=author("did:plc:parent", "parent.bsky.social"))
    add_thread(post, [thread(again), thread(again)])

    data = BlueskyConnector().fetch(the_account(), FetchContext())

    (only,) = data.posts
    assert [c.text for c in only.comments] == ["Same reply"]


@responses.activate
def test_links_come_from_facets_and_cards_never_from_the_shortened_display_text(school_config):
    """Shaped on a recorded getAuthorFeed item: the text shows "christophertkenny.com/bskyr/news/i..." while the facet
    holds the address; a reply's card and a quote's link card hold theirs."""
    responses.get(PROFILE, json=profile())
    full = "https://christophertkenny.com/bskyr/news/index.html"
    text = (
        "#rstats `bskyr` 0.3.0 is now on CRAN. Changelog below! See details at  christophertkenny.com/bskyr/news/i..."
    )
    post = view(
        "3loagm",
        ago(hours=5),
        text,
        facets=[
            {
                "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "rstats"}],
                "index": {"byteEnd": 7, "byteStart": 0},
            },
            {
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": full}],
                "index": {"byteEnd": 108, "byteStart": 71},
            },
        ],
    )
    quote = view("3loquo", ago(hours=6), "Worth a read: github.com/christopherk…")
    quote["embed"] = {
        "$type": "app.bsky.embed.recordWithMedia#view",
        "record": {"record": {"$type": "app.bsky.embed.record#viewRecord", "uri": uri("q", "did:plc:z")}},
        "media": {
            "$type": "app.bsky.embed.external#view",
            "external": {"uri": "https://github.com/christopherkenny/bskyr", "title": "bskyr", "description": ""},
        },
    }
    card = view(
        "3lorep",
        ago(hours=4),
        "Mine too: example.org/a-very-long-pa…",
        who=author("did:plc:parent", "parent.bsky.social"),
    )
    card["embed"] = {
        "$type": "app.bsky.embed.external#view",
        "external": {"uri": "https://example.org/a-very-long-path", "title": "A", "description": ""},
    }
    responses.get(FEED, json={"feed": [{"post": post}, {"post": quote}]})
    add_thread(post, [thread(card)])
    add_thread(quote)
    data = BlueskyConnector().fetch(the_account(), FetchContext())
    engine = FakeEngine({})
    ctx = context(school_config, data.profile, data.posts, offline=False)
    ctx = dataclasses.replace(ctx, services=dataclasses.replace(ctx.services, links=engine))

    all_checks()["links.external_safe"].run(ctx)

    (asked,) = engine.asked
    assert sorted(set(asked)) == sorted(
        [AUP, full, "https://github.com/christopherkenny/bskyr", "https://example.org/a-very-long-path"]
    )


@responses.activate
def test_a_strangers_abuse_in_a_self_thread_is_one_finding_in_the_audit_and_in_the_sweep(tmp_path):
    self_thread()
    config = write_config(
        tmp_path, f'[[accounts]]\nhandle = "@{HANDLE}"\nplatform = "bluesky"\ndepartment = "History"\n'
    )
    audit = ["run", "--all", "--config", str(config), "--no-email", "--checks", "comments.inappropriate"]

    assert main([*audit, "--out", str(tmp_path / "audit")]) == 1
    assert main([*audit[:-2], "--comments-only", "--out", str(tmp_path / "sweep")]) == 1

    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        rows = db.execute("SELECT run_id, id FROM findings WHERE status = 'FAIL'").fetchall()
        kinds = [kind for (kind,) in db.execute("SELECT kind FROM runs ORDER BY started_at")]
    assert kinds == ["audit", "comment_sweep"]
    assert len(rows) == 2 and len(set(rows)) == 2 and rows[0][1] == rows[1][1]  # the same one finding in each run
