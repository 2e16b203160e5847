"""Secrets never leak: a full `auditor -vv run` over accounts on every platform, with known fake tokens in the
environment, platforms replayed with `responses` (some answering with real-shaped data, some refusing with error
bodies that echo the token back), email delivered to a real SMTP server on 127.0.0.1 and then refused at login with
the password echoed back. Every log line, output file, email, database row (and the raw database bytes, WAL included),
stdout/stderr and request URL is then searched for every secret."""

from __future__ import annotations

import functools
import json
import logging
import re
import sqlite3
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
import responses
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from requests import PreparedRequest
from responses import matchers

import auditor.links
from auditor.cli import main
from auditor.links.threatintel import SAFE_BROWSING_URL, URLHAUS_URL
from tests.conftest import write_archive
from tests.connectors import test_bluesky as bsky
from tests.connectors import test_feed as feed
from tests.connectors import test_mastodon as masto
from tests.connectors import test_youtube as yt
from tests.connectors.test_live_run import GRAPH, META_TOKEN, X_TOKEN, mock_platforms
from tests.links.conftest import FakeDNS
from tests.reports.conftest import Inbox, free_port

SECRETS = {
    "X_BEARER_TOKEN": X_TOKEN,
    "META_ACCESS_TOKEN": META_TOKEN,
    "YOUTUBE_API_KEY": "AIzaSyFakeYouTubeKey-0123456789abcdefgh",
    "SMTP_PASSWORD": "smtp-Fake-Passw0rd-correct-horse",
    "SAFE_BROWSING_API_KEY": "AIzaSyFakeSafeBrowsingKey-9876543210zyx",
    "URLHAUS_AUTH_KEY": "urlhaus-fake-auth-key-5f4e3d2c1b0a",
}
PHISH = "https://login-islwynhigh.example/verify"

ACCOUNTS = f"""
[[accounts]]
handle = "@HistoryIHS"
platform = "x"
department = "History"
owner = "history@islwynhigh.co.uk"
notified = 2024-09-02
credentials_shared = true

[[accounts]]
handle = "@ScienceIHS"
platform = "facebook"
department = "Science"
page_id = "1234"

[[accounts]]
handle = "@musicihs"
platform = "instagram"
department = "Music"
ig_user_id = "17841400000000001"

[[accounts]]
handle = "@historyihs"
platform = "youtube"
department = "History"

[[accounts]]
handle = "{masto.HANDLE}"
platform = "mastodon"
department = "History"

[[accounts]]
handle = "@{bsky.HANDLE}"
platform = "bluesky"
department = "History"

[[accounts]]
handle = "@HistoryBlogIHS"
platform = "feed"
department = "History"
source = "{feed.URL}"

[[accounts]]
handle = "@ArtIHS"
platform = "x-archive"
department = "Art"
owner = "art@islwynhigh.co.uk"
source = "archive"

[departments.History]
head_email = "head.history@islwynhigh.co.uk"

[departments.Science]
head_email = "head.science@islwynhigh.co.uk"

[departments.Music]
head_email = "head.music@islwynhigh.co.uk"

[departments.Art]
head_email = "head.art@islwynhigh.co.uk"

[output]
dir = "reports"
store = "auditor.sqlite3"

[links]
cache = "link-cache.sqlite3"

[logging]
file = "logs/auditor.log"
level = "debug"
"""


def email_section(port: int) -> str:
    return f"""
[email]
host = "127.0.0.1"
port = {port}
starttls = false
username = "auditor"
sender = "Social Media Auditor <auditor@islwynhigh.co.uk>"
slt = ["slt@islwynhigh.co.uk"]
retries = 0
send_when_unchanged = true
timeout = 10
"""


def _authenticator(server: object, session: object, envelope: object, mechanism: str, data: object) -> AuthResult:
    password = SECRETS["SMTP_PASSWORD"].encode()
    ok = isinstance(data, LoginPassword) and data.login == b"auditor" and data.password == password
    return AuthResult(success=ok, handled=False)


def _refuse_and_echo(server: object, session: object, envelope: object, mechanism: str, data: object) -> AuthResult:
    # A badly behaved server that quotes the password it refused back in its reply.
    shown = data.password.decode() if isinstance(data, LoginPassword) else "?"
    return AuthResult(success=False, handled=False, message=f"535 5.7.8 bad credentials: {shown}")


