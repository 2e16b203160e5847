"""Urgent alerts (SMP-2.6, and safeguarding) and escalations.

An urgent alert goes at once to senior leaders, the department's head, the monitoring lead and the Designated
Safeguarding Lead: an abusive comment, a pupil named or a child's photo without consent, personal information. It says
what was found in plain words ("a threat", "abusive language", "personal information"), quotes the text with any
offensive word masked, and gives numbered steps for the finding's own platform only.

Each finding id is alerted once: announcing a run records the alerts it queued (`alerts_sent`), so a problem still
there tomorrow appears in the reports but raises no second alert; the outbox delivers it even if the mail server is
down tonight. A critical or high problem still open `[email] escalate_after_days` after it was first seen is escalated
to SLT, once per finding id (`escalations_sent`), in one email per run listing every problem that reached the limit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from auditor import __version__, platforms
from auditor.checks import Check
from auditor.model import Finding, Severity, Status
from auditor.policy import CLAUSES
from auditor.reports.email import Outgoing, build_message, email_html, header_text
from auditor.reports.i18n import N_, Language, language
from auditor.reports.render import ENGLISH_COPY, environment, text_environment
from auditor.settings import Config
from auditor.store import Store
from auditor.text import pii, wordlists
from auditor.text.abuse import detector

COMMENTS = "comments.inappropriate"
PUPIL_NAMED = "safeguarding.pupil_named"
CHILD_PHOTO = "safeguarding.child_photo_consent"
PERSONAL_INFO = "safeguarding.personal_info"
# The least severe FAIL of each check that is urgent. The safeguarding checks top out at high, and a pupil named
# without consent (medium, high beside a photo) must reach the safeguarding lead the same day. A comment only the
# trained model flags (medium) waits for the report, as the comments check intends: a person reads it and decides.
URGENT_FROM = {
    COMMENTS: Severity.HIGH,
    PUPIL_NAMED: Severity.MEDIUM,
    CHILD_PHOTO: Severity.MEDIUM,
    PERSONAL_INFO: Severity.MEDIUM,
}
ESCALATE_FROM = Severity.HIGH
MAX_LISTED = 30  # places quoted in one alert; the account's report lists them all
# Categories whose words are masked in an alert. A threat is quoted as written: whoever reads it must judge it.
_MASKED = frozenset(wordlists.CATEGORIES) - {"threat", "political", "alcohol", "rant", "spam"}
_ABUSIVE = ("hate", "profanity", "sexual", "mockery", "mild-profanity")
_PII_KINDS = (pii.PHONE, pii.EMAIL, pii.ADDRESS, pii.POSTCODE, pii.DATE_OF_BIRTH, pii.UPN, pii.NHS_NUMBER)

DSL = "the Designated Safeguarding Lead"
_TELL_COMMENT = N_(
    "Tell the Designated Safeguarding Lead today and record it; SMP-2.6 asks for it to be reported to SLT."
)
_TELL_FAMILY = N_("Tell the Designated Safeguarding Lead today; they decide whether the family must be told.")


@dataclass(frozen=True)
class Platform:
    """How to do the urgent things on one platform, in its own words."""

    name: str
    remove_comment: str
    report_comment: str
    delete_post: str
    edit_profile: str
    block: str | None = None  # for someone who keeps posting, where it is not already the way to remove a comment


_X = Platform(
    N_("X"),
    N_("Remove it from view: on your own post choose ··· on the reply, then Hide reply."),
    N_(
        "Report it to X: ··· on the reply, then Report post, and choose the reason that fits (abuse, harassment, hate)."
    ),
    N_("Delete the post: ··· on the post, then Delete."),
    N_("Edit the profile: Profile, then Edit profile, and remove it from the bio."),
    N_("If the person keeps posting, block them: ··· on the reply, then Block."),
)
PLATFORMS: dict[str, Platform] = {
    "x": _X,
    "facebook": Platform(
        N_("Facebook"),
        N_(
            "Remove it: ··· beside the comment, then Hide comment (only its author and friends still see it) or Delete."
        ),
        N_("Report it to Facebook: ··· beside the comment, then Report comment, and choose the reason that fits."),
        N_("Delete the post: ··· at the top of the post, then Delete post."),
        N_("Edit the Page: Edit Page info (About), and remove it."),
        N_("If the person keeps posting, ban them from the Page: their name, then Ban from Page."),
    ),
    "instagram": Platform(
        N_("Instagram"),
        N_("Remove it: press and hold the comment (swipe left on an iPhone), then tap the bin to delete it."),
        N_("Report it to Instagram: press and hold the comment, tap (!) Report, and choose the reason that fits."),
        N_("Delete the post: ··· above the post, then Delete."),
        N_("Edit the profile: Edit profile, and remove it from the bio."),
        N_("If the person keeps posting, block them: their profile, ···, then Block."),
    ),
    "youtube": Platform(
        N_("YouTube"),
        N_("Remove it: ⋮ beside the comment, then Remove (in YouTube Studio: Comments)."),
        N_("Report it to YouTube: ⋮ beside the comment, then Report, and choose the reason that fits."),
        N_("Delete the video: YouTube Studio, Content, the video's ⋮ Options, then Delete forever."),
        N_("Edit the channel: YouTube Studio, Customisation, Basic info, and remove it from the description."),
        N_(
            "If the person keeps posting, hide them from the channel: ⋮ beside their comment, then Hide user from "
            "channel."
        ),
    ),
    "mastodon": Platform(
        N_("Mastodon"),
        N_(
            "Stop it being seen from the account: ··· on the reply, then Block (Mastodon does not let you delete "
            "someone else's reply)."
        ),
        N_(
            "Report it to your server's moderators, who can remove it: ··· on the reply, then Report, and choose the "
            "reason that fits."
        ),
        N_(
            "Delete the post: ··· on the post, then Delete (or Delete & re-draft to post it again without the details)."
        ),
        N_("Edit the profile: Edit profile, and remove it from the bio."),
    ),
    "bluesky": Platform(
        N_("Bluesky"),
        N_("Remove it from the thread: ··· on the reply, then Hide reply for everyone."),
        N_("Report it to Bluesky: ··· on the reply, then Report post, and choose the reason that fits."),
        N_("Delete the post: ··· on the post, then Delete post."),
        N_("Edit the profile: Edit Profile, and remove it from the description."),
        N_("If the person keeps posting, block them: ··· on their profile, then Block account."),
    ),
    # Threads (issue 15)
    "threads": Platform(
        N_("Threads"),
        N_("Remove it: ··· on the reply, then Delete (a reply under your own thread), or Hide reply."),
        N_("Report it to Threads: ··· on the reply, then Report, and choose the reason that fits."),
        N_("Delete the post: ··· on the post, then Delete."),
        N_("Edit the profile: Profile, then Edit profile, and remove it from the bio."),
        N_("If the person keeps posting, block them: ··· on their profile, then Block."),
    ),
    "feed": Platform(
        N_("the school website"),
        N_("Remove the comment in the website's editor (comments or moderation page)."),
        N_("Keep the screenshot for the record: a website comment has no platform to report it to."),
        N_("Unpublish or edit the post in the website's editor."),
        N_("Edit the page in the website's editor and remove it."),
    ),
}


def is_urgent(f: Finding) -> bool:
    """An unwaived FAIL of a comment or safeguarding check, at or above the check's urgent severity."""
    least = URGENT_FROM.get(f.check)
    return least is not None and f.status is Status.FAIL and f.severity.rank <= least.rank


