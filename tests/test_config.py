import datetime as dt
from pathlib import Path

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
notified = 2024-09-02
credentials_shared = true
source = "archives/HistoryIHS"
"""


def test_valid_config_loads_typed_objects(tmp_path):
    path = write_config(
        tmp_path,
        ACCOUNT
        + """
exempt = [{check = "naming.ihs_in_username", reason = "whole-school account"}]

[departments.History]
head_email = "head.history@islwynhigh.co.uk"

[output]
dir = "reports-out"
store = "data/history.sqlite3"

[schedule]
audit = "0 2 * * *"
timezone = "Europe/London"
""",
    )
    cfg = config_mod.load(path)
    [acc] = cfg.accounts
    assert acc.handle == "@HistoryIHS" and acc.platform == "x-archive"
    assert acc.notified == dt.date(2024, 9, 2)
    assert acc.credentials_shared is True
    assert acc.exempt[0].check == "naming.ihs_in_username"
    # Relative paths resolve against the config's folder, not the working directory.
    assert acc.source == tmp_path.resolve() / "archives/HistoryIHS"
    assert cfg.output.dir == tmp_path.resolve() / "reports-out"
    assert cfg.output.store == tmp_path.resolve() / "data/history.sqlite3"
    assert cfg.departments["History"].head_email == "head.history@islwynhigh.co.uk"
    assert cfg.school.account_tag == "IHS"
    assert cfg.warnings == ()


def test_defaults_and_department_warning(tmp_path):
    cfg = config_mod.load(write_config(tmp_path, ACCOUNT))
    assert cfg.output.store.name == "auditor.sqlite3"
    assert cfg.schedule.timezone == "Europe/London"
    assert any("no [departments.History]" in w for w in cfg.warnings)


def test_find_accounts_ignores_at_and_case(tmp_path):
    cfg = config_mod.load(write_config(tmp_path, ACCOUNT))
    assert [a.handle for a in cfg.find_accounts("historyihs")] == ["@HistoryIHS"]
    assert cfg.find_accounts("@Nobody") == []


def test_iso_date_string_accepted(tmp_path):
    cfg = config_mod.load(write_config(tmp_path, ACCOUNT.replace("2024-09-02", '"2024-09-02"')))
    assert cfg.accounts[0].notified == dt.date(2024, 9, 2)


def test_all_problems_reported_at_once(tmp_path):
    body = ACCOUNT.replace('platform = "x-archive"', 'platform = "tiktok"').replace(
        "credentials_shared = true", 'credentials_shared = "yes"'
    )
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(write_config(tmp_path, body))
    assert len(err.value.problems) == 2
    assert any("accounts[1].platform" in p for p in err.value.problems)
    assert any("accounts[1].credentials_shared" in p and "true or false" in p for p in err.value.problems)


# Each malformed config: (name, file contents, text the message must contain). The line number is checked where the
# problem has one.
MALFORMED = [
    (
        "syntax error",
        SCHOOL + ACCOUNT.replace('department = "History"', 'department = "History'),
        ["TOML syntax error", "line 12"],
    ),
    ("missing school section", ACCOUNT, ["school: missing section"]),
    ("missing accounts", SCHOOL, ["accounts: no accounts registered"]),
    (
        "wrong type",
        SCHOOL + ACCOUNT.replace("credentials_shared = true", "credentials_shared = 1"),
        ["config.toml:15: accounts[1].credentials_shared: expected true or false"],
    ),
    (
        "unknown platform",
        SCHOOL + ACCOUNT.replace('"x-archive"', '"tiktokk"'),
        ["config.toml:11: accounts[1].platform: unknown platform 'tiktokk'", "expected one of"],
    ),
    (
        "bad date",
        SCHOOL + ACCOUNT.replace("2024-09-02", '"02/09/2024"'),
        ["config.toml:14: accounts[1].notified: expected a date written like 2024-09-02", "02/09/2024"],
    ),
    ("impossible date", SCHOOL + ACCOUNT.replace("2024-09-02", "2024-13-45"), ["TOML syntax error", "line 14"]),
    (
        "duplicate account",
        SCHOOL + ACCOUNT + ACCOUNT.replace("@HistoryIHS", "@historyihs"),
        ["config.toml:19: accounts[2].handle", "registered twice"],
    ),
    ("empty file", "", ["the config file is empty"]),
    ("binary garbage", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", ["not a text file"]),
    (
        "unknown key",
        SCHOOL + ACCOUNT.replace("notified =", "notifed ="),
        ["accounts[1].notifed: unknown key; did you mean 'notified'?"],
    ),
    (
        "missing required key",
        SCHOOL + ACCOUNT.replace('department = "History"\n', ""),
        ["config.toml:9: accounts[1].department: missing"],
    ),
    (
        "bad email",
        SCHOOL + ACCOUNT + '\n[departments.History]\nhead_email = "not an address"\n',
        ["departments.History.head_email: expected an email address"],
    ),
    (
        "unknown exempt check",
        SCHOOL + ACCOUNT + 'exempt = [{check = "naming.ihs", reason = "x"}]\n',
        ["unknown check 'naming.ihs'"],
    ),
    ("school is not a table", 'school = "IHS"\n' + ACCOUNT, ["school: expected a table"]),
    (
        "bad aup url",
        SCHOOL.replace("https://www.islwynhigh.co.uk/ict", "www.islwynhigh.co.uk/ict") + ACCOUNT,
        ["school.aup_url: expected a web address"],
    ),
    ("bad timezone", SCHOOL + ACCOUNT + '\n[schedule]\ntimezone = "Mars/Olympus"\n', ["unknown time zone"]),
    ("unsupported store", SCHOOL + ACCOUNT + '\n[output]\nstore = "postgresql://db/x"\n', ["not supported"]),
    ("accounts not tables", 'accounts = ["@HistoryIHS"]\n' + SCHOOL, ["expected [[accounts]] tables"]),
]


@pytest.mark.parametrize(("name", "content", "expected"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_config_exits_2_with_clear_message(tmp_path, capsys, name, content, expected):
    path = tmp_path / "config.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", "--all", "--config", str(path), "--out", str(out), "--offline"]) == 2
    err = capsys.readouterr().err
    for text in expected:
        assert text in err, f"{text!r} not in {err!r}"
    assert "Traceback" not in err
    assert str(path) in err
    # Nothing audited, nothing written.
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def test_config_check_command(tmp_path, capsys):
    path = write_config(tmp_path, ACCOUNT)
    assert main(["config", "check", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "OK: 1 accounts" in out
    assert "source of @HistoryIHS does not exist" in out  # a warning, not an error
    assert not (tmp_path / "auditor.sqlite3").exists()


def test_config_check_reports_problem(tmp_path, capsys):
    path = write_config(tmp_path, ACCOUNT.replace('"x-archive"', "7"))
    assert main(["config", "check", "--config", str(path)]) == 2
    assert "accounts[1].platform: expected text in quotes" in capsys.readouterr().err


def test_missing_config_file(tmp_path, capsys):
    assert main(["config", "check", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_line_locator_handles_quoted_tables_and_arrays():
    lines = config_mod._Lines(
        '[a]\nx = 1\n[[acc]]\nk = 1\n[[acc]]\nk = 2\n[departments."Design & Tech"]\nhead_email = 1\n'
    )
    assert lines.line(("a", "x")) == 2
    assert lines.line(("acc", "1", "k")) == 6
    assert lines.line(("departments", "Design & Tech", "head_email")) == 8


def test_write_config_helper_writes_utf8(tmp_path: Path):
    path = write_config(tmp_path, "# Ysgol Uwchradd Islwyn – ŵ ŷ\n" + ACCOUNT)
    assert config_mod.load(path).accounts[0].handle == "@HistoryIHS"


def test_meta_account_ids(tmp_path):
    config = config_mod.load(
        write_config(
            tmp_path,
            """
            [[accounts]]
            handle = "@HistoryIHS"
            platform = "facebook"
            department = "History"
            page_id = "104512345678901"

            [[accounts]]
            handle = "@historyihs"
            platform = "instagram"
            department = "History"
            ig_user_id = 17841400000000001
            """,
        )
    )
    assert [(a.page_id, a.ig_user_id) for a in config.accounts] == [
        ("104512345678901", None),
        (None, "17841400000000001"),
    ]


def test_meta_account_ids_are_checked(tmp_path):
    path = write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@HistoryIHS"
        platform = "x"
        department = "History"
        page_id = "123"

        [[accounts]]
        handle = "@historyihs"
        platform = "instagram"
        department = "History"
        ig_user_id = "historyihs"
        """,
    )
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(path)
    text = str(err.value)
    assert "accounts[1].page_id: only facebook accounts have a page_id" in text
    assert "accounts[2].ig_user_id: expected the numeric id Meta shows" in text
