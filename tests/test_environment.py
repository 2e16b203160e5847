"""Faults of the machine, not of auditor: each ends with exit status 2, a message naming the file and the fix, no
traceback, and the history exactly as it was (issue 11, "Environment problems are called bugs").

Permissions mean nothing to root, and these tests often run as root (containers, CI). Where a fault is a missing
permission, the test drops to the unprivileged user `nobody` for the run itself (seteuid, restored afterwards) in a
folder that user owns; each fault also has a case that needs no permissions at all (a folder that would have to be
created under a regular file), so every fault is shown whoever runs the tests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import os
import pwd
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor import config as config_mod
from auditor import logs, preflight
from auditor import store as store_mod
from auditor.checks import all_checks
from auditor.cli import main
from auditor.connectors import x_archive
from auditor.lock import RunLock
from auditor.store import Store, StoreError
from tests.conftest import write_archive, write_config

AUP = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"
_IMPORTED_ON_FIRST_USE = (
    "encodings.utf_8_sig",
    "encodings.idna",
    "auditor.runner",
    "auditor.retention",
    "auditor.text.names",
    "auditor.reports.render",
)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Path]:
    """The test's folder. As root it lies outside pytest's private temporary folder (which `nobody` may not enter)."""
    if os.geteuid() != 0:
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="auditor-env-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:  # give everything back, so it can be removed
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder)


@contextlib.contextmanager
def unprivileged(ws: Path) -> Iterator[str]:
    """Run the block as a user that file permissions apply to: ourselves, or `nobody` (owning `ws`) when root."""
    if os.geteuid() != 0:
        yield pwd.getpwuid(os.geteuid()).pw_name
        return
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root with no `nobody` user to drop to, so permissions cannot be tested")
    # Python itself may live where `nobody` may not read (a root-only pyenv): what the commands import on first use
    # is imported now, as root.
    for module in _IMPORTED_ON_FIRST_USE:
        importlib.import_module(module)
    all_checks()  # imports every check module
    for path in [ws, *ws.rglob("*")]:
        os.chown(path, nobody.pw_uid, nobody.pw_gid, follow_symlinks=False)
    groups = os.getgroups()
    os.setgroups([])
    os.setegid(nobody.pw_gid)
    os.seteuid(nobody.pw_uid)
    try:
        yield "nobody"
    finally:
        os.seteuid(0)
        os.setegid(0)
        os.setgroups(groups)


def school(ws: Path, extra: str = "") -> Path:
    write_archive(ws / "archive", "HistoryIHS", bio=f"Official account. AUP: {AUP}")
    return write_config(
        ws,
        f"""
        [[accounts]]
        handle = "@HistoryIHS"
        platform = "x-archive"
        department = "History"
        owner = "h@islwynhigh.co.uk"
        notified = 2024-09-02
        credentials_shared = true
        source = "archive"

        [departments.History]
        head_email = "head.history@islwynhigh.co.uk"
        {extra}
        """,
    )


def run(config: Path, *more: str) -> int:
    return main(["run", "--all", "--config", str(config), "--offline", "--no-email", *more])


def history(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, read without writing: a database closed cleanly has no WAL file, and one read-only
    connection would leave one behind."""
    if not db.exists():
        return {}
    immutable = "" if db.with_name(db.name + "-wal").exists() else "&immutable=1"
    with contextlib.closing(sqlite3.connect(f"{db.as_uri()}?mode=ro{immutable}", uri=True)) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


def tree(ws: Path) -> list[str]:
    return sorted(str(p.relative_to(ws)) for p in ws.rglob("*"))


def refused(capsys: pytest.CaptureFixture[str], *says: str) -> str:
    err = capsys.readouterr().err
    for text in says:
        assert text in err, f"{text!r} not in {err!r}"
    assert "Traceback" not in err and "internal error" not in err
    return err


@pytest.fixture
def audited(ws: Path) -> tuple[Path, dict[str, list[tuple[object, ...]]]]:
    """A school with one complete audit in its history, and that history."""
    config = school(ws, '[output]\ndir = "reports"\nstore = "db/auditor.sqlite3"\n')
    assert run(config) == 0
    return config, history(ws / "db" / "auditor.sqlite3")


