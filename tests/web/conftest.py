"""A school with a history for the web app: the sample accounts audited offline once (tests/conftest.py `sample`), a
comment sweep that found an abusive comment, and one person of each role added with `auditor users add` (the password
read from standard input, as a service script would give it)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from auditor import config as config_mod
from auditor.cli import main
from auditor.model import Change, Evidence, Finding, Severity, Status
from auditor.store import AccountRun, Store
from auditor.storeurl import StoreTarget
from auditor.web.app import create_app
from tests.reports.conftest import free_port

PASSWORD = "correct horse battery staple"
# One person of each role: (user name, name, role, extra arguments).
PEOPLE = {
    "lead": ("lead@islwynhigh.co.uk", "Heather Davies", "lead", []),
    "slt": ("deputy@islwynhigh.co.uk", "J. Morgan", "slt", []),
    "head": ("science.head@islwynhigh.co.uk", "Rhys Evans", "head", ["--department", "science"]),
    "history": ("history.head@islwynhigh.co.uk", "Ann Hughes", "head", ["--department", "History"]),
    "owner": ("science@islwynhigh.co.uk", "Cerys Owen", "owner", ["--account", "@ScienceIHS"]),
}
COMMENT = "you are useless, get out of our school"
KEY = "k" * 48


@dataclasses.dataclass
class Site:
    config_path: Path
    folder: Path
    ids: dict[str, str]  # the findings the tests decide on, by a short name

    @property
    def config(self) -> config_mod.Config:
        return config_mod.load(self.config_path)

    def run(self, out: str, *extra: str) -> dict[str, dict[str, object]]:
        """An offline audit into `out`; its findings.json by finding id."""
        code = main(["run", "--all", "--offline", "--no-email", "--config", str(self.config_path),
                     "--out", str(self.folder / out), *extra])  # fmt: skip
        assert code in (0, 1, 3)
        found = json.loads((self.folder / out / "findings.json").read_text(encoding="utf-8"))
        return {f["id"]: f for f in found["findings"]}


def add_user(config: Path, who: str, monkeypatch: pytest.MonkeyPatch, password: str = PASSWORD) -> int:
    username, name, role, extra = PEOPLE[who]
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(["users", "add", username, "--name", name, "--role", role, *extra, "--config", str(config)])


def record_sweep(store: StoreTarget, finding: Finding, key: str, seen: dt.datetime) -> None:
    """A finished comment sweep that found `finding`, written through the store's own API."""
    history = Store(store)
    try:
        run_id = f"{seen:%Y%m%dT%H%M%SZ}-{finding.id[:6]}"
        history.begin_run(run_id, seen, "test", kind="comment_sweep", scope="partial", scope_note="comments")
        account = AccountRun(key, finding.account, finding.platform, finding.department, "ok", None, 1, 1)
        history.finish_run(run_id, seen + dt.timedelta(minutes=1), "complete", [account], [(key, finding)])
    finally:
        history.close()


def add_sweep(store: StoreTarget, handle: str, comment: str, seen: dt.datetime) -> str:
    """A comment sweep that found one abusive comment on `handle` (a registered account)."""
    with sqlite3.connect(store.file or "") as db:
        key, department, platform = db.execute(
            "SELECT account_key, department, platform FROM findings WHERE account = ? LIMIT 1", (handle,)
        ).fetchone()
    finding = Finding(
        id="c0ffee0000000001",
        account=handle,
        platform=platform,
        department=department,
        check="comments.inappropriate",
        clause="SMP-2.6",
        status=Status.FAIL,
        severity=Severity.HIGH,
        reason="A comment under the post is abusive: remove it and report it to SLT.",
        evidence=Evidence(url="https://x.com/HistoryIHS/status/1", post_id="1", excerpt=comment),
        change=Change.NEW,
        first_seen=seen,
    )
    record_sweep(store, finding, key, seen)
    return finding.id


def finding_id(findings: dict[str, dict[str, object]], account: str, check: str) -> str:
    return next(i for i, f in findings.items() if f["account"] == account and f["check"] == check)


@pytest.fixture
def site(sample: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    s = Site(sample, sample.parent, {})
    first = s.run("run1")
    for who in PEOPLE:
        assert add_user(sample, who, monkeypatch) == 0
    seen = dt.datetime.now(dt.UTC)  # after the audit: a sweep since it
    s.ids = {
        "consent": finding_id(first, "@ScienceIHS", "safeguarding.child_photo_consent"),
        "dm": finding_id(first, "@ScienceIHS", "messaging.no_private_dm"),
        "notified": finding_id(first, "@ScienceIHS", "registry.notified"),
        "history_dm": finding_id(first, "@HistoryIHS", "messaging.no_private_dm"),
        "comment": add_sweep(s.config.output.store, "@HistoryIHS", COMMENT, seen),
    }
    return s


@pytest.fixture
def app_client(site: Site):  # type: ignore[no-untyped-def]
    app = create_app(site.config, key=KEY)
    return app.test_client(use_cookies=True)


def sign_in(client, who: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    """Sign in through the form, with the CSRF token the form carries."""
    page = client.get("/signin", base_url="https://localhost")
    token = csrf_token(page.get_data(as_text=True))
    return post(client, "/signin", {"username": PEOPLE[who][0], "password": password, "csrf_token": token})


BASE = "https://localhost"


def post(client, path: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    """A form sent as a browser sends it over https: with the Referer of this site, which Flask-WTF checks."""
    return client.post(path, data=data, base_url=BASE, headers={"Referer": BASE + "/"})


def get(client, path: str):  # type: ignore[no-untyped-def]
    return client.get(path, base_url=BASE)


def csrf_token(html: str) -> str:
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


@pytest.fixture
def server(site: Site) -> Iterator[str]:
    """The app on 127.0.0.1 on a free port, in a thread, stopped after the test."""
    with serving(create_app(site.config, key=KEY)) as address:
        yield address


@contextlib.contextmanager
def serving(app: Flask) -> Iterator[str]:
    """`app` on 127.0.0.1 on a free port, in a thread, until the block ends; its address."""
    port = free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        httpd.shutdown()
        thread.join(5)
