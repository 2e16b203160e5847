"""The `auditor` command line. Exit statuses (DESIGN.md): 0 nothing failing, 1 at least one unwaived FAIL,
2 usage or config error (nothing audited, nothing written), 3 one or more accounts could not be audited.
4 is an internal error (a bug), reported in one line without a traceback unless -v is given."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from auditor import __version__

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_PARTIAL, EXIT_INTERNAL = 0, 1, 2, 3, 4

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

    run = sub.add_parser("run", help="audit accounts and write reports")
    which = run.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every registered account")
    which.add_argument(
        "--account", nargs="+", metavar="HANDLE", help="one or more registered handles, e.g. @HistoryIHS"
    )
    which.add_argument("--department", metavar="NAME", help="every account of one department")
    config_option(run)
    run.add_argument("--out", type=Path, help="write this run's files into DIR (default: a new dated folder)")
    run.add_argument("--format", default="html,json,csv", help="comma-separated: html, json, csv (default all)")
    run.add_argument("--checks", help="comma-separated check ids to run (default all; see `auditor checks`)")
    run.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only posts from this date on")
    run.add_argument("--offline", action="store_true", help="no network at all; what needs it is reported not verified")
    run.add_argument("--no-email", action="store_true", help="write reports but send no email")

    checks = sub.add_parser("checks", help="list the checks with their policy clause and severity")
    checks.add_argument("--config", type=Path, help=argparse.SUPPRESS)

    cfg = sub.add_parser("config", help="configuration commands")
    cfg_sub = cfg.add_subparsers(dest="config_command", required=True, metavar="SUBCOMMAND")
    config_option(cfg_sub.add_parser("check", help="validate the config file without auditing anything"))

    history = sub.add_parser("history", help="list earlier runs")
    config_option(history)
    history.add_argument("--limit", type=int, default=20, help="how many runs to list (default 20)")

    for name, text in (
        ("schedule", "run audits on the configured schedule"),
        ("status", "health check for monitoring"),
    ):
        config_option(sub.add_parser(name, help=f"{text} (not in this version yet)"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=(logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)],
        format="auditor: %(levelname)s: %(message)s",
    )
    from auditor.config import ConfigError
    from auditor.store import StoreError

    try:
        if args.command == "run":
            return _run(args)
        if args.command == "checks":
            return _checks()
        if args.command == "config":
            return _config_check(args)
        if args.command == "history":
            return _history(args)
        print(
            f"auditor: `auditor {args.command}` is not available in this version yet; use cron with "
            "`auditor run --all` meanwhile",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except ConfigError as exc:
        print("auditor: the configuration has problems, so nothing was audited:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_USAGE
    except (UsageError, StoreError) as exc:
        print(f"auditor: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("auditor: interrupted; nothing from this run was stored", file=sys.stderr)
        return 130
    except Exception as exc:
        log.debug("internal error", exc_info=True)
        print(
            f"auditor: internal error ({type(exc).__name__}: {exc}); run with -vv for details and please report it",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _run(args: argparse.Namespace) -> int:
    from auditor import config as config_mod
    from auditor.checks import all_checks
    from auditor.runner import run_audit
    from auditor.store import Store
    from reports.render import FORMATS, write_reports

    config = config_mod.load(args.config)
    for warning in config.warnings:
        log.info(warning)
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

    started = dt.datetime.now(dt.UTC)
    out_dir = args.out if args.out else _dated_folder(config.output.dir, started)
    store = Store(config.output.store)
    try:
        result = run_audit(
            config, accounts, store, check_ids=check_ids, since=args.since, offline=args.offline, now=started
        )
    finally:
        store.close()
    written = write_reports(result, config, out_dir, formats)
    _print_summary(result, out_dir, written)
    if config.email is not None and not args.no_email:
        log.warning("email delivery is not in this version yet: the reports were written but not sent")
    return result.exit_code


def _dated_folder(parent: Path, when: dt.datetime) -> Path:
    base = parent / when.astimezone().strftime("%Y-%m-%d_%H%M%S")
    candidate, n = base, 2
    while candidate.exists():
        candidate, n = base.with_name(f"{base.name}-{n}"), n + 1
    return candidate


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows)


def _print_summary(result: object, out_dir: Path, written: list[Path]) -> None:
    from auditor.model import Change, Status
    from auditor.runner import RunResult
    from reports.paths import inside

    assert isinstance(result, RunResult)
    rows = [["ACCOUNT", "PLATFORM", "DEPARTMENT", "STATE", "TO FIX", "NEW", "NOT VERIFIED", "WAIVED"]]
    for o in result.outcomes:
        mine = [
            f
            for f in result.findings
            if f.platform == o.account.platform and f.account.lower() == o.account.handle.lower()
        ]
        failing = [f for f in mine if f.is_open]
        unverified = sum(1 for f in mine if f.status is Status.ERROR)
        rows.append(
            [
                o.account.handle,
                o.account.platform,
                o.account.department,
                "ERROR" if o.status == "error" else ("FAIL" if failing else ("CHECK" if unverified else "ok")),
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
    index = inside(out_dir, "index.html")
    print(f"\nReports: {index if index in written else out_dir.resolve()}")


def _checks() -> int:
    from auditor.checks import all_checks

    rows = [["CHECK", "CLAUSE", "SEVERITY", "TITLE"]]
    rows += [[c.id, c.clause, str(c.severity), c.title] for c in all_checks().values()]
    print(_table(rows))
    return EXIT_OK


def _config_check(args: argparse.Namespace) -> int:
    from auditor import config as config_mod

    config = config_mod.load(args.config)
    for warning in config.warnings:
        print(f"warning: {warning}")
    for account in config.accounts:
        if account.source is not None and not account.source.exists():
            print(f"warning: {config.path}: source of {account.handle} does not exist: {account.source}")
    print(
        f"{config.path}: OK: {len(config.accounts)} accounts in {len({a.department for a in config.accounts})} "
        f"departments; history in {config.output.store}; reports under {config.output.dir}"
    )
    return EXIT_OK


def _history(args: argparse.Namespace) -> int:
    from auditor import config as config_mod
    from auditor.store import Store

    config = config_mod.load(args.config)
    if not config.output.store.exists():
        print(f"No runs yet: {config.output.store} does not exist.")
        return EXIT_OK
    store = Store(config.output.store)
    try:
        runs = store.runs(limit=max(1, args.limit))
    finally:
        store.close()
    rows = [["RUN", "STARTED", "DURATION", "STATUS", "ACCOUNTS", "ERRORS", "FAILING"]]
    for r in runs:
        duration = f"{(r.finished_at - r.started_at).total_seconds():.1f}s" if r.finished_at else "-"
        status = "did not finish" if r.status == "running" else r.status
        rows.append(
            [
                r.id,
                r.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                duration,
                status,
                str(r.accounts),
                str(r.account_errors),
                str(r.failing),
            ]
        )
    print(_table(rows) if runs else "No runs yet.")
    return EXIT_OK