@pytest.fixture
def smtp_servers() -> Iterator[tuple[Inbox, Inbox]]:
    """One server that accepts the login and the mail, one that refuses the login."""
    accepting, refusing = Inbox(free_port()), Inbox(free_port())
    controllers = [
        Controller(
            box,
            hostname="127.0.0.1",
            port=box.port,
            authenticator=auth,
            auth_required=True,
            auth_require_tls=False,
        )
        for box, auth in ((accepting, _authenticator), (refusing, _refuse_and_echo))
    ]
    for controller in controllers:
        controller.start()
    try:
        yield accepting, refusing
    finally:
        for controller in controllers:
            controller.stop()


def archive_tweets() -> list[dict]:
    return [
        {
            "id_str": "1001",
            "full_text": f"Log in to see the trip photos {PHISH}",
            "created_at": "Mon Nov 23 09:00:00 +0000 2026",
            "entities": {"urls": [{"url": "https://t.co/p1", "expanded_url": PHISH, "display_url": PHISH}]},
        },
        {
            "id_str": "1002",
            "full_text": "Museum visit https://museum.example/visit",
            "created_at": "Mon Nov 23 10:00:00 +0000 2026",
            "entities": {
                "urls": [
                    {
                        "url": "https://t.co/p2",
                        "expanded_url": "https://museum.example/visit",
                        "display_url": "museum.example/visit",
                    }
                ]
            },
        },
    ]


def safe_browsing_answer(request: PreparedRequest) -> tuple[int, dict[str, str], str]:
    asked = [entry["url"] for entry in json.loads(request.body or b"{}")["threatInfo"]["threatEntries"]]
    matches = [
        {
            "threatType": "SOCIAL_ENGINEERING",
            "platformType": "ANY_PLATFORM",
            "threat": {"url": url},
            "cacheDuration": "300s",
            "threatEntryType": "URL",
        }
        for url in asked
        if url == PHISH
    ]
    return 200, {}, json.dumps({"matches": matches} if matches else {})


def mock_all_platforms() -> None:
    # X succeeds, Facebook succeeds, Instagram's token has expired and its error quotes the token.
    mock_platforms()
    # Facebook paging links carry the access token in real answers; the connector must never follow it verbatim.
    responses.replace(
        responses.GET,
        f"{GRAPH}/1234/posts",
        json={
            "data": [{"id": "1234_1", "message": "Science fair on Friday", "created_time": "2026-11-22T09:00:00+0000"}],
            "paging": {"next": f"{GRAPH}/1234/posts?access_token={META_TOKEN}&after=b"},
        },
    )
    # YouTube refuses the key, quoting it, as Google's error pages do for a malformed key.
    key = SECRETS["YOUTUBE_API_KEY"]
    responses.get(
        yt.CHANNELS,
        status=400,
        json=yt.google_error(400, "keyInvalid", f"API key not valid. Please pass a valid API key. ({key})"),
    )
    # Mastodon, Bluesky and the feed succeed with real-shaped answers.
    responses.get(masto.LOOKUP, json=masto.acct())
    responses.get(masto.STATUSES, json=[masto.status("9001", masto.ago(days=1), "<p>Castle trip</p>")])
    responses.get(
        re.compile(re.escape(masto.BASE) + r"/api/v1/statuses/\d+/context"), json={"ancestors": [], "descendants": []}
    )
    responses.get(bsky.PROFILE, json=bsky.profile())
    post = bsky.view("3kabc", bsky.ago(days=1), "Roman day")
    responses.get(bsky.FEED, json={"feed": [{"post": post}]})
    bsky.add_thread(post)
    feed.serve(feed.rss(feed.item(1, feed.rfc822(days=1))))
    # Threat intelligence: Safe Browsing names the phishing link; URLhaus refuses the key and quotes it.
    responses.add_callback(
        responses.POST,
        SAFE_BROWSING_URL,
        callback=safe_browsing_answer,
        content_type="application/json",
        match=[matchers.header_matcher({"X-Goog-Api-Key": SECRETS["SAFE_BROWSING_API_KEY"]})],
    )
    responses.post(URLHAUS_URL, status=401, body=f"Unauthorized: Auth-Key {SECRETS['URLHAUS_AUTH_KEY']} is not valid")
    # The links the engine opens are ordinary pages (one registration a method, so `responses` never rotates them).
    sites = re.compile(r"https?://(www\.islwynhigh\.co\.uk|museum\.example|login-islwynhigh\.example)(/.*)?$")
    responses.add(responses.HEAD, sites, status=200, content_type="text/html")
    responses.add(responses.GET, sites, status=200, body="<html><title>ok</title></html>", content_type="text/html")