def pending_alerts(findings: Iterable[Finding], store: Store) -> list[Finding]:
    """Urgent findings that have never been alerted (each once, however many runs still see it)."""
    seen: set[str] = set()
    out = []
    for f in findings:
        if is_urgent(f) and f.id not in seen and not store.alert_sent(f.id):
            seen.add(f.id)
            out.append(f)
    return out


def found(f: Finding) -> list[str]:
    """What the finding found, in the words of the alert's subject: "a threat", "abusive language", ... (in English:
    `Language._` translates each)."""
    if f.check == PUPIL_NAMED:
        if "photo" in f.reason:
            return [N_("a pupil named without consent beside a photo")]
        return [N_("a pupil named without consent")]
    if f.check == CHILD_PHOTO:
        return [N_("a child's photo without confirmed consent")]
    if f.check == PERSONAL_INFO:
        return [N_("personal information")]
    reason = f.reason.lower()
    out = []
    if _mentions(reason, wordlists.CATEGORIES["threat"][1]):
        out.append(N_("a threat"))
    if any(_mentions(reason, wordlists.CATEGORIES[c][1]) for c in _ABUSIVE):
        out.append(N_("abusive language"))
    if any(_mentions(reason, kind) for kind in _PII_KINDS):
        out.append(N_("personal information"))
    if "name of a pupil" in reason:
        out.append(N_("a pupil's name"))
    return out or [N_("an inappropriate comment")]


def _mentions(reason: str, description: str) -> bool:
    return re.search(rf"\b{re.escape(description.lower())}\b", reason) is not None


