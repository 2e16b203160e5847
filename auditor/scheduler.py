"""`auditor schedule`: the long-running scheduler (APScheduler 3.x) for the nightly audit and the comment sweep.

Each job runs `python -m auditor run` as a child process, exactly what a cron line runs: the same one-run-at-a-time
lock, the same exit statuses, and a year of nightly runs cannot leak memory into the scheduler. Jobs coalesce (a
backlog of missed times runs once), never overlap (max_instances=1), and still run when up to
[schedule] misfire_grace_minutes late. SIGTERM or SIGINT stops the scheduler within seconds: a run in progress is
asked to stop (it leaves history as it was and is shown as "did not finish"), then killed if it does not.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobExecutionEvent, JobSubmissionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from cronsim import CronSim

from auditor.cron import check_cron
from auditor.logs import LOG_STDERR_ENV
from auditor.settings import Config

log = logging.getLogger("auditor.scheduler")

STOP_GRACE_SECONDS = 3.0  # how long a run has to stop after SIGTERM before it is killed
_LEVELS = {"DEBUG": logging.DEBUG, "INFO": logging.INFO, "WARNING": logging.WARNING, "ERROR": logging.ERROR}
_LEVELS["CRITICAL"] = logging.CRITICAL
_CHILD_LINE = re.compile(r"^auditor: (DEBUG|INFO|WARNING|ERROR|CRITICAL): (.*)$")
OUTCOMES = {
    0: "nothing failing",
    1: "finished: at least one FAIL to fix",
    2: "did not run: usage or config error",
    3: "finished, but one or more accounts could not be audited",
    4: "failed: internal error",
    5: "skipped: another run was in progress",
    130: "stopped before it finished",
}


@dataclass(frozen=True)
class JobSpec:
    id: str
    name: str  # as a person would say it: "audit", "comment sweep"
    trigger: BaseTrigger
    func: Callable[[], int]  # returns the run's exit status


class CronTrigger(BaseTrigger):  # type: ignore[misc]
    """An APScheduler trigger whose times come from cronsim, which reads an expression the way cron does.

    APScheduler's own cron trigger differs from cron at its edges: it numbers weekdays from Monday, it fires a day
    only when day of month *and* day of week match ("0 2 1 * 1": cron fires on the 1st and on every Monday), and it
    runs a 01:30 job twice on the night the clocks go back. cronsim follows Debian cron on all three (a time in the
    repeated hour runs once, a time in the skipped hour runs when the clocks have gone forward)."""

    def __init__(self, expr: str, timezone: zoneinfo.ZoneInfo) -> None:
        self.expr = expr
        self.timezone = timezone
        CronSim(expr, dt.datetime.now(timezone))  # raises CronSimError for a bad expression

    def get_next_fire_time(self, previous_fire_time: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
        # cronsim yields times strictly after its start: after the last firing, or from just before now.
        start = previous_fire_time or now - dt.timedelta(microseconds=1)
        try:
            fire: dt.datetime = next(CronSim(self.expr, start.astimezone(self.timezone)))
        except StopIteration:  # an expression no date can meet ("0 0 30 2 *")
            return None
        return fire

    def __str__(self) -> str:
        return f"cron[{self.expr}]"


def cron_trigger(expr: str, timezone: str) -> CronTrigger:
    """A trigger for a 5-field cron expression, read as cron reads it, in the school's time zone. A bad expression is
    a ValueError saying which field is wrong."""
    return CronTrigger(check_cron(expr), zoneinfo.ZoneInfo(timezone))


def build(jobs: Sequence[JobSpec], *, timezone: str, misfire_grace_seconds: int) -> BackgroundScheduler:
    """A scheduler (not yet started) running each job with start, end and outcome logged."""
    scheduler = BackgroundScheduler(
        timezone=zoneinfo.ZoneInfo(timezone),
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": misfire_grace_seconds},
    )
    names = {job.id: job.name for job in jobs}
    for job in jobs:
        scheduler.add_job(_logged(job), trigger=job.trigger, id=job.id, name=job.name)

    def on_event(event: Any) -> None:
        name = names.get(event.job_id, event.job_id)
        if isinstance(event, JobSubmissionEvent) and event.code == EVENT_JOB_MAX_INSTANCES:
            due = ", ".join(_local(t) for t in event.scheduled_run_times)
            log.warning("%s due at %s skipped: the previous %s is still running", name, due, name)
        elif isinstance(event, JobExecutionEvent) and event.code == EVENT_JOB_MISSED:
            log.warning(
                "%s due at %s missed: it was more than %d minutes late (was the server asleep or down?)",
                name,
                _local(event.scheduled_run_time),
                misfire_grace_seconds // 60,
            )

    scheduler.add_listener(on_event, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED)
    return scheduler


def _local(when: dt.datetime) -> str:
    return f"{when:%Y-%m-%d %H:%M:%S %Z}"


def _logged(job: JobSpec) -> Callable[[], None]:
    def run() -> None:
        log.info("%s started", job.name)
        began = time.monotonic()
        try:
            code = job.func()
        except Exception as exc:  # the scheduler must outlive any one run
            log.error("%s failed after %.1f s: %s: %s", job.name, time.monotonic() - began, type(exc).__name__, exc)
            return
        took = time.monotonic() - began
        level = logging.INFO if code in (0, 1) else logging.WARNING if code in (3, 5, 130) else logging.ERROR
        outcome = OUTCOMES.get(code, "killed by a signal" if code < 0 else "ended unexpectedly")
        log.log(level, "%s ended after %.1f s with exit status %d: %s", job.name, took, code, outcome)

    return run


class Children:
    """The runs now in progress, so that stopping the scheduler can stop them; none start once stopping begins."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: set[subprocess.Popen[str]] = set()
        self.closed = False

    def run(self, name: str, argv: list[str]) -> int:
        with self._lock:
            if self.closed:
                log.info("%s not started: the scheduler is stopping", name)
                return 130
            env = {**os.environ, LOG_STDERR_ENV: "1"}
            # Its own session: a Ctrl-C at the terminal reaches the scheduler, which then stops the run itself.
            proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments, no shell
                argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True
            )
            self._procs.add(proc)
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                match = _CHILD_LINE.match(line.rstrip("\n"))
                if match:
                    log.log(_LEVELS[match.group(1)], "%s: %s", name, match.group(2))
                elif line.strip():
                    log.info("%s: %s", name, line.rstrip())
            return proc.wait()
        finally:
            with self._lock:
                self._procs.discard(proc)

    def stop_all(self, grace: float) -> None:
        with self._lock:
            self.closed = True
            procs = list(self._procs)
        for proc in procs:
            log.info("asking the run in progress (process %d) to stop", proc.pid)
            proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in procs:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("the run (process %d) did not stop within %.0f s; killing it", proc.pid, grace)
                proc.kill()
                proc.wait()


