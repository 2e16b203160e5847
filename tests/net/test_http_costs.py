"""The HTTP path's own costs: one watchdog thread ends every request whose `Deadline` is up, in the order their
times come; a client's session reads the environment's proxy settings once a site, not on every request."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any, cast

import requests
import requests.utils
from urllib3.connection import HTTPConnection

from auditor.net import http


class _Conn:
    """What `Deadline.watch` reads of a connection: its socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock


def _watchdogs() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "deadline watchdog")


def test_many_requests_share_one_watchdog_thread_and_leave_nothing_behind() -> None:
    before = threading.active_count()
    for _ in range(200):
        with http.Deadline(30) as deadline:
            assert http.current_deadline() is deadline
    assert http.current_deadline() is None
    assert _watchdogs() == 1
    assert threading.active_count() <= before + 1  # the watchdog, at most: no thread a request
    assert not http._WATCHDOG._active and not http._WATCHDOG._due


def test_a_short_deadline_inside_a_long_one_cuts_its_read_on_time() -> None:
    """The long deadline is registered first; the watchdog must still wake for the shorter one that follows."""
    ours, theirs = socket.socketpair()
    try:
        with http.Deadline(30) as outer:
            with http.Deadline(0.3) as inner:
                inner.watch(cast("HTTPConnection", cast("Any", _Conn(ours))))
                started = time.monotonic()
                data = ours.recv(10)  # nothing is ever sent: only the shutdown ends this
                waited = time.monotonic() - started
            assert http.current_deadline() is outer
        assert data == b""
        assert inner.expired and not outer.expired
        assert 0.2 <= waited < 5
    finally:
        ours.close()
        theirs.close()


def test_a_deadline_left_in_time_never_expires() -> None:
    ours, theirs = socket.socketpair()
    try:
        with http.Deadline(0.2) as deadline:
            deadline.watch(cast("HTTPConnection", cast("Any", _Conn(ours))))
        time.sleep(0.4)
        theirs.sendall(b"ok")
        assert not deadline.expired
        assert ours.recv(2) == b"ok"  # the socket was not shut after the block was left
    finally:
        ours.close()
        theirs.close()


def test_the_environment_is_read_once_a_site_and_gives_what_requests_would(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.school.example:3128")
    monkeypatch.setenv("NO_PROXY", "inside.school.example")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/school/ca.pem")
    reads: list[str] = []
    real = requests.utils.get_environ_proxies

    def counted(url: str, no_proxy: str | None = None) -> dict[str, str]:
        reads.append(url)
        return dict(real(url, no_proxy=no_proxy))

    monkeypatch.setattr("auditor.net.http.get_environ_proxies", counted)
    ours, plain = http.SiteSession(), requests.Session()
    for url in ("https://api.example/a?x=1", "https://api.example/b", "https://inside.school.example/c"):
        for _ in range(3):
            got = ours.merge_environment_settings(url, {}, None, None, None)
            assert got == plain.merge_environment_settings(url, {}, None, None, None)
    assert reads == ["https://api.example/a?x=1", "https://inside.school.example/c"]
    outside = ours.merge_environment_settings("https://api.example/", {}, None, None, None)
    inside = ours.merge_environment_settings("https://inside.school.example/", {}, None, None, None)
    assert (
        outside["proxies"]["https"] == "http://proxy.school.example:3128" and outside["verify"] == "/etc/school/ca.pem"
    )
    assert "https" not in inside["proxies"]
    assert ours.merge_environment_settings("https://api.example/", {}, None, False, None)["verify"] is False
    ours.trust_env = False
    assert ours.merge_environment_settings("https://api.example/", {}, None, None, None)["proxies"] == {}
    assert isinstance(http.HttpClient("Test").session, http.SiteSession)