# --- Preflight: places that cannot be used are found before anything is written ------------------------------------


def file_at(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("not a folder\n", encoding="utf-8")
    return path


UNDER_A_FILE = [
    ("[output] dir", '[output]\ndir = "blocked/reports"\n', "blocked", "change [output] dir in"),
    ("[output] dir", '[output]\ndir = "blocked"\n', "blocked", "is a file, not a folder"),
    ("[output] store", '[output]\nstore = "blocked/db/auditor.sqlite3"\n', "blocked", "change [output] store in"),
    ("[logging] file", '[logging]\nfile = "blocked/logs/auditor.log"\n', "blocked", "change [logging] file in"),
    ("[safeguarding] roster", '[safeguarding]\nroster = "blocked/roster.csv"\n', "blocked", "is a file, not a folder"),
]


@pytest.mark.parametrize(("key", "extra", "file", "fix"), UNDER_A_FILE, ids=[f"{u[0]} {u[3]}" for u in UNDER_A_FILE])
def test_a_place_under_a_file_stops_the_run_before_it_writes(ws, capsys, key, extra, file, fix):
    config = school(ws, extra)
    file_at(ws / file)
    before = tree(ws)
    assert run(config) == 2
    err = refused(capsys, "nothing was audited", f"{key}:", fix, str(ws / file))
    assert str(config.resolve()) in err or key == "[safeguarding] roster"
    assert tree(ws) == before  # no history, no lock file, no report or log folder


def test_an_out_folder_under_a_file_is_refused(ws, capsys):
    config = school(ws)
    file_at(ws / "blocked")
    before = tree(ws)
    assert run(config, "--out", str(ws / "blocked" / "tonight")) == 2
    refused(
        capsys,
        f"{ws / 'blocked' / 'tonight'}: --out: cannot be created because {ws / 'blocked'} is a file",
        "give another --out folder",
    )
    assert tree(ws) == before


def test_every_problem_is_reported_at_once_and_history_is_untouched(ws, capsys, audited):
    config, before = audited
    config.write_text(
        config.read_text().replace('dir = "reports"', 'dir = "blocked/reports"')
        + '\n[logging]\nfile = "blocked/auditor.log"\n',
        encoding="utf-8",
    )
    file_at(ws / "blocked")
    files = tree(ws)
    assert run(config) == 2
    refused(
        capsys,
        f"{ws / 'blocked' / 'reports'}: [output] dir: cannot be created because {ws / 'blocked'} is a file",
        f"{ws / 'blocked'}: [logging] file: is a file, not a folder",
    )
    assert history(ws / "db" / "auditor.sqlite3") == before
    assert tree(ws) == files


def test_read_files_that_never_end_are_refused_when_the_config_is_read(ws, capsys):
    # /dev/zero as the roster or waivers file would be read for ever: refused with the key, even by `config check`.
    (ws / "waivers.toml").symlink_to("/dev/zero")
    config = school(ws, '[waivers]\nfile = "waivers.toml"\n\n[safeguarding]\nroster = "/dev/zero"\n')
    assert main(["config", "check", "--config", str(config)]) == 2
    refused(capsys, "waivers.file:", "safeguarding.roster:", "is a device, pipe or socket")
    assert run(config) == 2
    assert not (ws / "auditor.sqlite3").exists()


def test_an_unwritable_report_folder_stops_the_run(ws, capsys, audited):
    config, before = audited
    (ws / "reports").chmod(0o555)
    with unprivileged(ws) as user:
        code = run(config)
    assert code == 2
    refused(capsys, f"{ws / 'reports'}: [output] dir: the folder is not writable by user {user}", "chmod", "chown")
    assert history(ws / "db" / "auditor.sqlite3") == before


def test_an_unwritable_history_folder_stops_the_run(ws, capsys):
    config = school(ws, '[output]\nstore = "db/auditor.sqlite3"\n')
    (ws / "db").mkdir(mode=0o555)
    (ws / "db").chmod(0o555)
    with unprivileged(ws) as user:
        code = run(config)
    assert code == 2
    refused(capsys, f"{ws / 'db'}: [output] store: the folder is not writable by user {user}")
    assert list((ws / "db").iterdir()) == []


def test_a_read_only_history_database_stops_the_run(ws, capsys, audited):
    config, before = audited
    db = ws / "db" / "auditor.sqlite3"
    db.chmod(0o444)
    with unprivileged(ws) as user:
        code = run(config)
    assert code == 2
    refused(capsys, f"{db}: [output] store: user {user} may not read and write it", "chmod u+rw")
    assert history(db) == before


def test_unreadable_roster_and_unwritable_lock_file_are_reported_together(ws, capsys, audited):
    config, before = audited
    (ws / "roster.csv").write_text("forename,surname,photo_consent\n", encoding="utf-8")
    (ws / "roster.csv").chmod(0o200)
    (ws / "db" / "auditor.sqlite3.lock").chmod(0o444)
    config.write_text(config.read_text() + '\n[safeguarding]\nroster = "roster.csv"\n', encoding="utf-8")
    with unprivileged(ws) as user:
        code = run(config)
    assert code == 2
    refused(
        capsys,
        f"{ws / 'roster.csv'}: [safeguarding] roster: user {user} may not read it",
        f"{ws / 'db' / 'auditor.sqlite3.lock'}: [output] store (its lock file): user {user} may not read and write it",
    )
    assert history(ws / "db" / "auditor.sqlite3") == before


def test_a_roster_in_a_folder_that_may_not_be_opened_is_reported(ws, capsys):
    config = school(ws, '[safeguarding]\nroster = "private/roster.csv"\n')
    (ws / "private").mkdir()
    (ws / "private" / "roster.csv").write_text("forename,surname,photo_consent\n", encoding="utf-8")
    (ws / "private").chmod(0)
    with unprivileged(ws) as user:
        code = run(config)
    assert code == 2
    refused(capsys, f"{ws / 'private' / 'roster.csv'}: [safeguarding] roster: cannot be reached by user {user}")
    assert not (ws / "auditor.sqlite3").exists()


def test_a_log_file_that_cannot_be_written_is_the_machines_fault(ws):
    file_at(ws / "blocked")
    settings = config_mod.Logging(file=ws / "blocked" / "auditor.log")
    with pytest.raises(config_mod.PathProblems) as err:
        logs.configure(settings)
    assert f"{ws / 'blocked' / 'auditor.log'}: [logging] file: the log file cannot be opened" in str(err.value)


def test_a_lock_file_that_cannot_be_created_is_the_machines_fault(ws):
    file_at(ws / "blocked")
    with (
        pytest.raises(config_mod.PathProblems, match="lock file"),
        RunLock(ws / "blocked" / "x.lock", wait=0, what="t"),
    ):
        pass


def test_preflight_accepts_places_that_can_be_created_and_creates_nothing(ws):
    config = config_mod.load(school(ws, '[output]\ndir = "a/b/reports"\nstore = "c/d/h.sqlite3"\n'))
    before = tree(ws)
    preflight.check(config, ws / "e" / "out")
    assert tree(ws) == before


# --- The history database: opened and checked before the run ---------------------------------------------------------


def damage(db: Path) -> bytes:
    """Overwrite the middle of the file with noise, as a failing disk or a copy cut short would."""
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) >= 3 * page, "the history should span several pages"
    data[page : 2 * page] = b"\xaa" * page
    db.write_bytes(bytes(data))
    return bytes(data)


