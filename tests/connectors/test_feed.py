"""Feed connector: real-shaped RSS and Atom documents (Blogger, WordPress, YouTube channel feeds) replayed with
`responses`, and the config accepting a feed's web address."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from typing import Any

import pytest
import requests
import responses

from auditor import config as config_mod
from auditor.cli import main
from auditor.connectors import ConnectorError, FetchContext, get_connector
from auditor.connectors.feed import FeedConnector, is_tracking
from auditor.net.http import RateLimited
from tests.conftest import account, write_config

URL = "https://historyihs.blogspot.com/feeds/posts/default?alt=rss"
AUP = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"


def rfc822(**delta: float) -> str:
    return email.utils.format_datetime(dt.datetime.now(dt.UTC) - dt.timedelta(**delta), usegmt=True)


def iso(**delta: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def item(n: int, when: str, body: str = "<p>Post body</p>") -> str:
    return f"""
    <item>
      <guid isPermaLink="false">tag:blogger.com,1999:blog-123.post-{n}</guid>
      <pubDate>{when}</pubDate>
      <title>Post {n}</title>
      <description><![CDATA[{body}]]></description>
      <link>https://historyihs.blogspot.com/2026/11/post-{n}.html</link>
      <author>noreply@blogger.com (History IHS)</author>
    </item>"""


def rss(*items: str, description: str = f"History at Islwyn High. Acceptable use: {AUP}") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
  <channel>
    <atom:id>tag:blogger.com,1999:blog-123</atom:id>
    <lastBuildDate>{rfc822(hours=1)}</lastBuildDate>
    <title>History IHS blog</title>
    <description>{description}</description>
    <link>https://historyihs.blogspot.com/</link>
    <managingEditor>noreply@blogger.com (History IHS)</managingEditor>
    <generator>Blogger</generator>
    {"".join(items)}
  </channel>
</rss>"""


def the_account(url: str = URL) -> Any:
    return account(handle="@HistoryBlogIHS", platform="feed", source_url=url)


def serve(body: str, **kwargs: Any) -> None:
    responses.get(URL, body=body.encode(), content_type="application/rss+xml; charset=UTF-8", **kwargs)


@responses.activate
def test_rss_from_blogger_becomes_the_model():
    body = (
        '<p>Trip photos <img src="https://blogger.googleusercontent.com/img/a/trip.jpg" alt="Pupils at the castle">'
        ' and the <a href="https://cadw.gov.wales/caerphilly">castle site</a>.</p>'
        '<p>More on <a href="https://historyihs.blogspot.com/2026/11/post-2.html">this post</a></p>'
    )
    serve(rss(item(2, rfc822(days=1), body), item(1, rfc822(days=3))))

    data = FeedConnector().fetch(the_account(), FetchContext())

    profile = data.profile
    assert profile.username is None  # a blog has no username: the naming check judges its title and site
    assert profile.display_name == "History IHS blog"
    assert profile.bio == f"History at Islwyn High. Acceptable use: {AUP}"
    assert profile.website is not None and profile.website.url == "https://historyihs.blogspot.com/"
    new, old = data.posts
    assert new.id == "tag:blogger.com,1999:blog-123.post-2"
    assert new.url == "https://historyihs.blogspot.com/2026/11/post-2.html"
    assert new.text == "Post 2\n\nTrip photos and the castle site.\n\nMore on this post"
    assert [link.url for link in new.links] == ["https://cadw.gov.wales/caerphilly"]  # not the post's own address
    assert [(m.type, m.url, m.alt_text) for m in new.media] == [
        ("photo", "https://blogger.googleusercontent.com/img/a/trip.jpg", "Pupils at the castle")
    ]
    assert new.created_at is not None and new.created_at.tzinfo is not None
    assert new.comments == () and old.comments == ()
    assert data.complete is False
    assert responses.calls[0].request.headers["Accept"].startswith("application/rss+xml")


@responses.activate
def test_atom_feed_with_html_content_and_relative_links():
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>tag:islwynhigh.co.uk,2026:news</id>
  <title type="text">IHS News</title>
  <subtitle type="html">&lt;p&gt;News from &lt;b&gt;Islwyn High&lt;/b&gt;&lt;/p&gt;</subtitle>
  <link rel="alternate" type="text/html" href="https://www.islwynhigh.co.uk/news/"/>
  <link rel="self" type="application/atom+xml" href="https://www.islwynhigh.co.uk/news/feed.atom"/>
  <updated>{iso(hours=1)}</updated>
  <entry>
    <id>tag:islwynhigh.co.uk,2026:news/42</id>
    <title type="html">Sports day &amp;amp; results</title>
    <link rel="alternate" href="https://www.islwynhigh.co.uk/news/42"/>
    <published>{iso(days=2)}</published>
    <updated>{iso(days=1)}</updated>
    <content type="html">&lt;p&gt;See &lt;a href="/results.pdf"&gt;the results&lt;/a&gt;&lt;/p&gt;</content>
  </entry>
