"""The cron lines and systemd units under deploy/ are valid and run commands the CLI accepts."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from auditor import scheduler
from auditor.cli import _parser
from tests.conftest import REPO

DEPLOY = REPO / "deploy"
UNITS = ["auditor-audit.service", "auditor-audit.timer", "auditor-scheduler.service"]


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    return parser


def auditor_args(command: str) -> list[str]:
    """The arguments after the `auditor` executable, checked by the CLI's own parser."""
    words = shlex.split(command)
    exe = next(i for i, w in enumerate(words) if w.endswith("/auditor"))
    args = words[exe + 1 :]
    _parser().parse_args(args)  # exits (SystemExit) on an option the CLI does not have
    return args


def cron_lines() -> list[str]:
    text = (DEPLOY / "auditor.cron").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_cron_lines_have_valid_schedules_and_commands():
    lines = cron_lines()
    assert len(lines) == 2
    for line in lines:
        fields = line.split()
        scheduler.cron_trigger(" ".join(fields[:5]), "Europe/London")  # raises ValueError when invalid
        command = " ".join(fields[5:]).split(">>")[0]
        args = auditor_args(command.split("&&")[1])
        assert args[:2] == ["run", "--all"] and "--wait" in args
    assert "--comments-only" in lines[1]


def test_docs_show_the_same_cron_lines():
    docs = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    for line in cron_lines():
        assert line in docs


def test_units_parse_and_have_the_keys_systemd_needs():
    audit, timer, sched = (unit(n) for n in UNITS)
    assert audit["Service"]["Type"] == "oneshot"
    assert auditor_args(audit["Service"]["ExecStart"])[:2] == ["run", "--all"]
    assert audit["Service"]["SuccessExitStatus"] == "1"  # problems found is not a failed service
    assert timer["Timer"]["Unit"] == "auditor-audit.service"
    assert timer["Timer"]["OnCalendar"].endswith("Europe/London") and timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    assert auditor_args(sched["Service"]["ExecStart"])[0] == "schedule"
    assert sched["Service"]["KillSignal"] == "SIGTERM" and int(sched["Service"]["TimeoutStopSec"]) >= 10
    assert sched["Service"]["Restart"] == "on-failure" and sched["Service"]["KillMode"] == "mixed"
    assert sched["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verify_accepts_the_units(tmp_path):
    exe = Path(sys.executable).with_name("auditor")
    assert exe.exists()
    for name in UNITS:  # point ExecStart at this checkout's auditor: verify checks the program exists
        text = (DEPLOY / name).read_text(encoding="utf-8").replace("/opt/auditor/.venv/bin/auditor", str(exe))
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / n) for n in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # unknown keys are only warned about
    calendar = unit("auditor-audit.timer")["Timer"]["OnCalendar"]
    check = subprocess.run(
        ["systemd-analyze", "calendar", calendar], capture_output=True, text=True, timeout=30, check=False
    )
    assert check.returncode == 0, check.stderr
