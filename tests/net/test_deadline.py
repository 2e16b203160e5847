"""`Deadline`: one watchdog thread ends every request whose time is up, in the order their times come."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any, cast

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
