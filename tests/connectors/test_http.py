"""The shared HTTP client: bounded retries, rate limits obeyed up to a bound, plain errors without secrets."""

from __future__ import annotations

import email.utils
import logging
import time

import pytest
import requests
import responses

from auditor.connectors import ConnectorError
from auditor.net.http import AuthFailed, HttpClient, RateLimited, redact, retry_after_seconds

URL = "https://api.example.test/v1/thing"
TOKEN = "SECRET-TOKEN-abc123"


def client(**overrides: object) -> tuple[HttpClient, list[float]]:
    slept: list[float] = []
    values: dict[str, object] = {
        "platform": "Example",
        "credential_hint": "set EXAMPLE_TOKEN to a valid token",
        "secrets": (TOKEN,),
        "sleep": slept.append,
        "max_wait": 60.0,
    }
    values.update(overrides)
    return HttpClient(**values), slept  # type: ignore[arg-type]


# --- retry_after_seconds --------------------------------------------------------------------------------------------


def test_retry_after_in_seconds():
    assert retry_after_seconds({"Retry-After": "120"}) == 120.0
    assert retry_after_seconds({"retry-after": " 1.5 "}) == 1.5


def test_retry_after_as_http_date():
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert retry_after_seconds({"Retry-After": date}, now=now) == pytest.approx(30, abs=1)


def test_retry_after_date_in_the_past_is_zero():
    now = 1_700_000_000.0
    assert retry_after_seconds({"Retry-After": email.utils.formatdate(now - 100, usegmt=True)}, now=now) == 0.0


def test_x_rate_limit_reset_is_an_epoch():
    assert retry_after_seconds({"x-rate-limit-reset": "1700000045"}, now=1_700_000_000.0) == 45.0


def test_ratelimit_reset_delta_or_epoch():
    assert retry_after_seconds({"RateLimit-Reset": "7"}, now=1_700_000_000.0) == 7.0
    assert retry_after_seconds({"RateLimit-Reset": "1700000010"}, now=1_700_000_000.0) == 10.0


@pytest.mark.parametrize("value", ["soon", "Mon, 99 Foo 2024 99:99:99 GMT", "nan", "inf", "-5", ""])
def test_malformed_retry_after_is_ignored(value):
    assert retry_after_seconds({"Retry-After": value}) is None


def test_no_headers_says_nothing():
    assert retry_after_seconds({}) is None


def test_redact_hides_secrets_but_not_short_ones():
    assert redact(f"token={TOKEN}", [TOKEN, "ab"]) == "token=***"
    assert redact("ab", ["ab"]) == "ab"


# --- HttpClient ------------------------------------------------------------------------------------------------------


@responses.activate
def test_success_counts_one_request():
    responses.get(URL, json={"ok": True})
    http, slept = client()
    assert http.get_json(URL) == {"ok": True}
    assert http.requests_made == 1 and slept == []
    assert responses.calls[0].request.headers["User-Agent"].startswith("ihs-social-auditor")


@responses.activate
def test_429_with_retry_after_seconds_waits_then_succeeds():
    responses.get(URL, status=429, headers={"Retry-After": "7"})
    responses.get(URL, json={"ok": 1})
    http, slept = client()
    assert http.get_json(URL) == {"ok": 1}
    assert slept == [7.0]
    assert http.requests_made == 2


@responses.activate
def test_429_with_retry_after_date():
    responses.get(URL, status=429, headers={"Retry-After": email.utils.formatdate(time.time() + 20, usegmt=True)})
    responses.get(URL, json={})
    http, slept = client()
    http.get_json(URL)
    assert len(slept) == 1 and 15 <= slept[0] <= 21


@responses.activate
def test_429_with_x_rate_limit_reset():
    responses.get(URL, status=429, headers={"x-rate-limit-reset": str(int(time.time()) + 10)})
    responses.get(URL, json={})
    http, slept = client()
    http.get_json(URL)
    assert len(slept) == 1 and 8 <= slept[0] <= 11


@responses.activate
def test_429_without_headers_backs_off_exponentially():
    responses.get(URL, status=429)
    responses.get(URL, status=429)
    responses.get(URL, json={})
    http, slept = client(backoff=2.0)
    http.get_json(URL)
    assert slept == [2.0, 4.0]


@responses.activate
def test_wait_above_max_wait_gives_up_without_sleeping():
    responses.get(URL, status=429, headers={"x-rate-limit-reset": str(int(time.time()) + 900)})
    http, slept = client(max_wait=60.0)
    with pytest.raises(RateLimited, match=r"asked us to wait \d+ s, longer than this run waits \(60 s\)"):
        http.get_json(URL)
    assert slept == [] and http.requests_made == 1


@responses.activate
def test_429_every_time_stops_after_the_retries():
    responses.get(URL, status=429)
    http, slept = client(retries=2)
    with pytest.raises(RateLimited, match="still limiting requests after 3 tries"):
        http.get_json(URL)
    assert http.requests_made == 3 and len(slept) == 2


