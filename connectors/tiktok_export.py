"""Reads a TikTok account's own "Download your data" export (JSON format) into the shared model.

A school without a TikTok developer app can still audit its account: the account's owner asks TikTok for its data
(Settings and privacy > Account > Download your data, format JSON) and gives the auditor the file TikTok sends, as the
.zip, the folder it was unpacked into, or the JSON file itself. The file is `user_data_tiktok.json` in exports since
2024 and `user_data.json` before.

Two layouts are read (field names from public parsers of real exports; docs/connectors-tiktok.md lists them):

- current: `Profile And Settings > Profile Info > ProfileMap`, `Profile And Settings > Settings > SettingsMap`,
  `Post > Posts > VideoList` (each video: `Date`, `Link`, `Likes`, `Title`, `Location`, `Sound`, `AlternateText`...);
- older: `Profile > Profile Information` (or `Profile Info`) `> ProfileMap`, `App Settings > Settings > SettingsMap`,
  `Video > Videos > VideoList` (each video: `Date`, `Link`, `Likes`), with the text, where there is one, in `Desc`.

The export holds the account's own videos (their links, titles and place tags, never the video files) and its
settings; it does not hold other people's comments on them, so the platform's spec says `reads_comments=False`. The
profile's e-mail address, telephone number and birth date are never read: they must not reach a report.

An export is data from outside: a zip may be hostile (path traversal, zip bombs), a folder may hold symbolic links
that point elsewhere, and the JSON may be truncated, re-encoded or edited by hand. Every problem becomes a
`ConnectorError` naming the file, because the runner shows that message to the member of staff who has to fix it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.export_archive import decode_json, hostile
from auditor.model import (
    SETTING_ALLOW_DOWNLOADS,
    SETTING_COMMENT_FILTER,
    SETTING_PRIVATE_ACCOUNT,
    SETTING_WHO_CAN_COMMENT,
    SETTING_WHO_CAN_MESSAGE,
    Account,
    AccountData,
    Link,
    Media,
    Post,
    Profile,
)
from auditor.urls import find_urls

# The export's file names, newest first.
FILE_NAMES = ("user_data_tiktok.json", "user_data.json")
# A real export of a busy personal account is a few megabytes (its watch history dominates); a school account's is
# smaller. Anything far bigger is not an export to parse in memory.
MAX_JSON_BYTES = 200 * 1024 * 1024
# Zip-bomb defence: JSON compresses about 10:1; a large member squeezed 100 times is manufactured.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 10_000

# Values TikTok writes for "nothing here" (the exports use all of them, section by section).
_EMPTY = frozenset({"", "n/a", "none", "null"})
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\s*UTC)?")
_VIDEO_ID = re.compile(r"/(?:video|v|photo)/(\d{1,30})")
_UNZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError)

# SettingsMap keys (as TikTok writes them) -> the names the checks read. "Allow DownLoad" is TikTok's own spelling.
_SETTINGS = {
    "Who Can Post Comments": SETTING_WHO_CAN_COMMENT,
    "Filter Comments": SETTING_COMMENT_FILTER,
    "Private Account": SETTING_PRIVATE_ACCOUNT,
    "Allow DownLoad": SETTING_ALLOW_DOWNLOADS,
    "Allow Download": SETTING_ALLOW_DOWNLOADS,
    "Who Can Send Me Message": SETTING_WHO_CAN_MESSAGE,
}
# Profile links TikTok shows beside the bio (current exports).
_PROFILE_LINKS = ("instagramLink", "youtubeLink", "lemon8Link")


class TikTokExportConnector:
    """Audits a TikTok account from its "Download your data" export: its own videos and settings, no network."""

    def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
        raw, where = _read_export(account)
        doc = _parse(raw, where)
        profile_map = _profile_map(doc, where)
        username = _text(profile_map, "userName", where)
        if not username:
            raise ConnectorError(f"{where} has no username (ProfileMap > userName); it is not a complete export")
        _check_handle(account, username, where)
        bio = _text(profile_map, "bioDescription", where)
        display = _text(profile_map, "displayName", where) or None
        extra = [u for key in _PROFILE_LINKS if (u := _text(profile_map, key, where))]
        links = tuple(Link(u) for u in dict.fromkeys([*find_urls(bio), *extra]))
        profile = Profile(
            username=username,
            display_name=display,
            bio=bio,
            links=links,
            url=f"https://www.tiktok.com/@{username}",
        )
        videos = [_video(item, i, username, where) for i, item in enumerate(_video_list(doc, where), 1)]
        # TikTok's dates carry no zone; they are UTC (the comment dates say so), so --since is a UTC date too.
        kept = [v for v in videos if ctx.since is None or v.created_at is None or v.created_at.date() >= ctx.since]
        kept.sort(key=lambda p: (p.created_at or dt.datetime.min.replace(tzinfo=dt.UTC), p.id), reverse=True)
        return AccountData(
            profile=profile, posts=_unique(kept), complete=ctx.since is None, settings=_settings(doc, where)
        )


# --- where the JSON comes from ----------------------------------------------------------------------------------------


def _read_export(account: Account) -> tuple[bytes, str]:
    """The export's JSON text as bytes, and how to name it in messages."""
    source = account.source
    if source is None:
        raise ConnectorError(
            f"no export is configured for {account.handle}: set 'source' to the TikTok data export's .zip, folder or "
            f"{FILE_NAMES[0]}"
        )
    try:
        is_dir, is_file = source.is_dir(), source.is_file()
    except OSError as exc:
        raise ConnectorError(f"the TikTok export {source} could not be examined: {exc.strerror or exc}") from None
    if is_dir:
        return _from_folder(source)
    if not is_file:
        raise ConnectorError(f"the TikTok export {source} does not exist")
    if zipfile.is_zipfile(source):
        return _from_zip(source)
    if source.suffix.lower() == ".zip":
        raise ConnectorError(f"{source} is not a valid zip file; it may be damaged or an incomplete download")
    return _read_bounded(source, str(source)), str(source)


