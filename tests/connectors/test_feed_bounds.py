"""A feed that trickles or inflates ends within its bounds as the account's ERROR, with the reason, and memory stays
bounded. Real hostile servers on 127.0.0.1; every time bound has a generous margin so a busy machine is no failure."""

from __future__ import annotations

import json
import time
import tracemalloc

import pytest

import auditor.connectors.feed as feed_mod
from auditor.cli import main
from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.feed import FeedConnector
from auditor.model import Account
from tests.conftest import account, write_config
from tests.links.hostile import HostileServer

MARGIN = 4.0


def feed_account(url: str) -> Account:
    return account(handle="@HistoryBlogIHS", platform="feed", source_url=url)


@pytest.fixture
def server():
    with HostileServer(interval=0.05) as running:
        yield running


@pytest.mark.parametrize("path", ["/trickle-body.feed", "/trickle-headers.feed"])
def test_a_trickled_feed_is_an_error_within_its_deadline(server, path):
    connector = FeedConnector(sleep=lambda s: None, deadline=1.0)
    started = time.monotonic()
    with pytest.raises(ConnectorError, match=r"too slow: its answer was not complete after 1 s"):
        connector.fetch(feed_account(server.url(path)), FetchContext())
    assert time.monotonic() - started < 1.0 + MARGIN
    assert len(server.requests) == 1  # cut off, not retried: a retry would only trickle again


def test_a_gzip_bomb_feed_is_an_error_and_never_inflated(server):
    connector = FeedConnector(max_bytes=1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(ConnectorError, match=r"more than the 1024 KB this audit reads .*decompressed"):
            connector.fetch(feed_account(server.url("/bomb.feed")), FetchContext())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # 256 MB inflated would be; the cap (1 MB) and one read's worth are what may exist.
    assert peak < 4 * 1024 * 1024, peak


def test_the_default_cap_holds_the_bomb_too(server):
    tracemalloc.start()
    try:
        with pytest.raises(ConnectorError, match="more than the 10240 KB"):
            FeedConnector().fetch(feed_account(server.url("/bomb.feed")), FetchContext())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024, peak


def test_a_slow_feed_makes_its_account_error_and_the_run_goes_on(tmp_path, server, monkeypatch):
    monkeypatch.setattr(feed_mod, "FEED_DEADLINE", 1.0)
    body = f"""
[[accounts]]
handle = "@HistoryBlogIHS"
platform = "feed"
department = "History"
source = "{server.url("/trickle-body.feed")}"
"""
    config = write_config(tmp_path, body)
    out = tmp_path / "out"
    started = time.monotonic()
    code = main(
        ["run", "--all", "--config", str(config), "--out", str(out), "--no-email", "--checks", "about.aup_link"]
    )
    assert time.monotonic() - started < 1.0 + 20.0  # the deadline, plus a whole run's own work
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    [state] = doc["accounts"]
    assert code == 3
    assert state["status"] == "error" and "too slow" in state["error"]
