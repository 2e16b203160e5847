"""The `auditor` command line. Exit statuses (DESIGN.md): 0 nothing failing, 1 at least one unwaived FAIL,
2 usage or config error (nothing audited, nothing written), 3 one or more accounts could not be audited.
4 is an internal error (a bug), reported in one line without a traceback unless -v is given. 5: another run was in
progress and this one did not start (see auditor/lock.py)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from auditor import __version__

if TYPE_CHECKING:
    from auditor.model import Account
    from auditor.reports.send import Announced
    from auditor.results import RunResult
    from auditor.settings import Config, Deployment, StatusSettings
    from auditor.store import Store

from auditor.results import ExitStatus, describe_usage

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_PARTIAL = ExitStatus.OK, ExitStatus.FAIL, ExitStatus.USAGE, ExitStatus.PARTIAL
EXIT_INTERNAL, EXIT_BUSY, EXIT_INTERRUPTED = ExitStatus.INTERNAL, ExitStatus.BUSY, ExitStatus.INTERRUPTED

log = logging.getLogger("auditor")


class UsageError(Exception):
    """Bad command-line input; the message is shown as is and the exit status is 2."""


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date written like 2025-09-01, got {value!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="auditor",
        description="Audit the school's registered social media accounts against its Social Media Policy.",
    )
    parser.add_argument("--version", action="version", version=f"auditor {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more detail on stderr (-vv for debugging)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def config_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", type=Path, default=Path("config.toml"), help="config file (default ./config.toml)")

    def school_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--school", metavar="ID", help="with a trust's config: only this school (its id, e.g. ihs)")

    run = sub.add_parser("run", help="audit accounts and write reports")
    which = run.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every registered account")
    which.add_argument(
        "--account", nargs="+", metavar="HANDLE", help="one or more registered handles, e.g. @HistoryIHS"
    )
    which.add_argument("--department", metavar="NAME", help="every account of one department")
    config_option(run)
    school_option(run)
    run.add_argument("--out", type=Path, help="write this run's files into DIR (default: a new dated folder)")
    run.add_argument("--format", default="html,json,csv", help="comma-separated: html, json, csv (default all)")
    run.add_argument("--checks", help="comma-separated check ids to run (default all; see `auditor checks`)")
    run.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only posts from this date on")
    run.add_argument("--offline", action="store_true", help="no network at all; what needs it is reported not verified")
    run.add_argument("--no-email", action="store_true", help="write reports but send no email")
    run.add_argument(
        "--wait",
        type=_seconds,
        default=5.0,
        metavar="SECONDS",
        help="if another run is in progress, wait this long for it before giving up with exit status 5 (default 5)",
    )
    run.add_argument(
        "--comments-only",
        action="store_true",
        help="the comment sweep: read only recent comments and run only the SMP-2.6 comments check",
    )

    checks = sub.add_parser("checks", help="list the checks with their policy clause and severity")
    checks.add_argument("--config", type=Path, help=argparse.SUPPRESS)

    cfg = sub.add_parser("config", help="configuration commands")
    cfg_sub = cfg.add_subparsers(dest="config_command", required=True, metavar="SUBCOMMAND")
    config_check = cfg_sub.add_parser("check", help="validate the config file without auditing anything")
    config_option(config_check)
    school_option(config_check)

    history = sub.add_parser("history", help="list earlier runs")
    config_option(history)
    school_option(history)
    history.add_argument("--limit", type=int, default=20, help="how many runs to list (default 20)")
    history.add_argument(
        "--deliveries", metavar="RUN", help="list what became of each email of one run (its id, or the start of it)"
    )

    mail = sub.add_parser("email", help="email commands")
    mail_sub = mail.add_subparsers(dest="email_command", required=True, metavar="SUBCOMMAND")
    mail_test = mail_sub.add_parser("test", help="send one test message through the [email] mail server")
    config_option(mail_test)
    school_option(mail_test)
    mail_test.add_argument("--to", metavar="ADDRESS", help="send it here (default: the [email] slt addresses)")

    config_option(sub.add_parser("schedule", help="run audits and comment sweeps on the [schedule] in the config"))
    lists = sub.add_parser("blocklists", help="category blocklists for the link check (SMP-2.5)")
    lists_sub = lists.add_subparsers(dest="blocklists_command", required=True, metavar="SUBCOMMAND")
    config_option(lists_sub.add_parser("update", help="download the [links] blocked categories of the UT1 lists"))
    worker = sub.add_parser("worker", help="read and check accounts sent through the [workers] broker (docs/scale.md)")
    config_option(worker)
    worker.add_argument(
        "--concurrency", type=int, metavar="N", help="accounts at once, each in its own process (default [workers])"
    )
    worker.add_argument("--name", metavar="NAME", help="this worker's name in the broker (default: worker@host)")
    status = sub.add_parser("status", help="health check for monitoring: exit 1 if the last complete audit is too old")
    config_option(status)
    school_option(status)
    status.add_argument(
        "--max-age-hours", type=int, metavar="HOURS", help="override [schedule] max_age_hours (default 26)"
    )
    serve = sub.add_parser("serve", help="the web app: sign off, confirm and triage findings in a browser")
    config_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8080, help="port to listen on (default 8080)")

    users = sub.add_parser("users", help="the web app's users: add or disable")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="SUBCOMMAND")
    add = users_sub.add_parser(
        "add", help="add a person (or change one); the password is read from a prompt, or from standard input"
    )
    config_option(add)
    add.add_argument("username", help="the name they sign in with, e.g. their school email address")
    add.add_argument("--name", help="their name as decisions show it (default: the username)")
    add.add_argument("--role", required=True, choices=("lead", "slt", "head", "owner"), help="what they see")
    add.add_argument("--department", help="for a head of department: their department")
    add.add_argument("--account", metavar="HANDLE", help="for an account owner: their account's handle")
    disable = users_sub.add_parser("disable", help="stop a person signing in (their decisions stay)")
    config_option(disable)
    disable.add_argument("username")
    config_option(users_sub.add_parser("list", help="list the people who can sign in"))
    return parser


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got {value!r}")
    return port


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86400:
        raise argparse.ArgumentTypeError(f"expected a number of seconds from 0 to 86400, got {value!r}")
    return seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    from auditor import logs
    from auditor.settings import Logging

    logs.configure(Logging(), verbose=args.verbose)  # until the config, which may name a log file, is read
    from auditor.errors import StoreError, WorkersUnavailable
    from auditor.lock import Busy
    from auditor.results import NothingToSweep
    from auditor.settings import ConfigError, PathProblems

    try:
        if args.command == "run":
            return _run_locked(args)
        if args.command == "checks":
            return _checks()
        if args.command == "config":
            return _config_check(args)
        if args.command == "history":
            return _history(args)
        if args.command == "email":
            return _email_test(args)
        if args.command == "status":
            return _status(args)
        if args.command == "blocklists":
            return _blocklists_update(args)
        if args.command == "serve":
            from auditor.web.serve import serve

            return serve(args.config, args.host, args.port)
        if args.command == "users":
            from auditor.web.users import users_command

            return users_command(args)
        if args.command == "worker":
            return _worker(args)
        return _schedule(args)
    except ConfigError as exc:
        print("auditor: the configuration has problems, so nothing was audited:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_USAGE
    except PathProblems as exc:
        print(
            "auditor: files or folders the configuration names cannot be used, so nothing was audited:", file=sys.stderr
        )
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_USAGE
    except (UsageError, StoreError, NothingToSweep, WorkersUnavailable) as exc:
        print(f"auditor: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Busy as exc:
        print(f"auditor: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except KeyboardInterrupt:
        print("auditor: interrupted; nothing from this run was stored", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        log.debug("internal error", exc_info=True)
        print(
            f"auditor: internal error ({type(exc).__name__}: {exc}); run with -vv for details and please report it",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _run(args: argparse.Namespace, config: Config, accounts: list[Account], out: Path | None) -> int:
    from auditor.decisions import for_school_report, with_decisions
    from auditor.reports.render import build_views, found_only, write_reports
    from auditor.reports.send import announce_run
    from auditor.runner import run_audit
    from auditor.schools import open_store
    from auditor.waivers import expired as expired_waivers

    for warning in config.warnings:
        log.info(warning)
    for waiver in expired_waivers(config.waivers, dt.datetime.now(dt.UTC).date()):
        log.warning(
            "waiver for %s %s expired on %s and no longer applies (%s, approved by %s)",
            waiver.account,
            waiver.check,
            waiver.expires,
            waiver.reason,
            waiver.approved_by,
        )
    formats, check_ids = _formats_and_checks(args)
    started = dt.datetime.now(dt.UTC)
    out_dir = out if out else _dated_folder(config.output.dir, started)
    store = open_store(config)  # opened and checked first: a damaged file is reported in the store's words
    try:
        # A history on a database server is also locked in the server, for runs started on other machines.
        store.hold_run_lock(wait=args.wait, what="comment sweep" if args.comments_only else "audit")
        config = with_decisions(config)  # the web app's decisions, shown as the files' are (expired waivers included)
        result = run_audit(
            config,
            accounts,
            store,
            check_ids=check_ids,
            since=args.since,
            offline=args.offline,
            now=started,
            comments_only=args.comments_only,
        )
        sending = config.email is not None and not args.no_email
        # A comment sweep runs every few minutes: it writes a report only when it found something, and then only
        # that, so the newest report folder is never a sweep's partial "nothing found".
        shown = found_only(result) if args.comments_only else result
        try:
            history = store.open_by_department(limit=12)
            # The pages' and the emails' views are the same: built once, when either needs them.
            wanted = shown.outcomes and (("html" in formats) or (sending and not args.comments_only))
            views = build_views(shown, config, history, out_dir) if wanted else None
            if views is not None:  # the web app's SMP-2.9 confirmations and comment removal times, for SLT
                views.common.update(for_school_report(config, started))
            written = write_reports(shown, config, out_dir, formats, history, views) if shown.outcomes else []
            announced = announce_run(result, views, config, store, email=sending, alerts_only=args.comments_only)
        except OSError as exc:
            # Stored but not announced: the next run still calls these problems new and tells people of them.
            raise UsageError(
                f"the audit ran and was stored, but its reports could not be written to {out_dir} "
                f"({exc.strerror or type(exc).__name__}); make that folder writable (or choose another with --out or "
                "[output] dir) and run again: nobody has been told of its findings yet, so the next run reports them "
                "as new"
            ) from None
        _print_summary(result, out_dir, written)
        if sending:
            _deliver(config, store, announced)
    finally:
        store.close()
    # Delivery never changes the exit status: it says what the audit found; failed emails stay queued for the next run.
    return result.exit_code


def _formats_and_checks(args: argparse.Namespace) -> tuple[list[str], list[str] | None]:
    """`--format` and `--checks` read and checked (UsageError naming what is unknown)."""
    from auditor.checks import all_checks
    from auditor.reports.render import FORMATS

    formats = [f.strip().lower() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"unknown --format {', '.join(unknown) or '(empty)'}; choose from {', '.join(FORMATS)}")
    check_ids = None
    if args.checks:
        check_ids = [c.strip() for c in args.checks.split(",") if c.strip()]
        known = all_checks()
        bad = [c for c in check_ids if c not in known]
        if bad or not check_ids:
            raise UsageError(f"unknown check {', '.join(bad) or '(empty)'}; `auditor checks` lists them")
    return formats, check_ids


def _deliver(config: Config, store: Store, announced: Announced) -> None:
    """Deliver the outbox (this run's messages and any an earlier run could not deliver) and say what happened."""
    from auditor.reports.email import header_text
    from auditor.reports.send import deliver_queued

    deliveries = deliver_queued(config, store)
    for d in deliveries:
        if d.status in ("failed", "expired"):
            to = ", ".join(d.recipients)
            what = "given up" if d.status == "expired" else "NOT delivered yet; it stays queued for the next run"
            print(f"Email {header_text(d.kind)} to {to}: {what} ({d.error})")
    sent = sum(1 for d in deliveries if d.status == "sent")
    waiting = sum(1 for d in deliveries if d.status == "failed")
    held = len(announced.skipped)
    why = " (nothing changed and no reminder due, or a partial run; `auditor history --deliveries` says which)"
    print(f"Email: {sent} sent, {held} not sent{why if held else ''}, {waiting} waiting to be sent again")


def _chosen_accounts(args: argparse.Namespace, config: Config) -> list[Account]:
    """The accounts `--all`, `--account` or `--department` names in one school's config (UsageError if none)."""
    accounts = list(config.accounts)
    if args.account:
        accounts = []
        for handle in args.account:
            found = config.find_accounts(handle)
            if not found:
                raise UsageError(
                    f"{handle} is not registered in {config.path}; registered: "
                    + ", ".join(a.handle for a in config.accounts)
                )
            accounts.extend(a for a in found if a not in accounts)
    elif args.department:
        accounts = [a for a in config.accounts if a.department.lower() == args.department.strip().lower()]
        if not accounts:
            names = sorted({a.department for a in config.accounts})
            raise UsageError(f"no accounts in department {args.department!r}; departments: {', '.join(names)}")
    return accounts


def _trust_accounts(args: argparse.Namespace, schools: Sequence[Config]) -> list[tuple[Config, list[Account]]]:
    """For a trust: each school with the accounts the run names in it; a school naming none is left out. A handle
    or department no school has is a usage error, as it is for one school."""
    chosen = []
    for config in schools:
        if args.account:
            accounts = [a for h in args.account for a in config.find_accounts(h)]
            accounts = list(dict.fromkeys(accounts))
        elif args.department:
            wanted = args.department.strip().lower()
            accounts = [a for a in config.accounts if a.department.lower() == wanted]
        else:
            accounts = list(config.accounts)
        if accounts:
            chosen.append((config, accounts))
    if args.account:
        missing = [h for h in args.account if not any(c.find_accounts(h) for c in schools)]
        if missing:
            raise UsageError(f"{', '.join(missing)} is not registered by any school of this trust")
    if not chosen:
        names = sorted({a.department for c in schools for a in c.accounts})
        raise UsageError(f"no accounts in department {args.department!r}; departments: {', '.join(names)}")
    return chosen


def _schools(deployment: Deployment, wanted: str | None) -> tuple[Config, ...]:
    """The schools a command works on: every school of the config, or the one `--school` names."""
    if wanted is None:
        return deployment.schools
    if not deployment.is_trust:
        raise UsageError(
            f"--school is for a trust's config, which lists several schools; {deployment.path} is one school's "
            "config: leave --school out"
        )
    for config in deployment.schools:
        if config.school_id == wanted.strip():
            return (config,)
    known = ", ".join(c.school_id or "" for c in deployment.schools)
    raise UsageError(f"--school {wanted!r} is not a school of this trust; its schools: {known}")


# The exit status of a trust's run, from its schools': the one a monitor must see first (DESIGN.md's statuses).
_WORST_FIRST = (EXIT_INTERNAL, EXIT_USAGE, EXIT_BUSY, EXIT_PARTIAL, EXIT_FAIL, EXIT_OK)


def _run_locked(args: argparse.Namespace) -> int:
    """`auditor run` holding the one-run-at-a-time lock, then retention; SIGTERM stops it like Ctrl-C. With a trust's
    config, each school in turn (or the one `--school` names), under its own lock, into its own folders."""
    from auditor import logs, preflight, trust
    from auditor.errors import StoreError
    from auditor.lock import Busy

    deployment = trust.load_deployment(args.config)
    schools = _schools(deployment, args.school)
    if not deployment.is_trust:
        [config] = schools
        accounts = _chosen_accounts(args, config)
        preflight.check(config, args.out)  # every place the run writes or reads, before it writes anything
        logs.configure(config.logging, verbose=args.verbose)
        return _run_school(args, config, accounts, args.out)
    chosen = _trust_accounts(args, schools)
    _formats_and_checks(args)  # a mistake in them is said once, before any school is audited
    for config, _ in chosen:  # every school's places before any school's run
        preflight.check(config, _school_out(args.out, config))
    logs.configure(chosen[0][0].logging, verbose=args.verbose)  # [logging] is the trust's, the same for each
    codes = []
    for config, accounts in chosen:
        print(f"== {config.school.name} (school {config.school_id}) ==")
        try:
            codes.append(_run_school(args, config, accounts, _school_out(args.out, config)))
        except KeyboardInterrupt:
            if codes:
                done = ", ".join(c.school_id or "" for c, _ in chosen[: len(codes)])
                print(f"auditor: stopped during school {config.school_id}; these schools had finished: {done}")
            raise
        except (Busy, StoreError, UsageError) as exc:
            # One school's trouble (its run still going, its history damaged) does not stop the others'.
            print(f"auditor: school {config.school_id}: {exc}", file=sys.stderr)
            codes.append(EXIT_BUSY if isinstance(exc, Busy) else EXIT_USAGE)
        print()
    worst = next(code for code in _WORST_FIRST if code in codes or code == EXIT_OK)
    if len(chosen) > 1:
        print(
            "Schools: " + ", ".join(f"{c.school_id} {_SAID[code]}" for (c, _), code in zip(chosen, codes, strict=True))
        )
    return worst


_SAID: dict[int, str] = {
    EXIT_OK: "nothing failing",
    EXIT_FAIL: "something failing",
    EXIT_PARTIAL: "some accounts not audited",
    EXIT_BUSY: "not run (another run in progress)",
    EXIT_USAGE: "not run or not finished (see above)",
    EXIT_INTERNAL: "internal error",
}


def _school_out(out: Path | None, config: Config) -> Path | None:
    """`--out DIR` with a trust: each school's files in DIR/<school id>, never in one folder together."""
    return out / config.school_id if out is not None and config.school_id is not None else out


def _run_school(args: argparse.Namespace, config: Config, accounts: list[Account], out: Path | None) -> int:
    from auditor import retention
    from auditor.lock import RunLock
    from auditor.schools import open_store, school_lock
    from auditor.store import StoreError

    what = "comment sweep" if args.comments_only else "audit"
    with _sigterm_as_interrupt(), RunLock(school_lock(config), wait=args.wait, what=what):
        code = _run(args, config, accounts, out)
        if config.output.keep_days and code in (EXIT_OK, EXIT_FAIL, EXIT_PARTIAL):
            # Housekeeping after the run is stored and announced: should it fail (the database locked by another
            # program just now), the run's own result and exit status stand, and the next run prunes instead.
            try:
                store = open_store(config)
                try:
                    retention.prune(store, config.output.dir, config.output.keep_days, dt.datetime.now(dt.UTC))
                finally:
                    store.close()
            except (StoreError, OSError) as exc:
                log.warning("old runs were not pruned this time: %s", exc)
    return code


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (systemd stopping the service, the scheduler shutting down) ends a run the way Ctrl-C does: the
    unfinished run is left marked as not finished, temporary files are removed, and the lock is released."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not interrupt the clean-up of the first
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _dated_folder(parent: Path, when: dt.datetime) -> Path:
    base = parent / when.astimezone().strftime("%Y-%m-%d_%H%M%S")
    candidate, n = base, 2
    while candidate.exists():
        candidate, n = base.with_name(f"{base.name}-{n}"), n + 1
    return candidate


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows)


