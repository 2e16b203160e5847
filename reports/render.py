"""Render one run's results: findings.json, findings.csv and the HTML pages (school, account, department).

Reports read findings and the run's account outcomes, never platform data. Templates are Jinja2 with autoescaping on,
so text from posts, bios and comments always renders as text.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from auditor import __version__
from auditor.checks import Check, all_checks
from auditor.config import Config
from auditor.model import Change, Finding, Severity, Status
from auditor.policy import CLAUSES, OUT_OF_SCOPE_NOTE, Clause
from auditor.results import AccountOutcome, RunResult
from auditor.waivers import Waiver, expired
from reports.paths import inside, unique_names
from reports.trend import History, TrendRow, trend_rows, trend_svg

FORMATS = ("html", "json", "csv")

_STATUS_ORDER = {Status.FAIL: 0, Status.ERROR: 1, Status.MANUAL: 2, Status.WAIVED: 3, Status.PASS: 4}
_CHANGE_ORDER = {Change.NEW: 0, Change.PERSISTING: 1, Change.RESOLVED: 2}


def sort_key(f: Finding) -> tuple[object, ...]:
    return (_STATUS_ORDER[f.status], _CHANGE_ORDER[f.change], f.severity.rank, f.check, f.evidence.post_id or "", f.id)


@dataclass
class Group:
    """Findings of one check, with the check's explanation and steps once above them."""

    check: Check
    clause: Clause
    findings: list[Finding]

    @property
    def worst(self) -> Severity:
        return min((f.severity for f in self.findings), key=lambda s: s.rank)


@dataclass
class Sections:
    """A page's findings in the order a reader acts on them."""

    new: list[Group] = field(default_factory=list)
    open: list[Group] = field(default_factory=list)
    unverified: list[Group] = field(default_factory=list)
    resolved: list[Group] = field(default_factory=list)
    manual: list[Group] = field(default_factory=list)
    waived: list[Group] = field(default_factory=list)
    passed: list[Group] = field(default_factory=list)

    @property
    def failing(self) -> int:
        return sum(len(g.findings) for g in self.new + self.open)

    @property
    def new_count(self) -> int:
        return sum(len(g.findings) for g in self.new)


@dataclass
class AccountView:
    outcome: AccountOutcome
    page: str
    department_page: str
    sections: Sections
    findings: list[Finding]
    # False when this run did not put every check to the account over the usual window (a comment sweep, --checks,
    # --since): then nothing found is not "all clear".
    every_check: bool = True

    @property
    def state(self) -> str:
        if self.outcome.status == "error":
            return "error"
        if self.sections.failing:
            return "failing"
        # Something could not be verified: never "all clear", which a reader would take as a pass.
        if self.sections.unverified:
            return "unverified"
        return "clear" if self.every_check else "partly"


@dataclass
class DepartmentView:
    name: str
    page: str
    head_email: str | None
    accounts: list[AccountView]
    sections: Sections
    trend: Markup = field(default_factory=Markup)
    trend_rows: list[TrendRow] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for a in self.accounts if a.outcome.status == "error")


def sections_for(findings: Iterable[Finding], checks: dict[str, Check]) -> Sections:
    buckets: dict[str, dict[str, list[Finding]]] = {name: {} for name in Sections.__dataclass_fields__}
    for f in sorted(findings, key=sort_key):
        if f.status is Status.FAIL:
            bucket = "new" if f.change is Change.NEW else "open"
        elif f.change is Change.RESOLVED:
            bucket = "resolved"
        else:
            bucket = {Status.ERROR: "unverified", Status.MANUAL: "manual", Status.WAIVED: "waived"}.get(
                f.status, "passed"
            )
        buckets[bucket].setdefault(f.check, []).append(f)
    out = Sections()
    for name, by_check in buckets.items():
        groups = [Group(checks[c], CLAUSES[checks[c].clause], fs) for c, fs in by_check.items() if c in checks]
        groups.sort(key=lambda g: (g.worst.rank, g.check.id))
        setattr(out, name, groups)
    return out


# Bidi embeddings, overrides and isolates in a stranger's text (U+202E "right-to-left override") would reorder the
# rest of the line or page; every value a template shows gets a visible marker in their place instead.
_BIDI_CONTROLS = {c: f"[U+{c:04X}]" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def neutralise_bidi(value: object) -> object:
    # Markup (a macro's output) stays Markup: its translate keeps the type, and the markers hold no markup.
    return value.translate(_BIDI_CONTROLS) if isinstance(value, str) else value


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,  # every template, whatever its name: nothing from a platform is ever markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=neutralise_bidi,
    )
    env.filters["when"] = _when
    env.filters["age"] = _age
    return env


