"""The real APScheduler scheduler with fast triggers, the cron expressions across the clock changes, and the
`auditor schedule` process stopped with SIGTERM while a run is in progress."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import signal
import threading
import time
import zoneinfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from auditor import scheduler
from auditor.lock import holder, lock_path
from tests.ops.conftest import assert_store_consistent, auditor, markers, wait_for

LONDON = zoneinfo.ZoneInfo("Europe/London")


class Recorder:
    """A job that counts its calls and how many ran at once."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.calls = 0
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def __call__(self) -> int:
        with self._lock:
            self.calls += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        time.sleep(self.seconds)
        with self._lock:
            self.running -= 1
        return 0


def start(job: Recorder, trigger, grace: int = 60, paused: bool = False):
    sched = scheduler.build(
        [scheduler.JobSpec("test", "test job", trigger, job)], timezone="Europe/London", misfire_grace_seconds=grace
    )
    sched.start(paused=paused)
    return sched


def test_a_job_fires_and_its_start_and_outcome_are_logged(caplog):
    caplog.set_level(logging.INFO, logger="auditor.scheduler")
    job = Recorder()
    sched = start(job, CronTrigger(second="*", timezone=LONDON))
    try:
        wait_for(lambda: job.calls >= 1, timeout=3, what="the job to fire")
        wait_for(lambda: "ended after" in caplog.text, timeout=2, what="the outcome line")
    finally:
        sched.shutdown(wait=True)
    assert "test job started" in caplog.text
    assert "exit status 0: nothing failing" in caplog.text


def test_a_second_firing_while_one_runs_is_skipped_not_stacked(caplog):
    job = Recorder(seconds=2.5)
    sched = start(job, CronTrigger(second="*", timezone=LONDON))
    try:
        wait_for(lambda: job.calls >= 1, timeout=3, what="the first run")
        time.sleep(2.2)  # two more firings fall while the first run is still going
        assert job.calls == 1
        assert job.most_at_once == 1
    finally:
        sched.shutdown(wait=True)
    assert "skipped: the previous test job is still running" in caplog.text


def test_missed_runs_inside_the_grace_time_run_once():
    job = Recorder()
    sched = start(job, IntervalTrigger(seconds=1, timezone=LONDON), grace=60, paused=True)
    try:
        time.sleep(3.3)  # the server was busy: three due times pass while the scheduler is paused
        assert job.calls == 0
        sched.resume()
        wait_for(lambda: job.calls >= 1, timeout=2, what="the coalesced run")
        time.sleep(0.3)
        assert job.calls == 1  # the backlog runs once, not three times
    finally:
        sched.shutdown(wait=True)


def test_a_late_run_inside_the_grace_time_runs_and_one_beyond_it_is_missed_and_logged(caplog):
    inside, beyond = Recorder(), Recorder()
    now = dt.datetime.now(LONDON)
    sched = scheduler.build(
        [
            scheduler.JobSpec("inside", "late audit", DateTrigger(now - dt.timedelta(seconds=2)), inside),
            scheduler.JobSpec("beyond", "very late audit", DateTrigger(now - dt.timedelta(seconds=120)), beyond),
        ],
        timezone="Europe/London",
        misfire_grace_seconds=60,
    )
    sched.start()
    try:
        wait_for(lambda: inside.calls == 1, timeout=3, what="the late run")
        wait_for(lambda: "very late audit due at" in caplog.text, timeout=3, what="the missed line")
        time.sleep(0.2)
    finally:
        sched.shutdown(wait=True)
    assert inside.calls == 1 and beyond.calls == 0
    assert "missed: it was more than 1 minutes late" in caplog.text


def test_a_job_that_raises_is_logged_and_the_scheduler_goes_on(caplog):
    calls = []

    def broken() -> int:
        calls.append(1)
        raise RuntimeError("connector exploded")

    sched = scheduler.build(
        [scheduler.JobSpec("b", "audit", CronTrigger(second="*", timezone=LONDON), broken)],
        timezone="Europe/London",
        misfire_grace_seconds=60,
    )
    sched.start()
    try:
        wait_for(lambda: len(calls) >= 2, timeout=4, what="two runs")
    finally:
        sched.shutdown(wait=True)
    assert "audit failed after" in caplog.text and "RuntimeError: connector exploded" in caplog.text


def fire_times(expr: str, start: dt.datetime, n: int) -> list[dt.datetime]:
    trigger = scheduler.cron_trigger(expr, "Europe/London")
    out, previous, now = [], None, start
    for _ in range(n):
        fire = trigger.get_next_fire_time(previous, now)
        out.append(fire.astimezone(dt.UTC))
        previous = now = fire
    return out


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_nightly_audit_stays_at_two_in_the_morning_uk_time_across_the_clock_changes():
    # Clocks go forward on Sunday 28 March 2027 (GMT -> BST) and back on Sunday 25 October 2026 (BST -> GMT).
    spring = fire_times("0 2 * * *", dt.datetime(2027, 3, 26, 12, tzinfo=LONDON), 3)
    assert spring == [utc(2027, 3, 27, 2), utc(2027, 3, 28, 1), utc(2027, 3, 29, 1)]
    autumn = fire_times("0 2 * * *", dt.datetime(2026, 10, 23, 12, tzinfo=LONDON), 3)
    assert autumn == [utc(2026, 10, 24, 1), utc(2026, 10, 25, 2), utc(2026, 10, 26, 2)]
    assert all(t.astimezone(LONDON).hour == 2 for t in spring + autumn)


