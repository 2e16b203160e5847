"""Mastodon accounts through the public REST API of their server: no credentials needed.

Handle `@user@instance`. Requests: `/api/v1/accounts/lookup` (profile), `/api/v1/accounts/:id/statuses` (posts,
newest first, paged with `max_id`), `/api/v1/statuses/:id/context` (replies: the descendants written by others) and
`/api/v1/statuses/:id` for a post of an earlier run that is still watched for replies but no longer on the first page.
Profile notes, profile fields (where schools put their AUP link) and posts are HTML; they become text and links here.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from typing import Any

from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.crawl import Crawl, get_json_or_none
from auditor.connectors.htmltext import parse_html
from auditor.connectors.incremental import once, parse_time, require_network
from auditor.model import Account, AccountData, Comment, Link, Media, Post, Profile
from auditor.net.http import HttpClient

PAGE_SIZE = 40  # the most Mastodon returns per page
_HANDLE = re.compile(r"^@?([A-Za-z0-9_]{1,30})@([A-Za-z0-9](?:[A-Za-z0-9.-]{0,250}[A-Za-z0-9])?\.[A-Za-z]{2,63})$")
_MEDIA_TYPES = {"image": "photo", "gifv": "animated_gif", "video": "video", "audio": "audio"}


def parse_handle(handle: str) -> tuple[str, str]:
    match = _HANDLE.match(handle.strip())
    if not match:
        raise ConnectorError(
            f"{handle!r} is not a Mastodon handle; write it with its server, like @HistoryIHS@mastodon.social"
        )
    return match.group(1), match.group(2).lower()


class MastodonConnector:
    def __init__(
        self, sleep: Callable[[float], None] = time.sleep, max_wait: float = 60.0, base_url: str | None = None
    ) -> None:
        self.sleep = sleep
        self.max_wait = max_wait
        # For benchmarks only: every account is read from this server (a local fake API) instead of its own instance.
        self.base_url = base_url
        self.client: HttpClient | None = None

    def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
        require_network(ctx, "Mastodon", account.handle)
        user, instance = parse_handle(account.handle)
        self.client = HttpClient(f"Mastodon ({instance})", sleep=self.sleep, max_wait=self.max_wait)
        base = self.base_url or f"https://{instance}"
        return _Reader(self.client, base, user, instance, account.handle, ctx).read()


class _Reader:
    def __init__(self, client: HttpClient, base: str, user: str, instance: str, handle: str, ctx: FetchContext):
        self.client, self.base, self.user, self.instance, self.handle = client, base, user, instance, handle
        self.crawl = Crawl(ctx)

    def read(self) -> AccountData:
        found = get_json_or_none(self.client, f"{self.base}/api/v1/accounts/lookup", params={"acct": self.user})
        if not isinstance(found, dict) or not isinstance(found.get("id"), str):
            raise ConnectorError(f"{self.handle} was not found on {self.instance}")
        account_id: str = found["id"]
        profile = _profile(found)

        max_id: str | None = None
        while True:
            params: dict[str, Any] = {"limit": PAGE_SIZE}
            if max_id:
                params["max_id"] = max_id
            page = self.client.get_json(f"{self.base}/api/v1/accounts/{account_id}/statuses", params=params)
            if not isinstance(page, list):
                raise ConnectorError(f"Mastodon ({self.instance}) answered the list of posts in an unexpected shape")
            statuses = [s for s in page if isinstance(s, dict) and isinstance(s.get("id"), str)]
            more = self.crawl.add_page(_post(s) for s in statuses)
            if not more or len(page) < PAGE_SIZE or not statuses:
                break
            max_id = statuses[-1]["id"]

        rewatch = self.crawl.rewatch()
        threads = {p.id for p in self.crawl.new if self.crawl.wants_comments(p)} | set(rewatch)
        posts = [self._with_replies(p, account_id, threads) if p.id in threads else p for p in self.crawl.new]
        for post_id in rewatch:
            post = self.crawl.seen.get(post_id)
            if post is None:
                status = get_json_or_none(self.client, f"{self.base}/api/v1/statuses/{post_id}")
                if not isinstance(status, dict) or not isinstance(status.get("id"), str):
                    continue  # deleted since the last run: nothing left to watch
                post = _post(status)
            posts.append(self._with_replies(post, account_id, threads))
        posts = once(posts)
        return AccountData(profile=profile, posts=posts, complete=False, state=self.crawl.state(posts))

    def _with_replies(self, post: Post, account_id: str, threads: set[str]) -> Post:
        """The post with the replies others wrote in its thread. `threads` are the posts whose context this fetch
        reads: a reply under one of the school's own replies among them is read there, under the post it answers,
        not a second time under the post that began the thread."""
        context = get_json_or_none(self.client, f"{self.base}/api/v1/statuses/{post.id}/context")
        descendants = context.get("descendants") if isinstance(context, dict) else None
        statuses = [r for r in descendants if isinstance(r, dict)] if isinstance(descendants, list) else []
        parents = {r["id"]: r.get("in_reply_to_id") for r in statuses if isinstance(r.get("id"), str)}
        elsewhere = threads - {post.id}
        comments: list[Comment] = []
        seen: set[str] = set()
        for reply in statuses:
            if not isinstance(reply.get("id"), str) or reply["id"] in seen:
                continue
            seen.add(reply["id"])
            author = _dict(reply.get("account"))
            if author.get("id") == account_id:
                continue  # the school's own answers in the thread are its posts, not comments by others
            if _answers_one_of(reply["id"], parents, post.id, elsewhere):
                continue
            parent = reply.get("in_reply_to_id")
            comments.append(
                Comment(
                    id=reply["id"],
                    text=_status_text(reply),
                    author=f"@{author['acct']}" if isinstance(author.get("acct"), str) else None,
                    created_at=parse_time(reply.get("created_at")),
                    url=_str(reply.get("url")) or _str(reply.get("uri")),
                    parent_id=parent if isinstance(parent, str) and parent != post.id else None,
                )
            )
        return dataclasses.replace(post, comments=tuple(comments))


def _answers_one_of(status_id: str, parents: dict[str, Any], root: str, posts: set[str]) -> bool:
    """Whether the status is in the branch under one of `posts` (the school's own replies in the thread), found by
    following `in_reply_to_id` up towards the thread's root. Bounded, so a server's reply loop cannot hang us."""
    current = parents.get(status_id)
    for _ in range(len(parents) + 1):
        if not isinstance(current, str) or current == root:
            return False
        if current in posts:
            return True
        current = parents.get(current)
    return False


def _profile(account: dict[str, Any]) -> Profile:
    note = parse_html(_str(account.get("note")))
    lines = [note.text] if note.text else []
    links = list(note.links)
    fields = account.get("fields")
    for entry in fields if isinstance(fields, list) else []:
        if not isinstance(entry, dict):
            continue
        value = parse_html(_str(entry.get("value")))
        name = _str(entry.get("name")).strip()
        lines.append(f"{name}: {value.text}" if name else value.text)
        links.extend(href for href in value.links if href not in links)
    return Profile(
        username=_str(account.get("username")) or None,
        display_name=_str(account.get("display_name")) or None,
        bio="\n".join(lines),
        links=tuple(Link(href) for href in links),
        url=_str(account.get("url")) or None,
    )


def _post(status: dict[str, Any]) -> Post:
    reblog = status.get("reblog")
    shown = reblog if isinstance(reblog, dict) else status
    content = parse_html(_str(shown.get("content")))
    media = []
    attachments = shown.get("media_attachments")
    for item in attachments if isinstance(attachments, list) else []:
        if isinstance(item, dict) and item.get("id") is not None:
            media.append(
                Media(
                    id=str(item["id"]),
                    type=_MEDIA_TYPES.get(_str(item.get("type")), _str(item.get("type")) or "unknown"),
                    url=_str(item.get("url")) or _str(item.get("preview_url")) or None,
                    alt_text=_str(item.get("description")) or None,
                )
            )
    reply_to = status.get("in_reply_to_id")
    return Post(
        id=status["id"],
        text=_status_text(shown),
        created_at=parse_time(status.get("created_at")),
        url=_str(shown.get("url")) or _str(shown.get("uri")) or None,
        links=tuple(Link(href) for href in content.links),
        media=tuple(media),
        is_repost=isinstance(reblog, dict),
        in_reply_to=reply_to if isinstance(reply_to, str) else None,
    )


def _status_text(status: dict[str, Any]) -> str:
    text = parse_html(_str(status.get("content"))).text
    warning = _str(status.get("spoiler_text")).strip()
    # A content warning is shown to readers before the post: it is part of what the account published.
    return f"{warning}\n\n{text}" if warning else text


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
