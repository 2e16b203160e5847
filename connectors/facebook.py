"""Live Facebook Pages through the Graph API, with a Page access token from META_ACCESS_TOKEN.

The Page is the account's `page_id` when the config gives one, else its handle as the Page's username. Posts come with
their attachments and their comments (`filter(stream)`, so replies to comments are included) in the same request;
a later run lists posts until it passes both the newest known post and the comment window
(`auditor.connectors.incremental`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit

from auditor.connectors import FetchContext
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

HINT = "a Page access token of a Meta app with pages_read_engagement and pages_read_user_content for the school's Page"
COMMENT_FIELDS = "id,message,from{id,name},created_time,permalink_url,parent{id}"
PAGE_FIELDS = "id,username,name,about,description,website,link"
POST_FIELDS = (
    "id,message,permalink_url,created_time,"
    "attachments{type,url,media,target,description,subattachments},"
    f"comments.filter(stream).limit(100){{{COMMENT_FIELDS}}}"
)
PAGE_SIZE = 25  # a later run's one page of new posts
MAX_PAGES = 8


class FacebookConnector(GraphConnector):
    platform = "Facebook"
    spec = "facebook"
    hint = HINT

    def _fetch(self, graph: Graph, account: Account, ctx: FetchContext) -> AccountData:
        window = window_start(ctx, self.now())
        page_ref = account.page_id or account.handle.removeprefix("@")
        page = graph.get(page_ref, {"fields": PAGE_FIELDS})
        text_fields(page, tuple(PAGE_FIELDS.split(",")[1:]), "Facebook")
        page_id = page["id"]
        profile = _profile(page, account)

        first_run = ctx.since is None and not isinstance(ctx.state.get("newest_id"), str)
        limit = min(100, self.first_run_posts) if first_run else PAGE_SIZE
        raw: list[dict[str, Any]] = []
        for item in graph.follow(graph.get(f"{page_id}/posts", {"fields": POST_FIELDS, "limit": limit}), MAX_PAGES):
            if listing_done(str(item.get("id")), parse_time(item.get("created_time")), ctx, window):
                break
            raw.append(item)
            if first_run and len(raw) >= self.first_run_posts:
                break  # checked after the append, so no page beyond the cap is asked for

        posts = []
        for item in raw:
            if not isinstance(item.get("id"), str):
                continue
            posts.append(_post(item, list(graph.follow(_dict(item.get("comments")), MAX_PAGES)), page_id))
        posts.sort(key=lambda p: p.created_at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
        posts = once(posts)
        state = next_state(ctx.state, posts) if ctx.since is None else {}
        return AccountData(profile=profile, posts=posts, complete=False, state=state)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _profile(page: dict[str, Any], account: Account) -> Profile:
    about, description = _text(page.get("about")), _text(page.get("description"))
    # Facebook's website field may hold several addresses separated by spaces or new lines.
    sites = find_urls(_text(page.get("website"))) or _text(page.get("website")).split()
    bio = "\n\n".join(part for part in (about, description) if part)
    links = [Link(u) for u in dict.fromkeys([*find_urls(bio), *sites[1:]])]
    return Profile(
        username=_text(page.get("username")) or account.handle.removeprefix("@"),
        display_name=_text(page.get("name")) or None,
        bio=bio,
        website=Link(sites[0]) if sites else None,
        links=tuple(links),
        url=_text(page.get("link")) or None,
    )


def _unwrap(url: str) -> Link:
    """Facebook sends outbound links through l.facebook.com/l.php?u=<target>: the target is what matters."""
    parts = urlsplit(url)
    if parts.hostname in ("l.facebook.com", "lm.facebook.com") and parts.path == "/l.php":
        target = parse_qs(parts.query).get("u")
        if target:
            return Link(url, target[0])
    return Link(url)


def _attachments(item: dict[str, Any]) -> tuple[list[Link], list[Media]]:
    links: list[Link] = []
    media: list[Media] = []
    queue = [a for a in _dict(item.get("attachments")).get("data") or [] if isinstance(a, dict)]
    while queue:
        att = queue.pop(0)
        queue += [a for a in _dict(att.get("subattachments")).get("data") or [] if isinstance(a, dict)]
        kind = _text(att.get("type"))
        src = _dict(_dict(att.get("media")).get("image")).get("src")
        target = _dict(att.get("target"))
        if kind in ("photo", "cover_photo", "profile_media") or kind.startswith("video") or kind == "animated_image":
            media.append(
                Media(
                    id=str(target.get("id") or src or len(media)),
                    type="video" if kind.startswith("video") else "photo",
                    url=src if isinstance(src, str) else None,
                )
            )
        elif kind in ("share", "link") and isinstance(att.get("url"), str):
            links.append(_unwrap(att["url"]))
    return links, media


def _post(item: dict[str, Any], comments: list[dict[str, Any]], page_id: str) -> Post:
    text = _text(item.get("message"))
    links, media = _attachments(item)
    written = [Link(u) for u in find_urls(text) if all(u != link.url for link in links)]
    return Post(
        id=item["id"],
        text=text,
        created_at=parse_time(item.get("created_time")),
        url=_text(item.get("permalink_url")) or None,
        links=tuple(dict.fromkeys([*written, *links])),
        media=tuple(media),
        comments=tuple(_comment(c, item["id"]) for c in comments if _by_someone_else(c, page_id)),
    )


def _by_someone_else(comment: dict[str, Any], page_id: str) -> bool:
    author = _dict(comment.get("from"))
    return isinstance(comment.get("id"), str) and str(author.get("id") or "") != page_id


def _comment(c: dict[str, Any], post_id: str) -> Comment:
    author = _dict(c.get("from"))
    parent = _dict(c.get("parent"))
    return Comment(
        id=c["id"],
        text=_text(c.get("message")),
        # Without the Page's own token Graph leaves `from` out; the comment still counts.
        author=_text(author.get("name")) or None,
        created_at=parse_time(c.get("created_time")),
        url=_text(c.get("permalink_url")) or None,
        parent_id=_text(parent.get("id")) or post_id,
    )
