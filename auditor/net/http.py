"""HTTP for the live connectors: timeouts, bounded retries with backoff, rate limits obeyed up to a bound, and
errors in plain words that never contain a secret. The retries follow the product's one policy
(`auditor.net.retry`); what an answer says about slowing down is read by `auditor.net.ratelimit`.

Every request goes through `requests`, so tests replay it with `responses`. Credentials travel in headers, never in a
URL's query string, so they cannot leak into a log line or an error that quotes the URL.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, cast
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from requests.utils import get_environ_proxies
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError
from urllib3.response import BaseHTTPResponse

from auditor.net import budget
from auditor.net.errors import FetchError as ConnectorError
from auditor.net.ratelimit import requested_wait, retry_after, why_limited
from auditor.net.retry import TOO_LONG, Again, GaveUp, RetryPolicy

log = logging.getLogger(__name__)

USER_AGENT = "ihs-social-auditor/0.1 (school social media policy audit)"


class RateLimited(ConnectorError):
    """The platform asked us to wait longer than this run may."""


class AuthFailed(ConnectorError):
    """The platform refused the credentials (missing, expired or without the needed permission)."""


# -- bounded transfers: an overall time limit per request, a cap on what a body may inflate to ------------------------


class Deadline:
    """An overall time limit on one request: connecting, the headers and the body together.

    `requests` times each socket operation on its own, so a server that sends a byte every few seconds never times
    out. While a Deadline is active in a thread (`with Deadline(20):`), every connection that thread opens or reuses
    through a `BoundedAdapter` is watched, and when the time is up its socket is shut down, which ends a waiting read,
    TLS handshake or connect at once. Afterwards `expired` says whether the answer was cut short: a caller treats an
    expired request as too slow whatever exception (or silently short body) the cut produced."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._watched: list[tuple[HTTPConnection, socket.socket | None]] = []
        self._lock = threading.Lock()
        self._active = False
        self._ticket: int | None = None
        self._outer: Deadline | None = None

    def remaining(self) -> float:
        return max(0.0, self.ends - time.monotonic())

    def __enter__(self) -> Deadline:
        self._outer = current_deadline()
        _local.deadline = self
        self._active = True
        self._ticket = _WATCHDOG.add(self)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        with self._lock:
            self._active = False
            self._watched.clear()
        if self._ticket is not None:  # not under self._lock: the watchdog takes its own lock, then this one
            _WATCHDOG.discard(self._ticket)
            self._ticket = None
        _local.deadline = self._outer
        self._outer = None

    def watch(self, conn: HTTPConnection, sock: socket.socket | None = None) -> None:
        """Shut this connection down when the time is up (at once if it already is)."""
        with self._lock:
            if not self._active:
                return
            self._watched.append((conn, sock))
            late = self.expired
        if late:
            _shut(conn, sock)

    def _expire(self) -> None:
        with self._lock:  # held while shutting, so nothing is shut once the owner has left the `with` block
            if not self._active:
                return
            self.expired = True
            for conn, sock in self._watched:
                _shut(conn, sock)


class _Watchdog:
    """One thread for every Deadline of the process, instead of a timer thread each: it sleeps until the earliest
    deadline still active is up and expires it. Started on first use (and again in a child process after a fork)."""

    def __init__(self) -> None:
        self._wake = threading.Condition(threading.Lock())
        self._due: list[tuple[float, int]] = []  # (ends, ticket), a heap; finished deadlines are dropped when reached
        self._active: dict[int, Deadline] = {}
        self._tickets = itertools.count()
        self._thread: threading.Thread | None = None

    def add(self, deadline: Deadline) -> int:
        with self._wake:
            ticket = next(self._tickets)
            self._active[ticket] = deadline
            heapq.heappush(self._due, (deadline.ends, ticket))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="deadline watchdog", daemon=True)
                self._thread.start()
            elif self._due[0][1] == ticket:  # sooner than what the thread sleeps towards
                self._wake.notify()
            return ticket

    def discard(self, ticket: int) -> None:
        with self._wake:
            self._active.pop(ticket, None)
            while self._due and self._due[0][1] not in self._active:
                heapq.heappop(self._due)  # keeps the heap no larger than the deadlines under way, give or take

    def _run(self) -> None:
        while True:
            expired: list[Deadline] = []
            with self._wake:
                now = time.monotonic()
                while self._due and (self._due[0][0] <= now or self._due[0][1] not in self._active):
                    _, ticket = heapq.heappop(self._due)
                    deadline = self._active.pop(ticket, None)
                    if deadline is not None:
                        expired.append(deadline)
                if not expired:
                    self._wake.wait(self._due[0][0] - now if self._due else None)
            for deadline in expired:  # outside the watchdog's lock: a deadline leaving its block takes both
                deadline._expire()


