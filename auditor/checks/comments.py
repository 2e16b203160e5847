"""SMP-2.6: inappropriate comments on, or abuse of, a school account are removed immediately and reported to SLT.

Every comment and reply by someone else on the account's posts goes through the same text checks as the posts:
abuse and threats (`auditor.text.abuse`), personal information (`auditor.text.pii`) and the names of pupils whose
parents have not consented (`auditor.text.names`, through the run's roster). A comment gets one finding, whatever it
holds, so the report and the urgent alert to SLT name it once; its id stays the same run after run, so the history
(`first_seen`) shows how long it stayed up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.checks import CheckContext, Step, check
from auditor.model import Comment, Evidence, Result, Severity, Status
from auditor.services import Roster

if TYPE_CHECKING:  # the text layer is loaded when a comment is judged, not by `auditor checks` listing the checks
    from auditor.text.abuse import Match
    from auditor.text.pii import SchoolContacts

# A comment from someone else is judged for abuse, not for the school's own standard of professionalism: a parent
# who mentions a drink, a party or an election, or has a grumble in strong words ("an absolute disgrace"), is not
# abusing anyone. Abuse aimed at a school account is critical: it raises the urgent alert to SLT that SMP-2.6 asks
# for, as spam and personal information (high) do. Mild swearing ("bloody ridiculous", "blydi hel") in a comment is
# not abuse and is not reported: aimed at a person, it is an insult, which the rules and the trained model look for.
ABUSE_SEVERITY = {
    "threat": Severity.CRITICAL,
    "hate": Severity.CRITICAL,
    "sexual": Severity.CRITICAL,
    "profanity": Severity.CRITICAL,
    "mockery": Severity.CRITICAL,
    "spam": Severity.HIGH,
}


@dataclass(frozen=True)
class Problem:
    what: str  # for the reason sentence: 'a threat ("kill you")'
    severity: Severity
    start: int
    end: int
    order: int = len(ABUSE_SEVERITY)  # among equally severe problems, the order of ABUSE_SEVERITY, then the rest


# A parent's eye-roll among fond words ("Mr Jenkins and his dad jokes 🙄 never change sir", "every one of them
# finished 🙄 Proud.") teases; it does not abuse. On the school's own post the same eye-roll at a pupil is still
# unprofessional (content.professional keeps it).
_FOND = frozenset(
    (
        "legend",
        "legends",
        "proud",
        "love",
        "loved",
        "lovely",
        "classic",
        "brilliant",
        "change",
        "bless",
        "hero",
        "heroes",
    )
)


# A laugh, an eye-roll or a grimace at someone (the emoji shapes of `auditor.text.patterns`: "😂 at 8c (thinks)") is
# the rules' weakest evidence in a comment: parents and pupils laugh with each other far more often than at each other
# ("my son thinks he can diagnose the whole family 😂"). Such a match stands only when the trained model also reads
# the comment as at least a little abusive. Measured by leave-one-writer-out on the training writers' comments (issue
# 14, docs/content-checks.md): 25 fewer false alarms in 2,645 innocent comments, 10 fewer catches in 2,430.
CONFIRM = 0.3


def confirmed(found: list[Match], score: Callable[[], float]) -> list[Match]:
    """`found` without the emoji matches, when the model's `score` of the comment is under `CONFIRM`."""
    from auditor.text.patterns import emoji_at

    if not any(emoji_at(m.term) for m in found):
        return found
    keep = score() >= CONFIRM
    return [m for m in found if keep or not emoji_at(m.term)]


def abusive(text: str) -> list[Match]:
    """Abuse and threats in a comment's text, by the rules alone."""
    from auditor.text.abuse import detector

    found = detector().find(text, ABUSE_SEVERITY)
    if any(m.term.endswith("(eye-roll)") for m in found) and not _FOND.isdisjoint(_words(text)):
        found = [m for m in found if not m.term.endswith("(eye-roll)")]
    return found


def _words(text: str) -> set[str]:
    from auditor.text.normalise import tokens

    return {t.text for t in tokens(text)}


def problems(text: str, contacts: SchoolContacts, roster: Roster | None) -> list[Problem]:
    """Everything inappropriate in one comment, most serious first. When no rule finds abuse, the trained model is
    asked; what it flags is MEDIUM: it is wrong more often than the rules, so it goes in the report for a person to
    read, and raises no urgent alert (`auditor.reports.alerts.URGENT_FROM`: high and above)."""
    from auditor.text.model import model
    from auditor.text.pii import find_personal_info

    order = list(ABUSE_SEVERITY)
    judge = model("comments.inappropriate")
    matches = abusive(text)
    scored: list[float] = []

    def score() -> float:
        assert judge is not None
        scored.append(judge.score(text))
        return scored[-1]

    if judge is not None:
        matches = confirmed(matches, score)
    found = [
        Problem(f'{m.description} ("{m.term}")', ABUSE_SEVERITY[m.category], m.start, m.end, order.index(m.category))
        for m in matches
    ]
    # (a score already taken to vet an emoji, under the threshold, needs no second reading)
    if not found and judge is not None and not (scored and scored[0] < judge.threshold):
        opinion = judge.judge(text)
        if opinion is not None:
            found.append(
                Problem(
                    f"what the trained model reads as {opinion.description} (scored {opinion.score:.2f} out of 1, "
                    f"though no word list matched: read it and decide; the words that weighed most: {opinion.quoted})",
                    Severity.MEDIUM,
                    opinion.start,
                    opinion.end,
                )
            )
    found += [Problem(f"a {m.kind}", Severity.HIGH, m.start, m.end) for m in find_personal_info(text, contacts)]
    if roster is not None:
        found += [
            Problem("the name of a pupil whose parents have not consented", Severity.HIGH, m.start, m.end)
            for m in roster.find(text)
            if not m.pupil.photo_consent
        ]
    return sorted(found, key=lambda p: (p.severity.rank, p.order, p.start))


