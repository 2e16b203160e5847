"""Hostile input from the platforms, end to end: what strangers write (posts, bios, names, comments, link targets, alt
text) and what the school typed into its config passes through the real connectors, the checks and the store into
every report page and email, and must come out as inert, escaped text.

Cases covered elsewhere (see docs/reliability.md): zip bombs and hostile archive member names in
tests/connectors/test_x_archive.py, header injection into email in tests/reports/test_email.py, file names from
handles in tests/hardening/test_properties.py.
"""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import responses
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup

import auditor.links
from auditor.cli import main
from auditor.links.blocklists import Blocklists
from auditor.links.engine import LinkEngine
from auditor.links.hosts import BadUrl, normalise
from auditor.links.settings import LinkSettings
from auditor.links.verdicts import Verdict
from tests.conftest import SCHOOL, write_archive, write_config
from tests.connectors import test_mastodon as masto
from tests.connectors.test_x import SEARCH_URL, TOKEN, TWEETS_URL, USER_URL, tweet
from tests.hardening.test_fault_matrix import ACCOUNTS
from tests.links.conftest import FakeDNS, write_lists
from tests.reports.conftest import Inbox, free_port

XSS = (
    '<script>alert("xss")</script><img src=x onerror=alert(1)><iframe src="javascript:alert(2)"></iframe>'
    '<a href="javascript:alert(3)">click</a><x-evil onmouseover=alert(4)>"\'&'
)
INJECTED_TAGS = {"script", "img", "iframe", "x-evil", "object", "embed", "form"}
JS_LINK = "javascript:alert(document.cookie)"
DATA_LINK = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
DEPARTMENT = 'Art <img src=x onerror=alert("dept")>'
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")  # embeddings, overrides, isolates
HOMOGLYPH = "https://www.\u0456slwynhigh.co.uk/ict-acceptable-use-policy"  # Cyrillic small i (U+0456) for the Latin i