</feed>"""
    responses.get(URL, body=atom.encode(), content_type="application/atom+xml")

    data = FeedConnector().fetch(the_account(), FetchContext())

    assert data.profile.bio == "News from Islwyn High"
    assert data.profile.website is not None and data.profile.website.url == "https://www.islwynhigh.co.uk/news/"
    (post,) = data.posts
    assert post.text == "Sports day & results\n\nSee the results"
    # A relative address is read against the address the feed came from.
    assert [link.url for link in post.links] == ["https://historyihs.blogspot.com/results.pdf"]


@responses.activate
def test_youtube_channel_feed():
    yt = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/"
      xmlns="http://www.w3.org/2005/Atom">
 <link rel="self" href="http://www.youtube.com/feeds/videos.xml?channel_id=UCh1st"/>
 <id>yt:channel:h1st</id>
 <yt:channelId>h1st</yt:channelId>
 <title>History IHS</title>
 <link rel="alternate" href="https://www.youtube.com/channel/UCh1st"/>
 <author><name>History IHS</name><uri>https://www.youtube.com/channel/UCh1st</uri></author>
 <published>2020-01-06T09:00:00+00:00</published>
 <entry>
  <id>yt:video:vid1</id>
  <yt:videoId>vid1</yt:videoId>
  <yt:channelId>UCh1st</yt:channelId>
  <title>Trenches</title>
  <link rel="alternate" href="https://www.youtube.com/watch?v=vid1"/>
  <author><name>History IHS</name><uri>https://www.youtube.com/channel/UCh1st</uri></author>
  <published>{iso(days=1)}</published>
  <updated>{iso(days=1)}</updated>
  <media:group>
   <media:title>Trenches</media:title>
   <media:content url="https://www.youtube.com/v/vid1?version=3" type="application/x-shockwave-flash"
                  width="640" height="390"/>
   <media:thumbnail url="https://i1.ytimg.com/vi/vid1/hqdefault.jpg" width="480" height="360"/>
   <media:description>Worksheet: https://www.islwynhigh.co.uk/ww1.pdf</media:description>
   <media:community><media:starRating count="3" average="5.00" min="1" max="5"/></media:community>
  </media:group>
 </entry>
</feed>"""
    responses.get(URL, body=yt.encode(), content_type="text/xml; charset=UTF-8")

    data = FeedConnector().fetch(the_account(), FetchContext())

    (post,) = data.posts
    assert post.id == "yt:video:vid1" and post.url == "https://www.youtube.com/watch?v=vid1"
    assert post.text == "Trenches\n\nWorksheet: https://www.islwynhigh.co.uk/ww1.pdf"
    assert [(m.type, m.url) for m in post.media] == [("video", "https://i1.ytimg.com/vi/vid1/hqdefault.jpg")]


@responses.activate
def test_minimal_rss_with_optional_fields_absent():
    serve(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Only a title</title>'
        "</item></channel></rss>"
    )

    data = FeedConnector().fetch(the_account(), FetchContext())

    assert data.profile.bio == "" and data.profile.website is None and data.profile.url == URL
    (post,) = data.posts
    assert (post.text, post.url, post.created_at, post.links, post.media) == ("Only a title", None, None, (), ())


@responses.activate
def test_enclosures_become_media():
    enclosure = item(1, rfc822(days=1)).replace(
        "</item>", '<enclosure url="https://cdn.example.org/a.mp4" length="1000" type="video/mp4"/></item>'
    )
    serve(rss(enclosure))

    (post,) = FeedConnector().fetch(the_account(), FetchContext()).posts

    assert [(m.type, m.url) for m in post.media] == [("video", "https://cdn.example.org/a.mp4")]


@responses.activate
def test_a_web_page_is_not_a_feed():
    responses.get(URL, body=b"<!doctype html><html><body><h1>Blog</h1></body></html>", content_type="text/html")

    with pytest.raises(ConnectorError, match="is not an RSS or Atom feed"):
        FeedConnector().fetch(the_account(), FetchContext())