def _read_bounded(path: Path, where: str) -> bytes:
    try:
        with path.open("rb") as f:
            data = f.read(MAX_JSON_BYTES + 1)
    except OSError as exc:
        raise ConnectorError(f"{where} could not be read: {exc.strerror or exc}") from None
    if len(data) > MAX_JSON_BYTES:
        raise _too_big(where)
    return data


def _too_big(where: str) -> ConnectorError:
    return ConnectorError(
        f"{where} is larger than the {MAX_JSON_BYTES // (1024 * 1024)} MB this auditor will read; it is not a normal "
        f"TikTok data export"
    )


def _from_folder(folder: Path) -> tuple[bytes, str]:
    root = folder.resolve()
    # The file sits at the top of the export, or one folder down when the zip was unpacked into a folder of its own.
    candidates = [folder / name for name in FILE_NAMES]
    try:
        candidates += [sub / name for sub in sorted(folder.iterdir()) if sub.is_dir() for name in FILE_NAMES]
    except OSError as exc:
        raise ConnectorError(f"the TikTok export folder {folder} could not be listed: {exc.strerror or exc}") from None
    for path in candidates:
        try:
            if not path.exists():
                continue
            resolved = path.resolve()
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
            raise ConnectorError(f"{path} could not be examined: {exc}") from None
        # A symbolic link in an unpacked export could make us read (and report on) any file on this computer.
        if not resolved.is_relative_to(root):
            raise ConnectorError(f"{path} points outside the export folder (a symbolic link?); refusing to read it")
        if not resolved.is_file():
            raise ConnectorError(f"{path} is not a regular file")
        return _read_bounded(resolved, str(path)), str(path)
    raise ConnectorError(_not_found(str(folder), _txt_export(folder)))


def _txt_export(folder: Path) -> bool:
    try:
        return any(p.suffix.lower() == ".txt" for p in folder.rglob("*.txt") if p.is_file())
    except OSError:
        return False


def _not_found(label: str, txt: bool) -> str:
    if txt:
        return (
            f"{label} is a TikTok export in TXT format, which the auditor cannot read: request the data again with "
            f"the JSON format (Settings and privacy > Account > Download your data > JSON)"
        )
    return (
        f"{label} has no {FILE_NAMES[0]} or {FILE_NAMES[1]}: it is not a TikTok data export in JSON format (give the "
        f".zip TikTok sent, the folder it was unpacked into, or the JSON file itself)"
    )


