"""The one retry policy of the product, built on tenacity: connectors, the link fetcher and mail delivery all retry
through `RetryPolicy.call`, so "how many tries, how long between them, when to give up" is decided here only.

An attempt that may be worth repeating raises `Again` (a rate limit, or a failure that may pass: a timeout, a refused
connection, a 5xx, a mail server that hung up). Anything else it raises ends the call at once, as it is. The wait
before the next try is what the server asked for (`Again.asked`), else exponential backoff (`backoff`, doubling each
try). The policy gives up, raising `GaveUp` and never sleeping, when:

- a rate limit asks for longer than `max_wait` (a server's "come back in an hour" is not waited for in a nightly run);
- the tries are used up (`retries` more after the first);
- the caller's `admit` hook refuses the wait (the request's deadline would pass first; a host's back-off budget for
  the run is spent). The hook is asked once per wait, after the checks above, and may charge the wait to a budget.

tenacity rather than urllib3's `Retry`: `Retry` lives inside a requests adapter, so it sees only HTTP statuses and
headers. Three of the four places retry things it never sees: tweepy's calls, Graph and YouTube saying "slow down"
inside a 400 or 403 body, and SMTP. tenacity wraps any call, takes the sleep function (tests record waits instead of
sleeping), computes the wait before deciding to stop (so a too-long wait is refused without sleeping), and has no
opinion on what is retryable.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

import tenacity

T = TypeVar("T")
Kind = Literal["limited", "failed"]


class Again(Exception):
    """One attempt's outcome that another try may change.

    `kind` is "limited" (the server asked us to slow down) or "failed" (a failure that may pass); `what` says what
    happened in a few words ("HTTP 503", "did not answer in time"); `asked` is the wait the server asked for, in
    seconds, when it said; `note` is anything worth adding to the message when the policy gives up. It holds no
    response or request, so nothing it carries can hold a credential."""

    def __init__(self, kind: Kind, what: str, *, asked: float | None = None, note: str = "") -> None:
        super().__init__(what)
        self.kind: Kind = kind
        self.what = what
        self.asked = asked
        self.note = note


class GaveUp(Exception):
    """The policy stopped trying. `last` is the last attempt's outcome, `attempts` how many were made, `wait` the wait
    that was not waited for, and `why` is "too long" (more than max_wait), "tries" (all used) or the reason the
    caller's `admit` hook gave."""

    def __init__(self, last: Again, attempts: int, wait: float, why: str) -> None:
        super().__init__(f"gave up after {attempts} tries ({why}): {last.what}")
        self.last = last
        self.attempts = attempts
        self.wait = wait
        self.why = why


TOO_LONG = "too long"
TRIES = "tries"

# (the wait about to be slept, the outcome that asks for it, the attempt just made, counted from 1)
Admit = Callable[[float, Again, int], str | None]
OnRetry = Callable[[float, Again, int], None]


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 3  # more tries after the first
    backoff: float = 1.0  # the first wait when the server does not say; doubles each try
    max_wait: float = 60.0  # the longest a rate limit may make us wait; longer, and the call gives up at once
    sleep: Callable[[float], None] = time.sleep

    def backoff_after(self, attempt: int) -> float:
        """The backoff after the `attempt`-th try (from 1): backoff, 2 x backoff, 4 x backoff..."""
        return float(self.backoff * 2 ** (attempt - 1))

    def wait_for(self, again: Again, attempt: int) -> float:
        return again.asked if again.asked is not None else self.backoff_after(attempt)

    def call(self, attempt: Callable[[], T], *, admit: Admit | None = None, on_retry: OnRetry | None = None) -> T:
        """`attempt()` until it returns, raises something other than `Again`, or the policy gives up (`GaveUp`)."""
        refusal: list[str] = []

        def last(state: tenacity.RetryCallState) -> Again:
            outcome = state.outcome
            exc = outcome.exception() if outcome is not None else None
            assert isinstance(exc, Again)
            return exc

        def wait(state: tenacity.RetryCallState) -> float:
            return self.wait_for(last(state), state.attempt_number)

        def stop(state: tenacity.RetryCallState) -> bool:
            again, seconds = last(state), state.upcoming_sleep
            refusal.clear()
            # A rate limit's wait is bounded whatever its source; a failure's only when the server named it.
            if (again.kind == "limited" or again.asked is not None) and not seconds <= self.max_wait:
                refusal.append(TOO_LONG)
            elif state.attempt_number > self.retries:
                refusal.append(TRIES)
            elif admit is not None and (why := admit(seconds, again, state.attempt_number)) is not None:
                refusal.append(why)
            return bool(refusal)

        def give_up(state: tenacity.RetryCallState) -> T:
            raise GaveUp(last(state), state.attempt_number, state.upcoming_sleep, refusal[0] if refusal else TRIES)

        def before_sleep(state: tenacity.RetryCallState) -> None:
            if on_retry is not None:
                on_retry(state.upcoming_sleep, last(state), state.attempt_number)

        retrying: tenacity.Retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(Again),
            wait=wait,
            stop=stop,
            sleep=self.sleep,
            before_sleep=before_sleep,
            retry_error_callback=give_up,
        )
        return retrying(attempt)
