"""After a run: send the urgent alerts first, then the department and school emails, and record every outcome.

Called by `auditor run` unless --no-email or the config has no [email] section. Nothing here can undo the run: the
findings are already stored and the reports written before the first message is built.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping

from auditor.config import Config
from auditor.runner import RunResult
from auditor.store import Store
from reports.alerts import alert_email, pending_alerts
from reports.email import Delivery, SmtpTransport, Transport, deliver, report_emails
from reports.render import Views


def send_run(
    result: RunResult,
    views: Views,
    config: Config,
    store: Store,
    transport: Transport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    environ: Mapping[str, str] | None = None,
    alerts_only: bool = False,
) -> list[Delivery]:
    """`alerts_only` for the frequent comment sweep: its partial view of the accounts is no report to send."""
    cfg = config.email
    if cfg is None:
        return []
    env = os.environ if environ is None else environ
    transport = transport or SmtpTransport(cfg, env)
    secrets = [env.get(cfg.password_env, "")]

    alerts = []
    for finding in pending_alerts(result.findings, store):
        message = alert_email(finding, result.checks.get(finding.check), config)
        if message is not None:
            alerts.append((finding, message))
    sent = deliver([m for _, m in alerts], transport, cfg, store, result.id, sleep, secrets)
    for (finding, _), outcome in zip(alerts, sent, strict=True):
        if outcome.status == "sent":
            store.record_alert(finding.id, result.id)

    if alerts_only:
        return sent
    outgoing, skipped = report_emails(views, config, result)
    for item in skipped:
        store.record_delivery(result.id, item.kind, item.recipients, item.subject, item.status, 0, item.error)
    return [*sent, *deliver(outgoing, transport, cfg, store, result.id, sleep, secrets), *skipped]
