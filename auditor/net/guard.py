"""The SSRF guard: the auditor never connects to a private, loopback, link-local, reserved, multicast or unspecified
address, however the link reaches it (named directly, resolved by DNS, or by a redirect).

Each host is resolved once per run through an injectable resolver; every address it resolves to is checked, and the
connection is then made to that checked address (the `PinnedAdapter`), so a DNS answer that changes between the
check and the connection (DNS rebinding) cannot slip through. Certificates are still verified against the host name.

Through a proxy (`[links] proxy`, or the standard environment variables when `proxy_from_environment` is set) the
connection goes to the proxy, which looks the name up itself: the target's name is still resolved here first and every
address it has must be public, or nothing is sent to the proxy at all. Pinning cannot reach past the proxy, so a
name whose DNS answer changes between our lookup and the proxy's is trusted to the school's proxy (which is the
network's own filter).

A failed lookup is "the host does not exist" only while name lookups are known to work: when a lookup fails, a few
names that always exist (the school's own domains, then well-known ones) are looked up too, at most once a minute; if
none of them resolves, the network (or DNS) is unavailable, the failed host is "not verified", and for the next minute
further new names are not looked up at all (each would only wait for the resolver to give up).
"""

from __future__ import annotations

import copy
import ipaddress
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import requests
from requests.utils import get_environ_proxies, select_proxy
from urllib3.connection import HTTPConnection
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import _set_socket_options

from auditor.net.addresses import IPAddress, forbidden_reason, parse_ip_literal
from auditor.net.http import (
    BoundedAdapter,
    BoundedHTTPConnection,
    BoundedHTTPPool,
    BoundedHTTPSConnection,
    BoundedHTTPSPool,
)

if TYPE_CHECKING:
    from auditor.links.settings import LinkSettings

log = logging.getLogger(__name__)

# host name -> the IP addresses it resolves to (as text). Raises OSError (socket.gaierror) when the name does not exist.
Resolver = Callable[[str], list[str]]

# Names that always exist, looked up when another name fails, to tell "no such host" from "no network".
PROBE_HOSTS = ("www.gov.uk", "www.bbc.co.uk", "www.google.com")
PROBE_INTERVAL = 60.0  # seconds a probe's answer stands
# getaddrinfo's "try again later" answers: the resolver got no answer, which says nothing about the name.
_TEMPORARY = frozenset(
    code for code in (getattr(socket, "EAI_AGAIN", None), getattr(socket, "EAI_FAIL", None)) if code is not None
)


