"""Reports and emails in Welsh (`[school] language = "cy"`) and in both languages ("en+cy", Welsh first), from the
gettext catalogue in reports/locale; English unchanged; the catalogue complete and its compiled .mo current."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from auditor import config as config_mod
from auditor.checks import all_checks
from auditor.cli import main
from auditor.model import STATUS_WORDS, Change, Severity
from auditor.reports.alerts import escalation_email
from auditor.reports.catalogue import template
from auditor.reports.i18n import LOCALE_DIR, language
from auditor.reports.render import _when
from tests.reports.conftest import Inbox
from tests.reports.test_email import _finding, parts, school
from tests.reports.test_vocabulary import with_email

PO = LOCALE_DIR / "cy" / "LC_MESSAGES" / "auditor.po"
MO = PO.with_suffix(".mo")

# The one vocabulary in Welsh (docs/vocabulary.md), as the badges and the legend show it.
WELSH_WORDS = {"Angen ei gywiro", "Heb ei wirio", "I'w gadarnhau", "Wedi'i hepgor", "Wedi pasio"}
# English copy that must not be left on a Welsh page or email: headings, leads, legend, footer, steps.
ENGLISH_COPY = (
    "School summary",
    "New since the last audit",
    "New problems since the last audit",
    "Still to fix",
    "How to fix",
    "What to do",
    "What the words mean",
    "Checklist for senior leaders",
    "Times are",
    "social media audit",
    "things to fix",
    "problems to fix",
    "new in this audit",
    "Not checked automatically yet",
    "Accounts",
    "Departments",
    *STATUS_WORDS.values(),
    "All clear",
)


def run(sample: Path, out: Path, inbox: Inbox, lang: str, *extra: str) -> None:
    text = sample.read_text(encoding="utf-8").replace("[school]\n", f'[school]\nlanguage = "{lang}"\n', 1)
    sample.write_text(text, encoding="utf-8")
    with_email(sample, inbox.port)
    assert main(["run", "--config", str(sample), "--out", str(out), "--offline", *extra]) in (0, 1)


def subject(message: EmailMessage) -> str:
    """The subject as a mail program shows it: a long one is folded onto the header's next line, whose leading space
    unfolding keeps."""
    return str(message["Subject"]).strip()


def page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def ours(doc: BeautifulSoup) -> str:
    """The page's own copy: its text without what stays English (a finding's reason, the policy's words, a post)."""
    for el in doc.select('[lang="en-GB"], blockquote, td a, .items a, .meta a'):
        el.decompose()
    return doc.get_text(" ", strip=True)


def test_a_welsh_run_writes_welsh_pages(sample, tmp_path, inbox):
    out = tmp_path / "r"
    run(sample, out, inbox, "cy", "--all")
    index = page(out / "index.html")
    assert index.html["lang"] == "cy"
    assert index.title.get_text().startswith("Crynodeb yr ysgol · Archwiliad cyfryngau cymdeithasol")
    assert index.h1.get_text(strip=True) == "Crynodeb yr ysgol"
    headings = [h.get_text(strip=True) for h in index.find_all("h2")]
    assert headings[:3] == ["Newydd ers yr archwiliad diwethaf", "Cyfrifon", "Adrannau"]
    assert "Rhestr wirio i'r uwch arweinwyr" in headings
    assert index.select_one(".lead.bad strong").get_text().startswith("Problemau i'w cywiro: ")
    badges = {b.get_text(strip=True) for p in out.rglob("*.html") for b in page(p).select(".badge")}
    assert {"Angen ei gywiro", "Heb ei wirio", "I'w gadarnhau", "Wedi pasio", "Popeth yn iawn", "Newydd"} <= badges
    assert {"uchel", "canolig"} <= badges  # severities
    assert not badges & {"To fix", "Not verified", "To confirm", "Passed", "All clear", "New", "high", "medium"}
    legend = index.select_one("footer .legend-status").get_text()
    assert legend.startswith("Ystyr y geiriau:") and all(f"{w}:" in legend for w in WELSH_WORDS)
    # A check's failure title heads its card in Welsh; the steps' heading too.
    cards = [h.get_text(strip=True) for h in page(out / "accounts" / "islwyn_pe.html").select(".card h3")]
    assert "Nid yw'r enw defnyddiwr yn cynnwys IHS" in cards
    assert "Sut i'w gywiro" in page(out / "accounts" / "islwyn_pe.html").get_text()
    dept = page(out / "departments" / "Science.html")
    assert dept.h1.get_text(strip=True) == "Science: cyfrifon cyfryngau cymdeithasol"
    assert [th.get_text(strip=True) for th in dept.find("table").find_all("th")] == [
        "Cyfrif",
        "Cyflwr",
        "Angen ei gywiro",
        "Newydd",
    ]
    # No English copy left: what stays English is marked lang="en-GB" and left out here.
    for path in out.rglob("*.html"):
        left = [e for e in ENGLISH_COPY if re.search(rf"\b{re.escape(e)}\b", ours(page(path)))]
        assert not left, (path.name, left)
    # Welsh dates: "Tach" for November (GMT and BST stay as they are).
    assert re.search(r"Archwiliad \d\d (Ion|Chwef|Maw|Ebr|Mai|Meh|Gorff|Awst|Medi|Hyd|Tach|Rhag) \d{4}", index.text)


