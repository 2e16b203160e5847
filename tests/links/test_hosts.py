import ipaddress

import pytest

from auditor.links.hosts import (
    BadUrl,
    forbidden_reason,
    lookalike_reason,
    normalise,
    parse_ip_literal,
    registrable_domain,
    to_unicode,
)
from auditor.urls import host_of


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "2130706433", "0x7f000001", "0x7F.0.0.1", "0177.0.0.1", "0177.0.0.01", "127.1", "127.0.1", "0x7f.1"],
)
def test_every_ipv4_spelling_of_loopback_is_read_as_loopback(host):
    assert parse_ip_literal(host) == ipaddress.IPv4Address("127.0.0.1")
    assert "loopback" in forbidden_reason(parse_ip_literal(host))


@pytest.mark.parametrize(
    ("host", "words"),
    [
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not on the public internet"),
        ("[::1]", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
    ],
)
def test_forbidden_ranges(host, words):
    ip = parse_ip_literal(host)
    assert ip is not None
    assert words in forbidden_reason(ip)


@pytest.mark.parametrize("host", ["8.8.8.8", "134744072", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(host):
    assert forbidden_reason(parse_ip_literal(host)) is None


@pytest.mark.parametrize("host", ["example.com", "256.1.1.1", "1.2.3.4.5", "08.1.1.1", "bbc.co.uk", "12a.com"])
def test_names_are_not_ip_literals(host):
    assert parse_ip_literal(host) is None


def test_normalise_reads_links_as_a_browser_does():
    assert normalise("HTTP://Example.ORG:80/a?b=1#top").url == "http://example.org/a?b=1"
    assert normalise("www.bbc.co.uk/news").url == "https://www.bbc.co.uk/news"
    assert normalise("example.org:8080/x").url == "https://example.org:8080/x"
    assert normalise("http://2130706433:8000/").ip == ipaddress.IPv4Address("127.0.0.1")
    assert normalise("http://[::1]/").url == "http://[::1]/"
    assert normalise("javascript:alert(1)").scheme == "javascript"
    with pytest.raises(BadUrl):
        normalise("http://")
    with pytest.raises(BadUrl):
        normalise("http://example.org:99999/")


def test_punycode_is_decoded_for_lookalike_checks():
    parsed = normalise("https://xn--pple-43d.com/login")  # "apple.com" with a Cyrillic first letter
    assert parsed.host == "xn--pple-43d.com"
    assert parsed.display_host == to_unicode("xn--pple-43d.com") == "\u0430pple.com"
    assert "Cyrillic and Latin" in lookalike_reason(parsed.display_host)
    assert "look like Latin" in lookalike_reason("\u0430\u0440\u0440\u04cf\u0435.com")  # all-Cyrillic "apple"
    assert normalise("http://\u0430pple.com/").host == "xn--pple-43d.com"


@pytest.mark.parametrize("host", ["bücher.de", "münchen.de", "例え.jp", "example.com", "παράδειγμα.gr"])
def test_honest_international_names_are_not_lookalikes(host):
    assert lookalike_reason(host) is None


def test_registrable_domain():
    assert registrable_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert registrable_domain("www.example.com") == "example.com"
    # gov.wales is the Welsh Government's own domain under the .wales top-level domain, not a public suffix.
    assert registrable_domain("a.b.gov.wales") == "gov.wales"
    # The Public Suffix List's private section: each blog on a shared host is its own site ...
    assert registrable_domain("school.blogspot.com") == "school.blogspot.com"
    assert registrable_domain("evil.blogspot.com") == "evil.blogspot.com"
    # ... and so is each school under a local authority's sch.uk name.
    assert registrable_domain("www.islwynhigh.caerphilly.sch.uk") == "islwynhigh.caerphilly.sch.uk"
    assert registrable_domain("other.caerphilly.sch.uk") == "other.caerphilly.sch.uk"
    assert registrable_domain("10.9.8.7") == "10.9.8.7"
    assert registrable_domain("co.uk") == "co.uk"


def test_host_names_are_read_with_idna_2008_as_browsers_do():
    # IDNA 2003 read "faß.de" as "fass.de", another site; browsers keep the sharp s (UTS 46, non-transitional).
    assert normalise("https://faß.de/x").host == "xn--fa-hia.de"
    assert normalise("https://fass.de/x").host == "fass.de"
    # Names idna refuses but browsers open (an underscore) are still read, label by label.
    assert normalise("https://my_site.example.org/").host == "my_site.example.org"


@pytest.mark.parametrize(
    ("link", "address"),
    [("https://１２７.０.０.１/", "127.0.0.1"), ("https://²/", "0.0.0.2"), ("http://０ｘ７ｆ.１/x", "127.0.0.1")],
)
def test_numbers_that_idna_mapping_produces_are_ip_addresses(link, address):
    parsed = normalise(link)
    assert parsed.ip is not None and str(parsed.ip) == address
    assert normalise(parsed.url).url == parsed.url  # reading it again changes nothing


@pytest.mark.parametrize(
    ("link", "host"),
    [
        # WHATWG URL: in web addresses a backslash is a slash, so the authority ends there and the rest is the path.
        ("https://evil.example\\@www.islwynhigh.co.uk/x", "evil.example"),
        ("evil.example\\@www.islwynhigh.co.uk/x", "evil.example"),
        ("https:\\\\evil.example\\x", "evil.example"),
        ("https:/evil.example/x", "evil.example"),
        ("https:///evil.example/x", "evil.example"),
        ("https:evil.example/x", "evil.example"),
        # The host is after the last @: what comes before it is a user name, not where the link goes.
        ("https://www.islwynhigh.co.uk@evil.example/", "evil.example"),
        ("https://a@b@evil.example/", "evil.example"),
        # Tabs and newlines anywhere are dropped.
        ("https://evil.exa\nmple/\tx", "evil.example"),
        # A backslash in the query does not end anything.
        ("https://evil.example/x?next=\\www.islwynhigh.co.uk", "evil.example"),
    ],
)
def test_host_is_where_a_browser_goes_and_both_readers_agree(link, host):
    assert normalise(link).host == host
    assert host_of(link) == host


def test_backslashes_become_slashes_only_before_the_query():
    assert normalise("https://evil.example\\@school.example/a\\b?q=\\x").url == (
        "https://evil.example/@school.example/a/b?q=\\x"
    )


def test_newline_inside_a_scheme_still_reads_as_that_scheme():
    assert normalise("java\nscript:alert(1)").scheme == "javascript"


def test_number_parts_are_read_as_a_browser_reads_them_not_as_python_int_does():
    # int() accepts a sign, underscores and spaces; a browser's IPv4 parser accepts none of them.
    assert parse_ip_literal("0x-a") is None
    assert parse_ip_literal("1_0.0.0.1") is None and parse_ip_literal("0x1_0.0.0.1") is None
    assert parse_ip_literal(" 1.2.3.4") is None
    assert str(parse_ip_literal("0x")) == "0.0.0.0"
    assert str(parse_ip_literal("0x7f.1")) == "127.0.0.1"
