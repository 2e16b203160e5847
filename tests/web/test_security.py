"""The web app refuses what it must: the wrong role (404, so an id tells nothing), a form without a valid CSRF token,
too many failed sign-ins; its cookies are Secure, HttpOnly and SameSite=Lax; everything shown is escaped (the
hostile-input corpus of tests/hardening/test_hostile.py, through the app's pages)."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from auditor import appdb
from auditor.cli import main
from auditor.model import Change, Evidence, Finding, Severity, Status
from auditor.web.app import MAX_FAILURES_PER_USER, SecretKeyError, create_app, secret_key
from tests.hardening.test_hostile import BIDI, DEPARTMENT, JS_LINK, XSS, assert_inert
from tests.web.conftest import PASSWORD, PEOPLE, Site, add_user, csrf_token, get, post, record_sweep, sign_in


def test_each_role_sees_only_its_own(site: Site, app_client) -> None:
    science, history = site.ids["consent"], site.ids["history_dm"]
    expected = {
        "lead": (200, 200, 200),
        "slt": (200, 200, 200),
        "head": (200, 404, 404),  # head of Science
        "history": (404, 200, 404),  # head of History
        "owner": (200, 404, 404),  # owner of @ScienceIHS
    }
    for who, (see_science, see_history, see_overview) in expected.items():
        client = app_client.application.test_client()
        assert sign_in(client, who).status_code == 302, who
        assert get(client, f"/finding/{science}").status_code == see_science, who
        assert get(client, f"/finding/{history}").status_code == see_history, who
        assert get(client, "/overview").status_code == see_overview, who
        listed = get(client, "/").get_data(as_text=True)
        assert ("@ScienceIHS" in listed) == (see_science == 200), who
        assert ("@HistoryIHS" in listed) == (see_history == 200), who


def test_a_head_cannot_decide_on_another_department(site: Site, app_client) -> None:
    assert sign_in(app_client, "history").status_code == 302
    page = get(app_client, f"/finding/{site.ids['history_dm']}").get_data(as_text=True)
    token = csrf_token(page)
    refused = post(
        app_client, f"/finding/{site.ids['dm']}/decide", {"kind": "confirm", "note": "x", "csrf_token": token}
    )
    assert refused.status_code == 404
    with appdb.engine_for(site.config.output.store).connect() as conn:
        assert appdb.all_decisions(conn) == []


def test_an_owner_cannot_waive(site: Site, app_client) -> None:
    assert sign_in(app_client, "owner").status_code == 302
    page = get(app_client, f"/finding/{site.ids['notified']}").get_data(as_text=True)
    assert "Mark as a false alarm" not in page
    data = {"kind": "false_alarm", "note": "no", "reason": "accepted-risk", "expires": "2027-01-01"}
    refused = post(app_client, f"/finding/{site.ids['notified']}/decide", {**data, "csrf_token": csrf_token(page)})
    assert refused.status_code == 404


def test_unknown_and_malformed_ids_are_404(app_client) -> None:
    assert sign_in(app_client, "lead").status_code == 302
    for path in ("/finding/ffffffffffffffff", "/finding/..%2Fetc", "/finding/<script>", "/finding/ABC"):
        assert get(app_client, path).status_code == 404, path
    token = csrf_token(get(app_client, "/").get_data(as_text=True))
    assert post(app_client, "/decision/999/reopen", {"note": "x", "csrf_token": token}).status_code == 404
    assert (
        post(
            app_client, "/finding/ffffffffffffffff/decide", {"kind": "confirm", "note": "x", "csrf_token": token}
        ).status_code
        == 404
    )


def test_every_form_without_a_valid_csrf_token_is_refused(site: Site, app_client) -> None:
    assert sign_in(app_client, "lead").status_code == 302
    page = get(app_client, f"/finding/{site.ids['dm']}").get_data(as_text=True)
    good = csrf_token(page)
    decide = {"kind": "confirm", "note": "checked the inbox", "days": "90"}
    forms = [
        (f"/finding/{site.ids['dm']}/decide", decide),
        ("/decision/1/reopen", {"note": "x"}),
        ("/signout", {}),
        ("/signin", {"username": PEOPLE["lead"][0], "password": PASSWORD}),
    ]
    for path, data in forms:
        for token in (None, "", "forged." + good[6:], good[:-2]):
            sent = dict(data) if token is None else {**data, "csrf_token": token}
            response = post(app_client, path, sent)
            assert response.status_code == 400, (path, token)
            assert "security token" in response.get_data(as_text=True)
    # From another site: a valid token without this site's Referer is refused too (https).
    other = app_client.post(f"/finding/{site.ids['dm']}/decide", data={**decide, "csrf_token": good},
                            base_url="https://localhost", headers={"Referer": "https://evil.example/"})  # fmt: skip
    assert other.status_code == 400
    with appdb.engine_for(site.config.output.store).connect() as conn:
        assert appdb.all_decisions(conn) == []
    # The same form with the token goes through: the refusals above were the token's doing.
    assert post(app_client, f"/finding/{site.ids['dm']}/decide", {**decide, "csrf_token": good}).status_code == 302


def test_session_cookie_is_secure_httponly_samesite(app_client) -> None:
    response = sign_in(app_client, "lead")
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("auditor_session=")]
    assert cookies
    parts = {p.strip().split("=")[0].lower(): p.strip() for p in cookies[-1].split(";")}
    assert "secure" in parts and "httponly" in parts
    assert parts["samesite"].lower() == "samesite=lax"


def test_sign_in_is_throttled(site: Site, app_client) -> None:
    for _ in range(MAX_FAILURES_PER_USER):
        assert sign_in(app_client, "slt", password="wrong password!").status_code == 401
    # Now even the right password is refused for a while, and the page says why.
    refused = sign_in(app_client, "slt")
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.get_data(as_text=True)
    assert get(app_client, "/").status_code == 302  # not signed in
    # Another person is not locked out by it.
    assert sign_in(app_client.application.test_client(), "lead").status_code == 302
    # Once the window has passed, the right password works again.
    with appdb.engine_for(site.config.output.store).begin() as conn:
        old = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
        conn.execute(appdb.signin_attempts.update().values(at=old))
    assert sign_in(app_client, "slt").status_code == 302


def test_disabled_user_cannot_sign_in(site: Site, app_client) -> None:
    assert main(["users", "disable", PEOPLE["owner"][0], "--config", str(site.config_path)]) == 0
    assert sign_in(app_client, "owner").status_code == 401


def test_users_add_reads_the_password_from_stdin_and_stores_only_a_hash(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert add_user(site.config_path, "lead", monkeypatch, password="short") == 2  # too short: refused
    target = site.config.output.store
    assert target.file is not None
    store = target.file
    raw = store.read_bytes() + b"".join(p.read_bytes() for p in store.parent.glob(store.name + "-wal"))
    assert PASSWORD.encode() not in raw
    with appdb.engine_for(target).connect() as conn:
        found = appdb.user_by_name(conn, PEOPLE["lead"][0])
    assert found and found[1] and found[1].startswith("$argon2id$")


def test_secret_key_file_is_private_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDITOR_SECRET_KEY", raising=False)
    store = tmp_path / "auditor.sqlite3"
    first = secret_key(store)
    path = tmp_path / "auditor.sqlite3.web-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key(store) == first and len(first) >= 32
    os.chmod(path, 0o644)
    with pytest.raises(SecretKeyError, match="chmod 600"):
        secret_key(store)


def test_hostile_input_is_shown_escaped(site: Site) -> None:
    seen = dt.datetime.now(dt.UTC)
    hostile = Finding(
        id="bad0000000000001",
        account=f"@evil{XSS}",
        platform="x",
        department=DEPARTMENT,
        check="comments.inappropriate",
        clause="SMP-2.6",
        status=Status.FAIL,
        severity=Severity.HIGH,
        reason=f"Abusive {XSS} \u202eelbat\u202c",
        evidence=Evidence(url=JS_LINK, post_id=f"1{XSS}", excerpt=f"idiots {XSS}", link=JS_LINK),
        change=Change.NEW,
        first_seen=seen,
    )
    record_sweep(site.config.output.store, hostile, "hostile-account", seen)
    app = create_app(site.config, key="h" * 48)
    client = app.test_client()
    assert sign_in(client, "lead").status_code == 302
    page = get(client, "/finding/bad0000000000001").get_data(as_text=True)
    assert "&lt;script&gt;" in page
    decision = {
        "kind": "removed",
        "note": f"gone {XSS}",
        "reported_to": f"SLT {XSS}",
        "removed_at": seen.strftime("%Y-%m-%dT%H:%M"),
    }
    assert (
        post(client, "/finding/bad0000000000001/decide", {**decision, "csrf_token": csrf_token(page)}).status_code
        == 302
    )
    for path in ("/", "/finding/bad0000000000001", "/overview"):
        html = get(client, path).get_data(as_text=True)
        assert "alert(" in html, path  # the text is there, as text
        # The app's own forms are the only forms: each posts to this site. Without them, the page must pass the
        # reports' own test for inert markup.
        soup = BeautifulSoup(html, "html.parser")
        for form in soup.find_all("form"):
            assert str(form.get("action", "")).startswith("/"), path
            form.decompose()
        assert_inert(str(soup), path)
        assert not BIDI.search(html)


def test_report_pages_are_served_to_those_who_may_see_them(site: Site, app_client) -> None:
    site.run("audit-reports/2026-11-29")  # under [output] dir, where `public_url` can point into the app
    base = "/reports/2026-11-29"
    cases = {
        "lead": {"index.html": 200, "departments/Science.html": 200, "accounts/HistoryIHS.html": 200},
        "head": {"index.html": 404, "departments/Science.html": 200, "accounts/ScienceIHS.html": 200,
                 "departments/History.html": 404, "accounts/HistoryIHS.html": 404},
        "owner": {"index.html": 404, "departments/Science.html": 404, "accounts/ScienceIHS.html": 200,
                  "accounts/islwyn_pe.html": 404},
    }  # fmt: skip
    for who, pages in cases.items():
        client = app_client.application.test_client()
        assert sign_in(client, who).status_code == 302
        for page, status in pages.items():
            response = get(client, f"{base}/{page}")
            assert response.status_code == status, (who, page)
            if status == 200:
                assert "script-src 'none'" in response.headers["Content-Security-Policy"]
                assert "<main>" in response.get_data(as_text=True)
    client = app_client.application.test_client()
    assert sign_in(client, "lead").status_code == 302
    for bad in ("../config.toml", "2026-11-29/../../config.toml", "2026-11-29/findings.json", "%2e%2e/config.toml",
                "2026-11-29/.hidden.html", "/etc/passwd"):  # fmt: skip
        followed = client.get(f"/reports/{bad}", base_url="https://localhost", follow_redirects=True)
        assert followed.status_code == 404, bad
    anonymous = app_client.application.test_client()
    assert get(anonymous, f"{base}/index.html").status_code == 302  # to the sign-in page


def test_a_nul_character_in_a_form_or_address_is_refused_before_the_database(site: Site, app_client) -> None:
    # PostgreSQL's text cannot hold a NUL; no person types one. Refused with a plain page, nothing saved, no error 500.
    token = csrf_token(get(app_client, "/signin").get_data(as_text=True))
    nul = post(app_client, "/signin", {"username": "lead\x00", "password": PASSWORD, "csrf_token": token})
    assert nul.status_code == 400 and "cannot be typed or stored" in nul.get_data(as_text=True)
    assert sign_in(app_client, "lead").status_code == 302
    page = get(app_client, f"/finding/{site.ids['dm']}").get_data(as_text=True)
    data = {"kind": "confirm", "note": "seen\x00", "csrf_token": csrf_token(page)}
    refused = post(app_client, f"/finding/{site.ids['dm']}/decide", data)
    assert refused.status_code == 400 and "Nothing was saved" in refused.get_data(as_text=True)
    assert "seen" not in get(app_client, f"/finding/{site.ids['dm']}").get_data(as_text=True).split("Decisions")[-1]
    assert get(app_client, "/?x=%00").status_code == 400