def assert_inert(html: str, where: str) -> None:
    """No element, attribute or link that a browser or mail program would act on came from the platforms."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name not in INJECTED_TAGS, f"<{tag.name}> in {where}"
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), f"{name}= on <{tag.name}> in {where}"
            if name.lower() in {"href", "src", "action", "formaction", "xlink:href", "srcset", "background"}:
                target = re.sub(r"[\s\x00-\x1f]", "", str(value)).lower()
                assert not target.startswith(("javascript:", "data:", "vbscript:")), f"{name}={value!r} in {where}"
    assert not BIDI.search(html), f"a raw bidi control character in {where}"


def html_pages(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}


def email_parts(inbox: Inbox) -> Iterable[tuple[str, str, str]]:
    for n, received in enumerate(inbox.received):
        for part in received.message.walk():
            if part.get_content_maintype() == "text":
                yield f"email #{n} ({received.message['Subject']})", part.get_content_subtype(), part.get_content()


def x_live_mocks() -> None:
    user = {
        "data": {
            "id": "42",
            "name": f"History {XSS}",
            "username": "HistoryIHS",
            "description": f"Bio {XSS} \u202eelbat\u202c",
            "url": JS_LINK,
        }
    }
    responses.get(USER_URL, json=user)
    timeline = {
        "data": [
            tweet(
                "1900000000000000003",
                1,
                f"Those idiots {XSS} ring 07700 900123 https://t.co/a https://t.co/b \u202etxt.exe",
                entities={
                    "urls": [
                        {"start": 0, "end": 1, "url": "https://t.co/a", "expanded_url": JS_LINK, "display_url": XSS},
                        {"start": 2, "end": 3, "url": "https://t.co/b", "expanded_url": DATA_LINK, "display_url": "b"},
                    ]
                },
                attachments={"media_keys": ["3_100"]},
            )
        ],
        "includes": {"media": [{"media_key": "3_100", "type": "photo", "url": JS_LINK, "alt_text": XSS}]},
        "meta": {"result_count": 1},
    }
    responses.get(TWEETS_URL, json=timeline)
    replies = {
        "data": [
            {
                "id": "1900000000000000010",
                "text": f"@HistoryIHS you are rubbish idiots {XSS}",
                "edit_history_tweet_ids": ["1900000000000000010"],
                "created_at": tweet("x", 0.5)["created_at"],
                "conversation_id": "1900000000000000003",
                "author_id": "77",
            }
        ],
        "includes": {"users": [{"id": "77", "name": XSS, "username": f"parent{XSS}"}]},
        "meta": {"result_count": 1},
    }
    responses.get(SEARCH_URL, json=replies)


def mastodon_mocks() -> None:
    responses.get(masto.LOOKUP, json=masto.acct(display_name=XSS, note=f"<p>{XSS}</p>", fields=[]))
    hostile = masto.status(
        "9001",
        masto.ago(days=1),
        f'<p>idiots &lt;script&gt;alert(7)&lt;/script&gt; <a href="{JS_LINK}">{XSS}</a></p>',
        url=JS_LINK,  # the permalink a report links to
        media_attachments=[{"id": "1", "type": "image", "url": DATA_LINK, "description": XSS}],
    )
    responses.get(masto.STATUSES, json=[hostile])
    reply = masto.reply("9002", "9001", f"you idiots {XSS}", who=f"troll{XSS}")
    reply["url"] = DATA_LINK
    responses.get(f"{masto.BASE}/api/v1/statuses/9001/context", json={"ancestors": [], "descendants": [reply]})


def hostile_config(tmp_path: Path, inbox_port: int) -> Path:
    write_archive(
        tmp_path / "archive",
        "ArtIHS",
        bio=f"Art {XSS} \u202eevil\u2066 \u200d",
        website=JS_LINK,
        tweets=[
            {
                "id_str": "1001",
                "full_text": f"Our idiots {XSS} \u202emoc.evil text, call 07700 900456 {HOMOGLYPH}",
                "created_at": "Mon Nov 23 09:00:00 +0000 2026",
                "entities": {
                    "urls": [
                        {"url": "https://t.co/j", "expanded_url": JS_LINK, "display_url": XSS},
                        {"url": "https://t.co/d", "expanded_url": DATA_LINK, "display_url": "d"},
                        {"url": "https://t.co/h", "expanded_url": HOMOGLYPH, "display_url": "h"},
                    ],
                    "media": [
                        {
                            "url": "https://t.co/m",
                            "media_url_https": JS_LINK,
                            "expanded_url": DATA_LINK,
                            "type": "photo",
                            "id_str": "5",
                        }
                    ],
                },
            }
        ],
    )
    return write_config(
        tmp_path,
        f"""
        [[accounts]]
        handle = "@ArtIHS"
        platform = "x-archive"
        department = {json.dumps(DEPARTMENT)}
        source = "archive"

        [[accounts]]
        handle = "@HistoryIHS"
        platform = "x"
        department = {json.dumps(DEPARTMENT)}

        [[accounts]]
        handle = "{masto.HANDLE}"
        platform = "mastodon"
        department = "History \u202eyrotsiH"

        [departments.{json.dumps(DEPARTMENT)}]
        head_email = "head.art@islwynhigh.co.uk"

        [departments."History \u202eyrotsiH"]
        head_email = "head.history@islwynhigh.co.uk"

        [email]
        host = "127.0.0.1"
        port = {inbox_port}
        starttls = false
        sender = "Social Media Auditor <auditor@islwynhigh.co.uk>"
        slt = ["slt@islwynhigh.co.uk"]
        retries = 0
        """,
    )


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    box = Inbox(free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """The link engine never uses real DNS in tests: every name resolves to a public address."""
    monkeypatch.setattr(
        auditor.links, "build_engine", functools.partial(auditor.links.build_engine, resolver=FakeDNS())
    )


@responses.activate
def test_injection_and_bidi_tricks_stay_inert_in_every_page_and_email(tmp_path, monkeypatch, inbox, fake_dns):
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    for name in ("SAFE_BROWSING_API_KEY", "URLHAUS_AUTH_KEY"):
        monkeypatch.delenv(name, raising=False)
    x_live_mocks()
    mastodon_mocks()
    responses.add(responses.HEAD, re.compile(r"https://(www\.)?(xn--|islwyn).*"), status=200, content_type="text/html")
    responses.add(responses.GET, re.compile(r"https://(www\.)?(xn--|islwyn).*"), status=200, body="<p>ok</p>")
    config = hostile_config(tmp_path, inbox.port)
    out = tmp_path / "out"

    assert main(["run", "--all", "--config", str(config), "--out", str(out)]) == 1

    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert {a["status"] for a in doc["accounts"]} == {"ok"}, doc["accounts"]
    fails = [f for f in doc["findings"] if f["status"] == "FAIL"]
    # The hostile text really reached the findings: the pages below had something to escape.
    assert any(XSS in (f["evidence"]["excerpt"] or "") for f in fails)
    assert {f["evidence"]["link"] for f in fails if f["check"] == "links.external_safe"} >= {JS_LINK, DATA_LINK}
    # A homoglyph of the school's own domain is flagged as a look-alike, end to end.
    [lookalike] = [f for f in fails if "xn--slwynhigh" in (f["evidence"]["link"] or "")]
    assert "look-alike" in lookalike["reason"] and "mixes Cyrillic and Latin" in lookalike["reason"]
    assert {f["account"] for f in fails if f["check"] == "comments.inappropriate"} >= {"@HistoryIHS", masto.HANDLE}

    pages = html_pages(out)
    assert {"index.html", "accounts/ArtIHS.html"} <= set(pages) and len(pages) >= 6
    for where, html in pages.items():
        assert_inert(html, where)
    art = BeautifulSoup(pages["accounts/ArtIHS.html"], "html.parser").get_text()
    assert '<script>alert("xss")</script>' in art, "the hostile text is shown, escaped, not dropped"
    assert DEPARTMENT in art
    assert "[U+202E]" in art, "a bidi override is shown as a visible marker"

    parts = list(email_parts(inbox))
    assert {kind for _, kind, _ in parts} == {"html", "plain"} and len(inbox.received) >= 3
    for where, kind, body in parts:
        if kind == "html":
            assert_inert(body, where)
        else:
            assert not BIDI.search(body), f"a raw bidi control character in {where}"
    assert any(XSS in BeautifulSoup(b, "html.parser").get_text() for _, k, b in parts if k == "html")


def test_enormous_posts_are_audited_in_bounded_time_with_short_excerpts(tmp_path):
    """A 5 MB post and 100,000 distinct links: audited offline in seconds; reports and findings stay small."""
    rude = "idiots " + "word " * 1_000_000 + "07700 900789"
    tweets = [
        {"id_str": "1", "full_text": rude, "created_at": "Mon Nov 23 09:00:00 +0000 2026"},
        *(
            {
                "id_str": str(10 + n),
                "full_text": " ".join(f"https://site{n}-{m}.example/p" for m in range(1000)),
                "created_at": "Mon Nov 23 08:00:00 +0000 2026",
            }
            for n in range(100)
        ),
    ]
    write_archive(tmp_path / "archive", "ArtIHS", bio="x" * 200_000, tweets=tweets)
    config = write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@ArtIHS"
        platform = "x-archive"
        department = "Art"
        source = "archive"
        """,
    )
    out = tmp_path / "out"
    # CPU time, not the clock: the bound is on the work done (nothing quadratic in a post's length or its links),
    # which other programs loading the machine do not change.
    started = time.process_time()
    code = main(["run", "--all", "--offline", "--config", str(config), "--out", str(out), "--no-email"])
    elapsed = time.process_time() - started

    assert code == 1
    assert elapsed < 60, f"{elapsed:.1f} s"
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert doc["accounts"][0]["posts_examined"] == 101
    assert any(f["check"] == "content.professional" and f["status"] == "FAIL" for f in doc["findings"])
    assert max(len(f["evidence"]["excerpt"] or "") for f in doc["findings"]) <= 1000
    assert (out / "findings.json").stat().st_size < 50 * 1024 * 1024
    for path in out.rglob("*.html"):
        assert "word " * 200 not in path.read_text(encoding="utf-8"), f"{path} shows an untruncated excerpt"