@responses.activate
def test_5xx_then_success():
    responses.get(URL, status=503, body="<html>busy</html>", content_type="text/html")
    responses.get(URL, status=500)
    responses.get(URL, json={"ok": True})
    http, slept = client(backoff=1.0)
    assert http.get_json(URL) == {"ok": True}
    assert slept == [1.0, 2.0] and http.requests_made == 3


@responses.activate
def test_5xx_retries_exhausted():
    responses.get(URL, status=502)
    http, slept = client(retries=3)
    with pytest.raises(ConnectorError, match=r"kept failing \(HTTP 502 after 4 tries\)"):
        http.get_json(URL)
    assert http.requests_made == 4 and len(slept) == 3


@responses.activate
def test_timeout_then_success():
    responses.get(URL, body=requests.ReadTimeout("read timed out"))
    responses.get(URL, json={"ok": True})
    http, slept = client()
    assert http.get_json(URL) == {"ok": True}
    assert slept == [1.0]


@responses.activate
def test_timeouts_exhausted():
    responses.get(URL, body=requests.ConnectTimeout("no"))
    http, _ = client(retries=1)
    with pytest.raises(ConnectorError, match="did not answer in time after 2 tries"):
        http.get_json(URL)


@responses.activate
def test_connection_error_exhausted():
    responses.get(URL, body=requests.ConnectionError("refused"))
    http, _ = client(retries=0)
    with pytest.raises(ConnectorError, match="could not be reached after 1 tries"):
        http.get_json(URL)


@responses.activate
def test_every_request_has_a_timeout(monkeypatch):
    seen: list[object] = []
    original = requests.Session.get

    def spy(self, url, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs.get("timeout"))
        return original(self, url, **kwargs)

    monkeypatch.setattr(requests.Session, "get", spy)
    responses.get(URL, json={})
    client()[0].get_json(URL)
    assert seen == [(5.0, 20.0)]


@pytest.mark.parametrize("status", [401, 403])
@responses.activate
def test_auth_failure_names_the_variable_never_the_token(status):
    responses.get(URL, status=status, json={"error": {"message": f"Invalid token {TOKEN}"}})
    http, slept = client()
    with pytest.raises(AuthFailed) as info:
        http.get_json(URL, headers={"Authorization": f"Bearer {TOKEN}"})
    message = str(info.value)
    assert f"HTTP {status}" in message and "EXAMPLE_TOKEN" in message
    assert TOKEN not in message
    assert slept == [] and http.requests_made == 1


@responses.activate
def test_html_instead_of_json():
    responses.get(URL, body="<!doctype html><p>Log in</p>", content_type="text/html; charset=utf-8")
    http, _ = client()
    with pytest.raises(ConnectorError, match=r"not JSON \(text/html\)"):
        http.get_json(URL)


@responses.activate
def test_malformed_json():
    responses.get(URL, body='{"data": [1, 2', content_type="application/json")
    http, _ = client()
    with pytest.raises(ConnectorError, match=r"not JSON \(application/json\)"):
        http.get_json(URL)


@responses.activate
def test_4xx_quotes_the_platform_message_with_secrets_redacted():
    responses.get(URL, status=400, json={"error": {"message": f"Bad parameter near {TOKEN}"}})
    http, _ = client()
    with pytest.raises(ConnectorError) as info:
        http.get_json(URL)
    assert "HTTP 400" in str(info.value) and "Bad parameter near ***" in str(info.value)


@responses.activate
def test_404_says_not_found():
    responses.get(URL, status=404)
    with pytest.raises(ConnectorError, match="does not exist"):
        client()[0].get_json(URL)


def graph_throttled(response: requests.Response, body: object) -> bool:
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and error.get("code") in (4, 17, 32, 613)


@responses.activate
def test_graph_throttle_callback_waits_then_succeeds():
    # Graph says "slow down" with HTTP 400/403 and an error code rather than a 429.
    responses.get(URL, status=403, json={"error": {"message": "(#4) Application request limit reached", "code": 4}})
    responses.get(URL, json={"data": []})
    http, slept = client(throttled=graph_throttled, backoff=3.0)
    assert http.get_json(URL) == {"data": []}
    assert slept == [3.0]


@responses.activate
def test_graph_throttle_every_time_gives_rate_limited_not_auth_failed():
    responses.get(URL, status=400, json={"error": {"message": "User request limit reached", "code": 17}})
    http, slept = client(throttled=graph_throttled, retries=1)
    with pytest.raises(RateLimited):
        http.get_json(URL)
    assert len(slept) == 1


@responses.activate
def test_debug_log_never_shows_a_secret_in_a_url(caplog):
    caplog.set_level(logging.DEBUG)
    responses.get(URL, json={})
    client()[0].get_json(f"{URL}?access_token={TOKEN}")
    assert caplog.records and TOKEN not in caplog.text
