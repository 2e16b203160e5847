"""`auditor checks` and `auditor status` start quickly (benchmarks/startup.py): neither loads pydantic (the full config
loader), the network stack, OpenCV, Jinja or the phone-number libraries, and status loads SQLAlchemy only when there is
a history to read. Each is run in a fresh interpreter, as cron
runs it, and the modules it loaded are read from sys.modules."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

UNWANTED = (
    "pydantic", "requests", "urllib3", "cv2", "numpy", "jinja2", "bs4", "tweepy", "feedparser", "apscheduler",
    "phonenumbers", "stdnum", "sqlalchemy", "alembic", "psycopg",
)  # fmt: skip


def run_and_list_modules(args: list[str]) -> tuple[int, list[str], str]:
    """The exit status of `auditor ARGS`, the unwanted modules it loaded and what it printed."""
    code = (
        "import io, json, sys, contextlib\nfrom auditor.cli import main\nout = io.StringIO()\n"
        f"with contextlib.redirect_stdout(out):\n    status = main({args!r})\n"
        f"print(json.dumps([status, sorted(m for m in {UNWANTED!r} if m in sys.modules), out.getvalue()]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    status, loaded, printed = json.loads(done.stdout.strip().splitlines()[-1])
    return status, loaded, printed


def test_listing_the_checks_loads_nothing_heavy():
    status, loaded, printed = run_and_list_modules(["checks"])
    assert status == 0 and "naming.ihs_in_username" in printed
    assert loaded == []


def test_status_reads_the_config_without_the_full_loader(sample):
    status, loaded, printed = run_and_list_modules(["status", "--config", str(sample)])
    assert status == 1 and printed.startswith("auditor status: STALE: no complete audit recorded")
    assert loaded == []


def test_status_falls_back_to_the_full_loader_when_in_doubt(sample):
    # A value the fast read cannot vouch for: the full loader reads the file and says what is wrong, as `auditor
    # config check` does. (This is also the proof that the test above would see pydantic if it were loaded.)
    sample.write_text(sample.read_text(encoding="utf-8") + '\n[schedule]\nmax_age_hours = "26"\n', encoding="utf-8")
    status, loaded, _ = run_and_list_modules(["status", "--config", str(sample)])
    assert status == 2
    assert "pydantic" in loaded


@pytest.mark.parametrize("module", ["auditor.config", "auditor.settings", "auditor.cli", "auditor.text.pii"])
def test_modules_on_the_fast_paths_do_not_import_pydantic_or_number_libraries(module):
    code = f"import sys, {module}; print(sorted(m for m in {UNWANTED!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.strip() == "[]"


def test_status_reads_a_current_history_without_the_database_layer(sample):
    """With a history at this version's schema, status reads its facts with the standard library's sqlite3 and gives
    the same line the store gives; a history that needs upgrading (or any doubt) goes through the store."""
    from auditor.cli import main

    assert main(["run", "--all", "--config", str(sample), "--offline", "--out", str(sample.parent / "r")]) == 1
    status, loaded, printed = run_and_list_modules(["status", "--config", str(sample)])
    assert loaded == []
    assert status == 0 and printed.startswith("auditor status: OK"), printed
    # The same facts through the store: an older revision recorded makes the fast read step aside.
    import sqlite3

    with sqlite3.connect(sample.parent / "auditor.sqlite3") as db:
        db.execute("UPDATE alembic_version SET version_num = '0002'")
    again, loaded, printed_again = run_and_list_modules(["status", "--config", str(sample)])
    assert "sqlalchemy" in loaded
    assert (again, printed_again) == (status, printed)
