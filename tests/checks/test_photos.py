"""SMP-2.4 photo metadata: location in a photo's EXIF or a post's place tag, and resolution far beyond a post's need.

The photos are real JPEG files written by Pillow with real EXIF GPS blocks; the acceptance cases go through the X
archive and TikTok export connectors, so the check is tested on what those connectors really produce.
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from auditor import config as config_mod
from auditor.checks.photos import no_location, sensible_resolution
from auditor.connectors import FetchContext
from auditor.connectors.tiktok_export import TikTokExportConnector
from auditor.connectors.x_archive import XArchiveConnector
from auditor.model import Account, AccountData, Media, Post, Profile, Severity, Status
from auditor.photometa import PhotoMetaError, read_photo
from auditor.services import LocalPhotoMetadata, Services, UnreadableMedia
from tests.conftest import context, write_config
from tests.connectors.test_tiktok_export import current_export, video
from tests.connectors.test_x_archive import archive, photo, tweet, write_folder, write_zip

PROFILE = Profile(username="HistoryIHS", bio="History at Islwyn High School.")
BLACKWOOD = {1: "N", 2: (51.0, 40.0, 5.9), 3: "W", 4: (3.0, 11.0, 45.6)}


def jpeg(gps: dict[int, object] | None = None, size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, "white")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # a camera's ordinary EXIF stays: only the GPS block is a finding
    if gps is not None:
        exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=30)
    return out.getvalue()


@pytest.fixture
def cfg(tmp_path: Path) -> config_mod.Config:
    return config_mod.load(
        write_config(
            tmp_path,
            """
            [[accounts]]
            handle = "@HistoryIHS"
            platform = "x-archive"
            department = "History"
            source = "archive"
            """,
        )
    )


def run(check, cfg, posts, platform: str = "x-archive"):
    ctx = dataclasses.replace(context(cfg, PROFILE, posts, platform=platform), services=Services())
    return list(check(ctx))


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- the reader --------------------------------------------------------------------------------------------------


def test_the_reader_gives_the_position_and_size(tmp_path: Path) -> None:
    facts = read_photo(write(tmp_path, "a.jpg", jpeg(BLACKWOOD, (640, 480))))
    assert facts.location == pytest.approx((51.668306, -3.196)) and (facts.width, facts.height) == (640, 480)
    south = read_photo(write(tmp_path, "b.jpg", jpeg({1: "S", 2: (33.0, 52.0, 0.0), 3: "E", 4: (151.0, 12.0, 0.0)})))
    assert south.location == pytest.approx((-33.866667, 151.2))


@pytest.mark.parametrize(
    "gps",
    [
        None,  # stripped
        {0: b"\x02\x02\x00\x00"},  # a GPS block with its version only
        {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)},  # zeros written by a tool that removed the position
        {1: "N", 2: (91.0, 0.0, 0.0), 3: "E", 4: (1.0, 0.0, 0.0)},  # not a position on Earth
    ],
)
def test_the_reader_finds_no_position_where_there_is_none(tmp_path: Path, gps: dict[int, object] | None) -> None:
    assert read_photo(write(tmp_path, "c.jpg", jpeg(gps))).location is None


def test_an_unreadable_file_is_unreadable_media(tmp_path: Path) -> None:
    with pytest.raises(PhotoMetaError, match="not in a photo format"):
        read_photo(write(tmp_path, "x.jpg", b"not a photo at all"))
    with pytest.raises(UnreadableMedia, match="could not be read"):
        LocalPhotoMetadata().read(write(tmp_path, "y.jpg", b"\xff\xd8\xff\xe0 truncated"))


# --- the location check --------------------------------------------------------------------------------------------


def test_a_photo_with_gps_is_a_high_finding_that_keeps_the_position_vague(cfg, tmp_path: Path) -> None:
    posts = [Post("1", "Trip", media=(Media("m1", "photo", local_path=write(tmp_path, "g.jpg", jpeg(BLACKWOOD))),))]
    [r] = run(no_location, cfg, posts)
    assert r.status is Status.FAIL and r.severity is None  # the check's default: high
    assert r.subject == "post:1" and "about 51.67, -3.20" in r.reason and "51.668" not in r.reason


def test_a_stripped_photo_passes(cfg, tmp_path: Path) -> None:
    posts = [Post("1", "Trip", media=(Media("m1", "photo", local_path=write(tmp_path, "s.jpg", jpeg())),))]
    [r] = run(no_location, cfg, posts)
    assert r.status is Status.PASS and "1 photo examined" in r.reason


def test_a_place_tag_is_a_medium_finding_and_a_stated_location_a_high_one(cfg) -> None:
    tagged = Post("1", "Match day", place="Islwyn High School playing fields")
    stated = Post("2", "Concert", media=(Media("m2", "photo", location=(51.6, -3.2)),))
    first, second = run(no_location, cfg, [tagged, stated])
    assert first.status is Status.FAIL and first.severity is Severity.MEDIUM
    assert '"Islwyn High School playing fields"' in first.reason and first.evidence.excerpt == tagged.place
    assert second.status is Status.FAIL and second.severity is None and "about 51.60, -3.20" in second.reason


def test_a_photo_that_was_not_downloaded_is_never_passed(cfg, tmp_path: Path) -> None:
    clear = Media("m1", "photo", local_path=write(tmp_path, "s.jpg", jpeg()))
    posts = [Post("1", "a", media=(clear,)), Post("2", "b", media=(Media("m2", "photo", url="https://x/y.jpg"),))]
    assert run(no_location, cfg, posts) == []


def test_an_unreadable_photo_is_not_verified(cfg, tmp_path: Path) -> None:
    posts = [Post("1", "a", media=(Media("m1", "photo", local_path=write(tmp_path, "bad.jpg", b"garbage")),))]
    [r] = run(no_location, cfg, posts)
    assert r.status is Status.ERROR and r.reason.startswith("Not verified: the photo is not in a photo format")


def test_videos_and_posts_without_photos_say_nothing(cfg) -> None:
    assert run(no_location, cfg, [Post("1", "text only"), Post("2", "v", media=(Media("m", "video"),))]) == []


# --- the resolution check ------------------------------------------------------------------------------------------


def test_a_photo_far_larger_than_a_post_needs_is_a_low_finding(cfg, tmp_path: Path) -> None:
    big = Media("m1", "photo", local_path=write(tmp_path, "big.jpg", jpeg(size=(6000, 40))))
    stated = Media("m2", "photo", width=8064, height=6048)
    posts = [Post("1", "a", media=(big,)), Post("2", "b", media=(stated,))]
    first, second = run(sensible_resolution, cfg, posts)
    assert first.status is Status.FAIL and "6000 × 40 pixels" in first.reason
    assert second.status is Status.FAIL and "8064 × 6048" in second.reason


def test_photos_of_a_sensible_size_pass(cfg, tmp_path: Path) -> None:
    ok = Media("m1", "photo", local_path=write(tmp_path, "ok.jpg", jpeg(size=(2048, 1536))))
    [r] = run(sensible_resolution, cfg, [Post("1", "a", media=(ok, Media("m2", "photo", width=1080, height=1350)))])
    assert r.status is Status.PASS and "2 photos examined" in r.reason


# --- acceptance: through the connectors ---------------------------------------------------------------------------


def _check_data(cfg, data: AccountData, platform: str) -> list:
    ctx = dataclasses.replace(context(cfg, data.profile, data.posts, platform=platform), services=Services())
    return list(no_location(ctx))


@pytest.mark.parametrize("packed", ["folder", "zip"])
def test_an_x_archive_photo_with_gps_is_a_finding_and_a_stripped_one_is_not(cfg, tmp_path: Path, packed: str) -> None:
    files = archive(
        tweets={
            "tweets.js": [
                tweet("101", "Year 9 at Big Pit https://t.co/PhOtO00001", media=[photo("901", "101", "Gps1.jpg")]),
                tweet("102", "Art display https://t.co/PhOtO00002", media=[photo("902", "102", "Clean.jpg")]),
            ]
        },
        media={"101-Gps1.jpg": jpeg(BLACKWOOD), "102-Clean.jpg": jpeg()},
    )
    source = (
        write_folder(tmp_path / "HistoryIHS", files) if packed == "folder" else write_zip(tmp_path / "a.zip", files)
    )
    ctx = FetchContext()
    try:
        data = XArchiveConnector().fetch(Account("@HistoryIHS", "x-archive", "History", source=source), ctx)
        results = _check_data(cfg, data, "x-archive")
    finally:
        ctx.cleanup()
    assert [(r.subject, r.status) for r in results] == [("post:101", Status.FAIL)]


def test_a_geotagged_tweet_in_an_x_archive_is_a_finding(cfg, tmp_path: Path) -> None:
    files = archive(
        tweets={
            "tweets.js": [
                tweet("201", "Sports day!", place={"full_name": "Blackwood, Wales", "country_code": "GB"}),
                tweet("202", "Fun run", coordinates={"type": "Point", "coordinates": ["-3.19", "51.66"]}),
                tweet("203", "Fun run", coordinates={"type": "Point", "coordinates": [-3.196, 51.668]}),
                tweet("204", "Not a place", coordinates={"type": "Point", "coordinates": ["east", "51"]}),
            ]
        }
    )
    data = XArchiveConnector().fetch(
        Account("@HistoryIHS", "x-archive", "History", source=write_folder(tmp_path / "h", files)), FetchContext()
    )
    assert {p.id: p.place for p in data.posts} == {
        "201": "Blackwood, Wales",
        "202": "51.6600, -3.1900",
        "203": "51.6680, -3.1960",
        "204": None,
    }
    assert {r.subject for r in _check_data(cfg, data, "x-archive")} == {"post:201", "post:202", "post:203"}


def test_a_tiktok_video_with_a_location_is_a_finding(cfg, tmp_path: Path) -> None:
    videos = [
        video("7400000000000000001", "2026-01-05 10:00:00", "Rehearsal", location="Blackwood Miners' Institute"),
        video("7400000000000000002", "2026-01-06 10:00:00", "Rehearsal 2"),
    ]
    source = tmp_path / "user_data_tiktok.json"
    source.write_text(json.dumps(current_export(username="HistoryIHS", videos=videos)), encoding="utf-8")
    data = TikTokExportConnector().fetch(Account("@HistoryIHS", "tiktok", "History", source=source), FetchContext())
    [r] = _check_data(cfg, data, "tiktok")
    assert r.status is Status.FAIL and r.subject == "post:7400000000000000001" and r.severity is Severity.MEDIUM


def test_a_photo_declaring_enormous_dimensions_is_refused_from_its_header(cfg, tmp_path: Path) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 40_000, 40_000, 8, 2, 0, 0, 0)  # 1.6 billion pixels, in a 60-byte file
    bomb = write(tmp_path, "bomb.png", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))
    with pytest.raises(PhotoMetaError, match="too large to examine safely"):
        read_photo(bomb)
    [r] = run(no_location, cfg, [Post("1", "a", media=(Media("m1", "photo", local_path=bomb),))])
    assert r.status is Status.ERROR and "too large" in r.reason


def test_a_meta_export_photo_with_a_stated_location_is_a_finding_and_a_stripped_one_is_not(sample, tmp_path: Path):
    # The sample Facebook export (examples/archives/HanesIHS-facebook) has two photos: one whose export metadata gives
    # where it was taken (on a post also tagged with a place) and one with the location stripped.
    from auditor.cli import main

    out = tmp_path / "out"
    main(["run", "--account", "@HanesIHS", "--offline", "--config", str(sample), "--out", str(out), "--no-email"])
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    found = [f for f in doc["findings"] if f["check"] == "photos.no_location"]
    failing = [f for f in found if f["status"] == "FAIL"]
    assert len(failing) == 1, found
    assert "records where it was taken" in failing[0]["reason"] and "about 51.5" in failing[0]["reason"]
    examined = next(f for f in doc["findings"] if f["check"] == "photos.sensible_resolution")
    assert "2 photos examined" in examined["reason"]  # both photos were read; only the located one is a finding
