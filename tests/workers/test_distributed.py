"""Accounts read and checked by real `auditor worker` processes through a real Redis: the same findings.json as a run
in one process, and a worker killed mid-account does not wedge the run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from auditor import cli
from tests.conftest import REPO
from tests.workers.conftest import flush, with_broker


def sample_copy(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(REPO / "config.toml", folder / "config.toml")
    shutil.copytree(REPO / "examples" / "archives", folder / "examples" / "archives")
    shutil.copy(REPO / "examples" / "roster.csv", folder / "examples" / "roster.csv")
    return folder / "config.toml"


def findings_of(out: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return report


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """What must match between two runs: everything but the run's own id and times (a new finding is first seen at
    the start of its run, so its first_seen is that run's start)."""
    started = report["run"]["started_at"]
    findings = []
    for f in report["findings"]:
        f = dict(f)
        assert f["first_seen"] == started, f  # a first run: every finding is new, first seen as the run started
        f.pop("first_seen")
        findings.append(f)
    return {"accounts": report["accounts"], "findings": findings, "scope": report["run"]["scope"]}


def run(config: Path, out: Path) -> int:
    return cli.main(["run", "--all", "--config", str(config), "--out", str(out), "--format", "json", "--no-email"])


def test_workers_write_the_same_findings_json_as_one_process(tmp_path, redis_url, start_worker):
    flush(redis_url)
    alone = sample_copy(tmp_path / "alone")
    code_alone = run(alone, tmp_path / "alone" / "out")

    shared = with_broker(sample_copy(tmp_path / "shared"), redis_url)
    start_worker(shared, concurrency=2)
    code_shared = run(shared, tmp_path / "shared" / "out")

    one, many = findings_of(tmp_path / "alone" / "out"), findings_of(tmp_path / "shared" / "out")
    assert code_shared == code_alone == 1  # the samples hold problems to fix
    assert comparable(many) == comparable(one)
    assert len(many["findings"]) > 50
    assert all(a["status"] == "ok" for a in many["accounts"]), many["accounts"]
    # The history the coordinator stored is read by the next run, as in one process: every problem now persists.
    again = tmp_path / "shared" / "out2"
    assert run(shared, again) == 1
    changes = {f["change"] for f in findings_of(again)["findings"] if f["status"] == "FAIL"}
    assert changes == {"persisting"}


