"""End-to-end runs through the command line on the bundled samples and small archives built by the tests."""

import csv
import dataclasses
import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

import auditor.checks as checks_mod
from auditor import config as config_mod
from auditor.cli import main
from auditor.store import Store
from tests.conftest import REPO, write_archive, write_config

AUP = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"
CONTRACT_FINDING_KEYS = {
    "id",
    "account",
    "platform",
    "check",
    "clause",
    "status",
    "severity",
    "reason",
    "evidence",
    "change",
    "first_seen",
}

# A registered account that meets every automated check, once its archive is written to "good" (pupil names are
# checked against the samples' synthetic roster: without one they are "not verified").
GOOD_ACCOUNT = f"""
[[accounts]]
handle = "@HistoryIHS"
platform = "x-archive"
department = "History"
owner = "h@islwynhigh.co.uk"
notified = 2024-09-02
credentials_shared = true
source = "good"

[safeguarding]
roster = {json.dumps(str(REPO / "examples" / "roster.csv"))}
"""


def run(config: Path, out: Path, *extra: str) -> int:
    return main(["run", "--all", "--config", str(config), "--out", str(out), "--offline", *extra])


def load(out: Path) -> dict:
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def by(doc: dict, account: str, check: str) -> list[dict]:
    return [f for f in doc["findings"] if f["account"] == account and f["check"] == check]


