"""Impersonation: lookalike accounts found through a platform's public account search, replayed with `responses`.

The search answers follow each platform's documented shape: Bluesky's `app.bsky.actor.searchActors` (`actors` of
`did`, `handle`, `displayName`, `description`; the AT Protocol lexicon), Mastodon's `GET /api/v2/search` (`accounts`,
`statuses`, `hashtags`; each account with `id`, `username`, `acct`, `display_name`, `url`; docs.joinmastodon.org), and
the YouTube Data API's `search.list` with `type=channel` (`items` of `id.kind`/`id.channelId` and `snippet.title`) and
`channels.list?forHandle` (`items` of `id`). The names are our own, hostile ones included.
"""

from __future__ import annotations

import json
import re

import pytest
import responses

from auditor import config as config_mod
from auditor.checks import CheckContext, all_checks
from auditor.cli import main
from auditor.connectors.lookalikes import LookalikeSearch, school_names
from auditor.model import Account, Status
from auditor.services import Services
from auditor.text.lookalike import judge, skeleton, visible
from tests.conftest import NOW, write_config

BSKY = "https://public.api.bsky.app/xrpc/app.bsky.actor.searchActors"
CHECK = all_checks()["identity.lookalike_accounts"]


def actor(handle: str, name: str) -> dict:
    return {"did": f"did:plc:{abs(hash(handle)) % 10**12:012d}", "handle": handle, "displayName": name,
            "description": "", "indexedAt": "2026-11-01T10:00:00.000Z"}  # fmt: skip


def config(tmp_path, body: str) -> config_mod.Config:
    return config_mod.load(write_config(tmp_path, body))


BSKY_ACCOUNTS = """
[[accounts]]
handle = "@historyihs.bsky.social"
platform = "bluesky"
department = "History"
lookalikes = "search"

[[accounts]]
handle = "@scienceihs.bsky.social"
platform = "bluesky"
department = "Science"
lookalikes = "search"
"""


def run_check(cfg: config_mod.Config, acct: Account, finder: object | None, offline: bool = False):
    from auditor.runner import check_settings, data_source

    ctx = CheckContext(
        account=acct,
        settings=check_settings(cfg),
        data=None,
        source=data_source(acct.platform),
        offline=offline,
        now=NOW,
        services=Services(lookalikes=finder),  # type: ignore[arg-type]
    )
    return CHECK.run(ctx)


@pytest.mark.parametrize(
    ("name", "looks_like"),
    [
        ("HistoryIHS", "historyihs"),
        ("Hist0ry_IHS", "historyihs"),
        ("History\u0406HS", "historyihs"),  # Cyrillic capital I
        ("Ηistory\u0399ΗS", "historyihs"),  # Greek capital Eta and Iota
        ("Hi\u200bstory\u200dIHS", "historyihs"),  # zero-width space and joiner
        ("\u202eSHIyrotsiH\u202c", "historyihs"),  # written backwards behind a right-to-left override
        ("HlSTORYlHS", "historyihs"),  # capital I drawn as a small l
    ],
)
def test_hostile_names_reduce_to_what_they_look_like(name, looks_like):
    assert skeleton(name) == skeleton(looks_like)


def test_what_counts_as_a_lookalike():
    registered = ["@HistoryIHS"]
    names = school_names("Islwyn High School")
    assert names == ["Islwyn High School", "Islwyn High"]
    assert judge("@HistoryIHS_", "", registered, names) == ("@HistoryIHS", "its name looks like @HistoryIHS")
    assert judge("@Hist0ryIHS", "", registered, names) is not None
    assert judge("@HistoryIHS2026", "", registered, names) is not None  # the registered name inside a longer one
    assert judge("@ihsmarkit", "IHS Markit", registered, names) is None  # the tag alone is no likeness
    assert judge("@mathsihs", "Maths IHS", registered, names) is None
    assert judge("@gardening_club", "Gardening Club", registered, names) is None
    assert judge("@islwynhighfans", "Islwyn High fans", registered, names) == (
        "Islwyn High",
        "its name contains the school's name, Islwyn High",
    )
    hidden = judge("@x", "\u202eSHIyrotsiH", registered, names)
    assert hidden == ("@HistoryIHS", "its name looks like @HistoryIHS (with hidden characters in it)")
    assert visible("\u202eSHIyrotsiH\u200b") == "SHIyrotsiH"


