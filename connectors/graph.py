"""Meta's Graph API, shared by the Facebook, Instagram and Threads connectors.

Instagram Login (graph.instagram.com) and Threads (graph.threads.net) follow the same conventions on their own hosts,
each with its own token: a `Graph` client is given its host, version and the variable its spec declares. The token
(in the variable the platform's spec declares: META_ACCESS_TOKEN for graph.facebook.com) travels only in the
Authorization header. Graph's `paging.next` addresses carry the token in their query string, so it is removed before
they are followed: it never lands in a URL we send or log. Graph says "slow down" with error codes 4, 17, 32, 613 and
80001-80014 (often inside HTTP 400/403; read, with the usage headers, by auditor.net.ratelimit), and "token expired or
revoked" with 190.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from auditor import platforms
from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.incremental import FIRST_RUN_POSTS, credential, credential_name, require_network
from auditor.model import Account, AccountData
from auditor.net.http import AuthFailed, HttpClient
from auditor.net.ratelimit import meta_throttled

GRAPH_HOST = "graph.facebook.com"
# The newest Graph version when this was written (v26.0, July 2026); META_GRAPH_VERSION overrides it.
DEFAULT_VERSION = "v26.0"
# The variable holding the token, as the Facebook and Instagram specs declare it (auditor/platforms.py).
TOKEN_ENV = credential_name(platforms.require("facebook"))
AUTH_CODES = frozenset({102, 190})  # session invalid, token expired or revoked
# "(#10) Application does not have permission", "(#200) ... permission(s) must be granted": a permission not granted.
PERMISSION_CODES = frozenset({10, *range(200, 300)})


def version() -> str:
    value = os.environ.get("META_GRAPH_VERSION", "").strip() or DEFAULT_VERSION
    value = value if value.startswith("v") else f"v{value}"
    if not value[1:].replace(".", "").isdigit():
        raise ConnectorError(f"META_GRAPH_VERSION should look like {DEFAULT_VERSION}, found {value[:20]!r}")
    return value


def _error(body: Any) -> dict[str, Any]:
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def throttled(response: requests.Response, body: Any) -> bool:
    """Graph's "slow down" codes, often inside an HTTP 400 or 403 (read by auditor.net.ratelimit)."""
    return meta_throttled(body)


def _auth_error(response: requests.Response, body: Any) -> bool:
    return response.status_code >= 400 and _error(body).get("code") in AUTH_CODES | PERMISSION_CODES


def unexpected(platform: str, detail: str) -> ConnectorError:
    """Graph answered, but not in the shape it documents: auditing what we could read would pass what we could not."""
    return ConnectorError(f"{platform} answered in an unexpected shape ({detail}); the API may have changed")


def text_fields(obj: dict[str, Any], keys: tuple[str, ...], platform: str) -> None:
    """Require an object's id, and that each listed field, where present, is text."""
    if not isinstance(obj.get("id"), str):
        raise unexpected(platform, f"'id' is {type(obj.get('id')).__name__}, not text")
    for key in keys:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise unexpected(platform, f"{key!r} is {type(obj[key]).__name__}, not text")


