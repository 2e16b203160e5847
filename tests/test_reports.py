"""Reports: structure a head of department can act on, escaping of everything from the platforms, safe file names."""

import csv
import io
import json
from pathlib import Path

from bs4 import BeautifulSoup

from auditor.cli import main
from auditor.policy import CLAUSES
from auditor.reports.paths import inside, safe_name, unique_names
from tests.conftest import write_archive, write_config

HOSTILE = '<script>alert("bio")</script><img src=x onerror=alert(1)> "quoted" & <b>bold</b>'


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def all_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def assert_inert(page: Path) -> None:
    doc = soup(page)
    assert doc.find_all("script") == [], page
    assert doc.find_all(["iframe", "object", "embed", "img", "link"]) == [], page
    for tag in doc.find_all(True):
        for attr, value in tag.attrs.items():
            assert not attr.lower().startswith("on"), (page, tag)
            if attr in ("href", "src"):
                assert not str(value).lower().startswith(("javascript:", "data:", "http://", "//")) or attr == "href"
    # No remote assets: the only absolute addresses are links a reader may click.
    assert "@import" not in page.read_text(encoding="utf-8")


def test_sample_reports_lead_with_what_is_failing(sample, tmp_path):
    out = tmp_path / "r"
    main(["run", "--all", "--config", str(sample), "--out", str(out), "--offline"])
    for page in all_pages(out):
        assert_inert(page)

    pe = soup(out / "accounts/islwyn_pe.html")
    lead = pe.find(class_="lead")
    assert "4 things to fix" in lead.get_text(" ", strip=True)
    headings = [h.get_text(strip=True) for h in pe.find_all("h2")]
    assert headings[0] == "New problems since the last audit"
    first_card = pe.find(class_="card")
    text = first_card.get_text(" ", strip=True)
    assert "SMP-2.2" in text or "SMP-2.1" in text
    assert first_card.find("ol", class_="steps").find_all("li"), "a failing check must carry numbered steps"
    assert "Passed" in headings and headings.index("Passed") > headings.index("New problems since the last audit")
    # Planned clauses are never silently omitted (once every clause has a check, the section goes).
    assert ("Not checked automatically yet" in headings) == any(c.planned for c in CLAUSES.values())

    dept = soup(out / "departments/PE.html")
    assert "@islwyn_pe" in dept.get_text()
    assert dept.find("a", href="../accounts/islwyn_pe.html")

    index = soup(out / "index.html")
    rows = index.find_all("table")[0].find_all("tr")[1:]
    first_accounts = [r.find("a").get_text() for r in rows]
    # Most to fix first (the three with four each: by handle).
    assert first_accounts[:3] == ["@DramaIHS", "@islwyn_pe", "@ScienceIHS"]
    assert "SMP-2.9" in index.get_text() and "SMP-2.7" in index.get_text()
    clause_rows = {r.find("td").get_text(): r.get_text(" ", strip=True) for r in index.find_all("table")[2]("tr")[1:]}
    assert "not verified" in clause_rows["SMP-2.5"]  # offline, links to other sites cannot be opened

    ihs = soup(out / "accounts/IslwynHigh.html").get_text(" ", strip=True)
    assert "Not verified" in ihs and "Waived" in ihs and "predates the policy" in ihs


def _hostile_setup(tmp_path: Path, handle: str, department: str) -> Path:
    write_archive(tmp_path / "a", handle.lstrip("@"), bio=HOSTILE, website='https://evil.example/"><script>x</script>')
    return write_config(
        tmp_path,
        f"""
        [[accounts]]
        handle = {json.dumps(handle)}
        platform = "x-archive"
        department = {json.dumps(department)}
        owner = "=HYPERLINK(\\"http://evil.example\\")@gmail.com"
        source = "a"
        """,
    )


def test_text_from_profiles_renders_as_text(tmp_path):
    config = _hostile_setup(tmp_path, "@Evil<b>IHS</b>", "<i>Dept</i>")
    out = tmp_path / "out"
    assert main(["run", "--all", "--config", str(config), "--out", str(out), "--offline"]) == 1
    pages = all_pages(out)
    assert len(pages) == 3
    for page in pages:
        assert_inert(page)
        doc = soup(page)
        assert doc.find_all(["b", "i"]) == []
    account_page = next(p for p in pages if p.parent.name == "accounts")
    text = soup(account_page).get_text()
    assert HOSTILE in text  # shown to the reader exactly, as text
    assert "&lt;script&gt;" in account_page.read_text(encoding="utf-8")


