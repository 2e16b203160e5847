"""UT1 blocklists (Université Toulouse Capitole): a folder per category holding `domains` (one domain a line, matching
the domain and its subdomains) and `urls` (one `host/path` a line, matching that page and what lies under it).

The adult list alone holds about 4.6 million domains, so the lists are never read into Python sets: they are indexed
once into a SQLite file beside them (`index.sqlite3`), rebuilt only when a list file changes. A nightly run then opens
the index in milliseconds, holds almost nothing in memory, and answers each lookup with one indexed query.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from auditor.links.settings import ut1_name

INDEX_NAME = "index.sqlite3"
META_NAME = "ut1.json"  # written by `auditor blocklists update`: {"categories": {name: {"updated": ISO date, ...}}}
_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ListMatch:
    category: str
    entry: str
    version: str  # the list's date


class BlocklistError(Exception):
    """The lists cannot be used; the message says what to do."""


def list_dates(folder: Path, categories: Iterable[str]) -> dict[str, str]:
    """Each installed category's date: the one `blocklists update` recorded, else the domains file's modification
    date. Reads no list, so `auditor status` can ask without opening (or building) the index."""
    recorded: dict[str, str] = {}
    meta = folder / META_NAME
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        for name, info in (data.get("categories") or {}).items():
            if isinstance(info, dict) and isinstance(info.get("updated"), str):
                recorded[name] = info["updated"]
    except (OSError, ValueError, AttributeError):
        pass
    versions = {}
    for category in dict.fromkeys(ut1_name(c) for c in categories):
        path = folder / category / "domains"
        if category in recorded:
            versions[category] = recorded[category]
        elif path.is_file():
            versions[category] = dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
    return versions


class Blocklists:
    def __init__(self, folder: Path, categories: Iterable[str]) -> None:
        self.folder = folder
        self.categories = tuple(dict.fromkeys(ut1_name(c) for c in categories))
        self.versions = list_dates(folder, self.categories)
        self.missing = tuple(c for c in self.categories if not (folder / c / "domains").is_file())
        self._lock = threading.Lock()
        self._db = self._open_index()

    def close(self) -> None:
        self._db.close()

    def oldest(self) -> dt.date | None:
        dates = []
        for value in self.versions.values():
            try:
                dates.append(dt.date.fromisoformat(value[:10]))
            except ValueError:
                continue
        return min(dates) if dates else None

    def _open_index(self) -> sqlite3.Connection:
        path = self.folder / INDEX_NAME
        signature = list_signature(self.folder, self.categories)
        try:
            db = sqlite3.connect(path, check_same_thread=False)
            row = None
            with contextlib.suppress(sqlite3.DatabaseError):
                row = db.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()
            if row is None or row[0] != signature:
                db.close()
                build_index(self.folder, self.categories, signature)
                db = sqlite3.connect(path, check_same_thread=False)
            return db
        except sqlite3.Error as exc:
            raise BlocklistError(f"the blocklist index {path} cannot be used ({exc}); delete it to rebuild") from None

    def match(self, host: str, path_and_query: str = "/") -> ListMatch | None:
        """The first blocked category whose domains list holds the host or a parent domain, or whose urls list holds
        this page or one above it."""
        host = host.lower().rstrip(".")
        labels = host.split(".")
        suffixes = [".".join(labels[i:]) for i in range(len(labels))]
        url_keys = _url_prefixes(host, path_and_query)
        with self._lock:
            marks = ",".join("?" * len(suffixes))
            row = self._db.execute(
                f"SELECT c.name, d.domain FROM domains d JOIN categories c ON c.id = d.category "  # noqa: S608 - placeholders only
                f"WHERE d.domain IN ({marks}) ORDER BY length(d.domain) DESC LIMIT 1",
                suffixes,
            ).fetchone()
            if row is None and url_keys:
                marks = ",".join("?" * len(url_keys))
                row = self._db.execute(
                    f"SELECT c.name, u.entry FROM urls u JOIN categories c ON c.id = u.category "  # noqa: S608 - placeholders only
                    f"WHERE u.entry IN ({marks}) ORDER BY length(u.entry) DESC LIMIT 1",
                    url_keys,
                ).fetchone()
        if row is None:
            return None
        return ListMatch(row[0], row[1], self.versions.get(row[0], "unknown date"))


def _url_prefixes(host: str, path_and_query: str) -> list[str]:
    """`host/a/b?q` -> the entries that cover it: host/a/b?q, host/a/b, host/a, and the same without `www.`."""
    path = path_and_query.split("#", 1)[0]
    full = path.rstrip("/")
    keys: list[str] = []
    for h in dict.fromkeys((host, host.removeprefix("www."))):
        if "?" in full:
            keys.append(f"{h}{full}")
        segments = full.split("?", 1)[0].strip("/").split("/")
        for i in range(len(segments), 0, -1):
            if segments[i - 1]:
                keys.append(f"{h}/" + "/".join(segments[:i]))
    return keys


def list_signature(folder: Path, categories: Iterable[str]) -> str:
    """Changes whenever a list file does: the index is rebuilt only then."""
    parts = [str(_SCHEMA_VERSION)]
    for category in categories:
        parts.append(category)
        for name in ("domains", "urls"):
            path = folder / category / name
            if path.is_file():
                stat = path.stat()
                parts.append(f"{category}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def _lines(path: Path) -> Iterator[str]:
    if not path.is_file():
        return
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            entry = line.strip().lower()
            if entry and not entry.startswith("#"):
                yield entry.rstrip("/")


def build_index(folder: Path, categories: Iterable[str], signature: str | None = None) -> Path:
    """Index the lists into `folder/index.sqlite3` (written beside, then moved into place, so a reader never sees half
    an index)."""
    categories = tuple(categories)
    final = folder / INDEX_NAME
    tmp = folder / (INDEX_NAME + ".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -65536;
            PRAGMA temp_store = FILE;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
            CREATE TEMP TABLE staged_domains (domain TEXT NOT NULL, category INTEGER NOT NULL);
            CREATE TEMP TABLE staged_urls (entry TEXT NOT NULL, category INTEGER NOT NULL);
            """
        )
        for number, category in enumerate(categories, start=1):
            db.execute("INSERT INTO categories (id, name) VALUES (?, ?)", (number, category))
            db.executemany(
                "INSERT INTO staged_domains (domain, category) VALUES (?, ?)",
                ((d, number) for d in _lines(folder / category / "domains")),
            )
            db.executemany(
                "INSERT INTO staged_urls (entry, category) VALUES (?, ?)",
                ((u, number) for u in _lines(folder / category / "urls")),
            )
        # Clustered on the key (WITHOUT ROWID) and filled in key order: each name is stored once, in a compact tree
        # that is written sequentially, rather than once in a table and again in an index.
        db.executescript(
            """
            CREATE TABLE domains (domain TEXT NOT NULL, category INTEGER NOT NULL, PRIMARY KEY (domain, category))
                WITHOUT ROWID;
            INSERT OR IGNORE INTO domains SELECT domain, category FROM staged_domains ORDER BY domain, category;
            CREATE TABLE urls (entry TEXT NOT NULL, category INTEGER NOT NULL, PRIMARY KEY (entry, category))
                WITHOUT ROWID;
            INSERT OR IGNORE INTO urls SELECT entry, category FROM staged_urls ORDER BY entry, category;
            DROP TABLE staged_domains;
            DROP TABLE staged_urls;
            """
        )
        db.execute(
            "INSERT INTO meta (key, value) VALUES ('signature', ?)", (signature or list_signature(folder, categories),)
        )
        db.commit()
    finally:
        db.close()
    tmp.replace(final)
    return final
