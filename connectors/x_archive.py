"""Reads the official X/Twitter "Download an archive of your data" export, a folder or its .zip, into the shared model.

An archive is data from outside: a zip may be hostile (path traversal, zip bombs), an unpacked folder may hold
symbolic links that point elsewhere, and any file may be truncated by a failed download or edited by hand. Everything
is checked before it is used, and every problem becomes a `ConnectorError` naming the file at fault, because the
runner shows that message to a member of staff who has to fix it.

Files read (all inside `data/`): `account.js`, `profile.js`, `tweets.js` (older archives: `tweet.js`) with its split
parts `tweets-part1.js`, ..., and photos or videos in `tweets_media/<tweet id>-<file name>`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.export_archive import hostile
from auditor.model import Account, AccountData, Link, Media, Post, Profile
from auditor.urls import find_urls

# The largest real tweets.js files are tens of megabytes; anything far bigger is not an archive we should parse in
# memory.
MAX_JS_BYTES = 200 * 1024 * 1024
# Media are copied out of a zip so checks can look at them; a longer video is simply left unavailable.
MAX_MEDIA_BYTES = 100 * 1024 * 1024
# Zip-bomb defence: a school account's archive is a few hundred megabytes at most.
MAX_TOTAL_UNCOMPRESSED = 2 * 1024 * 1024 * 1024
# JSON text compresses about 10:1 and photos barely at all, so a large member squeezed 100 times is manufactured.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 10 * 1024 * 1024

_WRAPPER = re.compile(r"\s*window\.YTD\.\w+\.part\d+\s*=\s*")
_TRAILER = re.compile(r"\s*;?\s*")
_TWEETS_FILE = re.compile(r"data/tweets?(?:-part(\d+))?\.js")
_CREATED_AT = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+([+-])(\d{2})(\d{2})"
    r"\s+(\d{4})"
)
# strptime's %b follows the machine's locale; X always writes English month names.
_MONTHS = {
    m: i for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)
}
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]")
# Real ids have about 19 digits; the bound keeps int() away from hostile thousand-digit strings.
_NUMERIC_ID = re.compile(r"\d{1,30}")
_COPY_CHUNK = 1024 * 1024
# What unpacking a damaged, encrypted or oddly compressed member raises (OSError also covers the scratch disk).
_UNZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)

# What JSON values a field may be checked against; JSON objects always have string keys.
_T = TypeVar("_T", dict[str, Any], list[Any], str)
_KIND_NAMES: dict[type, str] = {dict: "an object", list: "a list", str: "text"}


class XArchiveConnector:
    """Audits an account from its downloaded X archive: the whole history, no network needed."""

    def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
        with _open_archive(account) as archive:
            username, display_name = _read_account(archive)
            _check_handle(account, username, archive.label)
            description = _read_profile(archive)
            tweets = _read_tweets(archive)

            tco = _tco_map(tweets)
            bio = _opt(description, "bio", str, archive.describe("data/profile.js")) or ""
            website = _opt(description, "website", str, archive.describe("data/profile.js")) or ""
            profile = Profile(
                username=username,
                display_name=display_name,
                bio=bio,
                website=Link(website, tco.get(website)) if website else None,
                links=tuple(Link(url, tco.get(url)) for url in dict.fromkeys(find_urls(bio))),
                url=f"https://x.com/{username}",
            )

            # X dates are UTC, so --since is a UTC date too.
            kept = [t for t in tweets if ctx.since is None or t.created_at.date() >= ctx.since]
            kept.sort(key=lambda t: (t.created_at, int(t.id)), reverse=True)
            posts = [_post(t, username, archive, ctx) for t in kept]
        return AccountData(profile=profile, posts=posts, complete=ctx.since is None)


# --- where the files come from ----------------------------------------------------------------------------------------


class _Archive(Protocol):
    label: str

    def data_files(self) -> list[str]:
        """Paths such as "data/tweets.js" of the files directly inside data/."""
        ...

    def read(self, name: str) -> bytes | None:
        """The file's bytes (at most MAX_JS_BYTES), or None when the archive has no such file."""
        ...

    def media(self, name: str, ctx: FetchContext) -> Path | None:
        """A readable local copy of a media file, or None when the archive does not have it."""
        ...

    def describe(self, name: str) -> str: ...


def _too_big(where: str) -> ConnectorError:
    return ConnectorError(
        f"{where} is larger than the {MAX_JS_BYTES / 1024 / 1024:g} MB this auditor will read; it is not a normal X "
        f"archive file"
    )


