"""The workers' side of auditor/workers.py: `auditor worker`, and the task that reads and checks one account with
the same code as a run in one process (`runner._fetch`, `runner._examine`). A worker process keeps its config, its
services (link engine, roster, face detector) and its shared budgets between accounts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path
from typing import Any

import auditor.links as links_mod
from auditor import memory
from auditor.checks import all_checks
from auditor.connectors import FetchContext
from auditor.decisions import with_decisions
from auditor.errors import WorkersUnavailable
from auditor.net import budget
from auditor.net.guard import Guard
from auditor.results import COMMENTS_CHECK, Examined
from auditor.runner import _examine, _fetch, _lookalike_search, check_settings, data_needed
from auditor.services import Services
from auditor.services import build as build_services
from auditor.settings import Config, Deployment
from auditor.workers import (
    ABANDONED_KEY,
    MAX_DELIVERIES,
    PAYLOAD_VERSION,
    QUEUE,
    TASK,
    TRIES_KEY,
    _not_examined,
    config_digest,
    encode,
    make_app,
)

# -- the worker -------------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class _WorkerState:
    """What one worker process keeps between tasks: its config, built services, the budgets it shares."""

    config: Config
    digest: str
    services: dict[bool, Services] = dataclasses.field(default_factory=dict)
    lookalikes_run: str | None = None
    budgets_ready: bool = False


# Each school's state, by school id (None: a single school's config.toml), and the config file the worker was started
# with (a single school's, or a trust's listing its schools).
_states: dict[str | None, _WorkerState] = {}
_config_file: Path | None = None


def prepare_worker(config: Config | Deployment) -> None:
    """Called in the worker's main process before its pool starts: each pool process inherits the loaded config (a
    single school's, or every school of a trust: a worker serves the accounts of all of them)."""
    global _config_file
    schools = config.schools if isinstance(config, Deployment) else (config,)
    _config_file = config.path
    _states.clear()
    for school in schools:
        # A worker's pool process is already one of many processes reading accounts side by side, and may not start
        # processes of its own (Celery's pool processes are daemons): it looks for faces in its own thread.
        own = dataclasses.replace(school, face_workers=0)
        _states[school.school_id] = _WorkerState(own, config_digest(school))


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
    school = payload.get("school")
    state = _worker_state(school if isinstance(school, str) else None, str(payload.get("digest")))
    if state is None:
        return _not_examined(
            "the worker reads a different config.toml (or waivers or roster file) from the one this run was "
            "started with; start the workers with the same files"
        )
    # The decisions made in the web app (waivers, consent, confirmed checklist items) are read afresh for each account,
    # as the run's own process reads them: they live in the history, not in the files the digest covers.
    config = with_decisions(state.config)
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


def _worker_state(school: str | None, digest: str) -> _WorkerState | None:
    """The worker's state for a task of this school sent with this config digest; the config is read again once if it
    changed (or names a school this worker has not read yet)."""
    global _config_file
    if _config_file is None:
        path = os.environ.get("AUDITOR_WORKER_CONFIG")
        if not path:
            return None
        _config_file = Path(path)
    state = _states.get(school)
    if state is None or state.digest != digest:
        from auditor import trust

        for old in _states.values():
            for services in old.services.values():
                services.close()
        prepare_worker(trust.load_deployment(_config_file))
        state = _states.get(school)
        if state is None or state.digest != digest:
            return None
    return state


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


def serve(deployment: Deployment, *, concurrency: int | None, name: str | None, loglevel: str = "INFO") -> int:
    """`auditor worker`: take accounts from the queue until stopped (SIGTERM finishes the tasks under way). Started
    with a trust's config, it takes the accounts of every school of the trust ([workers] is the trust's)."""
    workers = deployment.schools[0].workers
    if workers is None or workers.broker is None:
        raise WorkersUnavailable("the config has no [workers] broker, so there is no queue to take accounts from")
    app = make_app(workers)
    app.task(name=TASK, bind=True)(_task)
    prepare_worker(deployment)
    os.environ["AUDITOR_WORKER_CONFIG"] = str(deployment.path)
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
