"""The comment sweep: a comments-only run, and what happens when there is no comments check to sweep with."""

from __future__ import annotations

import logging
import sqlite3

import auditor.checks as checks_mod
from auditor import config as config_mod
from auditor import scheduler
from auditor.cli import main
from auditor.runner import COMMENTS_CHECK


def sweep(school, tmp_path) -> int:
    return main(["run", "--all", "--offline", "--comments-only", "--config", str(school), "--out", str(tmp_path / "s")])


def test_sweep_runs_only_the_comments_check_and_is_recorded_as_a_sweep(school, tmp_path, capsys):
    assert COMMENTS_CHECK in checks_mod.all_checks()
    assert sweep(school, tmp_path) in (0, 1)
    # The samples' archives hold no abusive comment: the sweep found nothing, so it wrote no report at all.
    assert not (tmp_path / "s").exists()
    assert "Nothing found: no report was written." in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        assert db.execute("SELECT kind, status, scope FROM runs").fetchall() == [
            ("comment_sweep", "complete", "partial")
        ]
        checks = {row[0] for row in db.execute("SELECT DISTINCT check_id FROM findings")}
        assert checks == {COMMENTS_CHECK}
    capsys.readouterr()
    # A sweep is not an audit: the health check still waits for a complete audit.
    assert main(["status", "--config", str(school)]) == 1
    assert main(["history", "--config", str(school)]) == 0
    assert "sweep" in capsys.readouterr().out


def test_sweep_without_a_comments_check_says_so_and_records_nothing(school, tmp_path, capsys, monkeypatch):
    monkeypatch.delitem(checks_mod._REGISTRY, COMMENTS_CHECK)
    assert sweep(school, tmp_path) == 2
    assert "nothing to sweep with" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()
    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0


def test_scheduler_does_not_schedule_a_sweep_it_cannot_run_and_says_so(school, monkeypatch, caplog):
    with school.open("a", encoding="utf-8") as f:
        f.write('\n[schedule]\naudit = "0 2 * * *"\ncomment_sweep = "*/15 7-22 * * *"\n')
    config = config_mod.load(school)
    children = scheduler.Children()
    assert [j.id for j in scheduler.jobs_from_config(config, children)] == ["audit", "comment_sweep"]
    monkeypatch.delitem(checks_mod._REGISTRY, COMMENTS_CHECK)
    with caplog.at_level(logging.ERROR):
        assert [j.id for j in scheduler.jobs_from_config(config, children)] == ["audit"]
    assert "comments are NOT being watched" in caplog.text
