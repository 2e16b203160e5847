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
from collections.abc import Callable, Generator, Iterable, Sequence
from concurrent.futures import Future
from contextlib import closing
from dataclasses import dataclass, field

from auditor import __version__
from auditor.checks import Check, CheckContext, all_checks
from auditor.config import Config
from auditor.links.guard import Guard
from auditor.model import Account, AccountData, Change, Evidence, Finding, Result, Status, storable
from auditor.services import Services
from auditor.services import build as build_services
from auditor.store import AccountRun, Prior, Store
from auditor.waivers import Waiver, active_for
from connectors import ConnectorError, FetchContext, get_connector
from connectors.media import download_photos

log = logging.getLogger(__name__)

NOT_RECHECKED = " [Not re-checked in this run; last confirmed earlier.]"
COMMENTS_CHECK = "comments.inappropriate"  # the only check a comment sweep runs (SMP-2.6)


class NothingToSweep(Exception):
    """A comments-only run was asked for, but this version has no check to judge comments with."""


@dataclass
class AccountOutcome:
    account: Account
    status: str  # ok | error
    error: str | None = None
    posts_examined: int = 0
    comments_examined: int = 0


@dataclass(frozen=True)
class Scope:
    """What a run covered. It is `full` only when every registered account was audited by every check over the usual
    window; otherwise `limits` says in plain words what was left out, and no page may read as "all clear" for it."""

    limits: tuple[str, ...] = ()
    # Every check ran on each audited account over the usual window (not a comment sweep, --checks or --since): only
    # then can one account be "all clear". A run of some accounts (--account, --department) keeps this True.
    every_check: bool = True

    @property
    def full(self) -> bool:
        return not self.limits

    @property
    def name(self) -> str:
        return "full" if self.full else "partial"

    @property
    def note(self) -> str:
        return "; ".join(self.limits)


def scope_of(
    registered: Sequence[Account],
    audited: Sequence[Account],
    checks_run: Iterable[str],
    every_check_id: Iterable[str],
    *,
    since: dt.date | None,
    comments_only: bool,
) -> Scope:
    limits: list[str] = []
    every_check = True
    ran, known = set(checks_run), set(every_check_id)
    if comments_only:
        limits.append("this is a comment sweep, which checks only the comments on recent posts (SMP-2.6)")
        every_check = False
    elif ran != known:
        shown = ", ".join(sorted(ran))
        limits.append(f"only {len(ran)} of the {len(known)} checks {_was(len(ran))} run ({shown})")
        every_check = False
    if since is not None:
        limits.append(f"only posts from {since:%d %b %Y} on were examined")
        every_check = False
    keys = {a.key for a in registered}
    covered = [a for a in audited if a.key in keys]
    if {a.key for a in covered} != keys:
        departments = {a.department for a in covered}
        whole = [a for a in registered if a.department in departments]
        if len(departments) == 1 and len(whole) == len(covered):
            which = f"the {next(iter(departments))} department"
        else:
            handles = [a.handle for a in covered]
            which = ", ".join(handles[:5]) + (f" and {len(handles) - 5} more" if len(handles) > 5 else "")
        limits.append(
            f"only {len(covered)} of the {len(keys)} registered accounts {_was(len(covered))} audited ({which})"
        )
    return Scope(tuple(limits), every_check)


def _was(n: int) -> str:
    return "was" if n == 1 else "were"


@dataclass
class RunResult:
    id: str
    started_at: dt.datetime
    finished_at: dt.datetime
    outcomes: list[AccountOutcome]
    findings: list[Finding]
    checks: dict[str, Check]
    interrupted: list[str] = field(default_factory=list)  # earlier runs that never finished
    scope: Scope = field(default_factory=Scope)
    kind: str = "audit"  # audit | comment_sweep

    @property
    def status(self) -> str:
        return "partial" if any(o.status == "error" for o in self.outcomes) else "complete"

    @property
    def exit_code(self) -> int:
        """0 nothing failing, 1 an unwaived FAIL, 3 an account could not be audited (DESIGN.md)."""
        if any(o.status == "error" for o in self.outcomes):
            return 3
        return 1 if any(f.is_open for f in self.findings) else 0


