"""One HTTP hop at a time, politely: HEAD, then GET with a byte cap where HEAD is refused or looks wrong; never
following redirects itself (the engine judges each hop); backing off on 429 as Retry-After asks; a few requests at
once per host with a gap between their starts; every connection made to the guard's checked address."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

from auditor.links.guard import Blocked, Guard, HostNotFound, PinnedAdapter
from auditor.links.settings import LinkSettings
from connectors.http import USER_AGENT, retry_after_seconds

MAX_429_RETRIES = 2


@dataclass(frozen=True)
class Hop:
    """What one request said. `error` is set (and `status` None) when no HTTP answer came; `kind` classifies it."""

    url: str
    status: int | None = None
    location: str | None = None
    error: str | None = None
    kind: str = "http"  # http, blocked, dns, tls, timeout, connection, ratelimited


class _HostGate:
    def __init__(self, concurrent: int, gap: float) -> None:
        self.slots = threading.Semaphore(concurrent)
        self.gap = gap
        self.lock = threading.Lock()
        self.next_start = 0.0


class Fetcher:
    def __init__(
        self,
        settings: LinkSettings,
        guard: Guard,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.guard = guard
        self.sleep = sleep
        self.session = session or requests.Session()
        self.session.trust_env = False  # a proxy from the environment would bypass the pinned connection
        self.session.headers["User-Agent"] = USER_AGENT
        adapter = PinnedAdapter(guard, pool_connections=128, pool_maxsize=max(1, settings.per_host))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._gates: dict[str, _HostGate] = {}
        self._gates_lock = threading.Lock()
        self._count_lock = threading.Lock()
        self.requests_made = 0

    def close(self) -> None:
        self.session.close()

    def hop(self, url: str, host: str) -> Hop:
        try:
            self.guard.address_for(host)
        except Blocked as exc:
            return Hop(url, error=str(exc), kind="blocked")
        except HostNotFound as exc:
            return Hop(url, error=str(exc), kind="dns")
        hop = self._with_backoff(url, host, "HEAD")
        if hop.status is not None and hop.status >= 400 and hop.status != 429:
            # Many servers refuse or mishandle HEAD (405, 501, even 404); a short GET is the real answer.
            hop = self._with_backoff(url, host, "GET")
        return hop

    def _with_backoff(self, url: str, host: str, method: str) -> Hop:
        for attempt in range(MAX_429_RETRIES + 1):
            hop, headers = self._send(url, host, method)
            if hop.status != 429:
                return hop
            wait = retry_after_seconds(headers)
            if wait is None:
                wait = 1.0 * 2**attempt
            if wait > self.settings.max_retry_wait or attempt == MAX_429_RETRIES:
                why = f"the site limited our requests (HTTP 429; asked to wait {wait:.0f} s)"
                return Hop(url, status=429, error=why, kind="ratelimited")
            self.sleep(wait)
        raise AssertionError("unreachable")

    def _gate(self, host: str) -> _HostGate:
        with self._gates_lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = self._gates[host] = _HostGate(max(1, self.settings.per_host), self.settings.host_gap)
            return gate

    def _send(self, url: str, host: str, method: str) -> tuple[Hop, dict[str, str]]:
        gate = self._gate(host)
        with gate.slots:
            with gate.lock:
                now = time.monotonic()
                start = max(now, gate.next_start)
                gate.next_start = start + gate.gap
            if start > now:
                time.sleep(start - now)  # politeness gap: real time, not the injectable backoff sleep
            with self._count_lock:
                self.requests_made += 1
            timeout = (self.settings.connect_timeout, self.settings.read_timeout)
            try:
                response = self.session.request(
                    method, url, allow_redirects=False, timeout=timeout, stream=method == "GET"
                )
            except requests.exceptions.SSLError:
                return Hop(url, error="the site's secure connection (TLS certificate) failed", kind="tls"), {}
            except requests.Timeout:
                return Hop(url, error="the site did not answer in time", kind="timeout"), {}
            except requests.ConnectionError as exc:
                if "refused to connect" in str(exc):
                    return Hop(url, error="the address is not allowed", kind="blocked"), {}
                return Hop(url, error="the site could not be reached", kind="connection"), {}
            except requests.RequestException as exc:
                return Hop(url, error=f"the request failed ({type(exc).__name__})", kind="connection"), {}
            try:
                if method == "GET":
                    # Read a little so the server sees a real request, never a whole (maybe huge) body.
                    response.raw.read(self.settings.max_bytes, decode_content=False)
            except (requests.RequestException, OSError, ValueError):
                pass
            finally:
                response.close()
            return (
                Hop(url, status=response.status_code, location=response.headers.get("Location")),
                dict(response.headers),
            )