def _print_summary(result: RunResult, out_dir: Path, written: list[Path]) -> None:
    from auditor.model import Change, Finding, Status, platform_name
    from auditor.reports.paths import inside

    by_account: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_account.setdefault(f.account_key, []).append(f)
    words = [Status.FAIL.word, Status.ERROR.word, Status.WAIVED.word]
    rows = [
        [
            "ACCOUNT",
            "PLATFORM",
            "DEPARTMENT",
            "STATE",
            *(w.upper() for w in words[:1]),
            "NEW",
            *(w.upper() for w in words[1:]),
        ]
    ]
    for o in result.outcomes:
        mine = by_account.get(o.account.key, [])
        failing = [f for f in mine if f.is_open]
        unverified = sum(1 for f in mine if f.status is Status.ERROR)
        rows.append(
            [
                o.account.handle,
                platform_name(o.account.platform),
                o.account.department,
                _state(o.status, bool(failing), bool(unverified), result.scope.every_check),
                str(len(failing)),
                str(sum(1 for f in failing if f.change is Change.NEW)),
                str(unverified),
                str(sum(1 for f in mine if f.status is Status.WAIVED)),
            ]
        )
    print(_table(rows))
    for o in result.outcomes:
        if o.status == "error":
            print(f"{o.account.handle}: could not be audited: {o.error}")
    for o in result.outcomes:
        if o.usage:  # what a pay-per-use platform will bill for this run (X)
            print(f"{o.account.handle} ({platform_name(o.account.platform)}): {describe_usage(o.usage)}")
    if not result.scope.full:
        print(f"\nPartial run, not a full audit: {result.scope.note}.")
    if not written:
        print("\nNothing found: no report was written." if result.kind == "comment_sweep" else "\nNo report written.")
        return
    index = inside(out_dir, "index.html")
    print(f"\nReports: {index if index in written else out_dir.resolve()}")


