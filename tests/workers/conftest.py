"""A real Redis server on 127.0.0.1 (a free port, nothing written to disk) and real `auditor worker` processes, started
and stopped by the tests. Where redis-server is not installed (.ci/run installs it from the OS packages), the tests
that need it are skipped, saying so."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

REDIS = shutil.which("redis-server")
NO_REDIS = (
    "redis-server is not installed (apt-get install redis-server; .ci/run does it): the worker tests need a real broker"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if REDIS is None:
        pytest.skip(NO_REDIS)
    folder = tmp_path_factory.mktemp("redis")
    port = free_port()
    proc = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder),
         "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(100):
            try:
                if client.ping():
                    break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not answer within 5 s")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=10)


def flush(url: str) -> None:
    import redis

    with redis.Redis.from_url(url) as client:
        client.flushdb()


class Worker:
    """One `auditor worker` (tests/workers/worker_main.py) in its own session, stopped with its pool processes."""

    def __init__(self, config: Path, concurrency: int, log: Path, env: dict[str, str] | None = None) -> None:
        self.log = log
        self.handle = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.workers.worker_main", "--config", str(config), "--concurrency",
             str(concurrency), "--name", f"test-{os.getpid()}-{log.stem}@%h"],
            cwd=REPO, stdout=self.handle, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
            start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log.read_text(errors="replace"):
                return
            if self.proc.poll() is not None:
                pytest.fail(f"the worker stopped at start-up:\n{self.log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.1)
        pytest.fail(f"the worker was not ready within {timeout:.0f} s:\n{self.log.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.handle.close()


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[object]:
    started: list[Worker] = []

    def start(config: Path, concurrency: int = 2, env: dict[str, str] | None = None) -> Worker:
        worker = Worker(config, concurrency, tmp_path / f"worker{len(started)}.log", env)
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()


def with_broker(config: Path, url: str, extra: str = "") -> Path:
    """The config, with [workers] naming the test's Redis."""
    text = config.read_text(encoding="utf-8")
    config.write_text(text + f'\n[workers]\nbroker = "{url}"\n{extra}', encoding="utf-8")
    return config