def test_a_time_in_the_hour_that_happens_twice_runs_once_and_a_skipped_hour_runs_late_once():
    autumn = fire_times("30 1 * * *", dt.datetime(2026, 10, 23, 12, tzinfo=LONDON), 3)
    # 01:30 happens twice on 25 October 2026 (BST, then GMT); the audit runs at the first one only.
    assert autumn == [utc(2026, 10, 24, 0, 30), utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)]
    spring = fire_times("30 1 * * *", dt.datetime(2027, 3, 26, 12, tzinfo=LONDON), 3)
    # 01:30 does not exist on 28 March 2027: as cron does, the audit runs once, as soon as the clocks have gone forward.
    assert spring == [utc(2027, 3, 27, 1, 30), utc(2027, 3, 28, 1, 0), utc(2027, 3, 29, 0, 30)]
    assert spring[1].astimezone(LONDON).strftime("%H:%M %Z") == "02:00 BST"


def test_comment_sweep_keeps_every_fifteen_minutes_through_the_repeated_hour():
    times = fire_times("*/15 * * * *", dt.datetime(2026, 10, 25, 0, 50, tzinfo=LONDON), 8)
    gaps = {(b - a).total_seconds() for a, b in itertools.pairwise(times)}
    assert gaps == {900.0}


def test_weekday_numbers_mean_what_they_mean_to_cron():
    # Cron: 1-5 is Monday to Friday, 0 and 7 are Sunday (APScheduler 3 alone would read 1-5 as Tuesday to Saturday).
    times = fire_times("0 2 * * 1-5", dt.datetime(2026, 11, 22, 12, tzinfo=LONDON), 6)
    assert [t.astimezone(LONDON).strftime("%a") for t in times] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Mon"]
    sundays = fire_times("0 2 * * 7", dt.datetime(2026, 11, 22, 12, tzinfo=LONDON), 2)
    assert [t.astimezone(LONDON).strftime("%a") for t in sundays] == ["Sun", "Sun"]
    every_other = fire_times("0 2 * * */2", dt.datetime(2026, 11, 22, 12, tzinfo=LONDON), 4)
    assert [t.astimezone(LONDON).strftime("%a") for t in every_other] == ["Tue", "Thu", "Sat", "Sun"]
    with pytest.raises(ValueError, match="day of the week"):
        scheduler.cron_trigger("0 2 * * 8", "Europe/London")


def test_day_of_month_and_day_of_week_together_mean_either_as_in_cron():
    # "0 2 1 * 1": cron fires on the 1st of the month and on every Monday (APScheduler alone: only Mondays that are
    # the 1st, the next being in June 2027).
    times = fire_times("0 2 1 * 1", dt.datetime(2026, 11, 29, 12, tzinfo=LONDON), 4)
    assert [t.astimezone(LONDON).strftime("%a %d %b") for t in times] == [
        "Mon 30 Nov",
        "Tue 01 Dec",
        "Mon 07 Dec",
        "Mon 14 Dec",
    ]


def test_schedule_process_stops_within_five_seconds_on_sigterm_mid_run(school, plugin_env, tmp_path):
    with school.open("a", encoding="utf-8") as f:
        f.write('\n[schedule]\naudit = "0 2 * * *"\ntimezone = "Europe/London"\n')
    # The real `auditor schedule`, with its cron trigger swapped for "every second" and a slow connector, so that a
    # run (its own `python -m auditor run` process) is part-way through when SIGTERM arrives.
    env = {**plugin_env, "AUDITOR_TEST_FAST_TRIGGER": "1", "AUDITOR_TEST_SLOW_FETCH": "30"}
    proc = auditor("schedule", "--config", str(school), env=env, cwd=tmp_path)
    try:
        wait_for(lambda: markers(tmp_path), timeout=20, what="a scheduled run to start fetching")
        child = int(markers(tmp_path)[0].read_text())
        store = tmp_path / "auditor.sqlite3"
        assert holder(lock_path(store)) is not None
        began = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
        took = time.monotonic() - began
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert took < 5, f"took {took:.1f} s to stop"
    assert "received SIGTERM: stopping" in err and "scheduler stopped" in err
    assert "audit started" in err and "audit ended" in err and "exit status 130: stopped before it finished" in err
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)  # the run was stopped and reaped, not left behind
    assert holder(lock_path(store)) is None
    runs = assert_store_consistent(store)
    assert [status for _, status, _ in runs] == ["running"]  # marked: shown as "did not finish"


def test_a_second_scheduler_on_the_same_history_is_refused(school, tmp_path, capsys):
    from auditor.cli import EXIT_BUSY, main
    from auditor.lock import RunLock

    with RunLock(tmp_path / "auditor.sqlite3.scheduler.lock", wait=0, what="scheduler"):
        assert main(["schedule", "--config", str(school)]) == EXIT_BUSY
    assert "another run is in progress (scheduler by process" in capsys.readouterr().err


def test_idle_schedule_process_logs_to_its_file_and_stops_on_sigint(school, plugin_env, tmp_path):
    with school.open("a", encoding="utf-8") as f:
        f.write('\n[schedule]\naudit = "0 2 * * 1-5"\n\n[logging]\nfile = "logs/auditor.log"\n')
    log_file = tmp_path / "logs" / "auditor.log"
    proc = auditor("schedule", "--config", str(school), env=plugin_env, cwd=tmp_path)
    try:
        wait_for(lambda: log_file.exists() and "scheduled audit" in log_file.read_text(), timeout=20, what="start")
        began = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
        took = time.monotonic() - began
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0 and took < 5, err
    text = log_file.read_text(encoding="utf-8")
    assert "scheduled audit (0 2 * * 1-5, Europe/London): next at " in text and " 02:00:00 " in text
    assert "received SIGINT: stopping" in text and "scheduler stopped" in text
    assert err == ""  # everything went to the log file
