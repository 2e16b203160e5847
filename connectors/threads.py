"""Live Threads accounts through Meta's Threads API (graph.threads.net), with a user token from THREADS_ACCESS_TOKEN.

The token belongs to the school's Threads account, given through a Meta app with the `threads_basic` and
`threads_read_replies` permissions (a Meta app whose testers hold roles on it needs no App Review). The API reads only
the token's own account: its profile (`/me`), its threads (`/{user-id}/threads`) and the replies under each thread
inside the comment window (`/{media-id}/conversation`, every depth of reply). The account must be the registered handle;
a token of another account is refused by name, never audited as if it were the school's.

Graph's conventions hold here (errors, throttling codes, cursor paging), so the client is `connectors/graph.py`'s,
pointed at the Threads host. Threads' lists page with `paging.cursors.after`; `Graph.follow` follows them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.graph import Graph, GraphConnector, text_fields
from auditor.connectors.incremental import listing_done, next_state, once, parse_time, window_start
from auditor.model import Account, AccountData, Comment, Link, Media, Post, Profile
from auditor.urls import find_urls

THREADS_HOST = "graph.threads.net"
API_VERSION = "v1.0"  # the Threads API's only version (2026)
HINT = (
    "a Threads user access token for the school's Threads account, from a Meta app with the threads_basic and "
    "threads_read_replies permissions"
)
PROFILE_FIELDS = "id,username,name,threads_biography"
THREAD_FIELDS = (
    "id,text,permalink,timestamp,media_type,media_url,thumbnail_url,alt_text,link_attachment_url,has_replies,"
    "is_quote_post,children{id,media_type,media_url,thumbnail_url,alt_text}"
)
REPLY_FIELDS = "id,text,username,permalink,timestamp,media_type,replied_to,root_post,is_reply_owned_by_me,hide_status"
PAGE_SIZE = 25
MAX_PAGES = 8


class ThreadsConnector(GraphConnector):
    platform = "Threads"
    spec = "threads"
    hint = HINT

    def _client(self, account: Account) -> Graph:
        return self._graph(HINT, host=THREADS_HOST, api_version=API_VERSION)

    def _fetch(self, graph: Graph, account: Account, ctx: FetchContext) -> AccountData:
        handle = account.handle.removeprefix("@")
        window = window_start(ctx, self.now())
        user = graph.get("me", {"fields": PROFILE_FIELDS})
        text_fields(user, ("username", "name", "threads_biography"), "Threads")
        username = _text(user.get("username")) or handle
        if username.casefold() != handle.casefold():
            raise ConnectorError(
                f"{graph.variable} belongs to the Threads account @{username}, not the registered @{handle}; set it to "
                "the token of the registered account"
            )
        bio = _text(user.get("threads_biography"))
        profile = Profile(
            username=username,
            display_name=_text(user.get("name")) or None,
            bio=bio,
            website=None,  # the Threads API gives no website field; bio links are read from the text
            links=tuple(Link(u) for u in dict.fromkeys(find_urls(bio))),
            url=f"https://www.threads.net/@{username}",
        )

        first_run = ctx.since is None and not isinstance(ctx.state.get("newest_id"), str)
        limit = min(100, self.first_run_posts) if first_run else PAGE_SIZE
        path, params = f"{user['id']}/threads", {"fields": THREAD_FIELDS, "limit": limit}
        if ctx.since is not None:
            params["since"] = ctx.since.isoformat()
        raw: list[dict[str, Any]] = []
        for item in graph.follow(graph.get(path, params), MAX_PAGES, again=(path, params)):
            text_fields(item, ("text", "permalink", "timestamp", "media_type", "media_url"), "Threads")
            if listing_done(item["id"], parse_time(item.get("timestamp")), ctx, window):
                break
            raw.append(item)
            if first_run and len(raw) >= self.first_run_posts:
                break

        posts = []
        for item in raw:
            when = parse_time(item.get("timestamp"))
            # Replies are read where they can still be acted on (SMP-2.6) and where Threads says there are some.
            wanted = when is not None and when >= window and item.get("has_replies") is not False
            replies = _replies(graph, item["id"], username) if wanted and not _is_repost(item) else []
            posts.append(_post(item, replies))
        posts.sort(key=lambda p: p.created_at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
        posts = once(posts)
        state = next_state(ctx.state, posts) if ctx.since is None else {}
        return AccountData(profile=profile, posts=posts, complete=False, state=state)


def _replies(graph: Graph, media_id: str, username: str) -> list[Comment]:
    """Every reply under one thread, at any depth, oldest first; the account's own replies are not comments."""
    path, params = f"{media_id}/conversation", {"fields": REPLY_FIELDS, "reverse": "false", "limit": 100}
    out: list[Comment] = []
    for r in graph.follow(graph.get(path, params), MAX_PAGES, again=(path, params)):
        text_fields(r, ("text", "username", "permalink", "timestamp"), "Threads")
        if r.get("is_reply_owned_by_me") is True or _text(r.get("username")).casefold() == username.casefold():
            continue
        parent = _dict(r.get("replied_to")).get("id")
        text = _text(r.get("text"))
        out.append(
            Comment(
                id=r["id"],
                text=text,
                author=_text(r.get("username")) or None,
                created_at=parse_time(r.get("timestamp")),
                url=_text(r.get("permalink")) or None,
                parent_id=parent if isinstance(parent, str) else media_id,
            )
        )
    return out


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _is_repost(item: dict[str, Any]) -> bool:
    return item.get("media_type") == "REPOST_FACADE"


def _media(item: dict[str, Any]) -> Media | None:
    kind = _text(item.get("media_type")).upper()
    if kind not in {"IMAGE", "VIDEO"}:
        return None  # a text post, a repost or audio has no picture to look at
    # A video's media_url is the video file; its thumbnail is the picture to look at.
    url = (_text(item.get("thumbnail_url")) or _text(item.get("media_url"))) if kind == "VIDEO" else ""
    return Media(
        id=str(item.get("id")),
        type="photo" if kind == "IMAGE" else "video",
        url=url or _text(item.get("media_url")) or None,
        alt_text=_text(item.get("alt_text")) or None,
    )


def _post(item: dict[str, Any], replies: list[Comment]) -> Post:
    text = _text(item.get("text"))
    if item.get("media_type") == "CAROUSEL_ALBUM":
        children = [c for c in _dict(item.get("children")).get("data") or [] if isinstance(c, dict)]
        media = [m for m in (_media(c) for c in children) if m is not None]
    else:
        media = [m] if (m := _media(item)) is not None else []
    urls = list(find_urls(text))
    attached = _text(item.get("link_attachment_url"))
    if attached:
        urls.append(attached)
    return Post(
        id=item["id"],
        text=text,
        created_at=parse_time(item.get("timestamp")),
        url=_text(item.get("permalink")) or None,
        links=tuple(Link(u) for u in dict.fromkeys(urls)),
        media=tuple(media),
        comments=tuple(replies),
        is_repost=_is_repost(item),
    )
