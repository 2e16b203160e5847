"""The house's shape: the settings are a leaf that loads nothing heavy, and the import contracts hold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

HEAVY = ("requests", "urllib3", "sqlite3", "cv2", "numpy", "jinja2", "bs4", "tweepy", "feedparser")


def loaded_by(module: str) -> list[str]:
    """The heavy modules a fresh interpreter has loaded after importing `module`."""
    code = f"import sys, json, {module}; print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    return list(json.loads(done.stdout))


@pytest.mark.parametrize(
    "module", ["auditor.settings", "auditor.config", "auditor.results", "auditor.model", "auditor.platforms"]
)
def test_the_leaves_load_nothing_heavy(module):
    assert loaded_by(module) == []


def test_the_import_contracts_hold():
    # The contracts are in pyproject.toml ([tool.importlinter]); CI runs the same command.
    command = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(command)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout
