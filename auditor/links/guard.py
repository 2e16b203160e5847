"""The SSRF guard: the auditor never connects to a private, loopback, link-local, reserved, multicast or unspecified
address, however the link reaches it (named directly, resolved by DNS, or by a redirect).

Each host is resolved once per run through an injectable resolver; every address it resolves to is checked, and the
connection is then made to that checked address (the `PinnedAdapter`), so a DNS answer that changes between the
check and the connection (DNS rebinding) cannot slip through. Certificates are still verified against the host name.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import _set_socket_options

from auditor.links.hosts import IPAddress, forbidden_reason, parse_ip_literal

# host name -> the IP addresses it resolves to (as text). Raises OSError (socket.gaierror) when the name does not exist.
Resolver = Callable[[str], list[str]]


def system_resolver(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class Blocked(Exception):
    """The host is, or resolves to, an address the auditor must not connect to."""


class HostNotFound(Exception):
    """The host name does not exist (or DNS gave no address)."""


class Guard:
    def __init__(self, resolver: Resolver = system_resolver, *, allow_private: bool = False) -> None:
        self.resolver = resolver
        # Test-only (benchmarks, local servers): permits private addresses. Off unless a config says so explicitly.
        self.allow_private = allow_private
        self._answers: dict[str, IPAddress | Exception] = {}
        self._lock = threading.Lock()

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
            raise answer
        return str(answer)

    def _resolve(self, host: str) -> IPAddress | Exception:
        literal = parse_ip_literal(host)
        if literal is not None:
            addresses: list[IPAddress] = [literal]
        else:
            if host == "localhost" or host.endswith(".localhost"):
                return Blocked(f"{host} names this computer")
            try:
                answers = self.resolver(host)
            except (OSError, UnicodeError):
                return HostNotFound(f"the host {host} does not exist (DNS has no address for it)")
            addresses = []
            for text in answers:
                try:
                    addresses.append(ipaddress.ip_address(text.split("%", 1)[0]))
                except ValueError:
                    continue
            if not addresses:
                return HostNotFound(f"the host {host} does not exist (DNS has no address for it)")
        if not self.allow_private:
            # Every answer must be public: a name resolving to one public and one private address is refused.
            for address in addresses:
                reason = forbidden_reason(address)
                if reason:
                    shown = host if literal is not None else f"{host} resolves to {address}, which"
                    return Blocked(f"{shown} is {reason}")
        return addresses[0]


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


class PinnedAdapter(HTTPAdapter):
    """An adapter whose connections go to the guard's checked address for the host, never to a fresh DNS answer."""

    def __init__(self, guard: Guard, **kwargs: Any) -> None:
        self.guard = guard
        super().__init__(**kwargs)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        guard = self.guard

        class PinnedHTTPConnection(HTTPConnection):
            def _new_conn(self) -> socket.socket:
                return _connect(self, guard)

        class PinnedHTTPSConnection(HTTPSConnection):
            def _new_conn(self) -> socket.socket:
                return _connect(self, guard)

        class PinnedHTTPPool(HTTPConnectionPool):
            ConnectionCls = PinnedHTTPConnection

        class PinnedHTTPSPool(HTTPSConnectionPool):
            ConnectionCls = PinnedHTTPSConnection

        self.poolmanager.pool_classes_by_scheme = {"http": PinnedHTTPPool, "https": PinnedHTTPSPool}
