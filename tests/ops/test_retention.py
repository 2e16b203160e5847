"""Retention: old runs and dated report folders are pruned after [output] keep_days, never the latest, never
anything that is not a dated report folder."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3

from auditor import retention
from auditor.cli import _dated_folder, main
from auditor.store import Store
from tests.ops.conftest import assert_store_consistent


def age_runs(store_path, days: int) -> None:
    """Move every recorded run `days` into the past, as if they had been made then."""
    with sqlite3.connect(store_path) as db:
        for run_id, started in db.execute("SELECT id, started_at FROM runs").fetchall():
            when = dt.datetime.fromisoformat(started) - dt.timedelta(days=days)
            db.execute("UPDATE runs SET started_at = ? WHERE id = ?", (when.isoformat(), run_id))


def run(school, out=None, *which):
    args = ["run", *(which or ["--all"]), "--offline", "--config", str(school)]
    return main([*args, "--out", str(out)] if out else args)


def test_old_runs_are_pruned_but_never_the_latest_or_an_accounts_last(school, tmp_path):
    store_path = tmp_path / "auditor.sqlite3"
    for n in range(3):
        assert run(school, tmp_path / f"r{n}") in (0, 1)
    # An account only audited long ago: its last run is kept so its history is not lost.
    assert run(school, tmp_path / "music", "--account", "@MusicIHS") in (0, 1)
    assert run(school, tmp_path / "history", "--account", "@HistoryIHS") in (0, 1)
    age_runs(store_path, 100)
    store = Store(store_path)
    try:
        removed = store.prune(dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
        kept = store.runs(limit=10)
    finally:
        store.close()
    assert removed == 3
    assert len(kept) == 2  # the latest run (@HistoryIHS) and @MusicIHS's last run
    assert_store_consistent(store_path)
    with sqlite3.connect(store_path) as db:
        assert db.execute("SELECT COUNT(*) FROM findings WHERE run_id NOT IN (SELECT id FROM runs)").fetchone()[0] == 0
        assert (
            db.execute("SELECT COUNT(*) FROM account_runs WHERE run_id NOT IN (SELECT id FROM runs)").fetchone()[0] == 0
        )


def test_report_folders_pruned_only_when_dated_and_old_never_the_newest(tmp_path):
    reports = tmp_path / "audit-reports"
    now = dt.datetime.now(dt.UTC)
    old = _dated_folder(reports, now - dt.timedelta(days=40))
    old_same_second = old.with_name(old.name + "-2")
    recent = _dated_folder(reports, now - dt.timedelta(days=2))
    for folder in (old, old_same_second, recent):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text("report", encoding="utf-8")
    others = [reports / "keep-me", reports / "2020-01-01", reports / "2020-13-45_000000"]
    for folder in others:
        folder.mkdir()
    outside = tmp_path / "2020-01-01_000000"  # dated, old, but outside the reports folder
    outside.mkdir()
    link = reports / "2019-01-01_000000"  # a dated name that is a link to somewhere else: never followed
    os.symlink(outside, link)

    removed = retention.prune_reports(reports, now - dt.timedelta(days=30))
    assert sorted(removed) == sorted([old, old_same_second])
    assert recent.is_dir() and all(f.is_dir() for f in others) and outside.is_dir() and link.is_symlink()

    # The newest folder is kept even when everything is old.
    assert retention.prune_reports(reports, now + dt.timedelta(days=1)) == []
    assert recent.is_dir()


def test_a_run_prunes_with_keep_days_and_keeps_the_latest(school, tmp_path):
    with school.open("a", encoding="utf-8") as f:
        f.write("\n[output]\nkeep_days = 30\n")
    store_path = tmp_path / "auditor.sqlite3"
    assert run(school) in (0, 1)
    assert run(school) in (0, 1)
    age_runs(store_path, 60)
    reports = tmp_path / "audit-reports"
    for folder in reports.iterdir():
        folder.rename(folder.with_name("2020-01-0" + folder.name[9:]))  # dated in 2020
    given = tmp_path / "given-with-out"
    assert run(school, given) in (0, 1)  # --out folders are never touched
    assert run(school) in (0, 1)
    assert len(list(reports.iterdir())) == 1  # both 2020 folders went; today's stays
    assert given.is_dir()
    runs = assert_store_consistent(store_path)
    assert len(runs) == 2  # the two recent runs; the two aged ones are gone


def test_without_keep_days_nothing_is_pruned(school, tmp_path):
    store_path = tmp_path / "auditor.sqlite3"
    assert run(school) in (0, 1)
    age_runs(store_path, 5000)
    assert run(school) in (0, 1)
    assert len(assert_store_consistent(store_path)) == 2
