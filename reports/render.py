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
import threading
import urllib.parse
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel.dates import format_date
from babel.support import NullTranslations
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from auditor import __version__
from auditor.checks import Check, all_checks
from auditor.model import (
    ACCOUNT_STATE_MEANINGS,
    ACCOUNT_STATE_WORDS,
    STATUS_MEANINGS,
    STATUS_WORDS,
    AccountState,
    Change,
    Finding,
    Severity,
    Status,
    account_state,
    platform_name,
)
from auditor.policy import CLAUSES, OUT_OF_SCOPE_NOTE, Clause
from auditor.reports.i18n import ENGLISH, Language, language
from auditor.reports.paths import inside, unique_names
from auditor.reports.trend import History, TrendRow, trend_rows, trend_svg
from auditor.results import AccountOutcome, RunResult
from auditor.settings import Config
from auditor.waivers import Waiver, expired

FORMATS = ("html", "json", "csv")

_CHANGE_ORDER = {Change.NEW: 0, Change.PERSISTING: 1, Change.RESOLVED: 2}


def sort_key(f: Finding) -> tuple[object, ...]:
    return (f.status.rank, _CHANGE_ORDER[f.change], f.severity.rank, f.check, f.evidence.post_id or "", f.id)


@dataclass
class Group:
    """Findings of one check under one heading that says what is wrong, with the steps to fix it once beneath them.

    A `cause` group is one reason that stopped several checks on one account (the account could not be read): one
    card for one cause, naming the checks it left unverified (`affected`), rather than a card per check."""

    check: Check
    clause: Clause
    findings: list[Finding]
    cause: str | None = None
    affected: list[Check] = field(default_factory=list)

    @property
    def worst(self) -> Severity:
        return min((f.severity for f in self.findings), key=lambda s: s.rank)

    @property
    def heading(self) -> str:
        return self.heading_in(ENGLISH_COPY)

    def heading_in(self, lang: Language) -> str:
        """What the card is about, in the reader's terms: what is wrong for a problem, never the requirement, which
        would read as met. A cause is the reason a check wrote: it stays English."""
        if self.cause is not None:
            return self.cause
        if lang.bilingual:
            return lang.each(self.heading_in)
        statuses = {f.status for f in self.findings}
        if Status.FAIL in statuses or Status.WAIVED in statuses:
            return lang._(self.check.failure_title)
        for status in (Status.ERROR, Status.MANUAL):
            if status in statuses:
                if lang.code == ENGLISH:
                    return f"{status.word}: {_lower_first(self.check.title)}"
                return f"{lang._(status.word)}: {_lower_first(lang._(self.check.title))}"
        return lang._(self.check.title)

    @property
    def platforms(self) -> list[str]:
        return sorted({f.platform for f in self.findings})

    @property
    def steps(self) -> list[str]:
        return self.steps_in(ENGLISH_COPY)

    def steps_in(self, lang: Language) -> list[str]:
        """The steps for the platforms of the accounts on this card only. A check's own steps are in its metadata,
        in English; the steps for an account that could not be read are the reports' own copy."""
        if self.cause is not None:
            return [lang._(step) for step in _CAUSE_STEPS]
        return self.check.steps_for(self.platforms)

    @property
    def clause_ids(self) -> list[str]:
        return list(dict.fromkeys(c.clause for c in (self.affected or [self.check])))


ENGLISH_COPY = Language()
_CAUSE_STEPS = (
    "Ask whoever runs the auditor to look at why the account could not be read: the reason is above.",
    "Until it can be read, check the account by hand against the parts of the policy listed on this card.",
)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


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
    def state(self) -> AccountState:
        return account_state(
            self.outcome.status == "error",
            bool(self.sections.failing),
            bool(self.sections.unverified),
            self.every_check,
        )

    @property
    def unverified_count(self) -> int:
        return sum(len(g.findings) for g in self.sections.unverified)


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
        if name == "unverified":
            groups = _one_card_per_cause(groups)
        groups.sort(key=lambda g: (g.worst.rank, g.cause is None, g.check.id))
        setattr(out, name, groups)
    return out


