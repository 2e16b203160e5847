"""Cards a teacher reads top down (what is wrong, where, then the steps for that platform), one card for one cause,
local times, "new" only for what is new, the checklist in the text emails, and names in emails that link somewhere
(`[output] public_url`) or are plain text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import auditor.runner as runner
from auditor.checks import all_checks, check
from auditor.cli import main
from auditor.connectors import ConnectorError
from auditor.model import Change, Finding, Severity, Status
from auditor.reports.render import Group, _age, _when, sections_for
from tests.reports.conftest import Inbox
from tests.reports.test_vocabulary import with_email

T = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def finding(check_id: str, platform: str = "x", status: Status = Status.FAIL, **kw: object) -> Finding:
    c = all_checks()[check_id]
    values: dict[str, object] = {
        "id": f"{check_id}-{platform}",
        "account": "@ArtIHS",
        "platform": platform,
        "department": "Art",
        "check": check_id,
        "clause": c.clause,
        "status": status,
        "severity": c.severity,
        "reason": "A reason.",
    }
    values.update(kw)
    return Finding(**values)  # type: ignore[arg-type]


def test_a_failure_card_is_headed_by_what_is_wrong_then_where_then_steps(sample, tmp_path):
    out = tmp_path / "r"
    main(["run", "--all", "--config", str(sample), "--out", str(out), "--offline"])
    pe = soup(out / "departments/PE.html")
    cards = pe.select(".card.fail")
    headings = [c.find("h3").get_text(strip=True) for c in cards]
    assert "The username does not include IHS" in headings
    assert "The username includes IHS" not in headings  # the requirement would read as met
    for card in cards:
        parts = [el.name + "." + " ".join(el.get("class", [])) for el in card.find_all(["h3", "ul", "ol"])]
        # What (the heading), then where (the affected items), then the numbered steps.
        assert parts[0].startswith("h3") and parts.index("ul.items") < parts.index("ol.steps"), parts
    username = next(c for c in cards if "IHS" in c.find("h3").get_text())
    item = username.select_one("ul.items li").get_text(" ", strip=True)
    assert "@islwyn_pe" in item and "X (archive)" in item and "https://x.com/islwyn_pe" in item
    # Where and when: the post's link and the time it was published, in the school's time (BST in October).
    personal = next(c for c in cards if c.find("h3").get_text(strip=True) == "Personal information is published")
    where = personal.select_one("ul.items li").get_text(" ", strip=True)
    assert "https://x.com/islwyn_pe/status/1979475035552413928" in where
    assert "the post of 18 Oct 2025 10:10 BST" in where
    steps = [li.get_text() for li in username.select("ol.steps li")]
    assert steps[0].startswith("Open Settings and privacy")  # the X step, and only the X steps
    assert not any(word in " ".join(steps) for word in ("Facebook", "Instagram", "Blogger", "YouTube"))

    # No internal jargon anywhere a teacher reads: no config keys, no platform keys, no run id in the heading.
    for page in out.rglob("*.html"):
        doc = soup(page)
        text = doc.find("main").get_text(" ", strip=True)
        for jargon in ("x-archive", "config.toml", "credentials_shared", "photo_consent_confirmed", "naming.ihs"):
            assert jargon not in text, (page, jargon)
        header = doc.find("header").get_text(" ", strip=True)
        assert "run 2" not in header and "UTC" not in header and re.search(r"\d\d:\d\d (GMT|BST)", header)


def test_steps_are_for_the_platforms_on_the_card():
    naming = all_checks()["naming.ihs_in_username"]
    facebook = Group(naming, None, [finding("naming.ihs_in_username", "facebook")])  # type: ignore[arg-type]
    assert any("Page setup" in s for s in facebook.steps)
    assert not any("Account information" in s or "Blogger" in s for s in facebook.steps)
    both = Group(
        naming,
        None,  # type: ignore[arg-type]
        [finding("naming.ihs_in_username", "facebook"), finding("naming.ihs_in_username", "x-archive")],
    )
    labelled = [s for s in both.steps if s.startswith("On ")]
    assert [s.split(":")[0] for s in labelled] == ["On X", "On Facebook"]
    # Whatever lists the steps without a platform (an alert) still reads them as text.
    assert all(isinstance(s, str) for s in naming.remediation)


def test_every_check_declares_a_failure_title_distinct_from_its_title():
    for c in all_checks().values():
        assert c.failure_title and c.failure_title != c.title, c.id
    with pytest.raises(ValueError, match="failure title"):
        check(clause="SMP-2.1", severity=Severity.LOW, title="Same", failure_title="Same", remediation=("x.",))(
            lambda ctx: iter(())
        )


def test_new_only_for_a_problem_this_audit_is_the_first_to_report():
    an_hour_ago = T - dt.timedelta(hours=1)
    still = finding("naming.ihs_in_username", change=Change.PERSISTING, first_seen=an_hour_ago)
    assert "new" not in _age(still, T, "Europe/London")
    assert "01:00 GMT" in _age(still, T, "Europe/London")
    assert _age(finding("naming.ihs_in_username", change=Change.NEW, first_seen=T), T) == "new in this audit"
    week = finding("naming.ihs_in_username", change=Change.PERSISTING, first_seen=T - dt.timedelta(days=7))
    assert _age(week, T, "Europe/London") == "open for 7 days (first seen 17 Nov 2026)"


def test_times_are_the_schools_local_time():
    assert _when(dt.datetime(2026, 7, 1, 1, 30, tzinfo=dt.UTC), "Europe/London") == "01 Jul 2026 02:30 BST"
    assert _when(T, "Europe/London") == "24 Nov 2026 02:00 GMT"
    assert _when(None) == "unknown"


def test_an_unreadable_account_gives_one_card_for_one_cause(sample, tmp_path, monkeypatch):
    class Down:
        def fetch(self, account, ctx):
            raise ConnectorError("the archive could not be opened")

    monkeypatch.setattr(runner, "get_connector", lambda platform: Down())
    out = tmp_path / "r"
    assert main(["run", "--account", "@MusicIHS", "--config", str(sample), "--out", str(out), "--offline"]) == 3
    page = soup(out / "accounts/MusicIHS.html")
    cards = page.select(".card.error")
    assert len(cards) == 1, [c.find("h3").get_text() for c in cards]
    card = cards[0]
    assert "could not be read" in card.find("h3").get_text()
    needs_data = [c for c in all_checks().values() if c.needs_data]
    listed = card.find("ul").find_all("li")
    assert len(listed) == len(needs_data) >= 8  # every check it stopped, named once on the one card
    assert card.select("ol.steps li")

    # The sections keep every finding (the store and findings.json are unchanged): only the cards are merged.
    findings = [
        finding(c.id, status=Status.ERROR, reason="Not checked: the account could not be read (down).", id=c.id)
        for c in needs_data
    ] + [finding("about.aup_link", status=Status.ERROR, reason="Not verified: a shortened link.", id="other")]
    groups = sections_for(findings, all_checks()).unverified
    assert len(groups) == 2 and groups[0].cause is not None and len(groups[0].affected) == len(needs_data)


def run_with_email(sample: Path, inbox: Inbox, out: Path, public: str | None = None) -> None:
    config = with_email(sample, inbox.port)
    if public:
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("[output]\n", f'[output]\npublic_url = "{public}"\n'), encoding="utf-8")
    main(["run", "--all", "--config", str(config), "--out", str(out), "--offline"])


def parts(inbox: Inbox, to: str) -> tuple[str, BeautifulSoup]:
    """The report emailed to `to` (not the urgent alerts the samples also raise)."""
    [received] = [r for r in inbox.to(to) if not str(r.message["Subject"]).strip().startswith("URGENT")]
    message = received.message
    html = BeautifulSoup(message.get_body(("html",)).get_content(), "html.parser")
    return message.get_body(("plain",)).get_content(), html


def test_without_a_public_url_names_in_emails_are_plain_text(sample, tmp_path, inbox):
    run_with_email(sample, inbox, tmp_path / "audit-reports" / "first")
    for to in ("head.pe@islwynhigh.co.uk", "slt.summary@islwynhigh.co.uk"):
        text, html = parts(inbox, to)
        assert "accounts/" not in text and "Report: " not in text  # no address of a page nobody can open
        for a in html.find_all("a"):
            assert a.get("href", "").startswith(("https://", "http://", "mailto:")), a  # no link to nowhere
        assert "@islwyn_pe" in html.get_text()
        assert not any("@islwyn_pe" in a.get_text() for a in html.find_all("a"))
    _, html = parts(inbox, "slt.summary@islwynhigh.co.uk")
    assert "linked above" not in html.get_text() and "in the report folder" in html.get_text()


def test_a_public_url_makes_every_name_in_emails_a_working_link(sample, tmp_path, inbox):
    public = "https://intranet.islwynhigh.co.uk/social-media-audit/"
    out = tmp_path / "audit-reports" / "2026-11-24_020000"
    run_with_email(sample, inbox, out, public)
    base = public + "2026-11-24_020000/"
    text, html = parts(inbox, "slt.summary@islwynhigh.co.uk")
    links = {a.get_text(strip=True): a["href"] for a in html.find_all("a")}
    assert links["@islwyn_pe"] == base + "accounts/islwyn_pe.html"
    assert links["Senior Leadership"] == base + "departments/Senior_Leadership.html"
    for name, href in links.items():
        if href.startswith(base):
            assert (out / href.removeprefix(base)).is_file(), name  # the page is really there
    assert "linked above" in html.get_text()
    assert base + "accounts/islwyn_pe.html" in text and base + "index.html" in text
    text, html = parts(inbox, "head.pe@islwynhigh.co.uk")
    assert base + "departments/PE.html" in text


def test_text_emails_carry_the_checklist_and_the_summary_lists_open_problems(sample, tmp_path, inbox):
    run_with_email(sample, inbox, tmp_path / "one")
    text, _ = parts(inbox, "head.music@islwynhigh.co.uk")
    assert "TO CONFIRM: A CHECKLIST FOR A PERSON" in text
    assert "To confirm: no private direct messages with pupils" in text

    inbox.received.clear()
    main(["run", "--all", "--config", str(sample), "--out", str(tmp_path / "two"), "--offline"])
    text, html = parts(inbox, "slt.summary@islwynhigh.co.uk")
    # The second run: nothing is new, and the summary still names every open problem and where it is.
    assert "NEW SINCE THE LAST AUDIT" not in text
    still = text.split("STILL TO FIX")[1].split("ACCOUNTS")[0]
    assert "The username does not include IHS" in still and "@islwyn_pe" in still
    headings = [h.get_text(strip=True) for h in html.find_all("h2")]
    assert "Still to fix" in headings
    assert "new in this audit" not in text and "open" in still


def test_public_url_is_a_web_address_and_links_only_folders_under_the_shared_one(sample, tmp_path):
    from auditor import config as config_mod
    from auditor.reports.render import link_base

    text = sample.read_text(encoding="utf-8")
    sample.write_text(text.replace("[output]\n", '[output]\npublic_url = "file:///srv/share"\n'), encoding="utf-8")
    with pytest.raises(config_mod.ConfigError) as refused:
        config_mod.load(sample)
    assert any("public_url" in p for p in refused.value.problems)

    sample.write_text(text.replace("[output]\n", '[output]\npublic_url = "https://intranet.example.org/a"\n'))
    config = config_mod.load(sample)
    shared = config.output.dir / "2026-11-24_020000"
    assert link_base(config, shared) == "https://intranet.example.org/a/2026-11-24_020000/"
    assert link_base(config, tmp_path / "elsewhere") is None  # a --out folder nobody shares: no links
    assert link_base(config, None) is None
