"""TikTokPortabilityConnector against replayed answers of TikTok's Data Portability API.

Every answer is written here by hand in the shape TikTok's documentation gives (developers.tiktok.com, read November
2026; docs/connectors-tiktok.md lists which page each fixture follows):

- "Add Data Request" (`POST /v2/user/data/add/?fields=request_id`, body `data_format` and `category_selection_list`):
  `{"data": {"request_id": <int64>}, "error": {"code": "ok", "message": "", "log_id": "..."}}`;
- "Check Status of Data Request" (`POST /v2/user/data/check/?fields=...`, body `request_id`): `data` with
  `request_id`, `apply_time`, `collect_time` (Unix seconds) and `status`;
- "Download" (`POST /v2/user/data/download/`): the archive itself, streamed as a zip (the archive inside is built with
  the "Download your data" fixtures of tests/connectors/test_tiktok_export.py);
- "Error handling" (TikTok API v2): `error.code` access_token_invalid (401), scope_not_authorized (401),
  rate_limit_exceeded (429), invalid_params (400), internal_error (500).

Every id, time and token is invented.
"""

from __future__ import annotations

import io
import json
import logging
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest
import responses

from auditor import platforms
from auditor.cli import main
from auditor.connectors import ConnectorError, FetchContext, get_connector, tiktok_portability
from auditor.connectors.tiktok_portability import TikTokPortabilityConnector
from auditor.model import SETTING_WHO_CAN_COMMENT, Account
from auditor.net.guard import Guard
from auditor.net.http import AuthFailed, RateLimited
from tests.conftest import write_config
from tests.connectors.test_tiktok_export import current_export, video

API = "https://open.tiktokapis.com/v2/user/data/"
ADD, CHECK, DOWNLOAD = f"{API}add/", f"{API}check/", f"{API}download/"
TOKEN = "act.fakeTikTokToken123!4567.e1"
VARIABLE = "TIKTOK_ACCESS_TOKEN"
FIRST_ID = 7312345678901234567  # an int64, as TikTok's request ids are
NEXT_ID = 7312345678901239999
APPLIED = 1764374400  # 2025-11-29 00:00 UTC
ACCOUNT = Account("@ArtIHS", "tiktok-api", "Art")


def ok(data: dict[str, Any]) -> dict[str, Any]:
    return {"data": data, "error": {"code": "ok", "message": "", "log_id": "202611290000000A1B2C3D4E5F"}}


def refused(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "log_id": "202611290000000F5E4D3C2B1A"}}


def status(value: str, request_id: int = FIRST_ID) -> dict[str, Any]:
    return ok(
        {
            "request_id": request_id,
            "apply_time": APPLIED,
            "collect_time": APPLIED + 900,
            "status": value,
        }
    )


def archive(members: dict[str, bytes] | None = None, **export: Any) -> bytes:
    """A zip like the one the download streams: the "Download your data" JSON at its top."""
    if members is None:
        members = {"user_data_tiktok.json": json.dumps(current_export(**export)).encode("utf-8")}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(VARIABLE, TOKEN)
    return TOKEN


@pytest.fixture
def connector(token: str) -> tuple[TikTokPortabilityConnector, list[float]]:
    made = TikTokPortabilityConnector()
    waits: list[float] = []
    made.sleep = waits.append
    # A guard with a fixed answer: no test looks a name up.
    made.guard = Guard(resolver=lambda host: ["93.184.216.34"], probes=())
    return made, waits


def fetch(made: TikTokPortabilityConnector, state: dict[str, object] | None = None) -> Any:
    ctx = FetchContext(state=state or {})
    try:
        return made.fetch(ACCOUNT, ctx)
    finally:
        ctx.cleanup()


def pending_state() -> dict[str, object]:
    return {"request_id": str(FIRST_ID), "requested_at": "2025-11-29T00:00:00+00:00"}


def body(call: Any) -> Any:
    return json.loads(call.request.body)


# --- the request's life -----------------------------------------------------------------------------------------------


