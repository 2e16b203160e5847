"""One audit run: fetch each account, run the checks, apply waivers, compare with history, store the result.

Data flows one way: connector -> model -> checks -> findings -> store. Reports are rendered from the `RunResult`.
An account that cannot be read is recorded as ERROR with its reason and the run goes on with the others.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import threading
import uuid
from collections import deque
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from concurrent.futures import Future
from contextlib import closing

import auditor.links as links_mod
from auditor import __version__, memory, platforms
from auditor.checks import Check, CheckContext, CheckSettings, DataSource, all_checks
from auditor.connectors import ConnectorError, FetchContext, get_connector
from auditor.connectors.lookalikes import LookalikeSearch
from auditor.connectors.media import download_photos
from auditor.decisions import confirmed_reason, end_on_failure
from auditor.history import merge_duplicates, with_history
from auditor.model import Account, AccountData, Finding, Result, Seen, Status, storable
from auditor.net import budget
from auditor.net.guard import Guard
from auditor.results import COMMENTS_CHECK, AccountOutcome, Examined, NothingToSweep, RunResult, Scope, scope_of
from auditor.services import Services
from auditor.services import build as build_services
from auditor.settings import Config
from auditor.store import AccountRun, Prior, Store
from auditor.waivers import Waiver, apply_waivers

log = logging.getLogger(__name__)


def fingerprint(account: Account, check_id: str, subject: str) -> str:
    """The same problem gets the same id run after run: account, check and what was judged, nothing that varies."""
    # surrogatepass: a subject built from a stranger's name may hold a lone surrogate; valid text hashes as before.
    key = f"v1\x1f{account.key}\x1f{check_id}\x1f{subject}"
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:16]


def check_settings(config: Config) -> CheckSettings:
    """The policy settings the checks read, from the config: built once a run, so no check ever holds the config."""
    school = config.school
    return CheckSettings(
        school_name=school.name,
        email_domain=school.email_domain,
        aup_url=school.aup_url,
        account_tag=school.account_tag,
        website=school.website,
        monitoring_lead=school.monitoring_lead,
        school_contacts=config.school_contacts,
        photo_consent_confirmed=frozenset(config.photo_consent_confirmed),
    )


def data_source(platform: str) -> DataSource:
    """What an account's data is read from and holds, from the platform registry (an unknown platform is taken to
    read comments, as the registry says)."""
    spec = platforms.get(platform)
    name = platforms.display_name(platform)
    return DataSource(
        name=name,
        site=platforms.display_name(spec.steps_family) if spec is not None else name,
        comments_read=platforms.reads_comments(platform),
    )


def data_needed(checks: Iterable[Check]) -> frozenset[str]:
    """The raw data these checks read between them (auditor.checks.DATA_KINDS): photos are downloaded only when they
    are among them."""
    return frozenset().union(*(c.needs for c in checks))


def run_audit(
    config: Config,
    accounts: Sequence[Account],
    store: Store,
    *,
    check_ids: Iterable[str] | None = None,
    since: dt.date | None = None,
    offline: bool = False,
    now: dt.datetime | None = None,
    comments_only: bool = False,
) -> RunResult:
    """`comments_only`: the frequent comment sweep; only recent comments are fetched and only COMMENTS_CHECK runs.
    `config` carries the web app's decisions already (`decisions.with_decisions`, applied once by the command)."""
    checks = known = all_checks()
    if comments_only:
        if COMMENTS_CHECK not in checks:
            raise NothingToSweep(
                f"the comment sweep needs the {COMMENTS_CHECK} check (SMP-2.6), which this version of auditor does "
                "not have, so there is nothing to sweep with; comments are not being watched"
            )
        checks = {COMMENTS_CHECK: checks[COMMENTS_CHECK]}
    elif check_ids is not None:
        wanted = set(check_ids)
        checks = {cid: c for cid, c in checks.items() if cid in wanted}
    scope = scope_of(config.accounts, accounts, checks, known, since=since, comments_only=comments_only)
    kind = "comment_sweep" if comments_only else "audit"
    if config.broker is not None:
        from auditor import workers

        workers.check_broker(config)  # before the run is begun: a broker that is down stores nothing
    started = now or dt.datetime.now(dt.UTC)
    run_id = f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
    store.begin_run(run_id, started, __version__, kind=kind, scope=scope.name, scope_note=scope.note)
    interrupted = [r.id for r in store.interrupted_runs(before=run_id)]
    if interrupted:
        log.warning("earlier run(s) did not finish: %s; their partial results were discarded", ", ".join(interrupted))

    outcomes: list[AccountOutcome] = []
    findings: list[Finding] = []
    states: dict[str, dict[str, object]] = {}
    # Budgets shared by every request to one app or key ([workers] budgets); counted in this process here.
    shared = config.workers.budgets if config.workers is not None else ()
    budget.configure(budget.Spec(*b) for b in shared)
    if config.broker is not None:
        # Each account is read and checked by a worker (auditor/workers.py); history, the store and the reports stay
        # here, so the results are the same as a run in this process.
        from auditor import workers

        examined = workers.examine(
            config,
            accounts,
            checks,
            run_id=run_id,
            now=started,
            since=since,
            offline=offline,
            comments_only=comments_only,
            state_of=lambda a: dict(store.connector_state(a.key)) if since is None else {},
        )
        with closing(examined):
            for account, done in examined:
                outcome, account_findings, state = _conclude(account, done, checks, store.priors(account.key), started)
                outcomes.append(outcome)
                findings.extend(account_findings)
                if state is not None:
                    states[account.key] = state
        return _finish(config, store, run_id, started, outcomes, findings, checks, interrupted, scope, kind, states)

    services = build_services(config, offline=offline, link_engine=links_mod.build_engine)
    settings = check_settings(config)
    if not offline and any(a.options.get("lookalikes") == "search" for a in config.accounts):
        # Impersonation: only for a live run that asks for it.
        services = dataclasses.replace(services, lookalikes=_lookalike_search(config))

    # One guard for the run: each photo host is resolved and checked once, however many accounts use it. Photos are
    # downloaded only for a run whose checks look at them.
    photo_guard = Guard.from_settings(config.links) if "photos" in data_needed(checks.values()) else None

    def context_for(account: Account) -> FetchContext:
        # A run limited by --since sees a different window: it neither uses nor replaces the nightly crawl's state.
        state = store.connector_state(account.key) if since is None else {}
        return FetchContext(
            since=since,
            offline=offline,
            state=state,
            comments_only=comments_only,
            photo_guard=None if offline or comments_only else photo_guard,
        )

    # Fewer malloc arenas for the fetch threads, and each account's freed memory given back once it is checked
    # (auditor/memory.py; glibc only): a run's memory then follows what it holds, not how many accounts it read.
    if config.fetch_workers > 1:
        memory.limit_arenas()
    # closing(): should the run stop early (Ctrl-C, a failing check), fetches not yet started never start and the
    # scratch folders of those waiting are removed at once.
    try:
        with closing(_fetched(accounts, context_for, config.fetch_workers)) as fetched:
            for account, fetch_ctx, read in fetched:
                outcome, account_findings, state = _audit_account(
                    config, account, checks, store, services, fetch_ctx, read, started, settings=settings
                )
                outcomes.append(outcome)
                findings.extend(account_findings)
                if state is not None:
                    states[account.key] = state
                del read, account_findings
                memory.give_back()
    finally:
        services.close()

    return _finish(config, store, run_id, started, outcomes, findings, checks, interrupted, scope, kind, states)