def test_a_welsh_run_sends_welsh_emails(sample, tmp_path, inbox):
    run(sample, tmp_path / "r", inbox, "cy", "--all")
    reports = [r.message for r in inbox.received if not str(r.message["Subject"]).startswith("BRYS")]
    alerts = [r.message for r in inbox.received if str(r.message["Subject"]).startswith("BRYS: ")]
    assert len(reports) == 7 and alerts  # six departments and the school summary; the samples' urgent alerts
    assert all(m["Content-Language"] == "cy" for m in reports + alerts)
    subjects = {subject(m) for m in reports}
    assert any(
        s.startswith("Archwiliad cyfryngau cymdeithasol Islwyn High School: Science: angen cywiro 4, 4 newydd")
        for s in subjects
    )
    assert any(
        s.startswith("Archwiliad cyfryngau cymdeithasol Islwyn High School: crynodeb yr ysgol: ") for s in subjects
    )
    for message in reports:
        text = message.get_body(("plain",)).get_content()
        html = BeautifulSoup(message.get_body(("html",)).get_content(), "html.parser")
        assert html.html["lang"] == "cy"
        assert "Ystyr y geiriau:" in text and all(f"{w}: " in text for w in WELSH_WORDS)
        assert "What the words mean" not in text and "ACCOUNTS" not in text and "Times are" not in text
        assert "Rydych chi'n cael yr e-bost hwn" in html.get_text()
    summary = next(m for m in reports if "crynodeb yr ysgol" in str(m["Subject"]))
    text = summary.get_body(("plain",)).get_content()
    assert "CYFRIFON" in text and "ADRANNAU" in text and "RHESTR WIRIO I'R UWCH ARWEINWYR" in text
    # An urgent alert: headline, steps and the safeguarding lead's step in Welsh; the reason a check wrote stays.
    alert = alerts[0]
    body = alert.get_body(("plain",)).get_content()
    assert body.startswith("BRYS: ") and "Beth i'w wneud nawr:" in body
    assert "Rhowch wybod i'r Person Dynodedig ar gyfer Diogelu heddiw" in body
    assert "What to do now" not in body and "Tell the Designated" not in body
    assert BeautifulSoup(alert.get_body(("html",)).get_content(), "html.parser").html["lang"] == "cy"