def strip_token(url: str) -> str:
    """A `paging.next` address without its access_token, so the token is sent only in the header."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "access_token"]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


class Graph:
    def __init__(
        self,
        platform: str,
        token: str,
        hint: str,
        *,
        variable: str = TOKEN_ENV,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = 60.0,
        retries: int = 3,
        backoff: float = 1.0,
        host: str = GRAPH_HOST,
        api_version: str | None = None,
    ) -> None:
        self.hint = hint
        self.host = host
        self.variable = variable
        self.base = f"https://{host}/{api_version or version()}"
        self.http = HttpClient(
            platform=platform,
            credential_hint=f"Set {variable} to {hint}",
            secrets=(token,),
            sleep=sleep,
            max_wait=max_wait,
            retries=retries,
            backoff=backoff,
            throttled=throttled,
            budget="graph",
        )
        self.headers = {"Authorization": f"Bearer {token}"}

    @property
    def requests_made(self) -> int:
        return self.http.requests_made

    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._get(f"{self.base}/{path.lstrip('/')}", params)

    def _get(self, url: str, params: dict[str, Any] | None) -> dict[str, Any]:
        body = self.http.get_json(url, params=params, headers=self.headers, accept=_auth_error)
        if _error(body):
            message = str(_error(body).get("message") or "")[:200]
            if _error(body).get("code") in PERMISSION_CODES:
                raise AuthFailed(
                    self.http._clean(
                        f"{self.http.platform} says the token lacks a permission this needs ({message or 'no detail'})"
                        f". Set {self.variable} to {self.hint}"
                    )
                )
            raise AuthFailed(
                self.http._clean(
                    f"{self.http.platform} refused the token ({message or 'expired or revoked'}). "
                    f"Set {self.variable} to {self.hint}"
                )
            )
        if not isinstance(body, dict):
            raise ConnectorError(f"{self.http.platform} answered with something other than a JSON object")
        return body

    def follow(
        self, first: dict[str, Any], limit: int, *, again: tuple[str, dict[str, Any]] | None = None
    ) -> Iterator[dict[str, Any]]:
        """The items of a Graph list and of up to `limit - 1` further pages from its `paging.next`, each id once.

        Cursor pages can overlap (an item added or removed between two requests shifts the next page), and a post or
        comment read twice would be judged twice. Threads documents its lists with `paging.cursors.after` and no
        `next` address: given `again` (the list's path and parameters), a page without `next` is followed by asking
        that path again `after` its cursor."""
        page: dict[str, Any] | None = first
        pages = 0
        seen: set[str] = set()
        cursors: set[str] = set()
        while page is not None:
            data = page.get("data", [])  # an edge with nothing on it (a post without comments) has no data at all
            if not isinstance(data, list):
                raise unexpected(self.http.platform, f"a list's 'data' is {type(data).__name__}, not a list")
            for item in data:
                if not isinstance(item, dict):
                    continue
                item_id = item.get("id")
                if isinstance(item_id, str):
                    if item_id in seen:
                        continue
                    seen.add(item_id)
                yield item
            pages += 1
            paging = _dict(page.get("paging"))
            nxt = paging.get("next")
            after = _dict(paging.get("cursors")).get("after")
            if pages >= limit:
                return
            if isinstance(nxt, str):
                try:
                    next_host = urlsplit(nxt).hostname
                except ValueError:  # "https://[::1/": not an address at all
                    raise unexpected(self.http.platform, "a list's next page is not a web address") from None
                if next_host != self.host:
                    return  # a next page on another host would be sent our token: never followed
                page = self._get(strip_token(nxt), None)
            elif again is not None and isinstance(after, str) and after and after not in cursors and data:
                cursors.add(after)  # a cursor given twice would ask for the same page for ever
                page = self.get(again[0], {**again[1], "after": after})
            else:
                return


class GraphConnector:
    """What the Facebook and Instagram connectors share: their options, the token, one Graph client per account, and
    the count of requests made (the benchmarks read it). Subclasses read the account in `_fetch`."""

    platform = "Meta"
    spec = "facebook"  # the name of its PlatformSpec, which declares the token's variable
    hint = ""

    def __init__(
        self,
        *,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        max_wait: float = 60.0,
        retries: int = 3,
        first_run_posts: int = FIRST_RUN_POSTS,
    ) -> None:
        self.sleep, self.now, self.max_wait, self.retries = sleep, now, max_wait, retries
        self.first_run_posts = first_run_posts
        self.requests_made = 0

    def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
        require_network(ctx, self.platform, account.handle)
        graph = self._client(account)
        try:
            return self._fetch(graph, account, ctx)
        finally:
            self.requests_made += graph.requests_made

    def _client(self, account: Account) -> Graph:
        """The Graph client for this account: graph.facebook.com with the token its spec declares, unless a subclass
        says otherwise."""
        return self._graph(self.hint)

    def _graph(self, hint: str, *, index: int = 0, host: str = GRAPH_HOST, api_version: str | None = None) -> Graph:
        """A client with the spec's credential number `index` (a platform may declare several, one per route)."""
        spec = platforms.require(self.spec)
        return Graph(
            self.platform,
            credential(spec, hint, index),
            hint,
            variable=credential_name(spec, index),
            sleep=self.sleep,
            max_wait=self.max_wait,
            retries=self.retries,
            host=host,
            api_version=api_version,
        )

    def _fetch(self, graph: Graph, account: Account, ctx: FetchContext) -> AccountData:
        raise NotImplementedError