_WATCHDOG = _Watchdog()


def _new_watchdog_after_fork() -> None:
    global _WATCHDOG  # a forked child has none of the parent's threads, and its lock may have been held at the fork
    _WATCHDOG = _Watchdog()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_watchdog_after_fork)


_local = threading.local()


def current_deadline() -> Deadline | None:
    deadline = getattr(_local, "deadline", None)
    return deadline if isinstance(deadline, Deadline) else None


def _shut(conn: HTTPConnection, sock: socket.socket | None) -> None:
    """End every blocking operation on the connection's socket. `socket.shutdown` is used unbound so that a TLS
    socket is shut at the system level without touching its TLS state, which the reading thread still holds."""
    for candidate in (conn.sock, sock):
        if candidate is None:
            continue
        try:
            socket.socket.shutdown(candidate, socket.SHUT_RDWR)
            return
        except OSError:
            continue  # already closed, or detached when wrapped in TLS: try the other


def _watched_conn(conn: HTTPConnection, open_socket: Callable[[], socket.socket]) -> socket.socket:
    """Open the connection's socket under the thread's Deadline. Its timeout is cut to the time left, which bounds
    the connect and the TLS handshake as a whole (Python's ssl treats the socket timeout as a deadline for the whole
    handshake, however many bytes trickle in); from then on the watchdog shuts the socket when the time is up."""
    deadline = current_deadline()
    if deadline is None:
        return open_socket()
    left = deadline.remaining()
    if left <= 0:
        raise ConnectTimeoutError(conn, f"no time left to connect to {conn.host}")
    if not isinstance(conn.timeout, (int, float)) or conn.timeout > left:
        conn.timeout = left
    deadline.watch(conn)
    sock = open_socket()
    deadline.watch(conn, sock)
    return sock


class BoundedHTTPConnection(HTTPConnection):
    """A connection a `Deadline` can end: its socket is watched from when it opens, and a kept-alive connection
    opened under an earlier deadline is watched again before each answer is read."""

    def _new_conn(self) -> socket.socket:
        return _watched_conn(self, self.open_socket)

    def open_socket(self) -> socket.socket:
        return super()._new_conn()

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        deadline = current_deadline()
        if deadline is not None:
            deadline.watch(self)
        return super().getresponse(*args, **kwargs)


class BoundedHTTPSConnection(BoundedHTTPConnection, HTTPSConnection):
    """The same for https: `BoundedHTTPConnection`'s methods come first, `HTTPSConnection` does the TLS."""


class BoundedHTTPPool(HTTPConnectionPool):
    ConnectionCls = BoundedHTTPConnection


class BoundedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = BoundedHTTPSConnection


class BoundedAdapter(HTTPAdapter):
    """An adapter whose connections a `Deadline` can end, whether they go straight to the site or to a proxy."""

    pool_classes: Mapping[str, type[HTTPConnectionPool]] = {"http": BoundedHTTPPool, "https": BoundedHTTPSPool}

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(self.pool_classes)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        # The connection goes to the proxy, which the school configured: it is not pinned, but it is bounded. (Not
        # `self.pool_classes`: a pinning subclass sets those, and the proxy is no target to pin.)
        manager.pool_classes_by_scheme = {"http": BoundedHTTPPool, "https": BoundedHTTPSPool}
        return manager


class TooLarge(Exception):
    """A body inflated beyond the cap a caller set."""