def test_a_partial_run_says_so_in_welsh(sample, tmp_path, inbox):
    out = tmp_path / "p"
    run(sample, out, inbox, "cy", "--all", "--checks", "naming.ihs_in_username")
    index = page(out / "index.html")
    banner = index.select_one(".lead.scope").get_text(" ", strip=True)
    assert banner.startswith("Archwiliad rhannol, nid archwiliad llawn:")
    assert "Archwiliad rhannol" in index.select_one("header .meta:last-child").get_text()
    subjects = [str(r.message["Subject"]) for r in inbox.received if not str(r.message["Subject"]).startswith("BRYS")]
    assert subjects and all("Archwiliad RHANNOL o gyfryngau cymdeithasol" in s for s in subjects)
    text = inbox.received[0].message.get_body(("plain",)).get_content()
    assert "ARCHWILIAD RHANNOL, NID ARCHWILIAD LLAWN:" in text and "PARTIAL RUN" not in text


def test_bilingual_shows_welsh_then_english(sample, tmp_path, inbox):
    out = tmp_path / "b"
    run(sample, out, inbox, "en+cy", "--all")
    index = page(out / "index.html")
    assert index.html["lang"] == "cy"
    assert index.h1.get_text(" ", strip=True) == "Crynodeb yr ysgol / School summary"
    assert index.h1.find("span", lang="en-GB").get_text() == "School summary"  # the English part is marked
    assert "<span" not in index.title.get_text() and index.title.get_text().startswith(
        "Crynodeb yr ysgol / School summary · "
    )
    headings = [h.get_text(" ", strip=True) for h in index.find_all("h2")]
    assert "Newydd ers yr archwiliad diwethaf / New since the last audit" in headings
    badges = {b.get_text(strip=True) for p in out.rglob("*.html") for b in page(p).select(".badge")}
    assert {"Angen ei gywiro / To fix", "Heb ei wirio / Not verified", "Popeth yn iawn / All clear"} <= badges
    # Body copy: the Welsh sentence, then the English one on its own line.
    welsh_lead, english_lead = index.select_one(".lead.bad").find_all("p")
    assert (welsh_lead["lang"], english_lead["lang"]) == ("cy", "en-GB")
    assert (
        welsh_lead.get_text().startswith("Problemau i'w cywiro: ") and "problems to fix on 5 of 8" in english_lead.text
    )
    assert "/" not in welsh_lead.get_text() + english_lead.get_text()  # each paragraph whole, in one language
    footer = index.find("footer").get_text(" ", strip=True)
    assert footer.index("Mae'r amseroedd yn amser") < footer.index("Times are")
    cards = [h.get_text(" ", strip=True) for h in page(out / "accounts" / "islwyn_pe.html").select(".card h3")]
    assert "Nid yw'r enw defnyddiwr yn cynnwys IHS / The username does not include IHS" in cards

    reports = [r.message for r in inbox.received if not str(r.message["Subject"]).startswith("BRYS")]
    assert all(m["Content-Language"] == "cy, en-GB" for m in reports)
    science = next(subject(m) for m in reports if "Science" in subject(m))
    welsh, english = science.split(" / ")
    assert welsh.startswith("Archwiliad cyfryngau cymdeithasol Islwyn High School: Science: angen cywiro 4, 4 newydd")
    assert " ".join(english.split()).startswith("Islwyn High School social media audit: Science: 4 to fix, 4 new")
    alert = next(r.message for r in inbox.received if str(r.message["Subject"]).startswith("BRYS"))
    assert " / URGENT: " in subject(alert)
    text = alert.get_body(("plain",)).get_content()
    assert text.index("Rhowch wybod i'r Person Dynodedig") < text.index("Tell the Designated Safeguarding Lead")


def test_english_is_the_default_and_unchanged(sample, tmp_path, inbox):
    out = tmp_path / "e"
    with_email(sample, inbox.port)
    assert config_mod.load(sample).school.language == "en"
    main(["run", "--all", "--config", str(sample), "--out", str(out), "--offline"])
    index = page(out / "index.html")
    assert index.html["lang"] == "en-GB" and index.h1.get_text(strip=True) == "School summary"
    assert not index.select('[lang="en-GB"]:not(html)')  # nothing marked as English on an English page
    assert all(r.message["Content-Language"] == "en-GB" for r in inbox.received)
    assert _when(dt.datetime(2026, 11, 24, 2, tzinfo=dt.UTC), "Europe/London") == "24 Nov 2026 02:00 GMT"
    assert (
        _when(dt.datetime(2026, 11, 24, 2, tzinfo=dt.UTC), "Europe/London", language("cy")) == "24 Tach 2026 02:00 GMT"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [('"fr"', 'expected one of "en", "cy", "en+cy"'), ("1", "expected text in quotes"), ('"CY"', '"en", "cy"')],
)
def test_an_unknown_language_is_refused_with_the_choices(sample, value, expected):
    sample.write_text(sample.read_text(encoding="utf-8").replace("[school]\n", f"[school]\nlanguage = {value}\n", 1))
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(sample)
    assert "school.language" in str(err.value) and expected in str(err.value)


