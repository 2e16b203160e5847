"""The incremental crawl of the open-platform connectors (YouTube, Mastodon, Bluesky, feeds): which posts are new,
which earlier posts still have their comments re-read, and what is kept for the next run.

Pages arrive newest first. The first run reads up to `FIRST_RUN_POSTS`; later runs stop at the first post an earlier
run has already seen, so an unchanged account costs one page. The state keeps the newest post (`newest_id`,
`newest_time`, as for X, Facebook and Instagram) and the posts inside the comment window (`recent`: id and time), whose
comments every run re-reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from auditor.connectors import FetchContext
from auditor.connectors.incremental import FIRST_RUN_POSTS, next_state, parse_time, window_start
from auditor.model import Post
from auditor.net.http import HttpClient

# An audit limited with --since reads the whole period asked for, up to this many posts.
SINCE_RUN_POSTS = 500


@dataclass
class Crawl:
    ctx: FetchContext
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    new: list[Post] = field(default_factory=list)
    # Every post read from the pages, seen before or not, so a watched post found there is not fetched again.
    seen: dict[str, Post] = field(default_factory=dict)
    done: bool = False

    @property
    def cap(self) -> int:
        return SINCE_RUN_POSTS if self.ctx.since is not None else FIRST_RUN_POSTS

    @property
    def window_start(self) -> dt.datetime:
        return window_start(self.ctx, self.now)

    def add_page(self, page: Iterable[Post]) -> bool:
        """Take one page of posts, newest first; True while the next page may still hold new posts."""
        fresh = False
        for post in page:
            if post.id in self.seen:
                continue  # a page repeated by a misbehaving server must not loop or count twice
            self.seen[post.id] = post
            fresh = True
            if self.done:
                continue
            if self._known(post) or self._before_since(post):
                self.done = True
                continue
            self.new.append(post)
            self.done = len(self.new) >= self.cap
        return fresh and not self.done

    def wants_comments(self, post: Post) -> bool:
        """Comments are read on the account's own posts inside the comment window (all of them under --since)."""
        if post.is_repost:
            return False
        if self.ctx.since is not None or post.created_at is None:
            return True
        return post.created_at >= self.window_start

    def rewatch(self) -> list[str]:
        """Posts of earlier runs still inside the comment window that this run has not read as new, newest first."""
        new = {p.id for p in self.new}
        found: list[tuple[dt.datetime, str]] = []
        recent = self.ctx.state.get("recent")
        for entry in recent if isinstance(recent, list) else []:
            # A state written by another version is read as far as it can be, never failing the account.
            if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str) and entry[0] not in new:
                when = parse_time(entry[1])
                if when is not None and when >= self.window_start:
                    found.append((when, entry[0]))
        return [post_id for _, post_id in sorted(found, reverse=True)]

    def state(self, posts: Iterable[Post]) -> dict[str, object]:
        """What the next run needs: the newest post seen so far, and this run's posts inside the comment window.
        Every watched post is re-read by each run, so one that was not read this time has been deleted; a repost is
        someone else's post, whose comments are not the account's to moderate."""
        posts = list(posts)
        watched = sorted(
            (p for p in posts if not p.is_repost and p.created_at is not None and p.created_at >= self.window_start),
            key=lambda p: p.created_at or self.now,
            reverse=True,
        )
        recent = [[p.id, p.created_at.isoformat()] for p in watched if p.created_at is not None]
        return next_state(self.ctx.state, posts, recent=recent)

    def _known(self, post: Post) -> bool:
        state: Mapping[str, Any] = self.ctx.state
        if post.id == state.get("newest_id"):
            return True
        newest = parse_time(state.get("newest_time"))
        return newest is not None and post.created_at is not None and post.created_at <= newest

    def _before_since(self, post: Post) -> bool:
        since = self.ctx.since
        return since is not None and post.created_at is not None and post.created_at.date() < since


def get_json_or_none(
    client: HttpClient,
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    missing: tuple[int, ...] = (404,),
) -> Any:
    """Like `HttpClient.get_json`, but None when the item is gone (deleted post, no such account): not an error."""
    gone = False

    def accept(response: requests.Response, _body: Any) -> bool:
        nonlocal gone
        gone = response.status_code in missing
        return gone

    body = client.get_json(url, params=params, headers=headers, accept=accept)
    return None if gone else body
