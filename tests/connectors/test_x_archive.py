"""XArchiveConnector against archives in X's real export format, built in tmp_path, and the committed samples."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from auditor.connectors import ConnectorError, FetchContext, x_archive
from auditor.connectors.x_archive import XArchiveConnector
from auditor.model import Account, AccountData, Link

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "examples" / "archives"
AUP = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"
# A 1x1 JPEG is overkill here: the connector copies bytes, it never decodes them.
PHOTO = b"\xff\xd8\xff\xe0 tiny photo bytes \xff\xd9"

Files = dict[str, bytes]
Record = dict[str, Any]  # one JSON object, as json.loads would give it
Make = Callable[[Files], Path]


# --- fixture builders -------------------------------------------------------------------------------------------------


def js(variable: str, data: object) -> bytes:
    return f"window.YTD.{variable} = {json.dumps(data, indent=2, ensure_ascii=False)}".encode()


def tweet(
    id_str: str,
    text: str,
    created_at: str = "Tue Jun 18 12:02:00 +0000 2019",
    *,
    urls: dict[str, str] | None = None,
    media: list[Record] | None = None,
    **extra: object,
) -> Record:
    """A tweet record shaped like the real export, numbers as strings; `text` is given as X stores it (HTML-escaped)."""
    body: Record = {
        "retweeted": False,
        "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
        "entities": {
            "hashtags": [],
            "symbols": [],
            "user_mentions": [],
            "urls": [
                {"url": short, "expanded_url": long, "display_url": long[8:30], "indices": ["0", "23"]}
                for short, long in (urls or {}).items()
            ],
        },
        "display_text_range": ["0", str(len(text))],
        "favorite_count": "4",
        "id_str": id_str,
        "truncated": False,
        "retweet_count": "1",
        "id": id_str,
        "created_at": created_at,
        "favorited": False,
        "full_text": text,
        "lang": "en",
    }
    if media:
        body["extended_entities"] = {"media": media}
    body.update(extra)
    return {"tweet": body}


def photo(media_id: str, tweet_id: str, name: str = "FxAbc123XYZ.jpg", tco: str = "https://t.co/PhOtO00001") -> Record:
    return {
        "expanded_url": f"https://x.com/HistoryIHS/status/{tweet_id}/photo/1",
        "indices": ["20", "43"],
        "url": tco,
        "media_url": f"http://pbs.twimg.com/media/{name}",
        "id_str": media_id,
        "id": media_id,
        "media_url_https": f"https://pbs.twimg.com/media/{name}",
        "type": "photo",
        "display_url": "pic.x.com/PhOtO00001",
    }


def archive(
    *,
    username: str = "HistoryIHS",
    bio: str = "History department at Islwyn High School.",
    website: str = "",
    tweets: dict[str, list[Record]] | None = None,
    media: Files | None = None,
) -> Files:
    """The files of an archive, by path inside it. `tweets` maps a data/ file name to its records."""
    files = {
        "data/account.js": js(
            "account.part0",
            [
                {
                    "account": {
                        "email": "history@islwynhigh.co.uk",
                        "createdVia": "web",
                        "username": username,
                        "accountId": "1141012345678901234",
                        "createdAt": "2019-06-18T12:02:00.000Z",
                        "accountDisplayName": "History at IHS",
                    }
                }
            ],
        ),
        "data/profile.js": js(
            "profile.part0",
            [
                {
                    "profile": {
                        "description": {"bio": bio, "website": website, "location": "Blackwood, Wales"},
                        "avatarMediaUrl": "https://pbs.twimg.com/profile_images/1/a_400x400.jpg",
                        "headerMediaUrl": "https://pbs.twimg.com/profile_banners/1/1725000000",
                    }
                }
            ],
        ),
    }
    for name, records in (tweets or {}).items():
        stem, _, part = name.removesuffix(".js").partition("-part")
        files[f"data/{name}"] = js(f"{stem}.part{part or 0}", records)
    for name, data in (media or {}).items():
        files[f"data/tweets_media/{name}"] = data
    return files


def write_folder(root: Path, files: Files) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def write_zip(path: Path, files: Files) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def snapshot(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


# --- fixtures ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def ctx() -> Iterator[FetchContext]:
    context = FetchContext()
    yield context
    context.cleanup()


@pytest.fixture(params=["folder", "zip"])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Make:
    """Builds the archive as an unpacked folder or as the downloaded .zip: both must read the same."""
    if request.param == "folder":
        return lambda files: write_folder(tmp_path / "HistoryIHS", files)
    return lambda files: write_zip(tmp_path / "twitter-2026-03-31-abc123.zip", files)


def fetch(source: Path, ctx: FetchContext, handle: str = "HistoryIHS") -> AccountData:
    account = Account(handle=handle, platform="x-archive", department="History", source=source)
    return XArchiveConnector().fetch(account, ctx)


def refused(source: Path, ctx: FetchContext, handle: str = "HistoryIHS") -> str:
    """The error message, with the archive's path as <source>: tmp_path holds the test's name, which must not match."""
    with pytest.raises(ConnectorError) as info:
        fetch(source, ctx, handle)
    return str(info.value).replace(str(source), "<source>")


# --- reading ----------------------------------------------------------------------------------------------------------


def test_profile_and_post_fields(make: Make, ctx: FetchContext) -> None:
    records = [
        tweet(
            "1935000000000000001", "Year 8 trip to St Fagans on Friday #IHSHistory", "Fri Sep 05 08:30:00 +0000 2025"
        ),
        tweet("1935000000000000002", "Welcome back!", "Thu Sep 04 07:45:00 +0000 2025"),
    ]
    data = fetch(make(archive(website="https://t.co/Hx7aUp01Qz", tweets={"tweets.js": records})), ctx)

    profile = data.profile
    assert profile.username == "HistoryIHS"
    assert profile.display_name == "History at IHS"
    assert profile.bio == "History department at Islwyn High School."
    assert profile.url == "https://x.com/HistoryIHS"
    assert [p.id for p in data.posts] == ["1935000000000000001", "1935000000000000002"]
    first = data.posts[0]
    assert first.text == "Year 8 trip to St Fagans on Friday #IHSHistory"
    assert first.url == "https://x.com/HistoryIHS/status/1935000000000000001"
    assert first.comments == ()
    assert not first.is_repost and first.in_reply_to is None
    assert data.complete is True
    # The account e-mail must never travel into the model (and so into reports).
    assert "islwynhigh.co.uk" not in repr(data)


def test_posts_sorted_newest_first_across_files(make: Make, ctx: FetchContext) -> None:
    files = archive(
        tweets={
            "tweets.js": [tweet("3", "middle", "Mon Jan 05 10:00:00 +0000 2026")],
            "tweets-part1.js": [tweet("1", "oldest", "Mon Sep 01 10:00:00 +0000 2025")],
            "tweets-part2.js": [tweet("5", "newest", "Fri Mar 20 10:00:00 +0000 2026")],
        }
    )
    data = fetch(make(files), ctx)
    assert [p.text for p in data.posts] == ["newest", "middle", "oldest"]


def test_split_tweets_files_are_all_read(make: Make, ctx: FetchContext) -> None:
    files = archive(
        tweets={
            "tweets.js": [tweet("10", "from tweets.js"), tweet("11", "also tweets.js")],
            "tweets-part1.js": [tweet("12", "from part 1")],
        }
    )
    assert {p.text for p in fetch(make(files), ctx).posts} == {"from tweets.js", "also tweets.js", "from part 1"}


def test_old_tweet_js_file_names(make: Make, ctx: FetchContext) -> None:
    files = archive(tweets={"tweet.js": [tweet("20", "old name")], "tweet-part1.js": [tweet("21", "old part")]})
    assert {p.id for p in fetch(make(files), ctx).posts} == {"20", "21"}


def test_tweet_repeated_in_two_files_is_one_post(make: Make, ctx: FetchContext) -> None:
    files = archive(tweets={"tweet.js": [tweet("30", "same")], "tweets.js": [tweet("30", "same"), tweet("31", "x")]})
    assert sorted(p.id for p in fetch(make(files), ctx).posts) == ["30", "31"]


def test_no_tweets_file_means_no_posts(make: Make, ctx: FetchContext) -> None:
    data = fetch(make(archive()), ctx)
    assert data.posts == []
    assert data.profile.username == "HistoryIHS"


def test_html_escaped_text_is_unescaped(make: Make, ctx: FetchContext) -> None:
    files = archive(tweets={"tweets.js": [tweet("40", "Past papers &amp; mark schemes &lt;here&gt; &gt;&gt; H3")]})
    assert fetch(make(files), ctx).posts[0].text == "Past papers & mark schemes <here> >> H3"


def test_numbers_as_strings_or_numbers(make: Make, ctx: FetchContext) -> None:
    record = tweet("0", "numeric ids", favorite_count="12", retweet_count=3)
    del record["tweet"]["id_str"]
    record["tweet"].update(id=1950000000000000042, in_reply_to_status_id_str=1950000000000000001)
    post = fetch(make(archive(tweets={"tweets.js": [record]})), ctx).posts[0]
    assert post.id == "1950000000000000042"
    assert post.in_reply_to == "1950000000000000001"
    assert post.url == "https://x.com/HistoryIHS/status/1950000000000000042"


def test_created_at_becomes_an_aware_datetime(make: Make, ctx: FetchContext) -> None:
    files = archive(
        tweets={
            "tweets.js": [
                tweet("50", "utc", "Tue Jun 18 12:02:00 +0000 2019"),
                tweet("51", "offset", "Wed Mar 04 09:30:15 +0100 2026"),
            ]
        }
    )
    by_id = {p.id: p.created_at for p in fetch(make(files), ctx).posts}
    assert by_id["50"] == dt.datetime(2019, 6, 18, 12, 2, tzinfo=dt.UTC)
    assert by_id["51"] == dt.datetime(2026, 3, 4, 8, 30, 15, tzinfo=dt.UTC)
    assert by_id["51"].utcoffset() == dt.timedelta(hours=1)


def test_links_keep_short_and_expanded_url(make: Make, ctx: FetchContext) -> None:
    record = tweet("60", "Read this https://t.co/Na7ArcH1vE", urls={"https://t.co/Na7ArcH1vE": "https://example.org/a"})
    record["tweet"]["entities"]["urls"].append({"expanded_url": "https://no-short-form.example"})
    post = fetch(make(archive(tweets={"tweets.js": [record]})), ctx).posts[0]
    assert post.links == (Link("https://t.co/Na7ArcH1vE", "https://example.org/a"),)
    assert post.links[0].target == "https://example.org/a"


def test_profile_website_and_bio_links_expanded_from_tweets(make: Make, ctx: FetchContext) -> None:
    files = archive(
        bio="Our ICT Acceptable Use Policy: https://t.co/Hx7aUp01Qz. Trips: https://t.co/UnKnOwN001",
        website="https://t.co/Hx7aUp01Qz",
        tweets={"tweets.js": [tweet("70", "AUP https://t.co/Hx7aUp01Qz", urls={"https://t.co/Hx7aUp01Qz": AUP})]},
    )
    profile = fetch(make(files), ctx).profile
    assert profile.website == Link("https://t.co/Hx7aUp01Qz", AUP)
    # The bio's full stop after the link is punctuation, not part of the URL.
    assert profile.links == (Link("https://t.co/Hx7aUp01Qz", AUP), Link("https://t.co/UnKnOwN001", None))


def test_profile_website_expanded_from_a_media_link(make: Make, ctx: FetchContext) -> None:
    media = photo("1", "80", tco="https://t.co/PhOtO00001")
    files = archive(website="https://t.co/PhOtO00001", tweets={"tweets.js": [tweet("80", "pic", media=[media])]})
    assert fetch(make(files), ctx).profile.website == Link(
        "https://t.co/PhOtO00001", "https://x.com/HistoryIHS/status/80/photo/1"
    )


def test_profile_website_unknown_stays_unexpanded(make: Make, ctx: FetchContext) -> None:
    files = archive(website="https://bit.ly/ihs-aup", tweets={"tweets.js": [tweet("90", "no links")]})
    website = fetch(make(files), ctx).profile.website
    assert website == Link("https://bit.ly/ihs-aup", None)


def test_empty_website_and_bio(make: Make, ctx: FetchContext) -> None:
    profile = fetch(make(archive(bio="", website="")), ctx).profile
    assert profile.website is None
    assert profile.bio == ""
    assert profile.links == ()


def test_plain_url_in_bio_is_a_link(make: Make, ctx: FetchContext) -> None:
    files = archive(bio="Acceptable use policy: http://WWW.IslwynHigh.co.uk/ICT-Acceptable-Use-Policy/")
    assert fetch(make(files), ctx).profile.links == (Link("http://WWW.IslwynHigh.co.uk/ICT-Acceptable-Use-Policy/"),)


def test_retweet_and_reply_flags(make: Make, ctx: FetchContext) -> None:
    files = archive(
        tweets={
            "tweets.js": [
                tweet("100", "RT @IslwynHigh: Open evening on Thursday"),
                tweet(
                    "101",
                    "@IslwynPTA Thank you!",
                    in_reply_to_status_id_str="99",
                    in_reply_to_screen_name="IslwynPTA",
                ),
            ]
        }
    )
    posts = {p.id: p for p in fetch(make(files), ctx).posts}
    assert posts["100"].is_repost and posts["100"].in_reply_to is None
    assert not posts["101"].is_repost and posts["101"].in_reply_to == "99"


def test_minimal_tweet_with_optional_fields_missing(make: Make, ctx: FetchContext) -> None:
    minimal = {"tweet": {"id_str": "110", "full_text": "Just text", "created_at": "Mon Jan 05 10:00:00 +0000 2026"}}
    post = fetch(make(archive(tweets={"tweets.js": [minimal]})), ctx).posts[0]
    assert (post.id, post.text, post.links, post.media, post.in_reply_to) == ("110", "Just text", (), (), None)


def test_pre_2020_entries_without_tweet_wrapper(make: Make, ctx: FetchContext) -> None:
    bare = {"id_str": "120", "full_text": "Old &amp; bare", "created_at": "Mon Jan 07 10:00:00 +0000 2019"}
    assert fetch(make(archive(tweets={"tweet.js": [bare]})), ctx).posts[0].text == "Old & bare"


def test_bom_and_trailing_semicolon_accepted(make: Make, ctx: FetchContext) -> None:
    files = archive()
    files["data/tweets.js"] = b"\xef\xbb\xbf" + js("tweets.part0", [tweet("130", "bom")]) + b";\n\n"
    assert [p.id for p in fetch(make(files), ctx).posts] == ["130"]


# --- --since ----------------------------------------------------------------------------------------------------------


def test_since_drops_older_posts_and_marks_incomplete(make: Make) -> None:
    files = archive(
        tweets={
            "tweets.js": [
                tweet("140", "before", "Sat Feb 28 23:59:59 +0000 2026"),
                tweet("141", "on the day", "Sun Mar 01 00:00:00 +0000 2026"),
                tweet("142", "after", "Fri Mar 20 10:00:00 +0000 2026"),
            ]
        }
    )
    source = make(files)
    since = FetchContext(since=dt.date(2026, 3, 1))
    try:
        data = fetch(source, since)
    finally:
        since.cleanup()
    assert [p.id for p in data.posts] == ["142", "141"]
    assert data.complete is False


# --- media ------------------------------------------------------------------------------------------------------------


def test_media_in_folder_points_at_the_archive_file(tmp_path: Path, ctx: FetchContext) -> None:
    media = photo("1990000000000000001", "150", name="GaB7pQkWsAAh1Xz.jpg") | {"ext_alt_text": "Pupils at Big Pit"}
    files = archive(
        tweets={"tweets.js": [tweet("150", "Trip", media=[media])]}, media={"150-GaB7pQkWsAAh1Xz.jpg": PHOTO}
    )
    root = write_folder(tmp_path / "HistoryIHS", files)
    [item] = fetch(root, ctx).posts[0].media
    assert item.id == "1990000000000000001"
    assert item.type == "photo"
    assert item.url == "https://pbs.twimg.com/media/GaB7pQkWsAAh1Xz.jpg"
    assert item.alt_text == "Pupils at Big Pit"
    assert item.local_path == (root / "data/tweets_media/150-GaB7pQkWsAAh1Xz.jpg").resolve()
    assert item.local_path.read_bytes() == PHOTO


def test_media_in_zip_is_copied_into_scratch(tmp_path: Path, ctx: FetchContext) -> None:
    files = archive(
        tweets={"tweets.js": [tweet("160", "Trip", media=[photo("1", "160", name="GdK2vRtXoAAm9Lc.jpg")])]},
        media={"160-GdK2vRtXoAAm9Lc.jpg": PHOTO, "999-NotReferenced.jpg": b"unused"},
    )
    [item] = fetch(write_zip(tmp_path / "a.zip", files), ctx).posts[0].media
    assert item.local_path is not None
    assert item.local_path.parent == ctx.scratch()
    assert item.local_path.read_bytes() == PHOTO
    assert item.alt_text is None
    # Only media a tweet refers to are unpacked.
    assert [p.name for p in ctx.scratch().iterdir()] == [item.local_path.name]


def test_media_listed_only_in_entities(make: Make, ctx: FetchContext) -> None:
    record = tweet("175", "pic")
    record["tweet"]["entities"]["media"] = [photo("7", "175")]
    files = archive(tweets={"tweets.js": [record]}, media={"175-FxAbc123XYZ.jpg": PHOTO})
    [item] = fetch(make(files), ctx).posts[0].media
    assert item.local_path is not None and item.local_path.read_bytes() == PHOTO


def test_media_file_absent_from_archive(make: Make, ctx: FetchContext) -> None:
    files = archive(tweets={"tweets.js": [tweet("170", "pic", media=[photo("2", "170")])]})
    [item] = fetch(make(files), ctx).posts[0].media
    assert item.local_path is None
    assert item.url == "https://pbs.twimg.com/media/FxAbc123XYZ.jpg"


def test_video_found_under_its_variant_name(make: Make, ctx: FetchContext) -> None:
    video = {
        "id_str": "3",
        "type": "video",
        "media_url_https": "https://pbs.twimg.com/ext_tw_video_thumb/3/pu/img/Thumb01.jpg",
        "url": "https://t.co/ViDeO00001",
        "expanded_url": "https://x.com/HistoryIHS/status/180/video/1",
        "video_info": {
            "variants": [
                {"bitrate": "832000", "content_type": "video/mp4", "url": "https://video.twimg.com/v/Clip01.mp4?tag=12"}
            ]
        },
    }
    files = archive(tweets={"tweets.js": [tweet("180", "Concert", media=[video])]}, media={"180-Clip01.mp4": b"mp4"})
    [item] = fetch(make(files), ctx).posts[0].media
    assert item.type == "video"
    assert item.local_path is not None and item.local_path.read_bytes() == b"mp4"


def test_oversized_zip_media_is_left_unavailable(
    tmp_path: Path, ctx: FetchContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(x_archive, "MAX_MEDIA_BYTES", 10)
    files = archive(
        tweets={"tweets.js": [tweet("190", "pic", media=[photo("4", "190")])]}, media={"190-FxAbc123XYZ.jpg": PHOTO}
    )
    [item] = fetch(write_zip(tmp_path / "a.zip", files), ctx).posts[0].media
    assert item.local_path is None
    assert list(ctx.scratch().iterdir()) == []


def test_media_symlink_outside_folder_refused(tmp_path: Path, ctx: FetchContext) -> None:
    secret = tmp_path / "outside.jpg"
    secret.write_bytes(b"not part of the archive")
    files = archive(tweets={"tweets.js": [tweet("200", "pic", media=[photo("5", "200")])]})
    root = write_folder(tmp_path / "HistoryIHS", files)
    (root / "data/tweets_media").mkdir()
    os.symlink(secret, root / "data/tweets_media/200-FxAbc123XYZ.jpg")
    assert "outside the archive folder" in refused(root, ctx)


def test_data_file_symlink_outside_folder_refused(tmp_path: Path, ctx: FetchContext) -> None:
    elsewhere = tmp_path / "elsewhere.js"
    elsewhere.write_bytes(js("tweets.part0", [tweet("1", "planted")]))
    root = write_folder(tmp_path / "HistoryIHS", archive())
    os.symlink(elsewhere, root / "data/tweets.js")
    message = refused(root, ctx)
    assert "data/tweets.js in <source>" in message and "outside the archive folder" in message


# --- account identity -------------------------------------------------------------------------------------------------


def test_handle_mismatch_refused(make: Make, ctx: FetchContext) -> None:
    message = refused(make(archive(username="ScienceIHS")), ctx, handle="HistoryIHS")
    assert "@ScienceIHS" in message and "@HistoryIHS" in message


@pytest.mark.parametrize("handle", ["@historyihs", "HISTORYIHS", "HistoryIHS"])
def test_handle_matches_ignoring_case_and_at_sign(make: Make, ctx: FetchContext, handle: str) -> None:
    assert fetch(make(archive()), ctx, handle=handle).profile.username == "HistoryIHS"


# --- broken archives --------------------------------------------------------------------------------------------------


def _full_tweets_js() -> bytes:
    return js("tweets.part0", [tweet("210", "Year 7 trip & more"), tweet("211", "Second tweet")])


@pytest.mark.parametrize(
    "cut",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="middle"),
        pytest.param(lambda raw: raw[: raw.index(b"Second") + 3], id="inside-a-string"),
        pytest.param(lambda raw: raw[: raw.rindex(b"},") + 2], id="after-a-comma"),
        pytest.param(lambda raw: raw[:-1], id="last-bracket-missing"),
    ],
)
def test_truncated_tweets_js(make: Make, ctx: FetchContext, cut: Callable[[bytes], bytes]) -> None:
    files = archive()
    files["data/tweets.js"] = cut(_full_tweets_js())
    message = refused(make(files), ctx)
    assert "data/tweets.js in <source>" in message
    assert "truncated" in message


def test_json_syntax_error_gives_line_and_column(make: Make, ctx: FetchContext) -> None:
    files = archive()
    raw = _full_tweets_js().decode()
    files["data/tweets.js"] = raw.replace('"lang": "en"\n', '"lang": "en",\n', 1).encode()
    line = raw[: raw.index('"lang": "en"')].count("\n") + 2
    message = refused(make(files), ctx)
    assert "data/tweets.js in <source>" in message
    assert f"line {line}, column" in message
    assert "truncated" not in message


def test_text_after_the_data_refused(make: Make, ctx: FetchContext) -> None:
    files = archive()
    raw = _full_tweets_js()
    files["data/tweets.js"] = raw + b";\n  alert(1)"
    line = raw.count(b"\n") + 2
    message = refused(make(files), ctx)
    assert f"data/tweets.js in <source> has unexpected text after its data at line {line}, column 3" in message


def test_deeply_nested_data_refused(make: Make, ctx: FetchContext) -> None:
    files = archive()
    files["data/tweets.js"] = b"window.YTD.tweets.part0 = " + b"[" * 100_000 + b"]" * 100_000
    assert "data/tweets.js in <source> nests its data too deeply" in refused(make(files), ctx)


@pytest.mark.parametrize(
    "content",
    [
        b'[{"tweet": {}}]',
        b"var tweets = []",
        b"window.YTD.tweets = []",
        b"",
    ],
)
def test_missing_wrapper_refused(make: Make, ctx: FetchContext, content: bytes) -> None:
    files = archive()
    files["data/tweets.js"] = content
    message = refused(make(files), ctx)
    assert "data/tweets.js in <source>" in message and "window.YTD" in message


def test_not_utf8_refused(make: Make, ctx: FetchContext) -> None:
    files = archive()
    files["data/profile.js"] = js("profile.part0", [{"profile": {}}]).replace(b"{}", b'{"x": "\xff"}')
    assert "data/profile.js in <source> is not UTF-8" in refused(make(files), ctx)


@pytest.mark.parametrize("missing", ["data/account.js", "data/profile.js"])
def test_missing_required_file(make: Make, ctx: FetchContext, missing: str) -> None:
    files = archive()
    del files[missing]
    message = refused(make(files), ctx)
    assert f"no {missing}" in message


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        pytest.param({"tweet": {}}, "should be a list", id="tweets-not-a-list"),
        pytest.param([tweet("1", "ok"), {"retweeted": False}], "entry 2 has no 'tweet'", id="entry-without-tweet"),
        pytest.param([tweet("1", "ok"), "a string"], "entry 2: the entry should be an object", id="entry-not-object"),
        pytest.param(
            [tweet("1", "ok"), {"tweet": tweet("2", "t")["tweet"] | {"full_text": ["not", "text"]}}],
            "entry 2: 'full_text'",
            id="full-text-list",
        ),
        pytest.param([tweet("1", "ok"), tweet("2", "t", "2026-03-01T10:00:00Z")], "entry 2: 'created_at'", id="iso"),
        pytest.param([tweet("1", "ok", "Mon Feb 31 10:00:00 +0000 2026")], "entry 1: 'created_at'", id="no-such-day"),
        pytest.param([tweet("1", "ok", entities={"urls": "x"})], "entry 1: 'urls' should be a list", id="urls-str"),
        pytest.param([tweet("../../etc", "ok")], "entry 1: 'id_str' should be a numeric id", id="id-not-numeric"),
        pytest.param([tweet("9" * 5000, "ok")], "entry 1: 'id_str' should be a numeric id", id="id-too-long"),
        pytest.param([{"tweet": {"full_text": "x", "created_at": "y"}}], "entry 1 has no tweet id", id="no-id"),
    ],
)
def test_wrong_shapes_name_file_and_entry(make: Make, ctx: FetchContext, records: object, expected: str) -> None:
    files = archive()
    files["data/tweets.js"] = js("tweets.part0", records)
    message = refused(make(files), ctx)
    assert "data/tweets.js in <source>" in message
    assert expected in message


def test_account_without_username(make: Make, ctx: FetchContext) -> None:
    files = archive()
    files["data/account.js"] = js("account.part0", [{"account": {"email": "x@islwynhigh.co.uk"}}])
    message = refused(make(files), ctx)
    assert "data/account.js in <source> has no username" in message
    assert "x@islwynhigh.co.uk" not in message


def test_oversized_data_file_refused(make: Make, ctx: FetchContext, monkeypatch: pytest.MonkeyPatch) -> None:
    files = archive(tweets={"tweets.js": [tweet(str(n), "padding " * 20) for n in range(1, 30)]})
    source = make(files)
    monkeypatch.setattr(x_archive, "MAX_JS_BYTES", 4000)
    message = refused(source, ctx)
    assert "data/tweets.js in <source> is larger than" in message


# --- the source itself ------------------------------------------------------------------------------------------------


def test_source_missing(tmp_path: Path, ctx: FetchContext) -> None:
    assert "does not exist" in refused(tmp_path / "nowhere.zip", ctx)


def test_source_not_configured(ctx: FetchContext) -> None:
    with pytest.raises(ConnectorError, match="source"):
        XArchiveConnector().fetch(Account(handle="HistoryIHS", platform="x-archive", department="History"), ctx)


def test_zip_that_is_not_a_zip(tmp_path: Path, ctx: FetchContext) -> None:
    fake = tmp_path / "twitter-archive.zip"
    fake.write_text("this is a download error page, not a zip")
    assert refused(fake, ctx).startswith("<source> is not a valid zip file")


def test_other_file_is_neither_folder_nor_zip(tmp_path: Path, ctx: FetchContext) -> None:
    other = tmp_path / "tweets.csv"
    other.write_text("id,text\n")
    assert "neither a folder nor a .zip" in refused(other, ctx)


def test_folder_given_one_level_too_high(tmp_path: Path, ctx: FetchContext) -> None:
    write_folder(tmp_path / "outer" / "twitter-2026", archive())
    assert "data/account.js" in refused(tmp_path / "outer", ctx)


# --- hostile zips -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../evil.js", "/abs.js", "data\\..\\x", "data/../../evil.js", "C:/evil.js"])
def test_hostile_member_names_refused(
    tmp_path: Path, ctx: FetchContext, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    # Scratch folders go inside tmp_path, so anything written beside them would show up in the snapshot.
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    files = archive(
        tweets={"tweets.js": [tweet("220", "pic", media=[photo("6", "220")])]}, media={"220-FxAbc123XYZ.jpg": PHOTO}
    )
    files[name] = b"window.YTD.tweets.part9 = []"
    source = write_zip(work / "archive.zip", files)
    before = snapshot(tmp_path)

    message = refused(source, ctx)

    assert "hostile member name" in message and repr(name) in message
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "evil.js").exists() and not (work / "evil.js").exists()


def test_zip_bomb_member_refused(tmp_path: Path, ctx: FetchContext) -> None:
    files: dict[str, bytes] = archive()
    files["data/tweets_media/1-bomb.jpg"] = bytes(20 * 1024 * 1024)  # ~20 KB once deflated: a 1000:1 ratio
    source = write_zip(tmp_path / "bomb.zip", files)
    assert source.stat().st_size < 200_000
    message = refused(source, ctx)
    assert "data/tweets_media/1-bomb.jpg in <source>" in message and "zip bomb" in message


def test_zip_total_size_cap(tmp_path: Path, ctx: FetchContext, monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_zip(tmp_path / "big.zip", archive(tweets={"tweets.js": [tweet("1", "x")]}))
    monkeypatch.setattr(x_archive, "MAX_TOTAL_UNCOMPRESSED", 1000)
    assert "possible zip bomb" in refused(source, ctx)


def test_damaged_zip_member(tmp_path: Path, ctx: FetchContext) -> None:
    files = archive(tweets={"tweets.js": [tweet("230", "A tweet whose bytes get damaged in transit")]})
    source = tmp_path / "damaged.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_STORED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    raw = source.read_bytes()
    source.write_bytes(raw.replace(b"damaged in transit", b"DAMAGED in transit"))
    assert "data/tweets.js in <source> could not be unpacked" in refused(source, ctx)


def test_zip_with_data_in_a_subfolder_is_not_an_archive(tmp_path: Path, ctx: FetchContext) -> None:
    nested = {f"twitter-2026/{name}": data for name, data in archive().items()}
    assert "no data/account.js" in refused(write_zip(tmp_path / "nested.zip", nested), ctx)


# --- the committed samples --------------------------------------------------------------------------------------------


def _builder(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_samples", REPO / "examples" / "build_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the script is being executed.
    monkeypatch.setitem(sys.modules, "build_samples", module)
    spec.loader.exec_module(module)
    return module


def _contents(path: Path) -> Files:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            return {i.filename: zf.read(i) for i in zf.infolist()}
    return {str(p.relative_to(path)): p.read_bytes() for p in path.rglob("*") if p.is_file()}


def test_samples_match_their_builder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = _builder(monkeypatch).build(tmp_path)
    assert [p.name for p in built] == [
        "HistoryIHS",
        "ScienceIHS.zip",
        "islwyn_pe",
        "IslwynHigh",
        "MusicIHS",
        "DramaIHS-tiktok.zip",
    ]
    for path in built:
        assert _contents(path) == _contents(SAMPLES / path.name), f"examples/archives/{path.name} is stale"


def sample(name: str, handle: str, ctx: FetchContext) -> AccountData:
    return fetch(SAMPLES / name, ctx, handle=handle)


def test_sample_history(ctx: FetchContext) -> None:
    data = sample("HistoryIHS", "HistoryIHS", ctx)
    assert data.profile.website == Link("https://t.co/Hx7aUp01Qz", AUP)
    assert data.profile.links == (Link("https://t.co/Hx7aUp01Qz", AUP),)
    assert 6 <= len(data.posts) <= 10
    assert sum(p.is_repost for p in data.posts) == 1
    assert sum(p.in_reply_to is not None for p in data.posts) == 1
    assert any("Past papers & mark schemes" in p.text for p in data.posts)
    [pic] = [m for p in data.posts for m in p.media]
    assert pic.local_path is not None and pic.local_path.read_bytes().startswith(b"\xff\xd8")
    assert all(p.created_at and p.created_at.year in (2025, 2026) for p in data.posts)


def test_sample_science_zip(ctx: FetchContext) -> None:
    data = sample("ScienceIHS.zip", "ScienceIHS", ctx)
    assert data.profile.website == Link("https://t.co/Sc1enceW3b", "https://www.islwynhigh.co.uk/science")
    assert data.profile.links == ()
    [fair] = [p for p in data.posts if "Megan Price-Jones" in p.text]
    assert fair.text.startswith("Well done to Megan Price-Jones in Year 9 for winning the regional science fair!")
    [pic] = fair.media
    assert pic.local_path is not None and pic.local_path.parent == ctx.scratch()
    assert pic.local_path.read_bytes().startswith(b"\xff\xd8")
    assert any(link.target.startswith("https://edu.rsc.org/") for p in data.posts for link in p.links)


def test_sample_pe(ctx: FetchContext) -> None:
    data = sample("islwyn_pe", "islwyn_pe", ctx)
    assert data.profile.website is None
    assert data.profile.links == (Link("http://WWW.IslwynHigh.co.uk/ICT-Acceptable-Use-Policy/"),)
    texts = [p.text for p in data.posts]
    assert "Fixtures update: contact Mr Evans on 07700 900123 for minibus times" in texts
    assert any("hooker" in t for t in texts)


def test_sample_school_uses_old_tweet_js(ctx: FetchContext) -> None:
    assert (SAMPLES / "IslwynHigh/data/tweet.js").is_file()
    assert not (SAMPLES / "IslwynHigh/data/tweets.js").exists()
    data = sample("IslwynHigh", "IslwynHigh", ctx)
    assert data.profile.website == Link("https://bit.ly/ihs-aup", None)
    assert len(data.posts) >= 6


def test_sample_music(ctx: FetchContext) -> None:
    data = sample("MusicIHS", "MusicIHS", ctx)
    assert data.profile.website == Link("https://t.co/MuS1cAup9x", "http://islwynhigh.co.uk/ICT-acceptable-use-policy/")
    assert sum(len(p.media) for p in data.posts) == 1


def test_every_platform_the_config_accepts_has_a_connector():
    from auditor import connectors, platforms

    assert set(connectors.PLATFORMS) <= set(platforms.names())
    for name in platforms.names():
        assert callable(getattr(connectors.get_connector(name), "fetch", None)), name
    with pytest.raises(ConnectorError):
        connectors.get_connector("myspace")