def fingerprint(account: Account, check_id: str, subject: str) -> str:
    """The same problem gets the same id run after run: account, check and what was judged, nothing that varies."""
    digest = hashlib.sha256(f"v1\x1f{account.key}\x1f{check_id}\x1f{subject}".encode()).hexdigest()
    return digest[:16]


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
    """`comments_only`: the frequent comment sweep; only recent comments are fetched and only COMMENTS_CHECK runs."""
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
    started = now or dt.datetime.now(dt.UTC)
    run_id = f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
    store.begin_run(run_id, started, __version__, kind=kind, scope=scope.name, scope_note=scope.note)
    interrupted = [r.id for r in store.interrupted_runs(before=run_id)]
    if interrupted:
        log.warning("earlier run(s) did not finish: %s; their partial results were discarded", ", ".join(interrupted))

    outcomes: list[AccountOutcome] = []
    findings: list[Finding] = []
    keyed: list[tuple[str, Finding]] = []
    states: dict[str, dict[str, object]] = {}
    services = build_services(config, offline=offline)

    # One guard for the run: each photo host is resolved and checked once, however many accounts use it.
    photo_guard = Guard.from_settings(config.links)

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

    # closing(): should the run stop early (Ctrl-C, a failing check), fetches not yet started never start and the
    # scratch folders of those waiting are removed at once.
    try:
        with closing(_fetched(accounts, context_for, config.fetch_workers)) as fetched:
            for account, fetch_ctx, read in fetched:
                outcome, account_findings, state = _audit_account(
                    config, account, checks, store, services, fetch_ctx, read, started
                )
                outcomes.append(outcome)
                findings.extend(account_findings)
                keyed.extend((account.key, f) for f in account_findings)
                if state is not None:
                    states[account.key] = state
    finally:
        services.close()

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
        keyed,
        states,
    )
    # An account whose results the store refused is recorded as ERROR (by the store) and shown so here, with the
    # problems it had before carried as not re-checked: the rest of the run stands.
    for outcome in outcomes:
        why = refused.get(outcome.account.key)
        if why is not None:
            outcome.status, outcome.error = "error", why
    if refused:
        result.findings = [f for f in findings if f.account_key not in refused]
    return result


_STATUS_WEIGHT = {Status.FAIL: 0, Status.ERROR: 1, Status.MANUAL: 2, Status.WAIVED: 3, Status.PASS: 4}


