"""The account settings checks, on the values TikTok's data export writes ("Everyone", "On", "Off", "No one")."""

from __future__ import annotations

import dataclasses

import pytest

from auditor import config as config_mod
from auditor.checks import all_checks
from auditor.checks.privacy import comment_controls, downloads_off, messages_closed, public_account
from auditor.model import (
    SETTING_ALLOW_DOWNLOADS,
    SETTING_COMMENT_FILTER,
    SETTING_PRIVATE_ACCOUNT,
    SETTING_WHO_CAN_COMMENT,
    SETTING_WHO_CAN_MESSAGE,
    Profile,
    Status,
)
from tests.conftest import context, write_config

PROFILE = Profile(username="DramaIHS", bio="", url="https://www.tiktok.com/@DramaIHS")


@pytest.fixture
def cfg(tmp_path):
    return config_mod.load(
        write_config(
            tmp_path,
            """
            [[accounts]]
            handle = "@DramaIHS"
            platform = "tiktok"
            department = "Drama"
            source = "export.zip"
            """,
        )
    )


def run(check, cfg, **settings: str):
    ctx = context(cfg, PROFILE, [], platform="tiktok", handle="@DramaIHS")
    assert ctx.data is not None
    ctx = dataclasses.replace(ctx, data=dataclasses.replace(ctx.data, settings=dict(settings)))
    return [(r.status, r.reason) for r in check(ctx)]


def statuses(check, cfg, **settings: str) -> list[Status]:
    return [s for s, _ in run(check, cfg, **settings)]


@pytest.mark.parametrize(
    ("who", "filtered", "expected"),
    [
        ("Everyone", "Off", Status.FAIL),
        ("Everyone", "On", Status.PASS),
        ("No one", "Off", Status.PASS),
        ("Friends", "Off", Status.PASS),
        ("Everyone", "Sometimes", Status.MANUAL),
        ("Everyone", None, Status.MANUAL),
        (None, "Enabled", Status.PASS),
    ],
)
def test_comment_controls(cfg, who, filtered, expected) -> None:
    given = {k: v for k, v in ((SETTING_WHO_CAN_COMMENT, who), (SETTING_COMMENT_FILTER, filtered)) if v is not None}
    [(status, reason)] = run(comment_controls, cfg, **given)
    assert status is expected
    if who:
        assert repr(who) in reason  # the value as the platform states it


def test_downloads(cfg) -> None:
    assert statuses(downloads_off, cfg, **{SETTING_ALLOW_DOWNLOADS: "On"}) == [Status.FAIL]
    assert statuses(downloads_off, cfg, **{SETTING_ALLOW_DOWNLOADS: "Off"}) == [Status.PASS]
    assert statuses(downloads_off, cfg, **{SETTING_ALLOW_DOWNLOADS: "Maybe"}) == [Status.MANUAL]


def test_a_private_account_is_to_confirm_never_a_pass(cfg) -> None:
    assert statuses(public_account, cfg, **{SETTING_PRIVATE_ACCOUNT: "On"}) == [Status.MANUAL]
    assert statuses(public_account, cfg, **{SETTING_PRIVATE_ACCOUNT: "Off"}) == [Status.PASS]


def test_direct_messages(cfg) -> None:
    assert statuses(messages_closed, cfg, **{SETTING_WHO_CAN_MESSAGE: "Friends"}) == [Status.FAIL]
    assert statuses(messages_closed, cfg, **{SETTING_WHO_CAN_MESSAGE: "Everyone"}) == [Status.FAIL]
    assert statuses(messages_closed, cfg, **{SETTING_WHO_CAN_MESSAGE: "No one"}) == [Status.PASS]
    assert statuses(messages_closed, cfg, **{SETTING_WHO_CAN_MESSAGE: "Mutuals+"}) == [Status.MANUAL]


def test_a_platform_that_reports_no_settings_gets_no_result(cfg) -> None:
    for check in (comment_controls, downloads_off, public_account, messages_closed):
        assert run(check, cfg) == []


def test_tiktok_steps_are_shown_to_tiktok_accounts_only() -> None:
    checks = all_checks()
    steps = checks["privacy.downloads_off"].steps_for(["tiktok"])
    assert any("Settings and privacy > Privacy > Downloads" in s for s in steps)
    assert not any("Downloads" in s for s in checks["privacy.downloads_off"].steps_for(["x"]))
