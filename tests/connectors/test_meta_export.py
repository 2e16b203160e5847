"""Facebook and Instagram "Download your information" exports (JSON), read offline.

The fixtures are written here, shaped like real exports (docs/connectors-exports.md names the sources each follows):
every string goes through `mangle`, Meta's own mis-encoding (each UTF-8 byte written as a \\u00XX escape), so the
connector is tested against the bytes a school really downloads.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor import config as config_mod
from auditor import platforms
from auditor.connectors import ConnectorError, FetchContext, get_connector
from auditor.connectors.meta_export import FacebookExportConnector, InstagramExportConnector, repair_text
from auditor.model import Account, AccountData, Link
from tests.conftest import REPO, write_config

Files = dict[str, bytes]
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9"
AUP = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"
WELSH = "Ymweliad â Thŷ Tredegar ar gyfer Dydd Gŵyl Dewi – Ysgol Gyfun Cymraeg’s trip"


def mangle(value: object) -> object:
    """What Meta does to text: each UTF-8 byte of a string becomes one character."""
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, list):
        return [mangle(v) for v in value]
    if isinstance(value, dict):
        return {mangle(k): mangle(v) for k, v in value.items()}
    return value


def meta_json(value: object) -> bytes:
    return json.dumps(mangle(value), indent=2, ensure_ascii=True).encode("ascii")


def ts(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp())


@pytest.fixture
def ctx() -> Iterator[FetchContext]:
    made = FetchContext()
    yield made
    made.cleanup()


# --- fixture builders -------------------------------------------------------------------------------------------------

FB_PHOTO = "your_facebook_activity/posts/media/TimelinePhotos_Ab12Cd34/4311_1016_4412_n_10161234567890123.jpg"
FB_PLAIN = "your_facebook_activity/posts/media/TimelinePhotos_Ab12Cd34/4312_1017_4413_n_10161234567899999.jpg"


def fb_posts(photo: str = FB_PHOTO, plain: str = FB_PLAIN) -> list[object]:
    return [
        {
            "timestamp": ts("2026-02-27T15:40:00"),
            "attachments": [
                {
                    "data": [
                        {
                            "media": {
                                "uri": photo,
                                "creation_timestamp": ts("2026-02-27T15:40:00"),
                                "media_metadata": {
                                    "photo_metadata": {
                                        "exif_data": [
                                            {
                                                "upload_ip": "81.2.69.160",
                                                "taken_timestamp": ts("2026-02-27T11:05:00"),
                                                "latitude": 51.56318,
                                                "longitude": -3.03461,
                                                "original_width": 4032,
                                                "original_height": 3024,
                                            }
                                        ]
                                    }
                                },
                                "title": "Timeline Photos",
                                "description": WELSH,
                            }
                        },
                        {
                            "place": {
                                "name": "Tredegar House",
                                "coordinate": {"latitude": 51.56318, "longitude": -3.03461},
                                "address": "",
                                "url": "https://www.facebook.com/tredegarhousent",
                            }
                        },
                    ]
                }
            ],
            "data": [{"post": WELSH}, {"update_timestamp": ts("2026-02-27T15:40:00")}],
            "title": "History at IHS was at Tredegar House.",
            "tags": [{"name": "Megan Price-Jones"}],
        },
        {
            "timestamp": ts("2026-03-04T12:15:00"),
            "attachments": [
                {"data": [{"external_context": {"url": "https://www.nationalarchives.gov.uk/education/"}}]},
                {"data": [{"external_context": {"name": "Shinson", "url": "facebook.com"}}]},
            ],
            "data": [{"post": "Year 13: free source packs for your coursework."}],
            "title": "History at IHS shared a link.",
        },
        {
            "timestamp": ts("2026-03-12T16:30:00"),
            "attachments": [
                {
                    "data": [
                        {
                            "media": {
                                "uri": plain,
                                "creation_timestamp": ts("2026-03-12T16:30:00"),
                                "media_metadata": {"photo_metadata": {"exif_data": [{"upload_ip": "81.2.69.160"}]}},
                                "title": "Mobile Uploads",
                                "description": "",
                            }
                        }
                    ]
                }
            ],
            "data": [],
            "title": "History at IHS added a new photo.",
        },
        # "updated their status" with nothing in it
        {"timestamp": ts("2026-03-13T08:00:00"), "data": [{"update_timestamp": ts("2026-03-13T08:00:00")}]},
        # Two posts in the same second keep distinct ids.
        {"timestamp": ts("2026-03-14T08:00:00"), "data": [{"post": "First of two"}]},
        {"timestamp": ts("2026-03-14T08:00:00"), "data": [{"post": "Second of two"}]},
    ]


def fb_profile(username: str = "HistoryIHS") -> dict[str, object]:
    return {
        "profile_v2": {
            "name": {"full_name": "Hanes · History at IHS", "first_name": "", "middle_name": "", "last_name": ""},
            "emails": {"emails": ["history@islwynhigh.co.uk"], "previous_emails": [], "pending_emails": []},
            "registration_timestamp": ts("2019-06-18T12:02:00"),
            "username": username,
            "websites": [{"address": AUP}],
            "profile_uri": f"https://www.facebook.com/{username}",
        }
    }


def facebook_new(**kw: object) -> Files:
    """The newer layout (2024-): your_facebook_activity/ and personal_information/."""
    return {
        "personal_information/profile_information/profile_information.json": meta_json(fb_profile(**kw)),
        "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json": meta_json(fb_posts()),
        FB_PHOTO: JPEG,
        FB_PLAIN: JPEG,
        "start_here.html": b"<html>an export also has a front page</html>",
    }


def facebook_old() -> Files:
    """The older layout (-2022): posts/your_posts_1.json and profile_information/ at the root."""
    photo, plain = "posts/media/TimelinePhotos_Ab12Cd34/a_n_1016123.jpg", "posts/media/MobileUploads_x/b_n_1016999.jpg"
    return {
        "profile_information/profile_information.json": meta_json(fb_profile()),
        "posts/your_posts_1.json": meta_json(fb_posts(photo, plain)[:3]),
        "posts/your_posts_2.json": meta_json(fb_posts(photo, plain)[4:]),
        photo: JPEG,
        plain: JPEG,
    }


IG_STAGE = "media/posts/202603/4312_1234_1122_n_17912345678901234.jpg"
IG_CHOIR = "media/posts/202603/4313_1235_1123_n_17912345678909999.jpg"
IG_REEL = "media/reels/202603/4314_1236_1124_n_17912345678905555.mp4"
IG_STORY = "media/stories/202603/4315_1237_1125_n_17912345678907777.jpg"


def ig_item(uri: str, when: str, where: tuple[float, float] | None = None, title: str = "") -> dict[str, object]:
    exif: list[dict[str, object]] = [{"date_time_original": when.replace("-", ":").replace("T", " ")}]
    if where:
        exif.insert(0, {"latitude": where[0], "longitude": where[1]})
    return {
        "uri": uri,
        "creation_timestamp": ts(when),
        "media_metadata": {"photo_metadata": {"exif_data": exif}},
        "title": title,
        "cross_post_source": {"source_app": "FB"},
    }


def ig_posts() -> list[object]:
    return [
        {  # a carousel: caption and time on the post
            "media": [
                ig_item(IG_STAGE, "2026-03-20T19:45:00", (51.6679, -3.1965)),
                ig_item(IG_CHOIR, "2026-03-20T19:46:00"),
            ],
            "title": "Côr yr ysgol yn canu’n wych – Gŵyl Gerdd â’r plant",
            "creation_timestamp": ts("2026-03-20T21:30:00"),
        },
        {  # a single photo: caption and time on the photo
            "media": [ig_item(IG_CHOIR, "2026-03-02T16:00:00", title="Tickets: £3 adults, call 07700 900123")]
        },
    ]


def ig_profile(labels: dict[str, str] | None = None, username: str = "ihs_music") -> dict[str, object]:
    names = {"Username": "Username", "Name": "Name", "Bio": "Bio", "Website": "Website"} | (labels or {})
    return {
        "profile_user": [
            {
                "media_map_data": {"Profile Photo": {"uri": "media/other/p.jpg", "creation_timestamp": 0}},
                "string_map_data": {
                    "Email": {"href": "", "value": "music@islwynhigh.co.uk", "timestamp": 0},
                    names["Username"]: {"href": "", "value": username, "timestamp": 0},
                    names["Name"]: {"href": "", "value": "Cerdd IHS", "timestamp": 0},
                    names["Bio"]: {
                        "href": "",
                        "value": f"Cerddoriaeth yn Ysgol Uwchradd Islwyn. AUP {AUP}",
                        "timestamp": 0,
                    },
                    names["Website"]: {"href": "", "value": "https://www.islwynhigh.co.uk/music", "timestamp": 0},
                    "Private Account": {"href": "", "value": "False", "timestamp": 0},
                },
            }
        ]
    }


def instagram_new(**kw: object) -> Files:
    """The newer layout (2023-): your_instagram_activity/content/ and personal_information/personal_information/."""
    return {
        "personal_information/personal_information/personal_information.json": meta_json(ig_profile(**kw)),
        "your_instagram_activity/content/posts_1.json": meta_json(ig_posts()),
        "your_instagram_activity/content/reels.json": meta_json(
            {"ig_reels_media": [{"media": [ig_item(IG_REEL, "2026-03-22T10:00:00", title="Ymarfer y band")]}]}
        ),
        "your_instagram_activity/content/stories.json": meta_json(
            {"ig_stories": [ig_item(IG_STORY, "2026-03-26T18:30:00", (51.6, -3.2), "Rehearsal!")]}
        ),
        IG_STAGE: JPEG,
        IG_CHOIR: JPEG,
        IG_REEL: b"\x00\x00\x00\x18ftypmp42",
        IG_STORY: JPEG,
    }


def instagram_old(**kw: object) -> Files:
    """The older layout (-2022): content/posts_1.json and account_information/personal_information.json."""
    return {
        "account_information/personal_information.json": meta_json(ig_profile(**kw)),
        "content/posts_1.json": meta_json(ig_posts()),
        IG_STAGE: JPEG,
        IG_CHOIR: JPEG,
    }


def write_folder(root: Path, files: Files) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def write_zip(path: Path, files: Files, prefix: str = "") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(prefix + name, data)
    return path


def fetch(source: Path, ctx: FetchContext, platform: str = "facebook-export", handle: str = "") -> AccountData:
    handle = handle or ("@HistoryIHS" if platform == "facebook-export" else "@ihs_music")
    account = Account(handle, platform, "History", source=source)
    connector = FacebookExportConnector() if platform == "facebook-export" else InstagramExportConnector()
    return connector.fetch(account, ctx)


def refused(source: Path, ctx: FetchContext, platform: str = "facebook-export", handle: str = "") -> str:
    with pytest.raises(ConnectorError) as info:
        fetch(source, ctx, platform, handle)
    return str(info.value).replace(str(source), "<source>")


# --- the mis-encoding -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Dydd Gŵyl Dewi Hapus",
        "Ymweliad â Thŷ Tredegar",
        "Ysgol Gyfun Cymraeg’s trip",
        "£3 adults – café 😀",
        "Llanelwy: ŵ ŷ â ê î ô û",
    ],
)
def test_mis_encoded_welsh_is_repaired(text: str) -> None:
    garbled = text.encode("utf-8").decode("latin-1")
    assert garbled != text
    assert repair_text(garbled) == text


def test_the_brief_s_example_is_repaired() -> None:
    assert repair_text("Ysgol Gyfun Cymraeg \u00e2\u0080\u0099") == "Ysgol Gyfun Cymraeg \u2019"
    assert repair_text("Gw\u00c5\u00b5yl") == "Gwŵyl"


@pytest.mark.parametrize(
    "text",
    ["Gŵyl", "café au lait", "naïve façade", "Ã( is not UTF-8", "plain ASCII", "emoji 😀 and Â£", "", "tŷ bach"],
)
def test_correct_text_is_never_changed(text: str) -> None:
    # Text that does not round-trip through Latin-1 and UTF-8 was not mis-encoded: it stays as it is.
    assert repair_text(text) == text


# --- Facebook ---------------------------------------------------------------------------------------------------------


def test_facebook_newer_layout(tmp_path: Path, ctx: FetchContext) -> None:
    data = fetch(write_folder(tmp_path / "fb", facebook_new()), ctx)
    assert data.profile.username == "HistoryIHS"
    assert data.profile.display_name == "Hanes · History at IHS"
    assert data.profile.website == Link(AUP)
    assert data.profile.url == "https://www.facebook.com/HistoryIHS"
    assert data.profile.bio == ""
    assert not data.complete  # the school chooses the date range when downloading: never taken as the whole history
    assert [p.id for p in data.posts] == ["1773475200-2", "1773475200", "1773333000", "1772626500", "1772206800"]
    visit = data.posts[-1]
    assert visit.text.startswith(WELSH)  # the photo's caption is the post's text: said once
    assert visit.text.count(WELSH) == 1
    assert visit.text.endswith("Tagged: Megan Price-Jones")
    assert visit.place == "Tredegar House"
    assert visit.created_at == dt.datetime(2026, 2, 27, 15, 40, tzinfo=dt.UTC)
    [photo] = visit.media
    assert photo.location == (51.56318, -3.03461)
    assert (photo.width, photo.height) == (4032, 3024)
    assert photo.id == "10161234567890123" and photo.type == "photo"
    assert photo.local_path is not None and photo.local_path.read_bytes() == JPEG
    [link_post] = [p for p in data.posts if p.links]
    assert link_post.links == (Link("https://www.nationalarchives.gov.uk/education/"),)  # "facebook.com" is no URL
    [plain] = data.posts[2].media
    assert plain.location is None and plain.local_path is not None
    assert data.posts[2].text == ""  # "Mobile Uploads" is the album's name, not a caption
    # The IP address Meta records for every upload is never copied into what the checks and reports see.
    assert "81.2.69.160" not in repr(data)


def test_facebook_album_photos_no_post_showed(tmp_path: Path, ctx: FetchContext) -> None:
    trip = "your_facebook_activity/posts/media/Sain_Ffagan_2026/4320_1018_4414_n_10161234567877777.jpg"
    album = {
        "name": "Taith Sain Ffagan 2026",
        "photos": [
            {"uri": FB_PHOTO, "creation_timestamp": ts("2026-02-27T15:40:00"), "title": "Taith Sain Ffagan 2026"},
            {
                "uri": trip,
                "creation_timestamp": ts("2026-02-28T10:00:00"),
                "media_metadata": {"photo_metadata": {"exif_data": [{"latitude": 51.4866, "longitude": -3.2713}]}},
                "title": "Taith Sain Ffagan 2026",
                "description": "Blwyddyn 9 yn y gweithdy",
            },
        ],
        "cover_photo": {"uri": trip, "creation_timestamp": ts("2026-02-28T10:00:00"), "title": ""},
        "last_modified_timestamp": ts("2026-03-01T10:00:00"),
        "description": "",
    }
    files = facebook_new() | {trip: JPEG, "your_facebook_activity/posts/album/0.json": meta_json(album)}
    data = fetch(write_folder(tmp_path / "fb", files), ctx)
    [post] = [p for p in data.posts if p.text.startswith("Taith")]
    # Dated by its first photo; only the photo no post showed is its own.
    assert post.id == "1772206800-2"
    assert post.text == "Taith Sain Ffagan 2026\n\nBlwyddyn 9 yn y gweithdy"
    assert [(m.id, m.location) for m in post.media] == [("10161234567877777", (51.4866, -3.2713))]


def test_facebook_older_layout_in_a_zip_inside_a_folder(tmp_path: Path, ctx: FetchContext) -> None:
    source = write_zip(tmp_path / "facebook-historyihs.zip", facebook_old(), prefix="facebook-historyihs-2026/")
    data = fetch(source, ctx)
    assert data.profile.username == "HistoryIHS"
    # posts_1 and posts_2 read as one history, newest first
    assert [p.text[:12] for p in data.posts] == ["Second of tw", "First of two", "", "Year 13: fre", "Ymweliad â T"]
    [photo] = data.posts[-1].media
    assert photo.location == (51.56318, -3.03461)
    assert photo.local_path is not None and photo.local_path.parent == ctx.scratch()
    assert photo.local_path.read_bytes() == JPEG


def test_facebook_since(tmp_path: Path) -> None:
    ctx = FetchContext(since=dt.date(2026, 3, 5))
    try:
        data = fetch(write_folder(tmp_path / "fb", facebook_new()), ctx)
    finally:
        ctx.cleanup()
    # Ids stay those of the whole export, so a finding keeps its id whatever the window.
    assert [p.id for p in data.posts] == ["1773475200-2", "1773475200", "1773333000"]


def test_facebook_posts_only_download_has_no_profile(tmp_path: Path, ctx: FetchContext) -> None:
    files = {k: v for k, v in facebook_new().items() if "profile_information" not in k}
    data = fetch(write_folder(tmp_path / "fb", files), ctx)
    assert data.profile.username is None and data.profile.bio is None
    assert len(data.posts) == 5


def test_facebook_export_of_another_account(tmp_path: Path, ctx: FetchContext) -> None:
    source = write_folder(tmp_path / "fb", facebook_new(username="SomeoneElse"))
    assert "belongs to SomeoneElse, not the registered account @HistoryIHS" in refused(source, ctx)


def test_facebook_connector_given_an_instagram_export(tmp_path: Path, ctx: FetchContext) -> None:
    message = refused(write_folder(tmp_path / "ig", instagram_new()), ctx)
    assert (
        message == '<source> is an Instagram export, not a Facebook one: register it with platform = "instagram-export"'
    )


# --- Instagram --------------------------------------------------------------------------------------------------------


def test_instagram_newer_layout_in_a_zip(tmp_path: Path, ctx: FetchContext) -> None:
    data = fetch(write_zip(tmp_path / "ig.zip", instagram_new()), ctx, "instagram-export")
    assert data.profile.username == "ihs_music"
    assert data.profile.display_name == "Cerdd IHS"
    assert data.profile.bio == f"Cerddoriaeth yn Ysgol Uwchradd Islwyn. AUP {AUP}"
    assert data.profile.links == (Link(AUP),)
    assert data.profile.website == Link("https://www.islwynhigh.co.uk/music")
    assert data.profile.url == "https://www.instagram.com/ihs_music/"
    texts = [p.text for p in data.posts]
    assert texts == [
        "Rehearsal!",
        "Ymarfer y band",
        "Côr yr ysgol yn canu’n wych – Gŵyl Gerdd â’r plant",
        "Tickets: £3 adults, call 07700 900123",
    ]
    story, reel, carousel, single = data.posts
    assert carousel.created_at == dt.datetime(2026, 3, 20, 21, 30, tzinfo=dt.UTC)
    assert [m.location for m in carousel.media] == [(51.6679, -3.1965), None]
    assert [m.id for m in carousel.media] == ["17912345678901234", "17912345678909999"]
    assert all(m.local_path is not None and m.local_path.read_bytes() == JPEG for m in carousel.media)
    assert single.created_at == dt.datetime(2026, 3, 2, 16, 0, tzinfo=dt.UTC)
    assert reel.media[0].type == "video"
    assert story.media[0].location == (51.6, -3.2)
    assert all(not p.comments for p in data.posts)


def test_instagram_older_layout(tmp_path: Path, ctx: FetchContext) -> None:
    data = fetch(write_folder(tmp_path / "ig", instagram_old()), ctx, "instagram-export")
    assert data.profile.username == "ihs_music"
    assert [len(p.media) for p in data.posts] == [2, 1]
    assert data.posts[0].media[0].location == (51.6679, -3.1965)


@pytest.mark.parametrize(
    "labels",
    [
        {"Username": "Enw defnyddiwr", "Name": "Enw", "Bio": "Bywgraffiad", "Website": "Gwefan"},
        {"Username": "Benutzername", "Name": "Name", "Bio": "Steckbrief", "Website": "Webseite"},
        {"Username": "Nom d’utilisateur", "Name": "Nom", "Bio": "Biographie", "Website": "Site web"},
        {"Username": "Nombre de usuario", "Name": "Nombre", "Bio": "Presentación", "Website": "Sitio web"},
    ],
)
def test_instagram_localised_labels(tmp_path: Path, ctx: FetchContext, labels: dict[str, str]) -> None:
    data = fetch(write_folder(tmp_path / "ig", instagram_new(labels=labels)), ctx, "instagram-export")
    assert data.profile.username == "ihs_music"
    assert data.profile.display_name == "Cerdd IHS"
    assert data.profile.bio is not None and data.profile.bio.startswith("Cerddoriaeth")
    assert data.profile.website == Link("https://www.islwynhigh.co.uk/music")


def test_instagram_labels_in_an_unknown_language(tmp_path: Path, ctx: FetchContext) -> None:
    labels = {"Username": "Kullanıcı adı", "Name": "Ad", "Bio": "Biyografi", "Website": "Web sitesi"}
    data = fetch(write_folder(tmp_path / "ig", instagram_new(labels=labels)), ctx, "instagram-export")
    assert data.profile.username == "ihs_music"  # the value that is the registered handle
    assert data.profile.website == Link("https://www.islwynhigh.co.uk/music")  # the value that is an address
    assert data.profile.bio is None  # not told apart from the other fields: not claimed to be empty
    assert data.profile.links == (Link(AUP),)  # but the addresses in the profile are all seen by the AUP check


def test_instagram_export_of_another_account(tmp_path: Path, ctx: FetchContext) -> None:
    source = write_folder(tmp_path / "ig", instagram_new(username="not_the_school"))
    assert "belongs to not_the_school, not the registered account @ihs_music" in refused(
        source, ctx, "instagram-export"
    )


# --- exports that cannot be read --------------------------------------------------------------------------------------


def test_html_export_is_refused_with_the_fix(tmp_path: Path, ctx: FetchContext) -> None:
    files = {
        "start_here.html": b"<html></html>",
        "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.html": b"<html></html>",
        "personal_information/profile_information/profile_information.html": b"<html></html>",
    }
    message = refused(write_zip(tmp_path / "fb.zip", files), ctx)
    assert "is an export in HTML format" in message and "choose Format: JSON" in message
    message = refused(
        write_folder(tmp_path / "ig", {"your_instagram_activity/content/posts_1.html": b"<p>"}), ctx, "instagram-export"
    )
    assert "choose Format: JSON" in message


def test_a_json_file_holding_html(tmp_path: Path, ctx: FetchContext) -> None:
    files = facebook_new() | {"your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json": b"<html>"}
    assert "holds a web page, not JSON" in refused(write_folder(tmp_path / "fb", files), ctx)


def test_truncated_json(tmp_path: Path, ctx: FetchContext) -> None:
    rel = "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"
    files = facebook_new()
    files[rel] = files[rel][: len(files[rel]) // 2]
    message = refused(write_folder(tmp_path / "fb", files), ctx)
    assert message.startswith(f"{rel} in <source> ends before its data does")
    assert "download the export again" in message


def test_json_syntax_error(tmp_path: Path, ctx: FetchContext) -> None:
    files = facebook_new() | {"personal_information/profile_information/profile_information.json": b'{"a": [1,, 2]}'}
    assert "has a JSON syntax error at line 1, column 10: Expecting value" in refused(
        write_folder(tmp_path / "fb", files), ctx
    )


def test_field_of_the_wrong_type(tmp_path: Path, ctx: FetchContext) -> None:
    files = facebook_new() | {
        "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json": meta_json([{"timestamp": "x"}])
    }
    message = refused(write_folder(tmp_path / "fb", files), ctx)
    assert "entry 1: 'timestamp' should be a time in seconds, found text" in message


def test_not_an_export(tmp_path: Path, ctx: FetchContext) -> None:
    source = write_folder(tmp_path / "misc", {"notes.txt": b"hello"})
    assert "is not a Facebook 'Download your information' export in JSON format" in refused(source, ctx)
    assert "does not exist" in refused(tmp_path / "missing", ctx)
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really")
    assert "is not a valid zip file" in refused(tmp_path / "bad.zip", ctx)


def test_zip_member_escaping_the_export(tmp_path: Path, ctx: FetchContext) -> None:
    source = write_zip(tmp_path / "fb.zip", facebook_new() | {"../../etc/cron.d/evil": b"x"})
    assert "has a hostile member name '../../etc/cron.d/evil'" in refused(source, ctx)


def test_uri_escaping_the_export(tmp_path: Path, ctx: FetchContext) -> None:
    files = facebook_new()
    files["your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"] = meta_json(
        fb_posts(photo="../../../../etc/passwd")
    )
    assert "names the file '../../../../etc/passwd', a path that leaves the export" in refused(
        write_folder(tmp_path / "fb", files), ctx
    )


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symbolic_link_out_of_the_folder(tmp_path: Path, ctx: FetchContext) -> None:
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(JPEG)
    source = write_folder(tmp_path / "fb", {k: v for k, v in facebook_new().items() if k != FB_PHOTO})
    (source / FB_PHOTO).symlink_to(secret)
    assert "points outside the export folder" in refused(source, ctx)


def test_zip_bomb(tmp_path: Path, ctx: FetchContext) -> None:
    source = write_zip(
        tmp_path / "bomb.zip", facebook_new() | {"your_facebook_activity/posts/media/x.jpg": bytes(11 << 20)}
    )
    assert "which only a zip bomb does" in refused(source, ctx)


def test_missing_photo_is_left_unavailable(tmp_path: Path, ctx: FetchContext) -> None:
    files = {k: v for k, v in facebook_new().items() if k != FB_PHOTO}
    data = fetch(write_folder(tmp_path / "fb", files), ctx)
    [photo] = data.posts[-1].media
    assert photo.local_path is None and photo.location == (51.56318, -3.03461)  # the stated location is still read


# --- the platform registry and the config -----------------------------------------------------------------------------


def test_specs() -> None:
    for name, family in (("facebook-export", "facebook"), ("instagram-export", "instagram")):
        spec = platforms.get(name)
        assert spec is not None and spec.steps_family == family
        assert not spec.reads_comments and spec.source_required and not spec.credentials
    assert isinstance(get_connector("facebook-export"), FacebookExportConnector)
    assert isinstance(get_connector("instagram-export"), InstagramExportConnector)


def test_config_accepts_and_refuses(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@HistoryIHS"
        platform = "facebook-export"
        department = "History"
        source = "fb"
        """,
    )
    [acc] = config_mod.load(path).accounts
    assert acc.platform == "facebook-export" and acc.source == tmp_path / "fb"
    bad = write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@ihs_music"
        platform = "instagram-export"
        department = "Music"
        """,
    )
    with pytest.raises(config_mod.ConfigError) as info:
        config_mod.load(bad)
    assert "Instagram 'Download your information' export" in str(info.value)


# --- the committed samples --------------------------------------------------------------------------------------------


def test_samples_match_their_builder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("build_samples", REPO / "examples" / "build_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_samples", module)
    spec.loader.exec_module(module)
    built = module.build_meta(tmp_path)
    assert [p.name for p in built] == ["HanesIHS-facebook", "ihs_music-instagram.zip"]
    committed = REPO / "examples" / "archives"
    for path in built:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as new, zipfile.ZipFile(committed / path.name) as old:
                assert {i.filename: new.read(i) for i in new.infolist()} == {
                    i.filename: old.read(i) for i in old.infolist()
                }, f"examples/archives/{path.name} is stale"
        else:

            def contents(root: Path) -> dict[str, bytes]:
                return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

            assert contents(path) == contents(committed / path.name), f"examples/archives/{path.name} is stale"


def test_samples_read(ctx: FetchContext) -> None:
    archives = REPO / "examples" / "archives"
    fb = fetch(archives / "HanesIHS-facebook", ctx, handle="@HanesIHS")
    assert fb.profile.website == Link(AUP)
    located = [m for p in fb.posts for m in p.media if m.location]
    assert len(located) == 1 and sum(len(p.media) for p in fb.posts) == 2  # one photo says where; one is stripped
    assert any("Gŵyl" in p.text and "Thŷ" in p.text and " â " in p.text for p in fb.posts)
    ig = fetch(archives / "ihs_music-instagram.zip", ctx, "instagram-export")
    assert ig.profile.username == "ihs_music" and ig.profile.website is None
    assert [m.location is not None for p in ig.posts for m in p.media].count(True) == 1
    assert any("côr" in (ig.profile.bio or "") for _ in [0])
