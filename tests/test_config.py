import datetime as dt
import os
import time
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
    assert cfg.output.store.file == tmp_path.resolve() / "data/history.sqlite3"
    assert cfg.departments["History"].head_email == "head.history@islwynhigh.co.uk"
    assert cfg.school.account_tag == "IHS"
    assert cfg.warnings == ()


def test_defaults_and_department_warning(tmp_path):
    cfg = config_mod.load(write_config(tmp_path, ACCOUNT))
    assert cfg.output.store.file is not None and cfg.output.store.file.name == "auditor.sqlite3"
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
    body = ACCOUNT.replace('platform = "x-archive"', 'platform = "myspace"').replace(
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
    (
        "unsupported store",
        SCHOOL + ACCOUNT + '\n[output]\nstore = "mysql://db/x"\n',
        ["mysql:// stores are not supported"],
    ),
    (
        "store URL naming no database",
        SCHOOL + ACCOUNT + '\n[output]\nstore = "postgresql://auditor:s3cret@db:5432"\n',
        ["names no database", "postgresql://auditor:***@db:5432"],
    ),
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
    assert "s3cret" not in err  # a password in a store URL is never shown
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


# Files that are no config at all: each is refused at once, naming the file, without reading it whole or hanging.
def _huge(tmp_path: Path) -> Path:
    path = tmp_path / "huge.toml"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # a sparse 50 MB file: its size alone is enough to refuse it
    return path


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "config.fifo"
    os.mkfifo(path)  # no writer: reading it would block for ever
    return path


def _folder(tmp_path: Path) -> Path:
    path = tmp_path / "config.d"
    path.mkdir()
    return path


def _nested(text: str):
    def write(tmp_path: Path) -> Path:
        path = tmp_path / "nested.toml"
        path.write_text(SCHOOL + text, encoding="utf-8")
        return path

    return write


NOT_A_CONFIG = [
    ("device", lambda tmp_path: Path("/dev/zero"), "is a device, pipe or socket"),
    ("named pipe", _fifo, "is a device, pipe or socket"),
    ("folder", _folder, "is a folder, not a config file"),
    ("50 MB", _huge, "larger than 1 MB"),
    ("deep arrays", _nested("a = " + "[" * 5000 + "]" * 5000 + "\n"), ":8: brackets nested more than 32"),
    ("deep inline tables", _nested("a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n"), "brackets nested more than"),
    ("long dotted key", _nested("a" + ".a" * 100_000 + " = 1\n"), ":8: a dotted key nested more than 32"),
    ("long table header", _nested("[a" + ".a" * 100_000 + "]\n"), "a dotted key nested more than"),
]


@pytest.mark.parametrize(("name", "make", "says"), NOT_A_CONFIG, ids=[c[0] for c in NOT_A_CONFIG])
def test_a_file_that_is_no_config_exits_2_quickly(tmp_path, capsys, name, make, says):
    path = make(tmp_path)
    started = time.monotonic()
    assert main(["run", "--all", "--config", str(path), "--out", str(tmp_path / "out"), "--offline"]) == 2
    assert time.monotonic() - started < 5
    err = capsys.readouterr().err
    assert says in err and str(path) in err
    assert "Traceback" not in err and "internal error" not in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "auditor.sqlite3").exists()


def test_nesting_inside_strings_and_comments_is_not_counted(tmp_path):
    deep = "[" * 100
    body = ACCOUNT.replace('owner = "history@', f'# {deep}\nowner = """{deep}\n{deep}"""\nx = "{deep}history@')
    with pytest.raises(config_mod.ConfigError) as err:  # read and validated: only the stray key is refused
        config_mod.load(write_config(tmp_path, body))
    [problem] = err.value.problems
    assert problem.startswith(f"{tmp_path.resolve() / 'config.toml'}:17: accounts[1].x: unknown key")


