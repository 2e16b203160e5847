"""The load benchmark (benchmarks/scale.py) at its smallest size, so CI keeps it working: a real fake API on
127.0.0.1 in its own process, a full in-process `auditor run`, and the figures printed in their table."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from tests.conftest import REPO


def load_scale() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_scale", REPO / "benchmarks" / "scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scale() -> ModuleType:
    return load_scale()


def test_smallest_size_runs_and_prints_every_figure(scale, capsys):
    assert scale.main(["--smallest"]) == 0
    out = capsys.readouterr().out
    header, row = (line.split() for line in out.splitlines()[1:3])
    assert header[0] == "accounts" and "posts/s" in header and "peak" in header
    accounts, wall, per_account, api, links, posts, rate, findings, peak = row
    # 3 accounts x (1 lookup + 1 page + 20 reply threads); 20 posts each with one of 20 distinct links.
    assert (accounts, api, links, posts) == ("3", "66", "20", "60")
    assert 0 < float(wall) < 30 and float(per_account) == pytest.approx(float(wall) / 3, abs=0.02)
    assert int(rate) > 0 and int(findings) > 0 and 20 < float(peak) < 500
    assert "goal: every account read (no ERROR): met" in out
    assert out.rstrip().endswith("RESULT: goals met")


def test_goals_are_judged_from_the_figures(scale):
    def row(accounts: int, wall: float, peak: float = 100.0, errors: int = 0) -> dict[str, object]:
        return {"accounts": accounts, "wall": wall, "peak_mb": peak, "errors": errors, "exit": 1}

    good = scale.goals([row(10, 20.0, 80.0), row(100, 100.0), row(500, 290.0, 130.0)])
    assert all(ok for _, ok in good) and len(good) == 6
    assert "memory flat from 100 to 500 accounts (+0.075 MB an account added, at most 0.1)" in dict(good)
    slow = dict(scale.goals([row(100, 100.0), row(500, 700.0)]))
    assert slow["500 accounts in under 5 minutes"] is False
    assert [ok for name, ok in slow.items() if name.startswith("linear")] == [False]  # 1.4 s an account, was 1.0
    growing = dict(scale.goals([row(100, 100.0, 150.0), row(500, 290.0, 240.0)]))  # under the cap, but 0.225 MB each
    assert [ok for name, ok in growing.items() if name.startswith("memory flat")] == [False]
    assert not all(ok for _, ok in scale.goals([row(10, 5.0, peak=260.0)]))
    assert not all(ok for _, ok in scale.goals([row(10, 5.0, errors=1)]))


def test_bad_sizes_are_a_usage_error(scale, capsys):
    with pytest.raises(SystemExit) as exc:
        scale.main(["--sizes", "ten"])
    assert exc.value.code == 2 and "--sizes expects numbers" in capsys.readouterr().err
