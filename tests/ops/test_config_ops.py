"""The operations keys of config.toml: [schedule], [output] keep_days and [logging]."""

from __future__ import annotations

import pytest

from auditor import config as config_mod
from tests.conftest import write_config

ACCOUNT = """
[[accounts]]
handle = "@HistoryIHS"
platform = "x-archive"
department = "History"
source = "archive"
"""


def load(tmp_path, extra: str) -> config_mod.Config:
    return config_mod.load(write_config(tmp_path, ACCOUNT + extra))


def problems(tmp_path, extra: str) -> str:
    with pytest.raises(config_mod.ConfigError) as info:
        load(tmp_path, extra)
    return "\n".join(info.value.problems)


def test_defaults(tmp_path):
    c = load(tmp_path, "")
    assert c.schedule.misfire_grace_minutes == 60 and c.schedule.max_age_hours == 26
    assert c.schedule.lock_wait_seconds == 60
    assert c.output.keep_days is None
    assert c.logging.file is None and c.logging.level is None


def test_all_keys_read(tmp_path):
    c = load(
        tmp_path,
        """
        [schedule]
        audit = "30 1 * * 1-5"
        comment_sweep = "*/10 7-22 * * *"
        timezone = "Europe/London"
        misfire_grace_minutes = 90
        max_age_hours = 50
        lock_wait_seconds = 5

        [output]
        keep_days = 180

        [logging]
        file = "logs/auditor.log"
        level = "DEBUG"
        max_bytes = 100000
        backups = 3
        """.replace("        ", ""),
    )
    assert (c.schedule.audit, c.schedule.misfire_grace_minutes, c.schedule.max_age_hours) == ("30 1 * * 1-5", 90, 50)
    assert c.output.keep_days == 180
    assert c.logging.file == tmp_path / "logs" / "auditor.log"
    assert (c.logging.level, c.logging.max_bytes, c.logging.backups) == ("debug", 100000, 3)


@pytest.mark.parametrize(
    ("expr", "says"),
    [
        ("61 2 * * *", "the minute (0-59) is wrong"),
        ("0 25 * * *", "the hour (0-23) is wrong"),
        ("0 2 * * 8", "the day of the week (0-7, where 0 and 7 are Sunday, or mon-sun) is wrong"),
        ("0 2 * * mon-funday", "not a valid cron expression"),
        ("0 2 * *", "5 fields"),
    ],
)
def test_cron_expressions_are_checked_with_the_schedulers_own_parser(tmp_path, expr, says):
    text = problems(tmp_path, f'\n[schedule]\ncomment_sweep = "{expr}"\n')
    assert "schedule.comment_sweep" in text and says in text
    assert "config.toml:" in text.split("schedule.comment_sweep")[0]  # with the file and line


def test_bad_operations_values_are_reported_together(tmp_path):
    text = problems(
        tmp_path,
        """
[schedule]
max_age_hours = 0
misfire_grace_minutes = "soon"

[output]
keep_days = -1

[logging]
level = "loud"
rotate = true
""",
    )
    for key in (
        "schedule.max_age_hours",
        "schedule.misfire_grace_minutes",
        "output.keep_days",
        "logging.level",
        "logging.rotate",
    ):
        assert key in text
