"""YouTube channels through the YouTube Data API v3 with an API key (`YOUTUBE_API_KEY`).

The key travels in the `X-Goog-Api-Key` header (a Google "system parameter" that every Google REST API accepts as a
header or as `key=`), never in the query string, so no URL that is logged or quoted can carry it.

Requests (quota cost 1 unit each): `channels.list` by `forHandle` (snippet: title, description, custom URL;
contentDetails: the uploads playlist), `playlistItems.list` on the uploads playlist (newest first, paged),
`videos.list` for the titles and descriptions of up to 50 videos at once (new ones and those still watched for
comments), `commentThreads.list` per video in the comment window, and `comments.list` (every page, up to REPLY_PAGES)
only for a thread with more replies than it carries. The About page's custom links are not in the Data API; the
description is.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

import requests

from auditor import platforms
from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.crawl import Crawl
from auditor.connectors.incremental import credential, credential_name, once, parse_time, require_network
from auditor.model import Account, AccountData, Comment, Link, Media, Post, Profile
from auditor.net.http import AuthFailed, HttpClient
from auditor.net.ratelimit import google_reasons, google_throttled
from auditor.urls import find_urls

log = logging.getLogger(__name__)

API = "https://www.googleapis.com/youtube/v3"
KEY_VARIABLE = credential_name(platforms.require("youtube"))  # as its spec declares it (auditor/platforms.py)
KEY_HINT = (
    f"Set {KEY_VARIABLE} to an API key of a Google Cloud project with the YouTube Data API v3 enabled "
    "(APIs & Services > Credentials > Create credentials > API key)."
)
PAGE_SIZE = 50  # the most playlistItems.list and videos.list return
COMMENT_PAGES = 5  # per video and run: 500 comment threads
REPLY_PAGES = 5  # per thread and run: 500 replies (a unit of quota a page), when the thread carries only a few
_HANDLE = re.compile(r"^@?([A-Za-z0-9._-]{3,30})$")
_BAD_KEY = frozenset({"keyInvalid", "keyExpired", "API_KEY_INVALID", "API_KEY_EXPIRED"})


# Google's error reasons, read by the network layer with the other "slow down" signals.
error_reasons = google_reasons


def _throttled(response: requests.Response, body: Any) -> bool:
    return response.status_code == 403 and google_throttled(body)


class YouTubeConnector:
    def __init__(self, sleep: Callable[[float], None] = time.sleep, max_wait: float = 60.0) -> None:
        self.sleep = sleep
        self.max_wait = max_wait
        self.client: HttpClient | None = None

    def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
        require_network(ctx, "YouTube", account.handle)
        match = _HANDLE.match(account.handle.strip())
        if not match:
            raise ConnectorError(f"{account.handle!r} is not a YouTube handle; write it like @HistoryIHS")
        key = credential(platforms.require("youtube"), "an API key for the YouTube Data API v3")
        self.client = HttpClient(
            "YouTube",
            credential_hint=KEY_HINT,
            secrets=(key,),
            sleep=self.sleep,
            max_wait=self.max_wait,
            throttled=_throttled,
            budget="youtube",
        )
        return _Reader(self.client, key, match.group(1), account.handle, ctx).read()


class _Reader:
    def __init__(self, client: HttpClient, key: str, name: str, handle: str, ctx: FetchContext) -> None:
        self.client, self.handle, self.name = client, handle, name
        self.headers = {"X-Goog-Api-Key": key}
        self.crawl = Crawl(ctx)

    def get(self, method: str, params: dict[str, Any]) -> Any:
        """One API call; None when comments are turned off on the video (a 403 that is not an error)."""
        body = self.client.get_json(f"{API}/{method}", params=params, headers=self.headers, accept=_handled)
        reasons = error_reasons(body)
        if reasons & _BAD_KEY:
            raise AuthFailed(f"YouTube refused the API key: it is not valid or has expired. {KEY_HINT}")
        if "commentsDisabled" in reasons or "playlistNotFound" in reasons:
            return None
        return body

    def read(self) -> AccountData:
        found = self.get("channels", {"part": "snippet,contentDetails", "forHandle": f"@{self.name}"})
        items = found.get("items") if isinstance(found, dict) else None
        if not isinstance(items, list) or not items or not isinstance(items[0], dict):
            raise ConnectorError(f"YouTube has no channel with the handle {self.handle}")
        channel = items[0]
        channel_id = _str(channel.get("id"))
        snippet = _dict(channel.get("snippet"))
        description = _str(snippet.get("description"))
        custom = _str(snippet.get("customUrl"))
        profile = Profile(
            username=custom.lstrip("@") or self.name,
            display_name=_str(snippet.get("title")) or None,
            bio=description,
            links=tuple(Link(url) for url in find_urls(description)),
            url=f"https://www.youtube.com/{custom}" if custom else f"https://www.youtube.com/channel/{channel_id}",
        )
        uploads = _str(_dict(_dict(channel.get("contentDetails")).get("relatedPlaylists")).get("uploads"))

        token: str | None = None
        while uploads:
            params: dict[str, Any] = {"part": "contentDetails", "playlistId": uploads, "maxResults": PAGE_SIZE}
            if token:
                params["pageToken"] = token
            page = self.get("playlistItems", params)
            if page is None:  # a channel that has never uploaded has no uploads playlist
                break
            entries = [_playlist_entry(item) for item in _items(page)]
            page_posts = [p for p in entries if p is not None]
            more = self.crawl.add_page(page_posts)
            token = _str(page.get("nextPageToken")) or None
            if not more or not token:
                break

        wanted = [p.id for p in self.crawl.new] + self.crawl.rewatch()
        videos = self._videos(wanted)
        new_ids = {p.id for p in self.crawl.new}
        posts: list[Post] = []
        for video_id in wanted:
            post = videos.get(video_id)
            if post is None:
                continue  # deleted or made private since it was listed: nothing public left to audit
            if video_id not in new_ids or self.crawl.wants_comments(post):
                post = self._with_comments(post, channel_id)
            posts.append(post)
        posts = once(posts)
        return AccountData(profile=profile, posts=posts, complete=False, state=self.crawl.state(posts))

    def _videos(self, ids: list[str]) -> dict[str, Post]:
        found: dict[str, Post] = {}
        for start in range(0, len(ids), PAGE_SIZE):
            batch = ids[start : start + PAGE_SIZE]
            page = self.get("videos", {"part": "snippet", "id": ",".join(batch), "maxResults": PAGE_SIZE})
            for item in _items(page):
                post = _video(item)
                if post is not None:
                    found[post.id] = post
        return found

    def _with_comments(self, post: Post, channel_id: str) -> Post:
        comments: dict[str, Comment] = {}  # by id: a comment a later page repeats is read once
        token: str | None = None
        for _ in range(COMMENT_PAGES):
            params: dict[str, Any] = {
                "part": "snippet,replies",
                "videoId": post.id,
                "maxResults": 100,
                "textFormat": "plainText",
                "order": "time",
            }
            if token:
                params["pageToken"] = token
            page = self.get("commentThreads", params)
            if page is None:  # comments are turned off on this video
                break
            for thread in _items(page):
                top = _dict(_dict(thread.get("snippet")).get("topLevelComment"))
                replies = _dict(thread.get("replies")).get("comments")
                replies = replies if isinstance(replies, list) else []
                total = _dict(thread.get("snippet")).get("totalReplyCount")
                if isinstance(total, int) and total > len(replies) and isinstance(top.get("id"), str):
                    replies = self._all_replies(top["id"], post.id)
                for comment in _comments([top, *replies], post.id, channel_id):
                    comments.setdefault(comment.id, comment)
            token = _str(page.get("nextPageToken")) or None
            if not token:
                break
        return dataclasses.replace(post, comments=tuple(comments.values()))

    def _all_replies(self, parent_id: str, video_id: str) -> list[Any]:
        """A thread carries only a few of its replies; all of them come from comments.list, page by page. At most
        REPLY_PAGES pages are read, so one thread cannot spend the day's quota; a longer thread is logged."""
        replies: list[Any] = []
        token: str | None = None
        for _ in range(REPLY_PAGES):
            params: dict[str, Any] = {
                "part": "snippet",
                "parentId": parent_id,
                "maxResults": 100,
                "textFormat": "plainText",
            }
            if token:
                params["pageToken"] = token
            page = self.get("comments", params)
            replies += _items(page)
            token = _str(page.get("nextPageToken")) if isinstance(page, dict) else ""
            if not token:
                return replies
        log.warning(
            "YouTube video %s: a comment thread has more than %d pages of replies; only those were read this run",
            video_id,
            REPLY_PAGES,
        )
        return replies