@responses.activate
def test_truncated_feed_keeps_what_could_be_read():
    whole = rss(item(2, rfc822(days=1)), item(1, rfc822(days=2)))
    serve(whole[: whole.index("<item>", whole.index("post-2")) + 10])

    data = FeedConnector().fetch(the_account(), FetchContext())

    assert [p.text for p in data.posts][:1] == ["Post 2\n\nPost body"]


@responses.activate
def test_second_run_of_unchanged_feed_makes_one_request_and_finds_nothing_new():
    serve(rss(item(2, rfc822(days=1)), item(1, rfc822(days=3))))
    first = FeedConnector().fetch(the_account(), FetchContext())
    assert len(first.posts) == 2

    second = FeedConnector().fetch(the_account(), FetchContext(state=first.state))

    assert second.posts == [] and len(responses.calls) == 2  # one request a run
    responses.replace(
        responses.GET, URL, body=rss(item(3, rfc822(hours=1)), item(2, rfc822(days=1)), item(1, rfc822(days=3)))
    )
    third = FeedConnector().fetch(the_account(), FetchContext(state=second.state))
    assert [p.text.split("\n")[0] for p in third.posts] == ["Post 3"]


@responses.activate
def test_entries_out_of_order_are_read_newest_first():
    serve(rss(item(1, rfc822(days=3)), item(2, rfc822(days=1))))
    first = FeedConnector().fetch(the_account(), FetchContext(state={}))
    assert [p.text.split("\n")[0] for p in first.posts] == ["Post 2", "Post 1"]
    responses.replace(
        responses.GET, URL, body=rss(item(1, rfc822(days=3)), item(3, rfc822(hours=1)), item(2, rfc822(days=1)))
    )

    second = FeedConnector().fetch(the_account(), FetchContext(state=first.state))

    assert [p.text.split("\n")[0] for p in second.posts] == ["Post 3"]


@responses.activate
def test_since_limits_the_entries():
    serve(rss(item(2, rfc822(days=1)), item(1, rfc822(days=30))))
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=7)).date()

    data = FeedConnector().fetch(the_account(), FetchContext(since=since))

    assert [p.text.split("\n")[0] for p in data.posts] == ["Post 2"]


@responses.activate
def test_429_with_and_without_retry_after_then_success():
    serve("", status=429, headers={"Retry-After": "3"})
    serve("", status=429)
    serve(rss())
    slept: list[float] = []

    FeedConnector(sleep=slept.append).fetch(the_account(), FetchContext())

    assert slept == [3.0, 2.0]


@responses.activate
def test_long_retry_after_is_an_error():
    serve("", status=429, headers={"Retry-After": "86400"})

    with pytest.raises(RateLimited):
        FeedConnector(sleep=lambda s: None).fetch(the_account(), FetchContext())


@responses.activate
def test_5xx_then_success_and_timeouts():
    serve("oops", status=503)
    responses.get(URL, body=requests.ReadTimeout("slow"))
    serve(rss(item(1, rfc822(days=1))))
    slept: list[float] = []

    data = FeedConnector(sleep=slept.append).fetch(the_account(), FetchContext())

    assert len(data.posts) == 1 and slept == [1.0, 2.0]


@responses.activate
def test_timeouts_every_time_are_an_error():
    responses.get(URL, body=requests.ConnectTimeout("slow"))

    with pytest.raises(ConnectorError, match="did not answer in time after 4 tries"):
        FeedConnector(sleep=lambda s: None).fetch(the_account(), FetchContext())


@responses.activate
def test_missing_feed_and_oversized_feed():
    responses.get(URL, status=404, body="Not found")
    with pytest.raises(ConnectorError, match="HTTP 404"):
        FeedConnector().fetch(the_account(), FetchContext())

    responses.replace(responses.GET, URL, body=b"<rss>" + b" " * (11 * 1024 * 1024))
    with pytest.raises(ConnectorError, match="more than the 10240 KB"):
        FeedConnector().fetch(the_account(), FetchContext())


@responses.activate
def test_offline_is_an_error_without_any_request():
    with pytest.raises(ConnectorError, match="needs the network"):
        get_connector("feed").fetch(the_account(), FetchContext(offline=True))
    assert len(responses.calls) == 0


# --- config ---------------------------------------------------------------------------------------------------------

FEED_ACCOUNT = """
[[accounts]]
handle = "@HistoryBlogIHS"
platform = "feed"
department = "History"
source = "{source}"
"""


