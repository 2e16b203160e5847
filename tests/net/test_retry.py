"""auditor.net.retry: the one retry policy, on its own."""

from __future__ import annotations

import pytest

from auditor.net.retry import TOO_LONG, TRIES, Again, GaveUp, RetryPolicy


def flaky(*outcomes: BaseException | str):
    """An attempt that raises or returns each outcome in turn, counting its calls."""
    calls: list[int] = []

    def attempt() -> str:
        outcome = outcomes[len(calls)]
        calls.append(1)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return attempt, calls


def test_success_at_once_never_sleeps():
    slept: list[float] = []
    attempt, calls = flaky("ok")
    assert RetryPolicy(sleep=slept.append).call(attempt) == "ok"
    assert len(calls) == 1 and slept == []


def test_backoff_doubles_then_succeeds():
    slept: list[float] = []
    attempt, calls = flaky(Again("failed", "HTTP 502"), Again("failed", "HTTP 500"), Again("failed", "HTTP 503"), "ok")
    assert RetryPolicy(retries=3, backoff=1.5, sleep=slept.append).call(attempt) == "ok"
    assert slept == [1.5, 3.0, 6.0] and len(calls) == 4


def test_the_wait_a_server_asks_for_is_honoured():
    slept: list[float] = []
    attempt, _ = flaky(Again("limited", "HTTP 429", asked=7.0), Again("limited", "HTTP 429"), "ok")
    RetryPolicy(sleep=slept.append).call(attempt)
    assert slept == [7.0, 2.0]  # asked, then the backoff of the second try


def test_tries_run_out():
    slept: list[float] = []
    attempt, calls = flaky(*[Again("failed", "did not answer in time")] * 5)
    with pytest.raises(GaveUp) as caught:
        RetryPolicy(retries=2, sleep=slept.append).call(attempt)
    assert caught.value.why == TRIES and caught.value.attempts == 3 and len(calls) == 3
    assert slept == [1.0, 2.0] and caught.value.last.what == "did not answer in time"


def test_a_rate_limit_longer_than_max_wait_is_refused_without_sleeping():
    slept: list[float] = []
    attempt, calls = flaky(Again("limited", "HTTP 429", asked=3600.0))
    with pytest.raises(GaveUp) as caught:
        RetryPolicy(max_wait=60.0, sleep=slept.append).call(attempt)
    assert caught.value.why == TOO_LONG and caught.value.wait == 3600.0
    assert slept == [] and len(calls) == 1


def test_a_rate_limits_backoff_is_bounded_too():
    attempt, _ = flaky(Again("limited", "HTTP 429"), Again("limited", "HTTP 429"))
    with pytest.raises(GaveUp) as caught:
        RetryPolicy(backoff=10.0, max_wait=15.0, sleep=lambda s: None).call(attempt)
    assert caught.value.why == TOO_LONG and caught.value.attempts == 2  # waited 10, then refused 20


def test_a_failures_backoff_is_not_bounded_by_max_wait():
    slept: list[float] = []
    attempt, _ = flaky(Again("failed", "HTTP 500"), "ok")
    RetryPolicy(backoff=90.0, max_wait=60.0, sleep=slept.append).call(attempt)
    assert slept == [90.0]


def test_the_admit_hook_may_refuse_a_wait():
    asked: list[tuple[float, int]] = []

    def admit(wait: float, again: Again, attempt: int) -> str | None:
        asked.append((wait, attempt))
        return "the deadline would pass" if attempt == 2 else None

    attempt, calls = flaky(*[Again("failed", "HTTP 500")] * 5)
    with pytest.raises(GaveUp) as caught:
        RetryPolicy(sleep=lambda s: None).call(attempt, admit=admit)
    assert caught.value.why == "the deadline would pass" and len(calls) == 2
    assert asked == [(1.0, 1), (2.0, 2)]


def test_other_errors_end_the_call_as_they_are():
    attempt, calls = flaky(Again("failed", "HTTP 500"), KeyError("not retried"))
    with pytest.raises(KeyError):
        RetryPolicy(sleep=lambda s: None).call(attempt)
    assert len(calls) == 2


def test_on_retry_hears_each_wait():
    heard: list[tuple[float, str, int]] = []
    attempt, _ = flaky(Again("limited", "HTTP 429", asked=4.0), "ok")
    RetryPolicy(sleep=lambda s: None).call(attempt, on_retry=lambda w, a, n: heard.append((w, a.what, n)))
    assert heard == [(4.0, "HTTP 429", 1)]


def test_infinite_max_wait_never_refuses():
    attempt, _ = flaky(Again("limited", "HTTP 429", asked=1e9), "ok")
    slept: list[float] = []
    RetryPolicy(max_wait=float("inf"), sleep=slept.append).call(attempt)
    assert slept == [1e9]