class _FolderArchive:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.label = str(root)

    def describe(self, name: str) -> str:
        return f"{name} in {self.label}"

    def _inside(self, name: str) -> Path | None:
        path = self.root / name
        try:
            if not path.exists():
                return None
            resolved = path.resolve()
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
            raise ConnectorError(f"{self.describe(name)} could not be examined: {exc}") from None
        # A symbolic link in an unpacked archive could make us read (and report on) any file on this computer.
        if not resolved.is_relative_to(self.root):
            raise ConnectorError(
                f"{self.describe(name)} points outside the archive folder (a symbolic link?); refusing to read it"
            )
        if not resolved.is_file():
            raise ConnectorError(f"{self.describe(name)} is not a regular file")
        return resolved

    def data_files(self) -> list[str]:
        data = self.root / "data"
        try:
            return [f"data/{p.name}" for p in data.iterdir()] if data.is_dir() else []
        except OSError as exc:
            raise ConnectorError(
                f"the data folder of {self.label} could not be listed: {exc.strerror or exc}"
            ) from None

    def read(self, name: str) -> bytes | None:
        path = self._inside(name)
        if path is None:
            return None
        try:
            with path.open("rb") as f:
                data = f.read(MAX_JS_BYTES + 1)
        except OSError as exc:
            raise ConnectorError(f"{self.describe(name)} could not be read: {exc.strerror or exc}") from None
        if len(data) > MAX_JS_BYTES:
            raise _too_big(self.describe(name))
        return data

    def media(self, name: str, ctx: FetchContext) -> Path | None:
        return self._inside(name)


class _ZipArchive:
    def __init__(self, path: Path, zf: zipfile.ZipFile) -> None:
        self.label = str(path)
        self._zip = zf
        self._members = {info.filename: info for info in zf.infolist() if not info.is_dir()}
        self._copied: dict[str, Path | None] = {}
        self._inspect(zf.infolist())

    def describe(self, name: str) -> str:
        return f"{name} in {self.label}"

    def _inspect(self, infos: list[zipfile.ZipInfo]) -> None:
        """Refuses the whole archive before anything is read from it: a hostile entry means it was tampered with."""
        total = 0
        for info in infos:
            for name in (info.filename, info.orig_filename):
                if hostile(name):
                    raise ConnectorError(
                        f"{self.label} has a hostile member name {name!r} (absolute, with a drive letter, a "
                        f"backslash or '..'); a genuine X archive never does, so it is refused"
                    )
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_CHECK_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
                raise ConnectorError(
                    f"{self.describe(info.filename)} expands from {info.compress_size} bytes to {info.file_size} "
                    f"bytes, which only a zip bomb does; the archive is refused"
                )
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise ConnectorError(
                f"{self.label} would unpack to {total / 1024**3:.1f} GB, more than the "
                f"{MAX_TOTAL_UNCOMPRESSED / 1024**3:.0f} GB allowed; the archive is refused as a possible zip bomb"
            )

    def data_files(self) -> list[str]:
        return [n for n in self._members if n.startswith("data/") and "/" not in n[len("data/") :]]

    def _unreadable(self, name: str, exc: Exception) -> ConnectorError:
        return ConnectorError(
            f"{self.describe(name)} could not be unpacked ({exc}); the zip may be damaged, incomplete or encrypted"
        )

    def read(self, name: str) -> bytes | None:
        info = self._members.get(name)
        if info is None:
            return None
        if info.file_size > MAX_JS_BYTES:
            raise _too_big(self.describe(name))
        try:
            # Bounded by the size checked above: zipfile never returns more than a member declares (and fails its
            # CRC check when there was more).
            return self._zip.read(info)
        except _UNZIP_ERRORS as exc:
            raise self._unreadable(name, exc) from None

    def media(self, name: str, ctx: FetchContext) -> Path | None:
        if name in self._copied:
            return self._copied[name]
        info = self._members.get(name)
        if info is None or info.file_size > MAX_MEDIA_BYTES:
            self._copied[name] = None
            return None
        try:
            scratch = ctx.scratch()
        except OSError as exc:
            raise ConnectorError(f"no scratch folder for the archive's media could be made: {exc}") from None
        dest = scratch / _safe_file_name(PurePosixPath(name).name)
        try:
            # Streamed, so a large video never sits in memory; bounded by the declared size checked above.
            with self._zip.open(info) as src, dest.open("wb") as out:
                shutil.copyfileobj(src, out, _COPY_CHUNK)
        except _UNZIP_ERRORS as exc:
            dest.unlink(missing_ok=True)
            raise self._unreadable(name, exc) from None
        self._copied[name] = dest
        return dest


