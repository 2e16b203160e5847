"""content.professional (SMP-2.3): one FAIL per offending post and category, a PASS summary otherwise."""

from auditor.checks.content import professional
from auditor.model import Media, Post, Profile, Severity, Status
from tests.conftest import context

PROFILE = Profile(username="islwyn_pe", bio="")


def run(config, posts):
    return list(professional(context(config, PROFILE, posts)))


def test_clean_posts_and_school_traps_pass(school_config):
    posts = [
        Post("1", "Rugby report: Year 10 beat Blackwood 24-12. Our hooker hit every lineout."),
        Post("2", "Year 9 History: how the Nazis used propaganda in 1930s Germany."),
        Post("3", "Away win at Scunthorpe for the netball team!"),
        Post("4", "Eco club spotted a blue tit on the feeder."),
    ]
    [r] = run(school_config, posts)
    assert r.status is Status.PASS
    assert r.subject == "posts"
    assert r.reason.startswith("4 posts checked")


def test_offending_post_fails_with_category_word_excerpt_and_permalink(school_config):
    url = "https://x.com/islwyn_pe/status/9"
    posts = [
        Post("8", "Lovely sunny sports day."),
        Post("9", "What a f*cking week. Roll on half term.", url=url),
    ]
    [r] = run(school_config, posts)
    assert r.status is Status.FAIL
    assert r.subject == "post:9:profanity"
    assert "profanity" in r.reason and '"fucking"' in r.reason
    assert r.severity is Severity.HIGH
    assert r.evidence.url == url and r.evidence.post_id == "9"
    assert r.evidence.excerpt == "What a f*cking week. Roll on half term."


def test_each_category_in_a_post_is_its_own_finding(school_config):
    results = run(school_config, [Post("5", "Sh1t day, got so drunk after, parents are idiots")])
    assert {r.subject for r in results} == {"post:5:profanity", "post:5:alcohol", "post:5:mockery"}
    assert all(r.status is Status.FAIL for r in results)
    severities = {r.subject: r.severity for r in results}
    assert severities["post:5:alcohol"] is Severity.MEDIUM


def test_obfuscations_fail(school_config):
    for n, text in enumerate(["sh1t", "fuuuuck", "f u c k", "tw@t", "$h!t", "f\u200buck", "c*nt"]):
        [r] = run(school_config, [Post(str(n), f"Well, {text} happens")])
        assert r.status is Status.FAIL, text


def test_alt_text_is_checked_too(school_config):
    post = Post("7", "Photos from the trip", media=(Media("m1", "photo", alt_text="Year 9 being idiots on the coach"),))
    [r] = run(school_config, [post])
    assert r.status is Status.FAIL and "idiots" in r.reason
    assert r.evidence.excerpt == "Year 9 being idiots on the coach"


def test_no_posts_nothing_to_check(school_config):
    assert run(school_config, []) == []


def test_sample_rugby_report_with_hooker_stays_innocent(sample, tmp_path):
    import json

    from auditor.cli import main

    main(["run", "--all", "--config", str(sample), "--out", str(tmp_path / "r"), "--offline", "--format", "json"])
    doc = json.loads((tmp_path / "r" / "findings.json").read_text(encoding="utf-8"))
    archive = (sample.parent / "examples/archives/islwyn_pe/data/tweets.js").read_text(encoding="utf-8")
    assert "Our hooker hit every lineout" in archive
    results = [f for f in doc["findings"] if f["check"] == "content.professional"]
    assert {f["account"] for f in results} == {a["handle"] for a in doc["accounts"]}
    assert all(f["status"] == "PASS" for f in results), [f["reason"] for f in results]


def test_reason_names_the_policy_category_and_the_evidence(school_config):
    posts = [
        Post("20", "If Year 10 lose my pens again I'll break their legs 😂"),
        Post("21", "Vote Plaid Cymru on Thursday for a fairer deal for schools!"),
        Post("22", "Year 9's idea of revision is colouring in the title 🙄"),
        Post("23", "Mae 9X yn dwp heddiw, dim un wedi gwneud y gwaith cartref."),
    ]
    results = {r.subject: r for r in run(school_config, posts)}
    assert set(results) == {"post:20:threat", "post:21:political", "post:22:mockery", "post:23:mockery"}
    threat = results["post:20:threat"]
    assert threat.reason == 'This post contains a threat: "break their legs".'
    assert threat.severity is Severity.CRITICAL and "break their legs" in threat.evidence.excerpt
    assert results["post:21:political"].reason.startswith("This post contains party-political campaigning")
    assert results["post:22:mockery"].reason.startswith("This post contains an insult or mockery aimed at a person")
    assert '"dwp"' in results["post:23:mockery"].reason or "dwp" in results["post:23:mockery"].reason


def test_school_traps_from_the_issue_pass(school_config):
    posts = [
        Post("30", "Big game this weekend: we're going to smash them on Saturday! 🏉"),
        Post("31", "Year 8 History: why was William the Conqueror also called William the Bastard?"),
        Post("32", "Physics: turn the knob on the signal generator until the trace is steady."),
        Post("33", "Away fixture at Penistone Grammar on Wednesday; Clitheroe next."),
        Post("34", "PSE: Year 10 discussed the effects of alcohol on the teenage brain with the school nurse."),
        Post("35", "The state of the road outside the school gates is an absolute disgrace; we have told the council."),
    ]
    [r] = run(school_config, posts)
    assert r.status is Status.PASS and r.reason.startswith("6 posts checked")
