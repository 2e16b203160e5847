"""Fault matrix: every live connector against every way a platform fails.

Each case audits one live account whose platform misbehaves beside a healthy archive account. The faulty account
must be ERROR with a plain reason, the healthy one audited, the run must finish with exit status 3, and what earlier
runs stored must be untouched.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
import responses

from auditor import connectors
from auditor.cli import main
from tests.conftest import write_archive, write_config

TOKENS = {
    "X_BEARER_TOKEN": "x-fake-token-123456",
    "META_ACCESS_TOKEN": "meta-fake-token-654321",
    "YOUTUBE_API_KEY": "yt-fake-key-abcdef",
    # Threads (issue 15)
    "THREADS_ACCESS_TOKEN": "threads-fake-token-13579",
    "INSTAGRAM_ACCESS_TOKEN": "ig-login-fake-token-24680",
}

ACCOUNTS = {
    "x": 'handle = "@ScienceIHS"',
    "facebook": 'handle = "@ScienceIHS"\npage_id = "1234567890"',
    "instagram": 'handle = "@ScienceIHS"',
    "youtube": 'handle = "@ScienceIHS"',
    "mastodon": 'handle = "@scienceihs@mastodon.example"',
    "bluesky": 'handle = "@scienceihs.bsky.social"',
    "feed": 'handle = "science-blog"\nsource = "https://science.islwynhigh.example/feed.xml"',
    # Threads and Instagram Login (issue 15); a key "platform:route" is a second route of one platform.
    "threads": 'handle = "@ScienceIHS"',
    "instagram:login": 'handle = "@ScienceIHS"\nroute = "instagram-login"',
}


def _platform(key: str) -> str:
    return key.split(":")[0]


_CHANGED_TYPES = json.dumps(
    {
        "data": "changed",
        "items": "changed",
        "id": ["changed"],
        "username": 5,
        "handle": [],
        "did": 5,
        "note": 7,
        "fields": "x",
        "name": [],
        "feed": 3,
        "statuses": {},
        "paging": "x",
        "includes": 4,
        "meta": "x",
    }
)

FAULTS: dict[str, Callable[[], dict[str, object]]] = {
    "connection refused": lambda: {"body": requests.ConnectionError("[Errno 111] Connection refused")},
    "dns failure": lambda: {
        "body": requests.ConnectionError("Failed to resolve host ([Errno -2] Name or service not known)")
    },
    "timeout": lambda: {"body": requests.ReadTimeout("read timed out")},
    "429 with reset headers": lambda: {
        "status": 429,
        "body": "{}",
        "content_type": "application/json",
        "headers": {"Retry-After": "3600", "x-rate-limit-reset": str(int(time.time()) + 3600)},
    },
    "429 without headers": lambda: {"status": 429, "body": "{}", "content_type": "application/json"},
    "5xx storm": lambda: {"status": 503, "body": "Service Unavailable", "content_type": "text/plain"},
    "truncated json": lambda: {
        "status": 200,
        "body": '{"data": {"id": "1", "username"',
        "content_type": "application/json",
    },
    "malformed json": lambda: {"status": 200, "body": '{"data": [1, 2,, ]}', "content_type": "application/json"},
    "html instead of json": lambda: {
        "status": 200,
        "body": "<html><body><h1>Down for maintenance</h1></body></html>",
        "content_type": "text/html",
    },
    "expired token": lambda: {
        "status": 401,
        "content_type": "application/json",
        "body": json.dumps(
            {"error": {"message": "Error validating access token", "code": 190, "type": "OAuthException"}}
        ),
    },
    "field changes type": lambda: {"status": 200, "body": _CHANGED_TYPES, "content_type": "application/json"},
}


@pytest.fixture
def no_waiting(monkeypatch):
    """Connectors built by the runner never really sleep in these tests."""
    waits: list[float] = []
    for platform in {_platform(key) for key in ACCOUNTS}:
        factory = connectors.factory(platform)

        def patched(factory=factory):
            made = factory()
            made.sleep = waits.append  # every connector keeps its sleep on the instance and passes it down
            return made

        monkeypatch.setitem(connectors._FACTORIES, platform, patched)
    return waits


def _config(tmp_path: Path, platform: str) -> Path:
    write_archive(tmp_path / "good", "HistoryIHS", bio="AUP https://www.islwynhigh.co.uk/ict-acceptable-use-policy")
    return write_config(
        tmp_path,
        f"""
        [[accounts]]
        handle = "@HistoryIHS"
        platform = "x-archive"
        department = "History"
        source = "good"

        [[accounts]]
        {ACCOUNTS[platform]}
        platform = "{_platform(platform)}"
        department = "Science"
        """.replace("\n        ", "\n"),
    )


def _rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT run_id, id, status, reason FROM findings ORDER BY run_id, id").fetchall()


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("platform", list(ACCOUNTS))
def test_fault_makes_only_that_account_error(tmp_path, monkeypatch, no_waiting, platform, fault):
    for name, value in TOKENS.items():
        monkeypatch.setenv(name, value)
    config = _config(tmp_path, platform)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in (responses.GET, responses.POST, responses.HEAD):
            mock.add(method, re.compile(r".*"), **FAULTS[fault]())
        assert main(["run", "--all", "--config", str(config), "--out", str(tmp_path / "r1"), "--no-email"]) == 3
        first = _rows(tmp_path / "auditor.sqlite3")
        assert main(["run", "--all", "--config", str(config), "--out", str(tmp_path / "r2"), "--no-email"]) == 3

    doc = json.loads((tmp_path / "r2" / "findings.json").read_text(encoding="utf-8"))
    states = {a["platform"]: a for a in doc["accounts"]}
    assert states["x-archive"]["status"] == "ok"
    broken = states[_platform(platform)]
    assert broken["status"] == "error"
    reason = broken["error"]
    # A plain reason from the connector, not the runner's fallback for an unexpected exception.
    assert reason and not reason.startswith("unexpected"), reason
    assert "Traceback" not in reason and "object at 0x" not in reason
    for secret in TOKENS.values():
        assert secret not in json.dumps(doc)
    # Waiting is bounded: a few backoff steps at most, never an hour because a header said so.
    assert sum(no_waiting) <= 2 * 120
    # Nothing stored earlier is lost or changed.
    assert set(first) <= set(_rows(tmp_path / "auditor.sqlite3"))


# --- Meta "Download your information" exports (facebook-export, instagram-export) -------------------------------------
# An export is a file from outside, not a network answer: each fault is a damaged or hostile export. The faulty account
# must be ERROR with a plain reason naming the fix, the healthy one audited, the run exit 3, earlier history kept.

_EXPORT_POSTS = {
    "facebook-export": "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json",
    "instagram-export": "your_instagram_activity/content/posts_1.json",
}
_EXPORT_HANDLES = {"facebook-export": "@ScienceIHS", "instagram-export": "@science_ihs"}


def _export_zip(path: Path, members: dict[str, bytes]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


EXPORT_FAULTS: dict[str, tuple[Callable[[Path, str], Path], str]] = {
    "bad json": (
        lambda folder, platform: _export_zip(folder / "export.zip", {_EXPORT_POSTS[platform]: b'[{"timestamp": 17'}),
        "looks truncated",
    ),
    "zip bomb": (
        lambda folder, platform: _export_zip(
            folder / "export.zip", {_EXPORT_POSTS[platform]: b"[]", "media/posts/bomb.jpg": bytes(64 << 20)}
        ),
        "zip bomb",
    ),
    "path escape": (
        lambda folder, platform: _export_zip(
            folder / "export.zip", {_EXPORT_POSTS[platform]: b"[]", "../../../home/evil.sh": b"#!/bin/sh"}
        ),
        "hostile member name",
    ),
    "html export": (
        lambda folder, platform: _export_zip(
            folder / "export.zip",
            {"start_here.html": b"<html></html>", _EXPORT_POSTS[platform].replace(".json", ".html"): b"<html>"},
        ),
        "choose Format: JSON",
    ),
}


@pytest.mark.parametrize("fault", list(EXPORT_FAULTS))
@pytest.mark.parametrize("platform", list(_EXPORT_POSTS))
def test_export_fault_makes_only_that_account_error(tmp_path, platform, fault):
    make, expected = EXPORT_FAULTS[fault]
    write_archive(tmp_path / "good", "HistoryIHS", bio="AUP https://www.islwynhigh.co.uk/ict-acceptable-use-policy")
    make(tmp_path, platform)
    config = write_config(
        tmp_path,
        f"""
        [[accounts]]
        handle = "@HistoryIHS"
        platform = "x-archive"
        department = "History"
        source = "good"

        [[accounts]]
        handle = "{_EXPORT_HANDLES[platform]}"
        platform = "{platform}"
        department = "Science"
        source = "export.zip"
        """.replace("\n        ", "\n"),
    )
    assert main(["run", "--all", "--config", str(config), "--out", str(tmp_path / "r1"), "--no-email"]) == 3
    first = _rows(tmp_path / "auditor.sqlite3")
    assert main(["run", "--all", "--config", str(config), "--out", str(tmp_path / "r2"), "--no-email"]) == 3

    doc = json.loads((tmp_path / "r2" / "findings.json").read_text(encoding="utf-8"))
    states = {a["platform"]: a for a in doc["accounts"]}
    assert states["x-archive"]["status"] == "ok"
    broken = states[platform]
    assert broken["status"] == "error"
    reason = broken["error"]
    assert expected in reason, reason
    assert "Traceback" not in reason and "object at 0x" not in reason
    # Nothing was unpacked beside the export, and nothing stored earlier is lost or changed.
    assert not (tmp_path.parent / "home" / "evil.sh").exists()
    assert set(first) <= set(_rows(tmp_path / "auditor.sqlite3"))


# --- TikTok data export: a file the school downloaded, not a live platform -------------------------------------------
#
# Each case audits a TikTok account whose export is malformed, truncated or hostile beside the healthy archive account:
# the export's account is ERROR with a plain reason naming what is wrong, the other is audited, exit status 3.


def _tiktok_zip(path: Path, members: dict[str, bytes]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _export_json() -> bytes:
    from tests.connectors.test_tiktok_export import current_export

    return json.dumps(current_export(username="ScienceIHS")).encode("utf-8")


def _truncated_zip(folder: Path) -> Path:
    """An interrupted download: the zip's first 200 bytes only."""
    whole = _tiktok_zip(folder / "full.zip", {"user_data_tiktok.json": _export_json()}).read_bytes()
    (folder / "full.zip").unlink()
    path = folder / "e.zip"
    path.write_bytes(whole[:200])
    return path