def text_environment() -> Environment:
    """For the plain-text parts of emails: nothing is escaped (it is not markup), the filters are the same."""
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=False,  # noqa: S701 - text/plain output, never parsed as HTML
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=neutralise_bidi,
    )
    env.filters["when"] = _when
    env.filters["age"] = _age
    return env


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%d %b %Y %H:%M UTC") if value else "unknown"


def _age(f: Finding, now: dt.datetime) -> str:
    if f.first_seen is None:
        return ""
    days = (now - f.first_seen).days
    if f.change is Change.NEW or days < 1:
        return "new in this audit"
    return f"open for {days} day{'s' if days != 1 else ''} (first seen {f.first_seen:%d %b %Y})"


def write_reports(
    result: RunResult,
    config: Config,
    out_dir: Path,
    formats: Iterable[str] = FORMATS,
    history: History = (),
    views: Views | None = None,
) -> list[Path]:
    """Write the requested formats into `out_dir` and return the files written. `history` feeds the trend chart:
    `Store.open_by_department()` of the finished runs, this one included. `views`, when the caller has already built
    them (for the emails), are used instead of building them again."""
    formats = set(formats)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "json" in formats:
        written.append(_write(out_dir, ("findings.json",), findings_json(result)))
    if "csv" in formats:
        written.append(_write(out_dir, ("findings.csv",), findings_csv(result)))
    if "html" in formats:
        written.extend(_write_html(views or build_views(result, config, history), out_dir))
    return written


def found_only(result: RunResult) -> RunResult:
    """What a comment sweep reports: only the accounts where it found a problem, with their findings. A sweep that
    found nothing has nothing to show (an empty result), and never a page of "nothing found" that reads as all clear."""
    keep = {f.account_key for f in result.findings if f.is_open}
    return dataclasses.replace(
        result,
        outcomes=[o for o in result.outcomes if o.account.key in keep],
        findings=[f for f in result.findings if f.account_key in keep],
    )


