"""SMP-2.3: the content of a school account is solely professional and reflects well on the school."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from auditor.checks import CheckContext, check
from auditor.model import Evidence, Post, Result, Severity, Status

if TYPE_CHECKING:  # the text layer is loaded when a post is judged, not by `auditor checks` listing the checks
    from auditor.text.abuse import Match
    from auditor.text.model import Opinion


def offending(text: str) -> list[Match]:
    """What in a post's text is unprofessional: every policy category (`auditor.text.wordlists.CATEGORIES`), from
    the word lists in English and Welsh and the patterns over who is targeted (`auditor.text.patterns`)."""
    from auditor.text.abuse import detector

    return detector().find(text)


def second_opinion(text: str) -> Opinion | None:
    """The trained model's view of a post's text the rules pass (`auditor.text.model`): None when it does not flag
    it."""
    from auditor.text.model import model

    judge = model("content.professional")
    return judge.judge(text) if judge is not None else None


def _texts(post: Post) -> Iterator[str]:
    yield post.text
    for media in post.media:
        if media.alt_text:
            yield media.alt_text


@check(
    clause="SMP-2.3",
    severity=Severity.HIGH,
    severities=(Severity.CRITICAL, Severity.MEDIUM),
    title="Posts are professional: no swearing, slurs, insults, threats or unprofessional themes",
    failure_title="A post is not professional",
    remediation=(
        "Open the post from the link in this report.",
        "Delete it (on X: the ... menu > Delete; on Facebook and Instagram: ... > Delete), or edit it if the platform "
        "allows, so that it says only what you would say in front of a class.",
        "If it was posted by someone else with access to the account, change the account's password and tell the "
        "monitoring lead.",
    ),
    needs=("posts",),
)
def professional(ctx: CheckContext) -> Iterator[Result]:
    from auditor.text.abuse import excerpt

    assert ctx.data is not None
    posts = ctx.data.posts
    if not posts:
        return  # nothing published in this window: no verdict either way
    failing = 0
    for post in posts:
        by_category: dict[str, list[tuple[str, Match]]] = {}
        for text in _texts(post):
            for match in offending(text):
                by_category.setdefault(match.category, []).append((text, match))
        # No rule matched: the model is asked, text by text, until it flags one (MEDIUM, one finding per post, for a
        # person to read and decide).
        flagged = None
        if not by_category:
            flagged = next(((t, o) for t in _texts(post) if (o := second_opinion(t)) is not None), None)
        if by_category or flagged:
            failing += 1
        if flagged:
            text, opinion = flagged
            yield Result(
                Status.FAIL,
                f"This post reads as {opinion.description} to the trained model (scored {opinion.score:.2f} out of "
                f"1), though no word list matched it: read it and decide. The words that weighed most: "
                f"{opinion.quoted}.",
                f"post:{post.id}:model",
                Evidence(url=post.url, post_id=post.id, excerpt=excerpt(text, opinion.start, opinion.end)),
                severity=Severity.MEDIUM,
            )
        for category, matches in by_category.items():
            text, first = matches[0]
            words = ", ".join(dict.fromkeys(f'"{m.term}"' for _, m in matches))
            yield Result(
                Status.FAIL,
                f"This post contains {first.description}: {words}.",
                f"post:{post.id}:{category}",
                Evidence(url=post.url, post_id=post.id, excerpt=excerpt(text, first.start, first.end)),
                severity=first.severity,
            )
    if not failing:
        noun = "post" if len(posts) == 1 else "posts"
        yield Result(
            Status.PASS,
            f"{len(posts)} {noun} checked; none has threats, hate, sexual content, swearing, insults or mockery, "
            "party-political campaigning, alcohol or drugs, rants or spam.",
            "posts",
        )