def _state(status: str, failing: bool, unverified: bool, every_check: bool) -> str:
    """The account's state in the words of the pages and emails (auditor.model): never "All clear" when something
    could not be verified or not every check ran."""
    from auditor.model import account_state

    return account_state(status == "error", failing, unverified, every_check).word


def _blocklists_update(args: argparse.Namespace) -> int:
    from auditor import trust
    from auditor.links.blocklists import BlocklistError
    from auditor.links.update import update_blocklists

    deployment = trust.load_deployment(args.config)
    code = EXIT_OK
    done = set()
    for config in deployment.schools:  # a trust's schools share one folder of lists unless a school names its own
        wanted = (config.links.blocklists, config.links.blocked_categories, config.links.blocklist_url)
        if wanted in done:
            continue
        done.add(wanted)
        try:
            result = update_blocklists(config.links)
        except BlocklistError as exc:
            print(f"auditor: blocklists not updated: {exc}", file=sys.stderr)
            code = EXIT_PARTIAL
            continue
        for category, date in result.updated.items():
            print(f"{category}: updated (list of {date})")
        for category, why in result.failed.items():
            print(f"{category}: NOT updated: {why}")
        print(f"Blocklists in {config.links.blocklists}")
        code = EXIT_PARTIAL if result.failed else code
    return code