def all_text(tmp_path: Path, log_text: str, stdio: str, inboxes: tuple[Inbox, ...]) -> dict[str, str]:
    """Everything a secret could leak into, by where it was found."""
    places = {"caplog": log_text, "stdout/stderr": stdio}
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.name != "config.toml":
            # Raw bytes: the SQLite files and their -wal/-journal files too, not only what a query shows.
            places[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    for db in tmp_path.rglob("*.sqlite3"):
        with sqlite3.connect(db) as conn:
            places[f"{db} rows"] = "\n".join(conn.iterdump())
    for box in inboxes:
        for n, received in enumerate(box.received):
            message: EmailMessage = received.message
            parts = [str(message)]
            for part in message.walk():
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    parts.append(payload.decode("utf-8", errors="replace"))
            places[f"email {box.port} #{n}"] = "\n".join(parts)
    places["request urls"] = "\n".join(call.request.url for call in responses.calls)
    return places


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@responses.activate
def test_full_audit_leaks_no_secret_anywhere(tmp_path, monkeypatch, caplog, capsys, smtp_servers):
    accepting, refusing = smtp_servers
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("META_GRAPH_VERSION", raising=False)
    # The link engine never uses real DNS in tests: every name resolves to a public address.
    monkeypatch.setattr(
        auditor.links, "build_engine", functools.partial(auditor.links.build_engine, resolver=FakeDNS())
    )
    caplog.set_level(logging.DEBUG)
    # The test's own SMTP server runs in this process and logs what it is sent; it is not the auditor.
    monkeypatch.setattr(logging.getLogger("mail.log"), "disabled", True)
    mock_all_platforms()
    write_archive(
        tmp_path / "archive",
        "ArtIHS",
        bio="Art at IHS. AUP https://www.islwynhigh.co.uk/ict-acceptable-use-policy",
        tweets=archive_tweets(),
    )
    from tests.conftest import SCHOOL

    good = tmp_path / "config.toml"
    good.write_text(SCHOOL + ACCOUNTS + email_section(accepting.port), encoding="utf-8")
    bad = tmp_path / "config-refused.toml"
    bad.write_text(SCHOOL + ACCOUNTS + email_section(refusing.port), encoding="utf-8")

    first = main(["-vv", "run", "--all", "--config", str(good), "--out", str(tmp_path / "out1")])
    second = main(["-vv", "run", "--all", "--config", str(bad), "--out", str(tmp_path / "out2")])
    stdio = capsys.readouterr()

    # The run really exercised every path a secret could take.
    assert first == second == 3
    doc = json.loads((tmp_path / "out1" / "findings.json").read_text(encoding="utf-8"))
    states = {a["platform"]: a["status"] for a in doc["accounts"]}
    assert states == {
        "x": "ok",
        "facebook": "ok",
        "instagram": "error",
        "youtube": "error",
        "mastodon": "ok",
        "bluesky": "ok",
        "feed": "ok",
        "x-archive": "ok",
    }
    assert any(f["evidence"].get("link") == PHISH and f["status"] == "FAIL" for f in doc["findings"])
    assert accepting.received, "the first run delivered its reports"
    assert refusing.received == []
    with sqlite3.connect(tmp_path / "auditor.sqlite3") as conn:
        outcomes = {row[0] for row in conn.execute("SELECT status FROM deliveries")}
    assert {"sent", "failed"} <= outcomes
    assert any(c.request.url.startswith(URLHAUS_URL) for c in responses.calls)
    log_file = tmp_path / "logs" / "auditor.log"
    assert "DEBUG" in log_file.read_text(encoding="utf-8"), "debug logging was on, so a leak would have shown"

    places = all_text(tmp_path, caplog.text, stdio.out + stdio.err, (accepting, refusing))
    leaks = [
        f"{name} in {where}" for name, secret in SECRETS.items() for where, text in places.items() if secret in text
    ]
    assert leaks == []