def read_capped(response: requests.Response | BaseHTTPResponse, cap: int, chunk: int = 64 * 1024) -> bytes:
    """The body, decompressed as the server's Content-Encoding says, but never more than `cap` bytes of it: a
    256 KB gzip bomb that would inflate to gigabytes stops at the cap. urllib3 inflates at most one `chunk` per read,
    so memory stays near `cap` + `chunk` whatever the compression ratio. Raises TooLarge past the cap."""
    raw = response.raw if isinstance(response, requests.Response) else response
    parts: list[bytes] = []
    size = 0
    while True:
        data = raw.read(chunk, decode_content=True)
        if not data:
            return b"".join(parts)
        size += len(data)
        if size > cap:
            raise TooLarge(f"more than {_size(cap)} once decompressed")
        parts.append(data)


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{max(1, count // 1024)} KB"


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


# Rate-limit headers are read in one place (auditor.net.ratelimit); the name callers know stays.
retry_after_seconds = retry_after

# The reason `HttpClient` gives the retry policy for not waiting: the request's deadline would pass first.
_DEADLINE = "deadline"


def retry_again(response: requests.Response, body: Any = None, *, throttled: bool = False) -> Again | None:
    """Whether an answer is worth another try: a 429 or the platform's own "slow down" (`throttled`, read from the
    body by the caller) is a rate limit, with the wait the answer asks for; a 5xx is a failure that may pass (a 503's
    Retry-After, when it sends one, is honoured). None for every other answer."""
    status = response.status_code
    if status == 429 or throttled:
        return Again(
            "limited",
            f"HTTP {status}",
            asked=requested_wait(response.headers, body=body),
            note=why_limited(response.headers, body),
        )
    if status >= 500:
        return Again("failed", f"HTTP {status}", asked=retry_after(response.headers) if status == 503 else None)
    return None


def transport_again(exc: requests.RequestException) -> Again:
    """A timeout or a connection that failed, as an outcome another try may change."""
    return Again("failed", "did not answer in time" if isinstance(exc, requests.Timeout) else "could not be reached")


def gave_up(platform: str, stop: GaveUp, max_wait: float) -> ConnectorError:
    """Why an account was given up after retrying, in the same words whichever client retried (HttpClient, X's)."""
    last, tries = stop.last, stop.attempts
    note = f" ({last.note})" if last.note else ""
    if last.kind == "limited":
        if stop.why == TOO_LONG:
            return RateLimited(
                f"{platform} is limiting requests and asked us to wait {stop.wait:.0f} s, longer than this run "
                f"waits ({max_wait:.0f} s){note}; the next run will try again"
            )
        return RateLimited(
            f"{platform} was still limiting requests after {tries} tries{note}; the next run will try again"
        )
    if stop.why == TOO_LONG:
        return ConnectorError(
            f"{platform} is unavailable ({last.what}) and asked us to try again in {stop.wait:.0f} s, longer than "
            f"this run waits ({max_wait:.0f} s); the next run will try again"
        )
    if last.what.startswith("HTTP "):
        return ConnectorError(f"{platform} kept failing ({last.what} after {tries} tries); the next run will try again")
    return ConnectorError(f"{platform} {last.what} after {tries} tries")


def log_retry(platform: str) -> Callable[[float, Again, int], None]:
    """What is logged before a wait: a rate limit's wait, and a retried timeout or connection failure."""

    def on_retry(seconds: float, again: Again, attempt: int) -> None:
        if again.kind == "limited":
            log.info("%s rate limit: waiting %.1f s", platform, seconds)
        elif not again.what.startswith("HTTP "):
            log.info("%s %s; retrying", platform, again.what)

    return on_retry


class SiteSession(requests.Session):
    """A Session that reads the environment's proxy settings (HTTPS_PROXY, NO_PROXY...) and CA bundle once per site
    instead of on every request: `requests` walks every environment variable twice a request to find them, a fifth of
    the time a request to a nearby server costs. What it finds is what `requests` itself would find; the environment
    is read when a client first asks a site, and a client lives for one account's fetch."""

    def __init__(self) -> None:
        super().__init__()
        self._environment: dict[tuple[str, str], tuple[dict[str, str], str | None]] = {}
        self._environment_lock = threading.Lock()

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any) -> Any:
        if not self.trust_env or not isinstance(url, str) or (proxies and "no_proxy" in proxies):
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        parts = urlsplit(url)
        site = (parts.scheme.lower(), parts.netloc.lower())
        with self._environment_lock:
            found = self._environment.get(site)
        if found is None:
            bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or None
            found = (dict(get_environ_proxies(url)), bundle)
            with self._environment_lock:
                self._environment[site] = found
        env_proxies, bundle = found
        proxies = dict(proxies) if proxies is not None else {}
        for key, value in env_proxies.items():
            proxies.setdefault(key, value)
        if (verify is True or verify is None) and bundle:
            verify = bundle
        merge = cast("Callable[[Any, Any], Any]", requests.sessions.merge_setting)  # as requests merges them
        return {
            "proxies": merge(proxies, self.proxies),
            "stream": merge(stream, self.stream),
            "verify": merge(verify, self.verify),
            "cert": merge(cert, self.cert),
        }


@dataclass
class HttpClient:
    """One per connector per run. `requests_made` counts every request sent, retries included (benchmarks read it)."""

    platform: str  # for messages: "Facebook", "YouTube", ...
    credential_hint: str = ""  # e.g. "set META_ACCESS_TOKEN to a Page access token with pages_read_engagement"
    secrets: tuple[str, ...] = ()
    timeout: tuple[float, float] = (5.0, 20.0)  # connect, read
    retries: int = 3  # extra attempts after the first, for timeouts, connection errors, 5xx and short rate limits
    backoff: float = 1.0  # first wait; doubles each retry
    max_wait: float = 60.0  # the longest single wait a rate limit may impose before the account is given up
    sleep: Callable[[float], None] = time.sleep
    # A platform's own way of saying "slow down" inside a 200/400/403 answer (Graph codes 4/17/32/613, quotaExceeded).
    throttled: Callable[[requests.Response, Any], bool] | None = None
    session: requests.Session = field(default_factory=SiteSession)
    # The longest one `get_bytes` may take, every try, wait and the whole body included (None: only the timeouts).
    deadline: float | None = None
    # The shared budget (auditor.net.budget) each request spends from: "youtube", "graph"; None spends from none.
    budget: str | None = None
    requests_made: int = 0

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = USER_AGENT
        adapter = BoundedAdapter()
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def get_json(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        accept: Callable[[requests.Response, Any], bool] | None = None,
        cost: float = 1.0,
    ) -> Any:
        """GET and decode JSON, or raise a ConnectorError saying what went wrong in words a teacher can pass on.

        `accept` hands back an error answer the caller understands (YouTube's 403 commentsDisabled) as its body.
        `cost`: what each try of the request spends from the client's shared budget (a YouTube search: 100 units).
        """
        response, body = self._get(url, params, headers, accept, cost=cost)
        if body is _TOO_DEEP:
            raise ConnectorError(
                f"{self.platform} answered with JSON nested too deeply to read; the service may have changed"
            )
        if body is _NOT_JSON:
            kind = response.headers.get("Content-Type", "unknown type").split(";")[0]
            raise ConnectorError(
                f"{self.platform} answered with something that is not JSON ({kind}); the service may be "
                "down or have changed"
            )
        return body

    def get_bytes(
        self, url: str, *, headers: Mapping[str, str] | None = None, max_bytes: int = 10 * 1024 * 1024
    ) -> bytes:
        """GET a document that is not JSON (an RSS or Atom feed) with the same timeouts, retries and rate limits, no
        more than `max_bytes` of it once decompressed, and all of it within `deadline` seconds."""
        with Deadline(self.deadline) if self.deadline is not None else contextlib.nullcontext() as deadline:
            try:
                response, _ = self._get(url, None, headers, None, stream=True)
                with response:
                    body = read_capped(response, max_bytes)
            except TooLarge:
                raise ConnectorError(
                    f"{self.platform} sent more than the {max_bytes // 1024} KB this audit reads from one address "
                    "(counted once decompressed)"
                ) from None
            except ConnectorError:
                if deadline is not None and deadline.expired:
                    raise self._too_slow() from None
                raise
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                if deadline is not None and deadline.expired:
                    raise self._too_slow() from None
                raise ConnectorError(
                    self._clean(f"{self.platform} stopped sending part-way ({type(exc).__name__})")
                ) from None
            if deadline is not None and deadline.expired:  # a cut body can also end quietly, looking complete
                raise self._too_slow()
            return body

    def _too_slow(self) -> ConnectorError:
        return ConnectorError(
            f"{self.platform} was too slow: its answer was not complete after {self.deadline:.0f} s, the most this "
            "audit waits for one address; the next run will try again"
        )

    @property
    def policy(self) -> RetryPolicy:
        return RetryPolicy(retries=self.retries, backoff=self.backoff, max_wait=self.max_wait, sleep=self.sleep)

    def _admit(self, seconds: float, again: Again, attempt: int) -> str | None:
        """Back off before a retry, unless the request's deadline would pass first: then it is too slow now."""
        deadline = current_deadline()
        if deadline is not None and seconds >= deadline.remaining():
            return _DEADLINE
        return None

    def _get(
        self,
        url: str,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        accept: Callable[[requests.Response, Any], bool] | None,
        *,
        stream: bool = False,
        cost: float = 1.0,
    ) -> tuple[requests.Response, Any]:
        """The answer and its JSON body; with `stream`, the body is left unread for the caller to read within its
        bounds, and error answers are judged by status alone. Retried as the product's retry policy says."""

        def attempt() -> tuple[requests.Response, Any]:
            response = self._send(url, params, headers, stream, cost)
            body = _NOT_JSON if stream else _json_or_none(response)
            if stream and response.status_code != 200:
                response.close()
            if accept is not None and accept(response, body):
                return response, body
            throttled = self.throttled is not None and self.throttled(response, body)
            again = retry_again(response, body, throttled=throttled)
            if again is not None:
                raise again
            if response.status_code in (401, 403):
                raise AuthFailed(
                    f"{self.platform} refused the credentials (HTTP {response.status_code}): they are missing, "
                    f"expired or lack a permission. {self.credential_hint}".strip()
                )
            if response.status_code == 404:
                raise ConnectorError(f"{self.platform} says this account or item does not exist (HTTP 404)")
            if response.status_code >= 400:
                detail = _error_detail(body)
                raise ConnectorError(
                    self._clean(f"{self.platform} rejected the request (HTTP {response.status_code}){detail}")
                )
            return response, body

        try:
            return self.policy.call(attempt, admit=self._admit, on_retry=log_retry(self.platform))
        except GaveUp as stop:
            if stop.why == _DEADLINE:
                raise self._too_slow() from None
            raise gave_up(self.platform, stop, self.max_wait) from None

    def _send(
        self,
        url: str,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        stream: bool = False,
        cost: float = 1.0,
    ) -> requests.Response:
        spend(self.platform, self.budget, cost, max_wait=self.max_wait, sleep=self.sleep)
        self.requests_made += 1
        started = time.monotonic()
        try:
            response = self.session.get(url, params=params, headers=headers, timeout=self.timeout, stream=stream)
        except (requests.Timeout, requests.ConnectionError) as exc:
            deadline = current_deadline()
            if deadline is not None and deadline.expired:
                raise self._too_slow() from None
            raise transport_again(exc) from None
        except requests.RequestException as exc:
            raise ConnectorError(self._clean(f"{self.platform} request failed: {type(exc).__name__}")) from None
        log.debug(
            "%s GET %s -> %s in %.2f s",
            self.platform,
            self._clean(url),
            response.status_code,
            time.monotonic() - started,
        )
        return response

    def _clean(self, text: str) -> str:
        return redact(text, self.secrets)


def spend(platform: str, name: str | None, cost: float, *, max_wait: float, sleep: Callable[[float], None]) -> None:
    """Spend from a shared budget before a request (auditor.net.budget); a spent budget ends the account's reading
    with a plain message, as a rate limit too long to wait for does."""
    try:
        budget.spend(name, cost, max_wait=max_wait, sleep=sleep)
    except budget.OverBudget as exc:
        raise RateLimited(f"{platform}: {exc}; the next run will try again") from None


_NOT_JSON = object()
# Nesting deeper than Python's JSON parser allows raises RecursionError, not ValueError: hostile or broken, never data.
_TOO_DEEP = object()


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError):
        return _NOT_JSON
    except RecursionError:
        return _TOO_DEEP


def _error_detail(body: Any) -> str:
    """A platform's own short error message, when it gives one (Graph: error.message; Google: error.message)."""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return f": {error['message'][:200]}"
        if isinstance(error, str):
            return f": {error[:200]}"
    return ""