def test_a_damaged_history_database_is_reported_and_left_untouched(ws, capsys, audited):
    config, _ = audited
    db = ws / "db" / "auditor.sqlite3"
    damaged = damage(db)
    assert run(config) == 2
    refused(capsys, f"the history database {db} cannot be used", "Restore it from a backup")
    assert db.read_bytes() == damaged
    assert not (ws / "db" / "auditor.sqlite3-wal").exists()


def test_a_folder_in_place_of_the_database_is_refused(ws):
    (ws / "h.sqlite3").mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        Store(ws / "h.sqlite3")


def test_quick_check_finds_damage_that_opening_does_not(ws):
    store = Store(ws / "h.sqlite3")
    store.begin_run("r1", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "test")
    store.announce("r1", alerted=[f"finding-{n:06}" * 20 for n in range(400)])
    store.close()
    damage(ws / "h.sqlite3")
    with pytest.raises(StoreError, match=r"damaged|not an auditor history database"):
        Store(ws / "h.sqlite3")


def test_a_read_only_database_can_be_read_but_no_run_starts_on_it(ws, capsys, monkeypatch, audited):
    # `auditor history` and `auditor status` only read, so a monitoring user with read access may use them; a run
    # stops at its first write, before any account is read, even were the check before the run to miss the cause
    # (a read-only disk).
    config, before = audited
    db = ws / "db" / "auditor.sqlite3"
    db.chmod(0o444)
    reports = tree(ws / "reports")
    monkeypatch.setattr(preflight, "check", lambda config, out=None: None)
    with unprivileged(ws):
        assert main(["history", "--config", str(config)]) == 0
        assert "complete" in capsys.readouterr().out
        code = run(config)
    assert code == 2
    refused(capsys, f"the history database {db} is read-only for this user", "chmod/chown", "Nothing was changed")
    assert history(db) == before
    assert tree(ws / "reports") == reports  # no report of a run that was not stored