def merge_duplicates(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per id, in first-seen order. Two results can share an id when one problem is met twice in one
    run (a stranger's reply shown under two posts of a thread, one address written two ways); the merged finding
    keeps the worst status and severity and every place it was seen, so nothing is lost and nothing is stored twice."""
    merged: dict[str, Finding] = {}
    for f in findings:
        kept = merged.get(f.id)
        if kept is None:
            merged[f.id] = f
            continue
        worse, other = (f, kept) if _STATUS_WEIGHT[f.status] < _STATUS_WEIGHT[kept.status] else (kept, f)
        places = [e for e in (other.evidence, *other.evidence.also, *worse.evidence.also) if e != worse.evidence]
        evidence = dataclasses.replace(worse.evidence, also=tuple(dict.fromkeys(_bare(e) for e in places)))
        severity = min(worse.severity, other.severity, key=lambda s: s.rank)
        merged[f.id] = dataclasses.replace(worse, severity=severity, evidence=evidence)
    return list(merged.values())


def _bare(evidence: Evidence) -> Evidence:
    return dataclasses.replace(evidence, also=())


_Fetch = tuple[AccountData | None, str | None]  # the account's data, or why it could not be read


def _fetch(account: Account, fetch_ctx: FetchContext) -> _Fetch:
    """Read one account; runs in a fetch worker, so it touches nothing but its connector and its own context."""
    try:
        data = get_connector(account.platform).fetch(account, fetch_ctx)
        if fetch_ctx.photo_guard is not None:
            data = download_photos(data, fetch_ctx, fetch_ctx.photo_guard)
        return data, None
    except ConnectorError as exc:
        error = storable(str(exc))
    except Exception as exc:  # a connector bug must not stop the audit of every other account
        log.debug("connector failure for %s", account.handle, exc_info=True)
        error = f"unexpected {type(exc).__name__} while reading the account"
    log.warning("%s (%s) could not be audited: %s", account.handle, account.platform, error)
    return None, error


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
) -> tuple[AccountOutcome, list[Finding], dict[str, object] | None]:
    data, error = read
    priors = store.priors(account.key)
    try:
        findings, failed = _judge(config, account, checks, services, fetch_ctx, data, error, now)
        findings = _with_history(account, merge_duplicates(findings), checks, data, priors, now)
    except Exception as exc:  # whatever this account's data provokes stays with this account
        log.debug("auditing %s failed", account.handle, exc_info=True)
        failed = [f"auditor could not finish auditing it ({type(exc).__name__})"]
        findings = _with_history(account, [], checks, None, priors, now)
    finally:
        fetch_ctx.cleanup()

    if failed and error is None:
        error = "; ".join(failed)
    outcome = AccountOutcome(
        account,
        "error" if data is None or failed else "ok",
        error,
        posts_examined=len(data.posts) if data else 0,
        comments_examined=data.comments_examined if data else 0,
    )
    # A comment sweep may skip new posts, so its state must not replace what the nightly crawl saved.
    keep_state = fetch_ctx.since is None and not fetch_ctx.comments_only
    return outcome, findings, (data.state if keep_state and data is not None else None)


def _judge(
    config: Config,
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
    ctx = CheckContext(account=account, config=config, data=data, offline=fetch_ctx.offline, now=now, services=services)
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
    return [_finding(account, check, r, config.waivers, now.date()) for check, r in results], failed


def _finding(
    account: Account,
    check: Check,
    result: Result,
    waivers: Sequence[Waiver] = (),
    today: dt.date | None = None,
) -> Finding:
    status, reason = result.status, result.reason
    exempt = next((e.reason for e in account.exempt if e.check == check.id), None)
    signed = active_for(waivers, account, check.id, result, today) if today else None
    waiver = signed.describe() if signed else exempt
    # A waiver never hides a result: the finding stays, marked WAIVED, with the reason and what it would have said.
    if waiver and status in (Status.FAIL, Status.ERROR, Status.MANUAL):
        status, reason = Status.WAIVED, f"Waived ({waiver}). Without the waiver: {reason}"
    return Finding(
        id=fingerprint(account, check.id, result.subject),
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


def _with_history(
    account: Account,
    findings: list[Finding],
    checks: dict[str, Check],
    data: AccountData | None,
    priors: dict[str, Prior],
    now: dt.datetime,
) -> list[Finding]:
    """Mark each finding new, persisting or resolved, and account for earlier problems this run did not see again."""
    for f in findings:
        prior = priors.get(f.id)
        was_open = prior is not None and prior.finding.status is Status.FAIL
        if f.is_open:
            # "Persisting" only once someone was told: a run whose reports or email failed told no one.
            f.change = Change.PERSISTING if was_open and prior and prior.told else Change.NEW
            f.first_seen = prior.finding.first_seen if was_open and prior else now
        elif f.status is Status.ERROR:
            # Not verified this time: the earlier problem is neither confirmed nor resolved.
            f.change = Change.PERSISTING if prior else Change.NEW
            f.first_seen = prior.finding.first_seen if prior else now
        else:
            f.change = Change.RESOLVED if was_open else (Change.PERSISTING if prior else Change.NEW)
            f.first_seen = prior.finding.first_seen if prior else now

    seen = {f.id for f in findings}
    examined = {p.id for p in data.posts} if data else set()
    for fid, prior in priors.items():
        old = prior.finding
        if fid in seen or old.status is not Status.FAIL or old.check not in checks:
            continue
        post_id = old.evidence.post_id
        # The account was read and the check looked at the same thing (the profile, a post it examined, or the whole
        # history in which the post no longer exists): the problem is gone.
        if data is not None and (post_id is None or post_id in examined or data.complete):
            gone = "the post is no longer there" if post_id and post_id not in examined else "the problem is fixed"
            findings.append(
                dataclasses.replace(
                    old,
                    status=Status.PASS,
                    change=Change.RESOLVED,
                    reason=f"Resolved: {gone}. It was: {_strip_note(old.reason)}",
                )
            )
        else:
            # Not looked at this time (the account could not be read, or the post is outside this run's window): the
            # problem is still believed to be there, and stays on the report until a run sees that it is gone.
            change = Change.PERSISTING if prior.told else Change.NEW
            findings.append(dataclasses.replace(old, change=change, reason=_strip_note(old.reason) + NOT_RECHECKED))
    return findings


def _strip_note(reason: str) -> str:
    return reason.removesuffix(NOT_RECHECKED)