def test_a_worker_killed_mid_account_does_not_wedge_the_run(tmp_path, redis_url, start_worker):
    """@MusicIHS never finishes; its worker process is killed twice (SIGKILL). The task goes back to the queue the
    first time (acks late, rejected when its worker is lost) and is not tried a third time: the account ends ERROR
    with the reason, the run finishes, and every other account's findings are all there."""
    import redis

    flush(redis_url)
    alone = sample_copy(tmp_path / "alone")
    run(alone, tmp_path / "alone" / "out")
    expected = comparable(findings_of(tmp_path / "alone" / "out"))

    shared = with_broker(sample_copy(tmp_path / "shared"), redis_url, "account_time_limit = 120\nrun_timeout = 300\n")
    start_worker(shared, concurrency=2, env={"AUDITOR_TEST_STUCK": "@MusicIHS"})
    out = tmp_path / "shared" / "out"
    coordinator = subprocess.Popen(
        [sys.executable, "-m", "auditor", "run", "--all", "--config", str(shared), "--out", str(out), "--format",
         "json", "--no-email"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    killed: list[int] = []
    try:
        deadline = time.monotonic() + 90
        while len(killed) < 2 and time.monotonic() < deadline:
            # The fifth account of the config (index 4) is @MusicIHS; its task records the process reading it.
            keys = [k for k in client.scan_iter("auditor:pid:*") if k.endswith(".4")]
            pid = int(client.get(keys[0]) or 0) if keys else 0
            if pid and pid not in killed:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            time.sleep(0.1)
        assert len(killed) == 2, "the stuck account's task was not taken again after its process was killed"
        output, _ = coordinator.communicate(timeout=120)
    finally:
        if coordinator.poll() is None:
            coordinator.kill()
            coordinator.wait()
        client.close()
    assert coordinator.returncode == 3, output  # finished, one account could not be audited
    report = findings_of(out)
    music = next(a for a in report["accounts"] if a["handle"] == "@MusicIHS")
    assert music["status"] == "error"
    assert "stopped before finishing" in music["error"] and "not tried again" in music["error"], music
    others = [a for a in report["accounts"] if a["handle"] != "@MusicIHS"]
    assert others and all(a["status"] == "ok" for a in others)
    # Nothing lost: every other account's findings are exactly those of a run in one process.
    got = comparable(report)
    assert [f for f in got["findings"] if f["account"] != "@MusicIHS"] == [
        f for f in expected["findings"] if f["account"] != "@MusicIHS"
    ]
    # @MusicIHS is not passed: what it would be judged on is not verified.
    assert {f["status"] for f in got["findings"] if f["account"] == "@MusicIHS"} <= {"ERROR", "MANUAL"}


def test_no_worker_running_ends_every_account_error_at_the_run_timeout(tmp_path, redis_url):
    flush(redis_url)
    config = with_broker(sample_copy(tmp_path / "idle"), redis_url, "run_timeout = 60\n")
    text = config.read_text(encoding="utf-8")
    # Only two accounts, so the test waits one minute, not more.
    start = text.index("[[accounts]]", text.index("[[accounts]]") + 1)
    start = text.index("[[accounts]]", start + 1)
    end = text.index("[departments.")
    config.write_text(text[:start] + text[end:], encoding="utf-8")
    began = time.monotonic()
    code = run(config, tmp_path / "idle" / "out")
    assert time.monotonic() - began < 90
    assert code == 3  # the run finished; its accounts could not be audited
    report = findings_of(tmp_path / "idle" / "out")
    assert [a["status"] for a in report["accounts"]] == ["error", "error"]
    assert all("run_timeout = 60 s" in a["error"] and "auditor worker" in a["error"] for a in report["accounts"])


def test_a_broker_that_does_not_answer_is_a_plain_message(tmp_path, capsys):
    from tests.workers.conftest import free_port

    config = with_broker(sample_copy(tmp_path / "down"), f"redis://127.0.0.1:{free_port()}/0")
    code = run(config, tmp_path / "down" / "out")
    err = capsys.readouterr().err
    assert code == 2
    assert "could not be handed to the workers" in err and "remove [workers] broker" in err
    assert "Traceback" not in err


def test_an_account_over_its_time_limit_ends_error_and_the_run_goes_on(tmp_path, redis_url, start_worker):
    """@MusicIHS never finishes: after account_time_limit its process is stopped (Celery's hard time limit) and the
    account is ERROR, saying why; the others are read as usual."""
    flush(redis_url)
    shared = with_broker(sample_copy(tmp_path / "slow"), redis_url, "account_time_limit = 10\nrun_timeout = 300\n")
    start_worker(shared, concurrency=2, env={"AUDITOR_TEST_STUCK": "@MusicIHS"})
    began = time.monotonic()
    assert run(shared, tmp_path / "slow" / "out") == 3
    assert time.monotonic() - began < 120
    accounts = {a["handle"]: a for a in findings_of(tmp_path / "slow" / "out")["accounts"]}
    music = accounts.pop("@MusicIHS")
    assert music["status"] == "error"
    assert "took longer than 10 s ([workers] account_time_limit)" in music["error"], music
    assert all(a["status"] == "ok" for a in accounts.values())


def trust_copy(folder: Path) -> Path:
    shutil.copytree(REPO / "examples", folder / "examples")
    return folder / "examples" / "trust" / "trust.toml"


def school_reports(trust_file: Path, out: Path) -> dict[str, dict[str, Any]]:
    assert (
        cli.main(["run", "--all", "--config", str(trust_file), "--out", str(out), "--format", "json", "--no-email"])
        == 1
    )
    return {school: comparable(findings_of(out / school)) for school in ("ihs", "ysgol-cwm")}


def test_a_trusts_workers_read_every_schools_accounts_as_one_process_does(tmp_path, redis_url, start_worker):
    """One pool of workers, started with the trust's file, serves every school; each school's findings.json is the
    one a run in one process writes, and holds only that school's accounts."""
    flush(redis_url)
    alone = school_reports(trust_copy(tmp_path / "alone"), tmp_path / "alone" / "out")

    shared = with_broker(trust_copy(tmp_path / "shared"), redis_url)
    start_worker(shared, concurrency=2)
    many = school_reports(shared, tmp_path / "shared" / "out")

    assert many == alone
    handles = {school: {a["handle"] for a in report["accounts"]} for school, report in many.items()}
    assert "@HanesYCD" in handles["ysgol-cwm"] and "@HanesYCD" not in handles["ihs"]
    assert "@HistoryIHS" in handles["ihs"] and not handles["ihs"] & handles["ysgol-cwm"]
    assert all(a["status"] == "ok" for report in many.values() for a in report["accounts"])
