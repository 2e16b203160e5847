"""The SSRF guard against a real socket: connections go to the address that was checked, once, by host name."""

import pytest
import requests

from auditor.links.fetcher import Fetcher
from auditor.links.settings import LinkSettings
from auditor.net.guard import Blocked, Guard, HostNotFound
from tests.links.conftest import FakeDNS
from tests.links.localserver import RecordingServer


def test_guard_refuses_private_answers_and_caches_the_first_answer():
    dns = FakeDNS({"inside.example": ["192.168.1.10"], "mixed.example": ["93.184.215.14", "10.0.0.1"]})
    guard = Guard(dns)
    for host in ("inside.example", "mixed.example", "localhost", "app.localhost", "127.1", "[::ffff:127.0.0.1]"):
        with pytest.raises(Blocked):
            guard.address_for(host)
    assert guard.address_for("public.example") == "93.184.215.14"
    guard.address_for("public.example")
    assert dns.asked.count("public.example") == 1
    with pytest.raises(HostNotFound):
        Guard(FakeDNS({"nx.example": None})).address_for("nx.example")


def test_a_cached_refusal_does_not_keep_the_callers_frames():
    """A refused host is looked up once, but each refusal is raised afresh: the cached exception must not gather the
    traceback of every caller (and with it every caller's local variables, an account's posts among them)."""
    dns = FakeDNS({"nx.example": None, "inside.example": ["10.0.0.1"]})
    guard = Guard(dns)

    class Marker:  # stands for a caller's data, which must be let go once the caller has finished
        pass

    def ask(host: str, data: Marker) -> Exception:
        try:
            guard.address_for(host)
        except (HostNotFound, Blocked) as exc:
            return exc
        raise AssertionError("the host should have been refused")

    for host, kind in (("nx.example", HostNotFound), ("inside.example", Blocked)):
        first, second = ask(host, Marker()), ask(host, Marker())
        assert isinstance(first, kind) and isinstance(second, kind) and first is not second
        assert str(first) == str(second)
        cached = guard._answers[host]
        assert cached is not first and cached is not second and cached.__traceback__ is None
        frames = 0
        tb = second.__traceback__
        while tb is not None:
            frames, tb = frames + 1, tb.tb_next
        assert frames == 2  # ask() and address_for(), this call's alone
    assert dns.asked.count("nx.example") == 1
    assert Guard(FakeDNS({})).network_unavailable is False


def test_connections_use_the_checked_address_so_rebinding_cannot_slip_through():
    """The resolver first says 127.0.0.1 (allowed only by the explicit test setting), then would say something else:
    every connection still goes to the first, checked answer, and the Host header keeps the name."""
    answers = iter([["127.0.0.1"], ["10.9.9.9"], ["10.9.9.9"]])
    calls: list[str] = []

    def rebinding(host: str) -> list[str]:
        calls.append(host)
        return next(answers)

    with RecordingServer() as server:
        settings = LinkSettings(allow_private_hosts=True, host_gap=0.0)
        fetcher = Fetcher(settings, Guard(rebinding, allow_private=True))
        try:
            for _ in range(3):
                hop = fetcher.hop(f"http://school-news.example:{server.port}/p", "school-news.example")
                assert hop.status == 200
        finally:
            fetcher.close()
    assert calls == ["school-news.example"]
    assert [r[2] for r in server.requests] == [f"school-news.example:{server.port}"] * 3


def test_default_guard_blocks_the_connection_even_if_the_precheck_were_skipped():
    with RecordingServer() as server:
        fetcher = Fetcher(LinkSettings(), Guard(FakeDNS({"sneaky.example": ["127.0.0.1"]})))
        try:
            # Straight through the session, as a bug that skipped the engine's checks would: the adapter refuses.
            with pytest.raises(requests.ConnectionError, match="refused to connect"):
                fetcher.session.get(f"http://sneaky.example:{server.port}/", timeout=2)
        finally:
            fetcher.close()
        assert server.requests == []


def test_proxies_from_the_environment_are_ignored(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.1:3128")
    fetcher = Fetcher(LinkSettings(), Guard(FakeDNS()))
    assert fetcher.session.trust_env is False
    fetcher.close()
