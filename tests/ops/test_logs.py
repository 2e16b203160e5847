"""Logging to stderr or to a file that rotates by size."""

from __future__ import annotations

import logging

from auditor import logs
from auditor.config import Logging


def test_log_file_rotates_and_keeps_the_configured_number_of_backups(tmp_path, monkeypatch):
    monkeypatch.delenv(logs.LOG_STDERR_ENV, raising=False)
    path = tmp_path / "logs" / "auditor.log"
    logs.configure(Logging(file=path, level="info", max_bytes=10_000, backups=2))
    try:
        log = logging.getLogger("auditor.test")
        for n in range(500):
            log.info("line %d of a long night's audit", n)
        log.debug("not at info level")
    finally:
        logs.configure(Logging())
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == ["auditor.log", "auditor.log.1", "auditor.log.2"]
    assert all(p.stat().st_size <= 10_000 for p in path.parent.iterdir())
    text = path.read_text(encoding="utf-8")
    assert "line 499 of a long night's audit" in text and "not at info level" not in text
    assert "auditor[" in text and ": INFO: " in text  # timestamped, with the process id


def test_runs_started_by_the_scheduler_log_to_stderr_not_the_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(logs.LOG_STDERR_ENV, "1")
    path = tmp_path / "auditor.log"
    logs.configure(Logging(file=path), default_level="info")
    try:
        logging.getLogger("auditor.test").warning("from the child run")
    finally:
        logs.configure(Logging())
    assert not path.exists()
    assert "auditor: WARNING: from the child run" in capsys.readouterr().err


def test_verbose_lowers_the_level_and_configure_replaces_only_its_own_handler():
    root = logging.getLogger()
    others = [h for h in root.handlers if not getattr(h, "_auditor_handler", False)]
    logs.configure(Logging(), verbose=2)
    logs.configure(Logging(), verbose=1)
    try:
        assert root.level == logging.INFO
        ours = [h for h in root.handlers if getattr(h, "_auditor_handler", False)]
        assert len(ours) == 1
        assert [h for h in root.handlers if h not in ours] == others
    finally:
        logs.configure(Logging())


def test_the_database_layers_statements_never_reach_the_log_even_at_debug(tmp_path, monkeypatch):
    # SQLAlchemy logs each statement with its values at INFO: findings quote posts and name pupils.
    import datetime as dt

    from auditor.store import Store

    monkeypatch.delenv(logs.LOG_STDERR_ENV, raising=False)
    path = tmp_path / "auditor.log"
    logs.configure(Logging(file=path, level="debug"), verbose=2)
    try:
        store = Store(tmp_path / "h.sqlite3")
        try:
            store.begin_run("r1", dt.datetime(2026, 11, 1, tzinfo=dt.UTC), "Pupil Name Jones")
            store.runs()
        finally:
            store.close()
    finally:
        logs.configure(Logging())
    text = path.read_text(encoding="utf-8")
    assert "upgraded from schema" in text  # the store's own line about the new database is there
    assert "Pupil Name Jones" not in text and "INSERT INTO" not in text and "Running upgrade" not in text
