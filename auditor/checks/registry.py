"""SMP-2.1 and SMP-2.2 as recorded in the school's register of accounts (config.toml), which the policy requires."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks import CheckContext, Step, check
from auditor.model import Result, Severity, Status

_CONFIG_STEP = "Tell whoever runs the auditor, so that the school's register of accounts records it"


@check(
    clause="SMP-2.1",
    severity=Severity.MEDIUM,
    title="The account is linked to an official school email address",
    failure_title="The account is not linked to a school email address",
    remediation=(
        "Sign in to the account and open its settings.",
        Step("Open Settings and privacy > Your account > Account information > Email.", ("x",)),
        Step("Open Settings > Accounts Center > Personal details > Contact info.", ("facebook", "instagram")),
        "Change the email address to your school address (or a department address on the school's domain) and "
        "confirm it from the message the platform sends.",
        f"{_CONFIG_STEP} (the owner's address).",
    ),
    needs=(),
)
def owner_school_email(ctx: CheckContext) -> Iterator[Result]:
    owner = ctx.account.owner
    domain = ctx.settings.email_domain
    if not owner:
        yield Result(Status.FAIL, f"No owner email address is recorded for {ctx.account.handle}.", "registry")
        return
    owner_domain = owner.rpartition("@")[2].lower()
    if owner_domain == domain or owner_domain.endswith("." + domain):
        yield Result(Status.PASS, f"The account is registered to {owner}, a school address.", "registry")
    else:
        yield Result(
            Status.FAIL,
            f"The account is registered to {owner}, which is not an address on the school's domain ({domain}).",
            "registry",
        )


@check(
    clause="SMP-2.2",
    severity=Severity.HIGH,
    title="The account was notified to the Head of Department or SLT",
    failure_title="There is no record that the Head of Department or SLT was told of the account",
    remediation=(
        "Email your Head of Department (or a member of SLT) the account's web address and username.",
        "Do not let pupils follow or use the account until they have acknowledged it.",
        f"{_CONFIG_STEP} (the date they were told).",
    ),
    needs=(),
)
def notified(ctx: CheckContext) -> Iterator[Result]:
    when = ctx.account.notified
    if when is None:
        yield Result(
            Status.FAIL,
            f"There is no record that {ctx.account.handle} was notified to the Head of Department or SLT.",
            "registry",
        )
    elif when > ctx.now.date():
        yield Result(
            Status.FAIL,
            f"The recorded notification date {when.isoformat()} is in the future, so it cannot be confirmed.",
            "registry",
        )
    else:
        yield Result(Status.PASS, f"The Head of Department or SLT was notified on {when.isoformat()}.", "registry")


@check(
    clause="SMP-2.2",
    severity=Severity.HIGH,
    title="The login is shared with the monitoring lead",
    failure_title="The login has not been shared with the monitoring lead",
    remediation=(
        "Give the account's username and password to the school's safety and monitoring lead in person or through "
        "the school's agreed secure method (never by ordinary email or on paper left out).",
        "Share the new password again whenever you change it.",
        f"{_CONFIG_STEP} (that the login is shared).",
    ),
    needs=(),
)
def credentials_shared(ctx: CheckContext) -> Iterator[Result]:
    shared = ctx.account.credentials_shared
    lead = ctx.settings.monitoring_lead
    if shared is True:
        yield Result(Status.PASS, f"The username and password have been shared with {lead}.", "registry")
    elif shared is False:
        yield Result(Status.FAIL, f"The username and password have not been shared with {lead}.", "registry")
    else:
        yield Result(
            Status.FAIL, f"There is no record that the username and password were shared with {lead}.", "registry"
        )
