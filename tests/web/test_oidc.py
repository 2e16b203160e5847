"""Sign-in with the school's Microsoft 365 or Google Workspace accounts (OIDC), against a fake provider on 127.0.0.1
(tests/web/fake_oidc.py), in the system Chromium: only a person added with `auditor users add` under their school
address signs in; a forged token, a replayed nonce and an address of another domain are refused."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from joserfc.jwk import RSAKey

from auditor.web.app import create_app
from auditor.web.oidc import OidcError, OidcSettings, email_of, from_env
from tests.web import fake_oidc
from tests.web.conftest import KEY, PEOPLE, Site, serving

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def provider() -> Iterator[fake_oidc.Provider]:
    with fake_oidc.running() as p:
        yield p


@pytest.fixture
def oidc_server(site: Site, provider: fake_oidc.Provider) -> Iterator[str]:
    settings = OidcSettings(provider.issuer, fake_oidc.CLIENT_ID, fake_oidc.CLIENT_SECRET, "Microsoft 365")
    with serving(create_app(site.config, key=KEY, oidc=settings)) as address:
        yield address


@pytest.mark.skipif(CHROMIUM is None, reason="the system Chromium is not installed")
def test_sign_in_with_the_school_account(site: Site, provider: fake_oidc.Provider, oidc_server: str) -> None:
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:

            def attempt() -> tuple[str, str]:
                page = browser.new_context(java_script_enabled=False).new_page()
                page.goto(oidc_server + "/signin")
                page.click("text=Sign in with Microsoft 365")
                return page.url, page.inner_text("main")

            # Microsoft's work account: the address is the user principal name.
            provider.who = {"preferred_username": PEOPLE["head"][0].upper(), "name": "Rhys Evans"}
            url, text = attempt()
            assert url.rstrip("/") == oidc_server and "open" in text
            assert "@ScienceIHS" in text and "@HistoryIHS" not in text  # the role given by `auditor users add`
            assert provider.token_requests == 1  # the code was exchanged for a token, whose ID token was checked

            # Google: `email`, verified.
            provider.who = {"email": PEOPLE["lead"][0], "email_verified": True}
            url, text = attempt()
            assert url.rstrip("/") == oidc_server and "@HistoryIHS" in text

            refusals = [
                ({"email": "stranger@islwynhigh.co.uk"}, "may not sign in here"),  # not added
                ({"email": "lead@islwynhigh.co.uk.evil.example"}, "may not sign in here"),  # another domain
                ({"email": PEOPLE["lead"][0], "email_verified": False}, "may not sign in here"),
            ]
            for who, words in refusals:
                provider.who = who
                url, text = attempt()
                assert "/signin/school/done" in url and words in text, who
            provider.who = {"email": PEOPLE["lead"][0]}
            provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": "k1"})  # a forged token
            url, text = attempt()
            assert "did not work" in text
            provider.signing_key, provider.wrong_nonce = None, True  # a token made for another sign-in
            url, text = attempt()
            assert "did not work" in text
        finally:
            browser.close()


def test_settings_from_the_environment() -> None:
    assert from_env({}) is None
    full = {
        "AUDITOR_OIDC_ISSUER": "https://login.microsoftonline.com/9188040d/v2.0",
        "AUDITOR_OIDC_CLIENT_ID": "id",
        "AUDITOR_OIDC_CLIENT_SECRET": "s3cret-value",
    }
    settings = from_env(full)
    assert settings is not None and settings.label == "your school account"
    assert settings.metadata_url == "https://login.microsoftonline.com/9188040d/v2.0/.well-known/openid-configuration"
    assert "s3cret-value" not in repr(settings)
    with pytest.raises(OidcError, match="AUDITOR_OIDC_CLIENT_SECRET"):
        from_env({k: v for k, v in full.items() if k != "AUDITOR_OIDC_CLIENT_SECRET"})
    with pytest.raises(OidcError, match="https"):
        from_env({**full, "AUDITOR_OIDC_ISSUER": "http://login.example.com/"})


def test_email_claims() -> None:
    assert email_of({"preferred_username": "A@B.example"}) == "a@b.example"
    assert email_of({"email": "a@b.example", "email_verified": False}) is None
    assert email_of({"sub": "x"}) is None
