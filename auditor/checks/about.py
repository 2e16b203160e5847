"""SMP-2.8: the About or Info page links to the ICT Acceptable Use Policy on the school website."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks import CheckContext, Step, check
from auditor.model import Evidence, Link, Profile, Result, Severity, Status
from auditor.urls import find_urls, is_shortener, same_page


def about_links(profile: Profile) -> list[Link]:
    """Every link on the About page: the website field, the links the platform reports, and addresses in the bio."""
    links: list[Link] = []
    if profile.website is not None and profile.website.url:
        links.append(profile.website)
    links.extend(profile.links)
    known = {link.url for link in links}
    links.extend(Link(url) for url in find_urls(profile.bio or "") if url not in known)
    return links


@check(
    clause="SMP-2.8",
    severity=Severity.MEDIUM,
    title="The About page links to the ICT Acceptable Use Policy",
    failure_title="The About page does not link to the ICT Acceptable Use Policy",
    remediation=(
        "Open the account's profile and choose Edit profile.",
        Step("Open the Page's About section and choose Edit.", ("facebook",)),
        Step("Open YouTube Studio > Customisation > Basic info > Links.", ("youtube",)),
        Step("Open your profile > Edit profile > Bio (a Website field is offered to business accounts).", ("tiktok",)),
        "Paste the address of the school's ICT Acceptable Use Policy into the Website field, or into the bio.",
        "Save, then open the link from the profile to make sure it reaches the policy page.",
    ),
    needs=("profile",),
)
def aup_link(ctx: CheckContext) -> Iterator[Result]:
    assert ctx.data is not None
    profile = ctx.data.profile
    if profile.bio is None and profile.website is None and not profile.links:
        return  # this platform has no About page to hold a link
    aup = ctx.settings.aup_url
    links = about_links(profile)
    for link in links:
        if same_page(link.target, aup):
            yield Result(
                Status.PASS,
                f"The About page links to the ICT Acceptable Use Policy ({link.target}).",
                "profile",
                Evidence(url=profile.url, link=link.target),
            )
            return
    unexpanded = [link.url for link in links if link.expanded_url is None and is_shortener(link.url)]
    if unexpanded:
        how = "offline" if ctx.offline else "by this audit"
        yield Result(
            Status.ERROR,
            f"Not verified: the About page has the shortened link {unexpanded[0]}, which could not be expanded {how}, "
            f"so it is unknown whether it leads to the ICT Acceptable Use Policy ({aup}).",
            "profile",
            Evidence(url=profile.url, link=unexpanded[0], excerpt=(profile.bio or None)),
        )
        return
    found = ", ".join(link.target for link in links) if links else "no links at all"
    yield Result(
        Status.FAIL,
        f"The About page does not link to the ICT Acceptable Use Policy ({aup}); it has {found}.",
        "profile",
        Evidence(url=profile.url, excerpt=(profile.bio or None)),
    )
