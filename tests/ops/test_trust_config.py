"""The trust config (auditor/trust.py): its shape, every problem with the file, line and key, the school ids, and a
single school's config.toml read exactly as before."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from auditor import config as config_mod
from auditor.cli import main
from auditor.schools import DEFAULT_SCHOOL, open_store, school_lock, school_store, slug_problem
from auditor.settings import ConfigError
from auditor.trust import load_deployment
from tests.conftest import REPO, SCHOOL, write_archive, write_config

ACCOUNT = """
[[accounts]]
handle = "@{handle}"
platform = "x-archive"
department = "History"
source = "{source}"
"""


def _school(folder: Path, name: str, handle: str, extra: str = "", school: str = SCHOOL) -> Path:
    write_archive(folder / handle, handle)
    path = folder / "schools" / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(school + ACCOUNT.format(handle=handle, source=f"../{handle}") + textwrap.dedent(extra), "utf-8")
    return path


def _trust(folder: Path, body: str, schools: str = '["schools/ihs.toml", "schools/cwm.toml"]') -> Path:
    path = folder / "trust.toml"
    path.write_text(f'[trust]\nname = "Cwm Trust"\nschools = {schools}\n' + textwrap.dedent(body), "utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_deployment(path)
    return caught.value.problems


def test_a_trust_gives_each_school_its_own_folder_history_lock_and_shared_settings(tmp_path):
    _school(tmp_path, "ihs", "HistoryIHS", '[email]\nslt = ["slt@islwynhigh.co.uk"]\n')
    _school(tmp_path, "cwm", "HanesIHS", '[email]\nslt = ["uwch@islwynhigh.co.uk"]\nhost = "mail.cwm.example"\n')
    trust = _trust(
        tmp_path,
        """
        [output]
        dir = "reports"
        store = "db/history.sqlite3"
        public_url = "https://intranet.example/audits"

        [email]
        host = "smtp.trust.example"
        sender = "Auditor <auditor@trust.example>"

        [schedule]
        audit = "30 1 * * *"

        [connectors]
        workers = 3
        """,
    )
    deployment = load_deployment(trust)
    assert deployment.is_trust and deployment.trust_name == "Cwm Trust" and deployment.path == trust
    ihs, cwm = deployment.schools
    assert (ihs.school_id, cwm.school_id) == ("ihs", "cwm")
    assert ihs.path == tmp_path / "schools" / "ihs.toml"
    assert ihs.output.dir == tmp_path / "reports" / "ihs" and cwm.output.dir == tmp_path / "reports" / "cwm"
    assert ihs.output.public_url == "https://intranet.example/audits/ihs/"
    # The trust's paths are relative to the trust's file; each school's to its own.
    assert ihs.output.store.file == tmp_path / "db" / "history.sqlite3"
    assert ihs.accounts[0].source is not None and ihs.accounts[0].source.resolve() == tmp_path / "HistoryIHS"
    assert ihs.links.blocklists == tmp_path / "data" / "blocklists"
    # One history for the trust, each school's rows stamped with, and read by, its id.
    assert school_store(ihs) == (ihs.output.store, "ihs") and school_store(cwm) == (cwm.output.store, "cwm")
    assert ihs.output.store == cwm.output.store
    assert school_lock(ihs) != school_lock(cwm)
    # Shared sections: the trust's keys fill in; a school's own win; recipients are each school's.
    assert ihs.email is not None and cwm.email is not None
    assert (ihs.email.host, cwm.email.host) == ("smtp.trust.example", "mail.cwm.example")
    assert ihs.email.sender == cwm.email.sender == "Auditor <auditor@trust.example>"
    assert (ihs.email.slt, cwm.email.slt) == (("slt@islwynhigh.co.uk",), ("uwch@islwynhigh.co.uk",))
    assert ihs.schedule.audit == cwm.schedule.audit == "30 1 * * *"
    assert ihs.fetch_workers == cwm.fetch_workers == 3


def test_a_single_schools_config_is_read_exactly_as_before(tmp_path):
    write_archive(tmp_path / "hist", "HistoryIHS")
    path = write_config(tmp_path, ACCOUNT.format(handle="HistoryIHS", source="hist"))
    deployment = load_deployment(path)
    assert not deployment.is_trust
    [config] = deployment.schools
    assert config == config_mod.load(path)
    assert config.school_id is None
    assert school_store(config) == (config.output.store, DEFAULT_SCHOOL)
    assert config.output.store.file == tmp_path / "auditor.sqlite3"
    assert school_lock(config) == tmp_path / "auditor.sqlite3.lock"  # the lock file of every earlier version


def test_loading_a_trust_where_one_school_is_expected_says_what_to_do(tmp_path):
    _school(tmp_path, "ihs", "HistoryIHS")
    _school(tmp_path, "cwm", "HanesIHS")
    trust = _trust(tmp_path, "")
    with pytest.raises(ConfigError) as caught:
        config_mod.load(trust)
    assert "this is a trust's config" in str(caught.value) and "--school" in str(caught.value)


def test_every_problem_of_every_file_is_named_with_its_file_and_line(tmp_path):
    _school(tmp_path, "ihs", "HistoryIHS", '[output]\ndir = "mine"\n')
    _school(tmp_path, "cwm", "HanesIHS", '[email]\nslt = ["not an address"]\n')
    _school(tmp_path, "Ysgol_X", "ArtIHS")
    trust = _trust(
        tmp_path,
        """
        [email]
        host = "smtp.trust.example"
        port = "587"
        sender = "Auditor <auditor@trust.example>"
        slt = ["everyone@trust.example"]

        [school]
        name = "x"

        [sideways]
        x = 1
        """,
        schools='["schools/ihs.toml", "schools/cwm.toml", "schools/Ysgol_X.toml", "schools/missing.toml", '
        '"schools/ihs.toml", 7]',
    )
    problems = _problems(trust)
    text = "\n".join(problems)
    school_ihs, school_cwm = tmp_path / "schools" / "ihs.toml", tmp_path / "schools" / "cwm.toml"
    expected = [
        # The trust's own keys, at the trust's lines.
        f"{trust}:7: email.port: expected a whole number",
        f"{trust}:9: email.slt: each school names its own senior leaders",
        f"{trust}:11: school: [school] belongs in each school's own file",
        f"{trust}:14: sideways: unknown section",
        f"{trust}:3: trust.schools[3]: 'Ysgol_X' cannot be a school id",
        f"{trust}:3: trust.schools[5]: a second school with the id 'ihs' (also schools[1])",
        f"{trust}:3: trust.schools[6]: expected the path of a school's config file",
        f"{tmp_path / 'schools' / 'missing.toml'}: config file not found (listed as schools[4] in {trust})",
        # A school's own keys, at its lines; a section only the trust may set.
        f"{school_ihs}:14: output: [output] is set once for the whole trust, in {trust}",
        f"{school_cwm}:15: email.slt[1]: expected an email address",
    ]
    for line in expected:
        assert any(p.startswith(line) for p in problems), f"{line!r} not in:\n{text}"
    # The trust's port problem is said once, not once per school.
    assert sum("email.port" in p for p in problems) == 1
    assert "Traceback" not in text


def test_an_account_belongs_to_one_school(tmp_path):
    _school(tmp_path, "ihs", "HistoryIHS")
    _school(tmp_path, "cwm", "HistoryIHS")
    problems = _problems(_trust(tmp_path, ""))
    assert any("@HistoryIHS on x-archive is also registered by school 'ihs'" in p for p in problems)


def test_a_school_file_cannot_be_a_trust_nor_the_trust_itself(tmp_path):
    _school(tmp_path, "ihs", "HistoryIHS", '[trust]\nschools = ["../x.toml"]\n')
    _school(tmp_path, "cwm", "HanesIHS")
    problems = _problems(_trust(tmp_path, "", schools='["schools/ihs.toml", "trust.toml", "schools/cwm.toml"]'))
    assert any("trust: a school's file cannot list schools of its own" in p for p in problems)
    assert any("trust.schools[2]: names the trust's own file" in p for p in problems)
    assert _problems(_trust(tmp_path, "", schools="[]"))[0].endswith(
        'trust.schools: expected a list of the schools\' config files, like ["schools/ihs.toml", '
        '"schools/ysgol-cwm.toml"], found an empty list'
    )


@pytest.mark.parametrize("slug", ["ihs", "ysgol-cwm-derwen", "a", "9", "school-2"])
def test_school_ids_that_are_fine(slug):
    assert slug_problem(slug) is None


@pytest.mark.parametrize("slug", ["", "..", ".hidden", "a/b", "IHS", "ysgol_cwm", "-ihs", "ihs-", "a" * 41, "ïhs"])
def test_school_ids_that_could_be_paths_or_are_not_plain_are_refused(slug):
    assert slug_problem(slug) is not None


def test_a_school_id_from_elsewhere_never_becomes_a_path(tmp_path):
    import dataclasses

    write_archive(tmp_path / "hist", "HistoryIHS")
    config = config_mod.load(write_config(tmp_path, ACCOUNT.format(handle="HistoryIHS", source="hist")))
    for bad in ("../../etc", "a/b", ".."):
        forged = dataclasses.replace(config, school_id=bad)
        with pytest.raises(ValueError):
            school_store(forged)
        with pytest.raises(ValueError):
            school_lock(forged)


def test_the_example_trust_checks_and_runs(tmp_path, capsys):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    trust = tmp_path / "examples" / "trust" / "trust.toml"
    assert main(["config", "check", "--config", str(trust)]) == 0
    out = capsys.readouterr().out
    assert "school ihs:" in out and "school ysgol-cwm:" in out
    assert "trust 'Cwm Valley Learning Trust', 2 schools" in out
    assert main(["run", "--all", "--config", str(trust), "--offline", "--no-email"]) == 1
    reports = tmp_path / "examples" / "trust" / "audit-reports"
    assert sorted(p.name for p in reports.iterdir()) == ["ihs", "ysgol-cwm"]
    for config in load_deployment(trust).schools:
        store = open_store(config)
        try:
            assert len(store.runs()) == 1
        finally:
            store.close()


def test_a_path_problem_of_a_trust_school_names_the_trusts_key(tmp_path, capsys):
    _school(tmp_path, "ihs", "HistoryIHS")
    _school(tmp_path, "cwm", "HanesIHS")
    (tmp_path / "blocked").write_text("a file where the report folder should be", "utf-8")
    trust = _trust(tmp_path, '[output]\ndir = "blocked"\n')
    assert main(["run", "--all", "--config", str(trust), "--offline"]) == 2
    err = capsys.readouterr().err
    assert "[output] dir" in err and "change [output] dir in the trust's config" in err
    assert not list(tmp_path.glob("auditor*.sqlite3"))


def test_a_bad_option_with_a_trust_is_said_once_and_nothing_is_audited(tmp_path, capsys):
    _school(tmp_path, "ihs", "HistoryIHS")
    _school(tmp_path, "cwm", "HanesIHS")
    trust = _trust(tmp_path, "")
    assert main(["run", "--all", "--config", str(trust), "--offline", "--format", "pdf"]) == 2
    err = capsys.readouterr().err
    assert err.count("unknown --format pdf") == 1
    assert main(["run", "--account", "@Nobody", "--config", str(trust), "--offline"]) == 2
    assert "@Nobody is not registered by any school of this trust" in capsys.readouterr().err
    assert main(["run", "--department", "Maths", "--config", str(trust), "--offline"]) == 2
    assert "no accounts in department 'Maths'; departments: History" in capsys.readouterr().err
    assert not (tmp_path / "audit-reports").exists() and not list(tmp_path.glob("*.sqlite3"))
