"""What one run produced, as the reports, the emails and the command line read it: each account's outcome, the
findings, the checks that ran and the run's scope. Nothing here does I/O."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditor.model import Account, Finding, Seen

if TYPE_CHECKING:
    from auditor.checks import Check


COMMENTS_CHECK = "comments.inappropriate"  # the only check a comment sweep runs (SMP-2.6)


class NothingToSweep(Exception):
    """A comments-only run was asked for, but this version has no check to judge comments with."""


class ExitStatus(enum.IntEnum):
    """The exit statuses of `auditor` (DESIGN.md): one list for the command line, the scheduler and the docs."""

    OK = 0  # nothing failing
    FAIL = 1  # at least one unwaived FAIL
    USAGE = 2  # usage, config or environment error: nothing audited, nothing written
    PARTIAL = 3  # the run finished, but one or more accounts could not be audited
    INTERNAL = 4  # a bug in auditor itself
    BUSY = 5  # another run holds the lock
    INTERRUPTED = 130  # stopped part-way (Ctrl-C, SIGTERM)


@dataclass
class AccountOutcome:
    account: Account
    status: str  # ok | error
    error: str | None = None
    posts_examined: int = 0
    comments_examined: int = 0
    usage: dict[str, int] = field(default_factory=dict)  # the connector's count of requests and reads (AccountData)


@dataclass
class Examined:
    """What reading and checking one account gave, before it is compared with history: made where the account was
    read (this process, or a worker: auditor/worker.py), concluded by the runner, which alone reads and writes the
    store."""

    findings: list[Finding]  # judged, waivers applied, duplicates merged; not yet marked new or persisting
    failed: list[str]  # the checks (or the audit) that failed on its data
    error: str | None  # why it could not be read
    read: bool  # its data was read
    seen: Seen | None  # what history needs of what was read (None: not read, or its audit failed)
    posts_examined: int = 0
    comments_examined: int = 0
    usage: dict[str, int] = field(default_factory=dict)
    state: dict[str, object] | None = None  # what the connector asked to keep for the next run, when it is kept


def describe_usage(usage: dict[str, int]) -> str:
    """One line of what reading an account cost: "4 requests; 120 posts, 1 user, 2 media read; about $0.62 at X's
    pay-per-use prices". Empty when the connector counted nothing."""
    if not usage:
        return ""
    parts = [f"{usage.get('requests', 0)} request{'s' if usage.get('requests', 0) != 1 else ''}"]
    read = [
        f"{n} {word if n == 1 else plural}"
        for key, word, plural in (
            ("posts_read", "post", "posts"),
            ("users_read", "user", "users"),
            ("media_read", "media", "media"),
        )
        if (n := usage.get(key, 0))
    ]
    if read:
        parts.append(", ".join(read) + " read")
    if "estimated_cost_microdollars" in usage:
        kind = "owned-read" if usage.get("owned_reads") else "pay-per-use"
        parts.append(f"about ${usage['estimated_cost_microdollars'] / 1_000_000:.2f} at X's {kind} prices")
    return "; ".join(parts)


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
    def exit_code(self) -> ExitStatus:
        """0 nothing failing, 1 an unwaived FAIL, 3 an account could not be audited (DESIGN.md)."""
        if any(o.status == "error" for o in self.outcomes):
            return ExitStatus.PARTIAL
        return ExitStatus.FAIL if any(f.is_open for f in self.findings) else ExitStatus.OK