def test_every_message_has_a_welsh_translation():
    """The catalogue holds every message the templates, the reports' code and the checks' titles have today, each
    translated (every plural form), none fuzzy, each keeping the English's placeholders."""
    with PO.open("rb") as fh:
        po = read_po(fh, locale="cy")
    wanted = {m.id for m in template() if m.id}
    with (LOCALE_DIR / "auditor.pot").open("rb") as fh:
        assert {m.id for m in read_po(fh) if m.id} == wanted, "run python -m auditor.reports.catalogue"
    have = {m.id for m in po if m.id}
    assert wanted - have == set(), (
        "run python -m auditor.reports.catalogue, then pybabel update (docs/reports-email.md)"
    )
    assert have - wanted == set(), "messages no longer used: run pybabel update"
    for m in po:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert len(strings) == (6 if m.pluralizable else 1) and all(s.strip() for s in strings), m.id
        assert not m.fuzzy, m.id
    assert [(m.id, errors) for m, errors in po.check() if errors] == []


def test_the_compiled_catalogue_is_the_po():
    """The shipped .mo says what the .po says: `pybabel compile` was run after the last edit."""
    with PO.open("rb") as fh:
        po = read_po(fh, locale="cy")
    compiled = io.BytesIO()
    write_mo(compiled, po)
    compiled.seek(0)
    with MO.open("rb") as fh:
        shipped = read_mo(fh)
    fresh = read_mo(compiled)

    def messages(catalog: Catalog) -> dict[object, object]:
        return {str(m.id) if not isinstance(m.id, list | tuple) else tuple(m.id): m.string for m in catalog if m.id}

    assert messages(shipped) == messages(fresh)
    assert len(shipped) == len(fresh) > 200


def test_the_escalation_to_slt_in_welsh(tmp_path):
    path = school(tmp_path, 25)
    path.write_text(path.read_text(encoding="utf-8").replace("[school]\n", '[school]\nlanguage = "cy"\n', 1))
    config = config_mod.load(path)
    history = next(a for a in config.accounts if a.department == "History")
    first = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
    reason = "The login has not been shared with the monitoring lead."
    serious = _finding(history, "o1", "registry.credentials_shared", "SMP-2.2", reason, severity=Severity.HIGH)
    serious = dataclasses.replace(serious, change=Change.PERSISTING, first_seen=first)
    out = escalation_email([serious], all_checks(), config, first + dt.timedelta(days=15))
    assert out is not None
    message = out.message
    assert subject(message) == (
        "Archwiliad cyfryngau cymdeithasol Islwyn High School: problemau difrifol yn dal ar agor ar ôl 14 diwrnod: 1"
    )
    assert message["Content-Language"] == "cy"
    text, html = parts(message)
    for body in (text, BeautifulSoup(html, "html.parser").get_text(" ")):
        # What is wrong (the check's failure title), never its requirement, which would read as met.
        assert "Nid yw'r manylion mewngofnodi wedi'u rhannu â'r arweinydd monitro" in body
        assert "(SMP-2.2, uchel)" in body and "Ar agor ers 15 diwrnod." in body
        assert "Mae'r broblem hon o ddifrifoldeb critigol neu uchel" in body
        assert reason in body  # the check's reason stays English
        assert "Open for" not in body and "Serious problems" not in body
    assert text.startswith("PROBLEMAU DIFRIFOL YN DAL AR AGOR AR ÔL 14 DIWRNOD")
