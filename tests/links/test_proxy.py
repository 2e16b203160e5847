"""The school's filtering proxy: links go through it when configured (or, when asked, from the environment), and the
SSRF rules still apply to each target, so a private target is refused before anything reaches the proxy."""

from __future__ import annotations

import base64
import logging

import pytest
import requests
import responses

from auditor.links.settings import LinkSettings
from auditor.links.verdicts import Verdict
from auditor.net.guard import Guard, use_configured_proxy
from tests.links.conftest import FakeDNS
from tests.links.proxyserver import RecordingProxy

PRIVATE = FakeDNS({"intranet.example": ["10.0.0.5"], "metadata.example": ["169.254.169.254"]})


@pytest.fixture
def proxy():
    with RecordingProxy() as running:
        yield running


def test_a_configured_proxy_carries_the_request_for_a_public_target(make_engine, proxy):
    engine = make_engine(dns=FakeDNS(), proxy=proxy.url)
    verdict = engine.judge("http://public.example/page")
    assert verdict.verdict in (Verdict.OK, Verdict.INSECURE), verdict.reason
    assert ("HEAD", "http://public.example/page") in proxy.requests


@pytest.mark.parametrize(
    "url", ["http://intranet.example/admin", "http://metadata.example/latest", "http://169.254.169.254/latest/"]
)
def test_a_private_target_is_refused_and_never_reaches_the_proxy(make_engine, proxy, url):
    verdict = make_engine(dns=PRIVATE, proxy=proxy.url).judge(url)
    assert verdict.verdict is Verdict.SUSPICIOUS, verdict.reason
    assert proxy.requests == []


def test_a_redirect_to_a_private_address_is_not_followed_through_the_proxy(make_engine, proxy):
    verdict = make_engine(dns=FakeDNS(), proxy=proxy.url).judge("http://public.example/moved")
    assert verdict.verdict is Verdict.SUSPICIOUS and "169.254.169.254" in verdict.reason
    assert proxy.requests == [("HEAD", "http://public.example/moved")]


def test_the_adapter_itself_refuses_a_private_target_before_the_proxy(make_engine, proxy):
    # Defence in depth: even a request that skipped the engine's own check does not reach the proxy.
    engine = make_engine(dns=PRIVATE, proxy=proxy.url)
    with pytest.raises(requests.ConnectionError, match="refused to connect"):
        engine.fetcher.session.get("http://intranet.example/", timeout=2)
    assert proxy.requests == []


def test_https_goes_through_a_connect_tunnel_and_a_refusal_is_not_verified(make_engine, proxy):
    verdict = make_engine(dns=FakeDNS(), proxy=proxy.url).judge("https://secure.example/x")
    assert ("CONNECT", "secure.example:443") in proxy.requests
    assert verdict.verdict is Verdict.UNVERIFIED and "proxy" in verdict.reason


def test_proxy_credentials_come_from_the_environment_and_are_never_shown(make_engine, proxy, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SCHOOL_PROXY_LOGIN", "auditor:s3cret pass")
    engine = make_engine(dns=FakeDNS(), proxy=proxy.url, proxy_credentials_env="SCHOOL_PROXY_LOGIN")
    verdict = engine.judge("http://public.example/page")
    expected = "Basic " + base64.b64encode(b"auditor:s3cret pass").decode()
    assert proxy.authorizations[0] == expected
    assert "s3cret" not in verdict.reason and "s3cret" not in caplog.text


def test_environment_proxies_only_when_asked_and_no_proxy_is_honoured(monkeypatch, proxy):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "direct.example")
    assert Guard(FakeDNS()).proxies_for("http://public.example/") == {}
    asked = Guard(FakeDNS(), proxy_from_environment=True)
    assert asked.proxies_for("http://public.example/").get("http") == proxy.url
    assert asked.proxies_for("http://direct.example/") == {}


def test_the_environment_proxy_is_used_when_asked(make_engine, proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    make_engine(dns=FakeDNS(), proxy_from_environment=True).judge("http://public.example/page")
    assert ("HEAD", "http://public.example/page") in proxy.requests


def test_services_and_list_downloads_use_the_configured_proxy(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://elsewhere.example:8080")
    monkeypatch.setenv("SCHOOL_PROXY_LOGIN", "auditor:pw")
    settings = LinkSettings(proxy="http://proxy.school:3128", proxy_credentials_env="SCHOOL_PROXY_LOGIN")
    session = use_configured_proxy(requests.Session(), settings)
    assert session.proxies == {
        "http": "http://auditor:pw@proxy.school:3128",
        "https": "http://auditor:pw@proxy.school:3128",
    }
    assert session.trust_env is False  # the environment's proxy does not win over the configured one
    untouched = use_configured_proxy(requests.Session(), LinkSettings())
    assert untouched.proxies == {} and untouched.trust_env is True


@responses.activate
def test_a_proxy_asking_for_credentials_leaves_the_link_not_verified_never_broken(make_engine):
    responses.head("http://public.example/page", status=407)
    responses.get("http://public.example/page", status=407)
    verdict = make_engine(dns=FakeDNS()).judge("http://public.example/page")
    assert verdict.verdict is Verdict.UNVERIFIED and "proxy asked for credentials" in verdict.reason
