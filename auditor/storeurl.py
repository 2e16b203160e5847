"""Where the history is kept, read from `[output] store`: a file path (SQLite, the default), `sqlite:///PATH`, or a
PostgreSQL URL. Light on purpose (no SQLAlchemy): `auditor status` and the config loader read it.

A URL may hold a password. It is kept in `StoreTarget.url` for the store to connect with and never shown: `str()` of
a target, and every message about it, masks the password."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
# Beside the config file when the history is on a server: the run lock (`auditor.store.lock`) and the scheduler's
# lock are named after this, as they are named after the database file for SQLite.
SERVER_ANCHOR = "auditor.store"


@dataclass(frozen=True)
class StoreTarget:
    """A history database: `file` for SQLite, or a server `url` (with its password, never shown)."""

    file: Path | None
    url: str = field(default="", repr=False)
    anchor: Path = field(default=Path(SERVER_ANCHOR))

    @property
    def is_file(self) -> bool:
        return self.file is not None

    def exists(self) -> bool:
        """Whether there is history to read: the SQLite file exists; a server is always worth asking."""
        return self.file.exists() if self.file is not None else True

    def __str__(self) -> str:
        return str(self.file) if self.file is not None else mask(self.url)


class StoreURLError(ValueError):
    """`[output] store` is neither a path nor a database URL auditor can use; the message says why in plain words."""


def parse(value: str, base: Path) -> StoreTarget:
    """`[output] store` as written, relative paths taken from `base` (the config file's folder)."""
    text = value.strip()
    if text.startswith("sqlite:///"):
        text = text.removeprefix("sqlite:///")
        if not text:
            raise StoreURLError("sqlite:/// needs the path of the database file after it")
    elif "://" in text:
        scheme = text.split("://", 1)[0].lower()
        if scheme not in SERVER_SCHEMES:
            raise StoreURLError(
                f"{scheme}:// stores are not supported; use a file path (SQLite) or a postgresql:// URL"
            )
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
            raise StoreURLError(f"the {scheme}:// URL holds a control character (a line break, a tab)")
        parts = urllib.parse.urlsplit(text)
        if not parts.path.strip("/"):
            raise StoreURLError(f"{mask(text)} names no database; write postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
        return StoreTarget(file=None, url=text, anchor=base / SERVER_ANCHOR)
    path = base / text
    return StoreTarget(file=path, url="", anchor=path)


def mask(url: str) -> str:
    """The URL with its password replaced by ***, for messages and logs; anything unparseable is hidden whole."""
    try:
        parts = urllib.parse.urlsplit(url)
        password = parts.password
        host = parts.hostname
        port = parts.port
    except ValueError:
        return "(a database URL that cannot be read)"
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    if any(key.lower() == "password" for key, _ in query):
        query = [(k, "***" if k.lower() == "password" else v) for k, v in query]
    netloc = parts.netloc
    if password is not None or parts.username is not None:
        user = parts.username or ""
        shown = f"{user}:***" if password is not None else user
        where = host or ""
        if ":" in where:
            where = f"[{where}]"
        netloc = f"{shown}@{where}" + (f":{port}" if port is not None else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, urllib.parse.urlencode(query), parts.fragment))


def secrets(url: str) -> list[str]:
    """The secret parts of a URL (its password, raw and decoded), to scrub from any text quoted from a driver."""
    try:
        parts = urllib.parse.urlsplit(url)
        password = parts.password
    except ValueError:
        return [url]
    found = [p for key, p in urllib.parse.parse_qsl(parts.query) if key.lower() == "password" and p]
    if password:
        found += [password, urllib.parse.unquote(password)]
    return [s for s in dict.fromkeys(found) if s]


__all__ = ["SERVER_ANCHOR", "StoreTarget", "StoreURLError", "mask", "parse", "secrets"]
