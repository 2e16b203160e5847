"""Reads Facebook's and Instagram's "Download your information" exports (JSON format), a folder or its .zip.

For schools with no Meta app: the account's owner downloads the export from Accounts Center and the auditor reads it
offline. Two dialects are read, because Meta renamed the folders in 2022-2024 and exports of both ages are about:

- Facebook, older: `posts/your_posts_1.json`, `profile_information/profile_information.json`; newer:
  `your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json` (between the two,
  `your_activity_across_facebook/...`), `personal_information/profile_information/profile_information.json`. A
  Page's own export names its posts `profile_posts_1.json`.
- Instagram, older: `content/posts_1.json`, `account_information/personal_information.json`; newer:
  `your_instagram_activity/content/posts_1.json` (latest: `.../media/posts_1.json`), with `reels.json` and
  `stories.json` beside it, and `personal_information/personal_information/personal_information.json`.

Meta writes every string's UTF-8 bytes as separate \\u00XX escapes, so "Gŵyl" arrives as "GÅµyl"; `repair_text`
undoes it where, and only where, the string round-trips. Instagram's profile labels ("Username", "Bio") are written
in the language of the account, so they are looked up in several languages.

Read: the profile (username, name, bio, website), the account's own posts, albums, reels and stories with their text,
links, place tags, photos (copied from the export for the photo checks) and the location the photo's EXIF block
gives. Not read: comments by other people, which the exports do not hold (the account's own comments elsewhere are
not its posts), messages, and the IP addresses Meta records for each upload (never copied anywhere).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.export_archive import ExportArchive, hostile, open_export, parse_json
from auditor.model import Account, AccountData, Link, Media, Post, Profile
from auditor.urls import find_urls

Platform = Literal["facebook", "instagram"]

# Files that mark an export, by platform, relative to the export's root.
_FACEBOOK_POSTS = re.compile(
    r"(?:your_facebook_activity/|your_activity_across_facebook/|this_profile's_activity_across_facebook/)?"
    r"posts/(?:your_posts(?:__check_ins__photos_and_videos)?|profile_posts)(?:_(\d{1,9}))?\.json"
)
# Albums: photos published in an album, with their own captions, often never part of a post.
_FACEBOOK_ALBUM = re.compile(
    r"(?:your_facebook_activity/|your_activity_across_facebook/|this_profile's_activity_across_facebook/)?"
    r"posts/album/(?:(\d{1,9})|[^/]+)\.json"
)
_FACEBOOK_PROFILE = (
    "personal_information/profile_information/profile_information.json",
    "profile_information/profile_information.json",
)
_INSTAGRAM_POSTS = re.compile(r"(?:your_instagram_activity/)?(?:content|media)/posts(?:_(\d{1,9}))?\.json")
_INSTAGRAM_MORE = re.compile(r"(?:your_instagram_activity/)?(?:content|media)/(reels|stories)\.json")
_INSTAGRAM_PROFILE = (
    "personal_information/personal_information/personal_information.json",
    "personal_information/personal_information.json",
    "account_information/personal_information.json",
)
# An export downloaded in HTML format instead: its front page, or a posts or profile page.
_HTML_EXPORT = re.compile(
    r"(?:start_here|index)\.html|.*(?:your_posts[^/]*|profile_posts[^/]*|posts(?:_\d+)?|"
    r"profile_information|personal_information)\.html"
)
# How deep inside the folder or zip the export may start (a zip of the export's folder adds one level).
_MAX_ROOT_DEPTH = 2

# Instagram's profile labels, in the languages its exports are written in (compared case-blind, after repair).
_LABELS: dict[str, frozenset[str]] = {
    "username": frozenset(
        {
            "username",
            "enw defnyddiwr",
            "benutzername",
            "nom d'utilisateur",
            "nom d’utilisateur",
            "nombre de usuario",
            "gebruikersnaam",
            "nome utente",
            "nome de usuário",
            "nome de utilizador",
            "nazwa użytkownika",
        }
    ),
    "name": frozenset({"name", "enw", "nom", "nombre", "naam", "nome", "imię i nazwisko"}),
    "bio": frozenset(
        {"bio", "bywgraffiad", "biografie", "biographie", "biografía", "biografia", "presentación", "steckbrief"}
    ),
    "website": frozenset({"website", "gwefan", "site web", "sitio web", "sito web", "site", "witryna", "webseite"}),
}
_MEDIA_ID = re.compile(r"_(\d{6,30})\.\w+$")
_VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".webm", ".avi"}
_LATEST = 4_102_444_800  # 2100-01-01: a later timestamp is not a real post's


def repair_text(text: str) -> str:
    """Meta's mis-encoding undone: UTF-8 bytes written one \\u00XX escape each ("â\\u0080\\u0099" for U+2019).

    Only a string whose characters all fit in one byte, and whose bytes are valid UTF-8, is repaired: correct text
    ("Gŵyl", "café", an emoji) never round-trips, so it is left as it is.
    """
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _repaired(value: object) -> object:
    if isinstance(value, str):
        return repair_text(value)
    if isinstance(value, list):
        return [_repaired(v) for v in value]
    if isinstance(value, dict):
        return {repair_text(k) if isinstance(k, str) else k: _repaired(v) for k, v in value.items()}
    return value


# --- the export as a whole --------------------------------------------------------------------------------------------


@dataclass
class _Export:
    """The export inside a folder or zip: where its root is, and its files relative to that root."""

    archive: ExportArchive
    prefix: str  # "" or "some-folder/" when the export sits one or two folders down
    files: set[str]
    by_name: dict[str, list[str]] = field(default_factory=dict)

    def read_json(self, rel: str) -> object | None:
        raw = self.archive.read(self.prefix + rel)
        if raw is None:
            return None
        where = self.describe(rel)
        value = parse_json(raw, where)
        try:
            return _repaired(value)
        except RecursionError:
            raise ConnectorError(f"{where} nests its data too deeply to be a genuine export file") from None

    def describe(self, rel: str) -> str:
        return self.archive.describe(self.prefix + rel)

    def media(self, uri: str, ctx: FetchContext, where: str) -> Path | None:
        """The photo or video a post names, found in the export (Meta's paths are from the export's root, but a
        re-packed export may have moved it: a single file of that name elsewhere in the export is taken)."""
        if hostile(uri):
            raise ConnectorError(f"{where} names the file {uri!r}, a path that leaves the export; it is refused")
        rel = uri.removeprefix("./")
        if rel not in self.files:
            candidates = self.by_name.get(PurePosixPath(rel).name, [])
            if len(candidates) != 1:
                return None
            rel = candidates[0]
        return self.archive.media(self.prefix + rel, ctx)


def _locate(archive: ExportArchive, markers: Iterable[re.Pattern[str] | str]) -> tuple[str, set[str]] | None:
    """The export's root (as a prefix) where one of `markers` is found, shallowest first; None when there is none."""
    names = archive.names()
    patterns = [m if isinstance(m, re.Pattern) else re.compile(re.escape(m)) for m in markers]
    best: str | None = None
    for name in names:
        parts = name.split("/")
        for depth in range(min(_MAX_ROOT_DEPTH, len(parts) - 1) + 1):
            rel = "/".join(parts[depth:])
            if any(p.fullmatch(rel) for p in patterns):
                prefix = "/".join(parts[:depth]) + "/" if depth else ""
                if best is None or prefix.count("/") < best.count("/"):
                    best = prefix
                break
    if best is None:
        return None
    return best, {n[len(best) :] for n in names if n.startswith(best)}