def _checks() -> int:
    from auditor.checks import all_checks

    # A check may give some results a different severity (a threat is worse than mild swearing): the range it can give.
    rows = [["CHECK", "CLAUSE", "SEVERITY", "TITLE"]]
    rows += [[c.id, c.clause, c.severity_range, c.title] for c in all_checks().values()]
    print(_table(rows))
    return EXIT_OK


def _config_check(args: argparse.Namespace) -> int:
    from auditor import preflight, trust

    deployment = trust.load_deployment(args.config)
    schools = _schools(deployment, args.school)
    for config in schools:
        preflight.check(config)  # the folders and files it names, as a run would find them
    for config in schools:
        _config_report(config)
    if deployment.is_trust:
        print(f"{deployment.path}: OK: trust {deployment.trust_name!r}, {len(deployment.schools)} schools")
    return EXIT_OK


def _config_report(config: Config) -> None:
    from auditor.schools import school_store

    school = f"school {config.school_id}: " if config.school_id is not None else ""
    for warning in config.warnings:
        print(f"warning: {warning}")
    for account in config.accounts:
        if account.source is not None and not account.source.exists():
            print(f"warning: {config.path}: source of {account.handle} does not exist: {account.source}")
    roster_problem = _roster_problem(config)
    if roster_problem:
        print(f"warning: {config.path}: {roster_problem}; pupil names will be reported as not verified")
    print(
        f"{school}{config.path}: OK: {len(config.accounts)} accounts in "
        f"{len({a.department for a in config.accounts})} departments; history in {school_store(config)[0]}; "
        f"reports under {config.output.dir}"
    )