def _one_card_per_cause(groups: list[Group]) -> list[Group]:
    """Findings of one account that several checks left unverified for the same reason (the account could not be
    read) become one card naming those checks; a reason given by one check only stays on that check's card."""
    by_cause: dict[tuple[str, str], list[tuple[Group, Finding]]] = {}
    for g in groups:
        for f in g.findings:
            by_cause.setdefault((f.account_key, f.reason), []).append((g, f))
    merged: set[str] = set()
    out: list[Group] = []
    for (_, reason), members in by_cause.items():
        if len({g.check.id for g, _ in members}) < 2:
            continue
        merged.update(f.id for _, f in members)
        first = members[0][0]
        affected = list({g.check.id: g.check for g, _ in members}.values())
        out.append(Group(first.check, first.clause, [members[0][1]], cause=reason, affected=affected))
    for g in groups:
        rest = [f for f in g.findings if f.id not in merged]
        if rest:
            out.append(Group(g.check, g.clause, rest))
    return out


# Bidi embeddings, overrides and isolates in a stranger's text (U+202E "right-to-left override") would reorder the
# rest of the line or page; every value a template shows gets a visible marker in their place instead.
_BIDI_CONTROLS = {c: f"[U+{c:04X}]" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def neutralise_bidi(value: object) -> object:
    # Markup (a macro's output) stays Markup: its translate keeps the type, and the markers hold no markup.
    return value.translate(_BIDI_CONTROLS) if isinstance(value, str) else value


# Environments built once per process and language: each compiles its templates the first time they are used and
# keeps them, so a second run in the same process (the scheduler, a test) compiles nothing. Keyed by the language and
# its catalogue object (an English catalogue holds nothing, so any English one will do); the language is kept beside
# its environment so that its catalogue's id cannot be reused by another object.
_ENVIRONMENTS: dict[tuple[bool, str, int | None], tuple[Language, Environment]] = {}
_ENVIRONMENTS_LOCK = threading.Lock()


def _cached(html: bool, lang: Language, build: Callable[[Language], Environment]) -> Environment:
    catalogue = lang.catalogue
    stateless = type(catalogue) is NullTranslations and not getattr(catalogue, "_fallback", None)
    key = (html, lang.code, None if stateless else id(catalogue))
    with _ENVIRONMENTS_LOCK:
        found = _ENVIRONMENTS.get(key)
        if found is None:
            found = _ENVIRONMENTS[key] = (lang, build(lang))
        return found[1]


def environment(lang: Language = ENGLISH_COPY) -> Environment:
    """For the pages and the HTML part of emails, in `lang` (`{% trans %}` and `_()` read its catalogue); built once
    per process and language."""
    return _cached(True, lang, _html_environment)


def text_environment(lang: Language = ENGLISH_COPY) -> Environment:
    """For the plain-text parts of emails: nothing is escaped (it is not markup), the filters are the same; built once
    per process and language."""
    return _cached(False, lang, _text_environment)


def _html_environment(lang: Language) -> Environment:
    env = Environment(
        loader=PackageLoader("auditor.reports", "templates"),
        autoescape=True,  # every template, whatever its name: nothing from a platform is ever markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=neutralise_bidi,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(lang.html_gettext, lang.html_ngettext, newstyle=True)  # type: ignore[attr-defined]
    _filters(env, lang, html=True)
    env.globals["languages"] = _languages(env, lang, html=True)
    return env


def _text_environment(lang: Language) -> Environment:
    env = Environment(
        loader=PackageLoader("auditor.reports", "templates"),
        autoescape=False,  # noqa: S701 - text/plain output, never parsed as HTML
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=neutralise_bidi,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(lang.gettext, lang.ngettext, newstyle=True)  # type: ignore[attr-defined]
    _filters(env, lang, html=False)
    env.globals["languages"] = _languages(env, lang, html=False)
    return env


# One language of a bilingual page: its `lang`, its gettext and ngettext (formatting as Jinja's own do), its words.
LanguagePart = tuple[str | None, Callable[..., str], Callable[..., str], dict[str, str] | None]


def _languages(env: Environment, lang: Language, html: bool) -> list[LanguagePart]:
    """For a lead or a banner written once per language (the `in_each` macro): a bilingual page gives the Welsh
    paragraph, then the English one, each whole, rather than a sentence that alternates between the two. Any other
    page has one part, the page's own gettext (no `lang`, no words: the caller's own words are used)."""
    if not lang.bilingual:
        return [(None, env.globals["gettext"], env.globals["ngettext"], None)]  # type: ignore[list-item]
    parts: list[LanguagePart] = []
    for part in lang.parts():

        def gettext(message: str, _part: Language = part, **variables: object) -> str:
            return _format(_part.catalogue.gettext(message), variables, html)

        def ngettext(singular: str, plural: str, num: int, _part: Language = part, **variables: object) -> str:
            return _format(_part.catalogue.ngettext(singular, plural, num), {"num": num, **variables}, html)

        words = {str(k): part._(v) for k, v in STATUS_WORDS.items()}
        parts.append((part.html_lang if part.code != ENGLISH else "en-GB", gettext, ngettext, words))
    return parts


def _format(text: str, variables: dict[str, object], html: bool) -> str:
    """As Jinja's own newstyle gettext: the values are escaped into a page (the copy is the project's own)."""
    return escape(text) % variables if html else text % variables


def _filters(env: Environment, lang: Language, html: bool) -> None:
    env.filters["when"] = lambda value, tz=None: _when(value, tz, lang)
    env.filters["day"] = lambda value, tz=None: _day(value, tz, lang)
    env.filters["age"] = lambda f, now, tz=None: _age(f, now, tz, lang)
    # A platform's name sits inside a phrase ("on X (archive)"): bilingual, the phrase is already in both languages,
    # so the name is given once, as the platform itself gives it.
    env.filters["platform"] = (lambda p: platform_name(p)) if lang.bilingual else (lambda p: lang._(platform_name(p)))
    env.filters["page_url"] = _page_url
    # Copy the reports hold by its English text (a check's title, a state's word): looked up in the catalogue.
    env.filters["t"] = lang.html_text if html else lang.gettext
    env.globals["lang"] = lang
    # Text that stays English on a Welsh page (the policy's words, a finding's reason) says so to screen readers.
    env.globals["english"] = Markup(' lang="en-GB"') if html and lang.code != ENGLISH else ""


def _zone(tz: str | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(tz or DEFAULT_TIMEZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)


DEFAULT_TIMEZONE = "Europe/London"


def _when(value: dt.datetime | None, tz: str | None = None, lang: Language = ENGLISH_COPY) -> str:
    """A time as the school reads it: its own time zone ([schedule] timezone), named (GMT or BST)."""
    if value is None:
        return lang._("unknown")
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(_zone(tz))
    return f"{_day(local, tz, lang)} {local:%H:%M %Z}"


def _day(value: dt.datetime, tz: str | None = None, lang: Language = ENGLISH_COPY) -> str:
    """A date with its month's short name, in Welsh ("29 Tach 2026") when the reports are in Welsh."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(_zone(tz))
    if lang.code == ENGLISH:
        return local.strftime("%d %b %Y")
    return format_date(local.date(), "dd MMM yyyy", locale="cy")


def _age(f: Finding, now: dt.datetime, tz: str | None = None, lang: Language = ENGLISH_COPY) -> str:
    """How long a problem has been open. "New" only for a problem this audit is the first to report (its change is
    NEW): one still open from the last audit is not new, however recent that audit was."""
    if f.first_seen is None:
        return ""
    if f.change is Change.NEW:
        return lang._("new in this audit")
    days = (now - f.first_seen).days
    if days < 1:
        return lang._("still open since the last audit (first seen %(when)s)") % {"when": _when(f.first_seen, tz, lang)}
    return lang.ngettext(
        "open for %(days)d day (first seen %(day)s)", "open for %(days)d days (first seen %(day)s)", days
    ) % {"days": days, "day": _day(f.first_seen, tz, lang)}


def _page_url(path: str, base: str | None) -> str | None:
    """Where a report page is for a reader of an email: under `[output] public_url`, or nowhere (None)."""
    if not base:
        return None
    return base + "/".join(urllib.parse.quote(part) for part in path.split("/"))


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
    # Written piece by piece: tens of thousands of findings never become one string (or one list of dicts) in memory.
    if "json" in formats:
        written.append(_write(out_dir, ("findings.json",), findings_json_parts(result)))
    if "csv" in formats:
        written.append(_write(out_dir, ("findings.csv",), findings_csv_rows(result)))
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
    return "".join(findings_json_parts(result))


def findings_json_parts(result: RunResult) -> Iterator[str]:
    """findings.json in pieces, one finding at a time: the same text as `json.dumps(document, indent=2,
    ensure_ascii=False)` of the whole document, without holding it (or every finding as a dict) at once."""
    head = {
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
                # Requests and resources read, where the connector counts them (X's pay-per-use): else null.
                "usage": dict(o.usage) or None,
            }
            for o in result.outcomes
        ],
        "findings": [],
    }
    text = json.dumps(head, indent=2, ensure_ascii=False)
    findings = _ordered(result)
    if not findings:
        yield text + "\n"
        return
    start, end = text.rsplit('"findings": []', 1)
    yield start + '"findings": ['
    for n, finding in enumerate(findings):
        # Each finding as json.dumps would nest it two levels down: JSON text has no raw line breaks in its strings,
        # so indenting every line is exact.
        body = json.dumps(finding.as_dict(), indent=2, ensure_ascii=False).replace("\n", "\n    ")
        yield ("," if n else "") + "\n    " + body
    yield "\n  ]" + end + "\n"


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
    return "".join(findings_csv_rows(result))


def findings_csv_rows(result: RunResult) -> Iterator[str]:
    """findings.csv a row at a time."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")

    def row_text(row: Iterable[str]) -> str:
        buf.seek(0)
        buf.truncate()
        writer.writerow(row)
        return buf.getvalue()

    yield row_text(_CSV_FIELDS)
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
        yield row_text([_no_formula(v) if n >= _CSV_FIELDS.index("reason") else v for n, v in enumerate(row)])


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
    lang: Language = ENGLISH_COPY


def link_base(config: Config, out_dir: Path | None) -> str | None:
    """Where this run's folder is shared (`[output] public_url` + the run folder's path under `[output] dir`), ending
    in "/", or None: without a public address, or for a folder outside the shared one, emails link to no page."""
    public = config.output.public_url
    if not public or out_dir is None:
        return None
    try:
        relative = out_dir.resolve().relative_to(config.output.dir.resolve())
    except ValueError:
        return None
    parts = [urllib.parse.quote(p) for p in relative.parts]
    return public.rstrip("/") + "/" + "".join(f"{p}/" for p in parts)


def build_views(result: RunResult, config: Config, history: History = (), out_dir: Path | None = None) -> Views:
    """What the pages and emails show. `out_dir`, the folder the pages are written to, makes the emails' account and
    department names links when the folder is shared at `[output] public_url`."""
    lang = language(config.school.language)
    env = environment(lang)
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
            list(AccountState).index(a.state),
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
        "tz": config.schedule.timezone,
        "status_words": {str(k): lang._(v) for k, v in STATUS_WORDS.items()},
        "status_meanings": {str(k): lang._(v) for k, v in STATUS_MEANINGS.items()},
        "state_words": {str(k): lang._(v) for k, v in ACCOUNT_STATE_WORDS.items()},
        "state_meanings": {str(k): lang._(v) for k, v in ACCOUNT_STATE_MEANINGS.items()},
        "lang": lang,
        "link_base": link_base(config, out_dir),
    }
    expired_waivers = expired(config.waivers, result.started_at.date())
    return Views(env, common, accounts, departments, school, _coverage(result), expired_waivers, lang)


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
        # A check that judged nothing on any account (one an account must ask for, such as the lookalike search) did
        # not check anything this time, and is not shown as how the clause was checked.
        produced = {f.check for f in result.findings}
        if produced:
            not_run += [c for c in checks if c.id not in produced]
            checks = [c for c in checks if c.id in produced]
        failing = sum(1 for f in result.findings if f.check in ids and f.is_open)
        unverified = sum(1 for f in result.findings if f.check in ids and f.status is Status.ERROR)
        rows.append(ClauseCoverage(clause, checks, failing, unverified, not_run))
    return rows


def _write(out_dir: Path, parts: tuple[str, ...], text: str | Iterable[str]) -> Path:
    """Write atomically (a reader or a mail job never sees half a page), and only inside `out_dir`. `text` may come
    in pieces, written as they come."""
    target = inside(out_dir, *parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            if isinstance(text, str):
                fh.write(text)
            else:
                fh.writelines(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
