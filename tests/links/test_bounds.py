"""Bounded work per link and per host, against hostile servers on 127.0.0.1: a trickle of headers or body ends at the
link's deadline, a 429 tarpit at the host's back-off budget, and a gzip bomb is never inflated. Every bound is asserted
with a generous margin, so a busy machine does not make these flaky; what they catch is an unbounded wait."""

from __future__ import annotations

import socketserver
import threading
import time
import tracemalloc

import pytest

from auditor.links.fetcher import SLOW_STRIKES
from auditor.links.verdicts import Verdict
from tests.links.conftest import FakeDNS
from tests.links.hostile import HostileServer

MARGIN = 4.0  # seconds on top of every bound, for a loaded machine


def local(*hosts: str) -> FakeDNS:
    return FakeDNS({host: ["127.0.0.1"] for host in hosts})


@pytest.fixture
def server():
    with HostileServer(interval=0.05) as running:
        yield running


@pytest.mark.parametrize("path", ["/trickle-headers", "/trickle-body"])
def test_a_trickled_answer_ends_at_the_links_deadline_as_not_verified(make_engine, server, path):
    # The read timeout alone would never fire: a byte comes every 50 ms, far inside it.
    engine = make_engine(dns=local("slow.example"), allow_private_hosts=True, link_deadline=1.0, read_timeout=10.0)
    started = time.monotonic()
    verdict = engine.judge(server.url(path, "slow.example"))
    took = time.monotonic() - started
    assert verdict.verdict is Verdict.UNVERIFIED, verdict.reason
    assert "too slow" in verdict.reason and "within 1 s" in verdict.reason
    assert took < 1.0 + MARGIN


def test_twenty_links_on_a_trickling_host_cost_about_one_deadline_not_twenty(make_engine, server):
    engine = make_engine(dns=local("slow.example"), allow_private_hosts=True, link_deadline=1.0, read_timeout=10.0)
    urls = [server.url(f"/trickle-headers/{n}", "slow.example") for n in range(20)]
    started = time.monotonic()
    verdicts = engine.judge_many(urls)
    took = time.monotonic() - started
    assert {v.verdict for v in verdicts.values()} == {Verdict.UNVERIFIED}
    assert all("too slow" in v.reason for v in verdicts.values())
    assert sum("not asked again" in v.reason for v in verdicts.values()) >= 20 - 2 * SLOW_STRIKES
    # Two at a time to the host (per_host), given up after SLOW_STRIKES deadlines: one link may start as the first
    # expires, so at most two rounds, not 20 x 1 s.
    assert len(server.requests) <= SLOW_STRIKES + 1
    assert took < 2.0 + MARGIN


def test_a_429_tarpit_gets_no_more_than_the_hosts_back_off_budget(make_engine):
    with HostileServer(retry_after=30) as tarpit:
        sleeps: list[float] = []
        engine = make_engine(
            dns=local("busy.example"), allow_private_hosts=True, sleeps=sleeps, link_deadline=100.0,
            host_backoff_budget=60.0,
        )  # fmt: skip
        urls = [tarpit.url(f"/tarpit/{n}", "busy.example") for n in range(20)]
        verdicts = engine.judge_many(urls)
    assert {v.verdict for v in verdicts.values()} == {Verdict.UNVERIFIED}
    assert all("the site limited our requests" in v.reason for v in verdicts.values())
    # Twenty links each asking for 30 s twice would be 20 minutes; the host gets its 60 s in all.
    assert sum(sleeps) <= 60.0
    assert sum("not asked again" in v.reason for v in verdicts.values()) >= 15
    assert len(tarpit.requests) < 10


def test_a_429_tarpit_really_ends_within_the_budget(make_engine):
    # Real waits this time, small ones: Retry-After may be a fraction of a second.
    with HostileServer(retry_after=0.4) as tarpit:
        engine = make_engine(dns=local("busy.example"), allow_private_hosts=True, sleeps=None, host_backoff_budget=1.0)
        engine.fetcher.sleep = time.sleep
        started = time.monotonic()
        verdicts = engine.judge_many([tarpit.url(f"/tarpit/{n}", "busy.example") for n in range(20)])
        took = time.monotonic() - started
    assert {v.verdict for v in verdicts.values()} == {Verdict.UNVERIFIED}
    assert took < 1.0 + MARGIN


def test_a_gzip_bomb_page_is_never_inflated(make_engine, server):
    engine = make_engine(dns=local("bomb.example"), allow_private_hosts=True, link_deadline=10.0)
    tracemalloc.start()
    try:
        verdict = engine.judge(server.url("/bomb", "bomb.example"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # HEAD is refused, so a GET reads at most 16 KB of the compressed body: 256 MB never exist in memory.
    assert ("GET", "/bomb") in server.requests
    assert verdict.status_code == 200
    assert peak < 4 * 1024 * 1024, peak


class _SlowTLS(socketserver.ThreadingTCPServer):
    """Accepts, then sends the start of a TLS record announcing 16 KB and trickles its bytes: a handshake that never
    completes yet never goes quiet long enough for a read timeout."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.stopping = threading.Event()
        super().__init__(("127.0.0.1", 0), _SlowTLSHandler)


class _SlowTLSHandler(socketserver.BaseRequestHandler):
    server: _SlowTLS

    def handle(self) -> None:
        try:
            self.request.sendall(b"\x16\x03\x03\x40\x00")
            while not self.server.stopping.wait(0.05):
                self.request.sendall(b"\x00")
        except OSError:
            return


def test_a_trickled_tls_handshake_ends_at_the_links_deadline(make_engine):
    server = _SlowTLS()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        engine = make_engine(
            dns=local("slowtls.example"), allow_private_hosts=True, link_deadline=1.0, read_timeout=10.0,
            connect_timeout=10.0,
        )  # fmt: skip
        started = time.monotonic()
        verdict = engine.judge(f"https://slowtls.example:{server.server_address[1]}/")
        took = time.monotonic() - started
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
    assert verdict.verdict is Verdict.UNVERIFIED, verdict.reason
    assert "too slow" in verdict.reason
    assert took < 1.0 + MARGIN