def _finish(
    config: Config,
    store: Store,
    run_id: str,
    started: dt.datetime,
    outcomes: list[AccountOutcome],
    findings: list[Finding],
    checks: dict[str, Check],
    interrupted: list[str],
    scope: Scope,
    kind: str,
    states: dict[str, dict[str, object]],
) -> RunResult:
    """Store the run and what each account gave; what the store refuses is shown as ERROR."""
    finished = dt.datetime.now(dt.UTC)
    result = RunResult(run_id, started, finished, outcomes, findings, checks, interrupted, scope, kind)
    refused = store.finish_run(
        run_id,
        finished,
        result.status,
        [
            AccountRun(
                o.account.key,
                o.account.handle,
                o.account.platform,
                o.account.department,
                o.status,
                o.error,
                o.posts_examined,
                o.comments_examined,
            )
            for o in outcomes
        ],
        [(f.account_key, f) for f in findings],
        states,
    )
    # An account whose results the store refused is recorded as ERROR (by the store) and shown so here, without this
    # run's findings for it; its earlier history is untouched, so the next run compares with that. The rest stands.
    for outcome in outcomes:
        why = refused.get(outcome.account.key)
        if why is not None:
            outcome.status, outcome.error = "error", why
    if refused:
        result.findings = [f for f in findings if f.account_key not in refused]
    end_on_failure(config, result.findings, run_id)
    return result


