"""Mastodon connector: real-shaped API answers replayed with `responses`."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import pytest
import requests
import responses
from responses import matchers

from auditor.cli import main
from auditor.connectors import ConnectorError, FetchContext, get_connector
from auditor.connectors.incremental import FIRST_RUN_POSTS
from auditor.connectors.mastodon import MastodonConnector, parse_handle
from auditor.net.http import RateLimited
from tests.conftest import account, write_config

BASE = "https://mastodon.social"
LOOKUP = f"{BASE}/api/v1/accounts/lookup"
STATUSES = f"{BASE}/api/v1/accounts/109302/statuses"
HANDLE = "@HistoryIHS@mastodon.social"
AUP = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"


def ago(**delta: float) -> str:
    when = dt.datetime.now(dt.UTC) - dt.timedelta(**delta)
    return when.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def acct(**overrides: Any) -> dict[str, Any]:
    body = {
        "id": "109302",
        "username": "HistoryIHS",
        "acct": "HistoryIHS",
        "display_name": "History @ Islwyn High",
        "locked": False,
        "bot": False,
        "discoverable": True,
        "group": False,
        "created_at": "2022-11-08T00:00:00.000Z",
        "note": '<p>History at <span class="h-card"><a href="https://mastodon.social/@IslwynHigh" '
        'class="u-url mention">@<span>IslwynHigh</span></a></span> <a href="https://mastodon.social/tags/history" '
        'class="mention hashtag" rel="tag">#<span>history</span></a><br />Staff-run &amp; moderated.</p>',
        "url": "https://mastodon.social/@HistoryIHS",
        "uri": "https://mastodon.social/users/HistoryIHS",
        "avatar": "https://files.mastodon.social/accounts/avatars/109/302/original/a.png",
        "avatar_static": "https://files.mastodon.social/accounts/avatars/109/302/original/a.png",
        "header": "https://mastodon.social/headers/original/missing.png",
        "header_static": "https://mastodon.social/headers/original/missing.png",
        "followers_count": 120,
        "following_count": 8,
        "statuses_count": 57,
        "last_status_at": "2026-11-20",
        "emojis": [],
        "fields": [
            {
                "name": "Acceptable use",
                "value": f'<a href="{AUP}" target="_blank" rel="nofollow noopener me" translate="no">'
                '<span class="invisible">https://www.</span><span class="ellipsis">islwynhigh.co.uk/ict-accept</span>'
                '<span class="invisible">able-use-policy</span></a>',
                "verified_at": None,
            }
        ],
    }
    body.update(overrides)
    return body


def status(sid: str, created: str, content: str = "<p>Hello</p>", **overrides: Any) -> dict[str, Any]:
    body = {
        "id": sid,
        "created_at": created,
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "uri": f"https://mastodon.social/users/HistoryIHS/statuses/{sid}",
        "url": f"https://mastodon.social/@HistoryIHS/{sid}",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
        "edited_at": None,
        "content": content,
        "reblog": None,
        "application": {"name": "Web", "website": None},
        "account": {"id": "109302", "username": "HistoryIHS", "acct": "HistoryIHS"},
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
        "card": None,
        "poll": None,
    }
    body.update(overrides)
    return body


def reply(sid: str, to: str, text: str, who: str = "parent1", account_id: str = "555") -> dict[str, Any]:
    return status(
        sid,
        ago(hours=1),
        f"<p>{text}</p>",
        in_reply_to_id=to,
        url=f"https://mastodon.social/@{who}/{sid}",
        account={"id": account_id, "username": who, "acct": who},
    )


def connector() -> tuple[MastodonConnector, list[float]]:
    slept: list[float] = []
    return MastodonConnector(sleep=slept.append), slept


def ctx(state: dict[str, Any] | None = None) -> FetchContext:
    return FetchContext(state=state or {})


def the_account() -> Any:
    return account(handle=HANDLE, platform="mastodon")


def add_context(sid: str, descendants: list[dict[str, Any]] | None = None) -> None:
    responses.get(f"{BASE}/api/v1/statuses/{sid}/context", json={"ancestors": [], "descendants": descendants or []})


@responses.activate
def test_full_shapes_become_the_model():
    responses.get(LOOKUP, json=acct(), match=[matchers.query_param_matcher({"acct": "HistoryIHS"})])
    photo = {
        "id": "22",
        "type": "image",
        "url": "https://files.mastodon.social/media_attachments/files/22/original/trip.jpg",
        "preview_url": "https://files.mastodon.social/media_attachments/files/22/small/trip.jpg",
        "remote_url": None,
        "meta": {"original": {"width": 1200, "height": 800}},
        "description": "Pupils at the castle gate",
        "blurhash": "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH",
    }
    shared = status("3", ago(days=3), "<p>Not ours</p>", url="https://mastodon.social/@museum/3")
    responses.get(
        STATUSES,
        json=[
            status(
                "112",
                ago(days=1),
                '<p>Year 9 visit <a href="https://www.cadw.gov.wales/caerphilly" rel="nofollow noopener" '
                'target="_blank"><span class="invisible">https://www.</span>cadw.gov.wales/caerphilly</a></p>'
                "<p>Great day &lt;3</p>",
                media_attachments=[photo],
                spoiler_text="School trip",
            ),
            status("111", ago(days=2), "<p>Reblogged</p>", reblog=shared),
        ],
    )
    add_context(
        "112",
        [
            reply("200", "112", "Lovely trip!"),
            reply("201", "200", "Thank you", who="HistoryIHS", account_id="109302"),
            reply("202", "201", "You are <b>rubbish</b>", who="troll"),
        ],
    )

    data = MastodonConnector().fetch(the_account(), ctx())

    profile = data.profile
    assert profile.username == "HistoryIHS"
    assert profile.display_name == "History @ Islwyn High"
    assert profile.bio == "History at @IslwynHigh #history\nStaff-run & moderated.\nAcceptable use: " + AUP
    assert [link.url for link in profile.links] == [AUP]  # mentions and hashtags are not links the school chose
    assert profile.url == "https://mastodon.social/@HistoryIHS"
    assert profile.website is None

    post, repost = data.posts
    assert post.id == "112"
    assert post.text == "School trip\n\nYear 9 visit https://www.cadw.gov.wales/caerphilly\n\nGreat day <3"
    assert [link.url for link in post.links] == ["https://www.cadw.gov.wales/caerphilly"]
    assert post.url == "https://mastodon.social/@HistoryIHS/112"
    assert post.created_at is not None and post.created_at.tzinfo is not None
    (media,) = post.media
    assert (media.id, media.type, media.alt_text) == ("22", "photo", "Pupils at the castle gate")
    assert media.url and media.url.endswith("/original/trip.jpg")
    # Replies by others, with their thread position; the school's own answer is not a comment.
    assert [(c.id, c.author, c.text, c.parent_id) for c in post.comments] == [
        ("200", "@parent1", "Lovely trip!", None),
        ("202", "@troll", "You are rubbish", "201"),
    ]
    assert post.comments[0].url == "https://mastodon.social/@parent1/200"
    assert repost.is_repost and repost.text == "Not ours" and repost.url == "https://mastodon.social/@museum/3"
    assert repost.comments == ()
    assert data.complete is False
    # Replies are not read for a reblog: only one context request was made.
    assert sum("/context" in c.request.url for c in responses.calls) == 1


@responses.activate
def test_minimal_shapes_with_optional_fields_absent():
    bare = {"id": "109302", "username": "maths", "acct": "maths", "url": "https://mastodon.social/@maths"}
    responses.get(LOOKUP, json=bare)
    responses.get(STATUSES, json=[{"id": "5", "created_at": ago(days=1), "content": ""}])
    add_context("5")

    data = MastodonConnector().fetch(the_account(), ctx())

    assert data.profile.username == "maths"
    assert data.profile.display_name is None
    assert data.profile.bio == "" and data.profile.links == ()
    (post,) = data.posts
    assert (post.text, post.links, post.media, post.comments) == ("", (), (), ())
    assert post.url is None and post.in_reply_to is None


@responses.activate
def test_no_markup_leaks_into_the_model():
    responses.get(
        LOOKUP,
        json=acct(
            note="<p>Line one<br>Line <strong>two</strong></p><script>alert(1)</script>",
            fields=[{"name": "Web", "value": "<em>nothing</em>", "verified_at": None}],
        ),
    )
    responses.get(STATUSES, json=[status("9", ago(days=1), '<p><span class="h-card">Hi</span> <i>there</i></p>')])
    add_context("9", [reply("10", "9", "<img src=x onerror=alert(1)>ok")])

    data = MastodonConnector().fetch(the_account(), ctx())

    texts = [data.profile.bio or "", data.posts[0].text, data.posts[0].comments[0].text]
    assert texts == ["Line one\nLine two\nWeb: nothing", "Hi there", "ok"]
    assert not any("<" in t or "alert" in t for t in texts)


@responses.activate
def test_pagination_follows_max_id_up_to_the_first_run_cap():
    responses.get(LOOKUP, json=acct())

    def page(start: int, count: int) -> list[dict[str, Any]]:
        return [status(str(1000 - start - n), ago(days=20 + start + n)) for n in range(count)]

    responses.get(STATUSES, json=page(0, 40), match=[matchers.query_param_matcher({"limit": "40"})])
    responses.get(STATUSES, json=page(40, 40), match=[matchers.query_param_matcher({"limit": "40", "max_id": "961"})])
    responses.get(STATUSES, json=page(80, 40), match=[matchers.query_param_matcher({"limit": "40", "max_id": "921"})])

    data = MastodonConnector().fetch(the_account(), ctx())

    made = len(responses.calls)
    assert len(data.posts) == FIRST_RUN_POSTS
    assert made == 4  # lookup and three pages; the posts are older than the comment window, so no replies are read
    assert data.state["newest_id"] == "1000"


@responses.activate
def test_second_run_of_unchanged_account_makes_few_requests():
    responses.get(LOOKUP, json=acct())
    page = [status("30", ago(days=1)), status("29", ago(days=5)), status("28", ago(days=40))]
    responses.get(STATUSES, json=page)
    for sid in ("30", "29"):
        add_context(sid)

    first = MastodonConnector().fetch(the_account(), ctx())
    assert [p.id for p in first.posts] == ["30", "29", "28"]
    first_calls = len(responses.calls)
    assert first_calls == 1 + 1 + 2  # lookup, one page, replies of the two posts inside the window

    second = MastodonConnector().fetch(the_account(), ctx(first.state))

    calls = [c.request.url for c in responses.calls[first_calls:]]
    # The profile, one page of posts, and the comment-window requests: nothing else.
    assert len(calls) == 1 + 1 + 2
    assert sum("/statuses/" in u and "/context" not in u and "accounts" not in u for u in calls) == 0
    assert sorted(p.id for p in second.posts) == ["29", "30"]  # no new post; the watched ones, re-read


@responses.activate
def test_new_post_and_a_watched_post_beyond_the_first_page():
    responses.get(LOOKUP, json=acct())
    responses.get(STATUSES, json=[status("31", ago(hours=2)), status("30", ago(days=1))])
    add_context("31")
    add_context("30", [reply("40", "30", "new reply")])
    responses.get(f"{BASE}/api/v1/statuses/25", json=status("25", ago(days=6), "<p>older, still watched</p>"))
    add_context("25")
    responses.get(f"{BASE}/api/v1/statuses/24", status=404, json={"error": "Record not found"})
    state = {
        "newest_id": "30",
        "newest_time": ago(days=1),
        "recent": [["30", ago(days=1)], ["25", ago(days=6)], ["24", ago(days=7)], ["2", ago(days=30)]],
    }

    data = MastodonConnector().fetch(the_account(), ctx(state))

    by_id = {p.id: p for p in data.posts}
    assert set(by_id) == {"31", "30", "25"}  # the deleted post 24 is dropped; 2 is outside the window
    assert by_id["25"].text == "older, still watched"
    assert [c.text for c in by_id["30"].comments] == ["new reply"]
    assert data.state["newest_id"] == "31"
    assert [entry[0] for entry in data.state["recent"]] == ["31", "30", "25"]


@responses.activate
def test_429_with_reset_header_waits_then_succeeds():
    reset = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=20)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    responses.get(LOOKUP, status=429, json={"error": "Too many requests"}, headers={"X-RateLimit-Reset": reset})
    responses.get(LOOKUP, json=acct())
    responses.get(STATUSES, json=[])
    conn, slept = connector()

    conn.fetch(the_account(), ctx())

    assert len(slept) == 1 and 15 <= slept[0] <= 21


@responses.activate
def test_429_without_headers_backs_off_then_gives_up():
    responses.get(LOOKUP, status=429, json={"error": "Too many requests"})
    conn, slept = connector()

    with pytest.raises(RateLimited, match="still limiting"):
        conn.fetch(the_account(), ctx())

    assert slept == [1.0, 2.0, 4.0]


@responses.activate
def test_429_asking_for_a_long_wait_gives_up_at_once():
    reset = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)).isoformat()
    responses.get(LOOKUP, status=429, json={"error": "Too many requests"}, headers={"X-RateLimit-Reset": reset})
    conn, slept = connector()

    with pytest.raises(RateLimited, match="asked us to wait"):
        conn.fetch(the_account(), ctx())
    assert slept == []


@responses.activate
def test_5xx_then_success():
    responses.get(LOOKUP, json=acct())
    responses.get(STATUSES, status=502, body="<html>Bad gateway</html>")
    responses.get(STATUSES, json=[])
    conn, slept = connector()

    data = conn.fetch(the_account(), ctx())

    assert data.posts == [] and slept == [1.0]


@responses.activate
def test_timeout_is_an_error_after_bounded_retries():
    responses.get(LOOKUP, body=requests.Timeout("read timed out"))
    conn, slept = connector()

    with pytest.raises(ConnectorError, match="did not answer in time after 4 tries"):
        conn.fetch(the_account(), ctx())
    assert len(responses.calls) == 4 and len(slept) == 3


@responses.activate
def test_malformed_json_is_a_clear_error():
    responses.get(LOOKUP, json=acct())
    responses.get(STATUSES, body='[{"id": "1", "content": ', content_type="application/json")

    with pytest.raises(ConnectorError, match="not JSON"):
        MastodonConnector().fetch(the_account(), ctx())


@responses.activate
def test_unknown_account_says_so():
    responses.get(LOOKUP, status=404, json={"error": "Record not found"})

    with pytest.raises(ConnectorError, match=r"@HistoryIHS@mastodon\.social was not found on mastodon\.social"):
        MastodonConnector().fetch(the_account(), ctx())


@responses.activate
def test_offline_is_an_error_without_any_request():
    with pytest.raises(ConnectorError, match="needs the network"):
        get_connector("mastodon").fetch(the_account(), FetchContext(offline=True))
    assert len(responses.calls) == 0


@pytest.mark.parametrize("handle", ["@HistoryIHS", "HistoryIHS@", "@a b@mastodon.social", "@x@localhost"])
def test_handle_must_name_its_server(handle):
    with pytest.raises(ConnectorError, match="write it with its server"):
        parse_handle(handle)


def test_handle_is_split_into_user_and_server():
    assert parse_handle("@HistoryIHS@Sch.Social") == ("HistoryIHS", "sch.social")
    assert parse_handle("HistoryIHS@sch.social") == ("HistoryIHS", "sch.social")


def self_thread() -> None:
    """The school posts 50, then 51 in reply to it; a stranger answers 51 (52), someone answers the stranger (53),
    and a parent answers 50 itself (54). Mastodon lists the whole tree under 50 and the branch under 51."""
    responses.get(LOOKUP, json=acct())
    own = {"in_reply_to_account_id": "109302"}
    school_reply = status("51", ago(hours=5), "<p>Part 2 of our trip</p>", in_reply_to_id="50", **own)
    responses.get(STATUSES, json=[school_reply, status("50", ago(hours=6), "<p>Part 1 of our trip</p>")])
    rude = reply("52", "51", "You are all idiots", who="troll", account_id="666")
    answer = reply("53", "52", "Be kind", who="parent2", account_id="777")
    add_context("50", [school_reply, rude, answer, reply("54", "50", "Lovely!")])
    add_context("51", [rude, answer])


@responses.activate
@pytest.mark.parametrize("comments_only", [False, True])
def test_a_strangers_reply_in_the_schools_own_thread_is_read_once_under_the_post_it_answers(comments_only):
    self_thread()
    if comments_only:
        # The frequent comment sweep: both posts are known from the nightly run and watched for replies.
        state = {"newest_id": "51", "newest_time": ago(hours=5), "recent": [["51", ago(hours=5)], ["50", ago(hours=6)]]}
        context = FetchContext(state=state, comments_only=True)
    else:
        context = ctx()

    data = MastodonConnector().fetch(the_account(), context)

    by_id = {p.id: p for p in data.posts}
    assert set(by_id) == {"50", "51"}
    assert [(c.id, c.parent_id) for c in by_id["51"].comments] == [("52", None), ("53", "52")]
    assert [c.id for c in by_id["50"].comments] == ["54"]  # the school's own reply 51 is its post, never a comment
    assert sum("/context" in c.request.url for c in responses.calls) == 2


@responses.activate
def test_a_reply_the_server_repeats_in_a_context_is_read_once():
    responses.get(LOOKUP, json=acct())
    responses.get(STATUSES, json=[status("60", ago(hours=3))])
    twice = reply("61", "60", "Same reply")
    add_context("60", [twice, twice, reply("62", "61", "Another")])

    data = MastodonConnector().fetch(the_account(), ctx())

    assert [c.id for c in data.posts[0].comments] == ["61", "62"]


@responses.activate
def test_overlapping_pages_give_each_post_once():
    responses.get(LOOKUP, json=acct())
    first = [status(str(900 - n), ago(days=20 + n)) for n in range(40)]
    # A post published between two requests shifts the list: the next page starts with two posts already read.
    second = first[-2:] + [status(str(860 - n), ago(days=60 + n)) for n in range(10)]
    responses.get(STATUSES, json=first, match=[matchers.query_param_matcher({"limit": "40"})])
    responses.get(STATUSES, json=second, match=[matchers.query_param_matcher({"limit": "40", "max_id": "861"})])

    data = MastodonConnector().fetch(the_account(), ctx())

    ids = [p.id for p in data.posts]
    assert len(ids) == len(set(ids)) == 50


@responses.activate
def test_a_strangers_abuse_in_a_self_thread_is_one_finding_in_the_audit_and_in_the_sweep(tmp_path):
    self_thread()
    config = write_config(
        tmp_path, f'[[accounts]]\nhandle = "{HANDLE}"\nplatform = "mastodon"\ndepartment = "History"\n'
    )
    audit = ["run", "--all", "--config", str(config), "--no-email", "--checks", "comments.inappropriate"]

    assert main([*audit, "--out", str(tmp_path / "audit")]) == 1
    assert main([*audit[:-2], "--comments-only", "--out", str(tmp_path / "sweep")]) == 1

    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        rows = db.execute("SELECT run_id, id FROM findings WHERE status = 'FAIL'").fetchall()
        kinds = [kind for (kind,) in db.execute("SELECT kind FROM runs ORDER BY started_at")]
    assert kinds == ["audit", "comment_sweep"]
    assert len(rows) == 2 and len(set(rows)) == 2 and rows[0][1] == rows[1][1]  # the same one finding in each run
