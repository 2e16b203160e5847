"""One HTTP hop at a time, politely and within bounds: HEAD, then GET with a byte cap where HEAD is refused or looks
wrong; never following redirects itself (the engine judges each hop); backing off on 429 as Retry-After asks, under the
product's one retry policy (auditor.net.retry) and within a budget per host; a few requests at once per host with a gap
between their starts; every connection made to the guard's checked address; and every link's network time (all its
hops, connect, headers, body and back-off together) bounded by `link_deadline`, so no site can hold a run however slowly
it answers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests
import urllib3.exceptions

from auditor.links.settings import LinkSettings
from auditor.net.guard import Blocked, Guard, HostNotFound, PinnedAdapter
from auditor.net.http import USER_AGENT, Deadline
from auditor.net.ratelimit import retry_after
from auditor.net.retry import TOO_LONG, TRIES, Again, GaveUp, RetryPolicy

MAX_429_RETRIES = 2
# A host whose answers ran out of time this many times in a run is not asked again: its other links are not verified
# at once instead of each waiting out its own deadline in the queue for that host.
SLOW_STRIKES = 2


@dataclass(frozen=True)
class Hop:
    """What one request said. `error` is set (and `status` None) when no HTTP answer came; `kind` classifies it."""

    url: str
    status: int | None = None
    location: str | None = None
    error: str | None = None
    kind: str = "http"  # http, blocked, dns, network, tls, timeout, deadline, connection, ratelimited


class LinkClock:
    """The network time one link has left, shared by all its hops. Time spent waiting for a turn at a busy host is
    not counted (the host's own limits bound that); time connecting, reading and backing off is."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.left = seconds

    def spend(self, seconds: float) -> None:
        self.left -= seconds


class _HostGate:
    def __init__(self, concurrent: int, gap: float) -> None:
        self.slots = threading.Semaphore(concurrent)
        self.gap = gap
        self.lock = threading.Lock()
        self.next_start = 0.0
        self.backoff_spent = 0.0  # seconds of 429 back-off this host has had this run
        self.limited: str | None = None  # why the host is not asked again (it limited our requests)
        self.slow = 0  # requests to this host that ran out of time


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
        # Proxies, from the config or (when asked) the environment, are chosen by the guard's adapter per target;
        # requests' own reading of the environment would bypass the pinned connection (and read ~/.netrc).
        self.session.trust_env = False
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

    def clock(self) -> LinkClock:
        return LinkClock(self.settings.link_deadline)

    def hop(self, url: str, host: str, clock: LinkClock | None = None) -> Hop:
        clock = clock or self.clock()
        try:
            self.guard.address_for(host)
        except Blocked as exc:
            return Hop(url, error=str(exc), kind="blocked")
        except HostNotFound as exc:
            return Hop(url, error=str(exc), kind="network" if exc.network else "dns")
        hop = self._with_backoff(url, host, "HEAD", clock)
        if hop.status is not None and hop.status >= 400 and hop.status != 429:
            # Many servers refuse or mishandle HEAD (405, 501, even 404); a short GET is the real answer.
            hop = self._with_backoff(url, host, "GET", clock)
        return hop

    def _with_backoff(self, url: str, host: str, method: str, clock: LinkClock) -> Hop:
        """The hop, retried on 429 under the product's retry policy: the wait Retry-After asks for, else backoff
        from 1 s; never longer than `max_retry_wait`, the link's own time left or the host's back-off budget."""
        gate = self._gate(host)
        policy = RetryPolicy(
            retries=MAX_429_RETRIES, backoff=1.0, max_wait=self.settings.max_retry_wait, sleep=self.sleep
        )

        def attempt() -> Hop:
            hop, headers = self._send(url, host, method, clock)
            if hop.status == 429:
                raise Again("limited", "HTTP 429", asked=retry_after(headers))
            return hop

        def admit(wait: float, again: Again, attempt: int) -> str | None:
            why = self._refuse_wait(gate, wait, clock)
            if why is None:
                clock.spend(wait)
            return why

        try:
            return policy.call(attempt, admit=admit)
        except GaveUp as stop:
            why = stop.why
            if why in (TOO_LONG, TRIES):
                # The host still refuses, or wants longer than any link waits: its other links are not asked again.
                why = f"asked to wait {stop.wait:.0f} s"
                with gate.lock:
                    gate.limited = gate.limited or f"it {why} earlier in this run"
            return Hop(url, status=429, error=f"the site limited our requests (HTTP 429; {why})", kind="ratelimited")

    def _refuse_wait(self, gate: _HostGate, wait: float, clock: LinkClock) -> str | None:
        """Why this back-off is not waited for, or None (and the wait charged to the host's budget)."""
        asked = f"asked to wait {wait:.0f} s"
        budget = self.settings.host_backoff_budget
        with gate.lock:
            if wait > clock.left:
                gate.limited = gate.limited or f"it {asked} earlier in this run"
                return f"{asked}, longer than the {clock.seconds:.0f} s one link may take"
            if gate.backoff_spent + wait > budget:
                gate.limited = gate.limited or f"it had used up its {budget:.0f} s of back-off for this run"
                return f"{asked}; this site's {budget:.0f} s of back-off for this run is used up"
            gate.backoff_spent += wait
            return None

    def _gate(self, host: str) -> _HostGate:
        with self._gates_lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = self._gates[host] = _HostGate(max(1, self.settings.per_host), self.settings.host_gap)
            return gate

    def _host_refusal(self, url: str, gate: _HostGate) -> Hop | None:
        """A hop not sent, because this host already limited our requests or ran out of time in this run."""
        if gate.limited:
            why = f"the site limited our requests ({gate.limited}; not asked again)"
            return Hop(url, error=why, kind="ratelimited")
        if gate.slow >= SLOW_STRIKES:
            why = (
                f"the site was too slow (it ran out of its {self.settings.link_deadline:.0f} s {gate.slow} times "
                "earlier in this run; not asked again)"
            )
            return Hop(url, error=why, kind="deadline")
        return None

    def _send(self, url: str, host: str, method: str, clock: LinkClock) -> tuple[Hop, dict[str, str]]:
        gate = self._gate(host)
        with gate.slots:
            refused = self._host_refusal(url, gate)
            if refused is not None:
                return refused, {}
            with gate.lock:
                now = time.monotonic()
                start = max(now, gate.next_start)
                gate.next_start = start + gate.gap
            if start > now:
                time.sleep(start - now)  # politeness gap: real time, not the injectable backoff sleep
            if clock.left <= 0:
                return self._too_slow(url), {}
            with self._count_lock:
                self.requests_made += 1
            started = time.monotonic()
            with Deadline(clock.left) as deadline:
                hop, headers = self._request(url, method)
            clock.spend(time.monotonic() - started)
            if deadline.expired:
                with gate.lock:  # counted before the slot is freed, so the next link in the queue sees it
                    gate.slow += 1
                return self._too_slow(url), {}
        return hop, headers

    def _too_slow(self, url: str) -> Hop:
        why = f"the site was too slow (no complete answer within {self.settings.link_deadline:.0f} s)"
        return Hop(url, error=why, kind="deadline")

    def _request(self, url: str, method: str) -> tuple[Hop, dict[str, str]]:
        timeout = (self.settings.connect_timeout, self.settings.read_timeout)
        try:
            response = self.session.request(method, url, allow_redirects=False, timeout=timeout, stream=method == "GET")
        except requests.exceptions.ProxyError:
            return Hop(url, error="the proxy could not be reached or refused the request", kind="proxy"), {}
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
                # Read a little so the server sees a real request, never a whole (maybe huge) body; it is read
                # undecoded, so however it is compressed it never inflates in memory.
                response.raw.read(self.settings.max_bytes, decode_content=False)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError):
            pass  # a body cut short (by the deadline, or the server) says nothing the status has not
        finally:
            response.close()
        return Hop(url, status=response.status_code, location=response.headers.get("Location")), dict(response.headers)