@responses.activate
def test_a_first_run_requests_an_export_and_keeps_its_id_while_it_is_pending(connector) -> None:
    made, _ = connector
    responses.post(ADD, json=ok({"request_id": FIRST_ID}))
    responses.post(CHECK, json=status("pending"))
    with pytest.raises(ConnectorError) as caught:
        fetch(made)
    message = str(caught.value)
    assert message.startswith("not ready yet") and "@ArtIHS" in message and "2025-11-29 00:00 UTC" in message
    # The request is kept for the next run, as text so no JSON reader rounds the int64.
    assert caught.value.state == {"request_id": str(FIRST_ID), "requested_at": "2025-11-29T00:00:00+00:00"}
    add, check = responses.calls
    assert add.request.url == f"{ADD}?fields=request_id"
    assert body(add) == {"data_format": "json", "category_selection_list": ["profile", "video"]}
    assert add.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert add.request.headers["Content-Type"] == "application/json"
    assert "fields=request_id%2Cstatus%2Capply_time%2Ccollect_time" in check.request.url
    assert body(check) == {"request_id": FIRST_ID}  # an int64 in the body, as the documentation writes it
    assert TOKEN not in check.request.url


@responses.activate
def test_a_pending_request_is_checked_again_not_requested_again(connector) -> None:
    made, _ = connector
    responses.post(CHECK, json=status("pending"))
    with pytest.raises(ConnectorError, match="not ready yet") as caught:
        fetch(made, pending_state())
    assert caught.value.state == pending_state()
    assert [c.request.url.split("?")[0] for c in responses.calls] == [CHECK]


@responses.activate
def test_a_ready_export_is_downloaded_parsed_and_the_next_one_requested(connector) -> None:
    made, _ = connector
    responses.post(CHECK, json=status("downloading"))
    titles = [video("7400000000000000009", "2025-11-20 16:00:00", title="Year 9 printmaking, Bethan Jones")]
    download = responses.post(DOWNLOAD, body=archive(username="ArtIHS", videos=titles), content_type="application/zip")
    responses.post(ADD, json=ok({"request_id": NEXT_ID}))
    ctx = FetchContext(state=pending_state())
    try:
        data = made.fetch(ACCOUNT, ctx)
        saved = ctx.scratch() / "tiktok-data-export.zip"
        assert zipfile.is_zipfile(saved)  # the archive went to the run's scratch folder, nowhere else
    finally:
        ctx.cleanup()
    assert not saved.exists()
    assert data.profile.username == "ArtIHS" and data.profile.url == "https://www.tiktok.com/@ArtIHS"
    assert [p.id for p in data.posts] == ["7400000000000000009"] and "Bethan Jones" in data.posts[0].text
    assert data.settings[SETTING_WHO_CAN_COMMENT] == "Everyone"
    assert data.complete
    assert body(download.calls[0]) == {"request_id": FIRST_ID}
    assert download.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"
    # The next export is already asked for, so the next run finds it ready.
    assert data.state["request_id"] == str(NEXT_ID)
    assert data.state["last_export"] == "2025-11-29T00:00:00+00:00"


@responses.activate
def test_the_findings_stand_when_the_next_export_cannot_be_requested(connector) -> None:
    made, _ = connector
    responses.post(CHECK, json=status("downloading"))
    responses.post(DOWNLOAD, body=archive(username="ArtIHS"), content_type="application/zip")
    responses.post(ADD, status=400, json=refused("invalid_params", "request already exists for single scope"))
    data = fetch(made, pending_state())
    assert data.posts and data.state == {"last_export": "2025-11-29T00:00:00+00:00"}


@pytest.mark.parametrize("gone", ["expired", "cancelled"])
@responses.activate
def test_an_expired_or_cancelled_request_is_replaced(connector, gone: str) -> None:
    made, _ = connector
    responses.post(CHECK, json=status(gone))
    responses.post(ADD, json=ok({"request_id": NEXT_ID}))
    responses.post(CHECK, json=status("pending", NEXT_ID))
    with pytest.raises(ConnectorError, match="not ready yet") as caught:
        fetch(made, pending_state())
    assert caught.value.state is not None and caught.value.state["request_id"] == str(NEXT_ID)


@responses.activate
def test_a_request_tiktok_no_longer_knows_is_replaced(connector) -> None:
    made, _ = connector
    responses.post(CHECK, status=400, json=refused("invalid_params", "request_id not found"))
    responses.post(ADD, json=ok({"request_id": NEXT_ID}))
    responses.post(CHECK, json=status("pending", NEXT_ID))
    with pytest.raises(ConnectorError, match="not ready yet") as caught:
        fetch(made, pending_state())
    assert caught.value.state is not None and caught.value.state["request_id"] == str(NEXT_ID)


@responses.activate
def test_a_new_request_is_kept_even_when_its_first_check_fails(connector) -> None:
    made, _ = connector
    responses.post(ADD, json=ok({"request_id": FIRST_ID}))
    responses.post(CHECK, status=401, json=refused("access_token_invalid", "The access token is invalid."))
    with pytest.raises(AuthFailed) as caught:
        fetch(made)
    assert caught.value.state is not None and caught.value.state["request_id"] == str(FIRST_ID)


