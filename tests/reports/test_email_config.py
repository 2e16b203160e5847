"""The config keys of routing and alerts: `[email] remind_every_days`, `copy_owners`, `escalate_after_days`,
`[school] monitoring_lead_email` and `safeguarding_lead_email`, `[links] blocklists_max_age_days`; each checked for its
type and range, and every address like the other recipients (one bare address, no line break or control character)."""

from __future__ import annotations

import pytest

from auditor import config as config_mod
from auditor.cli import main
from tests.conftest import SCHOOL, write_config

ACCOUNT = """
[[accounts]]
handle = "@HistoryIHS"
platform = "x-archive"
department = "History"
owner = "history@islwynhigh.co.uk"
source = "archive"
"""
EMAIL = """
[email]
host = "smtp.example.org"
sender = "auditor@islwynhigh.co.uk"
"""


def test_defaults_and_values_are_read(tmp_path):
    config = config_mod.load(write_config(tmp_path, ACCOUNT + EMAIL))
    assert config.email is not None
    assert (config.email.remind_every_days, config.email.copy_owners, config.email.escalate_after_days) == (
        7,
        False,
        14,
    )
    assert config.school.alert_recipients == ()
    assert config.links.blocklists_max_age_days == 14

    school = (
        SCHOOL + 'monitoring_lead_email = "heather.davies@islwynhigh.co.uk"\nsafeguarding_lead_email = "dsl@x.org"\n'
    )
    body = ACCOUNT + EMAIL + "remind_every_days = 1\ncopy_owners = true\nescalate_after_days = 30\n"
    body += "[links]\nblocklists_max_age_days = 30\n"
    config = config_mod.load(write_config(tmp_path, body, school=school))
    assert config.email is not None
    assert (config.email.remind_every_days, config.email.copy_owners, config.email.escalate_after_days) == (1, True, 30)
    assert config.school.alert_recipients == ("heather.davies@islwynhigh.co.uk", "dsl@x.org")
    assert config.links.blocklists_max_age_days == 30


BAD = [
    ("remind text", EMAIL + 'remind_every_days = "7"', "email.remind_every_days: expected a whole number"),
    ("remind zero", EMAIL + "remind_every_days = 0", "email.remind_every_days: expected a number from 1 to 366"),
    ("escalate zero", EMAIL + "escalate_after_days = 0", "email.escalate_after_days: expected a number from 1"),
    ("escalate float", EMAIL + "escalate_after_days = 1.5", "email.escalate_after_days: expected a whole number"),
    ("copy text", EMAIL + 'copy_owners = "yes"', "email.copy_owners: expected true or false"),
    ("typo", EMAIL + "remind_every_day = 3", "did you mean 'remind_every_days'?"),
    ("lists age", "[links]\nblocklists_max_age_days = -1", "links.blocklists_max_age_days: expected a number from 1"),
]


@pytest.mark.parametrize(("name", "extra", "says"), BAD, ids=[b[0] for b in BAD])
def test_bad_values_are_refused_with_the_key_and_line(tmp_path, capsys, name, extra, says):
    path = write_config(tmp_path, ACCOUNT + extra + "\n")
    assert main(["config", "check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert says in err and str(path.resolve()) in err and "Traceback" not in err, err


LEAD_ADDRESSES = [
    ("line break", '"dsl@islwynhigh.co.uk\\r\\nBcc: spy@evil.example"', "line break or control character"),
    ("named", '"DSL <dsl@islwynhigh.co.uk>"', "give the address alone, without a name"),
    ("two", '"a@islwynhigh.co.uk, b@islwynhigh.co.uk"', "give exactly one address"),
    ("not an address", '"Mrs Evans"', "expected an email address like name@school.org"),
    ("a number", "42", "expected text in quotes"),
]


@pytest.mark.parametrize("key", ["monitoring_lead_email", "safeguarding_lead_email"])
@pytest.mark.parametrize(("name", "value", "says"), LEAD_ADDRESSES, ids=[a[0] for a in LEAD_ADDRESSES])
def test_lead_addresses_are_checked_like_every_recipient(tmp_path, capsys, key, name, value, says):
    path = write_config(tmp_path, ACCOUNT + EMAIL, school=SCHOOL + f"{key} = {value}\n")
    assert main(["config", "check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path.resolve()}:8: school.{key}:" in err and says in err, err


def test_owners_must_be_addresses_when_they_are_copied(tmp_path, capsys):
    hostile = ACCOUNT.replace('"history@islwynhigh.co.uk"', '"history@islwynhigh.co.uk\\nBcc: spy@evil.example"')
    named = ACCOUNT.replace('"history@islwynhigh.co.uk"', '"Mr Jones"').replace("@HistoryIHS", "@ArtIHS")
    # Without copy_owners an owner is only judged by the registry check (SMP-2.1), never refused here.
    assert main(["config", "check", "--config", str(write_config(tmp_path, named + EMAIL))]) == 0
    capsys.readouterr()
    path = write_config(tmp_path, hostile + named + EMAIL + "copy_owners = true\n")
    assert main(["config", "check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "accounts[1].owner: holds a line break or control character" in err
    assert "accounts[2].owner: expected an email address like name@school.org, found 'Mr Jones'" in err
