"""The HTML reports in headless Chromium at a phone's width (360 px) and a desktop's (1280 px): nothing overflows
sideways and no script runs, not even one smuggled into a page. Screenshots go to the test's temporary folder.

Needs Debian's `chromium` (.ci/run installs it); skipped, saying so, where it is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor import config as config_mod
from auditor.cli import main
from auditor.store import Store
from reports.email import email_html
from reports.render import build_views, render_department
from tests.conftest import write_archive
from tests.reports.cdp import Browser, find_chromium

WIDTHS = (360, 1280)
PAYLOAD = (
    "<script>document.title='PWNED'</script>"
    "<img src=x onerror=\"document.title='PWNED';document.body.id='pwned'\">"
    '<div id="pwned">PWNED</div>'
)
LONG = "https://www.islwynhigh.co.uk/" + "a-very-long-unbroken-path-segment-" * 8
STATE = (
    "JSON.stringify({sw: document.documentElement.scrollWidth, vw: window.innerWidth, title: document.title,"
    " element: document.getElementById('pwned') !== null, handler: document.body.id === 'pwned'})"
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    binary = find_chromium()
    if binary is None:
        pytest.skip("headless Chromium is not installed (apt-get install -y chromium); browser checks skipped")
    b = Browser(binary, tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield b
    finally:
        b.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample school plus an account whose bio is a script payload and a very long unbroken address; run twice so
    the trend chart has history."""
    import shutil

    from tests.conftest import REPO

    root = tmp_path_factory.mktemp("school")
    shutil.copy(REPO / "config.toml", root / "config.toml")
    shutil.copytree(REPO / "examples" / "archives", root / "examples" / "archives")
    write_archive(root / "hostile", "ArtIHS", bio=f"{PAYLOAD} {LONG}", website=LONG)
    with (root / "config.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[[accounts]]\nhandle = "@ArtIHS"\nplatform = "x-archive"\ndepartment = "Art"\n'
            'owner = "art@islwynhigh.co.uk"\ncredentials_shared = true\nsource = "hostile"\n'
        )
    for run in ("first", "out"):
        main(["run", "--all", "--config", str(root / "config.toml"), "--out", str(root / run), "--offline"])
    return root


def check_page(browser: Browser, page: Path, width: int, shots: Path) -> dict[str, object]:
    import json

    browser.open(page, width)
    state = json.loads(browser.evaluate(STATE))
    shot = browser.screenshot(shots / f"{page.parent.name}-{page.stem}-{width}.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return dict(state)


def test_every_report_page_fits_360_and_1280_and_runs_no_script(browser, reports, tmp_path):
    out = reports / "out"
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 12
    hostile = (out / "accounts" / "ArtIHS.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;document.title=" in hostile  # the payload is on the page, as text
    for page in pages:
        for width in WIDTHS:
            state = check_page(browser, page, width, tmp_path)
            assert state["vw"] == width
            assert state["sw"] <= width, f"{page.relative_to(out)} overflows at {width} px: {state['sw']} px wide"
            assert "PWNED" not in str(state["title"]) and not state["element"] and not state["handler"], page
    assert len(list(tmp_path.glob("*.png"))) == 2 * len(pages)


def test_department_email_fits_a_phone(browser, reports, tmp_path):
    config = config_mod.load(reports / "config.toml")
    from auditor.runner import run_audit

    store = Store(tmp_path / "h.sqlite3")
    try:
        result = run_audit(config, config.accounts, store, offline=True)
        views = build_views(result, config, store.open_by_department())
    finally:
        store.close()
    for dept in views.departments:
        page = tmp_path / f"email-{dept.page}.html"
        page.write_text(email_html(render_department(views, dept, email=True)), encoding="utf-8")
        state = check_page(browser, page, 360, tmp_path)
        assert state["sw"] <= 360, f"the {dept.name} email overflows at 360 px"


def test_the_pages_policy_stops_a_smuggled_script(browser, reports, tmp_path):
    """If escaping ever failed, the Content-Security-Policy would still stop the script; the control page, the same
    markup without the policy, shows the test would see a script that ran."""
    page = (reports / "out" / "departments" / "Art.html").read_text(encoding="utf-8")
    smuggled = page.replace("<main>", f"<main>{PAYLOAD}", 1)
    assert smuggled != page and "script-src 'none'" in page
    guarded = tmp_path / "guarded.html"
    guarded.write_text(smuggled, encoding="utf-8")
    state = check_page(browser, guarded, 360, tmp_path)
    assert "PWNED" not in str(state["title"]) and not state["handler"]

    control = tmp_path / "control.html"
    without_policy = "\n".join(line for line in smuggled.splitlines() if "Content-Security-Policy" not in line)
    control.write_text(without_policy, encoding="utf-8")
    assert check_page(browser, control, 360, tmp_path)["title"] == "PWNED"


def test_the_overflow_measurement_sees_a_page_that_is_too_wide(browser, reports, tmp_path):
    page = (reports / "out" / "index.html").read_text(encoding="utf-8")
    wide = tmp_path / "wide.html"
    wide.write_text(page.replace("<main>", '<main><div style="width: 900px">wide</div>', 1), encoding="utf-8")
    assert check_page(browser, wide, 360, tmp_path)["sw"] > 360
