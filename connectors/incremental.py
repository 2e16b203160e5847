"""What the live connectors share: the network and credential preconditions (a credential is read through the
platform's spec, which declares its variable), the incremental-crawl state kept between runs, and the rule that a
fetch holds each post and each comment once.

The state a connector returns (`AccountData.state`) is stored by the runner per account and handed back next run as
`FetchContext.state`. It holds the newest post seen (id and time). A later run lists the account's posts newest first
and stops at the first one that is both already known and older than the comment window: that one listing brings the
new posts and re-reads the posts whose comments are watched (with their comments), so a nightly run of a quiet account
is the profile request and one page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable, Mapping
from typing import Any

from auditor.connectors import ConnectorError, FetchContext
from auditor.model import Comment, Post
from auditor.platforms import PlatformSpec

# How many posts the first run of an account reads; later runs read only what is newer.
FIRST_RUN_POSTS = 100


def require_network(ctx: FetchContext, platform: str, handle: str) -> None:
    if ctx.offline:
        raise ConnectorError(
            f"{handle} is read live from {platform}, which needs the network; it was not audited because this run is "
            "--offline"
        )


def credential_name(spec: PlatformSpec, index: int = 0) -> str:
    """The name of the environment variable a platform's spec declares for its secret (`credentials=`): connectors
    name it in their messages from here, so it is written once, in auditor/platforms.py."""
    if not 0 <= index < len(spec.credentials):
        raise ValueError(f"platform {spec.name!r} declares no credential number {index + 1}")
    return spec.credentials[index]


def credential(spec: PlatformSpec, what: str, index: int = 0) -> str:
    """The platform's secret, read from the environment variable its spec declares, or a ConnectorError saying which
    variable to set and to what. The message names the variable, never its value."""
    return credential_named(credential_name(spec, index), what)


def credential_named(variable: str, what: str) -> str:
    """A secret from the environment variable the config names for it (an account's own token, where the platform's
    spec cannot know the variable); the same message as `credential` when it is not set."""
    value = os.environ.get(variable, "").strip()
    if not value:
        raise ConnectorError(f"set {variable} to {what}; it is not set, so the account could not be read")
    return value


def parse_time(value: object) -> dt.datetime | None:
    """ISO 8601 as the platforms write it ("2025-03-01T10:00:00.000Z", Graph's "2025-03-01T10:00:00+0000")."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"  # Graph's +0000 -> +00:00, which fromisoformat reads on Python 3.11
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def window_start(ctx: FetchContext, now: dt.datetime) -> dt.datetime:
    return now - ctx.comment_window


def listing_done(post_id: str, when: dt.datetime | None, ctx: FetchContext, window: dt.datetime) -> bool:
    """Whether a newest-first listing stops at this post: with --since, at the first post older than that date; on a
    later run, at the first post an earlier run read that is also older than the comment window. The first run
    is bounded by a number of posts instead."""
    if ctx.since is not None:
        return when is not None and when.date() < ctx.since
    newest, known = ctx.state.get("newest_id"), parse_time(ctx.state.get("newest_time"))
    if not isinstance(newest, str):
        return False
    # Compared by time too, so the listing still stops when the newest known post has been deleted.
    already = post_id == newest or (known is not None and when is not None and when <= known)
    return already and (when is None or when < window)


def next_state(previous: Mapping[str, Any], posts: Iterable[Post], **extra: object) -> dict[str, object]:
    """The state for the next run: the newest post seen so far (id and time), and what the connector adds."""
    newest_id, newest_time = previous.get("newest_id"), previous.get("newest_time")
    dated = [p for p in posts if p.created_at is not None]
    if dated:
        top = max(dated, key=lambda p: (p.created_at, _id_order(p.id)))
        old_time = parse_time(newest_time)
        if top.created_at is not None and (old_time is None or top.created_at >= old_time):
            newest_id, newest_time = top.id, top.created_at.isoformat()
    state: dict[str, object] = {}
    if isinstance(newest_id, str) and isinstance(newest_time, str):
        state["newest_id"], state["newest_time"] = newest_id, newest_time
    state.update(extra)
    return state


def _id_order(post_id: str) -> tuple[int, str]:
    # X ids grow with time; Graph ids ("pageid_postid") do not sort usefully, so they only break ties.
    return (int(post_id), "") if post_id.isdigit() else (0, post_id)


def once(posts: Iterable[Post]) -> list[Post]:
    """The posts with each post, and each comment, kept the first time it was read.

    A finding's id comes from the post's or the comment's id, so one read twice would be judged twice. Pages can
    overlap (a server repeats a page, or a new post shifts the next page by one) and a reply can be reachable from
    two of the account's posts; each paging path skips what it has seen, and this is the rule for the whole fetch.
    """
    posts_seen: set[str] = set()
    comments_seen: set[str] = set()
    kept: list[Post] = []
    for post in posts:
        if post.id in posts_seen:
            continue
        posts_seen.add(post.id)
        comments: list[Comment] = []
        for comment in post.comments:
            if comment.id not in comments_seen:
                comments_seen.add(comment.id)
                comments.append(comment)
        kept.append(
            post if len(comments) == len(post.comments) else dataclasses.replace(post, comments=tuple(comments))
        )
    return kept
