"""Impersonation (SMP-2.2): accounts that look like the school's but are not in its register of accounts.

The policy asks that each school account be notified and registered (SMP-2.2), so an account using the school's name
or one imitating a registered account has not been: parents and pupils may take it for the school's. Where a platform
lets anyone search its accounts (Mastodon, Bluesky, YouTube), the live run searches it and lists each lookalike for
the monitoring lead to check; elsewhere, or in an --offline run, a person is asked to search. Only accounts whose
config entry says `lookalikes = "search"` are looked after this way: the search is off unless asked for.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks import CheckContext, check
from auditor.model import Evidence, Result, Severity, Status
from auditor.net.errors import FetchError
from auditor.text.lookalike import hidden_characters, visible


@check(
    clause="SMP-2.2",
    severity=Severity.MEDIUM,
    title="No unregistered account imitates the school's",
    failure_title="An account that is not registered looks like the school's",
    remediation=(
        "Open the account listed and decide whether it belongs to the school.",
        "If it is the school's, add it to the register of accounts (config.toml) and tell the Head of Department "
        "or SLT, as SMP-2.2 asks.",
        "If it is not, report it to the platform as impersonating the school (most platforms have a report option "
        "for impersonation on the profile), and tell the monitoring lead and SLT.",
        "If parents or pupils may have been misled by it, tell them through the school's own channels which accounts "
        "are the school's.",
    ),
    needs_data=False,
    severities=(Severity.INFO,),
)
def lookalike_accounts(ctx: CheckContext) -> Iterator[Result]:
    account = ctx.account
    if account.options.get("lookalikes") != "search":
        return
    where = ctx.source.site
    school = ctx.settings
    names = ", ".join(f"'{n}'" for n in dict.fromkeys((school.account_tag, school.school_name, account.handle)))
    finder = ctx.services.lookalikes
    if finder is None or not finder.searchable(account):
        why = "this run is offline" if ctx.offline else f"{where} has no public account search the auditor may use"
        yield Result(
            Status.MANUAL,
            f"Not searched ({why}): search {where} for accounts named {names} and tell the monitoring lead of any "
            "that are not in the school's register.",
            "lookalikes",
            severity=Severity.INFO,
        )
        return
    try:
        found = list(finder.lookalikes(account))
    except FetchError as exc:
        yield Result(Status.ERROR, f"Not checked: {where}'s account search failed ({exc}).", "lookalikes")
        return
    if not found:
        yield Result(
            Status.PASS,
            f"{where}'s account search for {names} found no unregistered account whose name looks like the school's "
            f"or {account.handle}.",
            "lookalikes",
        )
        return
    for item in found:
        # A stranger chooses these names: quoted, never copied whole into every report (evidence keeps its own cap).
        shown = _quoted(visible(item.handle))
        label = f"{shown} ({_quoted(visible(item.display_name))})" if item.display_name else shown
        hidden = (
            " Its name holds hidden characters, a sign of a disguised name."
            if hidden_characters(item.handle + item.display_name)
            else ""
        )
        yield Result(
            Status.MANUAL,
            f"{label} on {where} is not in the school's register and {item.why}: check whether it is the "
            f"school's.{hidden}",
            f"lookalike:{item.handle.casefold()}",
            evidence=Evidence(url=item.url, excerpt=visible(item.display_name) or shown),
        )


MAX_NAME = 100  # characters of a found account's handle or name quoted in a finding


def _quoted(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1].rstrip() + "…"