TIKTOK_FAULTS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "bad json": (
        lambda d: _tiktok_zip(d / "e.zip", {"user_data_tiktok.json": b'{"Post": {"Posts": [1,, 2]}}'}),
        "JSON syntax error",
    ),
    "truncated json": (
        lambda d: _tiktok_zip(d / "e.zip", {"user_data_tiktok.json": _export_json()[:300]}),
        "looks truncated",
    ),
    "truncated zip": (_truncated_zip, "not a valid zip file"),
    "zip bomb": (
        lambda d: _tiktok_zip(d / "e.zip", {"user_data_tiktok.json": b"[" + b" " * (20 * 1024 * 1024) + b"]"}),
        "zip bomb",
    ),
    "path escape": (
        lambda d: _tiktok_zip(d / "e.zip", {"../../user_data_tiktok.json": _export_json()}),
        "hostile member name",
    ),
    "wrong encoding": (
        lambda d: _tiktok_zip(d / "e.zip", {"user_data_tiktok.json": _export_json().decode().encode("utf-16")}),
        "UTF-16",
    ),
    "latin-1 bytes": (
        lambda d: _tiktok_zip(d / "e.zip", {"user_data_tiktok.json": _export_json().replace(b"Art IHS", b"Caf\xe9")}),
        "not UTF-8",
    ),
    "not an export": (lambda d: _tiktok_zip(d / "e.zip", {"notes.json": b"{}"}), "no user_data_tiktok.json"),
}


