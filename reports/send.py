"""After a run: queue its email in the store's outbox as part of announcing the run, then deliver whatever is queued.

Announcing a run is one transaction: the urgent alerts, the escalation to SLT of problems open too long, and the
department and school emails are built and queued, the emails not sent now are recorded with the reason, and the run
is marked announced. Should building fail (or the reports not
be written) the run stays unannounced, so its new problems are still new to the next run and reach people then.

Delivery then works through the outbox, oldest first, whichever run queued a message: a message that could not be
delivered (the mail server down, a login refused) stays queued and is tried again by the next run, until it is
delivered or `MAX_QUEUE_AGE` has passed. Alerts go first. Nothing here changes the audit's exit status.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from auditor.reports.alerts import alert_email, alert_groups, escalation_email, pending_alerts, pending_escalations
from auditor.reports.email import Delivery, Outgoing, SmtpTransport, Transport, deliver, header_text, report_emails
from auditor.reports.render import Views
from auditor.results import RunResult
from auditor.settings import Config
from auditor.store import Skipped, Store

log = logging.getLogger(__name__)

# A message not delivered within a week is given up (and `auditor status` has been saying so meanwhile): by then a
# newer report has replaced it.
MAX_QUEUE_AGE = dt.timedelta(days=7)


@dataclass
class Announced:
    """What announcing a run queued and decided not to send."""

    queued: list[Outgoing] = field(default_factory=list)
    skipped: list[Delivery] = field(default_factory=list)


def announce_run(
    result: RunResult,
    views: Views | None,
    config: Config,
    store: Store,
    *,
    email: bool,
    alerts_only: bool = False,
    now: dt.datetime | None = None,
) -> Announced:
    """Build the run's email (when `email`), queue it and mark the run announced, all or nothing.

    `alerts_only` for the frequent comment sweep: its partial view of the accounts is no report to send. A partial run
    never sends the school summary (see `report_emails`). `now` is the clock reminders and escalations are judged by
    (tests set it; a run uses the time it is announced)."""
    now = now or dt.datetime.now(dt.UTC)
    out = Announced()
    alerted: list[str] = []
    escalated: list[str] = []
    cfg = config.email
    if email and cfg is not None:
        for group in alert_groups(pending_alerts(result.findings, store)):
            message = alert_email(group, result.checks.get(group[0].check), config)
            if message is not None:
                out.queued.append(message)
                alerted.extend(f.id for f in group)
        if not alerts_only:
            overdue = pending_escalations(result.findings, store, cfg.escalate_after_days, now)
            message = escalation_email(overdue, result.checks, config, now)
            if message is not None:
                out.queued.append(message)
                escalated.extend(f.id for f in overdue)
        if not alerts_only and views is not None:
            outgoing, skipped = report_emails(views, config, result, store.last_queued, now)
            out.queued.extend(outgoing)
            out.skipped.extend(skipped)
    store.announce(
        result.id,
        [(o.kind, o.recipients, o.subject, o.message.as_bytes()) for o in out.queued],
        [Skipped(d.kind, d.recipients, d.subject, d.error or "") for d in out.skipped],
        alerted,
        escalated,
        at=now,
    )
    return out


def deliver_queued(
    config: Config,
    store: Store,
    transport: Transport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    environ: Mapping[str, str] | None = None,
    now: dt.datetime | None = None,
) -> list[Delivery]:
    """Try every queued message, alerts first; each outcome is recorded. When the mail server cannot be reached even
    after the retries, the rest wait for the next run rather than each waiting out the same retries."""
    cfg = config.email
    if cfg is None:
        return []
    env = os.environ if environ is None else environ
    transport = transport or SmtpTransport(cfg, env)
    secrets = [env.get(cfg.password_env, "")]
    now = now or dt.datetime.now(dt.UTC)
    queued = sorted(store.queued_email(), key=lambda q: (not q.kind.startswith("alert:"), q.id))
    results: list[Delivery] = []
    unreachable = False
    for q in queued:
        if now - q.queued_at > MAX_QUEUE_AGE:
            why = f"given up: not delivered within {MAX_QUEUE_AGE.days} days of being queued"
            log.warning("email %s to %s (run %s): %s", header_text(q.kind), ", ".join(q.recipients), q.run_id, why)
            store.email_tried(q.id, "expired", q.attempts, why)
            results.append(Delivery(q.kind, q.recipients, q.subject, "expired", q.attempts, why))
            continue
        if unreachable:
            results.append(Delivery(q.kind, q.recipients, q.subject, "failed", 0, "waiting: the mail server failed"))
            continue
        message = _fresh(q.message, now)
        [done] = deliver([Outgoing(q.kind, q.recipients, message)], transport, cfg, store, q.run_id, sleep, secrets)
        store.email_tried(q.id, "sent" if done.status == "sent" else "pending", q.attempts + done.attempts, done.error)
        results.append(done)
        # Retried and still failing: the server, not this message, is the problem.
        unreachable = done.status == "failed" and done.attempts > 1
    return results


def send_run(
    result: RunResult,
    views: Views,
    config: Config,
    store: Store,
    transport: Transport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    environ: Mapping[str, str] | None = None,
    alerts_only: bool = False,
    now: dt.datetime | None = None,
) -> list[Delivery]:
    """Announce the run with its email, then deliver the outbox: what `auditor run` does after writing the reports."""
    announced = announce_run(result, views, config, store, email=True, alerts_only=alerts_only, now=now)
    return [*deliver_queued(config, store, transport, sleep, environ), *announced.skipped]


def _fresh(raw: bytes, now: dt.datetime) -> EmailMessage:
    """The queued message as it is sent now: dated when it leaves, not when it was queued."""
    message = message_from_bytes(raw, _class=EmailMessage, policy=SMTP)
    del message["Date"]
    message["Date"] = format_datetime(now)
    return message
