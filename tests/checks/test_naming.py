import pytest

from auditor.checks.naming import ihs_in_username, tag_in_username
from auditor.model import Profile, Status
from tests.conftest import context


@pytest.mark.parametrize(
    "username",
    ["HistoryIHS", "IHS_Music", "ihs_pe", "History_IHS", "IHSMusic", "historyihs", "IHS", "Art2IHS", "MathsIHS2025"],
)
def test_tag_recognised(username: str) -> None:
    assert tag_in_username("IHS", username)


@pytest.mark.parametrize(
    "username", ["islwyn_pe", "IslwynHigh", "Ihsan_music", "ihsanmusic", "history", "I_H_S", "fishsticks"]
)
def test_tag_not_recognised(username: str) -> None:
    assert not tag_in_username("IHS", username)


def test_pass(school_config):
    [r] = ihs_in_username(context(school_config, Profile(username="HistoryIHS", url="https://x.com/HistoryIHS")))
    assert r.status is Status.PASS
    assert "@HistoryIHS includes IHS" in r.reason
    assert r.evidence.url == "https://x.com/HistoryIHS"


def test_fail(school_config):
    [r] = ihs_in_username(context(school_config, Profile(username="islwyn_pe")))
    assert r.status is Status.FAIL
    assert "@islwyn_pe does not include IHS" in r.reason
    assert r.subject == "profile"


def test_uses_configured_tag(school_config):
    import dataclasses

    other = dataclasses.replace(school_config, school=dataclasses.replace(school_config.school, account_tag="CHS"))
    assert next(iter(ihs_in_username(context(other, Profile(username="HistoryIHS"))))).status is Status.FAIL
    assert next(iter(ihs_in_username(context(other, Profile(username="HistoryCHS"))))).status is Status.PASS


def test_nothing_to_check_when_platform_has_no_usernames(school_config):
    assert list(ihs_in_username(context(school_config, Profile(username=None, bio="A blog")))) == []