def _lookalike_search(config: Config) -> LookalikeSearch:
    """Impersonation (issue 15): one search of each platform a run, for the accounts that ask for it."""
    return LookalikeSearch(config.accounts, config.school.name, config.school.account_tag)


# The account's data, or why it could not be read and what the connector asked to keep for the next run all the same.
_Fetch = tuple[AccountData | None, str | None, dict[str, object] | None]


def _fetch(account: Account, fetch_ctx: FetchContext) -> _Fetch:
    """Read one account; runs in a fetch worker, so it touches nothing but its connector and its own context."""
    try:
        data = get_connector(account.platform).fetch(account, fetch_ctx)
        if fetch_ctx.photo_guard is not None:
            data = download_photos(data, fetch_ctx, fetch_ctx.photo_guard)
        return data, None, None
    except ConnectorError as exc:
        error, kept = storable(str(exc)), exc.state
    except Exception as exc:  # a connector bug must not stop the audit of every other account
        log.debug("connector failure for %s", account.handle, exc_info=True)
        error, kept = f"unexpected {type(exc).__name__} while reading the account", None
    log.warning("%s (%s) could not be audited: %s", account.handle, account.platform, error)
    return None, error, kept


def _fetched(
    accounts: Sequence[Account], context_for: Callable[[Account], FetchContext], workers: int
) -> Generator[tuple[Account, FetchContext, _Fetch]]:
    """Each account with its fetch result, in the order given, whatever order the fetches finish in.

    Up to `workers` accounts are fetched at once, in threads: a fetch is mostly waiting on the network. Contexts are
    made here, in the caller's thread, because they read the store, whose connection must not cross threads. At most
    twice `workers` fetched accounts wait to be checked, so a run over hundreds of accounts holds a few in memory,
    not all of them; the caller cleans each context up when it has finished with the account.
    """
    if workers <= 1:
        for account in accounts:
            fetch_ctx = context_for(account)
            yield account, fetch_ctx, _fetch(account, fetch_ctx)
        return
    slots = threading.Semaphore(workers)
    pending: deque[tuple[Account, FetchContext, Future[_Fetch]]] = deque()
    try:
        for account in accounts:
            while len(pending) >= 2 * workers:
                done, fetch_ctx, future = pending.popleft()
                yield done, fetch_ctx, future.result()
            fetch_ctx = context_for(account)
            pending.append((account, fetch_ctx, _start_fetch(account, fetch_ctx, slots)))
        while pending:
            done, fetch_ctx, future = pending.popleft()
            yield done, fetch_ctx, future.result()
    finally:
        # The run was stopped (Ctrl-C, SIGTERM, an error while checking): fetches not yet started never start, and
        # the scratch folders are removed now; a fetch still under way is abandoned with its daemon thread.
        for _, fetch_ctx, future in pending:
            future.cancel()
            fetch_ctx.cleanup()


def _start_fetch(account: Account, fetch_ctx: FetchContext, slots: threading.Semaphore) -> Future[_Fetch]:
    """Fetch in a daemon thread once one of the `slots` is free. Not a ThreadPoolExecutor: its threads are joined when
    the process exits, so a run stopped by SIGTERM would wait for a fetch stuck on a slow platform."""
    future: Future[_Fetch] = Future()

    def work() -> None:
        with slots:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(_fetch(account, fetch_ctx))
            except BaseException as exc:  # handed to the run's thread, which raises it there
                future.set_exception(exc)

    threading.Thread(target=work, name=f"fetch {account.handle}", daemon=True).start()
    return future


def _audit_account(
    config: Config,
    account: Account,
    checks: dict[str, Check],
    store: Store,
    services: Services,
    fetch_ctx: FetchContext,
    read: _Fetch,
    now: dt.datetime,
    *,
    settings: CheckSettings | None = None,
) -> tuple[AccountOutcome, list[Finding], dict[str, object] | None]:
    """`settings`: the run's CheckSettings (made from `config` when not given)."""
    settings = check_settings(config) if settings is None else settings
    priors = store.priors(account.key)
    examined = _examine(config, settings, account, checks, services, fetch_ctx, read, now)
    return _conclude(account, examined, checks, priors, now)


