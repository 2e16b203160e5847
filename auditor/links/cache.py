"""SQLite cache of verdicts between runs. Only what the engine chooses to keep goes in (good results for the configured
age, threat-intelligence matches no longer than the service allows); failures are never stored, so a fixed link is
seen as fixed on the next run."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from auditor.links.verdicts import LinkVerdict


class VerdictCache:
    def __init__(self, path: Path | None, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        target = ":memory:" if path is None else str(path)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(target, check_same_thread=False)
        if path is not None:
            # One small write per good verdict from many threads: WAL without a sync per commit keeps that cheap; a
            # cache lost in a power cut costs only re-checks.
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS verdicts "
            "(url TEXT PRIMARY KEY, payload TEXT NOT NULL, expires_at REAL NOT NULL)"
        )
        self._db.commit()

    def get(self, url: str) -> LinkVerdict | None:
        with self._lock:
            row = self._db.execute("SELECT payload, expires_at FROM verdicts WHERE url = ?", (url,)).fetchone()
        if row is None or row[1] <= self._clock():
            return None
        try:
            return LinkVerdict.from_dict(json.loads(row[0]), cached=True)
        except (ValueError, KeyError, TypeError):
            return None

    def put(self, verdict: LinkVerdict, ttl_seconds: float) -> None:
        if ttl_seconds <= 0:
            return
        payload = json.dumps(verdict.as_dict())
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO verdicts (url, payload, expires_at) VALUES (?, ?, ?)",
                (verdict.url, payload, self._clock() + ttl_seconds),
            )
            self._db.commit()

    def purge_expired(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM verdicts WHERE expires_at <= ?", (self._clock(),))
            self._db.commit()

    def close(self) -> None:
        with self._lock:
            self._db.close()
