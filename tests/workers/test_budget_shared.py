"""A budget in Redis is one budget for every process that uses it: two processes spending from it at once spend no
more than it holds, and wait for one shared refill, not one each."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from auditor.net import budget
from tests.conftest import REPO
from tests.workers.conftest import flush

# One process spending: `tries` requests of one unit each, waiting at most `max_wait` s for each; prints how many
# the budget paid for and how long it took.
SPENDER = """
import json, sys, time
import redis
from auditor.net import budget
url, amount, period = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
tries, max_wait = int(sys.argv[4]), float(sys.argv[5])
budget.configure([budget.Spec("youtube", amount, period)], client=redis.Redis.from_url(url))
print("ready", flush=True)
sys.stdin.readline()
paid, began = 0, time.monotonic()
for _ in range(tries):
    try:
        budget.spend("youtube", max_wait=max_wait)
        paid += 1
    except budget.OverBudget:
        pass
print(json.dumps({"paid": paid, "seconds": time.monotonic() - began}), flush=True)
"""


def spend_together(url: str, amount: int, period: float, tries: int, max_wait: float) -> list[dict[str, float]]:
    command = [sys.executable, "-c", SPENDER, url, str(amount), str(period), str(tries), str(max_wait)]
    procs = [
        subprocess.Popen(command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    for proc in procs:  # both set up before either spends, so they spend at the same time
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_two_processes_spend_no_more_than_the_budget_holds(redis_url):
    flush(redis_url)
    # 30 a day, 40 tries in each process, no waiting: 30 paid in all (two separate budgets would pay 60).
    results = spend_together(redis_url, 30, 86_400.0, 40, 0.0)
    assert sum(r["paid"] for r in results) == 30


def test_two_processes_wait_for_one_shared_refill(redis_url):
    flush(redis_url)
    # 5 held, 5 a second; 15 each with waiting allowed: 30 in all need (30 - 5) / 5 = 5 s of refill between them.
    # Two separate budgets would need (15 - 5) / 5 = 2 s each.
    began = time.monotonic()
    results = spend_together(redis_url, 5, 1.0, 15, 10.0)
    assert [r["paid"] for r in results] == [15, 15]
    assert max(r["seconds"] for r in results) >= 4.5
    assert time.monotonic() - began < 30


def test_a_budget_whose_redis_is_gone_refuses_in_plain_words():
    import redis

    from tests.workers.conftest import free_port

    client = redis.Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=1)
    budget.configure([budget.Spec("graph", 10, 3600.0)], client=client)
    try:
        with pytest.raises(budget.OverBudget, match="its count in Redis could not be read: ConnectionError"):
            budget.spend("graph", max_wait=0)
    finally:
        budget.configure([])
