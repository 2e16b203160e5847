"""Accounts read and checked by worker processes, through Celery with Redis as its broker and result store.

The run that starts (`auditor run`, by hand or from `auditor schedule`) stays the coordinator: it sends one task per
account, collects the results in the order of `config.toml`, compares them with history, writes the store and the
reports, exactly as a run without workers does. A worker (`auditor worker`) reads one account with its connector and
runs the checks on it (`runner._fetch` and `runner._examine`, the same code as the in-process run), and hands back
its findings as JSON. So findings.json is the same either way.

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

import auditor.links as links_mod
from auditor import memory
from auditor.checks import Check, all_checks
from auditor.connectors import FetchContext
from auditor.errors import WorkersUnavailable
from auditor.history import Seen
from auditor.model import Account, Change, Evidence, Finding, Severity, Status
from auditor.net import budget
from auditor.net.guard import Guard
from auditor.results import COMMENTS_CHECK
from auditor.runner import Examined, _examine, _fetch, _lookalike_search, check_settings, data_needed
from auditor.services import Services
from auditor.services import build as build_services
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
    app.task(name=TASK, bind=True)(_task)
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


# -- the worker -------------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class _WorkerState:
    """What one worker process keeps between tasks: its config, built services, the budgets it shares."""

    config: Config
    digest: str
    services: dict[bool, Services] = dataclasses.field(default_factory=dict)
    lookalikes_run: str | None = None
    budgets_ready: bool = False


_state: _WorkerState | None = None


def prepare_worker(config: Config) -> None:
    """Called in the worker's main process before its pool starts: each pool process inherits the loaded config."""
    global _state
    _state = _WorkerState(config, config_digest(config))


def _task(self: Any, payload: object) -> dict[str, Any]:
    task_id = str(self.request.id)
    client = self.app.backend.client
    tries = int(client.incr(TRIES_KEY.format(task=task_id)))
    client.expire(TRIES_KEY.format(task=task_id), 7 * 86400)
    client.set(f"auditor:pid:{task_id}", os.getpid(), ex=86400)
    if not isinstance(payload, dict) or payload.get("v") != PAYLOAD_VERSION:
        return encode(_not_examined("the worker could not read the task (another version of auditor sent it?)"))
    if client.get(ABANDONED_KEY.format(run=payload.get("run"))):
        return encode(_not_examined("the run no longer waited for it"))
    if tries > MAX_DELIVERIES:
        return encode(
            _not_examined(
                f"the worker process reading it stopped before finishing {tries - 1} times (killed, or out of "
                "memory), so it was not tried again; the next run will try again"
            )
        )
    try:
        return encode(_examine_payload(payload, client))
    finally:
        memory.give_back()


def _examine_payload(payload: dict[str, Any], client: Any) -> Examined:
    state = _worker_state(str(payload.get("digest")))
    if state is None:
        return _not_examined(
            "the worker reads a different config.toml (or waivers or roster file) from the one this run was "
            "started with; start the workers with the same files"
        )
    config = state.config
    if not state.budgets_ready:
        specs = [budget.Spec(*b) for b in config.workers.budgets] if config.workers else []
        budget.configure(specs, client=client)
        state.budgets_ready = True
    key = payload["account"]
    account = next((a for a in config.accounts if a.key == key), None)
    if account is None:
        return _not_examined("the worker's config.toml does not list this account")
    known = all_checks()
    if payload.get("comments_only"):
        checks = {COMMENTS_CHECK: known[COMMENTS_CHECK]}
    else:
        wanted = set(payload.get("checks") or ())
        checks = {cid: c for cid, c in known.items() if cid in wanted}
    offline = bool(payload.get("offline"))
    since = dt.date.fromisoformat(payload["since"]) if payload.get("since") else None
    now = dt.datetime.fromisoformat(payload["now"])
    services = _services(state, offline, str(payload.get("run")))
    photos = "photos" in data_needed(checks.values()) and not offline and not payload.get("comments_only")
    saved = payload.get("state")
    fetch_ctx = FetchContext(
        since=since,
        offline=offline,
        state=saved if isinstance(saved, dict) else {},
        comments_only=bool(payload.get("comments_only")),
        photo_guard=Guard.from_settings(config.links) if photos else None,
    )
    read = _fetch(account, fetch_ctx)
    return _examine(config, check_settings(config), account, checks, services, fetch_ctx, read, now)


def _worker_state(digest: str) -> _WorkerState | None:
    """The worker's state for a task sent with this config digest; the config is read again once if it changed."""
    global _state
    if _state is None:
        path = os.environ.get("AUDITOR_WORKER_CONFIG")
        if not path:
            return None
        from auditor import config as config_mod

        prepare_worker(config_mod.load(path))
    assert _state is not None
    if _state.digest != digest:
        from auditor import config as config_mod

        for services in _state.services.values():
            services.close()
        prepare_worker(config_mod.load(_state.config.path))
        if _state.digest != digest:
            return None
    return _state


def _services(state: _WorkerState, offline: bool, run_id: str) -> Services:
    services = state.services.get(offline)
    if services is None:
        services = state.services[offline] = build_services(
            state.config, offline=offline, link_engine=links_mod.build_engine
        )
    config = state.config
    searching = not offline and any(a.options.get("lookalikes") == "search" for a in config.accounts)
    # One search of each platform per run in each worker process: a new run searches again.
    if searching and (state.lookalikes_run != run_id or services.lookalikes is None):
        services = state.services[offline] = dataclasses.replace(services, lookalikes=_lookalike_search(config))
        state.lookalikes_run = run_id
    return services


def serve(config: Config, *, concurrency: int | None, name: str | None, loglevel: str = "INFO") -> int:
    """`auditor worker`: take accounts from the queue until stopped (SIGTERM finishes the tasks under way)."""
    workers = config.workers
    if workers is None or workers.broker is None:
        raise WorkersUnavailable("the config has no [workers] broker, so there is no queue to take accounts from")
    app = make_app(workers)
    prepare_worker(config)
    os.environ["AUDITOR_WORKER_CONFIG"] = str(config.path)
    argv = [
        "worker",
        f"--loglevel={loglevel}",
        f"--concurrency={concurrency or workers.concurrency}",
        "--pool=prefork",
        f"--queues={QUEUE}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    if name:
        argv.append(f"--hostname={name}")
    app.worker_main(argv)
    return 0


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
    return Finding(
        id=str(d["id"]),
        account=str(d["account"]),
        platform=str(d["platform"]),
        department=str(d["department"]),
        check=str(d["check"]),
        clause=str(d["clause"]),
        status=Status(d["status"]),
        severity=Severity(d["severity"]),
        reason=str(d["reason"]),
        evidence=_evidence_in(d["evidence"]),
        change=Change(d["change"]),
        first_seen=dt.datetime.fromisoformat(d["first_seen"]) if d["first_seen"] else None,
    )


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
