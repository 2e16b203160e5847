"""The declarative loader (auditor/config_schema.py) and the fast read `auditor status` uses (auditor.config.
status_settings): defaults written once, known check ids handed in, the fast read agreeing with the full loader and
leaving every doubt to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import config as config_mod
from auditor.cli import main
from auditor.links.settings import LinkSettings
from auditor.settings import Email, Logging, Output, Schedule, School, StatusSettings, limits
from tests.conftest import SCHOOL, write_config

ACCOUNT = """
[[accounts]]
handle = "@HistoryIHS"
platform = "x-archive"
department = "History"
source = "archives/HistoryIHS"
exempt = [{check = "naming.ihs_in_username", reason = "whole-school account"}]
"""


def test_a_file_that_sets_nothing_gets_the_settings_classes_defaults(tmp_path):
    cfg = config_mod.load(write_config(tmp_path, ACCOUNT))
    assert cfg.schedule == Schedule()
    assert cfg.logging == Logging()
    assert cfg.fetch_workers == limits(type(cfg), "fetch_workers")[0]
    defaults = LinkSettings()
    for name in ("workers", "per_host", "read_timeout", "link_deadline", "blocklists_max_age_days", "proxy"):
        assert getattr(cfg.links, name) == getattr(defaults, name), name


def test_email_defaults_come_from_the_settings_class(tmp_path):
    body = ACCOUNT + '\n[email]\nhost = "smtp.school"\nsender = "auditor@islwynhigh.co.uk"\n'
    email = config_mod.load(write_config(tmp_path, body)).email
    assert email == Email(host="smtp.school", sender="auditor@islwynhigh.co.uk")


def test_ranges_are_the_settings_classes_and_worded_as_before(tmp_path):
    _, lo, hi = limits(Schedule, "max_age_hours")
    body = ACCOUNT + f"\n[schedule]\nmax_age_hours = {hi + 1}\n"
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(write_config(tmp_path, body))
    [problem] = err.value.problems
    expected = f"config.toml:18: schedule.max_age_hours: expected a number from {lo} to {hi}, found {hi + 1}"
    assert problem.endswith(expected)


def test_settings_are_built_with_keywords_only():
    with pytest.raises(TypeError):
        School("Islwyn High School", "https://www.islwynhigh.co.uk/aup", "islwynhigh.co.uk")  # type: ignore[misc]
    assert Output(dir=Path("out"), store=Path("h.sqlite3")).keep_days is None


def test_the_known_check_ids_are_handed_to_the_loader(tmp_path):
    path = write_config(tmp_path, ACCOUNT)
    assert config_mod.load(path, checks=["naming.ihs_in_username"]).accounts[0].exempt[0].check == (
        "naming.ihs_in_username"
    )
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(path, checks=["naming.ihs_in_bio"])
    [problem] = err.value.problems
    assert "accounts[1].exempt[1].check: unknown check 'naming.ihs_in_username'; did you mean 'naming.ihs_in_bio'?" in (
        problem
    )


@pytest.mark.parametrize(
    ("expr", "says"),
    [
        ("0 2 * * 8", "the day of the week (0-7, where 0 and 7 are Sunday, or mon-sun) is wrong"),
        ("0 2 30 2 *", "the day of the month (1-31) is wrong"),  # cronsim: no 30 February ever comes
        ("0 2 *", 'expected a cron expression with 5 fields like "0 2 * * *"'),
    ],
)
def test_cron_strings_are_read_by_the_cron_library(tmp_path, expr, says):
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(write_config(tmp_path, ACCOUNT + f'\n[schedule]\naudit = "{expr}"\n'))
    assert says in err.value.problems[0] and "schedule.audit" in err.value.problems[0]


def test_every_problem_in_every_section_is_reported_at_once(tmp_path):
    body = (
        ACCOUNT.replace('"x-archive"', '"x-archiv"')
        + 'notifed = 2024-09-02\n\n[email]\nhost = "smtp"\nsender = "nobody"\nssl = true\nstarttls = true\n'
        + '\n[links]\nproxy = "http://user:secret@proxy.school:3128"\nworkers = 0\n'
        + "\n[connectors]\nworker = 2\n"
    )
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(write_config(tmp_path, body))
    keys = sorted(p.split(": ")[1] for p in err.value.problems)
    assert keys == [
        "accounts[1].notifed",
        "accounts[1].platform",
        "connectors.worker",
        "email.sender",
        "email.ssl",
        "links.proxy",
        "links.workers",
    ]
    assert not any("secret" in p for p in err.value.problems)  # a password in the file is never repeated
    assert "did you mean 'x-archive'?" in next(p for p in err.value.problems if "platform" in p)
    assert "did you mean 'workers'?" in next(p for p in err.value.problems if "connectors" in p)


# The fast read of `auditor status`: what it finds equals what the full loader finds, whenever it answers at all.
STATUS_BODIES = [
    "",
    '\n[output]\nstore = "sqlite:///data/history.sqlite3"\n',
    '\n[output]\nstore = "  "\n',
    '\n[output]\nstore = "postgresql://auditor:pw@db.trust.example:5432/auditor?sslmode=require"\n',
    "\n[schedule]\nmax_age_hours = 48\n",
    '\n[links]\nblocklists = "lists"\nblocked_categories = ["Adult", "drugs", "adult"]\nblocklists_max_age_days = 3\n',
    "\n[links]\nblocked_categories = []\n",
]


@pytest.mark.parametrize("body", STATUS_BODIES)
def test_the_fast_read_agrees_with_the_full_loader(tmp_path, body, monkeypatch):
    path = write_config(tmp_path, ACCOUNT + body)
    full = StatusSettings.of(config_mod.load(path))
    monkeypatch.setattr(config_mod, "load", lambda *a, **k: pytest.fail("the fast read had a doubt"))
    assert config_mod.status_settings(path) == full


DOUBTS = [
    '\n[schedule]\nmax_age_hours = "26"\n',
    "\n[schedule]\nmax_age_hours = 0\n",
    '\n[output]\nstore = "mysql://db/x"\n',
    '\n[links]\nblocked_categories = ["not a category"]\n',
    "\n[links]\nblocklists_max_age_days = true\n",
    "\n[schedul]\nmax_age_hours = 3\n",
]


@pytest.mark.parametrize("body", DOUBTS)
def test_any_doubt_goes_to_the_full_loader_with_its_messages(tmp_path, body, capsys):
    path = write_config(tmp_path, ACCOUNT + body)
    assert main(["config", "check", "--config", str(path)]) == 2
    checked = capsys.readouterr().err
    assert main(["status", "--config", str(path)]) == 2
    assert capsys.readouterr().err == checked


def test_a_file_that_cannot_be_read_gets_the_loaders_message(tmp_path, capsys):
    assert main(["status", "--config", str(tmp_path / "missing.toml")]) == 2
    assert "missing.toml: config file not found" in capsys.readouterr().err
    path = write_config(tmp_path, ACCOUNT.replace('department = "History"', 'department = "History'))
    assert main(["status", "--config", str(path)]) == 2
    assert "TOML syntax error" in capsys.readouterr().err


def test_a_platform_option_comes_from_the_registry(tmp_path):
    # page_id is declared by the Facebook spec in auditor/platforms.py, not by the loader.
    body = ACCOUNT + '\n[[accounts]]\nhandle = "@Page"\nplatform = "facebook"\ndepartment = "PE"\npage_id = "12ab"\n'
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(write_config(tmp_path, body))
    [problem] = err.value.problems
    expected = "accounts[2].page_id: expected the numeric id Meta shows, such as \"1784140000000000\", found '12ab'"
    assert expected in problem


def test_the_school_section_is_read_before_its_checks(tmp_path):
    # SCHOOL from conftest is the whole [school] table; a missing key is placed at the table's line.
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(write_config(tmp_path, ACCOUNT, school=SCHOOL.replace('name = "Islwyn High School"\n', "")))
    assert err.value.problems[0].endswith("config.toml:1: school.name: missing; this key is required")
