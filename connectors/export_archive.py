"""Safe reading of a downloaded data export (a folder, or the .zip the platform sent), for the export connectors.

An export is data from outside: a zip may be hostile (members named "../../x", zip bombs), an unpacked folder may
hold symbolic links that point elsewhere, and any file may be truncated or edited by hand. Nothing is extracted
wholesale: JSON files are read one at a time into memory within a size limit, and a photo is copied into the run's
scratch folder only when a post names it. Every problem becomes a `ConnectorError` naming the file at fault.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Protocol

from auditor.connectors import ConnectorError, FetchContext

# A platform's JSON files are megabytes; one far bigger is not a file of a genuine export that we should parse.
MAX_JSON_BYTES = 100 * 1024 * 1024
# Photos and videos are copied out of a zip only when a post names them; a longer video is left unavailable.
MAX_MEDIA_BYTES = 100 * 1024 * 1024
# Zip-bomb defence: a school account's export is a few gigabytes at most.
MAX_TOTAL_UNCOMPRESSED = 8 * 1024 * 1024 * 1024
# JSON compresses about 10:1 and photos barely at all, so a large member squeezed 100 times is manufactured.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 10 * 1024 * 1024
# A folder is listed to find the export's files; an export has thousands of files, never millions.
MAX_FILES = 200_000

_DRIVE_LETTER = re.compile(r"[A-Za-z]:")
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]")
_COPY_CHUNK = 1024 * 1024
# What unpacking a damaged, encrypted or oddly compressed member raises (OSError also covers the scratch disk).
_UNZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)


def hostile(name: str) -> bool:
    """Whether a path inside an export would leave it: absolute, a drive letter, a backslash, a NUL or a '..' part."""
    return (
        name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or _DRIVE_LETTER.match(name) is not None
        or ".." in name.split("/")
    )


class ExportArchive(Protocol):
    label: str

    def names(self) -> list[str]:
        """Every file in the export, as a relative path with '/' separators."""
        ...

    def read(self, name: str) -> bytes | None:
        """The file's bytes (at most MAX_JSON_BYTES), or None when the export has no such file."""
        ...

    def media(self, name: str, ctx: FetchContext) -> Path | None:
        """A readable local copy of a photo or video, or None when the export does not have it."""
        ...

    def describe(self, name: str) -> str: ...


def _too_big(where: str) -> ConnectorError:
    return ConnectorError(
        f"{where} is larger than the {MAX_JSON_BYTES / 1024 / 1024:g} MB this auditor will read; it is not a file "
        f"of a genuine export"
    )


class FolderExport:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.label = str(root)

    def describe(self, name: str) -> str:
        return f"{name} in {self.label}"

    def names(self) -> list[str]:
        found: list[str] = []
        try:
            # Symbolic links to folders are not followed: a link could make the listing walk the whole disk.
            for folder, _dirs, files in os.walk(self.root):
                rel = Path(folder).relative_to(self.root).as_posix()
                for file in files:
                    found.append(file if rel == "." else f"{rel}/{file}")
                if len(found) > MAX_FILES:
                    raise ConnectorError(
                        f"{self.label} holds more than {MAX_FILES} files; it is not one account's export (give the "
                        f"export's own folder)"
                    )
        except OSError as exc:
            raise ConnectorError(f"{self.label} could not be listed: {exc.strerror or exc}") from None
        return found

    def _inside(self, name: str) -> Path | None:
        if hostile(name):
            raise ConnectorError(f"{self.describe(name)} is a path that leaves the export; refusing to read it")
        path = self.root / name
        try:
            if not path.exists():
                return None
            resolved = path.resolve()
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
            raise ConnectorError(f"{self.describe(name)} could not be examined: {exc}") from None
        # A symbolic link in an unpacked export could make us read (and report on) any file on this computer.
        if not resolved.is_relative_to(self.root):
            raise ConnectorError(
                f"{self.describe(name)} points outside the export folder (a symbolic link?); refusing to read it"
            )
        if not resolved.is_file():
            raise ConnectorError(f"{self.describe(name)} is not a regular file")
        return resolved

    def read(self, name: str) -> bytes | None:
        path = self._inside(name)
        if path is None:
            return None
        try:
            with path.open("rb") as f:
                data = f.read(MAX_JSON_BYTES + 1)
        except OSError as exc:
            raise ConnectorError(f"{self.describe(name)} could not be read: {exc.strerror or exc}") from None
        if len(data) > MAX_JSON_BYTES:
            raise _too_big(self.describe(name))
        return data

    def media(self, name: str, ctx: FetchContext) -> Path | None:
        return self._inside(name)


