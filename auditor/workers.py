"""Accounts read and checked by worker processes, through Celery with Redis as its broker and result store: the
coordinator's side (sending, collecting), the app both sides share and the JSON that crosses the broker. The workers'
side is auditor/worker.py.

The run that starts (`auditor run`, by hand or from `auditor schedule`) stays the coordinator: it sends one task per
account, collects the results in the order of `config.toml`, compares them with history, writes the store and the
reports, exactly as a run without workers does. A worker (`auditor worker`, auditor/worker.py) reads one account with
its connector and runs the checks on it (`runner._fetch` and `runner._examine`, the same code as the in-process run)
and hands back its findings as JSON. So findings.json is the same either way.

What crosses the broker is JSON only (no pickle): the account's key, the run's options, the connector state saved
by the last run, the findings. Never a credential: a worker reads its own config file and its own environment, and
a task only names an account of that config. A worker refuses a task sent with another config (their digests
differ), so no run is judged by two different policies.

A worker killed part-way (SIGKILL, the kernel's out-of-memory killer): the task is acknowledged only once done
(`acks_late`) and given back to the queue when its process is lost (`reject_on_worker_lost`), so another process
takes it; an account whose task has been lost `MAX_DELIVERIES` times is not tried again and ends ERROR, saying so.
An account taking longer than `[workers] account_time_limit` has its process stopped and ends ERROR; the run waits
for the workers no longer than `[workers] run_timeout` in all, and an account not done by then ends ERROR too. The
run always finishes and stores what it has.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
import time
from collections.abc import Callable, Generator, Sequence
from typing import Any

from celery import Celery
from celery.exceptions import TimeLimitExceeded, WorkerLostError
from celery.exceptions import TimeoutError as ResultTimeout

from auditor.checks import Check
from auditor.errors import WorkersUnavailable
from auditor.model import Account, Evidence, Finding, Seen
from auditor.results import Examined
from auditor.settings import Config, Workers

log = logging.getLogger(__name__)

TASK = "auditor.examine_account"
QUEUE = "auditor.accounts"
PAYLOAD_VERSION = 1
# A task whose worker process was lost this many times (killed, out of memory) is not tried again.
MAX_DELIVERIES = 2
# Keys in Redis besides Celery's own: how often each task was taken, and runs the coordinator has given up on.
TRIES_KEY = "auditor:tries:{task}"
ABANDONED_KEY = "auditor:abandoned:{run}"


def broker_url(workers: Workers) -> str:
    """The broker's address, with the password from the environment variable `[workers] broker_password_env`."""
    if workers.broker is None:
        raise WorkersUnavailable("[workers] names no broker")
    if not workers.password_env:
        return workers.broker
    password = os.environ.get(workers.password_env, "")
    if not password:
        raise WorkersUnavailable(
            f"the broker's password is not set: [workers] broker_password_env names {workers.password_env}, "
            "which is empty in this environment"
        )
    scheme, rest = workers.broker.split("://", 1)
    from urllib.parse import quote

    return f"{scheme}://:{quote(password, safe='')}@{rest}"


def make_app(workers: Workers) -> Celery:
    """The Celery app of a coordinator or a worker: JSON only, acknowledged late, one task at a time per process."""
    url = broker_url(workers)
    app = Celery("auditor", broker=url, backend=url, set_as_current=False)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_time_limit=workers.account_time_limit,
        task_default_queue=QUEUE,
        # An unacknowledged task (its whole worker gone, not only one process) goes back to the queue after this.
        broker_transport_options={"visibility_timeout": workers.account_time_limit + 300},
        result_expires=workers.run_timeout + 3600,
        worker_concurrency=workers.concurrency,
        worker_max_tasks_per_child=workers.max_tasks_per_child,
        worker_max_memory_per_child=workers.max_memory_per_child_mb * 1024,  # kilobytes
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
        redis_socket_connect_timeout=5,
    )
    return app


def config_digest(config: Config) -> str:
    """What a worker must share with the run: the config file and the files it names that change judgements."""
    digest = hashlib.sha256()
    for path in (config.path, config.waivers_file, config.roster):
        digest.update(b"\x1f")
        if path is not None:
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"unreadable")
    return digest.hexdigest()[:32]


def check_broker(config: Config) -> None:
    """Raise WorkersUnavailable, saying what to do, when the broker does not answer."""
    import redis

    workers = config.workers
    assert workers is not None and workers.broker is not None
    try:
        with redis.Redis.from_url(broker_url(workers), socket_connect_timeout=5, socket_timeout=10) as client:
            client.ping()
    except redis.RedisError as exc:
        raise WorkersUnavailable(
            f"the accounts could not be handed to the workers: the broker at {workers.broker} did not answer "
            f"({type(exc).__name__}); start Redis there, or remove [workers] broker to audit in this process"
        ) from None


# -- the coordinator --------------------------------------------------------------------------------------------------


