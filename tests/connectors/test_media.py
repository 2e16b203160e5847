"""Photos from live platforms are downloaded through the SSRF guard, bounded, so the photo checks can look at them."""

from __future__ import annotations

import json
import re
import time
import tracemalloc

import pytest
import responses

import auditor.connectors.media as media_mod
import auditor.runner as runner_mod
from auditor.cli import main
from auditor.connectors import FetchContext
from auditor.connectors.media import download_photos
from auditor.model import AccountData, Media, Post, Profile
from auditor.net.guard import Guard
from tests.conftest import REPO, write_config
from tests.connectors.test_mastodon import LOOKUP, STATUSES, acct, add_context, ago, status
from tests.links.hostile import HostileServer
from tests.links.proxyserver import PHOTO as PROXY_PHOTO
from tests.links.proxyserver import RecordingProxy

PHOTO = (REPO / "examples" / "photos" / "science.jpg").read_bytes()  # a drawing of two people
CDN = "https://files.mastodon.social/media_attachments/files/22/original/trip.jpg"


def public_guard() -> Guard:
    return Guard(lambda host: ["151.101.1.1"])


def data(*urls: str) -> AccountData:
    media = tuple(Media(id=str(n), type="photo", url=u) for n, u in enumerate(urls))
    return AccountData(profile=Profile(username="HistoryIHS"), posts=[Post(id="1", text="trip", media=media)])


@pytest.fixture
def ctx():
    context = FetchContext()
    yield context
    context.cleanup()


@responses.activate
def test_photo_is_downloaded_into_the_scratch_folder(ctx):
    responses.get(CDN, body=PHOTO, content_type="image/jpeg")
    [photo] = download_photos(data(CDN), ctx, public_guard()).posts[0].media
    assert photo.local_path is not None
    assert photo.local_path.parent == ctx.scratch()
    assert photo.local_path.read_bytes() == PHOTO


@responses.activate
@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5/a.jpg",
        "http://127.0.0.1/a.jpg",
        "http://169.254.169.254/latest/meta-data",
        "http://localhost/a",
    ],
)
def test_private_addresses_are_never_requested(ctx, url):
    [photo] = download_photos(data(url), ctx, public_guard()).posts[0].media
    assert photo.local_path is None
    assert len(responses.calls) == 0


@responses.activate
def test_a_name_resolving_to_a_private_address_is_never_requested(ctx):
    guard = Guard(lambda host: ["192.168.1.20"])
    [photo] = download_photos(data(CDN), ctx, guard).posts[0].media
    assert photo.local_path is None
    assert len(responses.calls) == 0


@responses.activate
def test_redirect_to_a_private_address_is_not_followed(ctx):
    responses.get(CDN, status=302, headers={"Location": "http://10.1.2.3/secret.jpg"})
    [photo] = download_photos(data(CDN), ctx, public_guard()).posts[0].media
    assert photo.local_path is None
    assert [c.request.url for c in responses.calls] == [CDN]


@responses.activate
@pytest.mark.parametrize(("status", "content_type"), [(404, "image/jpeg"), (200, "text/html"), (403, "text/plain")])
def test_not_a_photo_is_not_kept(ctx, status, content_type):
    responses.get(CDN, status=status, body=b"<html>no</html>", content_type=content_type)
    [photo] = download_photos(data(CDN), ctx, public_guard()).posts[0].media
    assert photo.local_path is None
    assert list(ctx.scratch().iterdir()) == []


@responses.activate
def test_oversized_photo_is_abandoned(ctx, monkeypatch):
    monkeypatch.setattr(media_mod, "MAX_PHOTO_BYTES", 1000)
    responses.get(CDN, body=PHOTO, content_type="image/jpeg")
    [photo] = download_photos(data(CDN), ctx, public_guard()).posts[0].media
    assert photo.local_path is None
    assert list(ctx.scratch().iterdir()) == []


@responses.activate
def test_offline_downloads_nothing():
    context = FetchContext(offline=True)
    [photo] = download_photos(data(CDN), context, public_guard()).posts[0].media
    assert photo.local_path is None and len(responses.calls) == 0