def _from_zip(path: Path) -> tuple[bytes, str]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise ConnectorError(
            f"{path} is not a valid zip file ({exc}); it may be damaged or an incomplete download"
        ) from None
    except OSError as exc:
        raise ConnectorError(f"the TikTok export {path} could not be opened: {exc.strerror or exc}") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ConnectorError(
                f"{path} holds {len(infos)} files; a TikTok data export holds a handful, so it is refused"
            )
        # Refused whole before anything is read: a hostile entry means the zip was made or tampered with.
        for info in infos:
            for name in (info.filename, info.orig_filename):
                if hostile(name):
                    raise ConnectorError(
                        f"{path} has a hostile member name {name!r} (absolute, with a drive letter, a backslash or "
                        f"'..'); a genuine TikTok export never does, so it is refused"
                    )
        wanted = [i for i in infos if not i.is_dir() and PurePosixPath(i.filename).name in FILE_NAMES]
        # At the top first, then one folder down; the newer name first.
        wanted.sort(key=lambda i: (i.filename.count("/"), FILE_NAMES.index(PurePosixPath(i.filename).name)))
        if not wanted or wanted[0].filename.count("/") > 1:
            txt = any(i.filename.lower().endswith(".txt") for i in infos)
            raise ConnectorError(_not_found(str(path), txt))
        info = wanted[0]
        where = f"{info.filename} in {path}"
        if info.file_size > MAX_JSON_BYTES:
            raise _too_big(where)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECK_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise ConnectorError(
                f"{where} expands from {info.compress_size} bytes to {info.file_size} bytes, which only a zip bomb "
                f"does; the export is refused"
            )
        try:
            # Read with a bound, whatever the member's header declares: a lying header cannot make us inflate more.
            with zf.open(info) as member:
                data = member.read(MAX_JSON_BYTES + 1)
        except _UNZIP_ERRORS as exc:
            raise ConnectorError(
                f"{where} could not be unpacked ({exc}); the zip may be damaged, incomplete or encrypted"
            ) from None
        if len(data) > MAX_JSON_BYTES:
            raise _too_big(where)
        return data, where


# --- parsing ----------------------------------------------------------------------------------------------------------