@responses.activate
def test_bluesky_lookalikes_are_listed_under_the_account_they_imitate(tmp_path):
    cfg = config(tmp_path, BSKY_ACCOUNTS)
    found = {
        "actors": [
            actor("historyihs.bsky.social", "History IHS"),  # the registered account itself
            actor("history-ihs.bsky.social", "History \u0399HS"),  # Greek Iota
            actor("scienceihs.bsky.social", "Science"),
            actor("sc1enceihs.bsky.social", "Science at IHS"),
            actor("islwynhighparents.bsky.social", "Islwyn High Parents"),
            actor("ihsmarkit.bsky.social", "IHS Markit"),
        ],
        "cursor": "25",
    }
    responses.get(BSKY, json=found)
    finder = LookalikeSearch(cfg.accounts, cfg.school.name, cfg.school.account_tag, sleep=lambda _: None)
    history, science = cfg.accounts

    results = run_check(cfg, history, finder)
    assert [(r.status, r.subject) for r in results] == [
        (Status.MANUAL, "lookalike:@history-ihs.bsky.social"),
        (Status.MANUAL, "lookalike:@islwynhighparents.bsky.social"),  # the school's name: under the first account
    ]
    assert results[0].evidence.url == "https://bsky.app/profile/history-ihs.bsky.social"
    assert "looks like @historyihs.bsky.social" in results[0].reason
    science_results = run_check(cfg, science, finder)
    assert [r.subject for r in science_results] == ["lookalike:@sc1enceihs.bsky.social"]
    # Each term is searched once a run, whatever the number of accounts: the school's names, the tag, each handle.
    searched = [c.request.params["q"] for c in responses.calls]
    assert searched == [
        "Islwyn High School",
        "Islwyn High",
        "IHS",
        "historyihs.bsky.social",
        "scienceihs.bsky.social",
    ]


@responses.activate
def test_none_found_is_a_pass_naming_what_was_searched(tmp_path):
    cfg = config(tmp_path, BSKY_ACCOUNTS)
    responses.get(BSKY, json={"actors": [actor("historyihs.bsky.social", "History")]})
    finder = LookalikeSearch(cfg.accounts, cfg.school.name, cfg.school.account_tag)
    (result,) = run_check(cfg, cfg.accounts[0], finder)
    assert result.status is Status.PASS and "found no unregistered account" in result.reason


@responses.activate
def test_a_failed_search_is_not_verified_never_a_pass(tmp_path):
    cfg = config(tmp_path, BSKY_ACCOUNTS)
    responses.get(BSKY, status=503)
    finder = LookalikeSearch(cfg.accounts, cfg.school.name, cfg.school.account_tag, sleep=lambda _: None)
    (result,) = run_check(cfg, cfg.accounts[0], finder)
    assert result.status is Status.ERROR and "Bluesky's account search failed" in result.reason
    (again,) = run_check(cfg, cfg.accounts[1], finder)
    assert again.status is Status.ERROR
    assert len(responses.calls) == 4  # the first try and three retries, once for the platform


@responses.activate
def test_mastodon_search_on_the_schools_server(tmp_path):
    cfg = config(
        tmp_path,
        '[[accounts]]\nhandle = "@HistoryIHS@mastodon.example"\nplatform = "mastodon"\ndepartment = "History"\n'
        'lookalikes = "search"\n',
    )
    body = {
        "accounts": [
            {"id": "1", "username": "HistoryIHS", "acct": "HistoryIHS", "display_name": "History",
             "url": "https://mastodon.example/@HistoryIHS"},
            {"id": "2", "username": "History_IHS", "acct": "History_IHS@other.example", "display_name": "History IHS",
             "url": "https://other.example/@History_IHS"},
        ],
        "statuses": [],
        "hashtags": [],
    }  # fmt: skip
    responses.get("https://mastodon.example/api/v2/search", json=body)
    finder = LookalikeSearch(cfg.accounts, cfg.school.name, cfg.school.account_tag)
    results = run_check(cfg, cfg.accounts[0], finder)
    assert [r.subject for r in results] == ["lookalike:@history_ihs@other.example"]
    assert responses.calls[0].request.params["type"] == "accounts"


