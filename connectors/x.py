"""Live X accounts through the X API v2 (`tweepy.Client` with an app's bearer token from X_BEARER_TOKEN).

Reads the profile (bio, website and bio links expanded), the account's posts with their links and media, and the replies
by other people to posts inside the comment window (SMP-2.6). tweepy builds the requests and pages through the answers;
the requests go through a session that retries them under the product's one retry policy (auditor.net.retry), so rate
limits are obeyed up to a bound and then the account is given up for this run, in the same words as every other
connector. tweepy's own `wait_on_rate_limit` is not used: it waits without limit, and forever retries when X sends no
reset header.

Replies come from recent search, which on X's Basic and Pro plans covers the last seven days: older replies are not
visible to this connector.

Cost (pay-per-use): X bills each resource a read returns. Every fetch counts its requests and the posts, users and media
it read (`AccountData.usage`), so a run says what it cost. Where an account's `user_token_env` names a variable holding
that account's own OAuth 2.0 user token, the account is read through "owned reads" (its own timeline and mentions, with
`{id}` the authenticated user), which X prices far lower than reading someone else's posts: `/2/users/me` instead of
the username look-up, and the mentions timeline instead of recent search for replies.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import requests
import tweepy  # type: ignore[import-untyped]

from auditor import platforms
from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.incremental import (
    FIRST_RUN_POSTS,
    credential,
    credential_name,
    credential_named,
    next_state,
    once,
    parse_time,
    require_network,
    window_start,
)
from auditor.model import Account, AccountData, Comment, Link, Media, Post, Profile
from auditor.net.http import AuthFailed, gave_up, log_retry, redact, retry_again, spend, transport_again
from auditor.net.retry import GaveUp, RetryPolicy

log = logging.getLogger(__name__)

SPEC = platforms.require("x")
TOKEN_ENV = credential_name(SPEC)  # the variable its spec declares (auditor/platforms.py), for messages
SETUP_HINT = (
    "the bearer token of an X developer app (developer.x.com, Projects & Apps, Keys and tokens) whose plan "
    "includes reading posts and recent search"
)
OWNED_HINT = "from an X app whose owner is the account, with the tweet.read and users.read scopes"
USER_FIELDS = ["description", "entities", "url", "name", "username"]
TWEET_FIELDS = [
    "created_at",
    "entities",
    "attachments",
    "conversation_id",
    "note_tweet",
    "referenced_tweets",
    "author_id",
]
MEDIA_FIELDS = ["type", "url", "preview_image_url", "alt_text"]
# X's pay-per-use prices, US dollars per resource read (docs.x.com, "X API pay-per-usage pricing and credits",
# read November 2026): an estimate to show beside the counts, never a bill. Owned reads: $0.001 per resource.
PRICES = {"posts": 0.005, "users": 0.010, "media": 0.005}
OWNED_PRICE = 0.001
REPLY_FIELDS = ["created_at", "conversation_id", "author_id", "referenced_tweets", "entities"]
MAX_QUERY = 512  # recent search's query length on the Basic plan
MAX_PAGES = 5  # of 100 posts or replies: a bound on one account's requests whatever happens


class _DebugHeadersFilter(logging.Filter):
    """tweepy logs every request's headers at DEBUG, the bearer token included: those records are dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno <= logging.DEBUG and "Authorization" in str(record.msg))


logging.getLogger("tweepy.client").addFilter(_DebugHeadersFilter())


