"""links.external_safe: verdicts become findings (one per problem link, unverified ones gathered, a summary pass)."""

from __future__ import annotations

import dataclasses

from auditor.checks import all_checks
from auditor.links.verdicts import LinkVerdict, Verdict
from auditor.model import Comment, Link, Post, Profile, Severity, Status
from tests.conftest import context


class FakeEngine:
    def __init__(self, verdicts: dict[str, Verdict], list_problem: str | None = None) -> None:
        self.verdicts = verdicts
        self.list_problem = list_problem
        self.blocklists = None
        self.asked: list[list[str]] = []

    def judge_many(self, urls):
        urls = list(urls)
        self.asked.append(urls)
        out = {}
        for url in urls:
            verdict = self.verdicts.get(url, Verdict.OK)
            out[url] = LinkVerdict(
                url, verdict, f"Because {verdict}.", "fetch", chain=(url, url + "/next") if verdict else (url,)
            )
        return out


CHECK = all_checks()["links.external_safe"]


def _run(config, engine, profile=None, posts=None, offline=False):
    ctx = context(config, profile or Profile("HistoryIHS"), posts or [], offline=offline)
    ctx = dataclasses.replace(ctx, services=dataclasses.replace(ctx.services, links=engine))
    return CHECK.run(ctx)


def test_metadata():
    assert CHECK.clause == "SMP-2.5" and CHECK.id == "links.external_safe"


def test_every_link_in_profile_posts_and_comments_is_judged(school_config):
    engine = FakeEngine({})
    profile = Profile(
        "HistoryIHS", bio="See www.museum.example/wales", website=Link("https://t.co/w", "https://a.example/")
    )
    posts = [
        Post("1", "Read https://t.co/abc", links=(Link("https://t.co/abc", "https://b.example/x"),)),
        Post("2", "no links", comments=(Comment("9", "try https://c.example/y now", author="@parent"),)),
    ]
    results = _run(school_config, engine, profile, posts)
    assert sorted(engine.asked[0]) == sorted(
        ["https://a.example/", "www.museum.example/wales", "https://b.example/x", "https://c.example/y"]
    )
    assert [(r.status, r.reason) for r in results] == [(Status.PASS, "4 links checked, all safe.")]


def test_problem_links_fail_with_severity_by_verdict_and_stable_subjects(school_config):
    engine = FakeEngine(
        {
            "https://evil.example/": Verdict.UNSAFE,
            "https://adult.example/": Verdict.INAPPROPRIATE,
            "https://odd.example/": Verdict.SUSPICIOUS,
            "https://gone.example/": Verdict.BROKEN,
            "http://plain.example/": Verdict.INSECURE,
        }
    )
    posts = [Post(str(n), f"see {url}") for n, url in enumerate(engine.verdicts)]
    posts.append(Post("9", "again https://evil.example/"))
    results = _run(school_config, engine, posts=posts)
    failing = [r for r in results if r.status is Status.FAIL]
    assert [r.severity for r in failing] == [
        Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.MEDIUM, Severity.LOW, Severity.CRITICAL
    ]  # fmt: skip
    assert failing[0].subject == "post:0:link:https://evil.example/"
    assert failing[-1].subject == "post:9:link:https://evil.example/"
    assert "judged unsafe" in failing[0].reason and failing[0].evidence.link == "https://evil.example/"
    assert "redirects: https://evil.example/ -> https://evil.example//next" in failing[0].evidence.excerpt
    assert not any(r.status is Status.PASS for r in results)


def test_unverified_links_are_one_error_per_account_never_a_pass(school_config):
    verdicts = {f"https://site{n}.example/": Verdict.UNVERIFIED for n in range(8)}
    engine = FakeEngine(verdicts)
    posts = [Post(str(n), f"see {url} and https://fine.example/") for n, url in enumerate(verdicts)]
    results = _run(school_config, engine, posts=posts)
    assert [r.status for r in results] == [Status.ERROR]
    assert "8 of 9 links could not be checked" in results[0].reason and "and 3 more" in results[0].reason
    assert results[0].subject == "links:unverified"


def test_missing_blocklists_leave_opened_links_not_verified(school_config):
    engine = FakeEngine({}, list_problem="the category blocklists are not installed")
    results = _run(school_config, engine, posts=[Post("1", "https://a.example/")])
    assert [r.status for r in results] == [Status.ERROR]
    assert "whether they are appropriate is unknown" in results[0].reason


def test_no_links_is_a_pass_and_no_engine_is_an_error(school_config):
    assert _run(school_config, FakeEngine({}), posts=[Post("1", "hello")])[0].status is Status.PASS
    results = _run(school_config, None, posts=[Post("1", "https://a.example/")])
    assert results[0].status is Status.ERROR


def test_offline_audit_reports_one_not_verified_finding(school_config, tmp_path):
    from auditor.links.engine import LinkEngine
    from auditor.links.settings import LinkSettings

    engine = LinkEngine(LinkSettings(trusted_domains=("islwynhigh.co.uk",)), offline=True)
    posts = [Post(str(n), f"https://site{n}.example/ https://www.islwynhigh.co.uk/") for n in range(30)]
    posts.append(Post("99", "javascript:alert(1) and http://2130706433/"))
    results = _run(school_config, engine, posts=posts, offline=True)
    engine.close()
    errors = [r for r in results if r.status is Status.ERROR]
    fails = [r for r in results if r.status is Status.FAIL]
    assert len(errors) == 1 and "30 of 32 links were not opened because the audit ran offline" in errors[0].reason
    assert [r.severity for r in fails] == [Severity.MEDIUM]  # the numeric host; find_urls skips javascript: in text


def test_links_a_platform_marks_complete_are_not_read_again_from_shortened_display_text(school_config):
    """Bluesky shows "christophertkenny.com/bskyr/news/i..." and keeps the address in a facet; a reply likewise."""
    engine = FakeEngine({})
    full = "https://christophertkenny.com/bskyr/news/index.html"
    reply = Comment(
        "at://did:plc:parent/app.bsky.feed.post/3r",
        "Docs at github.com/christopherk…",
        author="@parent.bsky.social",
        links=(Link("https://github.com/christopherkenny/bskyr"),),
        links_from_text=False,
    )
    post = Post(
        "at://did:plc:school/app.bsky.feed.post/3p",
        "See details at  christophertkenny.com/bskyr/news/i... and install it",
        links=(Link(full),),
        comments=(reply,),
        links_from_text=False,
    )
    _run(school_config, engine, posts=[post])
    assert engine.asked == [[full, "https://github.com/christopherkenny/bskyr"]]


def test_links_written_in_text_are_still_read_where_the_platform_does_not_mark_them_all(school_config):
    engine = FakeEngine({})
    posts = [
        Post(
            "1",
            "see www.a.example/x",
            comments=(Comment("2", "and b.example.org/y", links=(Link("https://c.example/"),)),),
        )
    ]
    _run(school_config, engine, posts=posts)
    assert engine.asked == [["www.a.example/x", "https://c.example/", "b.example.org/y"]]