@pytest.mark.parametrize("stored", [{"request_id": "12; DROP"}, {"request_id": -4}, {"request_id": True}, {}])
@responses.activate
def test_a_damaged_or_missing_stored_id_means_a_new_request(connector, stored: dict[str, object]) -> None:
    made, _ = connector
    responses.post(ADD, json=ok({"request_id": FIRST_ID}))
    responses.post(CHECK, json=status("pending"))
    with pytest.raises(ConnectorError, match="not ready yet"):
        fetch(made, stored)
    assert [c.request.url.split("?")[0] for c in responses.calls] == [ADD, CHECK]


@responses.activate
def test_an_unknown_status_keeps_the_request_and_says_so(connector) -> None:
    made, _ = connector
    responses.post(CHECK, json=status("collecting_more"))
    with pytest.raises(ConnectorError, match="status the auditor does not know \\('collecting_more'\\)") as caught:
        fetch(made, pending_state())
    assert caught.value.state is not None and caught.value.state["request_id"] == str(FIRST_ID)


# --- credentials and refusals -----------------------------------------------------------------------------------------


@responses.activate
def test_an_expired_token_names_the_variable_never_the_token(connector) -> None:
    made, _ = connector
    responses.post(
        CHECK,
        status=401,
        json=refused("access_token_invalid", f"The access token is invalid or not found in the request. {TOKEN}"),
    )
    with pytest.raises(AuthFailed) as caught:
        fetch(made, pending_state())
    message = str(caught.value)
    assert VARIABLE in message and "access_token_invalid" in message and "expired" in message
    assert TOKEN not in message
    assert caught.value.state is None  # the stored request is left as it was
    assert len(responses.calls) == 1  # a refused token is not retried


def test_a_missing_token_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VARIABLE, raising=False)
    with pytest.raises(ConnectorError, match=f"set {VARIABLE} to a TikTok user access token"):
        TikTokPortabilityConnector().fetch(ACCOUNT, FetchContext())


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("scope_not_authorized", "has not granted, or the app is not approved for"),
        ("scope_permission_missed", "has not granted, or the app is not approved for"),
    ],
)
@responses.activate
def test_a_missing_scope_says_what_to_grant(connector, code: str, expected: str) -> None:
    made, _ = connector
    responses.post(ADD, status=401, json=refused(code, "The user did not authorize the scope required."))
    with pytest.raises(AuthFailed, match=expected) as caught:
        fetch(made)
    assert "portability.postsandprofile.ongoing" in str(caught.value)


@responses.activate
def test_a_one_time_scope_spent_says_ongoing_access_is_needed(connector) -> None:
    made, _ = connector
    responses.post(ADD, status=400, json=refused("invalid_params", "Only one request allowed for single scope."))
    with pytest.raises(ConnectorError, match="A one-time scope") as caught:
        fetch(made)
    assert "invalid_params" in str(caught.value) and caught.value.state is None


@responses.activate
def test_rate_limits_are_waited_for_then_reported(connector) -> None:
    made, waits = connector
    limited = refused("rate_limit_exceeded", "The API rate limit was exceeded. Please try again later.")
    responses.post(CHECK, status=429, json=limited)
    with pytest.raises(RateLimited, match="still limiting requests after 4 tries") as caught:
        fetch(made, pending_state())
    assert waits == [1.0, 2.0, 4.0] and caught.value.state is None


@responses.activate
def test_a_passing_rate_limit_is_waited_out_even_for_a_new_request(connector) -> None:
    made, waits = connector
    responses.post(ADD, status=429, json=refused("rate_limit_exceeded", "slow down"), headers={"Retry-After": "7"})
    responses.post(ADD, json=ok({"request_id": FIRST_ID}))
    responses.post(CHECK, json=status("pending"))
    with pytest.raises(ConnectorError, match="not ready yet"):
        fetch(made)
    assert waits == [7.0]


@responses.activate
def test_an_internal_error_is_retried_where_retrying_is_safe(connector) -> None:
    made, waits = connector
    responses.post(CHECK, status=500, json=refused("internal_error", "Something went wrong."))
    with pytest.raises(ConnectorError, match="TikTok kept failing \\(HTTP 500 after 4 tries\\)"):
        fetch(made, pending_state())
    assert len(responses.calls) == 4 and len(waits) == 3


