"""Budgets that belong to one app or key, not to one account: YouTube's 10,000 quota units a day, the Graph app's
calls, the X key's reads. Every request a connector sends through `HttpClient` (or X's session) spends from the
budget it names, so fifty workers share one budget instead of each spending the whole of it.

A budget is a token bucket: it holds at most `amount` tokens, refilled evenly over `period` seconds (10000/day is
about one unit every 8.6 s, up to 10,000 held). A request takes `cost` tokens; when too few are left, it waits until
enough have refilled if that is no longer than the client's `max_wait`, else it is refused at once (`OverBudget`)
and the account is reported not verified, saying which budget is spent. A bucket refills evenly, while Google renews
the YouTube quota all at once at midnight Pacific time: the bucket is the more careful of the two.

Where the budgets live: in this process (`LocalBucket`) for a run without workers, or in Redis (`RedisBucket`) when
`[workers]` names a broker, where one Lua script reads, refills and takes in a single atomic step, timed by the Redis
server's own clock, so workers on machines whose clocks differ still share one bucket fairly.

Budgets are set once per process (`configure`) from `[workers.budgets]`; with none set, nothing is counted and a
request is never held up here. Redis is imported only when a broker is used.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

_EPSILON = 1e-9


class OverBudget(Exception):
    """A shared budget cannot pay for a request within the wait allowed: `name` is the budget, `wait` the seconds
    until it could (None when it never could, or the budget's store did not answer: `why` then says so)."""

    def __init__(self, name: str, wait: float | None, why: str = "") -> None:
        self.name, self.wait, self.why = name, wait, why
        if why:
            detail = why
        elif wait is None:
            detail = "the request costs more than the whole budget"
        else:
            detail = f"it refills enough in about {_duration(wait)}"
        super().__init__(f"the shared {name} budget is spent for now ({detail})")


@dataclass(frozen=True)
class Spec:
    name: str
    amount: int  # tokens held at most, and refilled over `period`
    period: float  # seconds

    @property
    def rate(self) -> float:
        return self.amount / self.period


class Bucket(Protocol):
    spec: Spec

    def take(self, cost: float) -> float:
        """Take `cost` tokens if there are enough (0.0); else take none and say how many seconds until there are."""
        ...


class LocalBucket:
    """A bucket in this process, shared by its threads."""

    def __init__(self, spec: Spec, clock: Callable[[], float] = time.monotonic) -> None:
        self.spec = spec
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens = float(spec.amount)
        self._at = clock()

    def take(self, cost: float) -> float:
        with self._lock:
            now = self._clock()
            self._tokens = min(float(self.spec.amount), self._tokens + (now - self._at) * self.spec.rate)
            self._at = now
            if self._tokens >= cost - _EPSILON:  # a refill computed in floating point may fall short by a hair
                self._tokens = max(0.0, self._tokens - cost)
                return 0.0
            return (cost - self._tokens) / self.spec.rate


# KEYS[1]: the bucket's hash. ARGV: amount, rate (tokens a second), cost, expiry (ms). Returns {taken, wait}: wait as
# text, since Redis turns a Lua number into a whole number. The bucket expires once it would be full again anyway.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local amount, rate, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(held[1]), tonumber(held[2])
if tokens == nil or at == nil then tokens, at = amount, now end
tokens = math.min(amount, tokens + math.max(0, now - at) * rate)
local taken = 0
if tokens >= cost - 1e-9 then
  tokens = math.max(0, tokens - cost)
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if taken == 1 then return {1, '0'} end
return {0, tostring((cost - tokens) / rate)}
"""


class RedisBucket:
    """A bucket in Redis, shared by every worker using the same server and key."""

    def __init__(self, spec: Spec, client: Any, prefix: str = "auditor:budget:") -> None:
        self.spec = spec
        self._client = client
        self._key = f"{prefix}{spec.name}"
        self._script = client.register_script(_TAKE)
        self._expiry_ms = int(spec.period * 1000) + 60_000

    def take(self, cost: float) -> float:
        import redis

        try:
            taken, wait = self._script(keys=[self._key], args=[self.spec.amount, self.spec.rate, cost, self._expiry_ms])
        except redis.RedisError as exc:
            why = f"its count in Redis could not be read: {type(exc).__name__}"
            raise OverBudget(self.spec.name, None, why) from None
        return 0.0 if int(taken) == 1 else float(wait)


_lock = threading.Lock()
_buckets: dict[str, Bucket] = {}


def configure(specs: Iterable[Spec], *, client: Any = None) -> None:
    """Set this process's budgets: in Redis through `client` (a redis.Redis) when given, else in this process.
    Replaces whatever was set before; no specs means no budgets."""
    made: dict[str, Bucket] = {}
    for spec in specs:
        made[spec.name] = RedisBucket(spec, client) if client is not None else LocalBucket(spec)
    with _lock:
        _buckets.clear()
        _buckets.update(made)


def configured() -> dict[str, Spec]:
    with _lock:
        return {name: bucket.spec for name, bucket in _buckets.items()}


def spend(name: str | None, cost: float = 1.0, *, max_wait: float, sleep: Callable[[float], None] = time.sleep) -> None:
    """Spend `cost` from the budget `name` before a request, waiting up to `max_wait` seconds in all for it to
    refill; raises OverBudget when it cannot. No budget of that name (or None): nothing to spend."""
    if name is None:
        return
    with _lock:
        bucket = _buckets.get(name)
    if bucket is None:
        return
    if cost > bucket.spec.amount:
        raise OverBudget(name, None)
    waited = 0.0
    while True:
        wait = bucket.take(cost)
        if wait <= 0:
            return
        if waited + wait > max_wait:
            raise OverBudget(name, wait)
        sleep(wait)
        waited += wait


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"