def _roster_problem(config: Config) -> str | None:
    """Why the pupil roster cannot be used (naming no pupil), or None when it loads."""
    from auditor.text.names import Roster, RosterError

    if config.roster is None:
        return "no [safeguarding] roster is configured"
    try:
        Roster.load(config.roster)
    except RosterError as exc:
        return str(exc)
    return None


def _history(args: argparse.Namespace) -> int:
    from auditor import trust

    deployment = trust.load_deployment(args.config)
    schools = _schools(deployment, args.school)
    if args.deliveries is not None and len(schools) > 1:
        raise UsageError("--deliveries: say which school's run with --school ID (run ids are each school's own)")
    for n, config in enumerate(schools):
        if deployment.is_trust:
            print(f"{'' if n == 0 else chr(10)}== {config.school.name} (school {config.school_id}) ==")
        _school_history(args, config)
    return EXIT_OK


def _school_history(args: argparse.Namespace, config: Config) -> int:
    from auditor.schools import open_store, school_lock, school_store

    target, _ = school_store(config)
    if not target.exists():
        print(f"No runs yet: {target} does not exist.")
        return EXIT_OK
    from auditor.lock import holder

    store = open_store(config)
    try:
        if args.deliveries is not None:
            return _deliveries(store, args.deliveries)
        runs = store.runs(limit=max(1, args.limit))
        email = {r.id: _email_counts(store, r.id) for r in runs}
    finally:
        store.close()
    # Only the newest unfinished run can be the one in progress, and only while some process holds the lock.
    in_progress = holder(school_lock(config)) is not None
    rows = [
        ["RUN", "KIND", "SCOPE", "STARTED", "DURATION", "STATUS", "ACCOUNTS", "ERRORS", "FINDINGS", "FAILING", "EMAIL"]
    ]
    for n, r in enumerate(runs):
        duration = f"{(r.finished_at - r.started_at).total_seconds():.1f}s" if r.finished_at else "-"
        status = r.status
        if r.status == "running":
            status = "in progress" if n == 0 and in_progress else "did not finish"
        elif not r.announced:
            status += ", reports not written"
        rows.append(
            [
                r.id,
                "sweep" if r.kind == "comment_sweep" else r.kind,
                r.scope,
                r.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                duration,
                status,
                str(r.accounts),
                str(r.account_errors),
                str(r.findings),
                str(r.failing),
                email[r.id],
            ]
        )
    print(_table(rows) if runs else "No runs yet.")
    for r in runs:
        if r.scope_note:
            print(f"{r.id}: partial: {r.scope_note}")
    if any(" waiting" in e or "given up" in e for e in email.values()):
        print("`auditor history --deliveries RUN` shows what became of each email of a run, and why.")
    return EXIT_OK