def _examine(
    config: Config,
    settings: CheckSettings,
    account: Account,
    checks: dict[str, Check],
    services: Services,
    fetch_ctx: FetchContext,
    read: _Fetch,
    now: dt.datetime,
) -> Examined:
    """Check one account's data (or record why it could not be read); its scratch folder is removed once done."""
    data, error, kept = read
    seen: Seen | None = None
    try:
        findings, failed = _judge(config, settings, account, checks, services, fetch_ctx, data, error, now)
        findings = merge_duplicates(findings)
        seen = Seen.of(data) if data is not None else None
    except Exception as exc:  # whatever this account's data provokes stays with this account
        log.debug("auditing %s failed", account.handle, exc_info=True)
        failed = [_unfinished(exc)]
        findings = []
    finally:
        fetch_ctx.cleanup()
    # A comment sweep may skip new posts, so its state must not replace what the nightly crawl saved.
    keep_state = fetch_ctx.since is None and not fetch_ctx.comments_only
    return Examined(
        findings=findings,
        failed=failed,
        error=error,
        read=data is not None,
        seen=seen,
        posts_examined=len(data.posts) if data else 0,
        comments_examined=data.comments_examined if data else 0,
        usage=dict(data.usage) if data else {},
        state=(data.state if data is not None else kept) if keep_state else None,
    )


def _unfinished(exc: BaseException) -> str:
    return f"auditor could not finish auditing it ({type(exc).__name__})"


def _conclude(
    account: Account, examined: Examined, checks: dict[str, Check], priors: dict[str, Prior], now: dt.datetime
) -> tuple[AccountOutcome, list[Finding], dict[str, object] | None]:
    """Compare an examined account with its history: its outcome, its findings and the state to keep."""
    failed, error = examined.failed, examined.error
    try:
        findings = with_history(account, examined.findings, checks, examined.seen, priors, now)
    except Exception as exc:
        log.debug("auditing %s failed", account.handle, exc_info=True)
        failed = [_unfinished(exc)]
        findings = with_history(account, [], checks, None, priors, now)
    if failed and error is None:
        error = "; ".join(failed)
    outcome = AccountOutcome(
        account,
        "error" if not examined.read or failed else "ok",
        error,
        posts_examined=examined.posts_examined,
        comments_examined=examined.comments_examined,
        usage=examined.usage,
    )
    return outcome, findings, examined.state


def _judge(
    config: Config,
    settings: CheckSettings,
    account: Account,
    checks: dict[str, Check],
    services: Services,
    fetch_ctx: FetchContext,
    data: AccountData | None,
    error: str | None,
    now: dt.datetime,
) -> tuple[list[Finding], list[str]]:
    """Run every check on one account: its findings, and the checks that failed on its data (each also an ERROR
    finding, so the clause reads "not verified", never passed)."""
    ctx = CheckContext(
        account=account,
        settings=settings,
        data=data,
        source=data_source(account.platform),
        offline=fetch_ctx.offline,
        now=now,
        services=services,
    )
    results: list[tuple[Check, Result]] = []
    failed: list[str] = []
    for check in checks.values():
        if data is None and check.needs_data:
            reason = f"Not checked: the account could not be read ({error})."
            results.append((check, Result(Status.ERROR, reason, "account-error")))
            continue
        try:
            results.extend((check, r) for r in check.run(ctx))
        except Exception as exc:
            log.warning("check %s failed on %s (%s)", check.id, account.handle, type(exc).__name__)
            log.debug("check %s failed on %s", check.id, account.handle, exc_info=True)
            failed.append(f"the check {check.id} failed on its data ({type(exc).__name__}); please report it")
            reason = f"Not checked: the check failed on this account's data ({type(exc).__name__})."
            results.append((check, Result(Status.ERROR, reason, "check-error")))
    today = now.date()
    confirmed = config.checklist_confirmed
    return [_finding(account, check, r, config.waivers, today, confirmed) for check, r in results], failed


def _finding(
    account: Account,
    check: Check,
    result: Result,
    waivers: Sequence[Waiver] = (),
    today: dt.date | None = None,
    confirmed: Mapping[str, str] | None = None,
) -> Finding:
    """`confirmed`: checklist items confirmed in the web app (finding id -> who, when, why)."""
    status, reason = apply_waivers(account, check.id, result, waivers, today)
    finding_id = fingerprint(account, check.id, result.subject)
    if status is Status.MANUAL and confirmed and finding_id in confirmed:
        status, reason = Status.PASS, confirmed_reason(confirmed[finding_id], reason)
    return Finding(
        id=finding_id,
        account=account.handle,
        platform=account.platform,
        department=account.department,
        check=check.id,
        clause=check.clause,
        status=status,
        severity=result.severity or check.severity,
        reason=storable(reason),
        evidence=result.evidence,
    )
