"""A default audit (online, default settings) never opens links to this computer, however they are written."""

import json
import socket

import pytest
import requests

from auditor.cli import main
from tests.conftest import write_archive, write_config
from tests.links.localserver import RecordingServer


def _tweet(n: int, url: str) -> dict:
    return {
        "id_str": str(1000 + n),
        "full_text": f"Homework resources {url}",
        "created_at": "Mon Nov 23 09:00:00 +0000 2026",
        "entities": {"urls": [{"url": f"https://t.co/x{n}", "expanded_url": url, "display_url": url}]},
    }


def _ipv6_server() -> RecordingServer | None:
    try:
        return RecordingServer("::1")
    except OSError:
        return None


def test_links_to_this_computer_are_never_requested(tmp_path, monkeypatch):
    monkeypatch.delenv("SAFE_BROWSING_API_KEY", raising=False)
    monkeypatch.delenv("URLHAUS_AUTH_KEY", raising=False)
    v6 = _ipv6_server()
    with RecordingServer() as server:
        if v6 is not None:
            v6.__enter__()
        port, port6 = server.port, (v6.port if v6 else server.port)
        # The server works and records: a direct request shows up, so an empty record below means something.
        requests.get(f"http://127.0.0.1:{port}/probe", timeout=5)
        assert server.requests == [("GET", "/probe", f"127.0.0.1:{port}")]
        server.requests.clear()
        links = [
            f"http://127.0.0.1:{port}/a",
            f"http://localhost:{port}/b",
            f"http://[::1]:{port6}/c",
            f"http://2130706433:{port}/d",
            f"http://0x7f.1:{port}/e",
            f"http://0177.0.0.1:{port}/f",
        ]
        write_archive(
            tmp_path / "archive",
            "HistoryIHS",
            bio=f"Official. AUP https://www.islwynhigh.co.uk/ict-acceptable-use-policy http://127.1:{port}/bio",
            tweets=[_tweet(n, url) for n, url in enumerate(links)],
        )
        config = write_config(
            tmp_path,
            """
            [[accounts]]
            handle = "@HistoryIHS"
            platform = "x-archive"
            department = "History"
            source = "archive"
            """,
        )
        status = main(["run", "--all", "--config", str(config), "--out", str(tmp_path / "out"), "--no-email"])
        recorded = list(server.requests) + (list(v6.requests) if v6 else [])
        if v6 is not None:
            v6.__exit__(None, None, None)
    assert recorded == []
    assert status == 1
    findings = json.loads((tmp_path / "out/findings.json").read_text())["findings"]
    flagged = [f for f in findings if f["check"] == "links.external_safe" and f["status"] == "FAIL"]
    assert len(flagged) == len(links) + 1
    assert all(f["severity"] == "medium" and "not opened" in f["reason"] for f in flagged)


@pytest.mark.skipif(not socket.has_ipv6, reason="no IPv6 on this machine")
def test_ipv6_server_helper_records_when_reachable():
    server = _ipv6_server()
    if server is None:
        pytest.skip("::1 cannot be bound here")
    with server:
        requests.get(f"http://[::1]:{server.port}/x", timeout=5)
    assert server.requests and server.requests[0][1] == "/x"
