"""SMP-2.5: links to external sites from the account are appropriate and safe.

Every link in the profile, the posts and the comments gets a verdict from the link safety engine (`auditor.links`);
each problem link is one finding, so it keeps its id run after run. Links that could not be verified are gathered
into one finding per account (never a pass), so an offline run does not bury the report in them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from auditor.checks import CheckContext, check
from auditor.links.hosts import BadUrl, normalise
from auditor.links.verdicts import LinkVerdict, Verdict
from auditor.model import Evidence, Result, Severity, Status
from auditor.urls import find_urls, host_of

SEVERITY = {
    Verdict.UNSAFE: Severity.CRITICAL,
    Verdict.INAPPROPRIATE: Severity.HIGH,
    Verdict.SUSPICIOUS: Severity.MEDIUM,
    Verdict.BROKEN: Severity.MEDIUM,
    Verdict.INSECURE: Severity.LOW,
}
_SHOWN_UNVERIFIED = 5


@dataclass(frozen=True)
class _Occurrence:
    url: str  # as published (the expanded target where the platform gave one)
    where: str  # words for the reason: "Post 123", "The profile", "A comment on post 123"
    subject_prefix: str  # "profile", "post:123", "post:123:comment:9"
    permalink: str | None
    post_id: str | None


def _occurrences(ctx: CheckContext) -> list[_Occurrence]:
    assert ctx.data is not None
    found: list[_Occurrence] = []
    profile = ctx.data.profile
    profile_urls: list[str] = []
    if profile.website is not None and profile.website.url:
        profile_urls.append(profile.website.target)
    profile_urls.extend(link.target for link in profile.links)
    known = {link.url for link in (profile.website, *profile.links) if link is not None}
    profile_urls.extend(u for u in find_urls(profile.bio or "") if u not in known)
    for url in dict.fromkeys(profile_urls):
        found.append(_Occurrence(url, "The profile", "profile", profile.url, None))
    for post in ctx.data.posts:
        covered = {link.url for link in post.links} | {link.target for link in post.links}
        # A platform that gives every link and shortens the ones it shows (Bluesky) says so: its text is not read.
        in_text = [u for u in find_urls(post.text) if u not in covered] if post.links_from_text else []
        if post.media:
            # X writes a t.co address for the post's own photo or video into the text; it is not an external link.
            in_text = [u for u in in_text if host_of(u) != "t.co"]
        urls = [link.target for link in post.links] + in_text
        for url in dict.fromkeys(urls):
            found.append(_Occurrence(url, f"Post {post.id}", f"post:{post.id}", post.url, post.id))
        for comment in post.comments:
            by = f" by {comment.author}" if comment.author else ""
            marked = [link.target for link in comment.links]
            known = {*marked, *(link.url for link in comment.links)}
            written = [u for u in find_urls(comment.text) if u not in known] if comment.links_from_text else []
            for url in dict.fromkeys(marked + written):
                found.append(
                    _Occurrence(
                        url,
                        f"A comment{by} on post {post.id}",
                        f"post:{post.id}:comment:{comment.id}",
                        comment.url or post.url,
                        post.id,
                    )
                )
    return found


def _key(url: str) -> str:
    try:
        return normalise(url).url
    except BadUrl:
        return url.strip()


def _evidence_text(v: LinkVerdict) -> str:
    parts = [f"verdict: {v.verdict}", f"source: {v.source}"]
    if v.list_version:
        parts.append(f"list of {v.list_version}")
    if v.entry:
        parts.append(f"matched: {v.entry}")
    if len(v.chain) > 1:
        parts.append("redirects: " + " -> ".join(v.chain))
    if v.status_code is not None:
        parts.append(f"HTTP {v.status_code}")
    if v.cached:
        parts.append("from the verdict cache")
    return "; ".join(parts)


@check(
    clause="SMP-2.5",
    severity=Severity.HIGH,
    severities=(Severity.CRITICAL, Severity.MEDIUM, Severity.LOW),
    title="Links to external sites are appropriate and safe",
    failure_title="A link leads to a site that is unsafe, unsuitable, broken or insecure",
    remediation=(
        "Open the post, comment or profile named in the finding, using the link in the report.",
        "If the link is unsafe, inappropriate or suspicious: delete the post (on X: ... > Delete; on Facebook: ... > "
        "Delete post), or hide or delete the comment, or remove the link from the profile (Edit profile).",
        "If the link is broken, or uses plain http: edit or repost it with the working https:// address.",
        "If you believe the link is fine, ask the monitoring lead to add a waiver with the reason.",
        "Tell a member of SLT about any unsafe link that pupils may already have opened.",
    ),
    needs=("profile", "posts", "comments"),
)
def external_safe(ctx: CheckContext) -> Iterator[Result]:
    assert ctx.data is not None
    # One finding per place and address: the same link written two ways in one post (`https://example.org/a` beside
    # `example.org/a`, or `/page` and `/page#part`) is one subject, so the id and the finding are made from one value.
    unique: dict[tuple[str, str], _Occurrence] = {}
    for found in _occurrences(ctx):
        unique.setdefault((found.subject_prefix, _key(found.url)), found)
    occurrences = list(unique.values())
    if not occurrences:
        yield Result(Status.PASS, "The account has no links to external sites.", "links")
        return
    engine = ctx.services.links
    if engine is None:
        yield Result(
            Status.ERROR,
            f"Not verified: {len(occurrences)} links were found but the link safety engine was not available.",
            "links:unverified",
        )
        return
    verdicts = engine.judge_many(o.url for o in occurrences)
    unverified: list[tuple[_Occurrence, LinkVerdict]] = []
    failing = 0
    for occurrence in occurrences:
        verdict = verdicts[occurrence.url]
        if verdict.verdict is Verdict.OK:
            continue
        if verdict.verdict is Verdict.UNVERIFIED:
            unverified.append((occurrence, verdict))
            continue
        failing += 1
        yield Result(
            Status.FAIL,
            f"{occurrence.where} links to {occurrence.url}, judged {verdict.verdict}: {verdict.reason}",
            f"{occurrence.subject_prefix}:link:{_key(occurrence.url)}",
            Evidence(
                url=occurrence.permalink,
                post_id=occurrence.post_id,
                excerpt=_evidence_text(verdict),
                link=verdict.url,
            ),
            SEVERITY[verdict.verdict],
        )
    total = len({_key(o.url) for o in occurrences})
    if unverified:
        yield _unverified_result(unverified, total)
    problem = getattr(engine, "list_problem", None)
    # Links judged ok after opening them were never compared with the category lists: that half is not verified.
    opened = {v.url for v in verdicts.values() if v.verdict is Verdict.OK and v.source in ("fetch", "cache")}
    if problem and opened:
        yield Result(
            Status.ERROR,
            f"Not verified: {len(opened)} links open and are safe as far as could be checked, but the category "
            f"blocklists were not used because {problem}, so whether they are appropriate is unknown.",
            "links:blocklists",
        )
    if not failing and not unverified and not (problem and opened):
        age = _list_age(engine, ctx)
        yield Result(Status.PASS, f"{total} links checked, all safe{age}.", "links")


def _unverified_result(unverified: list[tuple[_Occurrence, LinkVerdict]], total: int) -> Result:
    by_url = {v.url: v for _, v in unverified}
    urls = list(by_url)
    shown = urls[:_SHOWN_UNVERIFIED]
    more = f" and {len(urls) - len(shown)} more" if len(urls) > len(shown) else ""
    if all(v.source == "offline" for v in by_url.values()):
        reason = (
            f"Not verified: {len(urls)} of {total} links were not opened because the audit ran offline, so they are "
            f"not counted as safe: {', '.join(shown)}{more}."
        )
    elif all(v.source == "network" for v in by_url.values()):
        # One cause for all of them: say it once, plainly, rather than once a link.
        reason = (
            f"Not verified: the network was unavailable during the audit (name lookups failed even for sites that "
            f"always exist), so {len(urls)} of {total} links could not be checked; they are not counted as safe, nor "
            f"as broken: {', '.join(shown)}{more}."
        )
    else:
        details = "; ".join(f"{u} ({by_url[u].reason.removeprefix('Not verified: ').rstrip('.')})" for u in shown)
        reason = f"Not verified: {len(urls)} of {total} links could not be checked, so they are not counted as safe: "
        reason += f"{details}{more}."
    return Result(Status.ERROR, reason, "links:unverified", Evidence(link=urls[0]))


def _list_age(engine: object, ctx: CheckContext) -> str:
    lists = getattr(engine, "blocklists", None)
    oldest = lists.oldest() if lists is not None else None
    if oldest is None:
        return ""
    days = (ctx.now.date() - oldest).days
    return f" (category blocklists of {oldest.isoformat()}, {days} days old)"