@responses.activate
def test_a_new_request_is_not_repeated_after_a_failure_that_may_have_reached_tiktok(connector) -> None:
    made, waits = connector
    responses.post(ADD, status=503, body="Service Unavailable", content_type="text/plain")
    with pytest.raises(
        ConnectorError, match="failed when asked to prepare an export \\(HTTP 503\\); the next run asks again"
    ):
        fetch(made)
    assert len(responses.calls) == 1 and waits == []


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"body": "<html>maintenance</html>", "content_type": "text/html", "status": 502}, "kept failing"),
        ({"body": "<html>oops</html>", "content_type": "text/html", "status": 400}, "not JSON"),
        ({"json": {"data": [], "error": {"code": "ok", "message": ""}}}, "holds no data object"),
        ({"json": refused("brand_new_code", "Something new."), "status": 400}, "brand_new_code: Something new."),
    ],
)
@responses.activate
def test_other_answers_are_plain_errors(connector, answer: dict[str, Any], expected: str) -> None:
    made, _ = connector
    responses.post(CHECK, **answer)
    with pytest.raises(ConnectorError, match=expected) as caught:
        fetch(made, pending_state())
    assert "Traceback" not in str(caught.value)


def test_an_offline_or_since_or_sweep_run_sends_nothing(token: str) -> None:
    import datetime as dt

    made = TikTokPortabilityConnector()
    with responses.RequestsMock() as mock:  # any request would fail the test
        for ctx, expected in (
            (FetchContext(offline=True), "--offline"),
            (FetchContext(since=dt.date(2025, 11, 1)), "--since"),
            (FetchContext(comments_only=True), "comment sweep"),
        ):
            with pytest.raises(ConnectorError, match=expected):
                made.fetch(ACCOUNT, ctx)
        assert len(mock.calls) == 0


# --- hostile downloads ------------------------------------------------------------------------------------------------


def ready(made: TikTokPortabilityConnector, **download: Any) -> ConnectorError:
    responses.post(CHECK, json=status("downloading"))
    responses.post(DOWNLOAD, **download)
    with pytest.raises(ConnectorError) as caught:
        fetch(made, pending_state())
    return caught.value


@responses.activate
def test_a_download_too_big_is_refused(connector) -> None:
    made, _ = connector
    made.max_archive_bytes = 64 * 1024
    error = ready(made, body=archive(username="ArtIHS") + bytes(200 * 1024), content_type="application/zip")
    assert "larger than" in str(error)
    assert error.state is not None and error.state["request_id"] == str(FIRST_ID)  # the next run may try again


@responses.activate
def test_a_download_too_big_once_decompressed_is_refused(connector) -> None:
    import gzip

    made, _ = connector
    made.max_archive_bytes = 64 * 1024
    bomb = gzip.compress(bytes(8 * 1024 * 1024))  # 8 KB on the wire, 8 MB once the Content-Encoding is undone
    error = ready(made, body=bomb, content_type="application/zip", headers={"Content-Encoding": "gzip"})
    assert "counted once decompressed" in str(error)


@responses.activate
def test_a_download_that_is_not_a_zip_is_refused(connector) -> None:
    made, _ = connector
    error = ready(made, body=b"<html><body>Please log in</body></html>", content_type="application/zip")
    assert "not a zip file" in str(error)


@responses.activate
def test_a_json_answer_instead_of_the_zip_is_read_as_an_error(connector) -> None:
    made, _ = connector
    error = ready(made, status=400, json=refused("invalid_params", "data is not ready"))
    assert "rejected the export's download (HTTP 400), invalid_params: data is not ready" in str(error)


@responses.activate
def test_a_download_with_a_path_escape_is_refused_without_naming_the_scratch_folder(connector, tmp_path) -> None:
    made, _ = connector
    members = {"../../user_data_tiktok.json": json.dumps(current_export()).encode()}
    error = ready(made, body=archive(members), content_type="application/zip")
    message = str(error)
    assert "hostile member name" in message and "the export TikTok sent" in message
    assert "auditor-" not in message and "/tmp" not in message
    assert not (tmp_path.parent / "user_data_tiktok.json").exists()


@responses.activate
def test_a_download_of_another_account_is_refused(connector) -> None:
    made, _ = connector
    error = ready(made, body=archive(username="SomeoneElse"), content_type="application/zip")
    assert "belongs to @SomeoneElse" in str(error)


@responses.activate
def test_a_download_redirected_to_a_private_address_is_refused(connector) -> None:
    made, _ = connector
    error = ready(made, status=302, headers={"Location": "https://10.0.0.7/export.zip"})
    assert "download address was refused" in str(error) and "private" in str(error)
    assert [c.request.url for c in responses.calls][-1] == DOWNLOAD  # nothing was sent to 10.0.0.7