def masked(text: str) -> str:
    """The text with each offensive word (but not a threat) shown as its first letter then asterisks: "f******" for
    "f*cking", so the alert says what was written without printing it, however it was disguised."""
    spans = [(m.start, m.end) for m in detector().find(text) if m.category in _MASKED]
    out = list(text)
    for start, end in spans:
        first = True
        for i in range(start, end):
            if out[i].isspace():
                continue
            if first and out[i].isalnum():
                first = False
                continue
            out[i] = "*"
    return "".join(out)


def where(f: Finding, lang: Language = ENGLISH_COPY) -> str:
    """The thing the finding is about: "a comment", "a post" or "the profile"."""
    if f.check == COMMENTS:
        return lang._("a comment")
    return lang._("a post") if f.evidence.post_id else lang._("the profile")


def _steps_platform(platform: str) -> Platform | None:
    """Whose urgent steps apply, by the platform's family in the registry (an X archive's account is on X)."""
    spec = platforms.get(platform)
    return PLATFORMS.get(spec.steps_family if spec is not None else platform)


def steps_for(f: Finding, lang: Language = ENGLISH_COPY) -> list[str]:
    """Numbered steps for the finding's own platform, each once; bilingual, each step in Welsh then in English."""
    if lang.bilingual:
        welsh, english = lang.parts()
        return [
            f"{cy}\n{en}" if cy != en else en for cy, en in zip(steps_for(f, welsh), steps_for(f, english), strict=True)
        ]
    _ = lang._
    p = _steps_platform(f.platform) or PLATFORMS["feed"]
    record = _("Take a screenshot of it and of who wrote it, for the safeguarding record. Do not forward or share it.")
    if f.check == COMMENTS:
        steps = [_("Open the comment at the link above."), record, _(p.remove_comment), _(p.report_comment)]
        steps.append(_(_TELL_COMMENT))
        return list(dict.fromkeys([*steps, *([_(p.block)] if p.block else [])]))
    remove = _(p.delete_post if f.evidence.post_id else p.edit_profile)
    steps = [_("Open it at the link above.")]
    if f.check == CHILD_PHOTO:
        steps += [
            _(
                "Look at who can be recognised in the photo or video, and check with the school office that each "
                "child has written parental consent for photos."
            ),
            _("If any child lacks consent: %(remove)s Post it again with a photo without them.")
            % {"remove": remove[:1].lower() + remove[1:]},
            _(
                "If every child has consent, ask the monitoring lead to record it in the auditor's settings, so this "
                "is not asked again."
            ),
        ]
    elif f.check == PUPIL_NAMED:
        steps += [
            remove,
            _(
                "If it is still wanted, post it again with the pupil's first name only, or no name (\"one of our "
                'Year 9 pupils"), and never a name beside a photo.'
            ),
            _("If consent has since been given, ask the school office to update the roster."),
        ]
    else:
        steps += [
            remove,
            _(
                "If the message is still needed, post it again without the personal details: give the school "
                "office's number or address instead."
            ),
        ]
    steps.append(_(_TELL_FAMILY))
    return list(dict.fromkeys(steps))


def alert_recipients(f: Finding, config: Config) -> tuple[str, ...]:
    cfg = config.email
    assert cfg is not None
    dept = config.departments.get(f.department)
    head = [dept.head_email] if dept and dept.head_email else []
    return tuple(dict.fromkeys([*cfg.slt, *head, *config.school.alert_recipients]))