def test_a_read_only_history_folder_is_a_store_error(ws, audited):
    _, before = audited
    db = ws / "db" / "auditor.sqlite3"
    (ws / "db").chmod(0o555)  # SQLite cannot create the database's WAL file beside it
    assert sorted(p.name for p in (ws / "db").iterdir()) == ["auditor.sqlite3", "auditor.sqlite3.lock"]
    with unprivileged(ws), pytest.raises(StoreError) as err:
        Store(db)
    assert str(db) in str(err.value) and "chmod/chown" in str(err.value)
    assert history(db) == before


def test_sqlite_errors_of_auditor_itself_stay_bugs(ws):
    assert store_mod.store_error(sqlite3.IntegrityError("UNIQUE constraint failed: findings.id"), ws) is None
    assert store_mod.store_error(sqlite3.OperationalError("no such table: runz"), ws) is None
    locked = store_mod.store_error(sqlite3.OperationalError("database is locked"), ws / "h.sqlite3", 2)
    assert locked is not None and "locked by another program" in str(locked) and "2 s" in str(locked)


# --- A database locked by another program ----------------------------------------------------------------------------


@pytest.fixture
def short_wait(monkeypatch):
    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT_SECONDS", 0.3)


def test_a_database_locked_before_the_run_stops_it_before_it_writes(ws, capsys, audited, short_wait):
    config, before = audited
    db = ws / "db" / "auditor.sqlite3"
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # a database browser with unsaved changes
        assert run(config) == 2
        other.execute("ROLLBACK")
    refused(capsys, f"the history database {db} is locked by another program", "stayed locked for 0.3 s")
    assert history(db) == before


def test_a_database_locked_mid_run_is_reported_with_its_cause_and_history_is_intact(
    ws, capsys, monkeypatch, audited, short_wait
):
    config, before = audited
    db = ws / "db" / "auditor.sqlite3"
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    fetch = x_archive.XArchiveConnector.fetch
    locked = threading.Event()

    def fetch_then_lock(self, account, ctx):  # another program takes the write lock while the run is reading
        if not locked.is_set():
            other.execute("BEGIN IMMEDIATE")
            locked.set()
        return fetch(self, account, ctx)

    monkeypatch.setattr(x_archive.XArchiveConnector, "fetch", fetch_then_lock)
    try:
        assert run(config) == 2
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert locked.is_set()
    refused(capsys, f"the history database {db} is locked by another program", "close that program and run again")
    after = history(db)
    # Everything stored before is as it was; the run that could not be stored is left marked as not finished.
    assert {t: rows for t, rows in after.items() if t != "runs"} == {t: r for t, r in before.items() if t != "runs"}
    assert set(before["runs"]) < set(after["runs"])
    [unfinished] = set(after["runs"]) - set(before["runs"])
    assert unfinished[3] == "running" and unfinished[2] is None

    monkeypatch.setattr(x_archive.XArchiveConnector, "fetch", fetch)
    assert run(config) == 0  # once the other program lets go, the next run is stored
    assert main(["history", "--config", str(config)]) == 0
    assert "did not finish" in capsys.readouterr().out


