"""Urgent alerts (SMP-2.6, and safeguarding): a critical finding about abusive comments or a child's safety is sent at
once to senior leaders and the department's head, with the permalink and the steps to remove and report it.

Each finding id is alerted once: the store remembers alerts that were delivered, so a problem still there tomorrow
appears in the reports but does not raise a second alert. An alert that could not be delivered is tried again next run.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor import __version__
from auditor.checks import Check
from auditor.config import Config
from auditor.model import Finding, Severity, Status
from auditor.policy import CLAUSES
from auditor.store import Store
from reports.email import Outgoing, build_message, email_html, header_text
from reports.render import environment, text_environment

URGENT_CHECKS = ("comments.inappropriate",)
URGENT_PREFIXES = ("safeguarding.",)

COMMENT_STEPS = (
    "Open the post at the link above and find the comment.",
    "Take a screenshot of the comment and who wrote it, for the safeguarding record. Do not forward or share it.",
    "Remove it: on X choose ··· then Hide reply (or Delete on your own post); on Facebook or Instagram choose ··· then "
    "Delete or Hide comment.",
    "Report it to the platform: ··· then Report, and choose the reason that fits (abuse, harassment, hate).",
    "Tell the Designated Safeguarding Lead today and record it, as SMP-2.6 asks: it must be reported to SLT.",
)
SAFEGUARDING_STEPS = (
    "Open the post at the link above.",
    "Delete the post now (··· then Delete). If a pupil's photo or details must stay, edit them out and post again.",
    "Tell the Designated Safeguarding Lead today; they decide whether parents must be told.",
)


def is_urgent(f: Finding) -> bool:
    urgent_check = f.check in URGENT_CHECKS or f.check.startswith(URGENT_PREFIXES)
    return urgent_check and f.status is Status.FAIL and f.severity is Severity.CRITICAL


def pending_alerts(findings: Iterable[Finding], store: Store) -> list[Finding]:
    """Urgent findings that have never been alerted (each once, however many runs still see it)."""
    seen: set[str] = set()
    out = []
    for f in findings:
        if is_urgent(f) and f.id not in seen and not store.alert_sent(f.id):
            seen.add(f.id)
            out.append(f)
    return out


def steps_for(f: Finding, check: Check | None) -> list[str]:
    base = COMMENT_STEPS if f.check in URGENT_CHECKS else SAFEGUARDING_STEPS
    extra = [s for s in (check.remediation if check else ()) if s not in base]
    return [*base, *extra]


def alert_email(f: Finding, check: Check | None, config: Config) -> Outgoing | None:
    """The alert for one finding, to SLT and the head of the finding's department; None when nobody is configured."""
    cfg = config.email
    assert cfg is not None
    dept = config.departments.get(f.department)
    recipients = tuple(dict.fromkeys([*cfg.slt, *([dept.head_email] if dept and dept.head_email else [])]))
    if not recipients:
        return None
    title = check.title if check else f.check
    clause = CLAUSES[f.clause].summary if f.clause in CLAUSES else f.clause
    ctx = {
        "f": f,
        "title": title,
        "clause": f"{f.clause}: {clause}",
        "steps": steps_for(f, check),
        "school": config.school,
        "version": __version__,
    }
    html = email_html(environment().get_template("alert.html").render(ctx))
    text = text_environment().get_template("alert.txt").render(ctx)
    subject = f"URGENT: {title} on {header_text(f.account, 60)} ({f.department})"
    return Outgoing(f"alert:{f.id}", recipients, build_message(cfg, recipients, subject, text, html))
