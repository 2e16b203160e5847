"""Regenerate the README's screenshot (docs/department-report.png) and the example email (docs/example-email.eml).

The bundled sample school is audited offline three times, a week apart, as the nightly job would; between the second
and third audit the PE teacher shares the account's login with the monitoring lead, so the third report has a problem
fixed beside those still open. The PE department's email of the third audit is kept as it would be sent, and its page
is photographed in headless Chromium at 420 px, a large phone.

    .venv/bin/python docs/make_examples.py      (needs Debian's chromium; writes nothing else into the repository)
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from auditor import config as config_mod  # noqa: E402
from auditor.reports.render import build_views, write_reports  # noqa: E402
from auditor.reports.send import announce_run  # noqa: E402
from auditor.runner import run_audit  # noqa: E402
from auditor.store import Store  # noqa: E402
from tests.reports.cdp import Browser, find_chromium  # noqa: E402

AUDITS = [dt.datetime(2026, 11, day, 2, 0, tzinfo=dt.UTC) for day in (10, 17, 24)]
EXTRA = """
[email]
host = "smtp.office365.com"
port = 587
username = "auditor@islwynhigh.co.uk"
sender = "Social Media Auditor <auditor@islwynhigh.co.uk>"
slt = ["slt@islwynhigh.co.uk"]
"""
PUBLIC_URL = "https://intranet.islwynhigh.co.uk/social-media-audit/"


def main() -> None:
    binary = find_chromium()
    if binary is None:
        raise SystemExit("headless Chromium is needed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "examples", root / "examples")
        text = (REPO / "config.toml").read_text(encoding="utf-8")
        text = text.replace("[output]\n", f'[output]\npublic_url = "{PUBLIC_URL}"\n') + EXTRA
        pe = None
        for n, when in enumerate(AUDITS):
            shared = "true" if n == len(AUDITS) - 1 else "false"
            (root / "config.toml").write_text(
                text.replace("credentials_shared = false", f"credentials_shared = {shared}"), encoding="utf-8"
            )
            config = config_mod.load(root / "config.toml")
            out = config.output.dir / when.strftime("%Y-%m-%d_%H%M%S")
            store = Store(config.output.store)
            try:
                result = run_audit(config, config.accounts, store, offline=True, now=when)
                views = build_views(result, config, store.open_by_department(limit=12), out)
                write_reports(result, config, out, views=views)
                announced = announce_run(result, views, config, store, email=True)
            finally:
                store.close()
            pe = next((o for o in announced.queued if o.kind == "department:PE"), pe)
        assert pe is not None, "the PE department's email was not built"
        (REPO / "docs" / "example-email.eml").write_bytes(pe.message.as_bytes())
        browser = Browser(binary, root / "chromium-profile")
        try:
            browser.open(out / "departments" / "PE.html", 420)
            browser.screenshot(REPO / "docs" / "department-report.png")
        finally:
            browser.close()
    print("wrote docs/example-email.eml and docs/department-report.png")


if __name__ == "__main__":
    main()