def test_damage_found_while_reading_rows_is_a_store_error(ws):
    # A disk failing after the check on open: the error comes while rows are read one by one, not when the statement
    # starts, and is still told in plain words.
    db = ws / "h.sqlite3"
    store = Store(db)
    store.begin_run("r1", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "test")
    store.announce("r1", alerted=[f"finding-{n:06}" * 30 for n in range(3000)])
    store.close()
    store = Store(db)
    try:
        list(store._rows("PRAGMA cache_size = 0"))  # every page is read from the file again
        data = bytearray(db.read_bytes())
        pages = len(data) // 4096
        data[pages // 2 * 4096 : (pages - 2) * 4096] = b"\xaa" * ((pages - 2 - pages // 2) * 4096)
        db.write_bytes(bytes(data))
        read = 0
        with pytest.raises(StoreError, match="is damaged"):
            for _ in store._rows("SELECT finding_id FROM alerts_sent ORDER BY rowid"):
                read += 1
        assert read > 0  # the statement started well; a later row failed
    finally:
        store.close()


BAD_CONFIGS = [
    ("nested thousands deep", lambda text: text + "a = " + "[" * 5000 + "]" * 5000 + "\n"),
    (
        "sender with a line break",
        lambda text: text + '[email]\nhost = "smtp.example.org"\nsender = "a@b.org\\nBcc: x"\n',
    ),
    ("departments differing in case", lambda text: text + '[departments.history]\nhead_email = "h@islwynhigh.co.uk"\n'),
]


@pytest.mark.parametrize(("name", "spoil"), BAD_CONFIGS, ids=[b[0] for b in BAD_CONFIGS])
def test_a_bad_config_leaves_an_existing_history_as_it_was(ws, capsys, audited, name, spoil):
    config, before = audited
    files = tree(ws)
    config.write_text(spoil(config.read_text(encoding="utf-8")), encoding="utf-8")
    assert run(config) == 2
    refused(capsys, "the configuration has problems, so nothing was audited", str(config))
    assert history(ws / "db" / "auditor.sqlite3") == before
    assert tree(ws) == files


def test_config_that_is_a_device_leaves_history_as_it_was(ws, capsys, audited):
    config, before = audited
    config.unlink()
    config.symlink_to("/dev/zero")
    assert run(config) == 2
    refused(capsys, f"{config}: is a device, pipe or socket")
    assert history(ws / "db" / "auditor.sqlite3") == before


def test_config_check_finds_the_same_places_a_run_would_refuse(ws, capsys):
    config = school(ws, '[logging]\nfile = "blocked/auditor.log"\n')
    file_at(ws / "blocked")
    before = tree(ws)
    assert main(["config", "check", "--config", str(config)]) == 2
    refused(capsys, "[logging] file:", str(ws / "blocked"))
    assert tree(ws) == before


def test_retention_that_meets_a_locked_database_leaves_the_runs_result_alone(ws, capsys, monkeypatch):
    config = school(ws, '[output]\ndir = "reports"\nkeep_days = 30\n')
    from auditor import retention

    def locked(*args, **kwargs):
        raise StoreError("the history database is locked by another program")

    monkeypatch.setattr(retention, "prune", locked)
    assert run(config) in (0, 1)  # the run was stored and its reports written: that is its result
    err = capsys.readouterr().err
    assert "old runs were not pruned this time: the history database is locked" in err and "Traceback" not in err
