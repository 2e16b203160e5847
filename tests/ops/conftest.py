"""Helpers for operations tests: a small school config, and `python -m auditor` subprocesses whose X archive
connector is slowed by a plugin module on PYTHONPATH, so a test can stop or kill a run part-way."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, write_archive, write_config

AUP = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"

# Loaded at start-up by every Python process that has the plugin folder on PYTHONPATH (sitecustomize is imported by
# `site`). It changes nothing unless the test sets the variables below.
PLUGIN = """
import os, time

if os.environ.get("AUDITOR_TEST_SLOW_FETCH"):
    from auditor.connectors import x_archive

    _fetch = x_archive.XArchiveConnector.fetch

    def _slow(self, account, ctx):
        marker = os.environ.get("AUDITOR_TEST_MARKER")
        if marker:
            with open(f"{marker}.{os.getpid()}", "w") as f:
                f.write(str(os.getpid()))
        time.sleep(float(os.environ["AUDITOR_TEST_SLOW_FETCH"]))
        return _fetch(self, account, ctx)

    x_archive.XArchiveConnector.fetch = _slow

if os.environ.get("AUDITOR_TEST_FAST_TRIGGER"):
    from apscheduler.triggers.interval import IntervalTrigger
    import auditor.scheduler

    auditor.scheduler.cron_trigger = lambda expr, tz: IntervalTrigger(seconds=1, timezone=tz)
"""


@pytest.fixture
def school(tmp_path: Path) -> Path:
    """A config with two passing accounts from archives written by the test; history and reports stay in tmp."""
    for name in ("HistoryIHS", "MusicIHS"):
        write_archive(tmp_path / name, name, bio=f"Official account. AUP: {AUP}", tweets=[])
    return write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@HistoryIHS"
        platform = "x-archive"
        department = "History"
        owner = "h@islwynhigh.co.uk"
        notified = 2024-09-02
        credentials_shared = true
        source = "HistoryIHS"

        [[accounts]]
        handle = "@MusicIHS"
        platform = "x-archive"
        department = "Music"
        owner = "m@islwynhigh.co.uk"
        notified = 2024-09-02
        credentials_shared = true
        source = "MusicIHS"

        [departments.History]
        head_email = "head.history@islwynhigh.co.uk"

        [departments.Music]
        head_email = "head.music@islwynhigh.co.uk"
        """,
    )


@pytest.fixture
def plugin_env(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "plugin"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(PLUGIN, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITOR_")}
    env["PYTHONPATH"] = os.pathsep.join([str(folder), str(REPO)])
    env["AUDITOR_TEST_MARKER"] = str(tmp_path / "fetching")
    return env


def auditor(*args: str, env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "auditor", *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(predicate, timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def markers(tmp_path: Path) -> list[Path]:
    return sorted(tmp_path.glob("fetching.*"))


def assert_store_consistent(store: Path) -> list[tuple[str, str, str | None]]:
    """PRAGMA integrity_check is ok and every run either finished or is left marked 'running' (did not finish);
    returns (id, status, finished_at) oldest first."""
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        runs = db.execute("SELECT id, status, finished_at FROM runs ORDER BY started_at").fetchall()
    for _, status, finished in runs:
        assert (status == "running") == (finished is None)
        assert status in {"running", "complete", "partial"}
    return runs
