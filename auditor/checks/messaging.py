"""SMP-2.7: no private direct messages with pupils. No platform lets an auditor read an account's private messages,
so this is a checklist item for a person, listed in every account report, never a pass."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks import CheckContext, Step, check
from auditor.model import Result, Severity, Status


@check(
    clause="SMP-2.7",
    severity=Severity.INFO,
    title="No private direct messages with pupils",
    failure_title="The account may hold private direct messages with pupils",
    remediation=(
        "Open the account's direct messages.",
        Step("Open Messages (the envelope icon).", ("x",)),
        Step("Open Meta Business Suite > Inbox.", ("facebook", "instagram")),
        "Check that no conversation with a pupil exists; if one does, stop replying, keep a copy and tell the "
        "Designated Safeguarding Lead.",
        "Where the platform allows it, turn off direct messages from people the account does not follow.",
    ),
    needs=(),
)
def no_private_dm(ctx: CheckContext) -> Iterator[Result]:
    yield Result(
        Status.MANUAL,
        f"Private messages cannot be read by the auditor: the owner of {ctx.account.handle} must confirm that it "
        "has no private conversations with pupils.",
        "dm",
    )
