"""Name lookups failing: no network (or a server without DNS) makes links "not verified", never "broken"; one name
that does not exist among names that resolve is still broken. The resolver is replaced, so no test needs a network."""

from __future__ import annotations

import logging
import socket

import pytest
import responses

from auditor.links.settings import LinkSettings
from auditor.links.verdicts import Verdict
from auditor.net.guard import PROBE_HOSTS, Guard, HostNotFound
from tests.links.conftest import PUBLIC, FakeDNS

LINKS = [f"https://site{n}.example.org/page" for n in range(12)]


class NoNetwork:
    """Every lookup fails, as getaddrinfo does with no network: "temporary failure" or, with no resolver configured
    at all, "name not known"."""

    def __init__(self, errno: int = socket.EAI_AGAIN) -> None:
        self.errno = errno
        self.asked: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.asked.append(host)
        raise socket.gaierror(self.errno, "Temporary failure in name resolution")


@responses.activate
def test_no_network_makes_links_not_verified_never_broken(make_engine, caplog):
    caplog.set_level(logging.WARNING)
    dns = NoNetwork()
    engine = make_engine(dns=dns)
    verdicts = engine.judge_many(LINKS)
    assert {v.verdict for v in verdicts.values()} == {Verdict.UNVERIFIED}
    assert all("the network was unavailable" in v.reason for v in verdicts.values())
    assert {v.source for v in verdicts.values()} == {"network"}  # what the links check reads, not the wording
    assert not any("does not exist" in v.reason for v in verdicts.values())
    assert engine.network_unavailable
    assert len(responses.calls) == 0
    warnings = [r.getMessage() for r in caplog.records if "network was unavailable" in r.getMessage()]
    assert len(warnings) == 1, warnings


@responses.activate
def test_a_server_without_dns_is_no_network_either(make_engine):
    # With no resolver configured, every name comes back "not known", as if none existed: the probe names tell.
    engine = make_engine(dns=NoNetwork(socket.EAI_NONAME))
    verdicts = engine.judge_many(LINKS)
    assert {v.verdict for v in verdicts.values()} == {Verdict.UNVERIFIED}
    assert all("network was unavailable" in v.reason for v in verdicts.values())


@responses.activate
def test_once_the_network_is_down_new_names_are_not_looked_up_again_and_again(make_engine):
    dns = NoNetwork()
    make_engine(dns=dns).judge_many(LINKS)
    # The first failed name, then the probes once; the other eleven links are not verified without a lookup each.
    looked_up = [host for host in dns.asked if host not in PROBE_HOSTS and host != "islwynhigh.co.uk"]
    assert len(looked_up) < 4, dns.asked


@responses.activate
def test_one_unknown_host_among_working_ones_is_still_broken(make_engine):
    responses.head("https://good.example.org/", status=200)
    engine = make_engine(dns=FakeDNS({"gone.example.org": None}))
    good = engine.judge("https://good.example.org/")
    gone = engine.judge("https://gone.example.org/")
    assert good.verdict is Verdict.OK
    assert gone.verdict is Verdict.BROKEN and "does not exist" in gone.reason
    assert not engine.network_unavailable


@responses.activate
def test_a_lookup_that_gets_no_answer_for_one_host_is_not_verified(make_engine):
    class Flaky(FakeDNS):
        def __call__(self, host: str) -> list[str]:
            if host == "servfail.example.org":
                raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
            return super().__call__(host)

    verdict = make_engine(dns=Flaky()).judge("https://servfail.example.org/")
    assert verdict.verdict is Verdict.UNVERIFIED and "got no answer" in verdict.reason


def test_the_probe_uses_the_schools_own_domains_first_and_is_asked_once_a_minute():
    asked: list[str] = []

    def resolver(host: str) -> list[str]:
        asked.append(host)
        if host in ("islwynhigh.co.uk",):
            return [PUBLIC]
        raise OSError("no such host")

    guard = Guard.from_settings(LinkSettings(trusted_domains=("islwynhigh.co.uk",)), resolver)
    for name in ("a.example.org", "b.example.org"):
        with pytest.raises(HostNotFound, match="does not exist") as caught:
            guard.address_for(name)
        assert not caught.value.network
    assert asked == ["a.example.org", "islwynhigh.co.uk", "b.example.org"]


@responses.activate
def test_the_links_check_says_once_that_the_network_was_unavailable_and_fails_nothing(make_engine, school_config):
    import dataclasses

    from auditor.checks import all_checks
    from auditor.model import Post, Profile, Status
    from tests.conftest import context

    engine = make_engine(dns=NoNetwork())
    posts = [Post(str(n), f"Worksheet {url}") for n, url in enumerate(LINKS)]
    ctx = context(school_config, Profile("HistoryIHS"), posts, offline=False)
    ctx = dataclasses.replace(ctx, services=dataclasses.replace(ctx.services, links=engine))
    [result] = all_checks()["links.external_safe"].run(ctx)
    assert result.status is Status.ERROR  # "not verified", never FAIL ("broken") and never PASS
    assert result.reason.startswith("Not verified: the network was unavailable during the audit")
    assert f"{len(LINKS)} of {len(LINKS)} links could not be checked" in result.reason
    assert "broken" not in result.reason.replace("nor as broken", "")