def _safe_file_name(name: str) -> str:
    safe = _UNSAFE_FILE_CHARS.sub("_", name)[:200]
    # A name of dots would be "." or ".." in the scratch folder; a leading dot would hide the file.
    return "_" + safe if safe.startswith(".") or not safe else safe


@contextmanager
def _open_archive(account: Account) -> Iterator[_Archive]:
    source = account.source
    if source is None:
        raise ConnectorError(f"no archive is configured for {account.handle}: set 'source' to the X archive's path")
    try:
        exists, is_dir, is_file = source.exists(), source.is_dir(), source.is_file()
    except OSError as exc:
        raise ConnectorError(f"the X archive {source} could not be examined: {exc.strerror or exc}") from None
    if not exists:
        raise ConnectorError(f"the X archive {source} does not exist")
    if is_dir:
        yield _FolderArchive(source)
        return
    if not is_file:
        raise ConnectorError(f"the X archive {source} is neither a folder nor a .zip file")
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        if source.suffix.lower() == ".zip":
            raise ConnectorError(
                f"{source} is not a valid zip file ({exc}); it may be damaged or an incomplete download"
            ) from None
        raise ConnectorError(f"the X archive {source} is neither a folder nor a .zip file") from None
    except OSError as exc:
        raise ConnectorError(f"the X archive {source} could not be opened: {exc.strerror or exc}") from None
    with zf:
        yield _ZipArchive(source, zf)


# --- parsing ----------------------------------------------------------------------------------------------------------

_DECODER = json.JSONDecoder()


