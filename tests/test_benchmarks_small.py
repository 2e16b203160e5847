"""Every other benchmark script at a tiny size, so CI keeps them working. The figures' goals are meant for the full
sizes recorded in the README; here only what holds at any size is asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def bench(name: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / name), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]  # 1: a goal not met, which tiny sizes may not reach
    assert "Traceback" not in done.stderr
    return done.stdout


def test_links_benchmark_second_run_makes_no_requests():
    out = bench("links.py", "--urls", "20", "--hosts", "4", "--delay", "0.01", "--baseline-sample", "5")
    assert re.search(r"first run: .* 20 requests", out)
    assert "0 requests (must be 0); all cached: True" in out
    assert "peak memory" in out


def test_blocklists_benchmark_builds_and_loads_an_index(tmp_path: Path):
    out = bench("blocklists.py", "--adult", "2000", "--folder", str(tmp_path))
    assert "generated 2,000 adult domains" in out
    assert re.search(r"nightly load \(index already built\): [\d.]+ ms", out)
    assert re.search(r"lookups: \d+ µs each", out)


def test_throughput_benchmark_measures_text_and_images():
    out = bench("throughput.py", "--posts", "200", "--seconds", "0.2")
    assert re.search(r"posts through .* [\d,]+ posts/s", out)
    assert re.search(r"images through face detection +[\d,]+ images/s", out)


def test_accuracy_benchmark_reports_every_check_with_an_evaluation_set():
    out = bench("accuracy.py")
    for check in (
        "content.professional",
        "comments.inappropriate",
        "safeguarding.personal_info",
        "safeguarding.pupil_named",
        "safeguarding.child_photo_consent",
    ):
        assert re.search(rf"^{re.escape(check)} +\d+ +\d+ +[01]\.\d{{3}} \[", out, re.MULTILINE), check


def test_requests_per_account_benchmark_second_run_costs_no_more():
    out = bench("requests_per_account.py")
    first, second = map(int, re.search(r"total requests: first run (\d+), second run (\d+)", out).groups())
    assert 0 < second <= first


def test_startup_benchmark_prints_each_commands_ratio():
    out = bench("startup.py", "--repeat", "1")
    assert re.search(r"python -c pass: min [\d.]+ s", out)
    for command in ("auditor checks", "auditor status"):
        assert re.search(rf"{command}: min [\d.]+ s, .* [\d.]+x a bare interpreter \(goal 5x\)", out)
    assert "RESULT: " in out


def test_store_benchmark_stores_and_reads_two_runs(tmp_path: Path):
    out = bench("store.py", "--accounts", "5", "--findings", "4", "--store", str(tmp_path / "b.sqlite3"))
    assert f"store: {tmp_path / 'b.sqlite3'}" in out
    assert re.search(r"second run: earlier findings of 5 accounts [\d.]+ s; storing 20 findings [\d.]+ s", out)
    assert (tmp_path / "b.sqlite3").stat().st_size > 0
