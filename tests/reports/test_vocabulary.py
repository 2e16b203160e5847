"""One vocabulary: docs/vocabulary.md is the table of words, auditor.model holds the same words, and the `auditor run`
summary, every page, both parts of every email and `auditor checks` use them and no other."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from auditor.checks import all_checks
from auditor.cli import main
from auditor.model import (
    ACCOUNT_STATE_MEANINGS,
    ACCOUNT_STATE_WORDS,
    STATUS_MEANINGS,
    STATUS_WORDS,
    AccountState,
    Status,
    account_state,
)
from tests.conftest import REPO
from tests.reports.conftest import Inbox

# Words earlier versions used for the same states; none may come back beside the table's.
RETIRED = ("Check by hand", "Could not be verified", "COULD NOT BE VERIFIED", "PARTLY", "x-archive")
RETIRED_CLI_STATES = {"FAIL", "CHECK", "ok", "ERROR", "PARTLY"}


def doc_tables() -> list[dict[str, tuple[str, str]]]:
    """The two tables of docs/vocabulary.md: state -> (word, meaning)."""
    tables: list[dict[str, tuple[str, str]]] = []
    current: dict[str, tuple[str, str]] | None = None
    for line in (REPO / "docs" / "vocabulary.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else None
        if cells is None:
            current = None
            continue
        if cells[0] == "State":
            current = {}
            tables.append(current)
        elif current is not None and not set(cells[0]) <= {"-", " "}:
            current[cells[0]] = (cells[1], cells[2])
    return tables


def test_the_docs_table_is_the_code_table():
    statuses, states = doc_tables()
    assert statuses == {str(s): (STATUS_WORDS[s], STATUS_MEANINGS[s]) for s in Status}
    assert states == {str(s): (ACCOUNT_STATE_WORDS[s], ACCOUNT_STATE_MEANINGS[s]) for s in AccountState}
    # Five finding states kept distinct: no two share a word.
    assert len(set(STATUS_WORDS.values())) == len(Status)
    assert len(set(ACCOUNT_STATE_WORDS.values())) == len(AccountState)


def test_account_state_is_decided_once_worst_first():
    assert account_state(True, True, True, True) is AccountState.ERROR
    assert account_state(False, True, True, True) is AccountState.FAILING
    assert account_state(False, False, True, False) is AccountState.UNVERIFIED
    assert account_state(False, False, False, False) is AccountState.PARTLY  # a partial run: never all clear
    assert account_state(False, False, False, True) is AccountState.CLEAR


def with_email(config: Path, port: int) -> Path:
    with config.open("a", encoding="utf-8") as fh:
        fh.write(
            f'\n[email]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
            'sender = "Social Media Auditor <auditor@islwynhigh.co.uk>"\nslt = ["slt.summary@islwynhigh.co.uk"]\n'
            "retries = 0\nretry_delay = 0\nsend_when_unchanged = true\n"
        )
    return config


EXPECTED = {
    "@HistoryIHS": AccountState.UNVERIFIED,  # offline: its links could not be opened
    "@ScienceIHS": AccountState.FAILING,
    "@islwyn_pe": AccountState.FAILING,
    "@IslwynHigh": AccountState.UNVERIFIED,
    "@MusicIHS": AccountState.CLEAR,
    "@HanesIHS": AccountState.FAILING,  # Facebook export: a photo says where it was taken
    "@ihs_music": AccountState.FAILING,  # Instagram export: no AUP link on its About page
    "@DramaIHS": AccountState.FAILING,
}


def test_cli_pages_and_emails_use_the_tables_words(sample, tmp_path, inbox: Inbox, capsys):
    config = with_email(sample, inbox.port)
    out = tmp_path / "r"
    assert main(["run", "--all", "--config", str(config), "--out", str(out), "--offline"]) == 1
    summary = capsys.readouterr().out

    # The CLI summary: each account's STATE column is its word.
    header, *lines = summary.split("\n\n")[0].splitlines()
    assert "STATE" in header and "NOT VERIFIED" in header and "TO FIX" in header
    start = header.index("STATE")
    states = {line.split()[0]: line[start:].split("  ")[0].strip() for line in lines}
    assert states == {handle: state.word for handle, state in EXPECTED.items()}
    assert not RETIRED_CLI_STATES & set(states.values())
    assert "x-archive" not in summary and "X (archive)" in summary

    # Every page: each badge says the word of its class, and the legend explains every finding word.
    words = {**{str(s): STATUS_WORDS[s] for s in Status}}
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 15  # 8 accounts, 6 departments, the school
    seen: set[str] = set()
    for page in pages:
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for badge in doc.select(".badge"):
            kinds = set(badge["class"]) & set(words)
            if kinds:
                text = badge.get_text(strip=True)
                assert text in words.values() or text in ACCOUNT_STATE_WORDS.values(), (page, text)
                seen.add(text)
        legend = doc.find("footer").get_text()
        assert all(f"{w}:" in legend for w in STATUS_WORDS.values()), page
        visible = doc.get_text(" ", strip=True)
        assert not [r for r in RETIRED if r in visible], page
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = {r.find("a").get_text(): r.select_one(".badge").get_text() for r in index.find_all("table")[0]("tr")[1:]}
    assert rows == {handle: state.word for handle, state in EXPECTED.items()}
    assert {"To fix", "Not verified", "To confirm", "Waived", "Passed", "All clear"} <= seen

    # Both parts of every email: the account lines say the same words, the text part explains every word.
    reports = [r for r in inbox.received if not str(r.message["Subject"]).strip().startswith("URGENT")]
    assert len(reports) == 7  # six departments and the school summary, besides the samples' urgent alerts
    checked = 0
    for received in reports:
        text = received.message.get_body(("plain",)).get_content()
        html = received.message.get_body(("html",)).get_content()
        assert all(f"{w}: " in text for w in STATUS_WORDS.values())
        for part in (text, BeautifulSoup(html, "html.parser").get_text(" ", strip=True)):
            assert not [r for r in RETIRED if r in part], received.message["Subject"]
        for handle, state in EXPECTED.items():
            line = next((ln for ln in text.splitlines() if ln.startswith(f"- {handle}, ")), None)
            if line is not None:
                assert re.search(rf": {re.escape(state.word)}(:|$)", line), line
                checked += 1
    assert checked >= 2 * len(EXPECTED)  # every account in the school summary and in its department's email


def test_auditor_checks_lists_the_severities_each_check_gives(capsys):
    assert main(["checks"]) == 0
    listing = capsys.readouterr().out.splitlines()
    for check in all_checks().values():
        row = next(line for line in listing if line.startswith(check.id + " "))
        assert f" {check.severity_range} " in row
        assert check.severity in check.severities
    assert "medium to critical" in next(r for r in listing if r.startswith("comments.inappropriate "))