class ZipExport:
    def __init__(self, path: Path, zf: zipfile.ZipFile, what: str) -> None:
        self.label = str(path)
        self._what = what
        self._zip = zf
        infos = zf.infolist()
        if len(infos) > MAX_FILES:
            raise ConnectorError(f"{self.label} holds more than {MAX_FILES} files; it is not one account's export")
        self._inspect(infos)
        self._members = {info.filename: info for info in infos if not info.is_dir()}
        self._copied: dict[str, Path | None] = {}

    def describe(self, name: str) -> str:
        return f"{name} in {self.label}"

    def _inspect(self, infos: list[zipfile.ZipInfo]) -> None:
        """Refuses the whole zip before anything is read from it: a hostile entry means it was tampered with."""
        total = 0
        for info in infos:
            for name in (info.filename, info.orig_filename):
                if hostile(name):
                    raise ConnectorError(
                        f"{self.label} has a hostile member name {name!r} (absolute, with a drive letter, a "
                        f"backslash or '..'); a genuine {self._what} never does, so it is refused"
                    )
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_CHECK_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
                raise ConnectorError(
                    f"{self.describe(info.filename)} expands from {info.compress_size} bytes to {info.file_size} "
                    f"bytes, which only a zip bomb does; the export is refused"
                )
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise ConnectorError(
                f"{self.label} would unpack to {total / 1024**3:.1f} GB, more than the "
                f"{MAX_TOTAL_UNCOMPRESSED / 1024**3:.0f} GB allowed; the export is refused as a possible zip bomb"
            )

    def names(self) -> list[str]:
        return list(self._members)

    def _unreadable(self, name: str, exc: Exception) -> ConnectorError:
        return ConnectorError(
            f"{self.describe(name)} could not be unpacked ({exc}); the zip may be damaged, incomplete or encrypted"
        )

    def read(self, name: str) -> bytes | None:
        if hostile(name):
            raise ConnectorError(f"{self.describe(name)} is a path that leaves the export; refusing to read it")
        info = self._members.get(name)
        if info is None:
            return None
        if info.file_size > MAX_JSON_BYTES:
            raise _too_big(self.describe(name))
        try:
            # Bounded by the size checked above: zipfile never returns more than a member declares (and fails its
            # CRC check when there was more).
            return self._zip.read(info)
        except _UNZIP_ERRORS as exc:
            raise self._unreadable(name, exc) from None

    def media(self, name: str, ctx: FetchContext) -> Path | None:
        if hostile(name):
            raise ConnectorError(f"{self.describe(name)} is a path that leaves the export; refusing to read it")
        if name in self._copied:
            return self._copied[name]
        info = self._members.get(name)
        if info is None or info.file_size > MAX_MEDIA_BYTES:
            self._copied[name] = None
            return None
        try:
            scratch = ctx.scratch()
        except OSError as exc:
            raise ConnectorError(f"no scratch folder for the export's photos could be made: {exc}") from None
        # Numbered, so two photos of one name in different folders never overwrite each other.
        dest = scratch / f"{len(self._copied)}-{safe_file_name(PurePosixPath(name).name)}"
        try:
            # Streamed, so a large video never sits in memory; bounded by the declared size checked above.
            with self._zip.open(info) as src, dest.open("wb") as out:
                shutil.copyfileobj(src, out, _COPY_CHUNK)
        except _UNZIP_ERRORS as exc:
            dest.unlink(missing_ok=True)
            raise self._unreadable(name, exc) from None
        self._copied[name] = dest
        return dest


def safe_file_name(name: str) -> str:
    safe = _UNSAFE_FILE_CHARS.sub("_", name)[:200]
    # A name of dots would be "." or ".." in the scratch folder; a leading dot would hide the file.
    return "_" + safe if safe.startswith(".") or not safe else safe


@contextmanager
def open_export(source: Path | None, what: str, handle: str) -> Iterator[ExportArchive]:
    """The export at `source` (a folder or a .zip), named `what` in messages ("Facebook export")."""
    if source is None:
        raise ConnectorError(f"no {what} is configured for {handle}: set 'source' to the {what}'s folder or .zip")
    try:
        exists, is_dir, is_file = source.exists(), source.is_dir(), source.is_file()
    except OSError as exc:
        raise ConnectorError(f"the {what} {source} could not be examined: {exc.strerror or exc}") from None
    if not exists:
        raise ConnectorError(f"the {what} {source} does not exist")
    if is_dir:
        yield FolderExport(source)
        return
    if not is_file:
        raise ConnectorError(f"the {what} {source} is neither a folder nor a .zip file")
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        if source.suffix.lower() == ".zip":
            raise ConnectorError(
                f"{source} is not a valid zip file ({exc}); it may be damaged or an incomplete download"
            ) from None
        raise ConnectorError(f"the {what} {source} is neither a folder nor a .zip file") from None
    except OSError as exc:
        raise ConnectorError(f"the {what} {source} could not be opened: {exc.strerror or exc}") from None
    with zf:
        yield ZipExport(source, zf, what)


_DECODER = json.JSONDecoder()


def parse_json(raw: bytes, where: str) -> object:
    """A JSON file's value; a damaged or truncated file is a plain message naming where it went wrong."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConnectorError(f"{where} is not UTF-8 text (bad byte at offset {exc.start})") from None
    stripped = text.lstrip()
    if stripped[:1] == "<":
        raise ConnectorError(f"{where} holds a web page, not JSON; the export may have been downloaded as HTML")
    return decode_json(text, where)


def decode_json(text: str, where: str, what: str = "export file") -> object:
    """The value of JSON text from an export (`what` names the kind in messages): deep nesting, a cut-off file, a
    syntax error or a number of thousands of digits is a plain message naming where it went wrong."""
    try:
        return _DECODER.decode(text)
    except RecursionError:
        raise ConnectorError(f"{where} nests its data too deeply to be a genuine {what}") from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise ConnectorError(
                f"{where} ends before its data does (line {exc.lineno}, column {exc.colno}): the file looks "
                f"truncated; download the export again"
            ) from None
        raise ConnectorError(
            f"{where} has a JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except ValueError:  # after JSONDecodeError, its subclass: an integer of thousands of digits
        raise ConnectorError(f"{where} holds a number thousands of digits long; it is not a genuine {what}") from None
