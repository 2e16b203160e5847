"""Bluesky accounts through the public AppView (https://public.api.bsky.app): no credentials needed.

Handle `@name.bsky.social` or a custom domain (`@history.islwynhigh.co.uk`). Requests: `app.bsky.actor.getProfile`,
`app.bsky.feed.getAuthorFeed` (newest first, paged with `cursor`) and `app.bsky.feed.getPostThread` for the replies
(which also returns the post itself, fresh, for posts of earlier runs still watched for replies). Links come from
rich-text facets (`app.bsky.richtext.facet#link`) and link cards (`app.bsky.embed.external`), never guessed from text
that Bluesky shortens for display.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.crawl import Crawl, get_json_or_none
from auditor.connectors.incremental import once, parse_time, require_network
from auditor.model import Account, AccountData, Comment, Link, Media, Post, Profile
from auditor.net.http import HttpClient
from auditor.urls import find_urls

APPVIEW = "https://public.api.bsky.app/xrpc"
PAGE_SIZE = 50
THREAD_DEPTH = 10
_HANDLE = re.compile(r"^@?((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,62})$")
_REPOST = "app.bsky.feed.defs#reasonRepost"


def parse_handle(handle: str) -> str:
    match = _HANDLE.match(handle.strip())
    if not match:
        raise ConnectorError(
            f"{handle!r} is not a Bluesky handle; write it like @historyihs.bsky.social or @history.islwynhigh.co.uk"
        )
    return match.group(1).lower()


class BlueskyConnector:
    def __init__(self, sleep: Callable[[float], None] = time.sleep, max_wait: float = 60.0) -> None:
        self.sleep = sleep
        self.max_wait = max_wait
        self.client: HttpClient | None = None

    def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
        require_network(ctx, "Bluesky", account.handle)
        actor = parse_handle(account.handle)
        self.client = HttpClient("Bluesky", sleep=self.sleep, max_wait=self.max_wait)
        return _Reader(self.client, actor, account.handle, ctx).read()


class _Reader:
    def __init__(self, client: HttpClient, actor: str, handle: str, ctx: FetchContext) -> None:
        self.client, self.actor, self.handle = client, actor, handle
        self.crawl = Crawl(ctx)

    def read(self) -> AccountData:
        # An unknown handle is a 400 with {"error": "InvalidRequest", "message": "Profile not found"}.
        found = get_json_or_none(
            self.client, f"{APPVIEW}/app.bsky.actor.getProfile", params={"actor": self.actor}, missing=(400, 404)
        )
        if not isinstance(found, dict) or not isinstance(found.get("did"), str):
            raise ConnectorError(f"{self.handle} was not found on Bluesky")
        did: str = found["did"]
        description = _str(found.get("description"))
        profile = Profile(
            username=_str(found.get("handle")) or self.actor,
            display_name=_str(found.get("displayName")) or None,
            bio=description,
            links=tuple(Link(url) for url in find_urls(description)),
            url=f"https://bsky.app/profile/{_str(found.get('handle')) or self.actor}",
        )

        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"actor": did, "limit": PAGE_SIZE, "filter": "posts_with_replies"}
            if cursor:
                params["cursor"] = cursor
            page = self.client.get_json(f"{APPVIEW}/app.bsky.feed.getAuthorFeed", params=params)
            feed = page.get("feed") if isinstance(page, dict) else None
            if not isinstance(feed, list):
                raise ConnectorError("Bluesky answered the list of posts in an unexpected shape")
            more = self.crawl.add_page(_feed_posts(feed))
            cursor = _str(page.get("cursor")) or None
            if not more or not cursor or not feed:
                break

        rewatch = self.crawl.rewatch()
        threads = {p.id for p in self.crawl.new if self.crawl.wants_comments(p)} | set(rewatch)
        posts = [self._thread(p.id, did, p, threads) if p.id in threads else p for p in self.crawl.new]
        for uri in rewatch:
            posts.append(self._thread(uri, did, self.crawl.seen.get(uri), threads))
        kept = once(p for p in posts if p is not None)
        return AccountData(profile=profile, posts=kept, complete=False, state=self.crawl.state(kept))

    def _thread(self, uri: str, did: str, known: Post | None, threads: set[str]) -> Post | None:
        """The post (fresh from the thread) with the replies others wrote; None when it has been deleted.

        `threads` are the posts whose threads this fetch reads: a reply under one of the school's own replies that
        is among them is read there, under the post it answers, not a second time under the post that began the
        thread."""
        answer = get_json_or_none(
            self.client,
            f"{APPVIEW}/app.bsky.feed.getPostThread",
            params={"uri": uri, "depth": THREAD_DEPTH, "parentHeight": 0},
            missing=(400, 404),
        )
        thread = answer.get("thread") if isinstance(answer, dict) else None
        if not isinstance(thread, dict) or not isinstance(thread.get("post"), dict):
            return known
        post = _post(thread["post"]) or known
        if post is None:
            return None
        comments = tuple(_replies(thread, did, threads - {post.id}, set()))
        return dataclasses.replace(post, comments=comments)


def _feed_posts(feed: list[Any]) -> Iterator[Post]:
    for item in feed:
        if not isinstance(item, dict) or not isinstance(item.get("post"), dict):
            continue
        post = _post(item["post"])
        if post is None:
            continue
        reason = item.get("reason")
        if isinstance(reason, dict) and reason.get("$type") == _REPOST:
            # A repost appears on the account's feed when it was reposted, not when the original was written.
            when = parse_time(reason.get("indexedAt")) or post.created_at
            yield dataclasses.replace(post, created_at=when, is_repost=True, in_reply_to=None)
        else:
            yield post


def _post(view: dict[str, Any]) -> Post | None:
    uri = _str(view.get("uri"))
    record = view.get("record")
    if not uri.startswith("at://") or not isinstance(record, dict):
        return None
    author = _dict(view.get("author"))
    rkey = uri.rsplit("/", 1)[-1]
    links = _facet_links(record)
    media: list[Media] = []
    embed = view.get("embed")
    for n, part in enumerate(_embed_parts(embed)):
        kind = _str(part.get("$type"))
        if kind.startswith("app.bsky.embed.external"):
            external = part.get("external")
            target = _str(external.get("uri")) if isinstance(external, dict) else ""
            if target and target not in links:
                links.append(target)
        elif kind.startswith("app.bsky.embed.images"):
            images = part.get("images")
            for m, image in enumerate(images if isinstance(images, list) else []):
                if isinstance(image, dict):
                    media.append(
                        Media(
                            id=f"{rkey}-{n}-{m}",
                            type="photo",
                            url=_str(image.get("fullsize")) or _str(image.get("thumb")) or None,
                            alt_text=_str(image.get("alt")) or None,
                        )
                    )
        elif kind.startswith("app.bsky.embed.video"):
            media.append(
                Media(
                    id=f"{rkey}-{n}",
                    type="video",
                    url=_str(part.get("thumbnail")) or _str(part.get("playlist")) or None,
                    alt_text=_str(part.get("alt")) or None,
                )
            )
    reply = record.get("reply")
    parent = reply.get("parent") if isinstance(reply, dict) else None
    return Post(
        id=uri,
        text=_str(record.get("text")),
        created_at=parse_time(record.get("createdAt")) or parse_time(view.get("indexedAt")),
        url=f"https://bsky.app/profile/{_str(author.get('handle')) or _str(author.get('did'))}/post/{rkey}",
        links=tuple(Link(url) for url in links),
        media=tuple(media),
        in_reply_to=(_str(parent.get("uri")) or None) if isinstance(parent, dict) else None,
        # The text shows links shortened ("github.com/christopherk…"); the facets and the card hold every address.
        links_from_text=False,
    )


def _embed_parts(embed: object) -> Iterator[dict[str, Any]]:
    """The embed views of a post; a post with a quote and media (recordWithMedia) holds its media one level down."""
    if not isinstance(embed, dict):
        return
    if _str(embed.get("$type")).startswith("app.bsky.embed.recordWithMedia"):
        media = embed.get("media")
        if isinstance(media, dict):
            yield media
        return
    yield embed


def _facet_links(record: dict[str, Any]) -> list[str]:
    links: list[str] = []
    facets = record.get("facets")
    for facet in facets if isinstance(facets, list) else []:
        features = facet.get("features") if isinstance(facet, dict) else None
        for feature in features if isinstance(features, list) else []:
            if (
                isinstance(feature, dict)
                and feature.get("$type") == "app.bsky.richtext.facet#link"
                and isinstance(feature.get("uri"), str)
                and feature["uri"] not in links
            ):
                links.append(feature["uri"])
    return links


def _replies(
    thread: dict[str, Any], did: str, elsewhere: set[str], seen: set[str], parent: str | None = None
) -> Iterator[Comment]:
    """The replies by others under `thread`, each once (`seen`), skipping the branches under the school's own posts
    in `elsewhere`, whose replies are read from their own thread. The school's own replies are its posts, never
    comments."""
    replies = thread.get("replies")
    for node in replies if isinstance(replies, list) else []:
        # Deleted and blocked replies (notFoundPost, blockedPost) have no post to read.
        if not isinstance(node, dict) or not isinstance(node.get("post"), dict):
            continue
        view = node["post"]
        post = _post(view)
        if post is None or post.id in seen:
            continue
        seen.add(post.id)
        author = _dict(view.get("author"))
        if author.get("did") == did:
            if post.id not in elsewhere:
                yield from _replies(node, did, elsewhere, seen, post.id)
            continue
        yield Comment(
            id=post.id,
            text=post.text,
            author=f"@{author['handle']}" if isinstance(author.get("handle"), str) else None,
            created_at=post.created_at,
            url=post.url,
            parent_id=parent,
            links=post.links,
            links_from_text=False,
        )
        yield from _replies(node, did, elsewhere, seen, post.id)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