_MARKERS: dict[Platform, tuple[re.Pattern[str] | str, ...]] = {
    "facebook": (_FACEBOOK_POSTS, *_FACEBOOK_PROFILE),
    "instagram": (_INSTAGRAM_POSTS, _INSTAGRAM_MORE, *_INSTAGRAM_PROFILE),
}
_OTHER: dict[Platform, Platform] = {"facebook": "instagram", "instagram": "facebook"}
_NAMES: dict[Platform, str] = {"facebook": "Facebook", "instagram": "Instagram"}


def _find_export(archive: ExportArchive, platform: Platform) -> _Export:
    found = _locate(archive, _MARKERS[platform])
    if found is None:
        label, other = archive.label, _OTHER[platform]
        if any(_HTML_EXPORT.fullmatch(PurePosixPath(n).name) or _HTML_EXPORT.fullmatch(n) for n in archive.names()):
            raise ConnectorError(
                f"{label} is an export in HTML format, which the auditor cannot read: download the information again "
                f"from Accounts Center and choose Format: JSON (not HTML)"
            )
        if _locate(archive, _MARKERS[other]) is not None:
            raise ConnectorError(
                f"{label} is an {_NAMES[other]} export, not a {_NAMES[platform]} one: register it with platform = "
                f'"{other}-export"'
            )
        expected = (
            "your_facebook_activity/posts/ or posts/your_posts_1.json"
            if platform == "facebook"
            else "your_instagram_activity/content/posts_1.json or content/posts_1.json"
        )
        raise ConnectorError(
            f"{label} is not a {_NAMES[platform]} 'Download your information' export in JSON format: it has no "
            f"posts or profile file ({expected}, or the profile information)"
        )
    prefix, files = found
    by_name: dict[str, list[str]] = {}
    for rel in files:
        by_name.setdefault(PurePosixPath(rel).name, []).append(rel)
    return _Export(archive, prefix, files, by_name)


