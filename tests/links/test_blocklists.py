"""UT1 format on small fixture lists: domains match themselves and their subdomains, urls match pages below them."""

import io
import json
import os
import tarfile

import pytest
import responses

from auditor.cli import main
from auditor.links.blocklists import INDEX_NAME, Blocklists
from auditor.links.settings import LinkSettings
from auditor.links.update import update_blocklists
from tests.conftest import write_config
from tests.links.conftest import write_lists

LISTS = {
    "adult": {"domains": ["# comment", "badsite.example", "", "XXX.Example"], "urls": ["host.example/adult/pages"]},
    "gambling": {"domains": ["bets.example"], "urls": []},
    "drogue": {"domains": ["weed.example"]},
}


@pytest.fixture
def lists(tmp_path):
    folder = write_lists(tmp_path / "bl", LISTS)
    (folder / "ut1.json").write_text(json.dumps({"categories": {"adult": {"updated": "2026-11-01"}}}))
    opened = Blocklists(folder, ["adult", "gambling", "drugs", "dating"])
    yield opened
    opened.close()


def test_domain_and_subdomains_match_but_lookalike_suffixes_do_not(lists):
    assert lists.match("badsite.example").entry == "badsite.example"
    assert lists.match("a.b.badsite.example").category == "adult"
    assert lists.match("xxx.example").entry == "xxx.example"  # entries are compared in lower case
    assert lists.match("notbadsite.example") is None
    assert lists.match("badsite.example.evil") is None


def test_friendly_category_names_map_to_ut1_folders(lists):
    assert lists.match("weed.example").category == "drogue"  # "drugs" in the config
    assert lists.missing == ("dating",)


def test_urls_list_matches_the_page_and_below(lists):
    assert lists.match("host.example", "/adult/pages").entry == "host.example/adult/pages"
    assert lists.match("www.host.example", "/adult/pages/2?x=1").category == "adult"
    assert lists.match("host.example", "/adult") is None
    assert lists.match("host.example", "/") is None


def test_versions_come_from_the_update_record_or_the_file_date(lists):
    assert lists.versions["adult"] == "2026-11-01"
    assert len(lists.versions["gambling"]) == 10
    assert lists.match("badsite.example").version == "2026-11-01"
    assert lists.oldest().isoformat() == "2026-11-01"


def test_index_is_built_once_and_rebuilt_when_a_list_changes(tmp_path):
    folder = write_lists(tmp_path / "bl", LISTS)
    Blocklists(folder, ["adult"]).close()
    index = folder / INDEX_NAME
    built = index.stat().st_mtime_ns
    Blocklists(folder, ["adult"]).close()
    assert index.stat().st_mtime_ns == built
    domains = folder / "adult" / "domains"
    domains.write_text("newbad.example\n", encoding="utf-8")
    os.utime(domains, ns=(built + 10**9, built + 10**9))
    again = Blocklists(folder, ["adult"])
    assert again.match("newbad.example") is not None and again.match("badsite.example") is None
    again.close()


def _tarball(category: str, domains: str, urls: str = "", extra: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        files = {f"{category}/domains": domains, f"{category}/urls": urls, **(extra or {})}
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


BASE = "https://lists.example.org/ut1/"


@responses.activate
def test_update_downloads_categories_records_their_date_and_builds_the_index(tmp_path):
    responses.get(
        f"{BASE}adult.tar.gz",
        body=_tarball("adult", "badsite.example\n", extra={"../../escape": "x", "adult/usage": "nope"}),
        headers={"Last-Modified": "Wed, 18 Nov 2026 06:00:00 GMT"},
    )
    responses.get(f"{BASE}drogue.tar.gz", body=_tarball("drogue", "weed.example\n"))
    responses.get(f"{BASE}dating.tar.gz", status=404)
    settings = LinkSettings(blocklists=tmp_path / "data", blocked_categories=("adult", "drugs", "dating"),
                            blocklist_url=BASE)  # fmt: skip
    import datetime as dt

    result = update_blocklists(settings, today=dt.date(2026, 11, 24))
    assert result.updated == {"adult": "2026-11-18", "drogue": "2026-11-24"}
    assert "HTTP 404" in result.failed["dating"]
    meta = json.loads((tmp_path / "data/ut1.json").read_text())
    assert meta["categories"]["adult"]["updated"] == "2026-11-18"
    assert sorted(p.name for p in (tmp_path / "data/adult").iterdir()) == ["domains", "urls"]
    assert not (tmp_path / "escape").exists()
    lists = Blocklists(tmp_path / "data", ["adult", "drugs"])
    assert lists.match("www.badsite.example").version == "2026-11-18"
    lists.close()


@responses.activate
def test_blocklists_update_command(tmp_path, capsys):
    responses.get(f"{BASE}adult.tar.gz", body=_tarball("adult", "badsite.example\n"))
    responses.get(f"{BASE}gambling.tar.gz", body=b"this is not a tarball")
    config = write_config(
        tmp_path,
        f"""
        [[accounts]]
        handle = "@HistoryIHS"
        platform = "x-archive"
        department = "History"
        source = "archive"

        [links]
        blocked_categories = ["adult", "gambling"]
        blocklist_url = "{BASE}"
        blocklists = "lists"
        """,
    )
    assert main(["blocklists", "update", "--config", str(config)]) == 3
    out = capsys.readouterr().out
    assert "adult: updated" in out and "gambling: NOT updated" in out and "not a readable" in out
    assert (tmp_path / "lists/adult/domains").read_text() == "badsite.example\n"


@responses.activate
def test_a_damaged_download_leaves_the_previous_list_in_place(tmp_path):
    folder = write_lists(tmp_path / "data", {"adult": {"domains": ["old.example"]}})
    responses.get(f"{BASE}adult.tar.gz", body=_tarball("adult", "new.example\n")[:60])
    settings = LinkSettings(blocklists=folder, blocked_categories=("adult",), blocklist_url=BASE)
    result = update_blocklists(settings)
    assert result.updated == {} and "adult" in result.failed
    assert (folder / "adult/domains").read_text() == "old.example\n"