@pytest.mark.parametrize("fault", list(TIKTOK_FAULTS))
def test_a_broken_tiktok_export_makes_only_that_account_error(tmp_path, fault):
    make, expected = TIKTOK_FAULTS[fault]
    exports = tmp_path / "exports"
    exports.mkdir()
    make(exports)
    write_archive(tmp_path / "good", "HistoryIHS", bio="AUP https://www.islwynhigh.co.uk/ict-acceptable-use-policy")
    config = write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@HistoryIHS"
        platform = "x-archive"
        department = "History"
        source = "good"

        [[accounts]]
        handle = "@ScienceIHS"
        platform = "tiktok"
        department = "Science"
        source = "exports/e.zip"
        """,
    )
    assert main(["run", "--all", "--config", str(config), "--out", str(tmp_path / "r"), "--no-email"]) == 3
    doc = json.loads((tmp_path / "r" / "findings.json").read_text(encoding="utf-8"))
    states = {a["platform"]: a for a in doc["accounts"]}
    assert states["x-archive"]["status"] == "ok"
    assert states["tiktok"]["status"] == "error"
    reason = states["tiktok"]["error"]
    assert expected in reason, reason
    assert not reason.startswith("unexpected") and "Traceback" not in reason
    # Nothing was unpacked next to the export or outside it.
    assert sorted(p.name for p in exports.iterdir()) == ["e.zip"]
    assert not (tmp_path / "user_data_tiktok.json").exists()


# Impersonation (issue 15): the lookalike search meets the same faults. Its finding must say "not verified" (ERROR)
# with a plain reason, never PASS, and the run goes on.
@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_failing_lookalike_search_is_not_verified(tmp_path, monkeypatch, fault):
    from auditor import runner
    from auditor.connectors.lookalikes import LookalikeSearch

    waits: list[float] = []
    monkeypatch.setattr(
        runner,
        "_lookalike_search",
        lambda config: LookalikeSearch(
            config.accounts, config.school.name, config.school.account_tag, sleep=waits.append
        ),
    )
    config = write_config(
        tmp_path,
        '[[accounts]]\nhandle = "@scienceihs.bsky.social"\nplatform = "bluesky"\ndepartment = "Science"\n'
        'lookalikes = "search"\n',
    )
    out = tmp_path / "out"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in (responses.GET, responses.POST, responses.HEAD):
            mock.add(method, re.compile(r".*"), **FAULTS[fault]())
        main(
            [
                "run",
                "--all",
                "--config",
                str(config),
                "--out",
                str(out),
                "--no-email",
                "--checks",
                "identity.lookalike_accounts",
            ]
        )
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    (finding,) = [f for f in doc["findings"] if f["check"] == "identity.lookalike_accounts"]
    assert finding["status"] == "ERROR", finding
    assert "account search failed" in finding["reason"] and "Traceback" not in finding["reason"]
    assert sum(waits) <= 2 * 120


# --- TikTok's Data Portability API (issue 15) -------------------------------------------------------------------------
#
# The route asks TikTok for the account's export, checks on it and downloads it. Each fault strikes either every call
# (the first run's request) or only the download of an export an earlier run asked for and TikTok says is ready. The
# account is ERROR with a plain reason, the healthy one audited, exit status 3, the token quoted nowhere, and the
# request asked for earlier still stored for the next run.

_TIKTOK_API = "https://open.tiktokapis.com/v2/user/data/"
_TIKTOK_TOKEN = "tiktok-fake-token-97531"
_TIKTOK_REQUEST = 7312345678901234567


def _tiktok_ok(data: dict[str, object]) -> dict[str, object]:
    return {"data": data, "error": {"code": "ok", "message": "", "log_id": "202611290000000A1B2C3D4E5F"}}


@pytest.mark.parametrize("where", ["every call", "the download"])
@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_failing_tiktok_portability_api_makes_only_that_account_error(tmp_path, monkeypatch, fault, where):
    from auditor.connectors.tiktok_portability import TikTokPortabilityConnector
    from auditor.net.guard import Guard

    monkeypatch.setenv("TIKTOK_ACCESS_TOKEN", _TIKTOK_TOKEN)
    waits: list[float] = []

    def made() -> TikTokPortabilityConnector:
        connector = TikTokPortabilityConnector()
        connector.sleep = waits.append
        connector.guard = Guard(resolver=lambda host: ["93.184.216.34"], probes=())
        return connector

    monkeypatch.setitem(connectors._FACTORIES, "tiktok-api", made)
    write_archive(tmp_path / "good", "HistoryIHS", bio="AUP https://www.islwynhigh.co.uk/ict-acceptable-use-policy")
    config = write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@HistoryIHS"
        platform = "x-archive"
        department = "History"
        source = "good"

        [[accounts]]
        handle = "@ScienceIHS"
        platform = "tiktok-api"
        department = "Science"
        """,
    )
    run = ["run", "--all", "--config", str(config), "--no-email"]
    pending = {"request_id": _TIKTOK_REQUEST, "apply_time": 1764374400, "status": "pending"}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        if where == "the download":
            # A first run asks for the export; TikTok is preparing it.
            mock.post(f"{_TIKTOK_API}add/", json=_tiktok_ok({"request_id": _TIKTOK_REQUEST}))
            mock.post(f"{_TIKTOK_API}check/", json=_tiktok_ok(pending))
            assert main([*run, "--out", str(tmp_path / "r0")]) == 3
    first = _rows(tmp_path / "auditor.sqlite3") if where == "the download" else []
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        if where == "the download":
            mock.post(f"{_TIKTOK_API}check/", json=_tiktok_ok({**pending, "status": "downloading"}))
            mock.post(f"{_TIKTOK_API}download/", **FAULTS[fault]())
        else:
            for method in (responses.GET, responses.POST, responses.HEAD):
                mock.add(method, re.compile(r".*"), **FAULTS[fault]())
        assert main([*run, "--out", str(tmp_path / "r1")]) == 3

    doc = json.loads((tmp_path / "r1" / "findings.json").read_text(encoding="utf-8"))
    states = {a["platform"]: a for a in doc["accounts"]}
    assert states["x-archive"]["status"] == "ok"
    broken = states["tiktok-api"]
    assert broken["status"] == "error"
    reason = broken["error"]
    assert reason and not reason.startswith("unexpected"), reason
    assert "Traceback" not in reason and "object at 0x" not in reason and "/tmp" not in reason
    assert _TIKTOK_TOKEN not in json.dumps(doc)
    assert sum(waits) <= 2 * 120
    assert set(first) <= set(_rows(tmp_path / "auditor.sqlite3"))
    if where == "the download":  # the request is kept: the next run downloads it again
        with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
            stored = [json.loads(row[0]) for row in db.execute("SELECT state FROM connector_state")]
        assert [s["request_id"] for s in stored if "request_id" in s] == [str(_TIKTOK_REQUEST)]