def _handled(response: requests.Response, body: Any) -> bool:
    """Error answers `_Reader.get` turns into a clear outcome instead of the client's generic message."""
    return response.status_code in (400, 403, 404) and bool(
        error_reasons(body) & (_BAD_KEY | {"commentsDisabled", "playlistNotFound"})
    )


def _playlist_entry(item: Any) -> Post | None:
    details = _dict(_dict(item).get("contentDetails"))
    video_id = _str(details.get("videoId"))
    if not video_id:
        return None
    # Only the id and time matter here: the text comes from videos.list for the videos this run reads.
    return Post(id=video_id, text="", created_at=parse_time(details.get("videoPublishedAt")))


def _video(item: Any) -> Post | None:
    video_id = _str(_dict(item).get("id"))
    if not video_id:
        return None
    snippet = _dict(item.get("snippet"))
    title, description = _str(snippet.get("title")), _str(snippet.get("description"))
    url = f"https://www.youtube.com/watch?v={video_id}"
    thumbnails = _dict(snippet.get("thumbnails"))
    # The largest still of the video, for checks that look at pictures; the video itself is not downloadable.
    thumb = next(
        (
            _str(_dict(thumbnails.get(size)).get("url"))
            for size in ("maxres", "standard", "high", "medium", "default")
            if _str(_dict(thumbnails.get(size)).get("url"))
        ),
        None,
    )
    return Post(
        id=video_id,
        text=f"{title}\n\n{description}".strip(),
        created_at=parse_time(snippet.get("publishedAt")),
        url=url,
        links=tuple(Link(link) for link in find_urls(description)),
        media=(Media(id=video_id, type="video", url=thumb),),
    )


def _comments(items: Iterable[Any], video_id: str, channel_id: str) -> list[Comment]:
    out = []
    for item in items:
        comment_id = _str(_dict(item).get("id"))
        snippet = _dict(item.get("snippet"))
        if not comment_id or _str(_dict(snippet.get("authorChannelId")).get("value")) == channel_id:
            continue  # the channel's own answers are not comments by others
        out.append(
            Comment(
                id=comment_id,
                text=_str(snippet.get("textOriginal")) or _str(snippet.get("textDisplay")),
                author=_str(snippet.get("authorDisplayName")) or None,
                created_at=parse_time(snippet.get("publishedAt")),
                url=f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}",
                parent_id=_str(snippet.get("parentId")) or None,
            )
        )
    return out


def _items(page: Any) -> Iterable[Any]:
    items = page.get("items") if isinstance(page, dict) else None
    return items if isinstance(items, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""
