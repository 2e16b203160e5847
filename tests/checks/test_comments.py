"""comments.inappropriate (SMP-2.6): every comment from others through abuse, threats, personal info and names."""

import dataclasses
import datetime as dt

from auditor.checks.comments import inappropriate
from auditor.model import Comment, Post, Profile, Severity, Status
from auditor.services import Services
from auditor.text.names import Pupil, Roster
from tests.conftest import NOW, context

PROFILE = Profile(username="HistoryIHS", bio="")


def run(config, posts, platform="x", roster=None):
    ctx = context(config, PROFILE, posts, platform=platform)
    return list(inappropriate(dataclasses.replace(ctx, services=Services(roster=roster))))


def post(*comments: Comment) -> Post:
    return Post("100", "Sports day photos!", url="https://x.com/HistoryIHS/status/100", comments=comments)


def test_clean_comments_and_traps_pass(school_config):
    comments = (
        Comment("c1", "Our hooker won every lineout in the second half!", author="@parent1"),
        Comment("c2", "Does the coach to Scunthorpe leave from the front gate?", author="@parent2"),
        Comment("c3", "The choir smashed it last night, so proud!", author="@parent3"),
    )
    [r] = run(school_config, [post(*comments)])
    assert r.status is Status.PASS and r.subject == "comments"
    assert r.reason.startswith("3 comments by others on 1 post checked")
    assert "roster is not available" in r.reason  # no roster here: names were not looked for, and it says so


def test_threat_is_critical_and_records_when_posted_and_how_long_up(school_config):
    posted = NOW - dt.timedelta(days=3, hours=12, minutes=5)
    comment = Comment(
        "c9", "I know where you live, watch your back", author="@angry", created_at=posted,
        url="https://x.com/angry/status/c9",
    )  # fmt: skip
    [r] = run(school_config, [post(Comment("c8", "Great photos", author="@nice"), comment)])
    assert r.status is Status.FAIL
    assert r.subject == "comment:c9"
    assert r.severity is Severity.CRITICAL
    assert "by @angry" in r.reason and "a threat" in r.reason
    assert f"posted on {posted:%Y-%m-%d at %H:%M} UTC" in r.reason
    assert "up for 3 days 12 hours at this audit" in r.reason
    assert r.evidence.url == "https://x.com/angry/status/c9" and r.evidence.post_id == "100"
    assert r.evidence.excerpt == comment.text


def test_one_finding_per_comment_most_serious_first(school_config):
    comment = Comment("c5", "You lot are idiots. I will kill you. Ring me on 07700 900123", author="@x")
    [r] = run(school_config, [post(comment)])
    assert r.severity is Severity.CRITICAL
    assert r.reason.index("a threat") < r.reason.index("an insult") < r.reason.index("phone number")


def test_obfuscated_abuse_fails_and_unknown_time_is_said(school_config):
    [r] = run(school_config, [post(Comment("c6", "f**k this school, ur all l0sers"))])
    assert r.status is Status.FAIL and r.severity is Severity.CRITICAL
    assert "does not say when it was posted" in r.reason and "by someone else" in r.reason


def test_personal_information_and_pupil_names_in_comments(school_config):
    roster = Roster([Pupil("Megan", "Price-Jones", False), Pupil("Tomos", "Evans", True)])
    comments = (
        Comment("c1", "Well done Megan Price-Jones!", author="@gran"),
        Comment("c2", "Well done Tomos Evans!", author="@gran"),
    )
    [r] = run(school_config, [post(*comments)], roster=roster)
    assert r.subject == "comment:c1" and r.severity is Severity.HIGH
    assert "pupil whose parents have not consented" in r.reason
    assert "Megan" not in r.reason  # the roster never reaches the reason; the excerpt shows the comment as written


def test_a_parents_grumble_is_not_abuse(school_config):
    roster = Roster([Pupil("Tomos", "Evans", True)])
    [r] = run(school_config, [post(Comment("c1", "Sick of the traffic at pick-up, use the back gate?"))], roster=roster)
    assert r.status is Status.PASS and "roster" not in r.reason


def test_the_accounts_own_replies_are_not_judged_as_comments(school_config):
    [r] = run(school_config, [post(Comment("c1", "Thanks, it was a bloody good day", author="@historyihs"))])
    assert r.status is Status.PASS and r.reason == "No comments from others on the 1 post checked."


def test_archive_without_comments_is_manual_never_pass(school_config):
    [r] = run(school_config, [post()], platform="x-archive")
    assert r.status is Status.MANUAL and "could not be checked" in r.reason
    # The words come from the platform's spec: read from an X archive, the replies are to be read on X.
    assert "(X (archive))" in r.reason and r.reason.endswith("read the replies to recent posts on X.")


def test_nothing_to_check(school_config):
    assert run(school_config, []) == []


