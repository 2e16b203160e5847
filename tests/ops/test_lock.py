"""One run at a time across processes, and a run killed part-way (SIGKILL) leaving history intact."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sqlite3
import threading
import time

import pytest

from auditor.cli import EXIT_BUSY, main
from auditor.lock import Busy, RunLock, holder, lock_path
from tests.ops.conftest import assert_store_consistent, auditor, markers, wait_for


def test_second_lock_waits_a_bounded_time_then_gives_up_naming_the_holder(tmp_path):
    path = lock_path(tmp_path / "auditor.sqlite3")
    with RunLock(path, wait=0, what="audit"):
        assert "audit by process" in (holder(path) or "")
        began = time.monotonic()
        with (
            pytest.raises(Busy, match=r"another run is in progress \(audit by process \d+"),
            RunLock(path, wait=0.5, what="comment sweep"),
        ):
            pass
        assert 0.4 <= time.monotonic() - began < 2
    assert holder(path) is None
    with RunLock(path, wait=0, what="audit"):  # released: the next run gets it at once
        pass


def test_a_waiting_run_gets_the_lock_when_the_first_finishes(tmp_path):
    path = lock_path(tmp_path / "auditor.sqlite3")
    first = RunLock(path, wait=0, what="audit").__enter__()
    threading.Timer(0.4, first.__exit__, (None, None, None)).start()
    began = time.monotonic()
    with RunLock(path, wait=5, what="audit"):
        assert 0.3 <= time.monotonic() - began < 3


def test_cli_refuses_with_status_5_while_another_run_holds_the_lock(school, tmp_path, capsys):
    with RunLock(lock_path(tmp_path / "auditor.sqlite3"), wait=0, what="audit"):
        code = main(["run", "--all", "--offline", "--config", str(school), "--out", str(tmp_path / "r"), "--wait", "0"])
    assert code == EXIT_BUSY == 5
    err = capsys.readouterr().err
    assert "another run is in progress" in err and "nothing was audited or written" in err
    assert not (tmp_path / "r").exists()


def run_args(school, out):
    return ["run", "--all", "--offline", "--config", str(school), "--out", str(out)]


def test_two_runs_started_at_once_one_refuses_and_neither_corrupts_the_store(school, plugin_env, tmp_path):
    env = {**plugin_env, "AUDITOR_TEST_SLOW_FETCH": "1"}
    a = auditor(*run_args(school, tmp_path / "a"), "--wait", "0", env=env, cwd=tmp_path)
    b = auditor(*run_args(school, tmp_path / "b"), "--wait", "0", env=env, cwd=tmp_path)
    results = [(p.wait(timeout=30), *p.communicate()) for p in (a, b)]
    codes = sorted(code for code, _, _ in results)
    assert codes[1] == EXIT_BUSY and codes[0] in (0, 1), results
    refused = next(err for code, _, err in results if code == EXIT_BUSY)
    assert "another run is in progress" in refused
    runs = assert_store_consistent(tmp_path / "auditor.sqlite3")
    assert [status for _, status, _ in runs] == ["complete"]  # the refused run recorded nothing


def test_two_runs_started_at_once_the_second_waits_and_both_succeed(school, plugin_env, tmp_path):
    env = {**plugin_env, "AUDITOR_TEST_SLOW_FETCH": "0.5"}
    a = auditor(*run_args(school, tmp_path / "a"), "--wait", "30", env=env, cwd=tmp_path)
    b = auditor(*run_args(school, tmp_path / "b"), "--wait", "30", env=env, cwd=tmp_path)
    results = [(p.wait(timeout=60), *p.communicate()) for p in (a, b)]
    assert all(code in (0, 1) for code, _, _ in results), results
    runs = assert_store_consistent(tmp_path / "auditor.sqlite3")
    assert [status for _, status, _ in runs] == ["complete", "complete"]
    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        # Run one after the other: the second started after the first had finished.
        first, second = db.execute("SELECT started_at, finished_at FROM runs ORDER BY started_at").fetchall()
    assert second[0] >= first[1]


def test_run_killed_part_way_leaves_history_intact_and_the_next_run_says_so(school, plugin_env, tmp_path, capsys):
    store = tmp_path / "auditor.sqlite3"
    assert main(run_args(school, tmp_path / "r1")) in (0, 1)
    with sqlite3.connect(store) as db:
        before = db.execute("SELECT COUNT(*) FROM findings").fetchone()[0]
        first_run = db.execute("SELECT id FROM runs").fetchone()[0]

    env = {**plugin_env, "AUDITOR_TEST_SLOW_FETCH": "30"}
    victim = auditor(*run_args(school, tmp_path / "r2"), env=env, cwd=tmp_path)
    try:
        wait_for(lambda: markers(tmp_path), timeout=20, what="the run to be part-way")
        victim.send_signal(signal.SIGKILL)  # a power cut, or the OOM killer
        victim.wait(timeout=10)
    finally:
        if victim.poll() is None:
            victim.kill()
    assert victim.returncode == -signal.SIGKILL
    runs = assert_store_consistent(store)
    assert [s for _, s, _ in runs] == ["complete", "running"]
    killed = runs[1][0]
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == before
    capsys.readouterr()

    # The lock died with the process: the next run starts at once, succeeds and reports the earlier one.
    assert main([*run_args(school, tmp_path / "r3"), "--wait", "0"]) in (0, 1)
    assert f"earlier run(s) did not finish: {killed}" in capsys.readouterr().err
    doc = json.loads((tmp_path / "r3" / "findings.json").read_text(encoding="utf-8"))
    assert doc["run"]["status"] == "complete"
    assert {f["change"] for f in doc["findings"]} == {"persisting"}  # compared with the first run's history
    runs = assert_store_consistent(store)
    assert [r[0] for r in runs][:2] == [first_run, killed]
    assert [s for _, s, _ in runs] == ["complete", "running", "complete"]
    assert main(["history", "--config", str(school)]) == 0
    history = capsys.readouterr().out
    assert killed in history and "did not finish" in history


def test_an_unfinished_run_is_reported_by_the_next_run_only(school, tmp_path, capsys):
    store = tmp_path / "auditor.sqlite3"
    assert main(run_args(school, tmp_path / "r1")) in (0, 1)
    with sqlite3.connect(store) as db:
        db.execute(
            "INSERT INTO runs (id, started_at, status, version) VALUES ('killed', ?, 'running', 'x')",
            (dt.datetime.now(dt.UTC).isoformat(),),
        )
    time.sleep(0.01)
    capsys.readouterr()
    assert main(run_args(school, tmp_path / "r2")) in (0, 1)
    assert "earlier run(s) did not finish: killed" in capsys.readouterr().err
    assert json.loads((tmp_path / "r2" / "findings.json").read_text(encoding="utf-8"))["run"]["status"] == "complete"
    assert main(run_args(school, tmp_path / "r3")) in (0, 1)
    assert "did not finish" not in capsys.readouterr().err