def test_config_keeps_a_feed_address_as_it_is(tmp_path):
    config = config_mod.load(write_config(tmp_path, FEED_ACCOUNT.format(source=URL)))

    (acc,) = config.accounts
    assert acc.source_url == URL and acc.source is None


@pytest.mark.parametrize(
    ("platform", "source", "message"),
    [
        ("feed", "feeds/blog.xml", "expected the web address (https://...) of the account's RSS or Atom feed"),
        ("feed", "https://nodot", "expected a web address starting with https://"),
        ("x-archive", URL, "a web address is only allowed here for feed accounts"),
    ],
)
def test_config_rejects_a_bad_feed_source(tmp_path, platform, source, message):
    body = FEED_ACCOUNT.format(source=source).replace('platform = "feed"', f'platform = "{platform}"')
    with pytest.raises(config_mod.ConfigError) as caught:
        config_mod.load(write_config(tmp_path, body))
    assert message in str(caught.value)


def test_config_requires_a_source_for_feeds(tmp_path):
    body = FEED_ACCOUNT.format(source=URL).replace(f'source = "{URL}"\n', "")
    with pytest.raises(config_mod.ConfigError, match="RSS or Atom feed"):
        config_mod.load(write_config(tmp_path, body))


# --- through the runner ---------------------------------------------------------------------------------------------


@responses.activate
def test_a_failing_live_account_does_not_stop_the_others(tmp_path):
    serve(rss(item(1, rfc822(days=1), f'<p>Our <a href="{AUP}">AUP</a></p>'), description=f"AUP: {AUP}"))
    responses.get("https://mastodon.social/api/v1/accounts/lookup", status=404, json={"error": "Record not found"})
    body = FEED_ACCOUNT.format(source=URL) + (
        '\n[[accounts]]\nhandle = "@HistoryIHS@mastodon.social"\nplatform = "mastodon"\ndepartment = "History"\n'
    )
    config = write_config(tmp_path, body)
    out = tmp_path / "out"

    code = main(["run", "--all", "--config", str(config), "--out", str(out), "--checks", "about.aup_link"])

    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    states = {a["handle"]: a for a in doc["accounts"]}
    assert code == 3
    assert states["@HistoryBlogIHS"]["status"] == "ok" and states["@HistoryBlogIHS"]["posts_examined"] == 1
    assert states["@HistoryIHS@mastodon.social"]["status"] == "error"
    assert "was not found on mastodon.social" in states["@HistoryIHS@mastodon.social"]["error"]
    [aup] = [f for f in doc["findings"] if f["account"] == "@HistoryBlogIHS"]
    assert aup["status"] == "PASS"


def feedburner_atom(entry_id: str, when: str) -> str:
    """A Blogger Atom feed served through FeedBurner, in the shape of a recorded one: each entry's content ends with
    a "feedflare" block (button links holding button images) and a 1x1 read pixel, and its alternate link goes
    through FeedBurner's redirector while feedburner:origLink holds the blog's own address."""
    post = "https://historyihs.blogspot.com/2026/11/castle-trip.html"
    redirector = "http://feedproxy.google.com/~r/HistoryIHS/~3/AbC/castle-trip.html"
    content = (
        '<div dir="ltr"><p>Our trip to <a href="https://cadw.gov.wales/caerphilly">Caerphilly Castle</a>.</p>'
        '<a href="https://blogger.googleusercontent.com/img/b/castle.jpg"><img border="0" height="400" width="600" '
        'src="https://blogger.googleusercontent.com/img/b/castle-s600.jpg" alt="The castle walls" /></a></div>'
        '<div class="feedflare">\n<a href="http://feeds.feedburner.com/~ff/HistoryIHS?a=AbC:DeF:yIl2AUoC8zA">'
        '<img src="http://feeds.feedburner.com/~ff/HistoryIHS?d=yIl2AUoC8zA" border="0"></img></a> '
        '<a href="http://feeds.feedburner.com/~ff/HistoryIHS?a=AbC:DeF:V_sGLiPBpWU">'
        '<img src="http://feeds.feedburner.com/~ff/HistoryIHS?i=AbC:DeF:V_sGLiPBpWU" border="0"></img></a>\n</div>'
        '<img src="http://feeds.feedburner.com/~r/HistoryIHS/~4/AbC" height="1" width="1" alt=""/>'
    )
    escaped = content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
