"""What a server says about slowing down, read in one place: how long it asks us to wait, and why.

Every form is read defensively: a header that is negative, not a number, infinite, absurdly large, deeply nested or
simply garbage says nothing (None), never raises and never means an endless wait. What to do with a wait that is known
but too long is the retry policy's business (`auditor.net.retry`), not this module's.

The forms, and where they are documented:

- `Retry-After` (RFC 9110 section 10.2.3): a number of seconds ("120") or an HTTP date
  ("Wed, 21 Oct 2015 07:28:00 GMT").
- X's `x-rate-limit-reset` (X API v2, "Rate limits"): the Unix time, in seconds, when the window resets.
- `RateLimit-Reset` (the IETF RateLimit header fields draft): seconds until the reset; some servers send a Unix time.
- Mastodon's `X-RateLimit-Reset` (docs.joinmastodon.org, "Rate limits"): an ISO 8601 time.
- Meta's `X-App-Usage` (Graph API, "Rate Limits", platform rate limits): a JSON object of percentages,
  `{"call_count": 28, "total_time": 25, "total_cputime": 25}`; throttling starts at 100.
- Meta's `X-Business-Use-Case-Usage` (the same page, business use case rate limits): a JSON object keyed by the id of
  the Page or Instagram account, each a list of `{"type": "pages", "call_count": .., "total_cputime": ..,
  "total_time": .., "estimated_time_to_regain_access": <minutes>}`.
- Graph's throttling error codes (Graph API, "Handling errors" and "Rate Limits"): 4 (application), 17 (account),
  32 (Page), 613 (custom) and the business use case codes 80001 (Pages) to 80014.
- Google's error reasons (YouTube Data API, "Errors"): `error.errors[].reason` (quotaExceeded, rateLimitExceeded,
  userRateLimitExceeded, dailyLimitExceeded) and the newer `error.details[].reason`. The daily quota is renewed at
  midnight Pacific time.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

# A header longer than this is not read at all: no server needs it, and a hostile one costs nothing to refuse.
MAX_HEADER = 8192
# A wait of more than a year is no wait: it is read as "too long", never as a moment in the year 30000.
MAX_SECONDS = 366 * 24 * 3600.0

META_THROTTLE_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
GOOGLE_THROTTLE_REASONS = frozenset(
    {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded"}
)
GOOGLE_DAILY_QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})
_PACIFIC = ZoneInfo("America/Los_Angeles")
_USAGE_FIELDS = ("call_count", "total_cputime", "total_time")


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """How long the server asks us to wait, in seconds, from Retry-After (seconds or a date) or a reset header (X's
    x-rate-limit-reset epoch, RateLimit-Reset, Mastodon's ISO time). None when it does not say, or says nonsense."""
    now = time.time() if now is None else now
    lowered = {str(k).lower(): str(v) for k, v in headers.items() if len(str(v)) <= MAX_HEADER}
    value = lowered.get("retry-after", "").strip()
    if value:
        seconds = _seconds(value)
        if seconds is not None:
            return seconds
        moment = _http_date(value)
        if moment is not None:
            return _until(moment, now)
        # A malformed Retry-After must not stop the account: the other headers, then backoff, decide.
    reset = _seconds(lowered.get("x-rate-limit-reset", ""), cap=False)
    if reset is not None:
        return _until(reset, now)
    reset = _seconds(lowered.get("ratelimit-reset", ""), cap=False)
    if reset is not None:
        # Some servers send an epoch here; a delta is never this large.
        return _until(reset, now) if reset > 1_000_000_000 else min(reset, MAX_SECONDS)
    stamp = lowered.get("x-ratelimit-reset", "").strip()
    if stamp:
        try:
            parsed = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return _until(parsed.timestamp(), now)
    return None


@dataclass(frozen=True)
class MetaUsage:
    """What Meta's usage headers say: the highest share of a budget used (per cent; throttled from 100), and how
    long until access is regained when Meta says (seconds)."""

    percent: float
    regain: float | None = None


def meta_usage(headers: Mapping[str, str]) -> MetaUsage | None:
    """Meta's X-App-Usage and X-Business-Use-Case-Usage, read together; None when neither is there and readable."""
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    percents: list[float] = []
    regains: list[float] = []
    app = _json_header(lowered.get("x-app-usage"))
    if isinstance(app, dict):
        percents.extend(_usage_percents(app))
    buc = _json_header(lowered.get("x-business-use-case-usage"))
    if isinstance(buc, dict):
        for entries in buc.values():
            for entry in entries if isinstance(entries, list) else []:
                if not isinstance(entry, dict):
                    continue
                percents.extend(_usage_percents(entry))
                minutes = _number(entry.get("estimated_time_to_regain_access"))
                if minutes is not None and minutes > 0:
                    regains.append(min(minutes * 60.0, MAX_SECONDS))
    if not percents and not regains:
        return None
    return MetaUsage(max(percents, default=0.0), max(regains) if regains else None)


def meta_throttled(body: Any) -> bool:
    """Whether a Graph error body is one of the documented "slow down" codes (often inside HTTP 400 or 403)."""
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return isinstance(code, int) and not isinstance(code, bool) and code in META_THROTTLE_CODES


def google_reasons(body: Any) -> set[str]:
    """Google's error reasons: `error.errors[].reason` (keyInvalid, quotaExceeded, commentsDisabled) and the newer
    `error.details[].reason` (API_KEY_INVALID)."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return set()
    reasons = set()
    for key in ("errors", "details"):
        items = error.get(key)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("reason"), str):
                reasons.add(item["reason"])
    return reasons


def google_throttled(body: Any) -> bool:
    return bool(google_reasons(body) & GOOGLE_THROTTLE_REASONS)


def google_quota_renewal(now: float | None = None) -> float:
    """Seconds until Google renews a project's daily quota: the next midnight, Pacific time."""
    moment = dt.datetime.fromtimestamp(time.time() if now is None else now, _PACIFIC)
    midnight = dt.datetime.combine(moment.date() + dt.timedelta(days=1), dt.time(), _PACIFIC)
    return max(0.0, midnight.timestamp() - moment.timestamp())


def requested_wait(headers: Mapping[str, str], now: float | None = None, *, body: Any = None) -> float | None:
    """The wait a "slow down" answer asks for, whatever form it takes: the standard and reset headers first, then
    Google's daily quota (used up until midnight Pacific time: retrying sooner only spends requests), then Meta's
    estimated time to regain access. None when the answer does not say (the policy then backs off)."""
    wait = retry_after(headers, now)
    if wait is not None:
        return wait
    if google_reasons(body) & GOOGLE_DAILY_QUOTA_REASONS:
        return google_quota_renewal(now)
    usage = meta_usage(headers)
    return usage.regain if usage is not None else None


def why_limited(headers: Mapping[str, str], body: Any, now: float | None = None) -> str:
    """A few plain words on a limit, for the message when the run gives up: "" when there is nothing to add."""
    if google_reasons(body) & GOOGLE_DAILY_QUOTA_REASONS:
        hours = google_quota_renewal(now) / 3600
        return f"its daily quota is used up; Google renews it at midnight Pacific time, in about {hours:.0f} h"
    usage = meta_usage(headers)
    if usage is not None and usage.percent >= 100:
        return f"Meta reports {min(usage.percent, 999):.0f}% of the request budget used"
    return ""


def _seconds(value: str, *, cap: bool = True) -> float | None:
    """A non-negative, finite number ("120", "1.5"), or None; capped at MAX_SECONDS unless it is a time to subtract."""
    text = value.strip()
    if not text or len(text) > 40:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number) or number < 0:
        return None
    return min(number, MAX_SECONDS) if cap else number


def _http_date(value: str) -> float | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:  # "-0000" dates come back naive; HTTP dates are always GMT
        parsed = parsed.replace(tzinfo=dt.UTC)
    try:
        return parsed.timestamp()
    except (OverflowError, ValueError, OSError):
        return None


def _until(moment: float, now: float) -> float:
    """Seconds from now until `moment` (0 when it has passed), never more than MAX_SECONDS."""
    return min(max(0.0, moment - now), MAX_SECONDS)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float: nonsense, not a wait
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _usage_percents(entry: Mapping[str, object]) -> list[float]:
    return [n for n in (_number(entry.get(k)) for k in _USAGE_FIELDS) if n is not None]


def _json_header(value: str | None) -> object:
    if not value or len(value) > MAX_HEADER:
        return None
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        return None
