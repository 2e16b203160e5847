"""Where each school of a deployment keeps its history and takes its run lock: the one place that decides it.

A single school's `config.toml` keeps everything as before: its `[output] store` and the lock file beside it, school
id "default". A trust config (auditor/trust.py) lists several schools; each school's settings carry its id
(`Config.school_id`), and every command that opens the history opens it here (`open_store`, `open_school`).

A trust's schools share the trust's one `[output] store`; every row carries its school, and `open_school` opens it
with `Store(target, school=school)`, so every read and write is limited to that school (and, on PostgreSQL, row-level
security refuses a query that forgets it). The run lock is per school (`school_lock`), so two schools' runs never wait
for each other, while two runs of one school never overlap.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.settings import Config
from auditor.storeurl import StoreTarget

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


def school_store(config: Config) -> tuple[StoreTarget, str]:
    """The history target of this config's school and the school to open it as: a trust's schools share the trust's
    one `[output] store`, each school's rows stamped with, and read by, its id."""
    slug = config.school_id
    if slug is None:
        return config.output.store, DEFAULT_SCHOOL
    if not SLUG.fullmatch(slug):  # the loader refuses such ids; never a path outside the store's folder
        raise ValueError(f"not a school id: {slug!r}")
    return config.output.store, slug


def open_store(config: Config) -> Store:
    """This config's school's history, opened: every command that reads or writes the history opens it here."""
    return open_school(*school_store(config))


def open_school(target: StoreTarget, school: str) -> Store:
    """One school's history in the store at `target`: every read and write of it is limited to that school."""
    from auditor.store import Store

    return Store(target, school=school)


def school_lock(config: Config) -> Path:
    """The lock file that keeps this school's runs from overlapping (auditor/lock.py)."""
    store = config.output.store.anchor
    slug = config.school_id
    if slug is None:
        return store.with_name(store.name + ".lock")
    if not SLUG.fullmatch(slug):
        raise ValueError(f"not a school id: {slug!r}")
    return store.with_name(f"{store.name}.{slug}.lock")
