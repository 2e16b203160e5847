"""auditor.net.ratelimit: every documented form of "slow down", and hostile values that must neither hang nor crash.

Fixtures are our own, in the shapes the sources document: Retry-After as RFC 9110 section 10.2.3 gives it (seconds or an
IMF-fixdate); X's x-rate-limit-reset (X API v2 "Rate limits": Unix seconds); the IETF RateLimit draft's
RateLimit-Reset; Mastodon's ISO 8601 X-RateLimit-Reset (docs.joinmastodon.org "Rate limits"); Meta's X-App-Usage and
X-Business-Use-Case-Usage (Graph API "Rate Limits": percentages, and estimated_time_to_regain_access in minutes); the
Graph error codes (4, 17, 32, 613, 80001-80014) and Google's error reasons (YouTube Data API "Errors": quotaExceeded in
error.errors[].reason).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.net.ratelimit import (
    MAX_SECONDS,
    google_quota_renewal,
    google_reasons,
    google_throttled,
    meta_throttled,
    meta_usage,
    requested_wait,
    retry_after,
    why_limited,
)

NOW = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC


# --- Retry-After --------------------------------------------------------------------------------------------------


def test_retry_after_seconds_and_fractions():
    assert retry_after({"Retry-After": "120"}, NOW) == 120.0
    assert retry_after({"retry-after": " 0.5 "}, NOW) == 0.5
    assert retry_after({"Retry-After": "0"}, NOW) == 0.0


def test_retry_after_http_date_future_and_past():
    assert retry_after({"Retry-After": email.utils.formatdate(NOW + 90, usegmt=True)}, NOW) == pytest.approx(90)
    assert retry_after({"Retry-After": email.utils.formatdate(NOW - 90, usegmt=True)}, NOW) == 0.0


@pytest.mark.parametrize(
    "value",
    [
        "-1",  # negative
        "-0.5",
        "nan",
        "inf",
        "-inf",
        "1e99999",  # overflows to infinity
        "soon",
        "12 seconds",
        "Mon, 99 Foo 2024 99:99:99 GMT",
        "Fri, 31 Dec 99999 23:59:59 GMT",  # a year datetime cannot hold
        "\x00\x01",
        "9" * 5000,  # huge
    ],
)
def test_hostile_retry_after_says_nothing(value):
    assert retry_after({"Retry-After": value}, NOW) is None


def test_huge_retry_after_is_bounded_not_endless():
    # A number of seconds that is finite but absurd reads as "longer than any run waits", never as an endless wait.
    assert retry_after({"Retry-After": "1e300"}, NOW) == MAX_SECONDS
    far = email.utils.formatdate(NOW + 10 * 365 * 86400, usegmt=True)
    assert retry_after({"Retry-After": far}, NOW) == MAX_SECONDS


def test_a_bad_retry_after_falls_through_to_the_reset_header():
    assert retry_after({"Retry-After": "garbage", "x-rate-limit-reset": str(int(NOW) + 30)}, NOW) == 30.0


# --- reset headers ------------------------------------------------------------------------------------------------


def test_x_rate_limit_reset_is_unix_seconds():
    assert retry_after({"x-rate-limit-reset": str(int(NOW) + 45)}, NOW) == 45.0
    assert retry_after({"x-rate-limit-reset": str(int(NOW) - 45)}, NOW) == 0.0  # already reset


@pytest.mark.parametrize("value", ["-5", "abc", "", "nan", "1e99999", "17000000.00.0"])
def test_hostile_x_rate_limit_reset_says_nothing(value):
    assert retry_after({"x-rate-limit-reset": value}, NOW) is None


def test_x_rate_limit_reset_far_in_the_future_is_bounded():
    assert retry_after({"x-rate-limit-reset": "99999999999999999999"}, NOW) == MAX_SECONDS


def test_ratelimit_reset_delta_or_epoch():
    assert retry_after({"RateLimit-Reset": "7"}, NOW) == 7.0
    assert retry_after({"RateLimit-Reset": str(int(NOW) + 10)}, NOW) == 10.0


def test_mastodon_iso_reset():
    moment = dt.datetime.fromtimestamp(NOW + 60, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert retry_after({"X-RateLimit-Reset": moment}, NOW) == pytest.approx(60)
    assert retry_after({"X-RateLimit-Reset": "not a time"}, NOW) is None


# --- Meta's usage headers -----------------------------------------------------------------------------------------


def buc(**entry: object) -> dict[str, str]:
    return {"X-Business-Use-Case-Usage": json.dumps({"1784140000000000": [{"type": "pages", **entry}]})}


def test_app_usage_percentages():
    usage = meta_usage({"X-App-Usage": json.dumps({"call_count": 28, "total_time": 25, "total_cputime": 91})})
    assert usage is not None and usage.percent == 91 and usage.regain is None


def test_business_use_case_regain_is_minutes():
    headers = buc(call_count=100, total_cputime=20, total_time=20, estimated_time_to_regain_access=19)
    usage = meta_usage(headers)
    assert usage is not None and usage.percent == 100 and usage.regain == 19 * 60
    assert requested_wait(headers, NOW) == 19 * 60


def test_retry_after_wins_over_metas_estimate():
    headers = {**buc(call_count=100, estimated_time_to_regain_access=19), "Retry-After": "5"}
    assert requested_wait(headers, NOW) == 5.0


def test_zero_regain_says_nothing():
    assert requested_wait(buc(call_count=50, estimated_time_to_regain_access=0), NOW) is None


@pytest.mark.parametrize(
    "header",
    [
        "not json",
        "[1, 2, 3]",
        '{"call_count": "lots"}',
        '{"call_count": -5, "total_time": true}',
        "[" * 100_000,  # nested past the parser's depth, and too long to read
        "[" * 5000 + "]" * 5000,  # nested past the parser's depth
        '{"call_count": ' + "9" * 4000 + "}",  # an integer too large for a float
        '{"call_count": 1e999}',
    ],
)
def test_hostile_app_usage_says_nothing(header):
    assert meta_usage({"X-App-Usage": header}) is None
    assert requested_wait({"X-App-Usage": header}, NOW) is None


@pytest.mark.parametrize("regain", ["-19", '"19"', "null", "true", "NaN", "1" + "0" * 400, "[19]", '{"minutes": 19}'])
def test_hostile_regain_is_ignored(regain):
    # Raw JSON text, so values json.dumps would refuse (NaN, an integer too large for a float) reach the parser too.
    header = '{"1784140000000000": [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": %s}]}'
    usage = meta_usage({"X-Business-Use-Case-Usage": header % regain})
    assert usage is not None and usage.percent == 100 and usage.regain is None


def test_huge_regain_is_bounded():
    usage = meta_usage(buc(call_count=100, estimated_time_to_regain_access=10**12))
    assert usage is not None and usage.regain == MAX_SECONDS


def test_business_use_case_entries_that_are_not_objects_are_skipped():
    header = {"X-Business-Use-Case-Usage": json.dumps({"1": "pages", "2": [7, None, {"call_count": 40}]})}
    usage = meta_usage(header)
    assert usage is not None and usage.percent == 40


# --- error bodies -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001, 80002, 80014])
def test_graph_throttle_codes(code):
    assert meta_throttled({"error": {"message": "limit reached", "type": "OAuthException", "code": code}})


@pytest.mark.parametrize("body", [{"error": {"code": 190}}, {"error": {"code": True}}, {"error": "4"}, [], None, "x"])
def test_graph_errors_that_are_not_throttles(body):
    assert not meta_throttled(body)


def google_error(reason: str) -> dict[str, object]:
    message = "The request cannot be completed because you have exceeded your quota."
    return {
        "error": {
            "code": 403,
            "message": message,
            "errors": [{"message": message, "domain": "youtube.quota", "reason": reason}],
        }
    }


def test_google_reasons_and_throttles():
    assert google_reasons(google_error("quotaExceeded")) == {"quotaExceeded"}
    assert google_throttled(google_error("quotaExceeded"))
    assert google_throttled(google_error("rateLimitExceeded"))
    assert not google_throttled(google_error("commentsDisabled"))
    assert google_reasons({"error": {"details": [{"reason": "API_KEY_INVALID"}]}}) == {"API_KEY_INVALID"}
    assert google_reasons({"error": {"errors": "quotaExceeded"}}) == set()


def test_daily_quota_renews_at_midnight_pacific():
    # 2026-11-24 02:00 UTC is 18:00 the day before in Los Angeles (PST, UTC-8): six hours to midnight.
    now = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC).timestamp()
    assert google_quota_renewal(now) == 6 * 3600
    # In summer time (PDT, UTC-7), 2026-07-01 06:59 UTC is 23:59 in Los Angeles.
    assert google_quota_renewal(dt.datetime(2026, 7, 1, 6, 59, tzinfo=dt.UTC).timestamp()) == 60
    now = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC).timestamp()
    assert "midnight Pacific time, in about 6 h" in why_limited({}, google_error("quotaExceeded"), now)
    assert why_limited({}, google_error("rateLimitExceeded"), now) == ""


# --- whatever comes, an answer and no crash -----------------------------------------------------------------------

HEADER_NAMES = st.sampled_from(
    [
        "Retry-After",
        "x-rate-limit-reset",
        "RateLimit-Reset",
        "X-RateLimit-Reset",
        "X-App-Usage",
        "X-Business-Use-Case-Usage",
    ]
)


@given(st.dictionaries(HEADER_NAMES, st.text(max_size=60), max_size=6), st.floats(0, 4e9))
def test_any_header_values_give_a_bounded_wait_or_none(headers, now):
    wait = requested_wait(headers, now)
    assert wait is None or 0.0 <= wait <= MAX_SECONDS
    assert isinstance(why_limited(headers, None, now), str)


def test_a_used_up_google_daily_quota_asks_to_wait_until_midnight_pacific():
    body = google_error("quotaExceeded")
    wait = requested_wait({}, NOW, body=body)
    assert wait == google_quota_renewal(NOW) and 0 < wait <= 24 * 3600
    assert requested_wait({}, NOW, body=google_error("rateLimitExceeded")) is None  # a short limit: back off
