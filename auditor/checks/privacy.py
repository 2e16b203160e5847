"""The account's own privacy settings, where a platform reports them (`AccountData.settings`; today TikTok's data
export): who can comment and whether comments are filtered (SMP-2.6), whether anyone can download its videos
(SMP-2.4), and whether it is a private account or can be messaged privately (SMP-2.7: nothing between staff and
pupils that is not public).

A platform that reports no settings gets no result from these checks. A value the auditor does not recognise is a
"to confirm" item that quotes it, never a pass.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks import CheckContext, Step, check
from auditor.model import (
    SETTING_ALLOW_DOWNLOADS,
    SETTING_COMMENT_FILTER,
    SETTING_PRIVATE_ACCOUNT,
    SETTING_WHO_CAN_COMMENT,
    SETTING_WHO_CAN_MESSAGE,
    Evidence,
    Result,
    Severity,
    Status,
)

_ON = frozenset({"on", "yes", "enabled", "enable", "true", "allowed", "allow"})
_OFF = frozenset({"off", "no", "disabled", "disable", "false", "not allowed"})
_NOBODY = frozenset({"no one", "nobody", "off", "none", "only me", "disabled"})
_EVERYONE = frozenset({"everyone", "anyone", "all", "public", "on"})
_SOME = frozenset(
    {
        "friends",
        "followers",
        "followers that you follow back",
        "people you follow",
        "mutual friends",
        "suggested friends",
    }
)
_WHERE = "Profile > ☰ > Settings and privacy > Privacy"


def _switch(value: str) -> bool | None:
    """True for on, False for off, None when the value is not one the auditor knows."""
    word = value.strip().lower()
    return True if word in _ON else False if word in _OFF else None


def _audience(value: str) -> str | None:
    """'nobody', 'some' or 'everyone'; None when unknown."""
    word = value.strip().lower()
    if word in _NOBODY:
        return "nobody"
    if word in _EVERYONE:
        return "everyone"
    return "some" if word in _SOME else None


def _evidence(ctx: CheckContext, excerpt: str) -> Evidence:
    assert ctx.data is not None
    return Evidence(url=ctx.data.profile.url, excerpt=excerpt)


@check(
    clause="SMP-2.6",
    needs=("profile", "account_settings"),
    severity=Severity.MEDIUM,
    title="Comments are limited or filtered, so abuse does not appear unchecked",
    failure_title="Anyone can comment and comments are not filtered",
    remediation=(
        Step(f"Open {_WHERE} > Comments.", ("tiktok",)),
        "Turn on the comment filters (on TikTok: Filter spam and offensive comments, and Filter keywords with "
        "words the school does not want to see), or limit who can comment (Followers, or No one).",
        "Read the comments on recent videos and delete any that are abusive; report them to a member of SLT.",
    ),
)
def comment_controls(ctx: CheckContext) -> Iterator[Result]:
    assert ctx.data is not None
    settings = ctx.data.settings
    who = settings.get(SETTING_WHO_CAN_COMMENT)
    filtered = settings.get(SETTING_COMMENT_FILTER)
    if who is None and filtered is None:
        return
    stated = "; ".join(
        f"{name}: {value!r}" for name, value in (("who can comment", who), ("comment filter", filtered)) if value
    )
    audience = _audience(who) if who is not None else None
    switch = _switch(filtered) if filtered is not None else None
    if audience == "nobody":
        yield Result(Status.PASS, f"Comments are turned off ({stated}).", "settings", _evidence(ctx, stated))
    elif switch is True:
        yield Result(Status.PASS, f"Comments are filtered ({stated}).", "settings", _evidence(ctx, stated))
    elif audience == "everyone" and switch is False:
        yield Result(
            Status.FAIL,
            f"Anyone can comment on the account's videos and the comment filter is off ({stated}), so abusive "
            "comments appear as soon as they are posted.",
            "settings",
            _evidence(ctx, stated),
        )
    elif audience == "some" and switch is False:
        yield Result(
            Status.PASS,
            f"Only some people can comment ({stated}); turning the comment filter on would still help.",
            "settings",
            _evidence(ctx, stated),
        )
    elif audience == "everyone" and filtered is None:
        yield Result(
            Status.MANUAL,
            f"Anyone can comment ({stated}), and the platform does not say whether comments are filtered: confirm "
            "that the comment filter is on.",
            "settings",
            _evidence(ctx, stated),
        )
    else:
        yield Result(
            Status.MANUAL,
            f"The platform reports {stated}, which the auditor cannot judge: confirm that comments are filtered or "
            "limited to people the school knows.",
            "settings",
            _evidence(ctx, stated),
        )


@check(
    clause="SMP-2.4",
    needs=("profile", "account_settings"),
    severity=Severity.MEDIUM,
    title="Nobody can download the account's videos",
    failure_title="Anyone can download the account's videos",
    remediation=(
        Step(f"Open {_WHERE} > Downloads, and turn Video downloads off.", ("tiktok",)),
        "With downloads on, anyone can keep a copy of a video, and of the pupils in it, even after the school "
        "deletes it.",
    ),
)
def downloads_off(ctx: CheckContext) -> Iterator[Result]:
    assert ctx.data is not None
    value = ctx.data.settings.get(SETTING_ALLOW_DOWNLOADS)
    if value is None:
        return
    state = _switch(value)
    stated = f"allow downloads: {value!r}"
    if state is False:
        yield Result(Status.PASS, f"Video downloads are turned off ({stated}).", "settings", _evidence(ctx, stated))
    elif state is True:
        yield Result(
            Status.FAIL,
            f"Anyone can download the account's videos ({stated}), and keep copies of the pupils in them.",
            "settings",
            _evidence(ctx, stated),
        )
    else:
        yield Result(
            Status.MANUAL,
            f"The platform reports {stated}, which the auditor cannot judge: confirm that video downloads are off.",
            "settings",
            _evidence(ctx, stated),
        )


@check(
    clause="SMP-2.7",
    needs=("profile", "account_settings"),
    severity=Severity.LOW,
    title="The account is public, so the Head of Department and SLT can see what pupils see",
    failure_title="The account is private: confirm that SLT can see it and who approves its followers",
    remediation=(
        "A private account shows its videos only to followers the owner approves, so what pupils see is not open "
        "to the school's scrutiny unless a member of SLT follows it.",
        "If the account should be public: " + f"on TikTok, {_WHERE} > Private account, turn it off.",
        "If it is private on purpose, record why with the Head of Department, make sure a member of SLT follows "
        "it, and agree who approves followers; then add a waiver for this check in the config with that reason.",
    ),
)
def public_account(ctx: CheckContext) -> Iterator[Result]:
    assert ctx.data is not None
    value = ctx.data.settings.get(SETTING_PRIVATE_ACCOUNT)
    if value is None:
        return
    state = _switch(value)
    stated = f"private account: {value!r}"
    if state is False:
        yield Result(Status.PASS, f"The account is public ({stated}).", "settings", _evidence(ctx, stated))
    elif state is True:
        yield Result(
            Status.MANUAL,
            f"The account is private ({stated}): only followers the owner approves see its videos. Confirm that "
            "the Head of Department or SLT follow it and agreed who may.",
            "settings",
            _evidence(ctx, stated),
        )
    else:
        yield Result(
            Status.MANUAL,
            f"The platform reports {stated}, which the auditor cannot judge: confirm whether the account is public.",
            "settings",
            _evidence(ctx, stated),
        )


@check(
    clause="SMP-2.7",
    needs=("profile", "account_settings"),
    severity=Severity.MEDIUM,
    title="Nobody can send the account private messages",
    failure_title="People, pupils among them, can send the account private messages",
    remediation=(
        Step(f"Open {_WHERE} > Direct messages, and choose No one.", ("tiktok",)),
        "Read the messages already received: if any is from a pupil, do not reply privately; keep a copy and tell "
        "the Designated Safeguarding Lead.",
    ),
)
def messages_closed(ctx: CheckContext) -> Iterator[Result]:
    assert ctx.data is not None
    value = ctx.data.settings.get(SETTING_WHO_CAN_MESSAGE)
    if value is None:
        return
    audience = _audience(value)
    stated = f"who can send messages: {value!r}"
    if audience == "nobody":
        yield Result(Status.PASS, f"Direct messages are turned off ({stated}).", "settings", _evidence(ctx, stated))
    elif audience is not None:
        who = "Anyone" if audience == "everyone" else "Some people"
        yield Result(
            Status.FAIL,
            f"{who} can send the account private messages ({stated}), so pupils can message it where the school "
            "cannot see.",
            "settings",
            _evidence(ctx, stated),
        )
    else:
        yield Result(
            Status.MANUAL,
            f"The platform reports {stated}, which the auditor cannot judge: confirm that nobody can send the "
            "account private messages.",
            "settings",
            _evidence(ctx, stated),
        )
