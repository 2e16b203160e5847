"""Live Instagram professional accounts through the Instagram API, by one of two routes an account's `route` picks.

- `facebook-login` (the default): graph.facebook.com with the Page token from META_ACCESS_TOKEN. The account is the
  config's `ig_user_id` when given; otherwise the Instagram account linked to the token's Page
  (`/me?fields=instagram_business_account`). The id found is kept in the crawl state, so later runs skip that look-up.
- `instagram-login`: graph.instagram.com with an Instagram user token from INSTAGRAM_ACCESS_TOKEN (Business Login for
  Instagram, permissions instagram_business_basic and instagram_business_manage_comments): no Facebook Page is needed.
  The token reads its own account only, found with `/me?fields=user_id,username,...`.

Either way the account must have the registered handle, and media come with their carousel children and their
comments with replies, in the same shapes on both hosts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.graph import Graph, GraphConnector, text_fields
from auditor.connectors.incremental import (
    listing_done,
    next_state,
    once,
    parse_time,
    window_start,
)
from auditor.model import Account, AccountData, Comment, Link, Media, Post, Profile
from auditor.urls import find_urls

HINT = (
    "a Page access token of a Meta app with instagram_basic, instagram_manage_comments and pages_read_engagement, "
    "for the Page linked to the school's Instagram professional account"
)
LOGIN_HOST = "graph.instagram.com"
# The spec's second credential (auditor/platforms.py): the Instagram user token of the Instagram Login route.
LOGIN_CREDENTIAL = 1
LOGIN_HINT = (
    "an Instagram user access token for the school's Instagram professional account, from a Meta app using Business "
    "Login for Instagram with instagram_business_basic and instagram_business_manage_comments"
)
ROUTE_LOGIN = "instagram-login"
REPLY_FIELDS = "id,text,username,timestamp"
MEDIA_FIELDS = (
    "id,caption,media_type,media_url,thumbnail_url,permalink,timestamp,"
    "children{id,media_type,media_url,thumbnail_url},"
    f"comments.limit(50){{{REPLY_FIELDS},replies{{{REPLY_FIELDS}}}}}"
)
PAGE_SIZE = 25
MAX_PAGES = 8


class InstagramConnector(GraphConnector):
    platform = "Instagram"
    spec = "instagram"
    hint = HINT

    def _client(self, account: Account) -> Graph:
        if account.options.get("route") == ROUTE_LOGIN:
            return self._graph(LOGIN_HINT, index=LOGIN_CREDENTIAL, host=LOGIN_HOST)
        return super()._client(account)

    def _fetch(self, graph: Graph, account: Account, ctx: FetchContext) -> AccountData:
        handle = account.handle.removeprefix("@")
        window = window_start(ctx, self.now())
        ig_id: str | None
        if account.options.get("route") == ROUTE_LOGIN:
            ig_id, user = _own_account(graph)
        else:
            known = ctx.state.get("ig_user_id")
            ig_id = account.ig_user_id or (known if isinstance(known, str) and known.isdigit() else None)
            if ig_id is None:
                ig_id = _linked_account(graph, handle)
            user = graph.get(ig_id, {"fields": "id,username,name,biography,website"})
        text_fields(user, ("username", "name", "biography", "website"), "Instagram")
        username = _text(user.get("username")) or handle
        if username.casefold() != handle.casefold():
            fix = (
                f"set {graph.variable} to the token of the registered account"
                if graph.host == LOGIN_HOST
                else "check its ig_user_id in the config"
            )
            raise ConnectorError(f"Instagram account {ig_id} is @{username}, not the registered @{handle}; {fix}")
        bio = _text(user.get("biography"))
        website = _text(user.get("website"))
        profile = Profile(
            username=username,
            display_name=_text(user.get("name")) or None,
            bio=bio,
            website=Link(website) if website else None,
            links=tuple(Link(u) for u in dict.fromkeys(find_urls(bio))),
            url=f"https://www.instagram.com/{username}/",
        )

        first_run = ctx.since is None and not isinstance(ctx.state.get("newest_id"), str)
        limit = min(100, self.first_run_posts) if first_run else PAGE_SIZE
        raw: list[dict[str, Any]] = []
        for item in graph.follow(graph.get(f"{ig_id}/media", {"fields": MEDIA_FIELDS, "limit": limit}), MAX_PAGES):
            if listing_done(str(item.get("id")), parse_time(item.get("timestamp")), ctx, window):
                break
            raw.append(item)
            if first_run and len(raw) >= self.first_run_posts:
                break  # checked after the append, so no page beyond the cap is asked for

        posts = [
            _post(item, list(graph.follow(_dict(item.get("comments")), MAX_PAGES)), username)
            for item in raw
            if isinstance(item.get("id"), str)
        ]
        posts.sort(key=lambda p: p.created_at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
        posts = once(posts)
        state = next_state(ctx.state, posts, ig_user_id=ig_id) if ctx.since is None else {}
        return AccountData(profile=profile, posts=posts, complete=False, state=state)


def _own_account(graph: Graph) -> tuple[str, dict[str, Any]]:
    """Instagram Login: the token's own professional account. `user_id` is its Instagram professional account id,
    which the media edge takes; the app-scoped `id` stands in only where `user_id` is missing."""
    user = graph.get("me", {"fields": "id,user_id,username,name,biography,website"})
    ig_id = user.get("user_id") if isinstance(user.get("user_id"), str) else user.get("id")
    if isinstance(ig_id, int) and not isinstance(ig_id, bool):
        ig_id = str(ig_id)
    if not isinstance(ig_id, str) or not ig_id.isdigit():
        raise ConnectorError(
            "Instagram answered in an unexpected shape (no account id for the token); the API may have changed"
        )
    return ig_id, user


def _linked_account(graph: Graph, handle: str) -> str:
    me = graph.get("me", {"fields": "instagram_business_account{id,username}"})
    linked = _dict(me.get("instagram_business_account"))
    if not isinstance(linked.get("id"), str):
        raise ConnectorError(
            f"the token's Page has no linked Instagram professional account; add ig_user_id for @{handle} to the "
            f"config or set {graph.variable} to the token of the Page linked to it"
        )
    return str(linked["id"])


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _media(item: dict[str, Any]) -> Media:
    kind = _text(item.get("media_type")).lower() or "unknown"
    # A video's media_url is the video file; its thumbnail is the picture to look at.
    url = _text(item.get("thumbnail_url")) or _text(item.get("media_url")) if kind == "video" else None
    return Media(
        id=str(item.get("id")),
        type="photo" if kind == "image" else kind,
        url=url or _text(item.get("media_url")) or None,
    )


def _post(item: dict[str, Any], comments: list[dict[str, Any]], username: str) -> Post:
    caption = _text(item.get("caption"))
    kind = _text(item.get("media_type"))
    children = [c for c in _dict(item.get("children")).get("data") or [] if isinstance(c, dict)]
    media = [_media(c) for c in children] if kind == "CAROUSEL_ALBUM" else [_media(item)]
    flat: dict[str, Comment] = {}  # by id: a reply the API repeats is read once
    for c in comments:
        if not isinstance(c.get("id"), str):
            continue
        flat.setdefault(c["id"], _comment(c, item["id"]))
        replies = [r for r in _dict(c.get("replies")).get("data") or [] if isinstance(r, dict)]
        for r in replies:
            if isinstance(r.get("id"), str):
                flat.setdefault(r["id"], _comment(r, c["id"]))
    return Post(
        id=item["id"],
        text=caption,
        created_at=parse_time(item.get("timestamp")),
        url=_text(item.get("permalink")) or None,
        links=tuple(Link(u) for u in dict.fromkeys(find_urls(caption))),
        media=tuple(media),
        comments=tuple(c for c in flat.values() if (c.author or "").casefold() != username.casefold()),
    )


def _comment(c: dict[str, Any], parent: str) -> Comment:
    return Comment(
        id=c["id"],
        text=_text(c.get("text")),
        author=_text(c.get("username")) or None,
        created_at=parse_time(c.get("timestamp")),
        parent_id=parent,
    )
