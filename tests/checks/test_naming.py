import pytest

from auditor.checks.naming import ihs_in_username, tag_in_username
from auditor.model import Link, Profile, Status
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


def blog(title: str | None, address: str | None) -> Profile:
    """A feed's profile as the feed connector builds it: no username, the blog's title and its site."""
    return Profile(username=None, display_name=title, website=Link(address) if address else None, url=address)


@pytest.mark.parametrize(
    ("title", "address", "why"),
    [
        ("History IHS", "https://historyihs.blogspot.com/", 'its title "History IHS" names the school'),
        ("Islwyn High School History", "https://ourhistory.blogspot.com/", "names the school"),
        ("News from Islwyn High", "https://news.example.org/", "names the school"),
        ("Year 7 adventures", "https://y7-ihs.blogspot.com/", "its address y7-ihs.blogspot.com includes IHS"),
        ("Year 7 adventures", "https://historyihs.wordpress.com/", "its address historyihs.wordpress.com includes IHS"),
        ("Year 7 adventures", "https://www.islwynhigh.co.uk/news/", "is on the school's own website"),
        (None, "https://blog.islwynhigh.co.uk/", "blog.islwynhigh.co.uk is on the school's own website"),
    ],
)
def test_a_feed_without_username_passes_on_its_title_or_address(school_config, title, address, why):
    [r] = ihs_in_username(context(school_config, blog(title, address), platform="feed"))
    assert r.status is Status.PASS
    assert why in r.reason and r.subject == "profile"
    assert r.evidence.url == address


@pytest.mark.parametrize(
    ("title", "address", "reason"),
    [
        (
            "Year 7 adventures",
            "https://y7adventures.blogspot.com/",
            'neither its title "Year 7 adventures" nor its address y7adventures.blogspot.com includes IHS or '
            "Islwyn High School",
        ),
        # A tag hidden in a word, or the school's name run into another word, identifies nothing.
        ("Ihsan's recipes", "https://fishsticks.blogspot.com/", "includes IHS or Islwyn High School"),
        ("Islwyn Highlands walks", None, 'its title "Islwyn Highlands walks" does not include IHS'),
        (None, "https://evil.example/islwynhigh.co.uk/", "its address evil.example does not include IHS"),
    ],
)
def test_a_feed_that_names_neither_the_tag_nor_the_school_is_left_to_a_person(school_config, title, address, reason):
    [r] = ihs_in_username(context(school_config, blog(title, address), platform="feed"))
    assert r.status is Status.MANUAL
    assert reason in r.reason and "a person should check" in r.reason


def test_a_profile_without_username_title_or_address_still_gets_a_verdict(school_config):
    [r] = ihs_in_username(context(school_config, Profile(username=None, bio="A blog")))
    assert r.status is Status.MANUAL
    assert "no username, title or address to judge" in r.reason
