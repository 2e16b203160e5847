"""Every verdict, with `responses` standing in for the web and a fake resolver for DNS."""

import json

import pytest
import requests
import responses

from auditor.links.hosts import normalise
from auditor.links.threatintel import SAFE_BROWSING_URL, URLHAUS_URL, SafeBrowsing, URLhaus
from auditor.links.verdicts import Verdict
from tests.links.conftest import FakeDNS


@responses.activate
def test_ok_page_is_ok_and_judged_once_per_run(make_engine):
    responses.head("https://example.org/page", status=200)
    engine = make_engine()
    verdicts = engine.judge_many(["https://example.org/page", "example.org/page", "https://EXAMPLE.org/page#x"])
    assert {v.verdict for v in verdicts.values()} == {Verdict.OK}
    assert engine.judge("https://example.org/page").verdict is Verdict.OK
    assert len(responses.calls) == 1
    assert responses.calls[0].request.method == "HEAD"


@responses.activate
def test_school_domains_are_trusted_without_a_request(make_engine):
    verdict = make_engine().judge("https://www.islwynhigh.co.uk/news")
    assert verdict.verdict is Verdict.OK and verdict.source == "trusted"
    assert len(responses.calls) == 0


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "data:text/html;base64,PHNjcmlwdD4=",
                                 "vbscript:msgbox(1)", "file:///etc/passwd", " JavaScript:void(0)"])  # fmt: skip
def test_dangerous_schemes_are_unsafe(make_engine, url):
    verdict = make_engine().judge(url)
    assert verdict.verdict is Verdict.UNSAFE and verdict.source == "scheme"


def test_mailto_is_not_a_web_site(make_engine):
    assert make_engine().judge("mailto:office@example.org").verdict is Verdict.OK