class _Session(requests.Session):
    """The session tweepy sends through: each request gets a timeout, is counted for the benchmarks, and is retried
    under the product's retry policy, the same as every other connector's (auditor.net.retry): a 429 waits what
    x-rate-limit-reset asks within the bound, a 5xx, a timeout or a refused connection backs off. tweepy sees only the
    final answer, so its own rate-limit handling (which waits without limit, and crashes on a reset header that is
    not a number) is never reached; when the policy gives up, the plain ConnectorError goes through tweepy as it is."""

    def __init__(self, timeout: tuple[float, float], policy: RetryPolicy) -> None:
        super().__init__()
        self.timeout = timeout
        self.policy = policy
        self.requests_made = 0

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)

        def attempt() -> requests.Response:
            spend("X", "x", 1.0, max_wait=self.policy.max_wait, sleep=self.policy.sleep)
            self.requests_made += 1
            try:
                response = requests.Session.request(self, method, url, *args, **kwargs)
            except (requests.Timeout, requests.ConnectionError) as exc:
                raise transport_again(exc) from None
            again = retry_again(response)
            if again is not None:
                response.close()
                raise again
            return response

        try:
            return self.policy.call(attempt, on_retry=log_retry("X"))
        except GaveUp as stop:
            # Not chained to anything tweepy made: its requests hold the bearer token in their headers.
            raise gave_up("X", stop, self.policy.max_wait) from None


class XConnector:
    def __init__(
        self,
        *,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        max_wait: float = 60.0,
        retries: int = 3,
        backoff: float = 1.0,
        timeout: tuple[float, float] = (5.0, 20.0),
        first_run_posts: int = FIRST_RUN_POSTS,
    ) -> None:
        self.sleep = sleep
        self.now = now
        self.max_wait = max_wait
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.first_run_posts = first_run_posts
        self.requests_made = 0

    def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
        require_network(ctx, "X", account.handle)
        owned_env = account.options.get("user_token_env")
        if owned_env:
            # The account's own user token, in the variable the config names for it (`user_token_env`).
            token = credential_named(owned_env, f"{account.handle}'s own OAuth 2.0 user access token ({OWNED_HINT})")
        else:
            token = credential(SPEC, SETUP_HINT)
        policy = RetryPolicy(retries=self.retries, backoff=self.backoff, max_wait=self.max_wait, sleep=self.sleep)
        api = _Api(token, _Session(self.timeout, policy))
        try:
            data = _Fetch(api, account, ctx, self.now(), self.first_run_posts, owned_env).run()
        finally:
            self.requests_made += api.session.requests_made
        data.usage = api.usage(owned=bool(owned_env))
        return data


