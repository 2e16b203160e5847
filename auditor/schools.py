"""Where each school of a deployment keeps its history and takes its run lock: the one place that decides it.

A single school's `config.toml` keeps everything as before: its `[output] store` and the lock file beside it, school
id "default". A trust config (auditor/trust.py) lists several schools; each school's settings carry its id
(`Config.school_id`), and every command that opens the history opens it here (`open_store`, `open_school`).

Until the store keeps a `school` column on every row, each school of a trust has a database of its own beside the
trust's `[output] store` (`auditor.sqlite3` -> `auditor.ihs.sqlite3`), so no query can reach another school's rows.
When the school-scoped store lands, two functions here change and nothing else: `school_store` returns the trust's one
store and the school id, and `open_school` opens it with `Store(target, school=school)`. The run lock is per school
either way (`school_lock`), so two schools' runs never wait for each other, while two runs of one school never
overlap.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.settings import Config

if TYPE_CHECKING:  # the store is imported when a history is opened, not by the commands that never open one
    from auditor.store import Store

# The school id of a single school's config; the store's default school.
DEFAULT_SCHOOL = "default"
# A school id: lower-case letters, digits and hyphens, starting and ending with a letter or digit. It names a folder
# under the report folder, so it can never be '..', hold a '/' or begin with a dot.
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?")


def slug_problem(value: str) -> str | None:
    """Why `value` cannot be a school id (None when it can), in words for the person naming the file."""
    if SLUG.fullmatch(value):
        return None
    return (
        f"{value!r} cannot be a school id: use 1 to 40 lower-case letters, digits and hyphens, starting and ending "
        'with a letter or digit (like "ihs" or "ysgol-cwm")'
    )


def school_store(config: Config) -> tuple[Path, str]:
    """The history target of this config's school and the school to open it as: `Store(target)` today; at the
    school-scoped store's merge, `Store(target, school=school)` with the trust's one target."""
    store = config.output.store
    slug = config.school_id
    if slug is None:
        return store, DEFAULT_SCHOOL
    if not SLUG.fullmatch(slug):  # the loader refuses such ids; never a path outside the store's folder
        raise ValueError(f"not a school id: {slug!r}")
    return store.with_name(f"{store.stem}.{slug}{store.suffix}"), slug


def open_store(config: Config) -> Store:
    """This config's school's history, opened: every command that reads or writes the history opens it here."""
    return open_school(*school_store(config))


def open_school(target: Path, school: str) -> Store:
    """One school's history at `target`. At the school-scoped store's merge this becomes
    `Store(target, school=school)` (and `school_store` returns the trust's one target)."""
    from auditor.store import Store

    del school  # each school has a target of its own until then
    return Store(target)


def school_lock(config: Config) -> Path:
    """The lock file that keeps this school's runs from overlapping (auditor/lock.py)."""
    store = config.output.store
    slug = config.school_id
    if slug is None:
        return store.with_name(store.name + ".lock")
    if not SLUG.fullmatch(slug):
        raise ValueError(f"not a school id: {slug!r}")
    return store.with_name(f"{store.name}.{slug}.lock")
