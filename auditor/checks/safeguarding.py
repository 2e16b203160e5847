"""SMP-2.4: no photos of children without written consent, no children named, no personally identifying information.

Three checks share this clause: `personal_info` (phone numbers, personal emails, addresses, dates of birth, pupil,
NHS and National Insurance numbers, in English and Welsh), `pupil_named` (names from the school's roster whose
parents have not consented, with their Welsh mutations; staff on `[safeguarding] staff` and local places are not
pupils) and
`child_photo_consent` (faces in photos, which the owner confirms are covered by written consent).
A finding about a pupil shows the name as written in the post and nothing else from the roster.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from auditor.checks import CheckContext, check
from auditor.model import Evidence, Post, Result, Severity, Status
from auditor.services import UnreadableMedia
from auditor.text.pii import EMAIL, NHS_NUMBER, NI_NUMBER, PHONE, POSTCODE, UPN, SchoolContacts, find_personal_info

if TYPE_CHECKING:  # loaded with the roster, when names are looked for; not by `auditor checks`
    from auditor.text.names import NameMatch

VISUAL_MEDIA = ("photo", "video", "animated_gif")
# Contact details are a lapse to correct; identifiers, addresses and birth dates let a stranger find a child.
_LESSER_KINDS = {PHONE, EMAIL, POSTCODE}


def _texts(post: Post) -> list[str]:
    """What a reader sees of a post: its text and every image description (alt text)."""
    return [post.text, *(m.alt_text for m in post.media if m.alt_text)]


def _has_visual(post: Post) -> bool:
    return any(m.type in VISUAL_MEDIA for m in post.media)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _scope(posts: int, bio: bool) -> str:
    """What was read, for a PASS reason: "8 posts and the About page"."""
    if not posts:
        return "the About page"
    return _plural(posts, "post") + (" and the About page" if bio else "")


@check(
    clause="SMP-2.4",
    severity=Severity.HIGH,
    severities=(Severity.MEDIUM,),
    title="No personal information (phone numbers, personal emails, addresses, birth dates, pupil or NHS numbers)",
    failure_title="Personal information is published",
    remediation=(
        "Open the post from the link in this report.",
        "Delete the post (on X: the ··· menu > Delete; on Facebook and Instagram: ··· > Delete).",
        "If the message is still needed, post it again without the personal details: give the school office's "
        "number or address instead, or say 'details have gone home by letter'.",
        "If a pupil's or parent's details were shown, tell the school's safeguarding lead.",
    ),
    needs=("profile", "posts"),
)
def personal_info(ctx: CheckContext) -> Iterator[Result]:
    assert ctx.data is not None
    contacts = SchoolContacts.parse(ctx.settings.school_contacts, ctx.settings.email_domain)
    profile = ctx.data.profile
    subjects: list[tuple[str, str | None, str | None, list[str]]] = []
    if profile.bio:
        subjects.append(("profile", None, profile.url, [profile.bio]))
    subjects.extend((f"post:{p.id}", p.id, p.url, _texts(p)) for p in ctx.data.posts)
    if not subjects:
        return
    failed = 0
    for subject, post_id, url, texts in subjects:
        matches = [m for text in texts for m in find_personal_info(text, contacts)]
        if not matches:
            continue
        failed += 1
        kinds = sorted({m.kind for m in matches})
        where = "The About page shows" if subject == "profile" else "The post publishes"
        found = "; ".join(f"{m.kind} {m.text!r}" for m in matches)
        yield Result(
            Status.FAIL,
            f"{where} personal information: {found}.",
            subject,
            Evidence(url=url, post_id=post_id, excerpt=" · ".join(m.text for m in matches)),
            severity=Severity.MEDIUM if set(kinds) <= _LESSER_KINDS else None,
        )
    if not failed:
        yield Result(
            Status.PASS,
            f"No personal information found in {_scope(len(ctx.data.posts), bool(profile.bio))} (phone numbers, "
            f"personal emails, addresses and postcodes, dates of birth, {UPN}s, {NHS_NUMBER}s, {NI_NUMBER}s; the "
            "school's own contact details and organisations' public contacts are allowed).",
        )


@check(
    clause="SMP-2.4",
    severity=Severity.MEDIUM,
    severities=(Severity.HIGH,),
    title="No pupil is named without their parents' consent",
    failure_title="A pupil is named without their parents' consent",
    remediation=(
        "Open the post from the link in this report.",
        "Delete the post (on X: the ··· menu > Delete; on Facebook and Instagram: ··· > Delete), and post it again "
        'with the pupil\'s first name only, or with no name ("one of our Year 9 pupils").',
        "If the post has a photo, never put a pupil's name with it unless the admissions consent form allows it.",
        "If consent has since been given, ask the school office to record it in the pupil roster.",
    ),
    needs=("profile", "posts"),
)
def pupil_named(ctx: CheckContext) -> Iterator[Result]:
    assert ctx.data is not None
    profile = ctx.data.profile
    subjects: list[tuple[str, Post | None, str | None, list[str]]] = []
    if profile.bio:
        subjects.append(("profile", None, profile.url, [profile.bio]))
    subjects.extend((f"post:{p.id}", p, p.url, _texts(p)) for p in ctx.data.posts)
    if not subjects:
        return
    roster = ctx.services.pupils
    if roster is None:
        why = ctx.services.roster_problem or "the pupil roster is not available in this run"
        yield Result(Status.ERROR, f"Not verified: {why}, so posts cannot be checked for pupils' names.")
        return
    failed = 0
    for subject, post, url, texts in subjects:
        named: list[NameMatch] = [m for text in texts for m in roster.find(text) if not m.pupil.photo_consent]
        if not named:
            continue
        failed += 1
        written = list(dict.fromkeys(m.text for m in named))
        with_photo = post is not None and _has_visual(post)
        where = "The About page names" if post is None else "The post names"
        who = "a pupil" if len(written) == 1 else f"{len(written)} pupils"
        beside = " next to a photo or video" if with_photo else ""
        yield Result(
            Status.FAIL,
            f"{where} {who} ({', '.join(written)}) without the parental consent the roster records{beside}.",
            subject,
            Evidence(url=url, post_id=post.id if post else None, excerpt=", ".join(written)),
            severity=Severity.HIGH if with_photo else None,
        )
    if not failed:
        yield Result(
            Status.PASS,
            f"No pupil without consent is named in {_scope(len(ctx.data.posts), bool(profile.bio))} "
            f"(checked against the roster of {_plural(len(roster), 'pupil')}).",
        )


@check(
    clause="SMP-2.4",
    severity=Severity.MEDIUM,
    title="Photos of children have written parental consent",
    failure_title="A photo or video shows children whose parents' written consent is not confirmed",
    remediation=(
        "Open the post from the link in this report and look at who is in the photo or video.",
        "Check with the school office that every child who can be recognised has written parental consent for "
        "photos (from the admissions paperwork).",
        "If any child lacks consent, delete the post (on X: the ··· menu > Delete) and post a photo without them.",
        "If all have consent, tell the monitoring lead, who records the consent for this post in the auditor so "
        "that it is not asked again.",
    ),
    needs=("posts", "photos"),
)
def child_photo_consent(ctx: CheckContext) -> Iterator[Result]:
    assert ctx.data is not None
    posts = [p for p in ctx.data.posts if _has_visual(p)]
    if not posts:
        return
    confirmed = ctx.settings.photo_consent_confirmed
    # Every file is handed to the detector before the first answer is read, so that a detector running in worker
    # processes examines them side by side while this waits for them in order.
    start = getattr(ctx.services.faces, "start", None)
    if callable(start):
        start(
            (m.local_path, m.type)
            for p in posts
            if not (p.id in confirmed or any(m.id in confirmed for m in p.media))
            for m in p.media
            if m.type in VISUAL_MEDIA and m.local_path is not None
        )
    clear = 0
    for post in posts:
        subject, evidence = f"post:{post.id}", Evidence(url=post.url, post_id=post.id)
        if post.id in confirmed or any(m.id in confirmed for m in post.media):
            yield Result(
                Status.PASS,
                "Consent for the people in this post's photos is confirmed in the config.",
                subject,
                evidence,
            )
            continue
        faces, unread = 0, []
        visual = [m for m in post.media if m.type in VISUAL_MEDIA]
        for n, media in enumerate(visual, start=1):
            label = f"{media.type.replace('_', ' ')} {n}" if len(visual) > 1 else media.type.replace("_", " ")
            if media.local_path is None:
                unread.append(f"the {label} could not be fetched")
                continue
            try:
                faces += ctx.services.faces.count_faces(media.local_path, media.type)
            except UnreadableMedia as exc:
                unread.append(f"the {label} {exc}")
        if faces:
            also = f" ({'; '.join(unread)}, so it was not examined)" if unread else ""
            yield Result(
                Status.FAIL,
                f"The post's media show {_plural(faces, 'face')}{also}: confirm that written parental consent is "
                "held for every child who can be recognised.",
                subject,
                evidence,
            )
        elif unread:
            yield Result(
                Status.ERROR,
                f"Not verified: {'; '.join(unread)}, so it is unknown whether children can be seen.",
                subject,
                evidence,
            )
        else:
            clear += 1
    if clear == len(posts):
        yield Result(Status.PASS, f"No faces found in the photos and videos of {_plural(clear, 'post')}.")