# The order the EMAIL column counts messages in: what reached people first, then what did not.
_EMAIL_STATES = ("sent", "waiting", "given up", "failed", "not sent")


def _email_counts(store: Store, run_id: str) -> str:
    """ "4 sent, 1 waiting" for the EMAIL column of `auditor history`; "-" when the run had no email."""
    from collections import Counter

    counts = Counter(e.status for e in store.run_email(run_id))
    return ", ".join(f"{counts[state]} {state}" for state in _EMAIL_STATES if counts[state]) or "-"


def _deliveries(store: Store, wanted: str) -> int:
    """`auditor history --deliveries RUN`: each email of the run, to whom, what became of it and why."""
    wanted = wanted.strip()
    ids = store.run_ids(wanted) if wanted else []
    matches = [i for i in ids if i == wanted] or ids
    if len(matches) != 1:
        what = "matches more than one run" if matches else "is not a run in the history"
        raise UsageError(f"{wanted!r} {what}; `auditor history` lists the runs and their ids")
    [run_id] = matches
    from auditor.reports.email import header_text

    records = store.run_email(run_id)
    if not records:
        print(f"Run {run_id} sent no email.")
        return EXIT_OK
    rows = [["KIND", "TO", "STATUS", "ATTEMPTS", "ERROR OR REASON"]]
    rows += [
        [header_text(e.kind, 60), e.recipients, e.status, str(e.attempts), header_text(e.error or "", 300)]
        for e in records
    ]
    print(f"Email of run {run_id}:")
    print(_table(rows))
    return EXIT_OK