def _parse_js(archive: _Archive, name: str, raw: bytes) -> object:
    where = archive.describe(name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConnectorError(f"{where} is not UTF-8 text (bad byte at offset {exc.start})") from None
    prefix = _WRAPPER.match(text)
    if prefix is None:
        raise ConnectorError(
            f"{where} does not start with 'window.YTD.<name>.part<N> =' as every X archive data file does; "
            f"it is not from an X archive or it was edited"
        )
    try:
        value, end = _DECODER.raw_decode(text, prefix.end())
    except RecursionError:
        raise ConnectorError(f"{where} nests its data too deeply to be a genuine X archive file") from None
    except json.JSONDecodeError as exc:
        # "Unterminated string" can only happen at the end of the text, since strict JSON strings hold no newlines.
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise ConnectorError(
                f"{where} ends before its data does (line {exc.lineno}, column {exc.colno}): the file looks "
                f"truncated; download the archive again"
            ) from None
        raise ConnectorError(
            f"{where} has a JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except ValueError:  # after JSONDecodeError, its subclass: an integer of thousands of digits
        raise ConnectorError(
            f"{where} holds a number thousands of digits long; it is not a genuine X archive file"
        ) from None
    trailer = _TRAILER.match(text, end)
    after = trailer.end() if trailer else end
    if after != len(text):
        line = text.count("\n", 0, after) + 1
        column = after - (text.rfind("\n", 0, after) + 1) + 1
        raise ConnectorError(f"{where} has unexpected text after its data at line {line}, column {column}")
    return value


def _kind_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return _KIND_NAMES.get(type(value), type(value).__name__)


def _opt(obj: dict[str, object], key: str, kind: type[_T], where: str) -> _T | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, kind):
        raise ConnectorError(f"{where}: {key!r} should be {_KIND_NAMES[kind]}, found {_kind_name(value)}")
    return value


def _as(value: object, kind: type[_T], what: str, where: str) -> _T:
    if not isinstance(value, kind):
        raise ConnectorError(f"{where}: {what} should be {_KIND_NAMES[kind]}, found {_kind_name(value)}")
    return value


def _opt_id(obj: dict[str, object], key: str, where: str) -> str | None:
    """X writes ids as strings, but hand-made or older exports use numbers; both are accepted."""
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _NUMERIC_ID.fullmatch(value):
        raise ConnectorError(f"{where}: {key!r} should be a numeric id, found {_kind_name(value)} {value!r}")
    return value


def _first_record(archive: _Archive, name: str, key: str) -> dict[str, object]:
    raw = archive.read(name)
    if raw is None:
        raise ConnectorError(
            f"{archive.label} has no {name}: it is not a complete X archive (give the folder or zip that contains "
            f"the data/ folder)"
        )
    where = archive.describe(name)
    records = _as(_parse_js(archive, name, raw), list, "the data", where)
    if not records:
        raise ConnectorError(f"{where} is empty")
    return _as(_as(records[0], dict, "entry 1", where).get(key), dict, f"entry 1's {key!r}", where)


def _read_account(archive: _Archive) -> tuple[str, str | None]:
    account = _first_record(archive, "data/account.js", "account")
    where = archive.describe("data/account.js")
    # The e-mail address in account.js is deliberately never read: it must not reach reports.
    username = _opt(account, "username", str, where)
    if not username:
        raise ConnectorError(f"{where} has no username")
    return username, _opt(account, "accountDisplayName", str, where)


def _check_handle(account: Account, username: str, label: str) -> None:
    if username.casefold() != account.handle.removeprefix("@").casefold():
        raise ConnectorError(
            f"the archive {label} belongs to @{username}, not the registered handle "
            f"@{account.handle.removeprefix('@')}; auditing it would report on the wrong account, so check its "
            f"'source' in the config"
        )


def _read_profile(archive: _Archive) -> dict[str, object]:
    profile = _first_record(archive, "data/profile.js", "profile")
    return _opt(profile, "description", dict, archive.describe("data/profile.js")) or {}


@dataclass(frozen=True)
class _MediaRef:
    id: str
    type: str
    url: str | None
    tco: Link | None
    alt_text: str | None
    file_names: tuple[str, ...]  # candidate names in data/tweets_media/, best first


@dataclass(frozen=True)
class _Tweet:
    id: str
    text: str
    created_at: dt.datetime
    links: tuple[Link, ...]
    media: tuple[_MediaRef, ...]
    in_reply_to: str | None
    place: str | None = None  # SMP-2.4: the tweet's place tag or exact coordinates, where it was geotagged


def _tweet_files(archive: _Archive) -> list[str]:
    found = [(m, n) for n in archive.data_files() if (m := _TWEETS_FILE.fullmatch(n))]
    # tweets.js first, then its parts in number order: the order X splits them in.
    found.sort(key=lambda mn: (int(mn[0].group(1) or 0), mn[1]))
    return [n for _, n in found]


def _read_tweets(archive: _Archive) -> list[_Tweet]:
    tweets: list[_Tweet] = []
    seen: set[str] = set()
    for name in _tweet_files(archive):
        raw = archive.read(name)
        if raw is None:
            continue
        entries = _as(_parse_js(archive, name, raw), list, "the data", archive.describe(name))
        for index, entry in enumerate(entries, 1):
            tweet = _tweet(entry, f"{archive.describe(name)}, entry {index}")
            # An archive holding both tweet.js and tweets.js repeats tweets; each is one post.
            if tweet.id not in seen:
                seen.add(tweet.id)
                tweets.append(tweet)
    return tweets


def _tweet(entry: object, where: str) -> _Tweet:
    entry = _as(entry, dict, "the entry", where)
    # Archives from before 2020 list the tweet objects themselves, without the {"tweet": ...} wrapper.
    raw = entry.get("tweet", entry if "id_str" in entry else None)
    if raw is None:
        raise ConnectorError(f"{where} has no 'tweet'")
    tweet = _as(raw, dict, "'tweet'", where)

    tweet_id = _opt_id(tweet, "id_str", where) or _opt_id(tweet, "id", where)
    if tweet_id is None:
        raise ConnectorError(f"{where} has no tweet id ('id_str')")
    full_text = tweet.get("full_text")
    if not isinstance(full_text, str):
        raise ConnectorError(f"{where}: 'full_text' should be text, found {_kind_name(full_text)}")
    created_raw = tweet.get("created_at")
    if not isinstance(created_raw, str):
        raise ConnectorError(f"{where}: 'created_at' should be a date, found {_kind_name(created_raw)}")

    entities = _opt(tweet, "entities", dict, where) or {}
    links = []
    for i, item in enumerate(_opt(entities, "urls", list, where) or [], 1):
        url_entity = _as(item, dict, f"entities.urls[{i}]", where)
        url = _opt(url_entity, "url", str, where)
        if url:
            links.append(Link(url, _opt(url_entity, "expanded_url", str, where) or None))

    # extended_entities lists every photo; entities.media only the first, so it is the fallback.
    media_container = _opt(tweet, "extended_entities", dict, where) or entities
    media = tuple(
        _media(_as(item, dict, f"media[{i}]", where), tweet_id, i, where)
        for i, item in enumerate(_opt(media_container, "media", list, where) or [], 1)
    )

    return _Tweet(
        place=_place(tweet, where),
        id=tweet_id,
        text=html.unescape(full_text),
        created_at=_created_at(created_raw, where),
        links=tuple(links),
        media=media,
        in_reply_to=_opt_id(tweet, "in_reply_to_status_id_str", where)
        or _opt_id(tweet, "in_reply_to_status_id", where),
    )


def _media(item: dict[str, object], tweet_id: str, position: int, where: str) -> _MediaRef:
    media_id = _opt_id(item, "id_str", where) or _opt_id(item, "id", where) or f"{tweet_id}-{position}"
    url = _opt(item, "media_url_https", str, where) or _opt(item, "media_url", str, where)
    # The archive names a photo after its URL; a video after the URL of one of its variants (an .mp4).
    candidates = [url] if url else []
    video_info = _opt(item, "video_info", dict, where) or {}
    variants = [_as(v, dict, "video_info.variants[]", where) for v in _opt(video_info, "variants", list, where) or []]
    candidates += [u for v in variants if (u := _opt(v, "url", str, where))]
    file_names = tuple(
        dict.fromkeys(f"{tweet_id}-{base}" for c in candidates if (base := urlsplit(c).path.rsplit("/", 1)[-1]))
    )
    short = _opt(item, "url", str, where)
    return _MediaRef(
        id=media_id,
        type=_opt(item, "type", str, where) or "unknown",
        url=url,
        tco=Link(short, _opt(item, "expanded_url", str, where) or None) if short else None,
        alt_text=_opt(item, "ext_alt_text", str, where) or None,
        file_names=file_names,
    )


def _place(tweet: dict[str, object], where: str) -> str | None:
    """A geotagged tweet's place: its named place ("Blackwood, Wales") or its exact point ("51.6683, -3.1960")."""
    place = _opt(tweet, "place", dict, where) or {}
    name = _opt(place, "full_name", str, where) or _opt(place, "name", str, where)
    if name:
        return name
    coordinates = _opt(tweet, "coordinates", dict, where) or {}
    point = coordinates.get("coordinates")  # GeoJSON: [longitude, latitude]; archives write numbers as text
    if not isinstance(point, list) or len(point) != 2:
        return None
    try:
        lon, lat = (float(v) for v in point if isinstance(v, str | int | float) and not isinstance(v, bool))
    except ValueError:  # not two numbers (also: one of them missing)
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return f"{lat:.4f}, {lon:.4f}"


def _created_at(value: str, where: str) -> dt.datetime:
    match = _CREATED_AT.fullmatch(value.strip())
    month = _MONTHS.get(match.group(1)) if match else None
    if match is None or month is None:
        raise ConnectorError(f"{where}: 'created_at' {value!r} is not a date like 'Tue Jun 18 12:02:00 +0000 2019'")
    day, hour, minute, second = (int(match.group(i)) for i in (2, 3, 4, 5))
    offset = dt.timedelta(hours=int(match.group(7)), minutes=int(match.group(8)))
    tz = dt.timezone(-offset if match.group(6) == "-" else offset)
    try:
        return dt.datetime(int(match.group(9)), month, day, hour, minute, second, tzinfo=tz)
    except ValueError as exc:
        raise ConnectorError(f"{where}: 'created_at' {value!r} is not a real date ({exc})") from None


def _tco_map(tweets: list[_Tweet]) -> dict[str, str]:
    """Where each t.co short link goes, as far as the archive's own tweets say: the profile has only the short form."""
    tco: dict[str, str] = {}
    for tweet in tweets:
        for link in (*tweet.links, *(m.tco for m in tweet.media if m.tco)):
            if link.expanded_url:
                tco.setdefault(link.url, link.expanded_url)
    return tco


def _post(tweet: _Tweet, username: str, archive: _Archive, ctx: FetchContext) -> Post:
    media = tuple(
        Media(
            id=m.id,
            type=m.type,
            url=m.url,
            alt_text=m.alt_text,
            local_path=next(
                (p for n in m.file_names if (p := archive.media(f"data/tweets_media/{n}", ctx)) is not None), None
            ),
        )
        for m in tweet.media
    )
    return Post(
        id=tweet.id,
        text=tweet.text,
        created_at=tweet.created_at,
        url=f"https://x.com/{username}/status/{tweet.id}",
        links=tweet.links,
        media=media,
        is_repost=tweet.text.startswith("RT @"),
        in_reply_to=tweet.in_reply_to,
        place=tweet.place,
    )