@responses.activate
def test_a_download_redirected_to_a_public_host_is_followed_without_the_token(connector) -> None:
    made, _ = connector
    responses.post(CHECK, json=status("downloading"))
    responses.post(DOWNLOAD, status=302, headers={"Location": "https://cdn.tiktok.example/export/1.zip"})
    cdn = responses.get(
        "https://cdn.tiktok.example/export/1.zip", body=archive(username="ArtIHS"), content_type="application/zip"
    )
    responses.post(ADD, json=ok({"request_id": NEXT_ID}))
    data = fetch(made, pending_state())
    assert data.posts
    assert "Authorization" not in cdn.calls[0].request.headers


# --- logs, the registry, and two nightly runs -------------------------------------------------------------------------


@responses.activate
def test_the_token_never_reaches_a_log(connector, caplog: pytest.LogCaptureFixture) -> None:
    made, _ = connector
    caplog.set_level(logging.DEBUG)
    responses.post(CHECK, json=status("expired"))
    responses.post(ADD, status=429, json=refused("rate_limit_exceeded", "slow down"))
    responses.post(ADD, json=ok({"request_id": NEXT_ID}))
    responses.post(CHECK, json=status("downloading", NEXT_ID))
    responses.post(DOWNLOAD, body=archive(username="ArtIHS"), content_type="application/zip")
    responses.post(ADD, status=400, json=refused("invalid_params", f"bad {TOKEN}"))
    fetch(made, pending_state())
    assert caplog.records and TOKEN not in caplog.text


def test_the_spec_declares_the_token_and_the_registry_builds_the_connector() -> None:
    spec = platforms.get("tiktok-api")
    assert spec is not None and spec.credentials == (VARIABLE,) and spec.source == "none"
    assert not spec.reads_comments and spec.steps_family == "tiktok"
    assert "tiktok-api" not in platforms.NOT_BUILT
    assert isinstance(get_connector("tiktok-api"), TikTokPortabilityConnector)
    assert tiktok_portability.CATEGORIES == ("profile", "video")


def test_two_nightly_runs_request_then_audit(tmp_path: Path, token: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the command line and the history database: the first run asks for the export and is "not ready yet"
    with the request stored; the second downloads it and audits the account."""
    config = write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@ArtIHS"
        platform = "tiktok-api"
        department = "Art"
        """,
    )
    waits: list[float] = []

    def made() -> TikTokPortabilityConnector:
        connector = TikTokPortabilityConnector()
        connector.sleep = waits.append
        connector.guard = Guard(resolver=lambda host: ["93.184.216.34"], probes=())
        return connector

    from auditor import connectors

    monkeypatch.setitem(connectors._FACTORIES, "tiktok-api", made)
    run = ["run", "--all", "--config", str(config), "--no-email"]
    with responses.RequestsMock() as mock:
        mock.post(ADD, json=ok({"request_id": FIRST_ID}))
        mock.post(CHECK, json=status("pending"))
        assert main([*run, "--out", str(tmp_path / "r1")]) == 3
    first = json.loads((tmp_path / "r1" / "findings.json").read_text(encoding="utf-8"))
    [account] = first["accounts"]
    assert account["status"] == "error" and account["error"].startswith("not ready yet")
    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        [(stored,)] = db.execute("SELECT state FROM connector_state").fetchall()
    assert json.loads(stored)["request_id"] == str(FIRST_ID)

    titles = [video("7400000000000000009", "2025-11-20 16:00:00", title="Year 9 printmaking, Bethan Jones")]
    with responses.RequestsMock() as mock:
        mock.post(CHECK, json=status("downloading"))
        mock.post(DOWNLOAD, body=archive(username="ArtIHS", videos=titles), content_type="application/zip")
        mock.post(ADD, json=ok({"request_id": NEXT_ID}))
        main([*run, "--out", str(tmp_path / "r2")])
    second = json.loads((tmp_path / "r2" / "findings.json").read_text(encoding="utf-8"))
    [account] = second["accounts"]
    assert account["status"] == "ok" and account["platform"] == "tiktok-api"
    checks = {f["check"] for f in second["findings"]}
    assert {"privacy.comment_controls", "content.professional"} <= checks
    assert TOKEN not in json.dumps(first) + json.dumps(second)
    with sqlite3.connect(tmp_path / "auditor.sqlite3") as db:
        [(stored,)] = db.execute("SELECT state FROM connector_state").fetchall()
    assert json.loads(stored)["request_id"] == str(NEXT_ID)