def jobs_from_config(config: Config, children: Children) -> list[JobSpec]:
    from auditor.checks import all_checks
    from auditor.results import COMMENTS_CHECK

    s = config.schedule

    def command(*extra: str) -> list[str]:
        base = [sys.executable, "-m", "auditor", "run", "--all", "--config", str(config.path)]
        return [*base, "--wait", str(s.lock_wait_seconds), *extra]

    jobs = [
        JobSpec("audit", "audit", cron_trigger(s.audit, s.timezone), lambda: children.run("audit", command())),
    ]
    if s.comment_sweep:
        if COMMENTS_CHECK in all_checks():
            sweep = command("--comments-only")
            jobs.append(
                JobSpec(
                    "comment_sweep",
                    "comment sweep",
                    cron_trigger(s.comment_sweep, s.timezone),
                    lambda: children.run("comment sweep", sweep),
                )
            )
        else:
            log.error(
                "comment_sweep is set in [schedule], but this version of auditor has no %s check to sweep with: "
                "comments are NOT being watched between audits",
                COMMENTS_CHECK,
            )
    return jobs


def serve(config: Config) -> int:
    """Run until SIGTERM or SIGINT; 0 after a clean stop."""
    stopping: list[str] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.append(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    children = Children()
    s = config.schedule
    scheduler = build(
        jobs_from_config(config, children), timezone=s.timezone, misfire_grace_seconds=s.misfire_grace_minutes * 60
    )
    try:
        scheduler.start()
        if config.broker is not None:
            # Each scheduled run is the coordinator: it sends its accounts to the workers' queue and stores the results.
            log.info("accounts are read by `auditor worker` processes through %s ([workers])", config.broker)
        expressions = {"audit": s.audit, "comment_sweep": s.comment_sweep}
        for job in scheduler.get_jobs():
            log.info(
                "scheduled %s (%s, %s): next at %s",
                job.name,
                expressions.get(job.id),
                s.timezone,
                _local(job.next_run_time),
            )
        while not stopping:
            time.sleep(0.2)  # a signal ends the sleep; the handler only records it, the work is done here
        log.info("received %s: stopping", stopping[0])
        children.stop_all(STOP_GRACE_SECONDS)
        scheduler.shutdown(wait=True)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("scheduler stopped")
    return 0