def findings_json(result: RunResult) -> str:
    doc = {
        "run": {
            "id": result.id,
            "started_at": result.started_at.isoformat(),
            "finished_at": result.finished_at.isoformat(),
            "status": result.status,
            "version": __version__,
            "scope": result.scope.name,
            "scope_note": result.scope.note or None,
            "kind": result.kind,
        },
        "accounts": [
            {
                "handle": o.account.handle,
                "platform": o.account.platform,
                "department": o.account.department,
                "status": o.status,
                "error": o.error,
                "posts_examined": o.posts_examined,
                "comments_examined": o.comments_examined,
            }
            for o in result.outcomes
        ],
        "findings": [f.as_dict() for f in _ordered(result)],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


_CSV_FIELDS = (
    "id",
    "account",
    "platform",
    "department",
    "check",
    "clause",
    "status",
    "severity",
    "change",
    "first_seen",
    "reason",
    "url",
    "post_id",
    "excerpt",
    "link",
)


def findings_csv(result: RunResult) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(_CSV_FIELDS)
    for f in _ordered(result):
        ev = f.evidence
        row = [
            f.id,
            f.account,
            f.platform,
            f.department,
            f.check,
            f.clause,
            str(f.status),
            str(f.severity),
            str(f.change),
            f.first_seen.isoformat() if f.first_seen else "",
            f.reason,
            ev.url or "",
            ev.post_id or "",
            ev.excerpt or "",
            ev.link or "",
        ]
        # Columns that carry text from the platforms are neutralised; the rest come from the config and the checks.
        writer.writerow([_no_formula(v) if n >= _CSV_FIELDS.index("reason") else v for n, v in enumerate(row)])
    return buf.getvalue()


def _no_formula(value: str) -> str:
    """Text from posts must not become a formula when the CSV is opened in a spreadsheet."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _ordered(result: RunResult) -> list[Finding]:
    order = {o.account.key: n for n, o in enumerate(result.outcomes)}
    return sorted(result.findings, key=lambda f: (order.get(f.account_key, 0), sort_key(f)))


@dataclass
class Views:
    """Everything the HTML pages (and the emails made from them) show, built once per run."""

    env: Environment
    common: dict[str, object]
    accounts: list[AccountView]
    departments: list[DepartmentView]
    school: Sections
    coverage: list[ClauseCoverage]
    expired: list[Waiver]


def build_views(result: RunResult, config: Config, history: History = ()) -> Views:
    env = environment()
    account_pages = unique_names(((o.account.key, o.account.handle) for o in result.outcomes), "account")
    dept_names = sorted({o.account.department for o in result.outcomes})
    dept_pages = unique_names(((d, d) for d in dept_names), "department")

    by_account: dict[str, list[Finding]] = {o.account.key: [] for o in result.outcomes}
    for f in result.findings:
        by_account.setdefault(f.account_key, []).append(f)
    accounts = [
        AccountView(
            outcome=o,
            page=account_pages[o.account.key],
            department_page=dept_pages[o.account.department],
            sections=sections_for(by_account[o.account.key], result.checks),
            findings=by_account[o.account.key],
            every_check=result.scope.every_check,
        )
        for o in result.outcomes
    ]
    accounts.sort(
        key=lambda a: (
            {"error": 0, "failing": 1, "unverified": 2, "partly": 3, "clear": 4}[a.state],
            -a.sections.new_count,
            -a.sections.failing,
            a.outcome.account.handle.lower(),
        )
    )
    departments = []
    for name in dept_names:
        members = [a for a in accounts if a.outcome.account.department == name]
        dept = config.departments.get(name)
        departments.append(
            DepartmentView(
                name=name,
                page=dept_pages[name],
                head_email=dept.head_email if dept else None,
                accounts=members,
                sections=sections_for((f for a in members for f in a.findings), result.checks),
                trend=trend_svg(own := [(r, t, {name: c[name]}) for r, t, c in history if name in c]),
                trend_rows=trend_rows(own),
            )
        )
    departments.sort(key=lambda d: (-d.sections.new_count, -d.sections.failing, d.name.lower()))
    school = sections_for(result.findings, result.checks)
    common: dict[str, object] = {
        "run": result,
        "school": config.school,
        "now": result.started_at,
        "clauses": CLAUSES,
        "checks": result.checks,
        "out_of_scope": OUT_OF_SCOPE_NOTE,
        "version": __version__,
        "account_pages": account_pages,
        "email": False,
        "trend": trend_svg(history),
        "trend_rows": trend_rows(history),
        "scope": result.scope,
        "registered": len(config.accounts),
    }
    expired_waivers = expired(config.waivers, result.started_at.date())
    return Views(env, common, accounts, departments, school, _coverage(result), expired_waivers)


def render_index(views: Views, email: bool = False, compact: bool = False) -> str:
    """The school summary; `compact` leaves out the affected items (for an email whose full report is attached)."""
    return views.env.get_template("index.html").render(
        {**views.common, "email": email, "compact": compact},
        root="",
        accounts=views.accounts,
        departments=views.departments,
        sections=views.school,
        coverage=views.coverage,
        expired_waivers=views.expired,
    )


def render_department(views: Views, department: DepartmentView, email: bool = False, compact: bool = False) -> str:
    handles = {bare_handle(a.outcome.account.handle) for a in department.accounts}
    return views.env.get_template("department.html").render(
        {**views.common, "email": email, "compact": compact},
        root="../",
        department=department,
        expired_waivers=[w for w in views.expired if bare_handle(w.account) in handles],
    )


def bare_handle(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def _write_html(views: Views, out_dir: Path) -> list[Path]:
    env, common = views.env, views.common
    written = [_write(out_dir, ("index.html",), render_index(views))]
    for account in views.accounts:
        handle = bare_handle(account.outcome.account.handle)
        written.append(
            _write(
                out_dir,
                ("accounts", f"{account.page}.html"),
                env.get_template("account.html").render(
                    **common,
                    root="../",
                    account=account,
                    expired_waivers=[w for w in views.expired if bare_handle(w.account) == handle],
                ),
            )
        )
    for department in views.departments:
        page = render_department(views, department)
        written.append(_write(out_dir, ("departments", f"{department.page}.html"), page))
    return written


@dataclass
class ClauseCoverage:
    clause: Clause
    checks: list[Check]
    failing: int
    unverified: int
    not_run: list[Check] = field(default_factory=list)  # the clause's checks this (partial) run left out


def _coverage(result: RunResult) -> list[ClauseCoverage]:
    """For the school summary: which clauses this run audited, and how; a clause with no check says so plainly."""
    rows = []
    for clause in CLAUSES.values():
        checks = [c for c in result.checks.values() if c.clause == clause.id]
        ids = {c.id for c in checks}
        not_run = [c for c in all_checks().values() if c.clause == clause.id and c.id not in ids]
        failing = sum(1 for f in result.findings if f.check in ids and f.is_open)
        unverified = sum(1 for f in result.findings if f.check in ids and f.status is Status.ERROR)
        rows.append(ClauseCoverage(clause, checks, failing, unverified, not_run))
    return rows


def _write(out_dir: Path, parts: tuple[str, ...], text: str) -> Path:
    """Write atomically (a reader or a mail job never sees half a page), and only inside `out_dir`."""
    target = inside(out_dir, *parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
