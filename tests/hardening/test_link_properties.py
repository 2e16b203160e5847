"""Property-based tests for the link normaliser and the link engine's judgement: any text in, a normalised address or
a clean refusal (BadUrl) out, never another exception; normalising twice changes nothing; and the engine gives every
text a verdict, online (every fetch answered by `responses`) or offline."""

from __future__ import annotations

import re

import responses
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from auditor.links.engine import LinkEngine
from auditor.links.hosts import (
    BadUrl,
    forbidden_reason,
    lookalike_reason,
    normalise,
    parse_ip_literal,
    registrable_domain,
)
from auditor.links.settings import LinkSettings
from auditor.links.verdicts import LinkVerdict, Verdict
from tests.links.conftest import FakeDNS

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Host names as platforms send them: ASCII, look-alike Cyrillic and Greek letters, digits in every IP form, IDNA
# oddities (empty labels, trailing dots, punycode prefixes), brackets and zone ids, and the controls that hide things.
_HOST_CHARS = st.sampled_from(
    [*"abcxyz019.-_[]:%@", "xn--", "0x", "\u0456", "\u03bf", "\u00df", "\u200d", "\u202e", "ＡＢ", "\ufe0f", "\x00"]
)
_HOSTS = st.lists(_HOST_CHARS, min_size=0, max_size=24).map("".join)
_SCHEMES = st.sampled_from(
    [
        "",
        "http://",
        "https://",
        "HTTPS://",
        "javascript:",
        "data:",
        "mailto:",
        "ftp://",
        "//",
        "https:",
        "hTtP://",
        "x:",
    ]
)
_PATHS = st.lists(st.sampled_from([*"/?#&=%.a1 \t\n", "\u202e", "..", "%2e", "\\"]), max_size=12).map("".join)
URLISH = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda s, h, port, p: f"{s}{h}{port}{p}",
        _SCHEMES,
        _HOSTS,
        st.sampled_from(["", ":80", ":443", ":0", ":99999", ":x", ":"]),
        _PATHS,
    ),
)


@FAST
@given(URLISH)
@example("https://www.\u0456slwynhigh.co.uk/")
@example("http://[::ffff:127.0.0.1]:80/")
@example("https://a..b/")
@example("https://xn--/")
@example("https://" + "a" * 64 + ".example/")
@example("https://ﬁ.example/")
@example("0/ ?")  # a space at the end of the path
@example("\ufe00")  # a variation selector alone: mapped to nothing by UTS 46
@example("https://\u00ad/")  # a soft hyphen alone
def test_normalise_returns_an_address_or_refuses_cleanly(text):
    try:
        parsed = normalise(text)
    except BadUrl as exc:
        assert str(exc)  # a plain reason, for the finding
        return
    again = normalise(parsed.url)
    assert again.url == parsed.url, "normalising is idempotent"
    assert (again.scheme, again.host, again.port, again.ip) == (parsed.scheme, parsed.host, parsed.port, parsed.ip)
    if parsed.scheme in ("http", "https"):
        assert parsed.host and parsed.host.isascii()
        assert "#" not in parsed.url
        # The helpers the engine calls on a parsed address answer without raising.
        lookalike_reason(parsed.display_host)
        registrable_domain(parsed.host)
        if parsed.ip is not None:
            forbidden_reason(parsed.ip)


@FAST
@given(_HOSTS)
@example("0x-a")  # a sign after 0x: int() reads -10
@example("0x1_0.0.0.1")  # an underscore: int() reads 16
def test_ip_literal_parsing_never_raises(host):
    ip = parse_ip_literal(host)
    if ip is not None:
        forbidden_reason(ip)


def _engine(offline: bool) -> LinkEngine:
    return LinkEngine(
        LinkSettings(workers=1, host_gap=0.0, max_retry_wait=0.0),
        offline=offline,
        resolver=FakeDNS(),
        sleep=lambda _s: None,
    )


def _assert_verdict(text: str, verdict: LinkVerdict) -> None:
    assert isinstance(verdict.verdict, Verdict)
    assert verdict.reason and "Traceback" not in verdict.reason


@FAST
@given(URLISH)
def test_offline_engine_gives_every_text_a_verdict(text):
    engine = _engine(offline=True)
    try:
        _assert_verdict(text, engine.judge(text))
    finally:
        engine.close()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(URLISH)
def test_online_engine_gives_every_text_a_verdict(text):
    engine = _engine(offline=False)
    try:
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            for method in (responses.HEAD, responses.GET):
                mock.add(method, re.compile(r".*"), status=200, body="<p>ok</p>", content_type="text/html")
            _assert_verdict(text, engine.judge(text))
    finally:
        engine.close()
