"""SMP-2.4 and the Welsh Government's guidance on learners' images: a photo must not say where it was taken, and is
published no larger than a post needs.

`no_location` reads the place a post is tagged with (`Post.place`), the location a platform states for a photo
(`Media.location`, an export's EXIF block) and the GPS block of the photo file itself (`Media.local_path`, read through
the `PhotoMetadata` service: this module opens no file). `sensible_resolution` reads the size the platform states or
the file's own. Photos that were not downloaded are not examined and are never counted as passed: platforms such as
X, Facebook and Instagram strip EXIF from what they publish, so the risk is in the originals an archive or export
keeps.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks import CheckContext, Step, check
from auditor.model import Evidence, Media, Post, Result, Severity, Status
from auditor.services import UnreadableMedia

# The longer side, in pixels, beyond which a photo is far larger than any of these platforms shows: X keeps at most
# 4096 pixels, Facebook shows 2048 and Instagram 1080.
MAX_USEFUL_EDGE = 4096
SUGGESTED_EDGE = 2048


def _photos(post: Post) -> list[tuple[str, Media]]:
    photos = [m for m in post.media if m.type == "photo"]
    return [(f"photo {n}" if len(photos) > 1 else "the photo", m) for n, m in enumerate(photos, start=1)]


def _about(lat: float, lon: float) -> str:
    # About a kilometre: enough to show the problem, not a pinpoint to copy into a report that is emailed around.
    return f"about {lat:.2f}, {lon:.2f}"


@check(
    clause="SMP-2.4",
    needs=("posts", "photos"),
    severity=Severity.HIGH,
    severities=(Severity.MEDIUM,),
    title="Photos and posts do not say where they were taken",
    failure_title="A photo or post says where it was taken",
    remediation=(
        "Open the post from the link in this report.",
        Step("Delete it: ··· (Share) > Delete.", ("tiktok",)),
        Step("Delete it: the ··· menu > Delete.", ("x",)),
        Step("Delete it: ··· > Delete (or Edit, then remove the location).", ("facebook", "instagram")),
        "Post it again without the place tag (leave Location empty), and with a copy of the photo that carries no "
        "location: turn off location for the camera (iPhone: Settings > Privacy & Security > Location Services > "
        "Camera > Never; Android: the Camera app's settings > Location tags off), or on an iPhone choose Options > "
        "Location off when sharing the photo.",
        "If the place shows where a pupil lives, or where a trip is while it is happening, tell the Designated "
        "Safeguarding Lead.",
    ),
)
def no_location(ctx: CheckContext) -> Iterator[Result]:
    assert ctx.data is not None
    examined = problems = unexamined = 0
    for post in ctx.data.posts:
        subject, evidence = f"post:{post.id}", Evidence(url=post.url, post_id=post.id)
        found: list[str] = []
        unread: list[str] = []
        gps = False
        if post.place:
            found.append(f'the post is tagged with the place "{post.place}"')
        for label, media in _photos(post):
            location = media.location
            if location is None and media.local_path is None:
                unexamined += 1  # not downloaded: not examined, and never counted as clear
                continue
            if location is None and media.local_path is not None:
                try:
                    facts = ctx.services.photos.read(media.local_path)
                except UnreadableMedia as exc:
                    unread.append(f"{label} {exc}")
                    continue
                if facts.unreadable_location is not None:
                    unread.append(f"{label} {facts.unreadable_location}")
                    continue
                location = facts.location
            examined += 1
            if location is not None:
                gps = True
                found.append(f"{label} records where it was taken ({_about(*location)})")
        if found:
            problems += 1
            also = f" ({'; '.join(unread)}, so it was not examined)" if unread else ""
            text = "; ".join(found)
            yield Result(
                Status.FAIL,
                f"{text[:1].upper()}{text[1:]}{also}: a post showing pupils should not say where it was taken.",
                subject,
                Evidence(url=post.url, post_id=post.id, excerpt=post.place or None),
                severity=None if gps else Severity.MEDIUM,
            )
        elif unread:
            problems += 1
            yield Result(
                Status.ERROR,
                f"Not verified: {'; '.join(unread)}, so it is unknown whether it records where it was taken.",
                subject,
                evidence,
            )
    if examined and not problems and not unexamined:
        yield Result(
            Status.PASS,
            f"None of the {_plural(examined, 'photo')} examined records where it was taken, and none of the posts "
            "has a place tag the auditor could read.",
        )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@check(
    clause="SMP-2.4",
    needs=("posts", "photos"),
    severity=Severity.LOW,
    title="Photos are published no larger than a post needs",
    failure_title="A photo is published far larger than a post needs",
    remediation=(
        f"Before posting, make a smaller copy of the photo: {SUGGESTED_EDGE} pixels on the longer side is as large "
        "as Facebook shows a photo (Windows Photos: ··· > Resize image > M; Mac Preview: Tools > Adjust Size; "
        "iPhone: share it by Mail and choose Large).",
        "If the photo shows children, delete the post and post it again with the smaller copy, so that faces and "
        "name badges cannot be zoomed into.",
        "Keep the full-size original in the school's own storage, not on the social media account.",
    ),
)
def sensible_resolution(ctx: CheckContext) -> Iterator[Result]:
    assert ctx.data is not None
    examined = large = unknown = 0
    for post in ctx.data.posts:
        oversized: list[str] = []
        for label, media in _photos(post):
            width, height = media.width, media.height
            if (width is None or height is None) and media.local_path is not None:
                try:
                    facts = ctx.services.photos.read(media.local_path)
                except UnreadableMedia:
                    unknown += 1  # the location check reports an unreadable photo; its size is simply not known
                    continue
                width, height = facts.width, facts.height
            if width is None or height is None:
                unknown += 1  # not downloaded and no size stated: not examined, and never counted as passed
                continue
            examined += 1
            if max(width, height) > MAX_USEFUL_EDGE:
                oversized.append(f"{label} is {width} × {height} pixels")
        if oversized:
            large += 1
            yield Result(
                Status.FAIL,
                f"{'; '.join(oversized).capitalize()}, far more than the {MAX_USEFUL_EDGE} pixels any of these "
                f"platforms shows on the longer side.",
                f"post:{post.id}",
                Evidence(url=post.url, post_id=post.id),
            )
    if examined and not large and not unknown:
        yield Result(
            Status.PASS,
            f"All {_plural(examined, 'photo')} examined are at most {MAX_USEFUL_EDGE} pixels on the longer side.",
        )
