"""Accounts are fetched concurrently ([connectors] workers), yet a run's results do not depend on timing: the same
findings.json, in the same order, as a one-at-a-time run; a slow or failing account holds up no other fetch; scratch
folders are removed; and only a bounded number of fetched accounts wait in memory."""

from __future__ import annotations

import datetime as dt
import gc
import json
import re
import threading
import time
import weakref
from pathlib import Path

import pytest

import auditor.runner as runner
from auditor import cli
from auditor import config as config_mod
from auditor.connectors import ConnectorError, FetchContext
from auditor.model import Account, AccountData, Comment, Link, Post, Profile
from auditor.store import Store
from tests.conftest import NOW, write_config

HANDLES = [f"@Dept{n}IHS@mastodon.social" for n in range(6)]
NUMBER = re.compile(r"@Dept(\d+)IHS@")


def handle(n: int) -> str:
    return f"@Dept{n}IHS@mastodon.social"


def accounts_config(folder: Path, workers: object, count: int = len(HANDLES)) -> Path:
    blocks = "".join(
        f'[[accounts]]\nhandle = "{handle(n)}"\nplatform = "mastodon"\ndepartment = "D{n % 2}"\n'
        'owner = "head@islwynhigh.co.uk"\nnotified = 2024-09-02\ncredentials_shared = true\n\n'
        for n in range(count)
    )
    section = f"[connectors]\nworkers = {workers}\n\n" if workers is not None else ""
    return write_config(folder, section + blocks)


def data_for(account: Account) -> AccountData:
    n = int(NUMBER.findall(account.handle)[0])
    posts = [
        Post(
            f"{n}{k}",
            ["Trip to the museum today.", "Call 07700 900123 to book.", "What a load of crap."][(n + k) % 3],
            created_at=NOW - dt.timedelta(days=k),
            links=(Link(f"https://example.org/{n}/{k}"),),
            comments=(Comment(f"c{n}{k}", "you are all idiots" if k == n else "Well done!"),),
        )
        for k in range(4)
    ]
    username = account.handle.split("@")[1]
    return AccountData(Profile(username=username if n % 2 else "Dept", bio="Hello"), posts, complete=True)


class Staggered:
    """Earlier accounts take longer, so with workers they finish last: the opposite of the order they are given in."""

    def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
        time.sleep(0.02 * (len(HANDLES) - HANDLES.index(account.handle)))
        return data_for(account)


def findings_json(folder: Path, workers: int) -> dict[str, object]:
    out = folder / f"out-{workers}"
    folder.mkdir()
    config = accounts_config(folder, workers)
    code = cli.main(["run", "--all", "--config", str(config), "--out", str(out), "--format", "json", "--offline"])
    assert code == 1  # the posts hold problems: FAILs
    result: dict[str, object] = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return result


def test_concurrent_fetching_writes_the_same_findings_json_as_sequential(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "get_connector", lambda platform: Staggered())
    one = findings_json(tmp_path / "one", workers=1)
    many = findings_json(tmp_path / "many", workers=4)
    assert [a["handle"] for a in one["accounts"]] == HANDLES  # type: ignore[index]
    assert one["accounts"] == many["accounts"]
    keys = ("id", "account", "check", "clause", "status", "severity", "reason", "evidence", "change")
    pick = [[{k: f[k] for k in keys} for f in r["findings"]] for r in (one, many)]  # type: ignore[attr-defined]
    assert len(pick[0]) > 6 * 5 and {f["status"] for f in pick[0]} >= {"FAIL", "PASS"}
    assert pick[0] == pick[1]


def test_one_slow_and_one_failing_account_hold_up_no_other(tmp_path, monkeypatch):
    config = config_mod.load(accounts_config(tmp_path, workers=3))
    slow, failing = HANDLES[0], HANDLES[1]
    others = set(HANDLES) - {slow, failing}
    finished: set[str] = set()
    all_others_done = threading.Event()
    lock = threading.Lock()

    class Connector:
        def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
            if account.handle == slow:
                # Finishes only once every other account has been fetched: one at a time, this would wait in vain.
                if not all_others_done.wait(timeout=10):
                    raise AssertionError("the other accounts were not fetched while the slow one waited")
                return data_for(account)
            if account.handle == failing:
                raise ConnectorError("Mastodon (mastodon.social) kept failing (HTTP 503 after 4 tries)")
            with lock:
                finished.add(account.handle)
                if finished == others:
                    all_others_done.set()
            return data_for(account)

    monkeypatch.setattr(runner, "get_connector", lambda platform: Connector())
    store = Store(tmp_path / "h.sqlite3")
    try:
        started = time.monotonic()
        result = runner.run_audit(config, config.accounts, store, offline=True, now=NOW)
        took = time.monotonic() - started
    finally:
        store.close()
    assert took < 8
    assert [o.account.handle for o in result.outcomes] == HANDLES
    assert [o.status for o in result.outcomes] == ["ok", "error", "ok", "ok", "ok", "ok"]
    assert result.outcomes[1].error == "Mastodon (mastodon.social) kept failing (HTTP 503 after 4 tries)"
    assert result.exit_code == 3
    assert [f.account for f in result.findings if f.check == "naming.ihs_in_username"] == HANDLES