def alert_groups(findings: Iterable[Finding]) -> list[list[Finding]]:
    """Urgent findings of one check on one account, together: a first audit of an account's whole history may find
    dozens of photos with faces, and the safeguarding lead needs one alert listing them, not dozens of alerts."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.account_key, f.check), []).append(f)
    return list(groups.values())


def _places(f: Finding, n: int, lang: Language = ENGLISH_COPY) -> str:
    """ "a comment", "3 comments", "a post", "the profile", "4 posts": for the subject and the heading."""
    if n == 1:
        return where(f, lang)
    if f.check == COMMENTS:
        return lang.ngettext("%(num)d comment", "%(num)d comments", n) % {"num": n}
    return lang.ngettext("%(num)d post", "%(num)d posts", n) % {"num": n}


def _what(findings: Sequence[Finding], lang: Language) -> str:
    """ "a threat and abusive language": what the alert found, in one language."""
    return lang._(" and ").join(dict.fromkeys(lang._(category) for f in findings for category in found(f)))


def alert_email(findings: Sequence[Finding], check: Check | None, config: Config) -> Outgoing | None:
    """One alert for urgent findings of one check on one account (usually one finding); None when nobody is
    configured to receive it. At most MAX_LISTED places are quoted; the reports list them all."""
    cfg = config.email
    assert cfg is not None
    first = findings[0]
    recipients = alert_recipients(first, config)
    if not recipients:
        return None
    lang = language(config.school.language)

    def headline(part: Language) -> str:
        what = _what(findings, part)
        text = part._("%(what)s in %(places)s") % {"what": what, "places": _places(first, len(findings), part)}
        return text[:1].upper() + text[1:]

    def subject(part: Language) -> str:
        return part._("URGENT: %(what)s in %(places)s on %(account)s (%(department)s)") % {
            "what": _what(findings, part),
            "places": _places(first, len(findings), part),
            "account": header_text(first.account, 60),
            "department": first.department,
        }

    title = lang._(check.failure_title) if check else first.check
    clause = CLAUSES[first.clause].summary if first.clause in CLAUSES else first.clause
    items = [
        {
            "f": f,
            "reason": masked(f.reason),
            "excerpt": masked(f.evidence.excerpt) if f.evidence.excerpt else None,
        }
        for f in findings[:MAX_LISTED]
    ]
    ctx = {
        "f": first,
        "items": items,
        "more": max(0, len(findings) - MAX_LISTED),
        "headline": lang.each(headline),
        "title": title,
        "clause": f"{first.clause}: {clause}",
        "platform": lang._(p.name) if (p := _steps_platform(first.platform)) else first.platform,
        "steps": _merged_steps(findings, lang),
        "references": ", ".join(f.id for f in findings),
        "school": config.school,
        "version": __version__,
        "lang": lang,
    }
    html = email_html(environment(lang).get_template("alert.html").render(ctx))
    text = text_environment(lang).get_template("alert.txt").render(ctx)
    kind = f"alert:{first.id}" + (f"+{len(findings) - 1}" if len(findings) > 1 else "")
    message = build_message(cfg, recipients, lang.each(subject), text, html, language=lang.content_language)
    return Outgoing(kind, recipients, message)


def _merged_steps(findings: Sequence[Finding], lang: Language = ENGLISH_COPY) -> list[str]:
    """The steps of every finding in the alert, each once, telling the safeguarding lead last."""
    steps = list(dict.fromkeys(step for f in findings for step in steps_for(f, lang)))
    tell = set(steps_for_telling(lang))
    return [s for s in steps if s not in tell] + [s for s in steps if s in tell]


def steps_for_telling(lang: Language) -> list[str]:
    """The steps that tell the Designated Safeguarding Lead, as `steps_for` words them in `lang`."""
    if lang.bilingual:
        welsh = lang.parts()[0]
        return [f"{welsh._(t)}\n{t}" for t in (_TELL_COMMENT, _TELL_FAMILY)]
    return [lang._(_TELL_COMMENT), lang._(_TELL_FAMILY)]


def pending_escalations(findings: Iterable[Finding], store: Store, days: int, now: dt.datetime) -> list[Finding]:
    """Critical and high problems open for at least `days` since first seen and never escalated, most serious first."""
    limit = dt.timedelta(days=days)
    seen: set[str] = set()
    out = []
    for f in findings:
        if f.status is not Status.FAIL or f.severity.rank > ESCALATE_FROM.rank or f.first_seen is None:
            continue
        if now - f.first_seen >= limit and f.id not in seen and not store.escalation_sent(f.id):
            seen.add(f.id)
            out.append(f)
    return sorted(out, key=lambda f: (f.severity.rank, f.first_seen or now, f.department, f.account, f.id))


def escalation_email(
    findings: Sequence[Finding], checks: dict[str, Check], config: Config, now: dt.datetime
) -> Outgoing | None:
    """One email to SLT listing the problems that have now been open too long; None when SLT has no address."""
    cfg = config.email
    assert cfg is not None
    if not cfg.slt or not findings:
        return None
    lang = language(config.school.language)
    items = [
        {
            "f": f,
            "title": lang._(checks[f.check].failure_title) if f.check in checks else f.check,
            "severity": lang._(f.severity),
            "reason": masked(f.reason),
            "days": (now - f.first_seen).days if f.first_seen else cfg.escalate_after_days,
        }
        for f in findings
    ]
    ctx = {
        "items": items,
        "limit": cfg.escalate_after_days,
        "school": config.school,
        "version": __version__,
        "lang": lang,
    }
    html = email_html(environment(lang).get_template("escalation.html").render(ctx))
    text = text_environment(lang).get_template("escalation.txt").render(ctx)
    n = len(findings)

    def subject(part: Language) -> str:
        return part.ngettext(
            "%(school)s social media audit: %(num)d serious problem still open after %(days)d days",
            "%(school)s social media audit: %(num)d serious problems still open after %(days)d days",
            n,
        ) % {"school": config.school.name, "num": n, "days": cfg.escalate_after_days}

    message = build_message(cfg, cfg.slt, lang.each(subject), text, html, language=lang.content_language)
    return Outgoing("escalation", cfg.slt, message)
