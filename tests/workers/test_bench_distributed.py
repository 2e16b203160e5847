"""benchmarks/scale.py --distributed at its smallest (a real Redis, a real worker, a real coordinator), and its goal
judged from the figures."""

from __future__ import annotations

import shutil

import pytest

from tests.test_benchmarks_smoke import load_scale


def row(accounts: int, processes: int, wall: float, errors: int = 0) -> dict[str, object]:
    return {"accounts": accounts, "processes": processes, "wall": wall, "errors": errors, "exit": 1}


def test_the_scaling_goal_is_judged_against_one_process():
    scale = load_scale()
    good = dict(scale.distributed_goals([row(200, 1, 200.0), row(200, 2, 105.0), row(2000, 4, 600.0)]))
    # 2000 / 600 = 3.33 accounts a second against 200 / 200 = 1: x3.33, at least 3 wanted with 4 processes.
    assert good == {
        "every account read (no ERROR)": True,
        "2000 accounts with 4 processes at least 3x the throughput of one process (200 accounts): x3.33": True,
    }
    slow = dict(scale.distributed_goals([row(200, 1, 200.0), row(200, 4, 80.0, errors=1)]))
    assert slow == {
        "every account read (no ERROR)": False,
        "200 accounts with 4 processes at least 3x the throughput of one process (200 accounts): x2.50": False,
    }


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed (.ci/run installs it)")
def test_the_smallest_distributed_run_prints_every_figure(capsys):
    scale = load_scale()
    code = scale.main(["--distributed", "--sizes", "3", "--processes", "1", "--posts", "2", "--latency", "0.02",
                       "--urls", "6"])  # fmt: skip
    out = capsys.readouterr().out
    lines = out.splitlines()
    header, figures = lines[1].split(), lines[2].split()
    assert header[:3] == ["accounts", "processes", "wall"]
    accounts, processes, wall, rate, per_process, posts, findings, worker_mb, coordinator_mb = figures
    assert float(per_process) == pytest.approx(float(rate), abs=0.006)  # one process (rounded to 2 and 3 places)
    assert (accounts, processes, posts) == ("3", "1", "6")
    assert 0 < float(wall) < 120 and float(rate) == pytest.approx(3 / float(wall), rel=0.05)
    assert int(findings) > 0 and 20 < float(worker_mb) < 1000 and 20 < float(coordinator_mb) < 1000
    assert "goal: every account read (no ERROR): met" in out
    assert code == 0