@responses.activate
def test_youtube_knows_the_schools_channel_by_id(tmp_path, monkeypatch):
    monkeypatch.setenv("YOUTUBE_API_KEY", "yt-fake-key-abcdef")
    cfg = config(
        tmp_path,
        '[[accounts]]\nhandle = "@HistoryIHS"\nplatform = "youtube"\ndepartment = "History"\nlookalikes = "search"\n',
    )
    responses.get(
        "https://www.googleapis.com/youtube/v3/channels",
        json={"kind": "youtube#channelListResponse", "items": [{"kind": "youtube#channel", "id": "UCschool0001"}]},
    )
    search = {
        "kind": "youtube#searchListResponse",
        "items": [
            {"kind": "youtube#searchResult", "id": {"kind": "youtube#channel", "channelId": "UCschool0001"},
             "snippet": {"channelId": "UCschool0001", "title": "History IHS", "description": ""}},
            {"kind": "youtube#searchResult", "id": {"kind": "youtube#channel", "channelId": "UCfake000002"},
             "snippet": {"channelId": "UCfake000002", "title": "HistoryIHS Official", "description": ""}},
        ],
    }  # fmt: skip
    responses.get("https://www.googleapis.com/youtube/v3/search", json=search)
    finder = LookalikeSearch(cfg.accounts, cfg.school.name, cfg.school.account_tag)
    results = run_check(cfg, cfg.accounts[0], finder)
    assert [(r.subject, r.evidence.url) for r in results] == [
        ("lookalike:historyihs official", "https://www.youtube.com/channel/UCfake000002")
    ]
    assert all("yt-fake-key-abcdef" not in r.reason for r in results)


def test_platforms_without_search_and_offline_runs_ask_a_person(tmp_path):
    cfg = config(
        tmp_path,
        '[[accounts]]\nhandle = "@HistoryIHS"\nplatform = "x"\ndepartment = "History"\nlookalikes = "search"\n'
        '[[accounts]]\nhandle = "@historyihs.bsky.social"\nplatform = "bluesky"\ndepartment = "History"\n'
        'lookalikes = "search"\n',
    )
    finder = LookalikeSearch(cfg.accounts, cfg.school.name, cfg.school.account_tag)
    (x,) = run_check(cfg, cfg.accounts[0], finder)
    assert x.status is Status.MANUAL and "X has no public account search" in x.reason
    assert "'IHS', 'Islwyn High School', '@HistoryIHS'" in x.reason
    (offline,) = run_check(cfg, cfg.accounts[1], None, offline=True)
    assert offline.status is Status.MANUAL and "this run is offline" in offline.reason


def test_off_unless_asked_for(tmp_path):
    cfg = config(tmp_path, '[[accounts]]\nhandle = "@HistoryIHS"\nplatform = "x"\ndepartment = "History"\n')
    assert run_check(cfg, cfg.accounts[0], None) == []
    with pytest.raises(config_mod.ConfigError, match="lookalikes: expected whether to look for accounts imitating"):
        config(
            tmp_path,
            '[[accounts]]\nhandle = "@HistoryIHS"\nplatform = "x"\ndepartment = "History"\nlookalikes = "yes"\n',
        )


@responses.activate
def test_through_a_live_run_with_a_hostile_name(tmp_path):
    body = (
        '[[accounts]]\nhandle = "@historyihs.bsky.social"\nplatform = "bluesky"\ndepartment = "History"\n'
        'lookalikes = "search"\n'
    )
    path = write_config(tmp_path, body)
    responses.get(BSKY, json={"actors": [actor("hist0ryihs.bsky.social", "\u202eSHIyrotsiH<script>")]})
    responses.get(
        re.compile(r"https://public\.api\.bsky\.app/xrpc/app\.bsky\.(actor\.getProfile|feed\..*)"), status=503
    )
    out = tmp_path / "out"
    main(
        [
            "run",
            "--all",
            "--config",
            str(path),
            "--out",
            str(out),
            "--no-email",
            "--checks",
            "identity.lookalike_accounts",
        ]
    )
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    (finding,) = [f for f in doc["findings"] if f["check"] == "identity.lookalike_accounts"]
    assert finding["status"] == "MANUAL" and finding["clause"] == "SMP-2.2"
    assert "\u202e" not in finding["reason"] and "hidden characters" in finding["reason"]
    page = next((out / "accounts").glob("*.html")).read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_a_run_where_no_account_asks_does_not_claim_to_have_looked(sample, tmp_path):
    out = tmp_path / "out"
    main(["run", "--all", "--offline", "--config", str(sample), "--out", str(out), "--no-email"])
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert not [f for f in doc["findings"] if f["check"] == "identity.lookalike_accounts"]
    page = (out / "index.html").read_text(encoding="utf-8")
    row = page[page.index(">SMP-2.2<") : page.index(">SMP-2.3<")]
    assert "not run this time:" in row and row.index("not run this time:") < row.index("imitates the school")