def system_resolver(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class Blocked(Exception):
    """The host is, or resolves to, an address the auditor must not connect to."""


class HostNotFound(Exception):
    """The host name does not exist (or DNS gave no address). With `network` set, the lookup failed for want of a
    working network or resolver, which says nothing about the host: the link is not verified, never broken."""

    def __init__(self, message: str, *, network: bool = False) -> None:
        super().__init__(message)
        self.network = network


class Guard:
    def __init__(
        self,
        resolver: Resolver = system_resolver,
        *,
        allow_private: bool = False,
        proxy: str | None = None,
        proxy_from_environment: bool = False,
        probes: Iterable[str] = PROBE_HOSTS,
    ) -> None:
        self.resolver = resolver
        # Test-only (benchmarks, local servers): permits private addresses. Off unless a config says so explicitly.
        self.allow_private = allow_private
        # The proxy every request goes through (credentials included, so never logged), or the environment's.
        self.proxy = proxy
        self.proxy_from_environment = proxy_from_environment
        self.probes = tuple(dict.fromkeys(probes))
        self._answers: dict[str, IPAddress | Exception] = {}
        self._lock = threading.Lock()
        self._probe_lock = threading.Lock()
        self._probed_at: float | None = None
        self._lookups_work = True
        self.network_unavailable = False  # set once name lookups were found not to work in this run

    @classmethod
    def from_settings(cls, settings: LinkSettings, resolver: Resolver = system_resolver) -> Guard:
        """The guard for a run's [links] settings: its proxy (with credentials from the environment variable the
        config names) and the school's own domains first among the names that show DNS works."""
        proxy = proxy_url(settings)
        return cls(
            resolver,
            allow_private=settings.allow_private_hosts,
            proxy=proxy,
            proxy_from_environment=settings.proxy_from_environment,
            probes=(*settings.trusted_domains, *PROBE_HOSTS),
        )

    def address_for(self, host: str) -> str:
        """The checked address to connect to for `host`; raises Blocked or HostNotFound. Cached for the run."""
        key = host.lower().strip("[]").rstrip(".")
        with self._lock:
            answer = self._answers.get(key)
        if answer is None:
            answer = self._resolve(key)
            with self._lock:
                answer = self._answers.setdefault(key, answer)
        if isinstance(answer, Exception):
            # A copy each time: raising the cached exception itself would chain every raise's traceback onto it, and
            # with them every frame that asked, an account's posts included, kept for the rest of the run.
            raise copy.copy(answer)
        return str(answer)

    def proxies_for(self, url: str) -> dict[str, str]:
        """The proxy for this address, as `requests` takes them: the configured one, or the environment's
        (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, honouring NO_PROXY) when asked for; none otherwise."""
        if self.proxy:
            return {"http": self.proxy, "https": self.proxy}
        if self.proxy_from_environment:
            found = get_environ_proxies(url)
            return {k: v for k, v in found.items() if v.lower().startswith(("http://", "https://"))}
        return {}

    def _resolve(self, host: str) -> IPAddress | Exception:
        literal = parse_ip_literal(host)
        if literal is not None:
            addresses: list[IPAddress] = [literal]
        else:
            if host == "localhost" or host.endswith(".localhost"):
                return Blocked(f"{host} names this computer")
            if self._known_down():
                return self._unavailable(host)
            try:
                answers = self.resolver(host)
            except (OSError, UnicodeError) as exc:
                return self._not_found(host, exc)
            addresses = []
            for text in answers:
                try:
                    addresses.append(ipaddress.ip_address(text.split("%", 1)[0]))
                except ValueError:
                    continue
            if not addresses:
                return self._not_found(host, None)
        if not self.allow_private:
            # Every answer must be public: a name resolving to one public and one private address is refused.
            for address in addresses:
                reason = forbidden_reason(address)
                if reason:
                    shown = host if literal is not None else f"{host} resolves to {address}, which"
                    return Blocked(f"{shown} is {reason}")
        return addresses[0]

    def _not_found(self, host: str, exc: BaseException | None) -> HostNotFound:
        if isinstance(exc, socket.gaierror) and exc.errno in _TEMPORARY:
            if not self._lookups_working():
                return self._unavailable(host)
            return HostNotFound(f"the name lookup for {host} got no answer (DNS failed for it)", network=True)
        if not self._lookups_working():
            return self._unavailable(host)
        return HostNotFound(f"the host {host} does not exist (DNS has no address for it)")

    def _unavailable(self, host: str) -> HostNotFound:
        return HostNotFound(
            f"the network was unavailable (name lookups failed, for {host} and for names that always exist, "
            "such as " + ", ".join(self.probes[:2]) + ")",
            network=True,
        )

    def _known_down(self) -> bool:
        with self._probe_lock:
            fresh = self._probed_at is not None and time.monotonic() - self._probed_at < PROBE_INTERVAL
            return fresh and not self._lookups_work

    def _lookups_working(self) -> bool:
        """Whether name lookups work, from the probe names (at most one probe a minute, one thread at a time)."""
        with self._probe_lock:
            if self._probed_at is not None and time.monotonic() - self._probed_at < PROBE_INTERVAL:
                return self._lookups_work
            works = any(self._resolves(name) for name in self.probes)
            self._probed_at = time.monotonic()
            self._lookups_work = works
            if not works and not self.network_unavailable:
                log.warning("the network was unavailable: name lookups failed, even for %s", ", ".join(self.probes))
            self.network_unavailable = self.network_unavailable or not works
            return works

    def _resolves(self, name: str) -> bool:
        try:
            return bool(self.resolver(name))
        except (OSError, UnicodeError):
            return False


def proxy_url(settings: LinkSettings) -> str | None:
    """The configured proxy's address, with credentials from the environment variable the config names (so it is
    never logged), or None when no proxy is configured."""
    proxy = settings.proxy
    if proxy and settings.proxy_credentials_env:
        credentials = os.environ.get(settings.proxy_credentials_env, "")
        if credentials:
            return with_credentials(proxy, credentials)
        log.warning(
            "[links] proxy_credentials_env names %s, which is not set; the proxy is used without credentials",
            settings.proxy_credentials_env,
        )
    return proxy


def use_configured_proxy(session: requests.Session, settings: LinkSettings) -> requests.Session:
    """Send this session's requests (to a service, not to a link's target) through the configured proxy; the
    environment's proxies, when asked for, are what requests uses anyway. The session is returned for chaining."""
    proxy = proxy_url(settings)
    if proxy:
        session.trust_env = False  # otherwise an environment proxy would win over the configured one
        session.proxies.update({"http": proxy, "https": proxy})
    return session


def with_credentials(proxy: str, credentials: str) -> str:
    """The proxy address with `user:password` (from the environment) in it, percent-encoded as a URL needs."""
    user, _, password = credentials.partition(":")
    parts = urlsplit(proxy)
    userinfo = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
    return parts._replace(netloc=f"{userinfo}@{parts.netloc}").geturl()


def _connect(conn: HTTPConnection, guard: Guard) -> socket.socket:
    try:
        address = guard.address_for(conn.host)
    except (Blocked, HostNotFound) as exc:
        raise NewConnectionError(conn, f"refused to connect: {exc}") from None
    try:
        sock = socket.create_connection((address, conn.port), conn.timeout, source_address=conn.source_address)
    except TimeoutError as exc:
        raise ConnectTimeoutError(conn, f"connection to {conn.host} timed out") from exc
    except OSError as exc:
        raise NewConnectionError(conn, f"failed to establish a new connection: {exc}") from exc
    _set_socket_options(sock, conn.socket_options)
    return sock


class PinnedAdapter(BoundedAdapter):
    """An adapter whose connections go to the guard's checked address for the host, never to a fresh DNS answer;
    or, where a proxy is set, to the proxy, once the target has passed the guard. Every connection can be ended by a
    `auditor.net.http.Deadline`."""

    def __init__(self, guard: Guard, **kwargs: Any) -> None:
        self.guard = guard
        super().__init__(**kwargs)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        guard = self.guard

        class PinnedHTTPConnection(BoundedHTTPConnection):
            def open_socket(self) -> socket.socket:
                return _connect(self, guard)

        class PinnedHTTPSConnection(BoundedHTTPSConnection):
            def open_socket(self) -> socket.socket:
                return _connect(self, guard)

        class PinnedHTTPPool(BoundedHTTPPool):
            ConnectionCls = PinnedHTTPConnection

        class PinnedHTTPSPool(BoundedHTTPSPool):
            ConnectionCls = PinnedHTTPSConnection

        self.pool_classes = {"http": PinnedHTTPPool, "https": PinnedHTTPSPool}
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Send through the guard's choice of proxy (never one a caller or the environment slipped in); with a
        proxy, the target must pass the guard first, because the proxy, not the pinned connection, will reach it."""
        url = request.url or ""
        chosen = self.guard.proxies_for(url)
        if select_proxy(url, chosen):
            try:
                self.guard.address_for(urlsplit(url).hostname or "")
            except (Blocked, HostNotFound) as exc:
                raise requests.ConnectionError(f"refused to connect: {exc}", request=request) from None
        return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=chosen)