# --- values inside the files ------------------------------------------------------------------------------------------


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "text" if isinstance(value, str) else type(value).__name__


def _obj(value: object, what: str, where: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise ConnectorError(f"{where}: {what} should be an object, found {_kind(value)}")
    return value


def _list(value: object, what: str, where: str) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConnectorError(f"{where}: {what} should be a list, found {_kind(value)}")
    return value


def _text(obj: dict[str, object], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConnectorError(f"{where}: {key!r} should be text, found {_kind(value)}")
    return value


def _timestamp(value: object, what: str, where: str) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        digits = value.strip()
        try:
            value = int(digits)
        except ValueError:  # "²" is a digit to isdigit() but not to int(); so is a string of 5,000 digits
            raise ConnectorError(f"{where}: {what} {digits[:20]!r} is not a time in seconds") from None
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise ConnectorError(f"{where}: {what} should be a time in seconds, found {_kind(value)}")
    if not 0 < value < _LATEST:
        raise ConnectorError(f"{where}: {what} {value!r} is not a real time")
    return dt.datetime.fromtimestamp(value, tz=dt.UTC)


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def _exif(media: dict[str, object], where: str) -> list[dict[str, object]]:
    """The EXIF entries Meta keeps for a photo or video (`media_metadata.photo_metadata.exif_data`, a list of objects
    each holding some of: latitude, longitude, taken_timestamp, original_width, upload_ip, ...)."""
    metadata = media.get("media_metadata")
    if not isinstance(metadata, dict):
        return []
    entries: list[dict[str, object]] = []
    for kind in ("photo_metadata", "video_metadata"):
        block = metadata.get(kind)
        if isinstance(block, dict):
            exif = _list(block.get("exif_data"), f"media_metadata.{kind}.exif_data", where)
            entries.extend(e for e in exif if isinstance(e, dict))
    return entries


def _location(exif: list[dict[str, object]]) -> tuple[float, float] | None:
    for entry in exif:
        lat, lon = _number(entry.get("latitude")), _number(entry.get("longitude"))
        # 0, 0 is what a missing fix is written as, not a place in the Gulf of Guinea.
        if lat is not None and lon is not None and abs(lat) <= 90 and abs(lon) <= 180 and (lat, lon) != (0.0, 0.0):
            return (lat, lon)
    return None


def _size(exif: list[dict[str, object]], key: str) -> int | None:
    for entry in exif:
        value = entry.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 1_000_000:
            return value
    return None


def _media(export: _Export, item: dict[str, object], ctx: FetchContext, position: str, where: str) -> Media | None:
    uri = _text(item, "uri", where)
    if not uri:
        return None
    exif = _exif(item, where)
    remote = uri.startswith(("https://", "http://"))
    name = PurePosixPath(uri.split("?", 1)[0]).name
    found = _MEDIA_ID.search(name)
    return Media(
        id=found.group(1) if found else f"{position}-{PurePosixPath(name).stem or 'media'}",
        type="video" if PurePosixPath(name).suffix.lower() in _VIDEO_SUFFIXES else "photo",
        url=uri if remote else None,
        local_path=None if remote else export.media(uri, ctx, where),
        location=_location(exif),
        width=_size(exif, "original_width"),
        height=_size(exif, "original_height"),
    )


@dataclass
class _Draft:
    """One post as read, before it gets its id (posts have none in an export: the time they were posted is used)."""

    created_at: dt.datetime
    text: str
    links: tuple[Link, ...] = ()
    media: tuple[Media, ...] = ()
    place: str | None = None


def _posts(drafts: list[_Draft], ctx: FetchContext) -> list[Post]:
    """Posts with stable ids (the second they were posted, then -2, -3 for posts of the same second, in the export's
    order), newest first, from `ctx.since` on."""
    drafts.sort(key=lambda d: d.created_at)
    seen: dict[str, int] = {}
    posts: list[Post] = []
    for draft in drafts:
        base = str(int(draft.created_at.timestamp()))
        seen[base] = seen.get(base, 0) + 1
        post_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        if ctx.since is not None and draft.created_at.date() < ctx.since:
            continue
        posts.append(
            Post(
                id=post_id,
                text=draft.text,
                created_at=draft.created_at,
                links=draft.links,
                media=draft.media,
                place=draft.place,
            )
        )
    posts.reverse()
    return posts


def _numbered(files: Iterable[str], pattern: re.Pattern[str]) -> list[str]:
    found = [(m, f) for f in files if (m := pattern.fullmatch(f))]
    found.sort(key=lambda mf: (mf[1].count("/"), int(mf[0].group(1) or 0), mf[1]))
    return [f for _, f in found]


def _check_handle(account: Account, names: Iterable[str | None], platform: Platform, label: str) -> None:
    """Refuses an export of another account: auditing it would report on the wrong account."""
    wanted = account.handle.removeprefix("@").casefold()
    known = [n for n in names if n]
    if known and not any(n.removeprefix("@").casefold() == wanted for n in known):
        raise ConnectorError(
            f"the {_NAMES[platform]} export {label} belongs to {known[0]}, not the registered account "
            f"{account.handle}; auditing it would report on the wrong account, so check its 'source' in the config"
        )


# --- Facebook ---------------------------------------------------------------------------------------------------------


class FacebookExportConnector:
    """Audits a Facebook account from its "Download your information" export (JSON): no app, no network."""

    def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
        with open_export(account.source, "Facebook export", account.handle) as archive:
            export = _find_export(archive, "facebook")
            profile = _facebook_profile(export)
            _check_handle(account, [profile.username], "facebook", archive.label)
            drafts: list[_Draft] = []
            for rel in _numbered(export.files, _FACEBOOK_POSTS):
                doc = export.read_json(rel)
                where = export.describe(rel)
                # A Page's export wraps its list in an object in some versions; both are read.
                entries = _list(_unwrap(doc, where), "the file's posts", where)
                for index, entry in enumerate(entries, 1):
                    draft = _facebook_post(export, entry, ctx, f"{where}, entry {index}", index)
                    if draft is not None:
                        drafts.append(draft)
            seen = {m.id for d in drafts for m in d.media}
            for rel in _numbered(export.files, _FACEBOOK_ALBUM):
                draft = _facebook_album(export, export.read_json(rel), ctx, export.describe(rel), seen)
                if draft is not None:
                    drafts.append(draft)
        return AccountData(profile=profile, posts=_posts(drafts, ctx))


def _facebook_album(export: _Export, doc: object, ctx: FetchContext, where: str, seen: set[str]) -> _Draft | None:
    """An album as one post: its name, description and photos' captions, and those of its photos no post showed.
    It is dated by its first photo, so its id stays the same as photos are added."""
    album = _obj(doc, "the album", where)
    photos = [_obj(p, "a photo", where) for p in _list(album.get("photos"), "'photos'", where)]
    times = [t for p in photos if (t := _timestamp(p.get("creation_timestamp"), "'creation_timestamp'", where))]
    media = []
    captions = [text.strip() for key in ("name", "description") if (text := _text(album, key, where)) and text.strip()]
    for n, photo in enumerate(photos, 1):
        made = _media(export, photo, ctx, f"album-{n}", where)
        if made is None or made.id in seen:
            continue
        media.append(made)
        caption = (_text(photo, "description", where) or "").strip()
        if caption and caption not in captions:
            captions.append(caption)
    if not media or not times:
        return None
    return _Draft(min(times), "\n\n".join(captions), media=tuple(media))


def _unwrap(doc: object, where: str) -> object:
    if isinstance(doc, dict) and len(doc) == 1:
        return next(iter(doc.values()))
    if isinstance(doc, dict):
        raise ConnectorError(f"{where}: expected a list of posts, found an object with keys {sorted(doc)[:5]}")
    return doc


def _facebook_profile(export: _Export) -> Profile:
    for rel in _FACEBOOK_PROFILE:
        doc = export.read_json(rel) if rel in export.files else None
        if doc is None:
            continue
        where = export.describe(rel)
        top = _obj(doc, "the file", where)
        info = _obj(top.get("profile_v2", top.get("profile", {})), "'profile_v2'", where)
        name = info.get("name")
        full_name = (
            _text(name, "full_name", where) if isinstance(name, dict) else name if isinstance(name, str) else None
        )
        username = _text(info, "username", where) or None
        address = _text(info, "profile_uri", where)
        if not username and address:
            tail = address.rstrip("/").rsplit("/", 1)[-1]
            username = tail if tail and "profile.php" not in tail else None
        websites = [
            w
            for item in _list(info.get("websites"), "'websites'", where)
            if isinstance(item, dict) and (w := _text(item, "address", where))
        ]
        bio = ""
        for key in ("about_me", "intro_bio", "bio"):
            value = info.get(key)
            if isinstance(value, dict):
                value = next((v for v in value.values() if isinstance(v, str) and v.strip()), None)
            if isinstance(value, str) and value.strip():
                bio = value
                break
        links = tuple(Link(url) for url in dict.fromkeys([*websites[1:], *find_urls(bio)]))
        return Profile(
            username=username,
            display_name=full_name,
            bio=bio,
            website=Link(websites[0]) if websites else None,
            links=links,
            url=address or (f"https://www.facebook.com/{username}" if username else None),
        )
    # "Posts" chosen alone when downloading: no profile to judge the name or the About page by.
    return Profile(username=None)


def _facebook_post(export: _Export, entry: object, ctx: FetchContext, where: str, index: int) -> _Draft | None:
    post = _obj(entry, "the entry", where)
    created = _timestamp(post.get("timestamp"), "'timestamp'", where)
    texts: list[str] = []
    for item in _list(post.get("data"), "'data'", where):
        if isinstance(item, dict) and (text := _text(item, "post", where)) and text.strip():
            texts.append(text.strip())
    links: list[Link] = []
    media: list[Media] = []
    place: str | None = None
    for attachment in _list(post.get("attachments"), "'attachments'", where):
        for item in _list(_obj(attachment, "an attachment", where).get("data"), "an attachment's 'data'", where):
            if not isinstance(item, dict):
                continue
            if isinstance(found := item.get("media"), dict):
                made = _media(export, found, ctx, f"{index}-{len(media) + 1}", where)
                if made is not None:
                    media.append(made)
                # A photo's own caption, when it says more than the post (an album's photos each have one). Its
                # title is the album's name ("Timeline Photos"), not a caption.
                caption = _text(found, "description", where) or ""
                if caption.strip() and caption.strip() not in texts:
                    texts.append(caption.strip())
                if created is None:
                    created = _timestamp(found.get("creation_timestamp"), "'creation_timestamp'", where)
            if isinstance(context := item.get("external_context"), dict):
                url = _text(context, "url", where)
                if url and url.startswith(("https://", "http://")):
                    links.append(Link(url))
            if isinstance(found_place := item.get("place"), dict):
                place = _place(found_place, where) or place
    tagged = [
        name
        for tag in _list(post.get("tags"), "'tags'", where)
        if (name := tag.get("name") if isinstance(tag, dict) else tag if isinstance(tag, str) else None)
        and isinstance(name, str)
    ]
    if tagged:
        # Whoever the post tags is named by it: the checks for pupils' names read the text.
        texts.append("Tagged: " + ", ".join(tagged))
    if created is None:
        raise ConnectorError(f"{where} has no 'timestamp'")
    if not (texts or links or media or place):
        return None  # "updated their status" with nothing in it: there is nothing to audit
    return _Draft(created, "\n\n".join(texts), tuple(dict.fromkeys(links)), tuple(media), place)


def _place(place: dict[str, object], where: str) -> str | None:
    name = _text(place, "name", where)
    if name and name.strip():
        return name.strip()
    coordinate = place.get("coordinate")
    if isinstance(coordinate, dict):
        lat, lon = _number(coordinate.get("latitude")), _number(coordinate.get("longitude"))
        if lat is not None and lon is not None:
            return f"{lat:.5f}, {lon:.5f}"
    return None


# --- Instagram --------------------------------------------------------------------------------------------------------


class InstagramExportConnector:
    """Audits an Instagram account from its "Download your information" export (JSON): no app, no network."""

    def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
        with open_export(account.source, "Instagram export", account.handle) as archive:
            export = _find_export(archive, "instagram")
            profile = _instagram_profile(export, account.handle)
            _check_handle(account, [profile.username], "instagram", archive.label)
            drafts: list[_Draft] = []
            for rel in _numbered(export.files, _INSTAGRAM_POSTS):
                where = export.describe(rel)
                entries = _list(export.read_json(rel), "the file's posts", where)
                drafts += _instagram_posts(export, entries, ctx, where, "post")
            for rel in sorted(f for f in export.files if _INSTAGRAM_MORE.fullmatch(f)):
                where = export.describe(rel)
                doc = export.read_json(rel)
                kind = "story" if rel.endswith("stories.json") else "reel"
                items = _list(_unwrap(doc, where), f"the file's {kind}s", where)
                # A story is one photo or video; a reel is a post's {"media": [...]}.
                entries = [{"media": [i]} if kind == "story" and isinstance(i, dict) else i for i in items]
                drafts += _instagram_posts(export, entries, ctx, where, kind)
        return AccountData(profile=profile, posts=_posts(drafts, ctx))


def _instagram_posts(
    export: _Export, entries: list[object], ctx: FetchContext, where_file: str, kind: str
) -> Iterator[_Draft]:
    for index, entry in enumerate(entries, 1):
        where = f"{where_file}, entry {index}"
        post = _obj(entry, "the entry", where)
        items = [_obj(m, "a media item", where) for m in _list(post.get("media"), "'media'", where)]
        first = items[0] if items else {}
        # A carousel has its caption and time on the post; a single photo only on the photo.
        text = _text(post, "title", where) or _text(first, "title", where) or ""
        created = _timestamp(post.get("creation_timestamp"), "'creation_timestamp'", where) or _timestamp(
            first.get("creation_timestamp"), "'creation_timestamp'", where
        )
        if created is None:
            raise ConnectorError(f"{where} has no 'creation_timestamp'")
        media = tuple(
            made
            for n, item in enumerate(items, 1)
            if (made := _media(export, item, ctx, f"{kind}-{index}-{n}", where)) is not None
        )
        yield _Draft(created, text.strip(), media=media)


def _labelled(values: dict[str, str], key: str) -> str | None:
    """The value of the field whose label, in any language listed, means `key`."""
    return next((values[label] for label in _LABELS[key] if label in values), None)


def _instagram_profile(export: _Export, handle: str) -> Profile:
    for rel in _INSTAGRAM_PROFILE:
        doc = export.read_json(rel) if rel in export.files else None
        if doc is None:
            continue
        where = export.describe(rel)
        users = _list(_obj(doc, "the file", where).get("profile_user"), "'profile_user'", where)
        if not users:
            raise ConnectorError(f"{where} has no 'profile_user'")
        fields = _obj(
            _obj(users[0], "'profile_user' entry 1", where).get("string_map_data"), "'string_map_data'", where
        )
        values: dict[str, str] = {}
        for label, item in fields.items():
            value = item.get("value") if isinstance(item, dict) else None
            if isinstance(value, str):
                values[label.strip().casefold()] = value

        # Labels in a language not listed above: the username is the value that is the registered handle, the
        # website the value that is a web address.
        wanted = handle.removeprefix("@").casefold()
        username = _labelled(values, "username") or next((v for v in values.values() if v.casefold() == wanted), None)
        website = _labelled(values, "website")
        if website is None:
            website = next((v for v in values.values() if v.startswith(("https://", "http://"))), "")
        bio = _labelled(values, "bio")
        # Labels in a language not listed above: the About text cannot be told from the other fields, so it is not
        # claimed (None, not ""), and every address in the profile's fields counts as one of its links, so the AUP
        # check never fails an About page it could not read.
        found_in = bio if bio is not None else "\n".join(values.values())
        return Profile(
            username=username,
            display_name=_labelled(values, "name"),
            bio=bio,
            website=Link(website) if website else None,
            links=tuple(Link(url) for url in dict.fromkeys(find_urls(found_in)) if url != website),
            url=f"https://www.instagram.com/{username}/" if username else None,
        )
    return Profile(username=None)