def _duration(delta: dt.timedelta) -> str:
    minutes = max(0, int(delta.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (minutes, "minute")]
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return " ".join(words) or "less than a minute"


def _when(comment: Comment, now: dt.datetime) -> str:
    if comment.created_at is None:
        return "The platform does not say when it was posted."
    posted = comment.created_at.astimezone(dt.UTC)
    return (
        f"It was posted on {posted:%Y-%m-%d at %H:%M} UTC and had been up for {_duration(now - posted)} at this audit."
    )


def _is_own(comment: Comment, handle: str) -> bool:
    return comment.author is not None and comment.author.lstrip("@").lower() == handle.lstrip("@").lower()


@check(
    clause="SMP-2.6",
    severity=Severity.CRITICAL,
    severities=(Severity.HIGH, Severity.MEDIUM),
    title="Abusive or inappropriate comments are removed and reported to SLT",
    failure_title="An abusive or inappropriate comment is on the account",
    remediation=(
        "Take a screenshot of the comment (with the name of the person who posted it) for the school's records.",
        "Open the comment from the link in this report.",
        Step("Remove it: ··· > Hide reply, then Report if it is abusive.", ("x",)),
        Step("Remove it: ··· beside the comment > Hide comment, or Delete.", ("facebook",)),
        Step("Remove it: swipe left on the comment (or press and hold) and Delete.", ("instagram",)),
        Step("Remove it: ⋮ beside the comment > Remove.", ("youtube",)),
        Step("Remove it from view: ··· > Hide reply for everyone, then Report.", ("bluesky",)),
        Step("A reply cannot be deleted by the account it answers: ··· > Report, then Block.", ("mastodon",)),
        Step("Remove it in the blog's comment moderation (WordPress: Comments > Trash).", ("feed",)),
        Step("Remove it: press and hold the comment > Delete, and Report it if it is abusive.", ("tiktok",)),
        "Report it to a member of SLT today, with the screenshot; threats and abuse go to the safeguarding lead.",
        "If the person keeps posting, block them from the account.",
    ),
    needs=("posts", "comments"),
)
def inappropriate(ctx: CheckContext) -> Iterator[Result]:
    assert ctx.data is not None
    posts = ctx.data.posts
    comments = [(p, c) for p in posts for c in p.comments if not _is_own(c, ctx.account.handle)]
    if not comments:
        # Data that never holds other people's comments (the platform's spec says so): "no comments" means "not
        # looked at", not "none there".
        if not ctx.source.comments_read:
            yield Result(
                Status.MANUAL,
                f"What this account is read from ({ctx.source.name}) holds only the account's own posts, not other "
                f"people's replies, so the replies could not be checked automatically: read the replies to recent "
                f"posts on {ctx.source.site}.",
                "comments",
            )
        elif posts:
            yield Result(
                Status.PASS, f"No comments from others on the {_plural(len(posts), 'post')} checked.", "comments"
            )
        return
    from auditor.text.abuse import excerpt
    from auditor.text.pii import SchoolContacts

    contacts = SchoolContacts.parse(ctx.settings.school_contacts, ctx.settings.email_domain)
    roster = ctx.services.pupils
    failing = 0
    for post, comment in comments:
        found = problems(comment.text, contacts, roster)
        if not found:
            continue
        failing += 1
        worst = found[0]
        kinds = list(dict.fromkeys(p.what for p in found))
        who = f"by {comment.author}" if comment.author else "by someone else"
        yield Result(
            Status.FAIL,
            f"A comment {who} contains {' and '.join(kinds)}. {_when(comment, ctx.now)}",
            f"comment:{comment.id}",
            Evidence(
                url=comment.url or post.url,
                post_id=post.id,
                excerpt=excerpt(comment.text, worst.start, worst.end),
            ),
            severity=worst.severity,
        )
    if not failing:
        # Without a roster, names were not looked for: say so rather than let the PASS imply it.
        names = "" if roster is not None else " Pupils' names were not looked for: the roster is not available."
        yield Result(
            Status.PASS,
            f"{_plural(len(comments), 'comment')} by others on {_plural(len(posts), 'post')} checked; none is abusive, "
            f"threatening or gives personal information.{names}",
            "comments",
        )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
