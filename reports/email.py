"""Email delivery: each head of department gets their department's report, senior leaders the school summary.

Routing (see docs/reports-email.md): a report goes at once when something changed (a problem appeared or was fixed);
when nothing changed but something is open, to confirm or not verified, it goes again once `[email] remind_every_days`
have passed since the last one of its kind was queued; a report with nothing in it at all goes only with
`send_when_unchanged`. With `copy_owners`, the owners of a department's accounts are copied on its report.

Messages are multipart/alternative (plain text first, then HTML with every style inlined by css-inline, because most
mail programs drop <style> blocks), carry no script and load nothing remote. A body larger than `[email] max_kb` is
replaced by a compact version that lists each problem once, with the full report attached as an HTML file.

A failed delivery is retried with exponential backoff, then recorded in the store's `deliveries` table; the run and its
reports are kept either way, and the audit's exit status does not change (see docs/reports-email.md).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from functools import partial
from typing import Protocol

import css_inline

from auditor.model import Change, Finding, Status
from auditor.net.retry import Again, GaveUp, RetryPolicy
from auditor.reports.i18n import Language
from auditor.reports.render import (
    ENGLISH_COPY,
    DepartmentView,
    Views,
    bare_handle,
    render_department,
    render_index,
    text_environment,
)
from auditor.results import RunResult
from auditor.settings import Config, Email, on_domain
from auditor.store import Store

log = logging.getLogger(__name__)

# Characters that could end a header line or confuse a mail program; Unicode line breaks included.
# Line breaks (header injection) and bidi embeddings, overrides and isolates (a subject reordered by a stranger's text).
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
_RELATIVE_LINK = re.compile(r'<a href="(?!https?:|mailto:)[^"]*"')
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


class DeliveryError(Exception):
    """A delivery that cannot succeed by retrying (no password, login refused, every recipient refused)."""


def header_text(value: str, limit: int = 140) -> str:
    """Header-safe text: control characters and line breaks become spaces (no header injection), length is capped."""
    text = " ".join(_CONTROL.sub(" ", value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def email_html(page: str) -> str:
    """An HTML page made fit for mail: styles inlined, links to the other report files (absent from the email) made
    plain text. The templates write every link as `<a href="...`, so the pattern sees all of them."""
    return _RELATIVE_LINK.sub("<a", _INLINER.inline(page))


def build_message(
    cfg: Email,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str | None,
    attachment: tuple[str, str] | None = None,
    cc: Sequence[str] = (),
    language: str = "en-GB",
) -> EmailMessage:
    """A message To `to` (and Cc `cc`): plain text, then the HTML alternative when there is one. `language` is its
    Content-Language (RFC 3282): "cy" for Welsh, "cy, en-GB" for a bilingual message."""
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = header_text(subject, 140 * len(language.split(",")))  # as much room for each language
    msg["From"] = cfg.sender
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    domain = parseaddr(cfg.sender)[1].rpartition("@")[2] or None
    msg["Message-ID"] = make_msgid(domain=domain)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies are not sent back to it
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    if attachment is not None:
        name, body = attachment
        msg.add_attachment(body.encode("utf-8"), maintype="text", subtype="html", filename=name)
    # Last: setting the content clears the Content-* headers, and an attachment moves them into a part.
    msg["Content-Language"] = language
    return msg


@dataclass(frozen=True)
class Outgoing:
    kind: str  # "department:History", "school", "alert:<finding id>"
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])


@dataclass(frozen=True)
class Delivery:
    kind: str
    recipients: tuple[str, ...]
    subject: str
    status: str  # sent | failed | skipped
    attempts: int
    error: str | None = None


class Transport(Protocol):
    def send(self, message: EmailMessage, recipients: Sequence[str]) -> None: ...


class SmtpTransport:
    """One connection per message: a long audit night must not hold a connection the server has long closed."""

    def __init__(self, cfg: Email, environ: Mapping[str, str] | None = None) -> None:
        self.cfg = cfg
        self.password = (environ if environ is not None else os.environ).get(cfg.password_env)

    def send(self, message: EmailMessage, recipients: Sequence[str]) -> None:
        cfg = self.cfg
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if cfg.ssl:
            smtp = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout, context=context)
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
        with smtp:
            if cfg.starttls and not cfg.ssl:
                smtp.starttls(context=context)
            if cfg.username:
                if not self.password:
                    raise DeliveryError(f"no SMTP password: set the environment variable {cfg.password_env}")
                try:
                    smtp.login(cfg.username, self.password)
                except smtplib.SMTPAuthenticationError as exc:
                    raise DeliveryError(
                        f"the mail server refused the login for {cfg.username} ({exc.smtp_code})"
                    ) from None
            refused = smtp.send_message(message, to_addrs=list(recipients))
            if refused:
                log.warning("mail server refused %s", ", ".join(sorted(refused)))


def deliver(
    outgoing: Iterable[Outgoing],
    transport: Transport,
    cfg: Email,
    store: Store | None,
    run_id: str,
    sleep: Callable[[float], None] = time.sleep,
    secrets: Sequence[str] = (),
) -> list[Delivery]:
    """Send each message, retrying up to `cfg.retries` times with a delay that doubles (the product's one retry
    policy, auditor.net.retry), and record every outcome."""
    policy = RetryPolicy(retries=cfg.retries, backoff=cfg.retry_delay, max_wait=math.inf, sleep=sleep)
    results = []
    for item in outgoing:
        name = header_text(item.kind)  # a department's name may hold a line break: one log line stays one line
        attempts, error = _send_one(item, transport, policy, name, secrets)
        status = "failed" if error else "sent"
        if error:
            log.warning(
                "email %s to %s not delivered after %d attempt(s): %s",
                name,
                ", ".join(item.recipients),
                attempts,
                error,
            )
        results.append(Delivery(item.kind, item.recipients, item.subject, status, attempts, error))
        if store is not None:
            store.record_delivery(run_id, item.kind, item.recipients, item.subject, status, attempts, error)
    return results


def _send_one(
    item: Outgoing, transport: Transport, policy: RetryPolicy, name: str, secrets: Sequence[str]
) -> tuple[int, str | None]:
    """How many tries one message took, and why it was not delivered (None when it was)."""
    attempts = 0

    def attempt() -> str | None:
        nonlocal attempts
        attempts += 1
        try:
            transport.send(item.message, item.recipients)
        except (DeliveryError, smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            return _describe(exc, secrets)  # retrying cannot help: the config or the address is wrong
        except smtplib.SMTPResponseException as exc:
            if 500 <= exc.smtp_code < 600:  # a permanent refusal (RFC 5321, 4.2.1): the same message fails again
                return _describe(exc, secrets)
            raise Again("failed", _describe(exc, secrets)) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise Again("failed", _describe(exc, secrets)) from None
        return None

    def on_retry(delay: float, again: Again, tries: int) -> None:
        log.info("email %s: attempt %d failed (%s); retrying in %.0f s", name, tries, again.what, delay)

    try:
        error = policy.call(attempt, on_retry=on_retry)
    except GaveUp as stop:
        error = stop.last.what
    return attempts, error


def _describe(exc: BaseException, secrets: Sequence[str]) -> str:
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return header_text(text, 300)


def department_changed(department: DepartmentView) -> bool:
    """Worth an email at once: a problem appeared or was fixed since the last audit."""
    return any(_is_change(f) for a in department.accounts for f in a.findings)


def _is_change(f: Finding) -> bool:
    return (f.change is Change.NEW and f.status is Status.FAIL) or f.change is Change.RESOLVED


@dataclass(frozen=True)
class Counts:
    """What a report holds that someone must act on."""

    failing: int = 0
    new: int = 0
    to_confirm: int = 0
    unverified: int = 0

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Counts:
        fs = [f for f in findings if f.change is not Change.RESOLVED]
        return cls(
            failing=sum(1 for f in fs if f.status is Status.FAIL),
            new=sum(1 for f in fs if f.status is Status.FAIL and f.change is Change.NEW),
            to_confirm=sum(1 for f in fs if f.status is Status.MANUAL),
            unverified=sum(1 for f in fs if f.status is Status.ERROR),
        )

    @property
    def anything(self) -> bool:
        return bool(self.failing or self.to_confirm or self.unverified)

    def summary(self, every_check: bool = True, lang: Language = ENGLISH_COPY) -> str:
        """ "2 to fix, 1 new, 3 to confirm": for a subject, in one language (`lang.each` makes a bilingual one)."""
        _ = lang._
        parts = []
        if self.failing:
            parts.append(_("%(num)d to fix") % {"num": self.failing})
            if self.new:
                parts.append(_("%(num)d new") % {"num": self.new})
        if self.to_confirm:
            parts.append(_("%(num)d to confirm") % {"num": self.to_confirm})
        if self.unverified:
            parts.append(_("%(num)d not verified") % {"num": self.unverified})
        if parts:
            return ", ".join(parts)
        return _("nothing to fix") if every_check else _("nothing found by the checks run")


@dataclass(frozen=True)
class Routing:
    """When a report email is due: `last_queued(kind)` is when the last one of that kind was queued (None: never)."""

    cfg: Email
    last_queued: Callable[[str], dt.datetime | None]
    now: dt.datetime
    full: bool

    def why_not(self, kind: str, changed: bool, counts: Counts) -> str | None:
        """None when the email is to be sent now; else the reason it is not, as recorded and shown by `history`."""
        if changed or self.cfg.send_when_unchanged:
            return None
        if not counts.anything:
            return "nothing changed since the last audit, and nothing is open, to confirm or not verified"
        last = self.last_queued(kind)
        if last is None:  # never told of what it holds: the first report goes, whatever the run
            return None
        if not self.full:
            return "nothing changed since the last audit; reminders come from full audits only"
        every = dt.timedelta(days=self.cfg.remind_every_days)
        if self.now - last >= every:
            return None
        return (
            f"nothing changed since the last audit; the last report went on {last:%d %b %Y} and the next reminder is "
            f"due from {last + every:%d %b %Y}"
        )

    def reminder(self, kind: str, changed: bool, lang: Language = ENGLISH_COPY) -> str:
        """What the subject adds when the email goes only because the reminder is due, so nobody looks for news."""
        if changed or self.cfg.send_when_unchanged or self.last_queued(kind) is None:
            return ""
        return " " + lang._("(reminder: nothing changed)")


def owner_copies(dept: DepartmentView, config: Config) -> tuple[str, ...]:
    """With `[email] copy_owners`: the owners of the department's accounts, at the school's domain, head left out."""
    cfg = config.email
    if cfg is None or not cfg.copy_owners:
        return ()
    owners = (a.outcome.account.owner for a in dept.accounts)
    return tuple(
        dict.fromkeys(
            o.strip()
            for o in owners
            if o and o.strip() != dept.head_email and on_domain(o.strip(), config.school.email_domain)
        )
    )


def report_emails(
    views: Views,
    config: Config,
    result: RunResult,
    last_queued: Callable[[str], dt.datetime | None] = lambda kind: None,
    now: dt.datetime | None = None,
) -> tuple[list[Outgoing], list[Delivery]]:
    """The department and school emails of a run, and the ones not sent (with the reason)."""
    cfg = config.email
    assert cfg is not None
    routing = Routing(cfg, last_queued, now or dt.datetime.now(dt.UTC), result.scope.full)
    lang = views.lang
    text_env = text_environment(lang)
    common = {**views.common, "email": True}
    outgoing: list[Outgoing] = []
    skipped: list[Delivery] = []
    # A partial run says so before anything else in the subject: its counts are not the whole picture.
    full, every = result.scope.full, result.scope.every_check
    for dept in views.departments:
        if not dept.head_email:
            continue
        to = (dept.head_email,)
        cc = owner_copies(dept, config)
        kind = f"department:{dept.name}"
        counts = Counts.of(f for a in dept.accounts for f in a.findings)
        changed = department_changed(dept)
        why = routing.why_not(kind, changed, counts)
        subject = lang.each(
            partial(
                _department_subject,
                school=config.school.name,
                department=dept.name,
                counts=counts,
                every=every,
                full=full,
                reminder=partial(routing.reminder, kind, changed),
            )
        )
        if why is not None:
            skipped.append(Delivery(kind, (*to, *cc), header_text(subject), "skipped", 0, why))
            continue
        handles = {bare_handle(a.outcome.account.handle) for a in dept.accounts}
        expired = [w for w in views.expired if bare_handle(w.account) in handles]
        html = email_html(render_department(views, dept, email=True))
        attachment = None
        text_ctx = {**common, "department": dept, "expired_waivers": expired}
        if len(html.encode("utf-8")) > cfg.max_kb * 1024:
            attachment = (f"{dept.page}-full-report.html", html)
            html = email_html(render_department(views, dept, email=True, compact=True))
        text = text_env.get_template("department.txt").render(text_ctx, compact=attachment is not None)
        message = build_message(cfg, to, subject, text, html, attachment, cc=cc, language=lang.content_language)
        outgoing.append(Outgoing(kind, (*to, *cc), message))

    if cfg.slt and not result.scope.full:
        # A school summary of part of the school would read as the whole: senior leaders get it from full audits only.
        subject = lang.each(lambda part: _school_subject(part, config.school.name, None))
        why = f"a partial run is no school summary ({result.scope.note})"
        skipped.append(Delivery("school", cfg.slt, header_text(subject), "skipped", 0, why))
    elif cfg.slt:
        school = views.school
        counts = Counts.of(result.findings)
        changed = any(_is_change(f) for f in result.findings)
        why = routing.why_not("school", changed, counts)
        subject = lang.each(
            lambda part: (
                _school_subject(part, config.school.name, counts.summary(True, part))
                + routing.reminder("school", changed, part)
            )
        )
        if why is None:
            html = email_html(render_index(views, email=True))
            attachment = None
            if len(html.encode("utf-8")) > cfg.max_kb * 1024:
                attachment = ("school-summary-full-report.html", html)
                html = email_html(render_index(views, email=True, compact=True))
            text = text_env.get_template("index.txt").render(
                common,
                accounts=views.accounts,
                departments=views.departments,
                sections=school,
                expired_waivers=views.expired,
            )
            outgoing.append(
                Outgoing(
                    "school",
                    cfg.slt,
                    build_message(cfg, cfg.slt, subject, text, html, attachment, language=lang.content_language),
                )
            )
        else:
            skipped.append(Delivery("school", cfg.slt, header_text(subject), "skipped", 0, why))
    return outgoing, skipped


def _department_subject(
    lang: Language,
    school: str,
    department: str,
    counts: Counts,
    every: bool,
    full: bool,
    reminder: Callable[[Language], str],
) -> str:
    values = {"school": school, "department": department, "summary": counts.summary(every, lang)}
    if full:
        text = lang._("%(school)s social media audit: %(department)s: %(summary)s") % values
    else:
        text = lang._("%(school)s PARTIAL social media audit: %(department)s: %(summary)s") % values
    return text + reminder(lang)


def _school_subject(lang: Language, school: str, summary: str | None) -> str:
    """The school summary's subject; without a summary, the partial run's (which is not sent)."""
    if summary is None:
        return lang._("%(school)s PARTIAL social media audit: school summary") % {"school": school}
    return lang._("%(school)s social media audit: school summary: %(summary)s") % {"school": school, "summary": summary}
