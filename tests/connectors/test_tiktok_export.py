"""TikTokExportConnector against exports shaped like TikTok's real "Download your data" JSON, built in tmp_path.

The fixtures follow the layouts public parsers of real exports read (docs/connectors-tiktok.md names them): the
current one (`Profile And Settings`, `Post > Posts > VideoList`, `user_data_tiktok.json`) and the older one (`Profile >
Profile Information`, `App Settings`, `Video > Videos > VideoList`, `user_data.json`). Every value is invented.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from auditor import config as config_mod
from auditor import platforms
from auditor.connectors import ConnectorError, FetchContext, tiktok_export
from auditor.connectors.tiktok_export import TikTokExportConnector
from auditor.model import (
    SETTING_ALLOW_DOWNLOADS,
    SETTING_COMMENT_FILTER,
    SETTING_PRIVATE_ACCOUNT,
    SETTING_WHO_CAN_COMMENT,
    SETTING_WHO_CAN_MESSAGE,
    Account,
    AccountData,
    Link,
)
from tests.conftest import write_config

REPO = Path(__file__).resolve().parents[2]
AUP = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"


def video(video_id: str, date: str, title: str = "", location: str = "", **extra: str) -> dict[str, str]:
    """One entry of `Post > Posts > VideoList` as current exports write it (every value text)."""
    item = {
        "Date": date,
        "Link": f"https://www.tiktokv.com/share/video/{video_id}/",
        "Likes": "12",
        "WhoCanView": "Everyone",
        "AllowComments": "Yes",
        "AllowStitches": "No",
        "AllowDuets": "No",
        "AllowStickers": "No",
        "AllowSharingToStory": "Yes",
        "ContentDisclosure": "",
        "AIGeneratedContent": "No",
        "Sound": "original sound - ArtIHS",
        "Location": location,
        "Title": title,
        "AddYoursText": "",
        "AlternateText": "",
        "CoverImage": f"https://p16-sign-va.tiktokcdn.com/obj/cover-{video_id}.jpeg",
    }
    item.update(extra)
    return item


def current_export(
    username: str = "ArtIHS",
    bio: str = f"Art at Islwyn High. AUP: {AUP}",
    videos: list[dict[str, str]] | None = None,
    settings: dict[str, object] | None = None,
) -> dict[str, Any]:
    """A `user_data_tiktok.json` in the 2025 layout, with the sections the connector ignores as well."""
    return {
        "Comment": {"Comments": {"App": 1, "CommentsList": None}},
        "Direct Message": {"Direct Messages": {"ChatHistory": {}}},
        "Post": {
            "Posts": {
                "VideoList": videos if videos is not None else [video("7400000000000000001", "2026-01-05 10:00:00")]
            },
            "Recently Deleted Posts": {"PostList": []},
        },
        "Profile And Settings": {
            "Profile Info": {
                "App": 1,
                "ProfileMap": {
                    "PlatformInfo": [],
                    "accountRegion": "GB",
                    "bioDescription": bio,
                    "birthDate": "1990-01-01",
                    "displayName": "Art IHS",
                    "emailAddress": "art.teacher@example.com",
                    "followerCount": 12,
                    "followingCount": 1,
                    "instagramLink": "",
                    "likesReceived": "None",
                    "profilePhoto": "https://p16-sign-va.tiktokcdn.com/obj/avatar.jpeg",
                    "profileVideo": "None",
                    "telephoneNumber": "+44 7700 900123",
                    "userName": username,
                    "youtubeLink": "https://www.youtube.com/@ArtIHS",
                },
            },
            "Settings": {
                "App": 1,
                "SettingsMap": settings
                if settings is not None
                else {
                    "Allow DownLoad": "On",
                    "Filter Comments": "Off",
                    "Private Account": "Off",
                    "Who Can Post Comments": "Everyone",
                    "Who Can Send Me Message": "Friends",
                    "Push Notification": {"New Fans": "On"},
                    "Who can see your following list::": "Everyone",
                },
            },
        },
        "Your Activity": {"Watch History": {"VideoList": None}},
    }


def older_export(username: str = "ArtIHS") -> dict[str, Any]:
    """A `user_data.json` in the layout before 2024: `Profile > Profile Information`, `App Settings`, `Video`."""
    return {
        "Activity": {"Favorite Videos": {"FavoriteVideoList": []}},
        "App Settings": {
            "Block": {"BlockList": []},
            "Settings": {"SettingsMap": {"Allow DownLoad": "Off", "Private Account": "On", "Filter Comments": "On"}},
        },
        "Comment": {"CommentsList": []},
        "Profile": {
            "Profile Information": {
                "ProfileMap": {
                    "PlatformInfo": [],
                    "bioDescription": "",
                    "birthDate": "01-Jan-1990",
                    "emailAddress": "old@example.com",
                    "likesReceived": "3",
                    "profilePhoto": "",
                    "telephoneNumber": "",
                    "userName": username,
                }
            }
        },
        "Video": {
            "Videos": {
                "VideoList": [
                    {
                        "Date": "2021-05-01 08:00:00",
                        "Link": "https://www.tiktokv.com/share/video/6950000000000000001/",
                        "Likes": "4",
                    },
                    {
                        "Date": "2021-06-01 08:00:00",
                        "Link": "https://www.tiktokv.com/share/video/6960000000000000002/",
                        "Likes": "9",
                        "Desc": "Year 8 clay pots",
                    },
                ]
            }
        },
    }


def dump(doc: object) -> bytes:
    return json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8")


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def account(source: Path, handle: str = "@ArtIHS") -> Account:
    return Account(handle, "tiktok", "Art", source=source)


def fetch(source: Path, handle: str = "@ArtIHS", **ctx: Any) -> AccountData:
    return TikTokExportConnector().fetch(account(source, handle), FetchContext(**ctx))


def refused(source: Path, handle: str = "@ArtIHS") -> str:
    with pytest.raises(ConnectorError) as caught:
        fetch(source, handle)
    return str(caught.value)


# --- reading -----------------------------------------------------------------------------------------------------


def test_reads_a_current_export_as_tiktok_sends_it(tmp_path: Path) -> None:
    videos = [
        video("7400000000000000001", "2026-01-05 10:00:00", "Year 9 portraits, see https://www.islwynhigh.co.uk/art"),
        video("7400000000000000002", "2026-02-10 15:30:00", "Gallery trip!", location="Newport Museum and Art Gallery"),
    ]
    source = write_zip(tmp_path / "TikTok_Data_1.zip", {"user_data_tiktok.json": dump(current_export(videos=videos))})
    data = fetch(source)

    assert data.profile.username == "ArtIHS" and data.profile.display_name == "Art IHS"
    assert data.profile.url == "https://www.tiktok.com/@ArtIHS"
    assert data.profile.links == (Link(AUP), Link("https://www.youtube.com/@ArtIHS"))
    assert [p.id for p in data.posts] == ["7400000000000000002", "7400000000000000001"]  # newest first
    newest, oldest = data.posts
    assert newest.place == "Newport Museum and Art Gallery" and oldest.place is None
    assert newest.url == "https://www.tiktok.com/@ArtIHS/video/7400000000000000002"
    assert newest.created_at == dt.datetime(2026, 2, 10, 15, 30, tzinfo=dt.UTC)
    assert oldest.text == "Year 9 portraits, see https://www.islwynhigh.co.uk/art"
    assert [m.type for m in oldest.media] == ["video"] and oldest.media[0].local_path is None
    assert data.settings == {
        SETTING_ALLOW_DOWNLOADS: "On",
        SETTING_COMMENT_FILTER: "Off",
        SETTING_PRIVATE_ACCOUNT: "Off",
        SETTING_WHO_CAN_COMMENT: "Everyone",
        SETTING_WHO_CAN_MESSAGE: "Friends",
    }
    assert data.complete and data.comments_examined == 0
    # The profile's e-mail address, phone number and birth date never leave the connector.
    shown = repr(data)
    assert "art.teacher@example.com" not in shown and "7700 900123" not in shown and "1990-01-01" not in shown


def test_reads_an_older_export_folder(tmp_path: Path) -> None:
    folder = tmp_path / "TikTok_Data_2021"
    folder.mkdir()
    (folder / "user_data.json").write_bytes(dump(older_export()))
    data = fetch(folder)
    assert data.profile.username == "ArtIHS" and data.profile.bio == "" and data.profile.links == ()
    assert [(p.id, p.text) for p in data.posts] == [
        ("6960000000000000002", "Year 8 clay pots"),
        ("6950000000000000001", ""),
    ]
    assert data.settings == {
        SETTING_ALLOW_DOWNLOADS: "Off",
        SETTING_PRIVATE_ACCOUNT: "On",
        SETTING_COMMENT_FILTER: "On",
    }


def test_reads_the_json_file_itself_and_a_folder_one_level_down(tmp_path: Path) -> None:
    file = tmp_path / "user_data_tiktok.json"
    file.write_bytes(b"\xef\xbb\xbf" + dump(current_export()))  # a byte-order mark is harmless
    assert fetch(file).profile.username == "ArtIHS"
    nested = tmp_path / "unpacked" / "TikTok_Data_2026"
    nested.mkdir(parents=True)
    (nested / "user_data_tiktok.json").write_bytes(dump(current_export()))
    assert [p.id for p in fetch(tmp_path / "unpacked").posts] == ["7400000000000000001"]


def test_an_account_that_never_posted_has_no_posts(tmp_path: Path) -> None:
    doc = current_export()
    doc["Post"]["Posts"]["VideoList"] = None  # TikTok writes null for an empty list
    doc["Profile And Settings"]["Settings"]["SettingsMap"] = {}
    data = fetch(write_zip(tmp_path / "e.zip", {"user_data_tiktok.json": dump(doc)}))
    assert data.posts == [] and data.settings == {}


def test_since_keeps_recent_videos_and_marks_the_history_incomplete(tmp_path: Path) -> None:
    videos = [video("7400000000000000001", "2026-01-05 10:00:00"), video("7400000000000000002", "2026-02-10 15:30:00")]
    source = tmp_path / "user_data_tiktok.json"
    source.write_bytes(dump(current_export(videos=videos)))
    data = fetch(source, since=dt.date(2026, 2, 1))
    assert [p.id for p in data.posts] == ["7400000000000000002"] and not data.complete


def test_a_video_without_an_id_in_its_link_keeps_the_same_id_run_after_run(tmp_path: Path) -> None:
    odd = video("1", "2026-01-05 10:00:00", "A title")
    odd["Link"] = "https://example.invalid/something"
    source = tmp_path / "user_data_tiktok.json"
    source.write_bytes(dump(current_export(videos=[odd])))
    first, second = fetch(source).posts[0], fetch(source).posts[0]
    assert first.id == second.id and first.id.startswith("v") and first.url == "https://example.invalid/something"


# --- refused, with a reason a teacher can act on --------------------------------------------------------------------


def test_an_export_of_another_account_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "user_data_tiktok.json"
    source.write_bytes(dump(current_export(username="someone_else")))
    assert "belongs to @someone_else, not the registered handle @ArtIHS" in refused(source)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"Profile And Settings": {"Profile Info": {"ProfileMap": {"userName": "Ar', "looks truncated"),
        (b'{"Post": {"Posts": [1, 2,, ]}}', "JSON syntax error at line 1"),
        ("{}".encode("utf-16"), "UTF-16"),
        (b'{"Post": "caf\xe9"}', "not UTF-8 text"),
        (b"", "is empty"),
        (b"[1, 2, 3]", "should hold a JSON object"),
        (b'{"tweets": []}', "not a TikTok data export"),
        (b'{"Post": {}}', "has no profile"),
        (b"[" * 100_000 + b"]" * 100_000, "nests its data too deeply"),
    ],
)
def test_a_broken_json_file_is_refused_with_its_reason(tmp_path: Path, raw: bytes, expected: str) -> None:
    source = tmp_path / "user_data_tiktok.json"
    source.write_bytes(raw)
    assert expected in refused(source)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["Post"]["Posts"].update(VideoList={"a": 1}), "'Post > Posts > VideoList' should be a list"),
        (lambda d: d["Post"]["Posts"]["VideoList"].append("x"), "video 2 should be an object"),
        (lambda d: d["Post"]["Posts"]["VideoList"][0].update(Date="yesterday"), "is not a date like"),
        (lambda d: d["Post"]["Posts"]["VideoList"][0].update(Date="2026-02-30 10:00:00"), "is not a real date"),
        (lambda d: d["Post"]["Posts"]["VideoList"][0].update(Title=["x"]), "'Title' should be text, found a list"),
        (lambda d: d["Profile And Settings"].update({"Profile Info": []}), "should be an object, found a list"),
        (lambda d: d["Profile And Settings"]["Profile Info"]["ProfileMap"].update(userName=""), "has no username"),
    ],
)
def test_a_changed_field_is_refused_by_name(tmp_path: Path, change: Any, expected: str) -> None:
    doc = current_export()
    change(doc)
    source = tmp_path / "user_data_tiktok.json"
    source.write_bytes(dump(doc))
    assert expected in refused(source)


def test_a_txt_export_asks_for_the_json_format(tmp_path: Path) -> None:
    source = write_zip(tmp_path / "txt.zip", {"Profile/Profile Info.txt": b"Username: ArtIHS\n"})
    assert "TXT format" in refused(source) and "JSON" in refused(source)
    assert "no user_data_tiktok.json" in refused(write_zip(tmp_path / "other.zip", {"photo.jpg": b"\xff\xd8"}))


def test_missing_and_damaged_sources_are_refused(tmp_path: Path) -> None:
    assert "does not exist" in refused(tmp_path / "nowhere.zip")
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really a zip")
    assert "not a valid zip file" in refused(tmp_path / "bad.zip")
    with pytest.raises(ConnectorError, match="no export is configured"):
        TikTokExportConnector().fetch(Account("@ArtIHS", "tiktok", "Art"), FetchContext())


def test_a_hostile_zip_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    for name in ("../user_data_tiktok.json", "/etc/user_data_tiktok.json", "C:/x/user_data.json", "a\\b.json"):
        source = write_zip(tmp_path / "hostile.zip", {name: dump(current_export()), "user_data_tiktok.json": b"{}"})
        assert "hostile member name" in refused(source), name


def test_a_zip_bomb_is_refused_without_inflating_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_zip(tmp_path / "bomb.zip", {"user_data_tiktok.json": b" " * (12 * 1024 * 1024)})
    assert "only a zip bomb does" in refused(source)
    # A member larger than the bound is refused from its header, before it is inflated.
    monkeypatch.setattr(tiktok_export, "MAX_JSON_BYTES", 1024)
    small = write_zip(tmp_path / "big.zip", {"user_data_tiktok.json": dump(current_export()) + b" " * 4096})
    assert "larger than the" in refused(small)


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.json"
    outside.write_bytes(dump(current_export()))
    folder = tmp_path / "export"
    folder.mkdir()
    os.symlink(outside, folder / "user_data_tiktok.json")
    assert "points outside the export folder" in refused(folder)


# --- the platform, through the config ------------------------------------------------------------------------------


def test_the_spec_makes_comments_a_manual_item_and_needs_a_source(tmp_path: Path) -> None:
    spec = platforms.get("tiktok")
    assert spec is not None and not spec.reads_comments and spec.source == "path" and spec.source_required
    config = write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@ArtIHS"
        platform = "tiktok"
        department = "Art"
        source = "export.zip"
        """,
    )
    [loaded] = config_mod.load(config).accounts
    assert loaded.platform == "tiktok" and loaded.source == tmp_path / "export.zip"


def test_the_config_refuses_a_tiktok_account_without_a_source(tmp_path: Path) -> None:
    config = write_config(tmp_path, '[[accounts]]\nhandle = "@ArtIHS"\nplatform = "tiktok"\ndepartment = "Art"\n')
    with pytest.raises(config_mod.ConfigError) as caught:
        config_mod.load(config)
    assert "source" in str(caught.value)
    # The Data Portability API route needs no source: it requests the export itself (tests/connectors/
    # test_tiktok_portability.py).
    config = write_config(tmp_path, '[[accounts]]\nhandle = "@ArtIHS"\nplatform = "tiktok-api"\ndepartment = "Art"\n')
    [loaded] = config_mod.load(config).accounts
    assert loaded.platform == "tiktok-api" and loaded.source is None


def test_the_committed_sample_is_read(tmp_path: Path) -> None:
    data = fetch(REPO / "examples" / "archives" / "DramaIHS-tiktok.zip", handle="@DramaIHS")
    assert len(data.posts) == 4 and data.profile.username == "DramaIHS"
    assert [p.place for p in data.posts if p.place] == ["Blackwood Miners' Institute"]
    assert data.settings[SETTING_WHO_CAN_COMMENT] == "Everyone"
