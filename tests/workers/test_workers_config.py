"""[workers] in config.toml (auditor/config_schema.py), and what crosses the broker (auditor/workers.py): JSON that
reads back to the same findings, a task that names an account and never a credential, and a worker that refuses a
task sent with another config. None of these need Redis."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from auditor import config as config_mod
from auditor import worker, workers
from auditor.errors import WorkersUnavailable
from auditor.model import Change, Evidence, Finding, Seen, Severity, Status
from auditor.results import Examined
from auditor.settings import ConfigError, Workers
from tests.conftest import write_config

ACCOUNT = """
[[accounts]]
handle = "@HistoryIHS"
platform = "x-archive"
department = "History"
source = "archives/HistoryIHS"
"""


def load(tmp_path: Path, workers_section: str) -> config_mod.Config:
    return config_mod.load(write_config(tmp_path, ACCOUNT + "\n" + workers_section))


def problems(tmp_path: Path, workers_section: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, workers_section)
    return caught.value.problems


def test_no_workers_section_is_the_in_process_run(tmp_path):
    cfg = load(tmp_path, "")
    assert cfg.workers is None and cfg.broker is None


def test_the_workers_section_is_read_with_its_defaults(tmp_path):
    cfg = load(
        tmp_path,
        '[workers]\nbroker = "redis://10.0.0.5:6379/2"\nconcurrency = 4\n'
        'budgets = { youtube = "10000/day", graph = "200/hour", x = "900/15 minutes" }\n',
    )
    assert cfg.broker == "redis://10.0.0.5:6379/2"
    assert cfg.workers is not None
    assert cfg.workers.concurrency == 4
    assert cfg.workers.max_tasks_per_child == Workers(broker="x").max_tasks_per_child
    assert cfg.workers.budgets == (("youtube", 10000, 86400.0), ("graph", 200, 3600.0), ("x", 900, 900.0))


def test_budgets_without_a_broker_count_in_this_process(tmp_path):
    cfg = load(tmp_path, '[workers]\nbudgets = { youtube = "10000/day" }\n')
    assert cfg.broker is None
    assert cfg.workers is not None and cfg.workers.budgets == (("youtube", 10000, 86400.0),)


def test_mistakes_in_the_workers_section_name_key_and_line(tmp_path):
    found = problems(
        tmp_path,
        '[workers]\nbroker = "amqp://rabbit:5672"\nconcurrency = 0\nbudgets = { youtub = "10/day", x = "lots" }\n'
        "max_task_per_child = 3\n",
    )
    text = "\n".join(found)
    assert "config.toml:17: workers.broker: expected the address of a Redis server" in text
    assert "config.toml:18: workers.concurrency: expected a number from 1 to 64, found 0" in text
    assert "workers.budgets.youtub: no connector draws on a budget named 'youtub'" in text
    assert 'workers.budgets.x: expected an amount and a period like "10000/day"' in text
    assert "workers.max_task_per_child: unknown key; did you mean 'max_tasks_per_child'?" in text


def test_a_password_in_the_broker_address_is_refused_and_not_repeated(tmp_path):
    found = problems(tmp_path, '[workers]\nbroker = "redis://:Sup3rSecretPw@10.0.0.5:6379/0"\n')
    assert any("broker_password_env" in p for p in found)
    assert not any("Sup3rSecretPw" in p for p in found)


def test_the_broker_password_comes_from_the_environment(tmp_path, monkeypatch):
    cfg = load(tmp_path, '[workers]\nbroker = "redis://10.0.0.5:6379/0"\nbroker_password_env = "AUDITOR_REDIS_PW"\n')
    assert cfg.workers is not None
    monkeypatch.delenv("AUDITOR_REDIS_PW", raising=False)
    with pytest.raises(WorkersUnavailable, match="AUDITOR_REDIS_PW, which is empty"):
        workers.broker_url(cfg.workers)
    monkeypatch.setenv("AUDITOR_REDIS_PW", "p@ss/word")
    assert workers.broker_url(cfg.workers) == "redis://:p%40ss%2Fword@10.0.0.5:6379/0"


def test_status_reads_a_config_with_workers(tmp_path):
    path = write_config(tmp_path, ACCOUNT + '\n[workers]\nbroker = "redis://127.0.0.1:6379/0"\n')
    assert config_mod.status_settings(path).store.file == tmp_path / "auditor.sqlite3"


def examined() -> Examined:
    posted = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    also = Evidence(url="https://x.com/HistoryIHS/status/2", post_id="2", excerpt="again", posted_at=posted)
    finding = Finding(
        id="0123456789abcdef",
        account="@HistoryIHS",
        platform="x-archive",
        department="History",
        check="safeguarding.pupil_names",
        clause="SMP-2.4",
        status=Status.FAIL,
        severity=Severity.CRITICAL,
        reason="Names a pupil: Ceri Jones. \u2018quoted\u2019",
        evidence=Evidence(url="https://x.com/HistoryIHS/status/1", post_id="1", excerpt="Well done Ceri", also=(also,)),
    )
    return Examined(
        findings=[finding, dataclasses.replace(finding, id="fedcba9876543210", status=Status.ERROR)],
        failed=["the check x failed on its data (KeyError); please report it"],
        error=None,
        read=True,
        seen=Seen(frozenset({"1", "2"}), complete=True),
        posts_examined=2,
        comments_examined=3,
        usage={"requests": 4},
        state={"newest": "2", "watched": ["1", "2"]},
    )


def test_an_examined_account_crosses_the_broker_as_json_and_reads_back_the_same():
    original = examined()
    wire = json.loads(json.dumps(workers.encode(original)))  # JSON, as Celery's json serializer sends it
    back = workers.decode(wire)
    assert back == original
    assert back.findings[0].evidence.also[0].posted_at == original.findings[0].evidence.also[0].posted_at
    assert back.findings[0].change is Change.NEW


@pytest.mark.parametrize("broken", [None, {"v": 99}, {"v": 1, "findings": "no"}])
def test_an_unreadable_answer_is_refused(broken):
    with pytest.raises((KeyError, TypeError, ValueError)):
        workers.decode(broken)


def test_a_worker_refuses_a_task_sent_with_another_config(tmp_path):
    cfg = load(tmp_path, '[workers]\nbroker = "redis://127.0.0.1:6379/0"\n')
    worker.prepare_worker(cfg)
    payload = {"v": 1, "run": "r1", "account": "x-archive:@historyihs", "digest": "0" * 32, "checks": []}
    result = worker._examine_payload(payload, client=None)
    assert result.read is False and result.error is not None and "different config.toml" in result.error
    other = dict(payload, digest=workers.config_digest(cfg), account="x-archive:@nobody")
    result = worker._examine_payload(other, client=None)
    assert result.error == "the worker's config.toml does not list this account"


def test_a_task_holds_no_credential(tmp_path, monkeypatch):
    """What the run sends: the account's key, the run's options and the connector's saved state; never a secret
    from the environment (the worker reads its own)."""
    monkeypatch.setenv("X_BEARER_TOKEN", "AAAAAAAAAAAAAAAAAAAAAFakeXBearerToken0123456789")
    cfg = load(tmp_path, '[workers]\nbroker = "redis://127.0.0.1:6379/0"\n')
    sent: list[dict[str, object]] = []

    class FakeApp:
        def send_task(self, name, args, task_id, queue):
            sent.append({"name": name, "args": args, "task_id": task_id, "queue": queue})
            raise ConnectionError("stop here")

        def close(self):
            pass

    monkeypatch.setattr(workers, "make_app", lambda w: FakeApp())
    monkeypatch.setattr(workers, "_abandon", lambda app, run: None)
    examine = workers.examine(
        cfg, cfg.accounts, {}, run_id="r1", now=dt.datetime.now(dt.UTC), since=None, offline=False,
        comments_only=False, state_of=lambda a: {"newest": "5"},
    )  # fmt: skip
    with pytest.raises(WorkersUnavailable, match="did not take them"):
        next(examine)
    assert len(sent) == 1
    wire = json.dumps(sent[0]["args"])
    assert "FakeXBearerToken" not in wire
    assert json.loads(wire)[0]["account"] == "x-archive:@historyihs"
    assert json.loads(wire)[0]["state"] == {"newest": "5"}


def test_auditor_worker_without_a_broker_says_so(tmp_path, capsys):
    from auditor.cli import main

    path = write_config(tmp_path, ACCOUNT)
    assert main(["worker", "--config", str(path)]) == 2
    assert "no [workers] broker, so there is no queue to take accounts from" in capsys.readouterr().err
    with_broker = write_config(tmp_path, ACCOUNT + '\n[workers]\nbroker = "redis://127.0.0.1:6379/0"\n')
    assert main(["worker", "--config", str(with_broker), "--concurrency", "0"]) == 2
    assert "--concurrency must be from 1 to 64, not 0" in capsys.readouterr().err
