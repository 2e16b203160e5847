"""SMP-2.1: the username includes IHS, so that pages are easily identified."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.checks import CheckContext, CheckSettings, Step, check
from auditor.model import Evidence, Profile, Result, Severity, Status
from auditor.urls import host_of

_WORD = re.compile(r"\w+")


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
    failure_title="The username does not include IHS",
    remediation=(
        Step("Open Settings and privacy > Your account > Account information > Username.", ("x",)),
        Step("Open the Page, then Settings > Page setup > Name and username.", ("facebook",)),
        Step("Open your profile and tap Edit profile > Username.", ("instagram",)),
        Step("Open YouTube Studio > Customisation > Basic info > Handle.", ("youtube",)),
        Step("Open Settings > Account > Handle.", ("bluesky",)),
        Step("Open your profile > Edit profile > Username (TikTok allows a change once every 30 days).", ("tiktok",)),
        Step(
            "A Mastodon username cannot be changed: create a new account whose name includes IHS, then move your "
            "followers to it (Preferences > Account > Move to a different account).",
            ("mastodon",),
        ),
        Step(
            "A blog has no username: put IHS in its title instead (on Blogger: Settings > Basic > Title; on "
            "WordPress: Settings > General > Site Title).",
            ("feed",),
        ),
        "Choose a name that includes IHS, for example HistoryIHS or IHS_Music, and save it.",
        "Tell your Head of Department the new address, and whoever runs the auditor, so the register lists it.",
    ),
    needs=("profile",),
)
def ihs_in_username(ctx: CheckContext) -> Iterator[Result]:
    assert ctx.data is not None
    username = ctx.data.profile.username
    if username is None:
        yield _without_username(ctx.data.profile, ctx.settings)
        return
    tag = ctx.settings.account_tag
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


def _without_username(profile: Profile, school: CheckSettings) -> Result:
    """A platform without usernames (a blog's feed) is judged on what identifies it instead: its title and its
    address. Either carrying the tag or the school's name, or the address being on the school's own domain, passes;
    otherwise a person is asked to look, since the clause's test (a username) cannot be applied as written."""
    tag = school.account_tag
    title = (profile.display_name or "").strip()
    address = profile.website.target if profile.website is not None else profile.url or ""
    host = host_of(address)
    evidence = Evidence(url=profile.url, excerpt=title or None)
    if title and (
        tag_in_username(tag, title) or any(name in _words(title) for name in _school_names(school.school_name))
    ):
        return Result(
            Status.PASS, f'The account has no username; its title "{title}" names the school.', "profile", evidence
        )
    if host and any(tag_in_username(tag, label) for label in host.split(".")):
        return Result(
            Status.PASS, f"The account has no username; its address {host} includes {tag}.", "profile", evidence
        )
    if host and _on_school_domain(host, school):
        return Result(
            Status.PASS,
            f"The account has no username; its address {host} is on the school's own website.",
            "profile",
            evidence,
        )
    if not title and not host:
        return Result(
            Status.MANUAL,
            f"The account has no username, title or address to judge, so a person should check that readers can tell "
            f"it is a school account (SMP-2.1 asks for {tag} in the name).",
            "profile",
            evidence,
        )
    parts = [f'its title "{title}"' if title else "", f"its address {host}" if host else ""]
    both = f"neither {parts[0]} nor {parts[1]} includes"
    found = both if all(parts) else f"{parts[0] or parts[1]} does not include"
    return Result(
        Status.MANUAL,
        f"The account has no username, and {found} {tag} or {school.school_name}, so a person should check that "
        f"readers can tell it is a school account (for example with {tag} in its title).",
        "profile",
        evidence,
    )


def _words(text: str) -> str:
    """Text as its words, lower case, one space apart and one at each end, to look for a name as whole words."""
    return f" {' '.join(_WORD.findall(text.casefold()))} "


def _school_names(name: str) -> list[str]:
    """The school's name as a title may write it: in full, or without a last word "School" ("Islwyn High")."""
    full = _words(name)
    names = [full]
    rest = full.removesuffix(" school ")
    if rest != full and len(rest.split()) >= 2:
        names.append(f"{rest} ")
    return names


def _on_school_domain(host: str, school: CheckSettings) -> bool:
    domains = {host_of(school.website or "").removeprefix("www."), school.email_domain.lower()}
    return any(d and (host == d or host.endswith(f".{d}")) for d in domains)