def test_nesting_the_scan_misses_is_still_no_traceback(tmp_path, monkeypatch):
    monkeypatch.setattr(config_mod, "MAX_NESTING", 10_000)
    path = write_config(tmp_path, "a = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(config_mod.ConfigError, match="nested too deeply"):
        config_mod.load(path)


EMAIL = """
[email]
host = "smtp.islwynhigh.co.uk"
sender = "Islwyn High School <auditor@islwynhigh.co.uk>"
slt = ["slt@islwynhigh.co.uk"]
"""


def test_sender_with_a_display_name_is_accepted(tmp_path):
    cfg = config_mod.load(write_config(tmp_path, ACCOUNT + EMAIL))
    assert cfg.email is not None
    assert cfg.email.sender == "Islwyn High School <auditor@islwynhigh.co.uk>"
    assert cfg.email.slt == ("slt@islwynhigh.co.uk",)


# Values that end up in a mail header or the SMTP conversation: a line break would add headers (Bcc: ...) of its own.
HEADER_VALUES = [
    ("sender with a line break", EMAIL.replace('.uk>"', '.uk>\\nBcc: all@example.org"'), "email.sender", ":21:"),
    ("sender with a CR", EMAIL.replace('sender = "', 'sender = "\\r'), "email.sender", "line break"),
    ("sender with NUL", EMAIL.replace('.uk>"', '.uk>\\u0000"'), "email.sender", "control character"),
    ("sender, two addresses", EMAIL.replace('.uk>"', '.uk>, other@example.org"'), "email.sender", "exactly one"),
    ("sender, no domain", EMAIL.replace("<auditor@islwynhigh.co.uk>", "<auditor@>"), "email.sender", "sender"),
    ("slt with a line break", EMAIL.replace('"slt@', '"\\nslt@'), "email.slt[1]", "line break"),
    ("slt with a name", EMAIL.replace('"slt@', '"SLT <slt@').replace('.uk"]', '.uk>"]'), "email.slt[1]", "alone"),
    ("username", EMAIL + 'username = "auditor\\r\\nRCPT TO:<x@example.org>"\n', "email.username", ":23:"),
    ("host", EMAIL.replace('host = "smtp', 'host = "\\u2028smtp'), "email.host", "control character"),
    (
        "head of department",
        '\n[departments.History]\nhead_email = "head@islwynhigh.co.uk\\nBcc: x@example.org"\n',
        "departments.History.head_email",
        "line break",
    ),
    ("school name", None, "school.name", "line break"),
    ("monitoring lead", None, "school.monitoring_lead", "control character"),
]


@pytest.mark.parametrize(("name", "extra", "key", "says"), HEADER_VALUES, ids=[h[0] for h in HEADER_VALUES])
def test_config_check_refuses_header_values_with_control_characters(tmp_path, capsys, name, extra, key, says):
    school = SCHOOL
    if name == "school name":
        school = SCHOOL.replace('name = "Islwyn High School"', 'name = "Islwyn High School\\nBcc: x@example.org"')
    elif name == "monitoring lead":
        school = SCHOOL.replace('"Heather Davies"', '"Heather\\u0007Davies"')
    path = write_config(tmp_path, ACCOUNT + (extra or ""), school=school)
    assert main(["config", "check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{key}:" in err and says in err, err
    assert str(path.resolve()) in err
    assert "Traceback" not in err


def test_departments_differing_only_in_case_are_refused(tmp_path, capsys):
    path = write_config(
        tmp_path,
        ACCOUNT
        + """
[departments.History]
head_email = "head.history@islwynhigh.co.uk"

[departments.history]
head_email = "other@islwynhigh.co.uk"
""",
    )
    assert main(["config", "check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path.resolve()}:22: departments.history: [departments.history] and [departments.History] (line 19)" in err
    assert "differ only in letter case" in err


def test_account_department_is_matched_to_its_section_without_regard_to_case(tmp_path, capsys):
    body = (
        ACCOUNT.replace('department = "History"', 'department = "history"')
        + ACCOUNT.replace("@HistoryIHS", "@HistoryIHS2").replace('department = "History"', 'department = "HISTORY"')
        + '\n[departments.History]\nhead_email = "head.history@islwynhigh.co.uk"\n'
    )
    path = write_config(tmp_path, body)
    cfg = config_mod.load(path)
    assert [a.department for a in cfg.accounts] == ["History", "History"]
    assert not any("has no [departments" in w for w in cfg.warnings)
    assert any(":13: accounts[1].department: 'history'" in w and "'History'" in w for w in cfg.warnings)
    assert main(["config", "check", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 departments" in out and "accounts[2].department: 'HISTORY'" in out


def test_accounts_without_a_section_share_the_first_spelling(tmp_path):
    body = ACCOUNT + ACCOUNT.replace("@HistoryIHS", "@HistoryIHS2").replace('"History"', '"history"')
    cfg = config_mod.load(write_config(tmp_path, body))
    assert [a.department for a in cfg.accounts] == ["History", "History"]
    assert any("'history' of @HistoryIHS2 is counted as department 'History'" in w for w in cfg.warnings)
