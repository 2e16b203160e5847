"""Retention ([output] keep_days): prune runs from the history and dated report folders older than the period.

Only folders directly under the reports directory whose names are the dated pattern `auditor run` gives them
(2026-11-24_020000, or 2026-11-24_020000-2 when two runs start in the same second) are ever deleted: never a folder
given with --out, never anything else a person put there, never a symbolic link, and never the newest folder.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from auditor.store import Store

log = logging.getLogger(__name__)

DATED_FOLDER = re.compile(r"^(\d{4}-\d{2}-\d{2}_\d{6})(?:-\d+)?$")
FOLDER_FORMAT = "%Y-%m-%d_%H%M%S"


@dataclass(frozen=True)
class Pruned:
    runs: int
    folders: list[Path]


def dated_folder_name(when: dt.datetime) -> str:
    """The name of a run's report folder: the local time the run started."""
    return when.astimezone().strftime(FOLDER_FORMAT)


def prune(store: Store, reports_dir: Path, keep_days: int, now: dt.datetime) -> Pruned:
    cutoff = now - dt.timedelta(days=keep_days)
    runs = store.prune(cutoff.astimezone(dt.UTC))
    folders = prune_reports(reports_dir, cutoff)
    if runs or folders:
        log.info(
            "retention (%d days): removed %d run(s) from the history and %d report folder(s)",
            keep_days,
            runs,
            len(folders),
        )
    return Pruned(runs, folders)


def prune_reports(reports_dir: Path, cutoff: dt.datetime) -> list[Path]:
    if not reports_dir.is_dir():
        return []
    dated: list[tuple[dt.datetime, Path]] = []
    for entry in reports_dir.iterdir():
        match = DATED_FOLDER.match(entry.name)
        if not match or entry.is_symlink() or not entry.is_dir():
            continue
        try:
            started = dt.datetime.strptime(match.group(1), FOLDER_FORMAT).astimezone()
        except ValueError:  # matches the digits but is no real date (2026-13-45_...): not ours
            continue
        dated.append((started, entry))
    dated.sort()
    removed = []
    for started, folder in dated[:-1]:  # the newest folder is always kept
        if started < cutoff:
            shutil.rmtree(folder)
            removed.append(folder)
    return removed
