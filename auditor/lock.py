"""One run at a time across processes: an advisory lock on a file beside the history database.

Cron-started runs, runs started by hand and the scheduler's runs all take the same lock, so two audits never write
history or reports at the same time. The operating system releases the lock when the holder exits, however it exits
(SIGKILL, power cut), so a stale lock file never blocks the next run. The file holds who has it, for the message a
waiting run shows.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from auditor.settings import PathProblems

POLL_SECONDS = 0.2


class Busy(Exception):
    """Another run held the lock for longer than this one was willing to wait; the message says which run."""


def lock_path(store: Path) -> Path:
    return store.with_name(store.name + ".lock")


def wait_for(try_once: Callable[[], bool], wait: float) -> bool:
    """Try to take a lock until `try_once` says it has it (True) or `wait` seconds have passed (False): the one
    waiting loop of the run lock, whether the lock is a file here or held in a database server (auditor/store.py)."""
    deadline = time.monotonic() + max(0.0, wait)
    while not try_once():
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)
    return True


def waited(wait: float) -> str:
    """How long a run that gave up waited, in the words of its message."""
    return f"after waiting {wait:g} s" if wait else "without waiting"


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class RunLock:
    """`with RunLock(path, wait=5, what="audit"):` waits up to `wait` seconds for the lock, or raises Busy."""

    def __init__(self, path: Path, *, wait: float, what: str) -> None:
        self.path = path
        self.wait = max(0.0, wait)
        self.what = what
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        fd = _open(self.path)
        if not wait_for(lambda: _try_flock(fd), self.wait):
            holder = _read(fd)
            os.close(fd)
            raise Busy(
                f"another run is in progress ({holder or 'holder unknown'}); this {self.what} gave up "
                f"{waited(self.wait)}. It was not started, so nothing was audited or written"
            )
        started = dt.datetime.now(dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{self.what} by process {os.getpid()}, started {started}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._fd is not None:
            # Emptied rather than deleted: deleting would let a waiting process lock an orphaned inode.
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _open(path: Path) -> int:
    """The lock file, created with its folder if need be; a folder or file that cannot be written is the machine's
    fault, reported with the path and the fix rather than as a bug."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise PathProblems(
            [
                f"{path}: the lock file that keeps runs from overlapping cannot be opened ({exc.strerror}); let the "
                "user that runs auditor write it and its folder (the folder of [output] store), or point [output] "
                "store at a writable place"
            ]
        ) from None


def holder(path: Path) -> str | None:
    """Who holds the lock now, or None when no run is in progress."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read(fd) or "holder unknown"
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _read(fd: int) -> str:
    return os.pread(fd, 300, 0).decode("utf-8", "replace").strip()