<id>tag:blogger.com,1999:blog-123</id><updated>{when}</updated><title type="text">History IHS</title>
<link rel="alternate" type="text/html" href="https://historyihs.blogspot.com/" />
<entry><id>{entry_id}</id><published>{when}</published><updated>{when}</updated>
<title type="text">Castle trip</title><content type="html">{escaped}</content>
<link rel="replies" type="text/html" href="{post}#comment-form" title="0 Comments" />
<link rel="alternate" type="text/html" href="{redirector}" title="Castle trip" />
<author><name>History IHS</name></author><feedburner:origLink>{post}</feedburner:origLink></entry></feed>"""


@responses.activate
def test_feedburner_flares_and_read_pixels_are_neither_photos_nor_links():
    serve(feedburner_atom("tag:blogger.com,1999:blog-123.post-77", iso(days=1)))

    data = FeedConnector().fetch(the_account(), FetchContext())

    (post,) = data.posts
    assert [(m.url, m.alt_text) for m in post.media] == [
        ("https://blogger.googleusercontent.com/img/b/castle-s600.jpg", "The castle walls")
    ]
    assert [link.url for link in post.links] == [
        "https://cadw.gov.wales/caerphilly",
        "https://blogger.googleusercontent.com/img/b/castle.jpg",
    ]
    assert post.url == "https://historyihs.blogspot.com/2026/11/castle-trip.html"  # not FeedBurner's redirector
    assert post.text == "Castle trip\n\nOur trip to Caerphilly Castle."


@responses.activate
def test_wordpress_and_medium_counters_are_neither_photos_nor_links():
    body = (
        '<p>Sports day <img src="https://historyihs.files.wordpress.com/2026/11/race.jpg" alt="The race" '
        'width="800" height="600" /></p>'
        '<a rel="nofollow" href="http://feeds.wordpress.com/1.0/gocomments/historyihs.wordpress.com/42/">'
        '<img alt="" border="0" src="http://feeds.wordpress.com/1.0/comments/historyihs.wordpress.com/42/" /></a> '
        '<img alt="" border="0" src="https://pixel.wp.com/b.gif?host=historyihs.wordpress.com&#038;blog=1&#038;post=42'
        '&#038;subd=historyihs&#038;ref=&#038;feed=1" width="1" height="1" />'
        '<img src="https://stats.wordpress.com/b.gif?blog=1" />'
        '<img src="https://medium.com/_/stat?event=post.clientViewed&amp;postId=abc" width="1" height="1" alt="">'
        '<img src="https://counter.example/hit.gif" width="0" height="0">'
    )
    serve(rss(item(42, rfc822(days=1), body)))

    data = FeedConnector().fetch(the_account(), FetchContext())

    (post,) = data.posts
    assert [m.url for m in post.media] == ["https://historyihs.files.wordpress.com/2026/11/race.jpg"]
    assert post.links == ()


@pytest.mark.parametrize(
    ("url", "tracking"),
    [
        ("http://feeds.feedburner.com/~ff/blogspot/RLXA?d=yIl2AUoC8zA", True),
        ("http://feeds.feedburner.com/~r/blogspot/RLXA/~4/lTnHFI_mRTg", True),
        ("https://pixel.wp.com/b.gif?host=x", True),
        ("https://medium.com/_/stat?event=post.clientViewed", True),
        # FeedBurner's redirector to a post, and its podcast enclosures, are real addresses.
        ("http://feedproxy.google.com/~r/blogspot/RLXA/~3/lTnHFI_mRTg/post.html", False),
        ("http://feeds.feedburner.com/~r/show/~5/abc/episode.mp3", False),
        ("https://medium.com/@school/a-post-1234", False),
        ("https://cadw.gov.wales/caerphilly", False),
        ("http://[::1", False),
    ],
)
def test_tracking_addresses(url, tracking):
    assert is_tracking(url) is tracking


@responses.activate
def test_a_feed_account_gets_an_smp_2_1_verdict_in_the_run(tmp_path):
    serve(rss(item(1, rfc822(days=1))))  # the blog "History IHS blog" at historyihs.blogspot.com
    config = write_config(tmp_path, FEED_ACCOUNT.format(source=URL))
    out = tmp_path / "out"

    code = main(["run", "--all", "--config", str(config), "--out", str(out), "--checks", "naming.ihs_in_username"])

    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    [naming] = [f for f in doc["findings"] if f["clause"] == "SMP-2.1" and f["check"] == "naming.ihs_in_username"]
    assert code == 0
    assert naming["status"] == "PASS" and 'title "History IHS blog" names the school' in naming["reason"]