def test_scratch_folders_are_removed_per_account_and_memory_is_bounded(tmp_path, monkeypatch):
    config = config_mod.load(accounts_config(tmp_path, workers=2, count=18))
    folders: list[Path] = []
    started = 0
    processed = 0
    most_waiting = 0
    lock = threading.Lock()

    class Connector:
        def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
            nonlocal started, most_waiting
            scratch = ctx.scratch()
            (scratch / "photo.jpg").write_bytes(b"not really a photo")
            with lock:
                folders.append(scratch)
                started += 1
                most_waiting = max(most_waiting, started - processed)
            if account.handle == handle(3):
                raise ConnectorError("gone")
            return data_for(account)

    audit_account = runner._audit_account

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal processed
        fetch_ctx: FetchContext = args[5]
        assert fetch_ctx._scratch is not None and fetch_ctx._scratch.is_dir()  # still there while checks run
        time.sleep(0.05)  # slower checking than fetching: fetched accounts pile up, up to the bound
        try:
            return audit_account(*args, **kwargs)
        finally:
            with lock:
                processed += 1

    monkeypatch.setattr(runner, "get_connector", lambda platform: Connector())
    monkeypatch.setattr(runner, "_audit_account", counted)
    store = Store(tmp_path / "h.sqlite3")
    try:
        result = runner.run_audit(config, config.accounts, store, offline=True, now=NOW)
    finally:
        store.close()
    assert [o.account.handle for o in result.outcomes] == [handle(n) for n in range(18)]
    assert [o.status for o in result.outcomes].count("error") == 1 and len(folders) == 18
    assert not any(f.exists() for f in folders)
    assert most_waiting <= 2 * 2 + 1  # twice the workers waiting, plus the one being checked


def test_each_accounts_data_is_let_go_once_checked_and_memory_given_back(tmp_path, monkeypatch):
    """What is kept of an account after its checks is its outcome and findings; its posts are let go (so memory
    follows the accounts in flight, not the accounts read), and the C library is asked to give memory back each time."""
    config = config_mod.load(accounts_config(tmp_path, workers=3, count=12))
    fetched: dict[str, weakref.ref[AccountData]] = {}
    still_held: list[list[str]] = []
    trims = 0

    class Connector:
        def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
            data = data_for(account)
            fetched[account.handle] = weakref.ref(data)
            return data

    audit_account = runner._audit_account

    def checking(*args, **kwargs):  # type: ignore[no-untyped-def]
        account: Account = args[1]
        n = int(NUMBER.findall(account.handle)[0])
        gc.collect()
        # every account checked before the one just before this one (which the fetch queue may still name) is gone
        still_held.append([h for h in (handle(k) for k in range(n - 1)) if fetched[h]() is not None])
        return audit_account(*args, **kwargs)

    def give_back() -> bool:
        nonlocal trims
        trims += 1
        return True

    monkeypatch.setattr(runner, "get_connector", lambda platform: Connector())
    monkeypatch.setattr(runner, "_audit_account", checking)
    monkeypatch.setattr(runner.memory, "give_back", give_back)
    store = Store(tmp_path / "h.sqlite3")
    try:
        result = runner.run_audit(config, config.accounts, store, offline=True, now=NOW)
    finally:
        store.close()
    assert [o.status for o in result.outcomes] == ["ok"] * 12
    assert len(still_held) == 12 and still_held == [[]] * 12
    assert trims == 12
    assert result.findings  # the findings themselves are kept, for the store and the reports


def test_a_stopped_run_does_not_wait_for_a_stuck_fetch(tmp_path, monkeypatch):
    config = config_mod.load(accounts_config(tmp_path, workers=4))
    release = threading.Event()
    folders: list[Path] = []

    class Connector:
        def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
            folders.append(ctx.scratch())
            if account.handle != HANDLES[0]:
                release.wait(timeout=30)  # a platform that never answers
            return data_for(account)

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        # The first account is done and four fetches (of four workers) hang before the run is stopped.
        deadline = time.monotonic() + 5
        while len(folders) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        raise KeyboardInterrupt  # Ctrl-C, or SIGTERM as the CLI turns it, while the first account is checked

    monkeypatch.setattr(runner, "get_connector", lambda platform: Connector())
    monkeypatch.setattr(runner, "_audit_account", interrupted)
    store = Store(tmp_path / "h.sqlite3")
    try:
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            runner.run_audit(config, config.accounts, store, offline=True, now=NOW)
        assert time.monotonic() - started < 5
        time.sleep(0.1)
        assert len(folders) == 5  # the sixth account, not yet started, never was
        assert not any(f.exists() for f in folders[1:])
    finally:
        release.set()
        store.close()


def test_workers_setting(tmp_path):
    assert config_mod.load(accounts_config(tmp_path, workers=None)).fetch_workers == 8
    assert config_mod.load(accounts_config(tmp_path, workers=1)).fetch_workers == 1
    for bad, message in (("0", "expected a number from 1 to 64, found 0"), ('"8"', "expected a whole number")):
        with pytest.raises(config_mod.ConfigError, match=message):
            config_mod.load(accounts_config(tmp_path, bad))
    path = write_config(tmp_path, '[connectors]\nthreads = 8\n[[accounts]]\nhandle = "@A"\nplatform = "x"\n')
    with pytest.raises(config_mod.ConfigError, match="threads"):
        config_mod.load(path)