def _parse(raw: bytes, where: str) -> dict[str, Any]:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ConnectorError(
            f"{where} is UTF-16 text, not the UTF-8 TikTok sends: it was re-saved by another program; use the file "
            f"from TikTok's download"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConnectorError(
            f"{where} is not UTF-8 text (bad byte at offset {exc.start}): it was re-saved in another encoding or is "
            f"not a TikTok export; use the file from TikTok's download"
        ) from None
    if not text.strip():
        raise ConnectorError(f"{where} is empty: download the export again")
    value = decode_json(text, where, "TikTok export")
    if not isinstance(value, dict):
        raise ConnectorError(f"{where} should hold a JSON object (TikTok's sections), found {_kind(value)}")
    if not any(key in value for key in ("Profile And Settings", "Profile", "Post", "Video", "App Settings")):
        raise ConnectorError(
            f"{where} is JSON but not a TikTok data export: it has none of the sections 'Profile And Settings', "
            f"'Profile', 'Post' or 'Video'"
        )
    return value


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    names: dict[type, str] = {dict: "an object", list: "a list", str: "text"}
    return names.get(type(value), type(value).__name__)


def _path(doc: dict[str, Any], keys: tuple[str, ...], where: str) -> Any:
    """The value at `keys` (None when a section is missing or null); a section of the wrong kind is an error."""
    value: Any = doc
    for depth, key in enumerate(keys):
        if value is None:
            return None
        if not isinstance(value, dict):
            trail = " > ".join(keys[:depth])
            raise ConnectorError(f"{where}: '{trail}' should be an object, found {_kind(value)}")
        value = value.get(key)
    return value


def _first(doc: dict[str, Any], paths: tuple[tuple[str, ...], ...], where: str) -> tuple[Any, tuple[str, ...]]:
    for keys in paths:
        value = _path(doc, keys, where)
        if value is not None:
            return value, keys
    return None, paths[0]


def _text(obj: dict[str, Any], key: str, where: str) -> str:
    """A text field, "" when absent or one of TikTok's empty markers ("N/A", "None")."""
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ConnectorError(f"{where}: {key!r} should be text, found {_kind(value)}")
    return "" if value.strip().lower() in _EMPTY else value.strip()


_PROFILE_PATHS = (
    ("Profile And Settings", "Profile Info", "ProfileMap"),
    ("Profile", "Profile Info", "ProfileMap"),
    ("Profile", "Profile Information", "ProfileMap"),
)
_SETTINGS_PATHS = (
    ("Profile And Settings", "Settings", "SettingsMap"),
    ("App Settings", "Settings", "SettingsMap"),
)
_VIDEO_PATHS = (
    ("Post", "Posts", "VideoList"),
    ("Video", "Videos", "VideoList"),
    ("Activity", "Video", "Videos", "VideoList"),
)


def _profile_map(doc: dict[str, Any], where: str) -> dict[str, Any]:
    value, keys = _first(doc, _PROFILE_PATHS, where)
    if value is None:
        raise ConnectorError(
            f"{where} has no profile ('Profile And Settings > Profile Info > ProfileMap', or 'Profile > Profile "
            f"Information > ProfileMap' in older exports): it is not a complete TikTok export"
        )
    if not isinstance(value, dict):
        raise ConnectorError(f"{where}: '{' > '.join(keys)}' should be an object, found {_kind(value)}")
    return value


def _settings(doc: dict[str, Any], where: str) -> dict[str, str]:
    value, keys = _first(doc, _SETTINGS_PATHS, where)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConnectorError(f"{where}: '{' > '.join(keys)}' should be an object, found {_kind(value)}")
    found: dict[str, str] = {}
    for raw_key, name in _SETTINGS.items():
        setting = value.get(raw_key)
        # A setting given as something other than text is not one the checks could judge: it is left out, so its
        # check says nothing rather than guessing.
        if isinstance(setting, str) and setting.strip():
            found.setdefault(name, setting.strip())
    return found


def _video_list(doc: dict[str, Any], where: str) -> list[Any]:
    value, keys = _first(doc, _VIDEO_PATHS, where)
    if value is None:  # an account that has posted nothing: TikTok writes null
        return []
    if not isinstance(value, list):
        raise ConnectorError(f"{where}: '{' > '.join(keys)}' should be a list, found {_kind(value)}")
    return value


def _check_handle(account: Account, username: str, where: str) -> None:
    if username.casefold() != account.handle.removeprefix("@").casefold():
        raise ConnectorError(
            f"the export {where} belongs to @{username}, not the registered handle "
            f"@{account.handle.removeprefix('@')}; auditing it would report on the wrong account, so check its "
            f"'source' in the config"
        )


def _date(value: str, where: str) -> dt.datetime | None:
    if not value:
        return None
    match = _DATE.fullmatch(value.strip())
    if match is None:
        raise ConnectorError(f"{where}: 'Date' {value!r} is not a date like '2025-03-14 15:09:26'")
    try:
        year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except ValueError as exc:
        raise ConnectorError(f"{where}: 'Date' {value!r} is not a real date ({exc})") from None


def _video(item: object, index: int, username: str, where: str) -> Post:
    here = f"{where}, video {index}"
    if not isinstance(item, dict):
        raise ConnectorError(f"{here} should be an object, found {_kind(item)}")
    created = _date(_text(item, "Date", here), here)
    link = _text(item, "Link", here)
    match = _VIDEO_ID.search(link)
    if match is not None:
        video_id = match.group(1)
    else:
        # Without an id in its link, the video is named by what the export says of it, the same run after run.
        seed = json.dumps([item.get("Date"), link, item.get("Title"), item.get("Desc")], default=str)
        video_id = "v" + hashlib.sha256(seed.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    title = _text(item, "Title", here) or _text(item, "Desc", here)
    add_yours = _text(item, "AddYoursText", here)
    text = "\n".join(t for t in (title, add_yours) if t)
    alt = _text(item, "AlternateText", here) or None
    url = f"https://www.tiktok.com/@{username}/video/{video_id}" if match is not None else (link or None)
    return Post(
        id=video_id,
        text=text,
        created_at=created,
        url=url,
        # The video file is not in the export (only its link): the faces check says it could not be examined.
        media=(Media(id=video_id, type="video", url=link or None, alt_text=alt),),
        place=_text(item, "Location", here) or None,
    )


def _unique(posts: list[Post]) -> list[Post]:
    seen: set[str] = set()
    out = []
    for post in posts:
        if post.id not in seen:
            seen.add(post.id)
            out.append(post)
    return out