def _email_test(args: argparse.Namespace) -> int:
    """`auditor email test`: one plain message through the configured server, the outcome said plainly. Exit 0 when
    the server accepted it, 3 when it did not, 2 when the config (or the environment it names) is incomplete."""
    import dataclasses
    import os

    from auditor import trust
    from auditor.config import mailbox_problem
    from auditor.reports.email import Outgoing, SmtpTransport, build_message, deliver

    deployment = trust.load_deployment(args.config)
    schools = _schools(deployment, args.school)
    if len(schools) > 1:
        raise UsageError("this trust has several schools: say whose mail settings to test with --school ID")
    [config] = schools
    cfg = config.email
    if cfg is None:
        raise UsageError(f"{config.path} has no [email] section; docs/reports-email.md shows how to add one")
    if args.to is not None:
        problem = mailbox_problem(args.to, named=False)
        if problem:
            raise UsageError(f"--to: expected one email address like name@school.org ({problem})")
        to: tuple[str, ...] = (args.to,)
    else:
        to = cfg.slt
    if not to:
        raise UsageError(f"no one to send to: [email] slt in {config.path} is empty; give --to ADDRESS")
    password = os.environ.get(cfg.password_env, "")
    if cfg.username and not password:
        raise UsageError(
            f"no SMTP password for {cfg.username}: set the environment variable {cfg.password_env} and try again"
        )
    how = "implicit TLS" if cfg.ssl else "STARTTLS" if cfg.starttls else "no encryption"
    login = f", login as {cfg.username}" if cfg.username else ", no login"
    server = f"{cfg.host}:{cfg.port} ({how}{login})"
    text = (
        f"This is a test message from the social media auditor of {config.school.name}.\n\n"
        f"It was sent through {server} to check that the reports and urgent alerts can reach people. "
        "Nothing needs to be done.\n"
    )
    subject = f"{config.school.name} social media auditor: test message"
    message = build_message(cfg, to, subject, text, None)
    once = dataclasses.replace(cfg, retries=0)  # a test says at once what is wrong, rather than retrying it
    [done] = deliver([Outgoing("test", to, message)], SmtpTransport(cfg), once, None, "", secrets=[password])
    if done.status == "sent":
        print(f"Test email sent to {', '.join(to)} through {server}.")
        return EXIT_OK
    print(f"auditor: test email NOT sent to {', '.join(to)} through {server}: {done.error}", file=sys.stderr)
    return EXIT_PARTIAL


def _status(args: argparse.Namespace) -> int:
    """One line for monitoring (Nagios, a cron MAILTO, a systemd OnFailure): OK, or STALE with exit status 1."""
    from auditor import config as config_mod
    from auditor import trust

    if args.max_age_hours is not None and args.max_age_hours < 1:
        raise UsageError(f"--max-age-hours must be at least 1, got {args.max_age_hours}")
    if args.school is None and not _is_trust(args.config):
        # the few keys status reads; the full loader on any doubt
        return _school_status(args, config_mod.status_settings(args.config), "")
    deployment = trust.load_deployment(args.config)
    schools = _schools(deployment, args.school)
    return max(_school_status(args, _status_settings(c, deployment.path), f"school {c.school_id}: ") for c in schools)


def _is_trust(path: Path) -> bool:
    """Whether the file is a trust's config; False when it cannot be read (the loader then says why)."""
    from auditor import config as config_mod
    from auditor.settings import ConfigError

    try:
        return "trust" in config_mod.read(path)[2]
    except ConfigError:
        return False


def _status_settings(config: Config, path: Path) -> StatusSettings:
    """A trust school's status settings: its own history and lock, and the trust's file (`path`) in the commands
    the status line suggests."""
    import dataclasses

    from auditor.schools import school_lock, school_store
    from auditor.settings import StatusSettings

    found = StatusSettings.of(config)
    target, school = school_store(config)
    return dataclasses.replace(found, path=path, store=target, lock=school_lock(config), school=school)