@responses.activate
@pytest.mark.parametrize(
    ("url", "entry"),
    [
        ("http://2130706433/", "127.0.0.1"),
        ("http://0x7f.1/admin", "127.0.0.1"),
        ("http://[::1]:8080/", "::1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("https://8.8.8.8/", "8.8.8.8"),
    ],
)
def test_ip_literal_hosts_are_suspicious_and_never_requested(make_engine, url, entry):
    dns = FakeDNS()
    verdict = make_engine(dns=dns).judge(url)
    assert verdict.verdict is Verdict.SUSPICIOUS and verdict.entry == entry
    assert "not opened" in verdict.reason
    assert len(responses.calls) == 0 and dns.asked == []


@responses.activate
@pytest.mark.parametrize("url", ["http://localhost:8000/", "http://printer.local/", "http://intranet/"])
def test_local_names_are_suspicious_and_never_requested(make_engine, url):
    assert make_engine().judge(url).verdict is Verdict.SUSPICIOUS
    assert len(responses.calls) == 0


@responses.activate
def test_lookalike_host_is_suspicious(make_engine):
    verdict = make_engine().judge("https://xn--pple-43d.com/")
    assert verdict.verdict is Verdict.SUSPICIOUS and verdict.source == "lookalike"
    assert "Cyrillic" in verdict.reason
    assert len(responses.calls) == 0


@responses.activate
def test_blocklisted_domain_and_subdomain_are_inappropriate_with_list_evidence(make_engine):
    engine = make_engine(lists={"adult": {"domains": ["badsite.example"]}, "malware": {"domains": ["evil.example"]}})
    for url in ("https://badsite.example/", "https://www.badsite.example/x"):
        verdict = engine.judge(url)
        assert verdict.verdict is Verdict.INAPPROPRIATE
        assert verdict.source == "blocklist:adult" and verdict.entry == "badsite.example"
        assert verdict.list_version and verdict.list_version in verdict.reason
    assert engine.judge("https://cdn.evil.example/").verdict is Verdict.UNSAFE
    assert engine.blocklists.match("notbadsite.example") is None


@responses.activate
def test_redirect_chain_is_followed_by_hand_and_each_hop_judged(make_engine):
    responses.head("https://bit.ly/abc", status=301, headers={"Location": "https://news.example.org/a"})
    responses.head("https://news.example.org/a", status=302, headers={"Location": "/b"})
    responses.head("https://news.example.org/b", status=200)
    verdict = make_engine().judge("https://bit.ly/abc")
    assert verdict.verdict is Verdict.OK
    assert verdict.chain == ("https://bit.ly/abc", "https://news.example.org/a", "https://news.example.org/b")
    assert [c.request.url for c in responses.calls] == list(verdict.chain)


@responses.activate
def test_redirect_to_a_blocklisted_site_is_inappropriate_and_not_requested(make_engine):
    responses.head("https://bit.ly/x", status=301, headers={"Location": "https://www.badsite.example/"})
    engine = make_engine(lists={"gambling": {"domains": ["badsite.example"]}})
    verdict = engine.judge("https://bit.ly/x")
    assert verdict.verdict is Verdict.INAPPROPRIATE
    assert "Redirects: https://bit.ly/x -> https://www.badsite.example/" in verdict.reason
    assert len(responses.calls) == 1


@responses.activate
@pytest.mark.parametrize(
    "location", ["http://169.254.169.254/latest/meta-data/", "http://2130706433/", "http://internal.example.org/"]
)
def test_redirect_to_a_private_address_is_never_requested(make_engine, location):
    responses.head("https://shady.example.com/go", status=302, headers={"Location": location})
    dns = FakeDNS({"internal.example.org": ["10.0.0.5"]})
    verdict = make_engine(dns=dns).judge("https://shady.example.com/go")
    assert verdict.verdict is Verdict.SUSPICIOUS
    assert "not" in verdict.reason and verdict.chain[-1] == normalise(location).url in verdict.reason
    assert [c.request.url for c in responses.calls] == ["https://shady.example.com/go"]


@responses.activate
def test_host_resolving_to_a_private_address_is_never_requested(make_engine):
    dns = FakeDNS({"rebind.example.com": ["93.184.215.14", "127.0.0.1"]})
    verdict = make_engine(dns=dns).judge("https://rebind.example.com/")
    assert verdict.verdict is Verdict.SUSPICIOUS and "127.0.0.1" in verdict.reason
    assert len(responses.calls) == 0


@responses.activate
def test_redirect_to_an_unrelated_domain_is_suspicious(make_engine):
    responses.head("https://charity.example.org/donate", status=302, headers={"Location": "https://pay.other.example/"})
    responses.head("https://pay.other.example/", status=200)
    verdict = make_engine().judge("https://charity.example.org/donate")
    assert verdict.verdict is Verdict.SUSPICIOUS and "unrelated" in verdict.reason


@responses.activate
@pytest.mark.parametrize(
    ("start", "final"),
    [
        ("https://islwynhistory.blogspot.com/trip", "https://free-prizes.blogspot.com/"),
        ("https://www.islwynhigh.caerphilly.sch.uk/news", "https://other.caerphilly.sch.uk/"),
    ],
)
def test_a_redirect_to_another_owner_on_a_shared_suffix_leaves_the_site(make_engine, start, final):
    # Two blogs on one blog host, or two schools under one local authority's sch.uk name, are different owners: the
    # Public Suffix List says so, where a two-label guess called each pair one site.
    responses.head(start, status=301, headers={"Location": final})
    responses.head(final, status=200)
    verdict = make_engine().judge(start)
    assert verdict.verdict is Verdict.SUSPICIOUS and "unrelated site" in verdict.reason


@responses.activate
def test_shortener_that_cannot_be_expanded_is_suspicious(make_engine):
    responses.head("https://bit.ly/gone", status=404)
    responses.get("https://bit.ly/gone", status=404)
    verdict = make_engine().judge("https://bit.ly/gone")
    assert verdict.verdict is Verdict.SUSPICIOUS and "could not be expanded" in verdict.reason


@responses.activate
@pytest.mark.parametrize("status", [404, 410])
def test_missing_pages_are_broken_after_a_get_confirms(make_engine, status):
    responses.head("https://example.org/old", status=status)
    responses.get("https://example.org/old", status=status, body=b"x" * 100_000)
    verdict = make_engine().judge("https://example.org/old")
    assert verdict.verdict is Verdict.BROKEN and f"HTTP {status}" in verdict.reason
    assert [c.request.method for c in responses.calls] == ["HEAD", "GET"]


@responses.activate
def test_head_refused_falls_back_to_get(make_engine):
    responses.head("https://example.org/app", status=405)
    responses.get("https://example.org/app", status=200, body=b"<html>")
    assert make_engine().judge("https://example.org/app").verdict is Verdict.OK


@responses.activate
def test_host_that_does_not_exist_is_broken(make_engine):
    dns = FakeDNS({"no-such-host.example": None})
    verdict = make_engine(dns=dns).judge("https://no-such-host.example/")
    assert verdict.verdict is Verdict.BROKEN and "does not exist" in verdict.reason
    assert len(responses.calls) == 0


@responses.activate
def test_tls_failure_is_broken(make_engine):
    responses.head("https://expired.example.org/", body=requests.exceptions.SSLError("certificate has expired"))
    verdict = make_engine().judge("https://expired.example.org/")
    assert verdict.verdict is Verdict.BROKEN and "TLS" in verdict.reason


@responses.activate
def test_plain_http_where_https_works_is_insecure(make_engine):
    responses.head("http://club.example.org/fixtures", status=200)
    responses.head("https://club.example.org/fixtures", status=200)
    verdict = make_engine().judge("http://club.example.org/fixtures")
    assert verdict.verdict is Verdict.INSECURE and verdict.entry == "https://club.example.org/fixtures"


@responses.activate
def test_plain_http_where_https_fails_is_ok(make_engine):
    responses.head("http://old.example.org/", status=200)
    responses.head("https://old.example.org/", body=requests.exceptions.SSLError("no"))
    assert make_engine().judge("http://old.example.org/").verdict is Verdict.OK


@responses.activate
@pytest.mark.parametrize("status", [401, 403, 999, 503])
def test_refusals_are_unverified_not_broken(make_engine, status):
    responses.head("https://linkedin.example.com/in/x", status=status)
    responses.get("https://linkedin.example.com/in/x", status=status)
    verdict = make_engine().judge("https://linkedin.example.com/in/x")
    assert verdict.verdict is Verdict.UNVERIFIED and f"HTTP {status}" in verdict.reason


@responses.activate
def test_timeout_is_unverified(make_engine):
    responses.head("https://slow.example.org/", body=requests.exceptions.ReadTimeout())
    assert make_engine().judge("https://slow.example.org/").verdict is Verdict.UNVERIFIED


@responses.activate
def test_429_backs_off_as_retry_after_asks_then_succeeds(make_engine):
    responses.head("https://busy.example.org/", status=429, headers={"Retry-After": "7"})
    responses.head("https://busy.example.org/", status=429)
    responses.head("https://busy.example.org/", status=200)
    sleeps: list[float] = []
    verdict = make_engine(sleeps=sleeps).judge("https://busy.example.org/")
    assert verdict.verdict is Verdict.OK
    assert sleeps == [7.0, 2.0]  # Retry-After honoured, then exponential backoff
    assert len(responses.calls) == 3


@responses.activate
def test_429_that_persists_or_asks_too_long_is_unverified(make_engine):
    responses.head("https://busy.example.org/", status=429, headers={"Retry-After": "3600"})
    sleeps: list[float] = []
    verdict = make_engine(sleeps=sleeps).judge("https://busy.example.org/")
    assert verdict.verdict is Verdict.UNVERIFIED and "429" in verdict.reason
    assert sleeps == []


@responses.activate
def test_too_many_redirects_is_broken(make_engine):
    responses.head("https://loop.example.org/a", status=302, headers={"Location": "/b"})
    responses.head("https://loop.example.org/b", status=302, headers={"Location": "/a"})
    verdict = make_engine().judge("https://loop.example.org/a")
    assert verdict.verdict is Verdict.BROKEN and "more than 10" in verdict.reason
    assert len(responses.calls) == 11


@responses.activate
def test_offline_runs_the_offline_checks_and_leaves_the_rest_unverified(make_engine):
    engine = make_engine(offline=True, lists={"adult": {"domains": ["badsite.example"]}})
    assert engine.judge("https://example.org/").verdict is Verdict.UNVERIFIED
    assert engine.judge("https://badsite.example/").verdict is Verdict.INAPPROPRIATE
    assert engine.judge("http://2130706433/").verdict is Verdict.SUSPICIOUS
    assert engine.judge("javascript:x").verdict is Verdict.UNSAFE
    assert len(responses.calls) == 0


@responses.activate
def test_good_results_are_cached_and_failures_are_not(make_engine, tmp_path):
    responses.head("https://good.example.org/", status=200)
    responses.head("https://gone.example.org/", status=404)
    responses.get("https://gone.example.org/", status=404)
    responses.head("https://shy.example.org/", status=403)
    responses.get("https://shy.example.org/", status=403)
    urls = ["https://good.example.org/", "https://gone.example.org/", "https://shy.example.org/"]
    first = make_engine(cache=tmp_path / "cache.sqlite3")
    first.judge_many(urls)
    first.close()
    before = len(responses.calls)
    second = make_engine(cache=tmp_path / "cache.sqlite3")
    verdicts = second.judge_many(urls)
    assert verdicts["https://good.example.org/"].cached
    assert sorted(c.request.url for c in responses.calls[before:] if c.request.method == "HEAD") == urls[1:]


@responses.activate
def test_cache_entries_expire_after_the_configured_age(make_engine, tmp_path):
    responses.head("https://good.example.org/", status=200)
    make_engine(cache=tmp_path / "c.sqlite3", cache_max_age_hours=0.0).judge("https://good.example.org/")
    make_engine(cache=tmp_path / "c.sqlite3").judge("https://good.example.org/")
    assert len(responses.calls) == 2


KEY = "AIzaTESTKEY-never-shown"


@responses.activate
def test_safe_browsing_request_and_match(make_engine):
    responses.head("https://free-prizes.example/", status=200)
    responses.post(
        SAFE_BROWSING_URL,
        json={
            "matches": [
                {
                    "threatType": "SOCIAL_ENGINEERING",
                    "platformType": "ANY_PLATFORM",
                    "threatEntryType": "URL",
                    "threat": {"url": "https://free-prizes.example/"},
                    "cacheDuration": "300s",
                }
            ]
        },
    )
    engine = make_engine()
    engine.safe_browsing = SafeBrowsing(KEY)
    verdict = engine.judge("https://free-prizes.example/")
    assert verdict.verdict is Verdict.UNSAFE and verdict.source == "Google Safe Browsing"
    assert "SOCIAL_ENGINEERING" in verdict.reason and KEY not in verdict.reason
    call = next(c for c in responses.calls if c.request.url.startswith(SAFE_BROWSING_URL))
    assert call.request.headers["X-Goog-Api-Key"] == KEY and KEY not in call.request.url
    body = json.loads(call.request.body)
    assert body["client"]["clientId"] == "ihs-social-auditor"
    info = body["threatInfo"]
    assert set(info["threatTypes"]) >= {"MALWARE", "SOCIAL_ENGINEERING"}
    assert info["platformTypes"] == ["ANY_PLATFORM"] and info["threatEntryTypes"] == ["URL"]
    assert info["threatEntries"] == [{"url": "https://free-prizes.example/"}]
    assert verdict.extra["cache_seconds"] == 300.0


@responses.activate
def test_safe_browsing_no_match_is_ok_and_failure_is_unverified(make_engine):
    responses.head("https://example.org/", status=200)
    responses.post(SAFE_BROWSING_URL, json={})
    engine = make_engine()
    engine.safe_browsing = SafeBrowsing(KEY)
    assert engine.judge("https://example.org/").verdict is Verdict.OK
    responses.head("https://example.net/", status=200)
    responses.replace(responses.POST, SAFE_BROWSING_URL, status=429, json={"error": {"message": f"quota {KEY}"}})
    verdict = engine.judge("https://example.net/")
    assert verdict.verdict is Verdict.UNVERIFIED and "Safe Browsing" in verdict.reason
    assert KEY not in verdict.reason


@responses.activate
def test_urlhaus_request_and_match(make_engine):
    responses.head("https://files.example/payload.exe", status=200)
    responses.post(
        URLHAUS_URL,
        json={
            "query_status": "ok",
            "id": "105821",
            "urlhaus_reference": "https://urlhaus.abuse.ch/url/105821/",
            "url": "https://files.example/payload.exe",
            "url_status": "online",
            "threat": "malware_download",
            "tags": ["exe"],
        },
    )
    engine = make_engine()
    engine.urlhaus = URLhaus("urlhaus-secret-key")
    verdict = engine.judge("https://files.example/payload.exe")
    assert verdict.verdict is Verdict.UNSAFE and verdict.source == "URLhaus"
    assert "malware_download" in verdict.reason and "urlhaus.abuse.ch/url/105821" in verdict.reason
    call = next(c for c in responses.calls if c.request.url == URLHAUS_URL)
    assert call.request.headers["Auth-Key"] == "urlhaus-secret-key"
    assert call.request.body == "url=https%3A%2F%2Ffiles.example%2Fpayload.exe"


@responses.activate
def test_urlhaus_no_results_is_ok(make_engine):
    responses.head("https://example.org/", status=200)
    responses.post(URLHAUS_URL, json={"query_status": "no_results"})
    engine = make_engine()
    engine.urlhaus = URLhaus("k" * 20)
    assert engine.judge("https://example.org/").verdict is Verdict.OK


@responses.activate
def test_threat_matches_are_kept_only_as_long_as_the_service_allows(make_engine, tmp_path):
    match = {"threatType": "MALWARE", "threat": {"url": "https://bad.example/"}, "cacheDuration": "300s"}
    responses.head("https://bad.example/", status=200)
    responses.post(SAFE_BROWSING_URL, json={"matches": [match]})
    first = make_engine(cache=tmp_path / "c.sqlite3")
    first.safe_browsing = SafeBrowsing(KEY)
    assert first.judge("https://bad.example/").verdict is Verdict.UNSAFE
    first.close()
    second = make_engine(cache=tmp_path / "c.sqlite3")
    cached = second.judge("https://bad.example/")
    assert cached.verdict is Verdict.UNSAFE and cached.cached
    row = second.cache._db.execute("SELECT expires_at FROM verdicts").fetchone()
    import time

    assert row[0] - time.time() <= 300

    responses.head("https://payload.example/", status=200)
    responses.post(URLHAUS_URL, json={"query_status": "ok", "threat": "malware_download"})
    second.urlhaus = URLhaus("k" * 20)
    assert second.judge("https://payload.example/").verdict is Verdict.UNSAFE
    assert second.cache.get("https://payload.example/") is None  # URLhaus states no allowance: never stored
