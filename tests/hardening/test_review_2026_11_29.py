"""Defects found by the review of the exports, photo metadata and config loader that landed on 29 November 2026.

Each test failed before its fix: hostile export values that raised a bare ValueError (an "unexpected error" instead
of a message naming the file), a photo whose GPS block holds a position with a broken (0/0) rational counted as
recording no place, and config values under keys that name a secret's variable echoed back in error messages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL.TiffImagePlugin import IFDRational

from auditor import config as config_mod
from auditor import runner
from auditor.checks.photos import no_location, sensible_resolution
from auditor.connectors import FetchContext
from auditor.model import Account, Finding, Media, Post, Status
from auditor.photometa import read_photo
from auditor.text.lookalike import Lookalike
from tests.checks.test_photos import cfg, jpeg, run, write  # noqa: F401 - cfg is a fixture
from tests.conftest import write_config
from tests.connectors import test_meta_export as meta
from tests.connectors import test_tiktok_export as tiktok

HUGE_NUMBER = "9" * 5000  # more digits than Python converts to an int (a ValueError, not a JSON syntax error)


# --- exports: numbers too long to be numbers ----------------------------------------------------------------------


def test_a_tiktok_export_with_an_endless_number_is_refused_with_a_message(tmp_path: Path) -> None:
    text = json.dumps(tiktok.current_export()).replace('"followerCount": 12', f'"followerCount": {HUGE_NUMBER}')
    assert HUGE_NUMBER in text
    source = tmp_path / "user_data_tiktok.json"
    source.write_text(text, encoding="utf-8")
    message = tiktok.refused(source)
    assert "user_data_tiktok.json" in message and "number" in message


def test_a_meta_export_with_an_endless_number_is_refused_with_a_message(tmp_path: Path, ctx) -> None:
    files = meta.facebook_new()
    name = "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"
    files[name] = files[name].replace(b'"timestamp": ', b'"timestamp": ' + HUGE_NUMBER.encode() + b"0", 1)
    message = meta.refused(meta.write_folder(tmp_path, files), ctx)
    assert "your_posts__check_ins__photos_and_videos_1.json" in message and "number" in message


@pytest.fixture
def ctx() -> Iterator[FetchContext]:
    made = FetchContext()
    yield made
    made.cleanup()


@pytest.mark.parametrize("stamp", ["²", "1" * 5000])
def test_a_meta_timestamp_of_digits_python_cannot_read_is_refused_by_name(tmp_path: Path, ctx, stamp: str) -> None:
    posts = [{"timestamp": stamp, "data": [{"post": "Hello"}]}]
    files = meta.facebook_new()
    files["your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"] = meta.meta_json(posts)
    message = meta.refused(meta.write_folder(tmp_path, files), ctx)
    assert "'timestamp'" in message and "entry 1" in message


def test_a_meta_posts_file_numbered_beyond_reason_is_not_a_traceback(tmp_path: Path, ctx) -> None:
    files = meta.facebook_new()
    files[f"your_facebook_activity/posts/your_posts_{'1' * 5000}.json"] = meta.meta_json([])  # a zip allows the name
    data = meta.fetch(meta.write_zip(tmp_path / "export.zip", files), ctx)
    assert data.posts  # the genuine posts file is read; the oddly numbered one is not taken for a posts file


# --- photos: a GPS position with a broken rational ------------------------------------------------------------------


def _gps(lat: tuple[object, ...], lon: tuple[object, ...]) -> dict[int, object]:
    return {1: "N", 2: lat, 3: "W", 4: lon}


@pytest.mark.parametrize(
    "gps",
    [
        # Seconds written as 0/0 (a camera that had no seconds): the degrees and minutes still say where it was.
        _gps((51.0, 40.0, IFDRational(0, 0)), (3.0, 11.0, 45.6)),
        _gps((51.0, IFDRational(40, 0), 5.9), (3.0, 11.0, 45.6)),
        _gps((51.0, 40.0, 5.9), (IFDRational(3, 0), 11.0, 45.6)),
    ],
)
def test_a_gps_position_with_a_zero_denominator_is_not_verified_never_clear(cfg, tmp_path: Path, gps) -> None:  # noqa: F811
    photo = write(tmp_path, "nan.jpg", jpeg(gps))
    facts = read_photo(photo)
    assert facts.location is None and "GPS position that cannot be read" in (facts.unreadable_location or "")
    assert (facts.width, facts.height) == (64, 48)  # its size is still known
    [result] = run(no_location, cfg, [Post("1", "Trip", media=(Media("m1", "photo", local_path=photo),))])
    assert result.status is Status.ERROR and result.reason.startswith("Not verified")


def test_the_zeros_of_a_removed_position_still_count_as_no_position(tmp_path: Path) -> None:
    photo = write(tmp_path, "zero.jpg", jpeg(_gps((0.0, 0.0, 0.0), (0.0, 0.0, 0.0))))
    assert read_photo(photo).location is None


def test_a_photo_whose_size_is_unknown_keeps_the_resolution_check_from_passing(cfg, tmp_path: Path) -> None:  # noqa: F811
    ok = Media("m1", "photo", local_path=write(tmp_path, "ok.jpg", jpeg(size=(2048, 1536))))
    unread = Media("m2", "photo", local_path=write(tmp_path, "bad.jpg", b"garbage"))
    assert run(sensible_resolution, cfg, [Post("1", "a", media=(ok, unread))]) == []


# --- config: keys that name where a secret is never echo what they hold --------------------------------------------

SECRET = "Zq8sEcReT4t0kEn"
EMAIL = '[email]\nhost = "smtp.example.org"\nusername = "a@example.org"\nsender = "a@example.org"\n'
ACCOUNT = '[[accounts]]\nhandle = "@HistoryIHS"\nplatform = "x"\ndepartment = "History"\n'


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (f'{ACCOUNT}user_token_env = "AAAA{SECRET}"\n', "user_token_env"),
        (f"{ACCOUNT}user_token_env = 4455667788\n", "user_token_env"),
        (f'{ACCOUNT}[links]\nproxy = "http://proxy.school:3128"\nproxy_credentials_env = "me:{SECRET}"\n', "proxy_"),
        (f"{ACCOUNT}{EMAIL}password_env = 4455667788\n", "password_env"),
        (f'{ACCOUNT}{EMAIL}password_env = "{SECRET}!"\n', "password_env"),
        (f'{ACCOUNT}[links]\nsafe_browsing_key_env = "AIza-{SECRET}"\n', "safe_browsing_key_env"),
        (f'{ACCOUNT}[links]\nurlhaus_key_env = "uh/{SECRET}=="\n', "urlhaus_key_env"),
    ],
)
def test_a_secret_written_where_its_variable_s_name_belongs_is_refused_without_repeating_it(
    tmp_path: Path, body: str, where: str
) -> None:
    with pytest.raises(config_mod.ConfigError) as info:
        config_mod.load(write_config(tmp_path, body))
    message = str(info.value)
    assert where in message and ("environment variable" in message or "found a number" in message)
    assert SECRET not in message and "4455667788" not in message and "AIza" not in message


def test_a_variable_s_name_is_still_accepted(tmp_path: Path) -> None:
    loaded = config_mod.load(
        write_config(tmp_path, f'{ACCOUNT}user_token_env = "X_TOKEN_HISTORYIHS"\n[links]\nurlhaus_key_env = "UH_KEY"\n')
    )
    assert loaded.links.urlhaus_key_env == "UH_KEY"


# --- lookalike accounts: names from strangers -----------------------------------------------------------------------


class _Finder:
    def __init__(self, found: list[Lookalike]) -> None:
        self.found = found

    def searchable(self, account: Account) -> bool:
        return True

    def lookalikes(self, account: Account) -> list[Lookalike]:
        return self.found


def _lookalike_findings(tmp_path: Path, found: list[Lookalike]) -> list[Finding]:
    from tests.checks.test_identity import BSKY_ACCOUNTS, CHECK, run_check

    loaded = config_mod.load(write_config(tmp_path, BSKY_ACCOUNTS))
    acct = loaded.accounts[0]
    return [runner._finding(acct, CHECK, r) for r in run_check(loaded, acct, _Finder(found))]


def test_a_lookalike_whose_handle_holds_a_lone_surrogate_still_becomes_a_finding(tmp_path: Path) -> None:
    odd = Lookalike("bluesky", "@hist\ud800oryihs.bsky.social", "History \udfff IHS", None, "@historyihs", "why")
    plain = Lookalike("bluesky", "@hist0ryihs.bsky.social", "History IHS", None, "@historyihs", "why")
    first, second = _lookalike_findings(tmp_path, [odd, plain])
    assert first.status is Status.MANUAL and first.id != second.id
    json.dumps(first.as_dict(), ensure_ascii=False).encode("utf-8")  # storable


def test_a_lookalike_s_enormous_display_name_is_quoted_not_copied_whole(tmp_path: Path) -> None:
    name = "Islwyn High School History " * 20_000
    [finding] = _lookalike_findings(
        tmp_path, [Lookalike("bluesky", "@hist0ryihs.bsky.social", name, None, "@historyihs", "why")]
    )
    assert len(finding.reason) < 1_000 and "Islwyn High School History" in finding.reason


# --- Graph (Facebook, Instagram, Threads): a next-page address that is no address ---------------------------------


def test_a_next_page_address_that_cannot_be_parsed_is_a_plain_connector_error() -> None:
    from auditor.connectors import ConnectorError
    from auditor.connectors.graph import Graph

    graph = Graph("Threads", "a-token", "a hint", host="graph.threads.net", api_version="v1.0")
    items = graph.follow({"data": [{"id": "1"}], "paging": {"next": "https://[::1/v1.0/me/threads"}}, 5)
    assert next(items) == {"id": "1"}
    with pytest.raises(ConnectorError, match="next page is not a web address"):
        next(items)


def test_a_mastodon_search_with_no_server_to_ask_is_not_a_clean_search() -> None:
    from auditor.connectors import ConnectorError
    from auditor.connectors.lookalikes import LookalikeSearch

    account = Account("@history", "mastodon", "History", options={"lookalikes": "search"})
    search = LookalikeSearch([account], "Islwyn High School", "IHS")
    with pytest.raises(ConnectorError, match="Mastodon"):
        search.lookalikes(account)  # before: [] from no search at all, which the check reported as a pass


@pytest.mark.parametrize("zone", ["Europe", "x" * 300])
def test_a_time_zone_that_names_a_folder_or_runs_on_is_a_config_error(tmp_path: Path, zone: str) -> None:
    with pytest.raises(config_mod.ConfigError, match="unknown time zone"):
        config_mod.load(write_config(tmp_path, f'{ACCOUNT}[schedule]\ntimezone = "{zone}"\n'))


# --- photos: a PNG's location is read without decoding its pixels -------------------------------------------------


def _png(size: tuple[int, int], exif_after_data: bytes | None = None) -> bytes:
    import io
    import struct
    import zlib

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    data = out.getvalue()
    if exif_after_data is None:
        return data
    chunk = struct.pack(">I", len(exif_after_data)) + b"eXIf" + exif_after_data
    chunk += struct.pack(">I", zlib.crc32(b"eXIf" + exif_after_data))
    return data[:-12] + chunk + data[-12:]  # just before IEND, after the image data


def _never_decode(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import ImageFile

    def refuse(self: object) -> None:
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_a_large_png_is_read_from_its_chunks_not_decoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    photo = write(tmp_path, "big.png", _png((3000, 2000)))
    _never_decode(monkeypatch)
    facts = read_photo(photo)
    assert facts.location is None and (facts.width, facts.height) == (3000, 2000)


def test_a_png_whose_exif_follows_its_image_data_still_gives_its_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 40.0, 5.9), 3: "W", 4: (3.0, 11.0, 45.6)}
    photo = write(tmp_path, "late.png", _png((64, 48), exif.tobytes()))
    _never_decode(monkeypatch)
    assert read_photo(photo).location == pytest.approx((51.668306, -3.196))