DEEP = {
    "objects": '{"data":' * 10_000 + "1" + "}" * 10_000,
    "arrays": "[" * 10_000 + "]" * 10_000,
}


@pytest.mark.parametrize("shape", list(DEEP))
@pytest.mark.parametrize("platform", ["x", "facebook", "instagram", "youtube", "mastodon", "bluesky"])
@responses.activate
def test_deeply_nested_json_from_a_live_api_is_an_account_error(tmp_path, monkeypatch, platform, shape):
    for name in ("X_BEARER_TOKEN", "META_ACCESS_TOKEN", "YOUTUBE_API_KEY"):
        monkeypatch.setenv(name, TOKEN)
    responses.add(responses.GET, re.compile(r".*"), body=DEEP[shape], content_type="application/json")
    write_archive(tmp_path / "archive", "ArtIHS", bio="AUP https://www.islwynhigh.co.uk/ict-acceptable-use-policy")
    config = tmp_path / "config.toml"
    config.write_text(
        SCHOOL
        + f"""
[[accounts]]
handle = "@ArtIHS"
platform = "x-archive"
department = "Art"
source = "archive"

[[accounts]]
{ACCOUNTS[platform]}
platform = "{platform}"
department = "History"
""",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["run", "--all", "--config", str(config), "--out", str(out), "--no-email"]) == 3
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    states = {a["platform"]: (a["status"], a["error"]) for a in doc["accounts"]}
    assert states["x-archive"][0] == "ok"
    status, reason = states[platform]
    assert status == "error"
    # The connector's own plain reason, not the runner's fallback for an exception nobody expected.
    assert reason and not reason.startswith("unexpected") and "Recursion" not in reason, reason


@pytest.mark.parametrize(
    "link",
    [
        "https://bad%73ite.example/",  # percent-encoded letter: browsers decode the host before they look it up
        "https://www.BADSITE.example./x",
        "https://badsite\u3002example/",  # ideographic full stop, which browsers read as a dot
        "https://\uff42adsite.example/",  # fullwidth letter
        "https://bad\u00adsite.example/",  # soft hyphen, which IDNA maps to nothing
    ],
)
@responses.activate  # nothing is fetched: a listed host is judged before any request
def test_disguised_blocklisted_host_is_still_matched(tmp_path, link):
    lists = write_lists(tmp_path / "lists", {"adult": {"domains": ["badsite.example"]}})
    engine = LinkEngine(LinkSettings(), resolver=FakeDNS(), blocklists=Blocklists(lists, ["adult"]))
    try:
        verdict = engine.judge(link)
    finally:
        engine.close()
    assert verdict.verdict is Verdict.INAPPROPRIATE, verdict.reason


def test_host_with_characters_no_address_may_have_is_refused():
    for link in ("https://bad%2Fsite.example/", "https://a%20b.example/", "https://a%00.example/"):
        with pytest.raises(BadUrl):
            normalise(link)