class _Api:
    """tweepy's client on our session: its answers and errors become plain ConnectorErrors."""

    def __init__(self, token: str, session: _Session) -> None:
        self.token = token
        self.session = session
        self.client = tweepy.Client(bearer_token=token, return_type=dict, wait_on_rate_limit=False)
        self.client.session = session
        self.read_counts = {"posts": 0, "users": 0, "media": 0}

    def count(self, answer: dict[str, Any], kind: str) -> dict[str, Any]:
        """Count the resources one answer returned, as X bills them: its `data` (posts or users, `kind`) and what
        `includes` expands (posts, users, media)."""
        data = answer.get("data")
        self.read_counts[kind] += len(data) if isinstance(data, list) else 1 if isinstance(data, dict) else 0
        includes = _dict(answer.get("includes"))
        for key, counted in (("tweets", "posts"), ("users", "users"), ("media", "media")):
            items = includes.get(key)
            self.read_counts[counted] += len(items) if isinstance(items, list) else 0
        return answer

    def usage(self, *, owned: bool) -> dict[str, int]:
        """Requests made and resources read, and the estimated cost in hundredths of a US cent at pay-per-use prices."""
        if owned:
            cost = sum(self.read_counts.values()) * OWNED_PRICE
        else:
            cost = sum(n * PRICES[kind] for kind, n in self.read_counts.items())
        return {
            "requests": self.session.requests_made,
            "posts_read": self.read_counts["posts"],
            "users_read": self.read_counts["users"],
            "media_read": self.read_counts["media"],
            "owned_reads": int(owned),
            "estimated_cost_microdollars": round(cost * 1_000_000),
        }

    def call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        with self._plain_errors():
            result = method(*args, **kwargs)
        if not isinstance(result, dict):
            raise ConnectorError("X answered with something other than a JSON object")
        return result

    def pages(self, method: Callable[..., Any], *args: Any, limit: int, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Up to `limit` pages of a listing: tweepy.Paginator follows the tokens (telling search from timelines by the
        method's name, so it is given tweepy's own method)."""
        with self._plain_errors():
            for page in tweepy.Paginator(method, *args, limit=limit, **kwargs):
                if not isinstance(page, dict):
                    raise ConnectorError("X answered with something other than a JSON object")
                yield self.count(page, "posts")

    @contextlib.contextmanager
    def _plain_errors(self) -> Iterator[None]:
        """tweepy's errors as ConnectorErrors, never chained to them (their requests hold the bearer token)."""
        try:
            yield
        except tweepy.Unauthorized:
            raise AuthFailed(
                f"X refused the credentials (HTTP 401): the token is wrong, expired or revoked. Set {TOKEN_ENV} "
                f"to {SETUP_HINT}"
            ) from None
        except tweepy.Forbidden as exc:
            raise AuthFailed(
                f"X refused access (HTTP 403{self._detail(exc)}): the app's plan or project may not include this "
                f"endpoint. Set {TOKEN_ENV} to {SETUP_HINT}"
            ) from None
        except tweepy.NotFound:
            raise ConnectorError("X says this account or post does not exist (HTTP 404)") from None
        except tweepy.HTTPException as exc:
            raise ConnectorError(
                f"X rejected the request (HTTP {exc.response.status_code}{self._detail(exc)})"
            ) from None
        except ValueError:  # requests' JSONDecodeError: an HTML error page or a cut-off answer
            raise ConnectorError(
                "X answered with something that is not JSON; the service may be down or have changed"
            ) from None
        except RecursionError:  # JSON nested deeper than the parser goes: hostile or broken, never data
            raise ConnectorError(
                "X answered with JSON nested too deeply to read; the service may have changed"
            ) from None
        except requests.RequestException as exc:
            raise ConnectorError(f"X request failed: {type(exc).__name__}") from None
        except (RuntimeError, AttributeError):
            # tweepy.Paginator on an answer that is not an object, or whose "meta" is not one.
            raise ConnectorError("X answered with something other than a JSON object") from None

    def _detail(self, exc: tweepy.HTTPException) -> str:
        messages = [str(m) for m in getattr(exc, "api_messages", [])][:1]
        return redact(f": {messages[0][:200]}", [self.token]) if messages else ""


class _Fetch:
    def __init__(
        self,
        api: _Api,
        account: Account,
        ctx: FetchContext,
        now: dt.datetime,
        first_run_posts: int,
        owned_env: str | None = None,
    ):
        self.owned_env = owned_env
        self.api = api
        self.client = api.client
        self.account = account
        self.ctx = ctx
        self.now = now
        self.first_run_posts = first_run_posts
        self.window = window_start(ctx, now)

    def run(self) -> AccountData:
        handle = self.account.handle.removeprefix("@")
        if self.owned_env:
            # The token's own account; tweepy would sign /2/users/me with OAuth 1.0a unless told it is a bearer token.
            answer = self.api.call(self.client.get_me, user_fields=USER_FIELDS, user_auth=False)
        else:
            answer = self.api.call(self.client.get_user, username=handle, user_fields=USER_FIELDS)
        self.api.count(answer, "users")
        user = answer.get("data")
        if not isinstance(user, dict) or not isinstance(user.get("id"), str):
            raise ConnectorError(f"X has no account @{handle}{_errors(answer)}")
        username = str(user.get("username") or handle)
        if self.owned_env and username.casefold() != handle.casefold():
            raise ConnectorError(
                f"{self.owned_env} holds the token of the X account @{username}, not the registered @{handle}; set it "
                f"to {handle}'s own token"
            )
        profile = _profile(user, username)

        tweets, media = self._timeline(user["id"])
        in_window = [
            str(t["id"])
            for t in tweets
            if isinstance(t.get("id"), str) and (when := parse_time(t.get("created_at"))) and when >= self.window
        ]
        replies = self._replies(in_window, user["id"])
        posts = [_post(t, username, media, replies.get(str(t["id"]), ())) for t in tweets if _has_id(t)]
        posts.sort(key=lambda p: (p.created_at or dt.datetime.min.replace(tzinfo=dt.UTC), int(p.id)), reverse=True)
        posts = once(posts)
        state = next_state(self.ctx.state, posts) if self.ctx.since is None else {}
        return AccountData(profile=profile, posts=posts, complete=False, state=state)

    def _timeline(self, user_id: str) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
        kwargs: dict[str, Any] = {
            "tweet_fields": TWEET_FIELDS,
            "expansions": ["attachments.media_keys"],
            "media_fields": MEDIA_FIELDS,
            "max_results": 100,
        }
        newest = self.ctx.state.get("newest_id")
        newest_time = parse_time(self.ctx.state.get("newest_time"))
        if self.ctx.since is not None:
            kwargs["start_time"] = dt.datetime.combine(self.ctx.since, dt.time(), dt.UTC)
            limit = MAX_PAGES
        elif isinstance(newest, str) and newest.isdigit():
            # One listing gives the new posts and re-reads those inside the comment window (edited or deleted ones
            # show as such); when the newest known post is older than the window, only newer posts are asked for.
            if newest_time is not None and newest_time >= self.window:
                kwargs["start_time"] = self.window
            else:
                kwargs["since_id"] = newest
            limit = MAX_PAGES
        else:
            kwargs["max_results"] = max(5, min(100, self.first_run_posts))
            limit = max(1, -(-self.first_run_posts // 100))
        tweets: dict[str, dict[str, Any]] = {}  # by id: a post a later page repeats is read once
        media: dict[str, dict[str, Any]] = {}
        for page in self.api.pages(self.client.get_users_tweets, user_id, limit=limit, **kwargs):
            for t in page.get("data") or []:
                if isinstance(t, dict) and _has_id(t):
                    tweets.setdefault(t["id"], t)
            media.update(_media_index(page))
        return list(tweets.values()), media

    def _replies(self, post_ids: list[str], user_id: str) -> dict[str, list[Comment]]:
        """Replies by other people: from the account's own mentions timeline (an owned read) with the account's token,
        else from recent search on `conversation_id:`, several conversations per query."""
        found: dict[str, list[Comment]] = {}
        wanted = set(post_ids)
        seen: set[str] = set()  # a reply a later page repeats is judged once
        if not post_ids:
            return found
        listings: list[Iterator[dict[str, Any]]]
        if self.owned_env:
            # A reply on X names the account it answers, so replies to the account's posts are in its mentions.
            listings = [
                self.api.pages(
                    self.client.get_users_mentions,
                    user_id,
                    limit=MAX_PAGES,
                    max_results=100,
                    start_time=self.window,
                    tweet_fields=REPLY_FIELDS,
                    expansions=["author_id"],
                    user_fields=["username"],
                )
            ]
        else:
            listings = [
                self.api.pages(
                    self.client.search_recent_tweets,
                    query,
                    limit=MAX_PAGES,
                    max_results=100,
                    tweet_fields=REPLY_FIELDS,
                    expansions=["author_id"],
                    user_fields=["username"],
                )
                for query in _queries(post_ids)
            ]
        for listing in listings:
            for page in listing:
                users = {
                    str(u.get("id")): str(u.get("username"))
                    for u in (page.get("includes") or {}).get("users") or []
                    if isinstance(u, dict) and u.get("username")
                }
                for reply in page.get("data") or []:
                    if not isinstance(reply, dict) or not _has_id(reply) or reply["id"] in seen:
                        continue
                    seen.add(reply["id"])
                    conversation = str(reply.get("conversation_id") or "")
                    author_id = str(reply.get("author_id") or "")
                    if conversation not in wanted or author_id == user_id or reply["id"] == conversation:
                        continue
                    author = users.get(author_id)
                    found.setdefault(conversation, []).append(
                        Comment(
                            id=reply["id"],
                            text=html.unescape(str(reply.get("text") or "")),
                            author=author,
                            created_at=parse_time(reply.get("created_at")),
                            url=f"https://x.com/{author or 'i/web'}/status/{reply['id']}",
                            parent_id=_referenced(reply, "replied_to") or conversation,
                        )
                    )
        return found


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _has_id(item: dict[str, Any]) -> bool:
    return isinstance(item.get("id"), str) and item["id"].isdigit()


def _errors(answer: dict[str, Any]) -> str:
    errors = answer.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        detail = errors[0].get("detail") or errors[0].get("title")
        if isinstance(detail, str):
            return f" ({detail[:200]})"
    return ""


def _queries(post_ids: list[str]) -> list[str]:
    queries: list[str] = []
    current = ""
    for post_id in post_ids:
        term = f"conversation_id:{post_id}"
        candidate = f"{current} OR {term}" if current else term
        if len(candidate) > MAX_QUERY:
            queries.append(current)
            candidate = term
        current = candidate
    if current:
        queries.append(current)
    return queries


def _url_links(entities: object) -> tuple[Link, ...]:
    """Links from an `entities` object; a photo's own t.co link (it has a media_key) is the photo, not a link."""
    urls = entities.get("urls") if isinstance(entities, dict) else None
    links = []
    for item in urls if isinstance(urls, list) else []:
        if isinstance(item, dict) and isinstance(item.get("url"), str) and "media_key" not in item:
            target = item.get("unwound_url") or item.get("expanded_url")
            links.append(Link(item["url"], target if isinstance(target, str) else None))
    return tuple(links)


def _profile(user: dict[str, Any], username: str) -> Profile:
    entities = _dict(user.get("entities"))
    website_links = _url_links(entities.get("url"))
    url = user.get("url")
    website = None
    if isinstance(url, str) and url:
        website = next((link for link in website_links if link.url == url), Link(url))
    description = user.get("description")
    return Profile(
        username=username,
        display_name=user.get("name") if isinstance(user.get("name"), str) else None,
        bio=html.unescape(description) if isinstance(description, str) else "",
        website=website,
        links=_url_links(entities.get("description")),
        url=f"https://x.com/{username}",
    )


def _media_index(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    media = _dict(answer.get("includes")).get("media")
    items = media if isinstance(media, list) else []
    return {str(m["media_key"]): m for m in items if isinstance(m, dict) and isinstance(m.get("media_key"), str)}


def _referenced(tweet: dict[str, Any], kind: str) -> str | None:
    for ref in tweet.get("referenced_tweets") or []:
        if isinstance(ref, dict) and ref.get("type") == kind and isinstance(ref.get("id"), str):
            return str(ref["id"])
    return None


def _post(tweet: dict[str, Any], username: str, media: dict[str, dict[str, Any]], comments: Any) -> Post:
    # A long post's full text and links are in note_tweet; `text` holds only its first 280 characters.
    note = tweet.get("note_tweet") if isinstance(tweet.get("note_tweet"), dict) else None
    text = note.get("text") if note and isinstance(note.get("text"), str) else tweet.get("text")
    links = _url_links(note.get("entities")) if note and note.get("entities") else _url_links(tweet.get("entities"))
    keys = _dict(tweet.get("attachments")).get("media_keys")
    items = []
    for key in keys if isinstance(keys, list) else []:
        m = media.get(str(key))
        if m is None:
            continue
        url = m.get("url") or m.get("preview_image_url")
        alt = m.get("alt_text")
        items.append(
            Media(
                id=str(key),
                type=str(m.get("type") or "unknown"),
                url=url if isinstance(url, str) else None,
                alt_text=alt if isinstance(alt, str) and alt else None,
            )
        )
    return Post(
        id=tweet["id"],
        text=html.unescape(text if isinstance(text, str) else ""),
        created_at=parse_time(tweet.get("created_at")),
        url=f"https://x.com/{username}/status/{tweet['id']}",
        links=links,
        media=tuple(items),
        comments=tuple(comments),
        is_repost=_referenced(tweet, "retweeted") is not None,
        in_reply_to=_referenced(tweet, "replied_to"),
    )