def test_sample_audit_writes_every_output(sample, tmp_path, capsys):
    out = tmp_path / "report"
    assert run(sample, out) == 1  # the samples are chosen to fail somewhere
    doc = load(out)
    assert doc["run"]["status"] == "complete"
    assert set(doc["run"]) == {"id", "started_at", "finished_at", "status", "version", "scope", "scope_note", "kind"}
    assert (doc["run"]["scope"], doc["run"]["scope_note"], doc["run"]["kind"]) == ("full", None, "audit")
    assert [a["handle"] for a in doc["accounts"]] == [
        "@HistoryIHS",
        "@ScienceIHS",
        "@islwyn_pe",
        "@IslwynHigh",
        "@MusicIHS",
        "@HanesIHS",
        "@ihs_music",
        "@DramaIHS",
    ]
    assert all(a["status"] == "ok" and a["error"] is None and a["posts_examined"] > 0 for a in doc["accounts"])
    for f in doc["findings"]:
        assert set(f) == CONTRACT_FINDING_KEYS
        assert set(f["evidence"]) == {"url", "post_id", "excerpt", "link"}
        assert f["status"] in {"PASS", "FAIL", "MANUAL", "ERROR", "WAIVED"}
        assert f["change"] == "new"
    for page in [
        "index.html",
        "accounts/HistoryIHS.html",
        "accounts/ScienceIHS.html",
        "accounts/islwyn_pe.html",
        "accounts/IslwynHigh.html",
        "accounts/MusicIHS.html",
        "accounts/DramaIHS.html",
        "departments/History.html",
        "departments/PE.html",
        "findings.csv",
    ]:
        assert (out / page).is_file(), page
    rows = list(csv.DictReader(io.StringIO((out / "findings.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(doc["findings"])
    summary = capsys.readouterr().out
    assert "@islwyn_pe" in summary and f"Reports: {(out / 'index.html').resolve()}" in summary
    assert any(line.startswith("@IslwynHigh") and " Not verified " in line for line in summary.splitlines())


def test_samples_show_every_check_passing_and_failing(sample, tmp_path):
    run(sample, tmp_path / "r")
    doc = load(tmp_path / "r")
    statuses: dict[str, set[str]] = {}
    for f in doc["findings"]:
        statuses.setdefault(f["check"], set()).add(f["status"])
    for check in (
        "naming.ihs_in_username",
        "about.aup_link",
        "registry.owner_school_email",
        "registry.notified",
        "registry.credentials_shared",
    ):
        assert {"PASS", "FAIL"} <= statuses[check], check
    assert statuses["messaging.no_private_dm"] == {"MANUAL"}
    assert "WAIVED" in statuses["naming.ihs_in_username"]
    [unverified] = by(doc, "@IslwynHigh", "about.aup_link")
    assert unverified["status"] == "ERROR" and "bit.ly" in unverified["reason"]
    [waived] = by(doc, "@IslwynHigh", "naming.ihs_in_username")
    assert waived["status"] == "WAIVED" and "predates the policy" in waived["reason"]


def test_second_identical_run_has_same_ids_and_nothing_new(sample, tmp_path):
    run(sample, tmp_path / "r1")
    run(sample, tmp_path / "r2")
    first, second = load(tmp_path / "r1"), load(tmp_path / "r2")
    assert sorted(f["id"] for f in first["findings"]) == sorted(f["id"] for f in second["findings"])
    assert {f["change"] for f in second["findings"]} == {"persisting"}
    firsts = {f["id"]: f["first_seen"] for f in first["findings"]}
    assert all(f["first_seen"] == firsts[f["id"]] for f in second["findings"])
    assert first["run"]["id"] != second["run"]["id"]


def _rewrite_zip_member(path: Path, member: str, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as zf:
        contents = {info: zf.read(info.filename) for info in zf.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in contents.items():
            if info.filename == member:
                text, count = re.subn(old, new, data.decode("utf-8"))
                assert count == 1
                data = text.encode("utf-8")
            zf.writestr(info, data)


def test_fixing_problems_marks_them_resolved(sample, tmp_path):
    run(sample, tmp_path / "r1")
    before = load(tmp_path / "r1")
    [aup] = by(before, "@ScienceIHS", "about.aup_link")
    [notified] = by(before, "@ScienceIHS", "registry.notified")
    assert aup["status"] == notified["status"] == "FAIL"

    # The teacher adds the AUP link to the bio and the head of department is told.
    archive = sample.parent / "examples/archives/ScienceIHS.zip"
    _rewrite_zip_member(archive, "data/profile.js", r'("bio"\s*:\s*")Science', rf"\1AUP: {AUP} Science")
    text = sample.read_text(encoding="utf-8")
    sample.write_text(
        text.replace('department = "Science"\n', 'department = "Science"\nnotified = 2026-11-20\n'), encoding="utf-8"
    )

    assert run(sample, tmp_path / "r2") == 1  # PE still fails
    after = load(tmp_path / "r2")
    for old in (aup, notified):
        [new] = [f for f in after["findings"] if f["id"] == old["id"]]
        assert new["status"] == "PASS"
        assert new["change"] == "resolved"
        assert new["first_seen"] == old["first_seen"]
    run(sample, tmp_path / "r3")
    [again] = [f for f in load(tmp_path / "r3")["findings"] if f["id"] == aup["id"]]
    assert again["change"] == "persisting" and again["status"] == "PASS"


def test_problem_coming_back_is_new_again(sample, tmp_path):
    text = sample.read_text(encoding="utf-8")
    run(sample, tmp_path / "r1")
    sample.write_text(text.replace("credentials_shared = false", "credentials_shared = true"), encoding="utf-8")
    run(sample, tmp_path / "r2")
    sample.write_text(text, encoding="utf-8")
    run(sample, tmp_path / "r3")
    [r2] = by(load(tmp_path / "r2"), "@islwyn_pe", "registry.credentials_shared")
    [r3] = by(load(tmp_path / "r3"), "@islwyn_pe", "registry.credentials_shared")
    assert (r2["status"], r2["change"]) == ("PASS", "resolved")
    assert (r3["status"], r3["change"]) == ("FAIL", "new")
    assert r3["first_seen"] > r2["first_seen"]


def test_failing_account_is_error_and_run_goes_on(tmp_path, capsys):
    write_archive(tmp_path / "good", "HistoryIHS", bio=f"AUP {AUP}")
    config = write_config(
        tmp_path,
        GOOD_ACCOUNT
        + """
        [[accounts]]
        handle = "@ArtIHS"
        platform = "x-archive"
        department = "Art"
        source = "missing-archive"

        [[accounts]]
        handle = "@DramaIHS"
        platform = "facebook"
        department = "Drama"
        """,
    )
    assert run(config, tmp_path / "r") == 3
    doc = load(tmp_path / "r")
    assert doc["run"]["status"] == "partial"
    states = {a["handle"]: (a["status"], a["error"]) for a in doc["accounts"]}
    assert states["@HistoryIHS"] == ("ok", None)
    assert states["@ArtIHS"][0] == "error" and "missing-archive" in states["@ArtIHS"][1]
    # A live connector under --offline is an ERROR saying why, never an empty success.
    assert states["@DramaIHS"][0] == "error" and "needs the network" in states["@DramaIHS"][1]
    # What needs the platform is not verified; what the register says is still judged.
    [aup] = by(doc, "@ArtIHS", "about.aup_link")
    assert aup["status"] == "ERROR" and aup["reason"].startswith("Not checked")
    [owner] = by(doc, "@ArtIHS", "registry.owner_school_email")
    assert owner["status"] == "FAIL"
    history = [f for f in doc["findings"] if f["account"] == "@HistoryIHS"]
    assert {f["status"] for f in history} == {"PASS", "MANUAL"}
    assert "@ArtIHS: could not be audited" in capsys.readouterr().out


def test_exit_0_when_nothing_fails(tmp_path):
    write_archive(tmp_path / "good", "HistoryIHS", bio=f"AUP {AUP}")
    assert run(write_config(tmp_path, GOOD_ACCOUNT), tmp_path / "r") == 0


def test_account_department_and_checks_selection(sample, tmp_path, capsys):
    assert (
        main(["run", "--account", "historyihs", "--config", str(sample), "--out", str(tmp_path / "a"), "--offline"])
        == 0
    )
    assert [a["handle"] for a in load(tmp_path / "a")["accounts"]] == ["@HistoryIHS"]
    assert (
        main(
            [
                "run",
                "--department",
                "pe",
                "--config",
                str(sample),
                "--out",
                str(tmp_path / "d"),
                "--offline",
                "--checks",
                "naming.ihs_in_username",
                "--format",
                "json",
            ]
        )
        == 1
    )
    doc = load(tmp_path / "d")
    assert [a["handle"] for a in doc["accounts"]] == ["@islwyn_pe"]
    assert {f["check"] for f in doc["findings"]} == {"naming.ihs_in_username"}
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["findings.json"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--account", "@Nobody"], "@Nobody is not registered"),
        (["--department", "Latin"], "no accounts in department 'Latin'"),
        (["--checks", "naming.nope"], "unknown check naming.nope"),
        (["--format", "pdf"], "unknown --format pdf"),
    ],
)
def test_bad_selection_exits_2_and_writes_nothing(sample, tmp_path, capsys, args, message):
    out = tmp_path / "out"
    selection = [] if args[0] in ("--account", "--department") else ["--all"]
    assert main(["run", *selection, *args, "--config", str(sample), "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
    assert not (sample.parent / "auditor.sqlite3").exists()


def test_usage_errors_from_argparse_exit_2(sample, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["run", "--all", "--since", "yesterday", "--config", str(sample)])
    assert exc.value.code == 2
    assert "expected a date written like 2025-09-01" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["run", "--config", str(sample)])
    assert exc.value.code == 2


def test_default_output_is_a_new_dated_folder(sample):
    assert main(["run", "--all", "--config", str(sample), "--offline"]) == 1
    assert main(["run", "--all", "--config", str(sample), "--offline"]) == 1
    folders = sorted((sample.parent / "audit-reports").iterdir())
    assert len(folders) == 2
    assert all((f / "index.html").is_file() for f in folders)


def test_checks_history_and_future_commands(sample, tmp_path, capsys):
    assert main(["checks"]) == 0
    listing = capsys.readouterr().out
    assert "about.aup_link" in listing and "SMP-2.8" in listing
    assert main(["history", "--config", str(sample)]) == 0
    assert "No runs yet" in capsys.readouterr().out
    run(sample, tmp_path / "r")
    assert main(["history", "--config", str(sample)]) == 0
    assert "complete" in capsys.readouterr().out
    assert main(["status", "--config", str(sample)]) == 0  # the health check sees the run just made
    assert "auditor status: OK" in capsys.readouterr().out


def test_since_limits_posts(sample, tmp_path):
    run(sample, tmp_path / "all")
    main(
        [
            "run",
            "--all",
            "--config",
            str(sample),
            "--out",
            str(tmp_path / "since"),
            "--offline",
            "--since",
            "2100-01-01",
        ]
    )
    assert all(a["posts_examined"] > 0 for a in load(tmp_path / "all")["accounts"])
    assert all(a["posts_examined"] == 0 for a in load(tmp_path / "since")["accounts"])


def test_interrupted_run_leaves_history_intact(sample, tmp_path, monkeypatch, capsys):
    assert run(sample, tmp_path / "r1") == 1
    store_path = sample.parent / "auditor.sqlite3"
    with sqlite3.connect(store_path) as db:
        before = db.execute("SELECT COUNT(*) FROM findings").fetchone()[0]

    def boom(ctx):
        raise KeyboardInterrupt  # the technician presses Ctrl-C half-way through

    original = checks_mod._REGISTRY["about.aup_link"]
    monkeypatch.setitem(checks_mod._REGISTRY, "about.aup_link", dataclasses.replace(original, func=boom))
    assert run(sample, tmp_path / "r2") == 130
    assert "interrupted" in capsys.readouterr().err

    with sqlite3.connect(store_path) as db:
        assert db.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == before
        statuses = [r[0] for r in db.execute("SELECT status FROM runs ORDER BY started_at")]
    assert statuses == ["complete", "running"]

    monkeypatch.undo()
    assert run(sample, tmp_path / "r3") == 1
    third = load(tmp_path / "r3")
    assert {f["change"] for f in third["findings"]} == {"persisting"}  # compared with the last finished run
    assert main(["history", "--config", str(sample)]) == 0
    assert "did not finish" in capsys.readouterr().out


def test_failed_store_write_rolls_back_whole_run(sample, tmp_path, monkeypatch):
    run(sample, tmp_path / "r1")
    store_path = sample.parent / "auditor.sqlite3"
    with sqlite3.connect(store_path) as db:
        before = db.execute("SELECT COUNT(*) FROM findings").fetchone()[0]
        before_accounts = db.execute("SELECT COUNT(*) FROM account_runs").fetchone()[0]

    original = Store.finish_run

    def failing_finish(self, run_id, finished_at, status, accounts, findings):
        findings = list(findings)
        return original(self, run_id, finished_at, status, accounts, [*findings, findings[0]])  # duplicate key

    monkeypatch.setattr(Store, "finish_run", failing_finish)
    assert run(sample, tmp_path / "r2") == 4
    with sqlite3.connect(store_path) as db:
        assert db.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == before
        assert db.execute("SELECT COUNT(*) FROM account_runs").fetchone()[0] == before_accounts


def test_corrupt_history_database_is_not_touched(sample, tmp_path, capsys):
    store_path = sample.parent / "auditor.sqlite3"
    store_path.write_bytes(b"this is not a database" * 100)
    assert run(sample, tmp_path / "r") == 2
    assert "cannot be used" in capsys.readouterr().err
    assert store_path.read_bytes() == b"this is not a database" * 100
    assert not (tmp_path / "r").exists()


def test_config_paths_are_relative_to_config_folder(sample, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path.parent)
    assert run(sample, tmp_path / "r") == 1
    cfg = config_mod.load(sample)
    assert cfg.output.store.exists()
