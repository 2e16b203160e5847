"""deploy/auditor-worker@.service and deploy/compose.yaml run commands the CLI accepts, with the keys they need."""

from __future__ import annotations

import pytest

from tests.conftest import REPO
from tests.ops.test_deploy import auditor_args, unit


def test_the_worker_unit_runs_auditor_worker_and_stops_it_gently():
    worker = unit("auditor-worker@.service")
    args = auditor_args(worker["Service"]["ExecStart"])
    assert args[:3] == ["worker", "--config", "/opt/auditor/config.toml"] and "--name" in args
    assert worker["Service"]["KillSignal"] == "SIGTERM" and int(worker["Service"]["TimeoutStopSec"]) >= 60
    assert worker["Service"]["Restart"] == "always" and worker["Service"]["MemoryMax"]
    assert worker["Service"]["EnvironmentFile"].endswith("secrets.env")


def test_compose_has_the_broker_the_database_the_workers_and_the_scheduler():
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((REPO / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"redis", "postgres", "worker", "scheduler"}
    assert services["redis"]["image"].startswith("redis:")
    assert services["postgres"]["image"].startswith("postgres:")
    from auditor.cli import _parser

    for name, command in (("worker", "worker"), ("scheduler", "schedule")):
        args = services[name]["command"]
        _parser().parse_args(args)  # exits on an option the CLI does not have
        assert args[0] == command
        config = args[args.index("--config") + 1]
        assert any(v.split(":")[1] == config for v in services[name]["volumes"] if v.startswith("./config.toml"))
    assert "POSTGRES_PASSWORD" not in services["postgres"]["environment"]  # a secret file, not a value in the file
    assert (REPO / "deploy" / "Dockerfile").read_text(encoding="utf-8").count("ENTRYPOINT") == 1