def _school_status(args: argparse.Namespace, config: StatusSettings, who: str) -> int:
    """One school's status line (`who` names the school of a trust, else empty)."""
    from auditor.history_read import LATEST_FULL_AUDIT, status_facts
    from auditor.lock import holder, lock_path
    from auditor.schools import open_school

    max_age = args.max_age_hours if args.max_age_hours is not None else config.max_age_hours
    now = dt.datetime.now(dt.UTC)
    last = latest = None
    # A SQLite history at this version's schema is read straight from the file, without the database layer (a status
    # check starts in a fraction of the time); any other history through the store, which upgrades or explains.
    facts = status_facts(config.store.file, config.school) if config.store.file and config.store.exists() else None
    if facts is not None:
        last, latest, queued, oldest_mail = (
            facts.last_full_audit,
            facts.latest_full_audit,
            facts.queued,
            facts.oldest_queued,
        )
    elif config.store.exists():
        store = open_school(config.store, config.school)
        try:
            # Only a full audit says the school's accounts were checked: a run of one account, of some checks or a
            # comment sweep never keeps the status fresh, so a stopped nightly job is noticed.
            last = store.last_full_audit()
            found = store.runs(limit=1, where=LATEST_FULL_AUDIT)
            latest = found[0] if found else None
            queued, oldest_mail = store.undelivered()
        finally:
            store.close()
    else:
        queued, oldest_mail = 0, None
    notes = []
    busy = holder(config.lock or lock_path(config.store.anchor))
    if busy:
        notes.append(f"a run is in progress now ({busy})")
    # A newer audit than the last complete one either is the run going on now or went wrong: say which.
    if latest is not None and (last is None or latest.id != last.id) and not (busy and latest.status == "running"):
        said = "did not finish" if latest.status == "running" else latest.status
        if latest.status != "running" and not latest.announced:
            said += " but its reports were not written"
        notes.append(
            f"the latest audit, {latest.started_at.astimezone():%Y-%m-%d %H:%M}, was {said}; "
            "`auditor history` has the details"
        )
    mail_stuck = oldest_mail is not None and (now - oldest_mail).total_seconds() / 3600 > max_age
    if queued and oldest_mail is not None:
        notes.append(f"{queued} email(s) not delivered yet, queued since {oldest_mail.astimezone():%Y-%m-%d %H:%M}")
    stale_lists, missing_lists = _blocklist_ages(config, now)
    if missing_lists:
        notes.append(
            f"the link category blocklists for {', '.join(missing_lists)} are not installed "
            f"(`auditor blocklists update --config {config.path}`)"
        )
    extra = "".join(f"; {n}" for n in notes)
    # Reported by its own line when nothing worse is; else said after the worse problem, so neither hides the other.
    lists = f"; the link category blocklists are out of date: {', '.join(stale_lists)}" if stale_lists else ""
    if last is None:
        print(f"auditor status: {who}STALE: no complete audit recorded in {config.store}{extra}{lists}")
        return EXIT_FAIL
    age = (now - last.started_at).total_seconds() / 3600
    when = f"{last.started_at.astimezone():%Y-%m-%d %H:%M}"
    if age > max_age:
        print(
            f"auditor status: {who}STALE: last complete audit {when}, {age:.1f} hours ago; the limit is {max_age}"
            f"{extra}{lists}"
        )
        return EXIT_FAIL
    if mail_stuck:
        print(f"auditor status: {who}MAIL: reports are not reaching people; the limit is {max_age} hours{extra}{lists}")
        return EXIT_FAIL
    if stale_lists:
        limit = config.blocklists_max_age_days
        print(
            f"auditor status: {who}LISTS: the link category blocklists are out of date: {', '.join(stale_lists)}; "
            f"the limit is {limit} days ([links] blocklists_max_age_days); update them with "
            f"`auditor blocklists update --config {config.path}`{extra}"
        )
        return EXIT_FAIL
    print(
        f"auditor status: {who}OK: last complete audit {when}, {age:.1f} hours ago ({last.accounts} accounts, "
        f"{last.failing} failing); the limit is {max_age}{extra}"
    )
    return EXIT_OK


def _blocklist_ages(settings: StatusSettings, now: dt.datetime) -> tuple[list[str], list[str]]:
    """The [links] category lists older than `blocklists_max_age_days` ("adult (2026-10-01, 59 days old)"), and
    those not installed. Reads only their dates, never the lists."""
    from auditor.links.blocklists import list_dates
    from auditor.links.settings import ut1_name

    if settings.blocklists is None or not settings.blocked_categories:
        return [], []
    dates = list_dates(settings.blocklists, settings.blocked_categories)
    stale = []
    for category, value in dates.items():
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            stale.append(f"{category} (date unreadable)")
            continue
        age = (now.date() - day).days
        if age > settings.blocklists_max_age_days:
            stale.append(f"{category} ({day.isoformat()}, {age} days old)")
    missing = [c for c in dict.fromkeys(ut1_name(c) for c in settings.blocked_categories) if c not in dates]
    return stale, missing


def _worker(args: argparse.Namespace) -> int:
    from auditor import logs, trust, worker

    deployment = trust.load_deployment(args.config)  # a trust's workers serve every school's accounts
    logs.configure(deployment.schools[0].logging, verbose=args.verbose, default_level="info", timed=True)
    if args.concurrency is not None and not 1 <= args.concurrency <= 64:
        raise UsageError(f"--concurrency must be from 1 to 64, not {args.concurrency}")
    return worker.serve(deployment, concurrency=args.concurrency, name=args.name)


def _schedule(args: argparse.Namespace) -> int:
    import dataclasses

    from auditor import logs, scheduler, trust
    from auditor.lock import RunLock, lock_path

    deployment = trust.load_deployment(args.config)
    # A trust's schedule, log and history are the trust's (the same in each school's settings): its jobs run
    # `auditor run --all` on the trust's config, which audits every school in turn.
    config = dataclasses.replace(deployment.schools[0], path=deployment.path)
    logs.configure(config.logging, verbose=args.verbose, default_level="info", timed=True)
    # A second scheduler on the same history would only collide with the first at every run: refuse it at once.
    anchor = config.output.store.anchor
    own = lock_path(anchor.with_name(anchor.name + ".scheduler"))
    with RunLock(own, wait=0, what="scheduler"):
        return scheduler.serve(config)
