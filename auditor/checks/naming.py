"""SMP-2.1: the username includes IHS, so that pages are easily identified."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks import CheckContext, check
from auditor.model import Evidence, Result, Severity, Status


def tag_in_username(tag: str, username: str) -> bool:
    """Whether `tag` stands out in `username` as its own part, as in HistoryIHS, IHS_Music, ihs_pe or historyihs.

    A tag hidden inside an ordinary word does not count: "Ihsan" would not tell a parent that the page is the
    school's.
    """
    t, u = tag.lower(), username.lower()
    start = u.find(t)
    while start != -1:
        end = start + len(t)
        before = username[start - 1] if start else ""
        after = username[end] if end < len(username) else ""
        # The tag must not run on into a lower-case word ("Ihsan"); it may be followed by a capital (IHSMusic).
        right_ok = not after.isalpha() or (after.isupper() and username[end - 1].isupper())
        # It must start its own part (IHS_PE, History_IHS, HistoryIHS), or be written in capitals, or end the name.
        left_ok = not before.isalpha() or (before.islower() and username[start].isupper())
        if right_ok and (left_ok or username[start:end] == tag.upper() or end == len(username)):
            return True
        start = u.find(t, start + 1)
    return False


@check(
    clause="SMP-2.1",
    severity=Severity.MEDIUM,
    title="The username includes IHS",
    remediation=(
        "Open the account's settings and choose to change the username (on X: Settings > Your account > Account "
        "information > Username).",
        "Pick a username that includes IHS, for example HistoryIHS or IHS_Music, and save it.",
        "Update the handle in the auditor's config.toml and tell your Head of Department the new address.",
    ),
)
def ihs_in_username(ctx: CheckContext) -> Iterator[Result]:
    assert ctx.data is not None
    username = ctx.data.profile.username
    if username is None:
        return  # the platform has no usernames (a blog feed): nothing to check
    tag = ctx.config.school.account_tag
    evidence = Evidence(url=ctx.data.profile.url)
    if tag_in_username(tag, username):
        yield Result(Status.PASS, f"The username @{username} includes {tag}.", "profile", evidence)
    else:
        yield Result(
            Status.FAIL,
            f"The username @{username} does not include {tag}, so people cannot tell it is a school account.",
            "profile",
            evidence,
        )
