import pytest

from auditor.checks.about import aup_link
from auditor.links.engine import LinkEngine
from auditor.links.settings import LinkSettings
from auditor.links.verdicts import Verdict
from auditor.model import Link, Profile, Status
from tests.conftest import context

AUP = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"


def run(config, profile: Profile, offline: bool = True):
    return list(aup_link(context(config, profile, offline=offline)))


@pytest.mark.parametrize(
    "website",
    [
        AUP,
        "http://www.islwynhigh.co.uk/ict-acceptable-use-policy",
        "https://islwynhigh.co.uk/ict-acceptable-use-policy/",
        "HTTPS://WWW.IslwynHigh.co.uk/ICT-Acceptable-Use-Policy",
        "https://www.islwynhigh.co.uk/ict-acceptable-use-policy#top",
        "https://www.islwynhigh.co.uk:443/ict-acceptable-use-policy",
    ],
)
def test_website_field_matches_despite_scheme_www_case_slash(school_config, website):
    [r] = run(school_config, Profile(username="HistoryIHS", bio="", website=Link(website)))
    assert r.status is Status.PASS, r.reason


def test_link_typed_in_bio_passes(school_config):
    bio = "History at IHS. Our AUP: islwynhigh.co.uk/ict-acceptable-use-policy."
    [r] = run(school_config, Profile(username="HistoryIHS", bio=bio))
    assert r.status is Status.PASS


def test_expanded_short_link_passes(school_config):
    website = Link("https://t.co/Hx7aUp01Qz", expanded_url=AUP)
    [r] = run(school_config, Profile(username="HistoryIHS", bio="", website=website))
    assert r.status is Status.PASS
    assert r.evidence.link == AUP


def test_no_link_fails(school_config):
    [r] = run(school_config, Profile(username="ScienceIHS", bio="Science at IHS", website=None))
    assert r.status is Status.FAIL
    assert "no links at all" in r.reason


def test_other_school_page_fails_and_names_it(school_config):
    website = Link("https://t.co/abc", expanded_url="https://www.islwynhigh.co.uk/science")
    [r] = run(school_config, Profile(username="ScienceIHS", bio="", website=website))
    assert r.status is Status.FAIL
    assert "https://www.islwynhigh.co.uk/science" in r.reason


@pytest.mark.parametrize(
    "near_miss",
    [
        "https://www.islwynhigh.co.uk/ict-acceptable-use-policy-old",
        "https://www.islwynhigh.co.uk.evil.example/ict-acceptable-use-policy",
        "https://islwynhigh.com/ict-acceptable-use-policy",
    ],
)
def test_near_misses_fail(school_config, near_miss):
    [r] = run(school_config, Profile(username="HistoryIHS", bio="", website=Link(near_miss)))
    assert r.status is Status.FAIL


@pytest.mark.parametrize(
    "disguised",
    [
        "https://evil.example\\@www.islwynhigh.co.uk/ict-acceptable-use-policy",
        "https://www.islwynhigh.co.uk@evil.example/ict-acceptable-use-policy",
        "https:\\\\evil.example\\www.islwynhigh.co.uk/ict-acceptable-use-policy",
    ],
)
def test_disguised_address_that_a_browser_opens_elsewhere_does_not_pass(school_config, disguised):
    [r] = run(school_config, Profile(username="HistoryIHS", bio="", website=Link(disguised)))
    assert r.status is Status.FAIL, r.reason


def test_disguised_address_written_in_the_bio_does_not_pass(school_config):
    bio = "Our AUP: https://evil.example\\@www.islwynhigh.co.uk/ict-acceptable-use-policy"
    [r] = run(school_config, Profile(username="HistoryIHS", bio=bio))
    assert r.status is Status.FAIL, r.reason


def test_disguised_address_is_not_judged_a_school_link():
    engine = LinkEngine(LinkSettings(trusted_domains=("islwynhigh.co.uk",)), offline=True, resolver=lambda h: [])
    try:
        disguised = engine.judge("https://evil.example\\@www.islwynhigh.co.uk/ict-acceptable-use-policy")
        honest = engine.judge("https://www.islwynhigh.co.uk/ict-acceptable-use-policy")
    finally:
        engine.close()
    assert honest.verdict is Verdict.OK and honest.source == "trusted"
    assert disguised.verdict is Verdict.UNVERIFIED and disguised.source == "offline"
    assert disguised.url.startswith("https://evil.example/")


def test_unexpandable_shortener_is_not_verified_never_pass(school_config):
    [r] = run(school_config, Profile(username="IslwynHigh", bio="Official", website=Link("https://bit.ly/ihs-aup")))
    assert r.status is Status.ERROR
    assert r.reason.startswith("Not verified")
    assert "offline" in r.reason
    assert r.evidence.link == "https://bit.ly/ihs-aup"


def test_shortener_in_bio_text_is_not_verified(school_config):
    [r] = run(school_config, Profile(username="IslwynHigh", bio="Our policy: https://t.co/zzz999", website=None))
    assert r.status is Status.ERROR


def test_direct_match_wins_over_unexpanded_shortener(school_config):
    profile = Profile(username="HistoryIHS", bio=f"AUP {AUP}", website=Link("https://bit.ly/other"))
    [r] = run(school_config, profile)
    assert r.status is Status.PASS


def test_nothing_to_check_when_platform_has_no_about_page(school_config):
    assert run(school_config, Profile(username=None, bio=None, website=None)) == []
