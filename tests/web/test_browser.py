"""The app in real Chromium (the system's, driven by Playwright; no browser is downloaded): each role signs in and
makes its decision through the forms, without JavaScript; screenshots at 360 and 1280 px are saved in the test's
folder."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORD, PEOPLE, Site

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="the system Chromium is not installed")


@pytest.fixture
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield b
        finally:
            b.close()


def page_for(browser, who: str, server: str, width: int = 1280):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/")
    assert "/signin" in page.url
    page.fill("#username", PEOPLE[who][0])
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    assert page.url.rstrip("/") == server, page.url
    assert PEOPLE[who][1] in page.inner_text("nav.app")
    return page


def shots(page, folder: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        path = folder / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 5000
        # Nothing is wider than the screen: the page reflows rather than scrolling sideways.
        if width == 360:
            assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1


def test_each_role_signs_in_and_decides(site: Site, server: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shots_dir = tmp_path / "screenshots"
    shots_dir.mkdir()

    # The head of Science confirms a photo's written consent.
    page = page_for(browser, "head", server)
    assert "@HistoryIHS" not in page.inner_text("main")
    page.goto(f"{server}/finding/{site.ids['consent']}")
    page.fill("#consent-note", "consent forms checked in the office")
    page.click("form:has(#consent-note) button")
    assert "recorded" in page.inner_text(".flash")
    shots(page, shots_dir, "finding-head")

    # The owner of @ScienceIHS confirms the private-messages checklist item (SMP-2.7).
    page = page_for(browser, "owner", server, width=360)
    page.goto(f"{server}/finding/{site.ids['dm']}")
    page.fill("#confirm-note", "no conversations with pupils")
    page.click("form:has(#confirm-note) button")
    assert "Checklist item confirmed" in page.inner_text("main")
    # An owner sees no false-alarm form, and the SLT overview is not found.
    assert page.locator("#fa-note").count() == 0
    assert page.goto(f"{server}/overview").status == 404

    # The monitoring lead marks a false alarm (a waiver), then reopens the owner's confirmation.
    page = page_for(browser, "lead", server)
    page.goto(f"{server}/finding/{site.ids['notified']}")
    page.select_option("#fa-reason", "remediated")
    page.fill("#fa-note", "told in person")
    page.click("form:has(#fa-note) button")
    assert "False alarm (waiver)" in page.inner_text("main")
    page.goto(f"{server}/finding/{site.ids['dm']}")
    page.fill("input[name=note]", "the account has a new owner")
    page.click("button:has-text('Reopen')")
    assert "Ended" in page.inner_text("main")

    # SLT record an abusive comment removed and reported; the overview shows how long it stayed up.
    page = page_for(browser, "slt", server)
    page.goto(f"{server}/finding/{site.ids['comment']}")
    removed = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#removed-at", removed)
    page.fill("#reported-to", "J. Morgan")
    page.fill("#removed-note", "deleted, screenshot kept")
    page.click("form:has(#removed-note) button")
    page.goto(f"{server}/overview")
    row = page.inner_text("tr.removal")
    assert "J. Morgan" in row and "min" in row
    shots(page, shots_dir, "overview-slt")
    page.goto(f"{server}/")
    shots(page, shots_dir, "open-slt")

    # The history head signs in too and sees only History.
    page = page_for(browser, "history", server)
    text = page.inner_text("main")
    assert "@HistoryIHS" in text and "@ScienceIHS" not in text
    # Signing out ends the session.
    page.click("text=Sign out")
    page.goto(f"{server}/")
    assert "/signin" in page.url
    assert sorted(p.name for p in shots_dir.iterdir()) == [
        "finding-head-1280.png", "finding-head-360.png", "open-slt-1280.png", "open-slt-360.png",
        "overview-slt-1280.png", "overview-slt-360.png",
    ]  # fmt: skip


def test_cookie_flags_in_the_browser(site: Site, server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = page_for(browser, "lead", server)
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "auditor_session"]
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