def test_csv_neutralises_formulas_from_platform_text(tmp_path):
    write_archive(tmp_path / "a", "ArtIHS", bio='=HYPERLINK("http://evil.example","click")')
    config = write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@ArtIHS"
        platform = "x-archive"
        department = "Art"
        source = "a"
        """,
    )
    main(["run", "--all", "--config", str(config), "--out", str(tmp_path / "o"), "--offline", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO((tmp_path / "o/findings.csv").read_text(encoding="utf-8"))))
    excerpts = [r["excerpt"] for r in rows if r["excerpt"]]
    assert excerpts and all(e.startswith("'=") for e in excerpts)
    assert all(not r["reason"].startswith("=") for r in rows)


def test_traversal_handle_never_writes_outside_output(tmp_path):
    config = write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@../../x"
        platform = "x"
        department = "../../../etc"

        [[accounts]]
        handle = "@..\\\\..\\\\win"
        platform = "x"
        department = "/abs"
        """,
    )
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    out = tmp_path / "out"
    assert main(["run", "--all", "--config", str(config), "--out", str(out), "--offline"]) == 3
    written = [p for p in out.rglob("*") if p.is_file()]
    assert all(out.resolve() in p.resolve().parents for p in written)
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before
    assert {p.name for p in tmp_path.iterdir()} <= {
        "auditor.sqlite3",
        "auditor.sqlite3-shm",
        "auditor.sqlite3-wal",
        "auditor.sqlite3.lock",  # the one-run-at-a-time lock beside the store
        "config.toml",
        "out",
    }
    names = sorted(p.relative_to(out).as_posix() for p in written)
    assert all(".." not in n and "\\" not in n for n in names)
    assert len([n for n in names if n.startswith("accounts/")]) == 2


def test_safe_names():
    assert safe_name("@HistoryIHS") == "HistoryIHS"
    assert safe_name("@../../x") == "x"
    assert safe_name("Senior Leadership") == "Senior_Leadership"
    assert safe_name("Cymraeg / Welsh") == "Cymraeg_Welsh"
    assert safe_name("Ysgol Gymraeg Dŵr") == "Ysgol_Gymraeg_Dwr"
    assert safe_name("@con") == "con_"
    assert safe_name("@…") == "page"
    names = unique_names([("x:a", "@Art"), ("instagram:a", "@art"), ("x:b", "@ART"), ("x:c", "@../Art")], "account")
    assert names == {"x:a": "Art", "instagram:a": "art-2", "x:b": "ART-3", "x:c": "Art-4"}


def test_inside_refuses_escape(tmp_path):
    assert inside(tmp_path, "accounts", "a.html") == tmp_path.resolve() / "accounts" / "a.html"
    for parts in (("..", "x"), ("/etc/passwd",), ("accounts", "..", "..", "x")):
        try:
            inside(tmp_path, *parts)
        except ValueError:
            continue
        raise AssertionError(parts)


def test_unverified_account_is_never_all_clear(sample, tmp_path):
    out = tmp_path / "r"
    main(["run", "--all", "--config", str(sample), "--out", str(out), "--offline"])
    index = soup(out / "index.html")
    rows = {r.find("a").get_text(): r.get_text(" ", strip=True) for r in index.find_all("table")[0]("tr")[1:]}
    assert "Not verified" in rows["@IslwynHigh"] and "All clear" not in rows["@IslwynHigh"]
    # Offline, @HistoryIHS's links to other sites cannot be opened (SMP-2.5), so it is not all clear either ...
    assert "Not verified" in rows["@HistoryIHS"] and "All clear" not in rows["@HistoryIHS"]
    # An account every check passed is all clear ...
    assert "All clear" in rows["@MusicIHS"]
    # ... but leaving out the one check that cannot be verified offline does not make @HistoryIHS all clear: a run of
    # some checks is partial, and says so.
    from auditor.checks import all_checks

    verifiable = ",".join(c for c in all_checks() if c != "links.external_safe")
    main(["run", "--all", "--config", str(sample), "--out", str(tmp_path / "v"), "--offline", "--checks", verifiable])
    index = soup(tmp_path / "v" / "index.html")
    rows = {r.find("a").get_text(): r.get_text(" ", strip=True) for r in index.find_all("table")[0]("tr")[1:]}
    assert "Partly checked" in rows["@HistoryIHS"] and "All clear" not in index.get_text()
    assert "Partial run, not a full audit" in index.get_text()


def test_findings_files_written_piece_by_piece_read_as_the_whole_document_would(sample, tmp_path):
    """findings.json and findings.csv are written a finding at a time (a run of hundreds of accounts never holds
    either file in memory), and are exactly what dumping the whole document at once gives."""
    import dataclasses

    from auditor import config as config_mod
    from auditor.reports import render
    from auditor.runner import run_audit
    from auditor.store import Store

    out = tmp_path / "r"
    main(["run", "--all", "--config", str(sample), "--out", str(out), "--offline", "--format", "json,csv"])
    text = (out / "findings.json").read_text(encoding="utf-8")
    document = json.loads(text)
    assert len(document["findings"]) > 20 and document["accounts"]
    assert text == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    table = (out / "findings.csv").read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(table, newline="")))
    again = io.StringIO()
    csv.writer(again, lineterminator="\r\n").writerows(rows)
    assert len(rows) == len(document["findings"]) + 1 and table == again.getvalue()

    config = config_mod.load(sample)
    store = Store(tmp_path / "h.sqlite3")
    try:
        result = run_audit(config, config.accounts, store, offline=True)
    finally:
        store.close()
    for shown in (result, dataclasses.replace(result, findings=[])):
        whole = json.loads(render.findings_json(shown))
        assert render.findings_json(shown) == json.dumps(whole, indent=2, ensure_ascii=False) + "\n"
        assert len(whole["findings"]) == len(shown.findings)
        assert [f["id"] for f in whole["findings"]] == [f.id for f in render._ordered(shown)]