def examine(
    config: Config,
    accounts: Sequence[Account],
    checks: dict[str, Check],
    *,
    run_id: str,
    now: dt.datetime,
    since: dt.date | None,
    offline: bool,
    comments_only: bool,
    state_of: Callable[[Account], dict[str, Any]],
) -> Generator[tuple[Account, Examined]]:
    """Each account examined by the workers, in the order given, whatever order they finish in."""
    workers = config.workers
    assert workers is not None and workers.broker is not None
    app = make_app(workers)
    deadline = time.monotonic() + workers.run_timeout
    digest = config_digest(config)
    sent = []
    try:
        for index, account in enumerate(accounts):
            payload = {
                "v": PAYLOAD_VERSION,
                "run": run_id,
                "school": config.school_id,  # None: a single school's config
                "account": account.key,
                "digest": digest,
                "checks": sorted(checks),
                "comments_only": comments_only,
                "since": since.isoformat() if since else None,
                "offline": offline,
                "now": now.isoformat(),
                "state": state_of(account),
            }
            sent.append((account, app.send_task(TASK, args=[payload], task_id=f"{run_id}.{index}", queue=QUEUE)))
    except Exception as exc:
        _abandon(app, run_id)
        raise WorkersUnavailable(
            f"the accounts could not be handed to the workers: the broker at {workers.broker} did not take them "
            f"({type(exc).__name__}); start Redis there, or remove [workers] broker to audit in this process"
        ) from None
    log.info("%d accounts sent to the workers through %s", len(sent), workers.broker)
    try:
        for account, result in sent:
            yield account, _collect(result, deadline, workers)
    finally:
        _abandon(app, run_id)
        app.close()


def _collect(result: Any, deadline: float, workers: Workers) -> Examined:
    try:
        value = result.get(timeout=max(0.01, deadline - time.monotonic()), propagate=False)
        state = result.state
    except ResultTimeout:
        return _not_examined(
            f"the workers had not finished it when the run stopped waiting ([workers] run_timeout = "
            f"{workers.run_timeout} s); is an `auditor worker` running?"
        )
    except Exception as exc:
        return _not_examined(f"its result could not be collected from the broker ({type(exc).__name__})")
    finally:
        try:
            result.forget()
        except Exception:  # the result expires by itself
            log.debug("could not forget %s", result.id, exc_info=True)
    if state == "SUCCESS":
        try:
            return decode(value)
        except (KeyError, TypeError, ValueError) as exc:
            return _not_examined(f"a worker's answer for it could not be read ({type(exc).__name__})")
    if isinstance(value, TimeLimitExceeded):
        return _not_examined(
            f"reading and checking it took longer than {workers.account_time_limit} s ([workers] "
            "account_time_limit), so its worker process was stopped; the next run will try again"
        )
    if isinstance(value, WorkerLostError):
        return _not_examined("the worker process reading it stopped before finishing (killed, or out of memory)")
    return _not_examined(f"a worker failed on it ({type(value).__name__}); please report it")


def _not_examined(why: str) -> Examined:
    return Examined(findings=[], failed=[], error=why, read=False, seen=None)


def _abandon(app: Celery, run_id: str) -> None:
    """Tell the workers that tasks of this run still queued are no longer wanted (they end at once)."""
    try:
        app.backend.client.set(ABANDONED_KEY.format(run=run_id), 1, ex=7 * 86400)
    except Exception:
        log.debug("could not mark run %s as finished", run_id, exc_info=True)


# -- JSON, both ways --------------------------------------------------------------------------------------------------


def encode(examined: Examined) -> dict[str, Any]:
    seen = examined.seen
    return {
        "v": PAYLOAD_VERSION,
        "findings": [_finding_out(f) for f in examined.findings],
        "failed": list(examined.failed),
        "error": examined.error,
        "read": examined.read,
        "seen": None if seen is None else {"posts": sorted(seen.post_ids), "complete": seen.complete},
        "posts_examined": examined.posts_examined,
        "comments_examined": examined.comments_examined,
        "usage": dict(examined.usage),
        "state": examined.state,
    }


def decode(value: Any) -> Examined:
    if not isinstance(value, dict) or value.get("v") != PAYLOAD_VERSION:
        raise ValueError("not an examined account")
    seen = value["seen"]
    state = value["state"]
    return Examined(
        findings=[_finding_in(f) for f in value["findings"]],
        failed=[str(f) for f in value["failed"]],
        error=None if value["error"] is None else str(value["error"]),
        read=bool(value["read"]),
        seen=None if seen is None else Seen(frozenset(str(p) for p in seen["posts"]), bool(seen["complete"])),
        posts_examined=int(value["posts_examined"]),
        comments_examined=int(value["comments_examined"]),
        usage={str(k): int(v) for k, v in dict(value["usage"]).items()},
        state=dict(state) if isinstance(state, dict) else None,
    )


def _finding_out(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id,
        "account": f.account,
        "platform": f.platform,
        "department": f.department,
        "check": f.check,
        "clause": f.clause,
        "status": str(f.status),
        "severity": str(f.severity),
        "reason": f.reason,
        "evidence": _evidence_out(f.evidence),
        "change": str(f.change),
        "first_seen": f.first_seen.isoformat() if f.first_seen else None,
    }


def _finding_in(d: dict[str, Any]) -> Finding:
    return Finding.from_record(d, _evidence_in(d["evidence"]))


def _evidence_out(e: Evidence) -> dict[str, Any]:
    out = e.as_dict()
    out["also"] = [_evidence_out(a) for a in e.also]
    out["posted_at"] = e.posted_at.isoformat() if e.posted_at else None
    return out


def _evidence_in(d: object) -> Evidence:
    if not isinstance(d, dict):
        raise TypeError("evidence is not an object")
    base = Evidence.from_dict({k: v for k, v in d.items() if k != "also"})
    posted = d.get("posted_at")
    also = tuple(_evidence_in(a) for a in d.get("also") or ())
    return dataclasses.replace(
        base, also=also, posted_at=dt.datetime.fromisoformat(posted) if isinstance(posted, str) else None
    )