@responses.activate
def test_downloads_are_bounded_per_account(ctx, monkeypatch):
    monkeypatch.setattr(media_mod, "MAX_PHOTOS", 1)
    responses.get(re.compile(r"https://files\.mastodon\.social/.*"), body=PHOTO, content_type="image/jpeg")
    first, second = download_photos(data(CDN, CDN.replace("22", "23")), ctx, public_guard()).posts[0].media
    assert first.local_path is not None and second.local_path is None
    assert len(responses.calls) == 1


@responses.activate
def test_a_live_accounts_photo_reaches_the_face_check(tmp_path, monkeypatch):
    """End to end: a Mastodon post's photo is downloaded and the faces in it are found, rather than "not verified"."""
    monkeypatch.setattr(runner_mod.Guard, "from_settings", staticmethod(lambda settings, resolver=None: public_guard()))
    photo = {"id": "22", "type": "image", "url": CDN, "description": "Year 9 on the trip"}
    responses.get(LOOKUP, json=acct())
    responses.get(STATUSES, json=[status("7001", ago(days=1), "<p>Our trip</p>", media_attachments=[photo])])
    add_context("7001")
    responses.get(CDN, body=PHOTO, content_type="image/jpeg")
    config = write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@HistoryIHS@mastodon.social"
        platform = "mastodon"
        department = "History"
        """,
    )
    main(
        [
            "run",
            "--all",
            "--config",
            str(config),
            "--out",
            str(tmp_path / "r"),
            "--no-email",
            "--checks",
            "safeguarding.child_photo_consent",
        ]
    )
    doc = json.loads((tmp_path / "r" / "findings.json").read_text(encoding="utf-8"))
    [finding] = doc["findings"]
    assert finding["status"] == "FAIL", finding["reason"]
    assert "2 faces" in finding["reason"]


# --- bounds and the proxy, against real servers on 127.0.0.1 ----------------------------------------------------------


def local_guard(**kwargs: object) -> Guard:
    return Guard(lambda host: ["127.0.0.1"], allow_private=True, **kwargs)  # type: ignore[arg-type]


def test_a_trickled_photo_ends_at_its_deadline_and_its_host_is_not_asked_again(ctx, monkeypatch):
    monkeypatch.setattr(media_mod, "PHOTO_DEADLINE", 1.0)
    with HostileServer(interval=0.05) as server:
        urls = [server.url(f"/trickle-body/{n}.photo", "cdn.example") for n in range(5)]
        started = time.monotonic()
        photos = download_photos(data(*urls), ctx, local_guard()).posts[0].media
        took = time.monotonic() - started
        asked = list(server.requests)
    assert all(p.local_path is None for p in photos)
    assert list(ctx.scratch().iterdir()) == []  # the part written is removed
    assert asked == [("GET", "/trickle-body/0.photo")]  # one deadline for the host, not five
    assert took < 1.0 + 4.0


def test_a_gzip_bomb_photo_is_not_kept_and_never_inflated(ctx, monkeypatch):
    monkeypatch.setattr(media_mod, "MAX_PHOTO_BYTES", 1024 * 1024)
    with HostileServer() as server:
        tracemalloc.start()
        try:
            [photo] = download_photos(data(server.url("/bomb.photo", "cdn.example")), ctx, local_guard()).posts[0].media
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert photo.local_path is None
    assert list(ctx.scratch().iterdir()) == []
    assert peak < 4 * 1024 * 1024, peak


def test_photos_go_through_the_schools_proxy_after_the_guards_check(ctx):
    resolver = {"cdn.example": ["151.101.1.1"], "intranet.example": ["10.0.0.5"]}
    with RecordingProxy() as proxy:
        guard = Guard(lambda host: resolver[host], proxy=proxy.url)
        good, private = (
            download_photos(data("http://cdn.example/a.jpg", "http://intranet.example/b.jpg"), ctx, guard)
            .posts[0]
            .media
        )
        asked = list(proxy.requests)
    assert good.local_path is not None and good.local_path.read_bytes() == PROXY_PHOTO
    assert private.local_path is None
    assert asked == [("GET", "http://cdn.example/a.jpg")]
