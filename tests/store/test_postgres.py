"""The same audit on PostgreSQL as on SQLite: the bundled sample config, `auditor run --all --offline`, twice (the
second run compares with the first), gives the same findings.json on both; `auditor history` and `auditor status`
read a PostgreSQL history; faults of the server or the settings are told in plain words without the password."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.store import Store, StoreError
from tests.store.pgserver import AUDITOR_PASSWORD, Server, free_port


def with_store(config: Path, store: str) -> Path:
    text = config.read_text(encoding="utf-8")
    text, n = re.subn(r'(?m)^store = "auditor\.sqlite3".*$', f'store = "{store}"', text)
    assert n == 1
    config.write_text(text, encoding="utf-8")
    return config


def audit_twice(config: Path, out: Path) -> list[str]:
    """findings.json of two runs, with what must differ between two audits made at different times (each run's id
    and clock readings) replaced by which run it was: run ids, run start and finish, and `first_seen` (the start of
    the run that first saw a problem)."""
    texts = []
    for n in (1, 2):
        assert main(["run", "--all", "--config", str(config), "--out", str(out / f"r{n}"), "--offline"]) == 1
        texts.append((out / f"r{n}" / "findings.json").read_text(encoding="utf-8"))
    runs = [json.loads(t)["run"] for t in texts]
    normalised = []
    for text in texts:
        for n, run in enumerate(runs, 1):
            for key in ("id", "started_at", "finished_at"):
                text = text.replace(run[key], f"<run {n} {key}>")
        normalised.append(text)
    return normalised


def test_the_sample_audit_gives_the_same_findings_on_sqlite_and_postgresql(sample, tmp_path, pg_url, capsys, caplog):
    caplog.set_level("DEBUG")
    on_sqlite = audit_twice(sample, tmp_path / "sqlite")
    assert (sample.parent / "auditor.sqlite3").exists()
    on_postgresql = audit_twice(with_store(sample, pg_url), tmp_path / "postgresql")
    said = capsys.readouterr()
    assert AUDITOR_PASSWORD not in said.out + said.err + caplog.text
    assert on_postgresql == on_sqlite
    second = json.loads(on_postgresql[1])
    assert {f["change"] for f in second["findings"]} >= {"persisting"}  # the second run read the first from the store
    assert any(f["first_seen"] == "<run 1 started_at>" for f in second["findings"])
    assert len(second["findings"]) > 20

    assert main(["history", "--config", str(sample)]) == 0
    out = capsys.readouterr().out
    assert out.count("complete") + out.count("partial") >= 2 and json.loads(on_postgresql[0])["run"]["status"] in out
    assert main(["status", "--config", str(sample)]) in (0, 1)
    status = capsys.readouterr().out
    assert status.startswith("auditor status: ") and AUDITOR_PASSWORD not in status
    assert main(["config", "check", "--config", str(sample)]) == 0
    checked = capsys.readouterr().out
    assert "history in postgresql://auditor:***@127.0.0.1" in checked and AUDITOR_PASSWORD not in checked
    # The run lock of a server-held history is a file beside the config.
    assert (sample.parent / "auditor.store.lock").exists()
    # The password is in config.toml alone: in no report, log, lock or other file the runs wrote.
    written = [p for p in [*sample.parent.rglob("*"), *tmp_path.rglob("*")] if p.is_file() and p != sample]
    assert len(written) > 20
    assert not [p for p in written if AUDITOR_PASSWORD.encode() in p.read_bytes()]


# --- Faults: plain words, never the password ---------------------------------------------------------------------


def refused(url: str) -> str:
    with pytest.raises(StoreError) as err:
        Store(url)
    message = str(err.value)
    assert AUDITOR_PASSWORD not in message and "Traceback" not in message
    return message


def test_a_wrong_password_is_told_without_the_password(postgres: Server, pg_url):
    message = refused(pg_url.replace(AUDITOR_PASSWORD, "Wrong-Guess-77"))
    assert "refused auditor's login" in message and "password authentication failed" in message
    assert "Wrong-Guess-77" not in message and "postgresql://auditor:***@127.0.0.1" in message


def test_an_unknown_user_is_a_refused_login(postgres: Server):
    message = refused(postgres.url("postgres", user="nobody_here"))
    assert "refused auditor's login" in message


def test_a_missing_database_is_named(postgres: Server):
    message = refused(postgres.url("no_such_db"))
    assert "no_such_db" in message and "does not exist" in message and "CREATE DATABASE" in message


def test_a_server_that_is_not_there_is_told(postgres: Server):
    port = free_port()
    message = refused(f"postgresql://auditor:{AUDITOR_PASSWORD}@127.0.0.1:{port}/auditor")
    assert f"cannot connect to the history database server at postgresql://auditor:***@127.0.0.1:{port}" in message
    assert "check that PostgreSQL is running there" in message


def test_a_lost_connection_mid_run_is_a_store_error(postgres: Server, pg_url):
    store = Store(pg_url)
    try:
        [(pid,)] = store._all("SELECT pg_backend_pid()")
        postgres.admin(f"SELECT pg_terminate_backend({int(pid)})")
        with pytest.raises(StoreError, match=r"the connection to the history database server at .* was lost") as err:
            store.runs()
        assert AUDITOR_PASSWORD not in str(err.value)
    finally:
        store.close()


def test_the_cli_reports_a_refused_login_in_plain_words(sample, postgres: Server, pg_url, capsys):
    with_store(sample, pg_url.replace(AUDITOR_PASSWORD, "Wrong-Guess-77"))
    assert main(["run", "--all", "--config", str(sample), "--offline", "--out", str(sample.parent / "r")]) == 2
    err = capsys.readouterr().err
    assert "refused auditor's login" in err and "Traceback" not in err and "Wrong-Guess-77" not in err
    assert not (sample.parent / "r").exists()


def test_a_run_on_another_machine_holding_the_school_in_the_server_is_waited_for_then_refused(sample, pg_url, capsys):
    """The lock file beside config.toml keeps one run at a time on one machine; a history on a database server is
    also locked in the server, per school, so a run started elsewhere (here: another session holding the lock) is
    refused with exit 3 and writes nothing, while another school's run goes ahead."""
    with_store(sample, pg_url)
    elsewhere = Store(pg_url)  # the default school, as the sample config's run is
    other_school = Store(pg_url, school="ysgol-cwm")
    try:
        elsewhere.hold_run_lock(wait=0, what="audit")
        other_school.hold_run_lock(wait=0, what="audit")  # another school's lock is another lock
        out = sample.parent / "r"
        assert main(["run", "--all", "--config", str(sample), "--offline", "--out", str(out), "--wait", "1"]) == 5
        err = capsys.readouterr().err
        assert "another run of this school's audits holds the history database" in err
        assert AUDITOR_PASSWORD not in err and "Traceback" not in err
        assert elsewhere.runs() == []  # nothing was written
    finally:
        elsewhere.close()
        other_school.close()
    # The session that held it ended: the next run goes ahead.
    assert main(["run", "--all", "--config", str(sample), "--offline", "--out", str(sample.parent / "r2")]) == 1