def test_history_shows_how_long_a_comment_stayed_up(school_config, tmp_path, monkeypatch):
    """Run after run the same comment keeps its finding id and first_seen; once removed it is resolved."""
    import auditor.runner as runner
    from auditor.model import AccountData, Change
    from auditor.store import Store

    posted = NOW - dt.timedelta(hours=2)
    posts = [post(Comment("c1", "you are all idiots", author="@troll", created_at=posted))]

    class Connector:
        def fetch(self, account, ctx):
            return AccountData(PROFILE, list(posts), complete=True)

    monkeypatch.setattr(runner, "get_connector", lambda platform: Connector())
    store = Store(tmp_path / "history.sqlite3")
    try:

        def audit(now, finding_id=None):
            result = runner.run_audit(
                school_config, school_config.accounts, store, check_ids=["comments.inappropriate"], now=now
            )
            store.announce(result.id)  # as `auditor run` does once the reports are written: people were told
            [finding] = [f for f in result.findings if finding_id in (None, f.id)]
            return finding

        first = audit(NOW)
        later = audit(NOW + dt.timedelta(days=1))
        assert (first.status, first.change, first.first_seen) == (Status.FAIL, Change.NEW, NOW)
        assert (later.id, later.change, later.first_seen) == (first.id, Change.PERSISTING, NOW)
        assert "up for 1 day 2 hours at this audit" in later.reason

        posts[0] = post()  # the comment was removed
        gone = audit(NOW + dt.timedelta(days=2), first.id)
        assert (gone.id, gone.status, gone.change) == (first.id, Status.PASS, Change.RESOLVED)
    finally:
        store.close()


def test_implicit_threats_hate_and_sexual_comments_are_critical(school_config):
    comments = (
        Comment("t1", "I know what car you drive, Mr Price.", author="@a"),
        Comment("t2", "Keep an eye on your windows tonight.", author="@b"),
        Comment("h1", "English scum coming over here buying all our houses.", author="@c"),
        Comment("h2", "Your PE teacher is a massive poof.", author="@d"),
        Comment("s1", "Miss Jones is well fit 😍", author="@e"),
        Comment("w1", "Mi wna i dy ladd di.", author="@f"),
    )
    results = {r.subject: r for r in run(school_config, [post(*comments)])}
    assert set(results) == {f"comment:{c.id}" for c in comments}
    assert all(r.severity is Severity.CRITICAL for r in results.values())
    assert "a threat" in results["comment:t1"].reason and "a threat" in results["comment:w1"].reason
    assert "hate or a slur" in results["comment:h1"].reason and "hate or a slur" in results["comment:h2"].reason
    assert "sexual content" in results["comment:s1"].reason


def test_spam_is_removed_but_raises_no_alert(school_config):
    spam = Comment("sp", "I earned £4,500 in a week with this bitcoin trader, DM her now!!", author="@bot")
    [r] = run(school_config, [post(spam)])
    assert r.status is Status.FAIL and r.severity is Severity.HIGH and "spam" in r.reason


def test_fair_complaints_politics_and_drink_in_comments_are_not_abuse(school_config):
    comments = (
        Comment("f1", "This is an absolute disgrace. My daughter has waited three weeks for a reply.", author="@p1"),
        Comment("f2", "The new homework policy is a joke, half of it doesn't load on the app.", author="@p2"),
        Comment("f3", "The parent portal is useless, I can't log in at all.", author="@p3"),
        Comment("f4", "Will the school be a polling station on Thursday? Vote Labour, by the way!", author="@p4"),
        Comment("f5", "Great PTA quiz, the wine raffle was a hit 🍷", author="@p5"),
        Comment("f6", "Go on lads, smash them on Saturday! 🏉", author="@p6"),
    )
    [r] = run(school_config, [post(*comments)])
    assert r.status is Status.PASS and r.reason.startswith("6 comments by others")


def test_abuse_without_listed_words_is_found_by_its_shape_and_quoted(school_config):
    comments = (
        Comment("i1", "Typical of you, you spineless worm.", author="@a"),
        Comment("t1", "Lovely house you've got, Mr Thomas. Be a pity if anything happened to it.", author="@b"),
        Comment("h1", "Gypsy kids should have their own school, not mix with ours.", author="@c"),
        Comment("s1", "Mrs Rees can give me detention any day 😏", author="@d"),
        Comment("w1", "Bydd dy gar di'n llosgi heno.", author="@e"),
        Comment("f1", "Mr Jenkins and his dad jokes 😂🙄 never change sir", author="@fond"),
        Comment("f2", "Please check your tyres before the half-term drive, stay safe everyone.", author="@safe"),
    )
    results = {r.subject: r for r in run(school_config, [post(*comments)])}
    assert set(results) == {"comment:i1", "comment:t1", "comment:h1", "comment:s1", "comment:w1"}
    assert all(r.severity is Severity.CRITICAL for r in results.values())
    assert 'an insult or mockery aimed at a person ("you spineless worm")' in results["comment:i1"].reason
    assert 'a threat ("pity if anything happened")' in results["comment:t1"].reason
    assert "hate or a slur" in results["comment:h1"].reason
    assert "sexual content" in results["comment:s1"].reason
    assert 'a threat ("dy gar di\'n llosgi")' in results["comment:w1"].reason  # quoted as published
    threat = results["comment:t1"]
    assert threat.evidence.excerpt == comments[1].text and threat.evidence.post_id == "100"
